"""Upload → preview of every change → apply all of it or nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ....core.errors import InputError
from ...accounts import access
from .. import models as m
from ..conflicts import writing
from ..convert import core_plan, touch
from ..forms import UploadForm, in_language, problem_line, subject_of
from ..locks import published_years
from ..upload import ProposedText, ProposedValue, apply_changes, read_changes
from .common import chosen_year, plan_context, plan_view

SESSION_KEY = "hyoka-upload"


class PlanMoved(Exception):
    """The plan changed after the preview was made: what was previewed is not what would be applied."""


def _allowed(request: HttpRequest, plan: m.Plan, change: ProposedValue | ProposedText) -> bool:
    core = core_plan(plan)
    if isinstance(change, ProposedText):
        return access.may_enter(request.user, plan, change.year, core.node_departments(change.node))
    return access.may_enter(request.user, plan, change.year, core.departments_of(core.indicator_by_id[change.indicator]))


def _may_upload(request: HttpRequest) -> bool:
    return access.may_manage(request.user) or request.user.is_department


@plan_view
def upload(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    """GET: the form. POST: read the file and show what would change (nothing is saved yet)."""
    access.require(_may_upload(request))
    ctx = plan_context(plan, chosen_year(request, plan))
    if request.method != "POST":
        return render(request, "plans/upload.html", ctx | {"form": UploadForm()})
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "plans/upload.html", ctx | {"form": form}, status=400)
    f = form.cleaned_data["file"]
    try:
        proposal = read_changes(plan, f.name, f.read())
    except InputError as e:
        ctx["problems"] = [problem_line(p) for p in e.problems]
        return render(request, "plans/upload.html", ctx | {"form": form}, status=400)
    rows = [(c, _allowed(request, plan, c)) for c in proposal.values]
    text_rows = [(t, _allowed(request, plan, t)) for t in proposal.texts]
    conflicts = [(i, c, _allowed(request, plan, c)) for i, c in enumerate(proposal.conflicts)]
    request.session[SESSION_KEY] = {
        "plan": plan.key,  # the user's organization's: a key names one plan there
        "revision": plan.revision,
        "filename": f.name,
        "changes": [c.as_session() for c in proposal.values],
        "texts": [t.as_session() for t in proposal.texts],
        "conflicts": [(type(c).__name__, c.as_session()) for c in proposal.conflicts],
    }
    forbidden = sum(1 for _c, ok in [*rows, *text_rows] if not ok)
    changed_years = {c.year for c in [*proposal.values, *proposal.texts, *proposal.conflicts]}
    ctx |= {
        "form": UploadForm(),
        "rows": rows,
        "text_rows": text_rows,
        "conflicts": conflicts,
        "total": len(proposal) + len(proposal.conflicts),
        "filename": f.name,
        "forbidden": forbidden,
        "corrected_years": sorted(changed_years & set(published_years(plan))),  # published: applied only as a 訂正 with its reason
    }
    return render(request, "plans/upload.html", ctx)


def _chosen_conflicts(request: HttpRequest, pending: dict[str, Any]) -> list[ProposedValue | ProposedText]:
    """The conflicts the person chose to take from the file (each one ticked on the preview); the others stay as hyoka has them."""
    kinds = {"ProposedValue": ProposedValue, "ProposedText": ProposedText}
    chosen = set(request.POST.getlist("overwrite"))
    return [kinds[kind](**fields) for i, (kind, fields) in enumerate(pending.get("conflicts", [])) if str(i) in chosen]


@plan_view
@require_POST
def upload_apply(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    """Apply the previewed changes in one transaction, each with its history; refused if the plan moved on."""
    access.require(_may_upload(request))
    pending = request.session.get(SESSION_KEY)
    if not pending or pending["plan"] != plan.key:
        messages.error(request, _("取込むファイルがありません。もう一度アップロードしてください。"))
        return redirect("upload", *plan.route)
    chosen = _chosen_conflicts(request, pending)
    changes = [ProposedValue(**c) for c in pending["changes"]] + [c for c in chosen if isinstance(c, ProposedValue)]
    texts = [ProposedText(**t) for t in pending.get("texts", [])] + [t for t in chosen if isinstance(t, ProposedText)]
    why = _("ファイル取込み: %(name)s") % {"name": pending["filename"]}
    reason = request.POST.get("why", "").strip()
    if reason:
        why += f"（{reason}）"
    try:
        with writing(plan):  # all or nothing, and nobody writes to the plan between the check and the commit
            if plan.revision != pending["revision"]:
                raise PlanMoved
            if not all(_allowed(request, plan, c) for c in [*changes, *texts]):
                raise PermissionDenied
            apply_changes(plan, request.user, why, request.POST.get("correction", ""), changes, texts)
            touch(plan)
    except InputError as e:
        for problem in e.problems:  # named by what it is about, never by its path in the plan file
            text = f"「{problem.text}」: " if problem.text is not None else ""
            messages.error(request, f"{subject_of(problem.where)}: {text}{in_language(problem)}".lstrip(": "))
        return redirect("upload", *plan.route)
    except PlanMoved:
        messages.error(request, _("プレビューの後に計画が変更されました。もう一度アップロードしてください。"))
        return redirect("upload", *plan.route)
    del request.session[SESSION_KEY]
    left = len(pending.get("conflicts", [])) - len(chosen)
    messages.success(request, _("%(n)d 件の変更を取り込みました。") % {"n": len(changes) + len(texts)})
    if left:
        messages.info(request, _("%(n)d 件の衝突は、hyoka の内容のまま残しました。") % {"n": left})
    return redirect(reverse("history", args=plan.route))
