"""The KPI table of seed 000 and the chart of each indicator's series.

Years are columns; each indicator has a 目標値, a 実績値 and a 達成率 row (and a 判定
row when the rule set judges). A pending value shows when it will be known, an
estimate is marked (見込値), later years show ―, and an indicator with parts
(小/中, 男性/女性) shows each part on its own line of the cell.
"""

from __future__ import annotations

from typing import Any

from ..core.display import entry_text
from ..core.model import Indicator, Series, Status, Value
from ..core.notation import EMPTY_CELL, ESTIMATE, PROVISIONAL, PROVISIONAL_MARKED, marked_name, value_text
from ..core.rules import Display
from ..core.text import clean_line
from . import charts
from .context import Context, figure_cell, rate_cell, rate_cell_text
from .document import Block, Cell, Chart, Paragraph, Table

KIND_HEADS = {"kpi": "ＫＰＩ（重要業績評価指標）", "numeric_target": "数値目標"}


def _joined(series: list[Series], texts: list[str]) -> str:
    """「小：92.5％\n中：89.6％」, or one text when it is the same for every part."""
    if len(series) == 1 or len(set(texts)) == 1:
        return texts[0]
    return "\n".join(f"{s.label or s.id}：{t}" for s, t in zip(series, texts, strict=True) if t)


def target_cell(series: Series, year: int, style: Display, empty: str = "") -> Cell:
    """A target as printed, and in Excel the number with its unit (「275 件」 → 275, 「#,##0"件"」)."""
    entry = series.targets.get(year)
    return figure_cell(series, entry, entry_text(entry.parsed, series.unit, style) if entry is not None else empty)


def actual_cell(series: Series, year: int, style: Display) -> Cell:
    """An actual as printed (「5,357 人 (見込値)※」, 「2026 年９月頃把握予定」); a figure stays a number in Excel,
    its format printing the marks after the unit."""
    value = series.values.get(year)
    pending = value is not None and value.status is Status.PENDING
    entry = value.entry if value is not None and value.number is not None else None
    text = value_text(value, series.unit, style)
    return figure_cell(series, entry, text, value_marks(value), css="num pending" if pending else "num")


def _target_cell(ind: Indicator, year: int, style: Display) -> Cell:
    series = ind.series()
    if len(series) == 1:
        return target_cell(series[0], year, style)
    texts = [entry_text(e.parsed, s.unit, style) if (e := s.targets.get(year)) else "" for s in series]
    return Cell(_joined(series, texts), css="num")


def _actual_cell(ctx: Context, ind: Indicator, year: int) -> Cell:
    if year > ctx.year:
        return Cell(EMPTY_CELL, css="num")
    series = ind.series()
    if len(series) == 1:
        return actual_cell(series[0], year, ctx.rules.display)
    values = [s.values.get(year) for s in series]
    texts = [value_text(v, s.unit, ctx.rules.display) for s, v in zip(series, values, strict=True)]
    pending = any(v is not None and v.status is Status.PENDING for v in values)
    return Cell(_joined(series, texts), css="num pending" if pending else "num")


def value_marks(value: Value | None) -> str:
    """What a cell prints after an actual's number: 「 (見込値)」「 (概数)」 and its note's ※."""
    if value is None:
        return ""
    parsed = value.entry.parsed
    if parsed.provisional:
        return PROVISIONAL_MARKED if "※" in parsed.raw and not parsed.marks else PROVISIONAL
    said = ESTIMATE if value.status is Status.ESTIMATE or parsed.estimate else ""
    return said + "".join(parsed.marks)


def _rates(record: dict[str, Any]) -> list[dict[str, Any]]:
    return record["parts"] if record.get("parts") else [record]


def _rate_cell(ctx: Context, ind: Indicator, year: int) -> Cell:
    if not any(year in s.targets for s in ind.series()):
        return Cell("", css="num")
    record = ctx.indicator_in(year, ind.id)
    if record is None:
        return Cell(EMPTY_CELL, css="num")
    rates = _rates(record)
    if len(rates) == 1:
        return rate_cell(rates[0])
    return Cell(_joined(ind.series(), [rate_cell_text(r) for r in rates]), css="num")


def judgement_text(record: dict[str, Any], name: str | None = None) -> str:
    """「◎ 達成」: the ◎○△ judgement, or the named judgement *name* (rules.judgements)."""
    j = record.get("judgement") if name is None else record.get("judgements", {}).get(name)
    return f"{j['symbol']} {j['label']}" if j else ""


def kpi_table(ctx: Context, indicators: list[Indicator], caption: str) -> Table:
    kinds = {i.kind for i in indicators}
    name = KIND_HEADS.get(kinds.pop(), "指標") if len(kinds) == 1 else "指標"
    years = ctx.columns
    head = ((Cell(name, colspan=2), *(Cell(ctx.year_head(y), css="num") for y in years)),)
    judged = ctx.rules.judgement is not None
    named = [(j.name, j.title) for j in ctx.rules.judgements]
    body: list[tuple[Cell, ...]] = []
    for ind in indicators:
        name = marked_name(ind) + (f"\n【{ind.added_in}】" if ind.added_in else "")
        rows = 3 + judged + len(named)
        body.append(
            (Cell(name, rowspan=rows, css="name"), Cell("目標値", css="kind"), *(_target_cell(ind, y, ctx.rules.display) for y in years))
        )
        body.append((Cell("実績値", css="kind"), *(_actual_cell(ctx, ind, y) for y in years)))
        body.append((Cell("達成率", css="kind"), *(_rate_cell(ctx, ind, y) for y in years)))
        record = ctx.indicators[ind.id]
        for key, title in ([(None, "判定")] if judged else []) + named:
            body.append((Cell(title, css="kind"), *(Cell(judgement_text(record, key) if y == ctx.year else "", css="mark") for y in years)))
    widths = (26, 7, *(8 for _ in years))
    return Table(caption, head, tuple(body), css="kpi", widths=widths)


def footnotes(ctx: Context, indicators: list[Indicator]) -> list[str]:
    """The notes under a table, each once and as printed (「※2022・2023 単年度の実績値」).

    A value's note is tied to its ※ in the cell; a note whose value carries no mark names
    the indicator and the year instead.
    """
    notes: list[str] = []
    for ind in indicators:
        found = [clean_line(n) for n in ind.footnotes] + ([f"{ind.name}: {clean_line(ind.note)}"] if ind.note else [])
        for s in ind.series():
            for year, value in sorted(s.values.items()):
                if year > ctx.year or not value.note or value.status is Status.PENDING:
                    continue
                note = clean_line(value.note)
                marks = value.entry.parsed.marks
                if note.startswith("※"):
                    found.append(note)
                elif marks and marks[-1] != "※":
                    found.append(f"{marks[-1]} {note}")  # 「※2 …」
                elif "※" in value.entry.text:  # 「0 箇所※」「1.08（概数※）」
                    found.append(f"※{note}")
                else:
                    found.append(f"{ind.name}（{ctx.year_text(year)}の実績値）: {note}")
        notes.extend(n for n in found if n not in notes)
    return notes


def footnote_blocks(ctx: Context, indicators: list[Indicator]) -> list[Block]:
    return [Paragraph(n if n.startswith("※") else f"※ {n}", css="note") for n in footnotes(ctx, indicators)]


def trend_charts(ctx: Context, ind: Indicator, years: list[int] | None = None, css: str = "series") -> list[Chart]:
    """The charts a report draws: each series with a trend (two actuals or more), up to the report's year,
    never a near-empty chart of one bar. The report prints a chart's title as its caption, not in the drawing."""
    years = years or ctx.columns
    drawn = [s for s in ind.series() if sum(1 for p in charts.series_points(s, years, ctx.year) if p.actual is not None) >= 2]
    small = "kpi" in css.split()  # a row of three under the KPI table
    made = (charts.chart_of(ind, s, years, ctx.year, titled=False, small=small) for s in drawn)
    return [Chart(c.title, c.svg, c.words, css=css) for c in made if c is not None]


def explanations(ctx: Context, indicators: list[Indicator]) -> list[Block]:
    """The sentence behind each judgement, as the open data gives it."""
    out: list[Block] = []
    for ind in indicators:
        record = ctx.indicators[ind.id]
        sentences = [record.get("judgement_explanation")] + [
            f"{j['title']}: {j['explanation']}" for j in record.get("judgements", {}).values()
        ]
        for sentence in filter(None, sentences):
            out.append(Paragraph(f"{ind.name}: {sentence}", css="note"))
    return out
