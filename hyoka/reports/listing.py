"""The list of every indicator with its figures and judgement (seed 001's 別紙).

For an indicator judged in the worst band (△ 未達成) the list prints why: the reason the
department gave with the value (未達成の理由), or else the node's 課題と方向性 texts of
the year, where plans without that field explain a shortfall.
"""

from __future__ import annotations

from ..core.model import Indicator, Node
from ..core.notation import value_text
from ..core.text import clean_line
from .context import Context, rate_cell
from .document import Cell, Section, Table
from .kpi import judgement_text


def _shortfall(ctx: Context, ind: Indicator) -> str:
    rule = ctx.rules.judgement
    judgement = ctx.indicators[ind.id].get("judgement")
    if rule is None or judgement is None or judgement["symbol"] != rule.bands[-1].symbol:
        return ""
    given = [v.shortfall for s in ind.series() if (v := s.values.get(ctx.year)) is not None and v.shortfall]
    if given:
        return "\n".join(clean_line(t) for t in given)
    texts = ctx.plan.node_by_id[ind.node].texts.get(ctx.year)
    return "\n".join(clean_line(t) for t in texts.issues) if texts else ""


def _figures(ctx: Context, ind: Indicator) -> list[tuple[str, list[Cell]]]:
    """Name, target, actual and rate of each series: a part gets a row of its own."""
    record = ctx.indicators[ind.id]
    records = record["parts"] if record.get("parts") else [record]
    out = []
    for series, r in zip(ind.series(), records, strict=True):
        name = ind.name if series is ind else f"{ind.name}（{series.label or series.id}）"
        reference = r.get("reference") or {}
        target = reference.get("target") if reference.get("kind", "same_year") != "same_year" else r.get("target")
        data_year = r.get("data_year") or ctx.year
        actual = value_text(series.values.get(data_year), series.unit, ctx.rules.display)
        actual += f"（{data_year} 年度）" if data_year != ctx.year else ""
        cells = [Cell(target or "―", css="num"), Cell(actual, css="num"), rate_cell(r)]
        out.append((name, cells))
    return out


def listing_section(ctx: Context) -> Section:
    section = Section("指標一覧", "indicators", sheet="指標一覧")
    judged = ctx.rules.judgement is not None
    unit = ctx.unit_level
    graded = unit is not None and ctx.rules.grade_rule_for(unit) is not None
    head = [Cell("番号"), Cell("施策・事業" if judged else "区分"), Cell("指標"), Cell(f"{ctx.year} 目標値", css="num")]
    head += [Cell(f"{ctx.year} 実績値", css="num"), Cell("達成率", css="num")]
    named = [(j.name, j.title) for j in ctx.rules.judgements]
    head += [Cell(title) for _name, title in named]
    if judged:
        head += [Cell("判定"), Cell("未達成の理由と今後の方向性")]
    if graded:
        head.append(Cell(f"{unit}の評価"))
    body: list[tuple[Cell, ...]] = []
    for root in ctx.plan.roots:
        indicators = [i for n in [root, *ctx.plan.descendants(root.id)] for i in ctx.plan.indicators_of.get(n.id, [])]
        if indicators:
            body.append((Cell(ctx.title(root), colspan=len(head), css="group"),))
        for ind in indicators:
            body.extend(_rows(ctx, ind, judged, unit if graded else None))
    widths = (5, 14, 22, 9, 9, 7) + tuple(9 for _ in named) + ((9, 25) if judged else ()) + ((12,) if graded else ())
    section.add(Table(f"指標一覧（{ctx.year} 年度）", (tuple(head),), tuple(body), css="list", widths=widths))
    return section


def number_path(ctx: Context, node: Node) -> str:
    """「（1）①」: the numbers from below the top-level node down to *node*, without repeats (「1」「1-1」 → 「1-1」)."""
    chain = [*ctx.plan.ancestors(node.id)[1:], node]
    numbers = [n.number for n in chain if n.number]
    return "".join(n for i, n in enumerate(numbers) if i + 1 == len(numbers) or not numbers[i + 1].startswith(n))


def _rows(ctx: Context, ind: Indicator, judged: bool, graded_level: str | None) -> list[tuple[Cell, ...]]:
    """An indicator's rows of the list: one per part, the shared cells spanning them."""
    node = ctx.plan.node_by_id[ind.node]
    record = ctx.indicators[ind.id]
    figures = _figures(ctx, ind)
    span = len(figures)
    row = [Cell(number_path(ctx, node), rowspan=span), Cell(node.name, rowspan=span)]
    tail = [Cell(judgement_text(record, j.name), rowspan=span, css="mark") for j in ctx.rules.judgements]
    if judged:
        tail += [Cell(judgement_text(record), rowspan=span, css="mark"), Cell(_shortfall(ctx, ind), rowspan=span, css="text")]
    if graded_level is not None:
        owner = next((n for n in [node, *ctx.plan.ancestors(node.id)[::-1]] if n.level == graded_level), None)
        grade = ctx.grade_of(owner) if owner is not None else None
        tail.append(Cell(grade["label"] if grade else "", rowspan=span))
    return [
        tuple([*(row if i == 0 else []), Cell(name, css="name"), *cells, *(tail if i == 0 else [])])
        for i, (name, cells) in enumerate(figures)
    ]
