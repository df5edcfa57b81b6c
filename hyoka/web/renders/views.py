"""The report download: the stored file when this revision was rendered, else a progress page.

A request never renders: it finds or enqueues the rendering (``tasks.rendering_for``) and
answers at once, so a PDF that takes seconds holds no web worker and no page waits behind it.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from ...reports import MEDIA_TYPES
from ..plans import models as m
from ..plans.convert import core_plan
from ..plans.views.common import chosen_year, plan_context, plan_view
from ..plans.views.downloads import attachment
from .models import Rendering, RenderStatus
from .tasks import rendering_for


def _filename(plan: m.Plan, year: int, fmt: str) -> str:
    """「kanagawa-dx-2024-点検報告書.pdf」: the plan's own kind of report, 「（案）」 while the year is not published."""
    core = core_plan(plan)
    return f"{plan.key}-{year}-{core.report.title_word}{'' if core.is_published(year) else '（案）'}.{fmt}"


@plan_view
@require_safe
def report(request: HttpRequest, plan: m.Plan, fmt: str) -> HttpResponse:
    """The evaluation report of the chosen year as HTML, PDF, Word or Excel: the file, or the page that waits for it."""
    if fmt not in MEDIA_TYPES:
        raise Http404
    year = chosen_year(request, plan)
    row = rendering_for(plan, year, fmt)
    if row.status == RenderStatus.DONE:
        return attachment(bytes(row.content), _filename(plan, year, fmt), MEDIA_TYPES[fmt])
    return redirect(reverse("rendering", args=[*plan.route, row.pk]))


@plan_view
@require_safe
def progress(request: HttpRequest, plan: m.Plan, rendering_id: int) -> HttpResponse:
    """Where the report is: waiting, being made, ready (a link), or failed; the page reloads itself until it is finished."""
    row = get_object_or_404(Rendering.objects.defer("content"), pk=rendering_id, plan=plan)
    waiting = Rendering.objects.filter(status=RenderStatus.QUEUED, created_at__lt=row.created_at).count()
    download = reverse("report", args=[*plan.route, row.fmt]) + f"?year={row.year}"
    ctx = plan_context(plan, row.year, rendering=row, ahead=waiting, download=download)
    return render(request, "renders/progress.html", ctx)
