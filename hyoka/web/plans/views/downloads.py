"""Files made from the stored plan: workbooks and the internal data package (the report is made
in the background, ``renders``).

Every file is rendered from the same core evaluation as the pages (``convert.core_plan``),
so a number in a downloaded report is the number on the screen.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import quote

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from ....core.errors import InputError
from ....core.model import Plan as CorePlan
from ....core.wareki import to_wareki
from ....formats.csvpackage.write import write_package
from ....formats.xlsx.write import department_workbook, plan_workbook
from ....site.published import released_years
from ...accounts import access
from .. import models as m
from ..convert import core_plan
from ..forms import problem_line
from .common import chosen_year, plan_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(content: bytes, filename: str, media_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@plan_view
@require_safe
def workbook(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    """A department gets its own slice of the year to fill in; a planner the whole plan or any slice."""
    year = chosen_year(request, plan)
    core = core_plan(plan)
    asked = request.GET.get("department", "").strip()
    own = access.department_of(request.user)
    if own is not None:
        access.require(asked in ("", own))
        department = own
    else:
        access.require(access.may_manage(request.user) or not asked)
        department = asked
    if department:
        known = {d for n in core.nodes for d in n.departments} | {d for i in core.indicators for d in i.departments}
        if department not in known:
            raise Http404
        make, name = (lambda: department_workbook(core, department, year, plan.revision)), f"{plan.key}-{year}-{department}.xlsx"
    else:
        make, name = (lambda: plan_workbook(core, plan.revision)), f"{plan.key}.xlsx"
    try:
        wb = make()
    except InputError as e:  # a text Excel cannot hold: named, never cut
        for problem in e.problems:
            messages.error(request, problem_line(problem))
        return redirect(reverse("upload", args=plan.route) + f"?year={year}")
    buffer = io.BytesIO()
    wb.save(buffer)
    return attachment(buffer.getvalue(), name, XLSX)


def internal_notice(core: CorePlan) -> str:
    """The README of the internal package: it holds drafts, so it says so before anything else."""
    drafts = sorted(y for y in {y for i in core.indicators for s in i.series() for y in s.values} if y not in released_years(core))
    years = "、".join(to_wareki(y) for y in drafts) or "なし"
    return (
        "内部資料（公表用ではありません）\n"
        f"{core.name}\n"
        "このファイルには公表前の年度の値と文章が含まれます。公開・転載しないでください。\n"
        f"公表前の年度: {years}\n"
        "公表済みのオープンデータは公開サイトのダウンロードから入手してください。\n\n"
        "INTERNAL - NOT FOR PUBLICATION. This package holds figures and texts of years that are not published.\n"
    )


@plan_view
@require_safe
def internal_data(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    """The whole plan as a CSV data package for the office (drafts included), named and marked as internal.

    The open data of published years is the public site's package (``/public/``); this one
    is ``PLAN-YEAR-internal.zip`` with a README that says it is not for publication.
    """
    year = chosen_year(request, plan)
    core = core_plan(plan)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / plan.key
        write_package(core, folder)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{plan.key}-internal/README.txt", internal_notice(core))
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, f"{plan.key}-internal/{path.relative_to(folder)}")
    return attachment(buffer.getvalue(), f"{plan.key}-{year}-internal.zip", "application/zip")
