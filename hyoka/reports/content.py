"""The content of the yearly evaluation report, decided once for every format."""

from __future__ import annotations

from ..core.engine import Evaluation, evaluate
from ..core.model import Plan
from ..core.wareki import to_wareki
from .context import Context, year_label
from .corrections import MARK, corrections_section
from .document import Report
from .front import method_section, overview_section
from .goals import goal_section
from .listing import listing_section
from .summary import summary_section


def build_report(plan: Plan, year: int, evaluation: Evaluation | None = None) -> Report:
    """The report of *plan* for *year*; pass *evaluation* to reuse one already computed."""
    ev = evaluation if evaluation is not None else evaluate(plan, year)
    ctx = Context(plan, year, ev)
    corrected = corrections_section(plan.cycles.get(year))
    title = f"{MARK if corrected else ''}{plan.name} {to_wareki(year)}評価報告書"
    report = Report(
        title=title,
        subtitle=f"{year_label(year)}の取組の評価",
        organization=plan.organization.name,
        year_label=year_label(year),
        running_header=f"{plan.name}　{to_wareki(year)}",
    )
    if corrected is not None:
        report.sections.append(corrected)
    report.sections.append(overview_section(ctx))
    report.sections.append(method_section(ctx))
    report.sections.append(summary_section(ctx))
    report.sections.extend(goal_section(ctx, top) for top in plan.roots if top.status != "abolished")
    report.sections.append(listing_section(ctx))
    return report
