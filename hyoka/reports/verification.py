"""A city's 効果検証報告書: per top-level node (基本目標, 重点戦略), its 具体的な施策 with their KPI rows.

Each KPI row gives the 基準値, every year's 目標 and 実績 up to the report year, the
final target and the year's 達成率, capped as the rule set says with the uncapped rate
in parentheses (「100.0％（112.5％）」); each 施策 ends with its mean and 評価, each
top-level node with its own, and the summary gives the plan's.
"""

from __future__ import annotations

from ..core.display import entry_text
from ..core.model import Indicator, Node, Series
from ..core.notation import marked_name
from .context import Context, rate_cell, rate_cell_text
from .document import Block, Bullets, Cell, Heading, Paragraph, Section, Table
from .goals import final_year, goal_targets
from .kpi import actual_cell, footnote_blocks, target_cell
from .summary import mean_cell


def _series_rows(ctx: Context, ind: Indicator, years: list[int], labelled: bool) -> list[tuple[Cell, ...]]:
    """The rows of an indicator: one per part (小学校, 中学校), its name spanning them so they stay together."""
    record = ctx.indicators[ind.id]
    records = record["parts"] if record.get("parts") else [record]
    final = final_year(ctx, ind)
    style = ctx.rules.display
    rows = []
    series = ind.series()
    for i, (s, r) in enumerate(zip(series, records, strict=True)):
        cells = [Cell(marked_name(ind), rowspan=len(series), css="name")] if i == 0 else []
        if labelled:
            cells.append(Cell(s.label or s.id if s is not ind else "", css="kind"))
        cells.append(Cell(_baseline(ctx, s), css="num"))
        for y in years:
            cells += [target_cell(s, y, style, empty="―"), actual_cell(s, y, style)]
        cells.append(target_cell(s, final, style, empty="―"))
        cells.append(rate_cell(r) if r.get("rate") is not None else Cell(rate_cell_text(r), css="num"))
        rows.append(tuple(cells))
    return rows


def _baseline(ctx: Context, s: Series) -> str:
    if s.baseline is None:
        return "―"
    when = ctx.year_text(s.baseline.year) if s.baseline.year else s.baseline.note
    return entry_text(s.baseline.entry.parsed, s.unit, ctx.rules.display) + (f"\n（{when}）" if when else "")


def kpi_rows_table(ctx: Context, node: Node, indicators: list[Indicator]) -> Table:
    years = list(range(ctx.plan.period_start, ctx.year + 1))
    finals = sorted({final_year(ctx, i) for i in indicators})
    labelled = any(i.parts for i in indicators)
    head = (
        (
            Cell("ＫＰＩ", rowspan=2),
            *([Cell("区分", rowspan=2)] if labelled else []),
            Cell("基準値", rowspan=2, css="num"),
            *(Cell(ctx.year_text(y), colspan=2, css="num") for y in years),
            Cell(f"目標値（{'・'.join(ctx.year_text(y) for y in finals)}）", rowspan=2, css="num"),
            Cell(f"達成率（{ctx.year_text(ctx.year)}）", rowspan=2, css="num"),
        ),
        tuple(c for _y in years for c in (Cell("目標", css="num"), Cell("実績", css="num"))),
    )
    body = [row for ind in indicators for row in _series_rows(ctx, ind, years, labelled)]
    record = ctx.nodes[node.id]
    columns = 4 + labelled + 2 * len(years)
    if record.get("explanation"):
        body.append((Cell(f"{node.level}の評価（平均）　{record['label']}", colspan=columns - 1, css="kind"), mean_cell(record)))
    widths = (24, *((6,) if labelled else ()), 10, *(8 for _ in years for _two in range(2)), 10, 12)
    return Table(f"{ctx.title(node)} のＫＰＩ", head, tuple(body), css="kpi verification", widths=widths)


def _grade(ctx: Context, node: Node) -> list[Block]:
    record = ctx.grade_of(node)
    if record is None:
        return []
    return [
        Paragraph(f"【{node.level}の評価】", css="label"),
        Paragraph(record["label"], css="status"),
        Paragraph(record["explanation"], css="note"),
    ]


def verification_section(ctx: Context, top: Node) -> Section:
    section = Section(ctx.title(top), f"goal-{top.id}", sheet=top.number if len(top.number) > 2 else top.name[:20])
    if top.description:
        section.add(Paragraph("基本的な方向性", css="label"), Paragraph(top.description, css="lead"))
    section.add(*goal_targets(ctx, top))
    for node in ctx.plan.descendants(top.id):
        indicators = [i for i in ctx.plan.indicators_of.get(node.id, []) if i.kind == "kpi"]
        if node.status == "abolished" or not indicators:
            continue
        section.add(Heading(ctx.title(node), 2, anchor=f"node-{node.id}"))
        if ctx.departments(node):
            section.add(Paragraph(f"担当: {'、'.join(ctx.departments(node))}", css="note"))
        children = ctx.plan.children.get(node.id, [])
        if children:  # its 具体的な取組, by name
            section.add(Bullets(tuple(ctx.title(c) for c in children), title=children[0].level))
        section.add(kpi_rows_table(ctx, node, indicators), *footnote_blocks(ctx, indicators))
    section.add(*_grade(ctx, top))
    return section
