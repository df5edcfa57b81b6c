"""The KPI table of seed 000 and the chart of each indicator's series.

Years are columns; each indicator has a 目標値, a 実績値 and a 達成率 row (and a 判定
row when the rule set judges). A pending value shows when it will be known, an
estimate is marked (見込値), later years show ―, and an indicator with parts
(小/中, 男性/女性) shows each part on its own line of the cell.
"""

from __future__ import annotations

from typing import Any

from ..core.display import entry_text
from ..core.model import Indicator, Series, Status
from ..core.notation import EMPTY_CELL, marked_name, value_text
from ..core.rules import Display
from ..core.text import clean_line
from . import charts
from .context import Context, entry_number, number_format, rate_cell, rate_cell_text
from .document import Block, Cell, Chart, Paragraph, Table

KIND_HEADS = {"kpi": "ＫＰＩ（重要業績評価指標）", "numeric_target": "数値目標"}


def _joined(series: list[Series], texts: list[str]) -> str:
    if len(series) == 1:
        return texts[0]
    return "\n".join(f"{s.label or s.id}：{t}" for s, t in zip(series, texts, strict=True) if t)


def _target_cell(ind: Indicator, year: int, style: Display) -> Cell:
    series = ind.series()
    entries = [s.targets.get(year) for s in series]
    if all(e is None for e in entries):
        return Cell("", css="num")
    texts = [entry_text(e.parsed, s.unit, style) if e is not None else "" for s, e in zip(series, entries, strict=True)]
    number = entry_number(series[0], entries[0]) if len(series) == 1 else None
    if number is None:
        return Cell(_joined(series, texts), css="num")
    return Cell(_joined(series, texts), number, number_format(number, series[0].unit), css="num")


def _actual_cell(ctx: Context, ind: Indicator, year: int) -> Cell:
    if year > ctx.year:
        return Cell(EMPTY_CELL, css="num")
    series = ind.series()
    values = [s.values.get(year) for s in series]
    texts = [value_text(v, s.unit, ctx.rules.display) for s, v in zip(series, values, strict=True)]
    pending = any(v is not None and v.status is Status.PENDING for v in values)
    css = "num pending" if pending else "num"
    number = None
    if len(series) == 1 and values[0] is not None and values[0].number is not None:
        number = entry_number(series[0], values[0].entry)
    if number is None:
        return Cell(_joined(series, texts), css=css)
    # an estimate stays a number in Excel; its format prints the mark after the unit
    unit = series[0].unit + (" (見込値)" if values[0] is not None and values[0].status is Status.ESTIMATE else "")
    return Cell(_joined(series, texts), number, number_format(number, unit), css=css)


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
    head = ((Cell(name, colspan=2), *(Cell(str(y), css="num") for y in years)),)
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
    """The notes under a KPI table: the indicator's footnotes and the notes of shown values."""
    notes: list[str] = []
    for ind in indicators:
        found = list(ind.footnotes) + ([ind.note] if ind.note else [])
        for s in ind.series():
            for year, value in sorted(s.values.items()):
                if year <= ctx.year and value.note and value.status is not Status.PENDING:
                    found.append(f"{year} 年度の実績値: {clean_line(value.note)}")
        for note in found:
            line = f"{ind.name}: {clean_line(note)}"
            if line not in notes:
                notes.append(line)
    return notes


def series_charts(
    ctx: Context, ind: Indicator, years: list[int] | None = None, css: str = "series", words: charts.ChartWords = charts.JAPANESE_WORDS
) -> list[Chart]:
    """One chart per series that has a number to draw (a part gets its own chart), up to the report's year."""
    drawn = charts.indicator_charts(ind, years or ctx.columns, ctx.year, words)
    return [Chart(c.title, c.svg, c.words, css=css) for c in drawn]


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
