"""The audit log page: administrators only, narrowed by kind, person, plan, words and dates."""

from __future__ import annotations

from datetime import date

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..accounts import access, scope
from .models import EventKind

PAGE_SIZE = 100


def _day(raw: str, problems: list[str]) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        problems.append(_("日付は 2026-05-29 の形で入力してください: %(raw)s") % {"raw": raw[:40]})
        return None


@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    access.require(request.user.is_admin or request.user.is_operator)
    q = request.GET
    events = scope.audit_events(request.user).select_related("user", "organization")
    problems: list[str] = []
    kind = q.get("kind", "")
    if kind in EventKind.values:
        events = events.filter(kind=kind)
    if username := q.get("user", "").strip():
        events = events.filter(username__icontains=username)
    if plan := q.get("plan", "").strip():
        events = events.filter(plan_key=plan)
    if words := q.get("q", "").strip():
        events = events.filter(Q(subject__icontains=words) | Q(detail__icontains=words) | Q(path__icontains=words))
    if since := _day(q.get("since", ""), problems):
        events = events.filter(at__date__gte=since)
    if until := _day(q.get("until", ""), problems):
        events = events.filter(at__date__lte=until)
    page = Paginator(events, PAGE_SIZE).get_page(q.get("page"))
    rest = q.copy()
    rest.pop("page", None)
    ctx = {
        "page": page,
        "kinds": EventKind.choices,
        "kind": kind,
        "filters": {
            "user": q.get("user", ""),
            "plan": q.get("plan", ""),
            "q": q.get("q", ""),
            "since": q.get("since", ""),
            "until": q.get("until", ""),
        },
        "problems": problems,
        "query": rest.urlencode(),
    }
    return render(request, "audit/log.html", ctx, status=400 if problems else 200)
