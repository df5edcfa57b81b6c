"""The page a save gets when someone else saved the same thing first: both versions, and a way to resolve.

The person's input is kept (the editable fields prefilled, the rest carried as hidden
fields) so nothing typed is lost; posting it again carries the token of what is stored
now, so the overwrite is a choice made after seeing the other version, never silent.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import models as m
from ..conflicts import Conflict
from .common import plan_context

NOT_CARRIED = ("csrfmiddlewaretoken", "base")


def conflict_page(
    request: HttpRequest,
    plan: m.Plan,
    year: int,
    conflict: Conflict,
    *,
    mine: str,
    back: str,
    editable: dict[str, str],
    multiline: tuple[str, ...] = (),
) -> HttpResponse:
    """409 with what is stored (and who stored it) beside what the person posted (*mine*, as the history prints it)."""
    hidden = [(k, v) for k in request.POST for v in request.POST.getlist(k) if k not in editable and k not in NOT_CARRIED]
    fields = [{"name": k, "label": label, "value": request.POST.get(k, ""), "multiline": k in multiline} for k, label in editable.items()]
    ctx = plan_context(plan, year, conflict=conflict, mine=mine, back=back, action=request.path, hidden=hidden, fields=fields)
    return render(request, "plans/conflict.html", ctx, status=409)
