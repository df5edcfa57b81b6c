"""Files made from the stored plan: the evaluation report, workbooks and the open-data package.

Every file is rendered from the same core evaluation as the pages (``convert.core_plan``),
so a number in a downloaded report is the number on the screen.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from ....formats.csvpackage.write import write_package
from ....formats.xlsx.write import department_workbook, plan_workbook
from ....reports import MEDIA_TYPES, render_report
from ...accounts import access
from ..convert import core_plan, evaluation
from .common import chosen_year, get_plan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(content: bytes, filename: str, media_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def report(request: HttpRequest, plan_key: str, fmt: str) -> HttpResponse:
    """The report of the chosen year in the plan's layout as HTML, PDF, Word or Excel, named by its kind."""
    if fmt not in MEDIA_TYPES:
        raise Http404
    plan = get_plan(plan_key)
    year = chosen_year(request, plan)
    core = core_plan(plan)
    content = render_report(core, year, fmt, evaluation(plan, year))
    kind = core.report.title_word + ("" if core.is_published(year) else "（案）")
    return _attachment(content, f"{plan.key}-{year}-{kind}.{fmt}", MEDIA_TYPES[fmt])


@require_safe
def workbook(request: HttpRequest, plan_key: str) -> HttpResponse:
    """A department gets its own slice of the year to fill in; a planner the whole plan or any slice."""
    plan = get_plan(plan_key)
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
        wb, name = department_workbook(core, department, year), f"{plan.key}-{year}-{department}.xlsx"
    else:
        wb, name = plan_workbook(core), f"{plan.key}.xlsx"
    buffer = io.BytesIO()
    wb.save(buffer)
    return _attachment(buffer.getvalue(), name, XLSX)


@require_safe
def open_data(request: HttpRequest, plan_key: str) -> HttpResponse:
    """The CSV data package (datapackage.json and the tables) as one zip file."""
    plan = get_plan(plan_key)
    core = core_plan(plan)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / plan.key
        write_package(core, folder)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, f"{plan.key}/{path.relative_to(folder)}")
    return _attachment(buffer.getvalue(), f"{plan.key}-opendata.zip", "application/zip")
