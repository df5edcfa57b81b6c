"""The content of the yearly report, decided once for every format in the plan's own layout."""

from __future__ import annotations

from ..core.engine import Evaluation, evaluate
from ..core.model import Plan
from .context import Context
from .corrections import MARK, corrections_section
from .document import Report
from .layouts import sections

DRAFT = "（案）"


def build_report(plan: Plan, year: int, evaluation: Evaluation | None = None) -> Report:
    """The report of *plan* for *year*; pass *evaluation* to reuse one already computed.

    A year that is not published gives a draft: its title says 「（案）」 and every format marks it.
    """
    ev = evaluation if evaluation is not None else evaluate(plan, year)
    ctx = Context(plan, year, ev)
    when = ctx.year_text(year)
    corrected = corrections_section(plan.cycles.get(year))
    title = f"{MARK if corrected else ''}{plan.name} {when}{plan.report.title_word}" + (DRAFT if ctx.draft else "")
    report = Report(
        title=title,
        subtitle=f"{when}の取組の{'点検' if plan.report.layout == 'inspection' else '評価'}",
        organization=plan.organization.name,
        year_label=when,
        running_header=f"{plan.name}　{when}{plan.report.title_word}" + (DRAFT if ctx.draft else ""),
        draft=ctx.draft,
    )
    if corrected is not None:  # 【訂正版】: what changed since the first publication comes first
        report.sections.append(corrected)
    report.sections.extend(sections(ctx))
    return report
