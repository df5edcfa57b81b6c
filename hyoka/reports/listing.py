"""The list of every indicator with its figures and judgement (seed 001's 別紙).

For an indicator judged in the worst band (△ 未達成) the list prints why: the reason the
department gave with the value (未達成の理由), or else the node's 課題と方向性 texts of
the year, where plans without that field explain a shortfall.
"""

from __future__ import annotations

from dataclasses import replace

from ..core.display import entry_text
from ..core.model import Indicator, Node, Status, Value
from ..core.notation import value_text
from ..core.rules import Display
from ..core.text import clean_line
from .context import Context, rate_cell
from .document import Cell, Paragraph, Section, Table
from .kpi import actual_cell, judgement_text, target_cell
from .summary import judged_word


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
        style = ctx.rules.display
        if reference.get("kind", "same_year") != "same_year":  # the target the rules compare with (rules.measures)
            target = Cell(reference.get("target") or "―", css="num")
        else:
            target = target_cell(series, ctx.year, style, empty="―")
        data_year = r.get("data_year") or ctx.year
        actual = actual_cell(series, data_year, style)
        if data_year != ctx.year:  # the newest figure the rules look back to, with its year
            when = f"（{data_year} 年度）"
            actual = replace(
                actual, text=actual.text + when, number_format=actual.number_format + f'"{when}"' if actual.number_format else ""
            )
        cells = [target, actual, rate_cell(r)]
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


def _lines(ind: Indicator, texts: list[str]) -> str:
    """Seed 001 prints the parts of a measure in one cell, each after its label: 「①90%\n②3,700件」."""
    if not ind.parts:
        return texts[0]
    return "\n".join(f"{s.label}{t}" for s, t in zip(ind.parts, texts, strict=True) if t)


PENDING_MARK = "※"  # seed 001 marks a pending actual so, with when it will be known in the last column


def _shown(value: Value | None, unit: str, style: Display) -> str:
    return PENDING_MARK if value is not None and value.status is Status.PENDING else value_text(value, unit, style)


def _reason(ctx: Context, ind: Indicator) -> str:
    """未達成の理由及び今後の見込み等: the department's explanation of a shortfall, or when a pending value will be known."""
    shortfall = _shortfall(ctx, ind)
    if shortfall:
        return shortfall
    notes = [clean_line(v.note) for s in ind.series() if (v := s.values.get(ctx.year)) is not None and v.note]
    return "\n".join(dict.fromkeys(notes))


def _appendix_row(ctx: Context, node: Node, ind: Indicator | None) -> tuple[Cell, ...]:
    departments = "、".join(ctx.departments(node))
    head = (Cell(node.number), Cell(node.name, css="name"), Cell(departments))
    if ind is None:  # a measure without an indicator: abolished (「（施策見直しにより廃止）」)
        return (*head, Cell(node.note), Cell(""), Cell(""), Cell(""), Cell(""))
    series = ind.series()
    name = ind.name
    style = ctx.rules.display
    if ind.parts:
        targets = [entry_text(e.parsed, s.unit, style) if (e := s.targets.get(ctx.year)) else "―" for s in series]
        target = Cell(_lines(ind, targets), css="num")
        actual = Cell(_lines(ind, [_shown(s.values.get(ctx.year), s.unit, style) for s in series]), css="num")
    elif _shown(ind.values.get(ctx.year), ind.unit, style) == PENDING_MARK:
        target, actual = target_cell(ind, ctx.year, style, empty="―"), Cell(PENDING_MARK, css="num")
    else:
        target, actual = target_cell(ind, ctx.year, style, empty="―"), actual_cell(ind, ctx.year, style)
    judgement = ctx.indicators[ind.id].get("judgement")
    mark = judgement["symbol"] if judgement else ""
    return (*head, Cell(name), target, actual, Cell(mark, css="mark"), Cell(_reason(ctx, ind), css="text"))


def appendix_section(ctx: Context, title: str) -> Section:
    """Seed 001's 別紙: one row per measure with its とりまとめ局, indicator, 目標, 実績, 評価 and the reason for a shortfall."""
    section = Section(f"別紙 {title}", "indicators", sheet="別紙")
    rule = ctx.rules.judgement
    if rule is not None:
        marks = [
            *(f"{b.symbol}{b.label}" for b in rule.bands),
            f"{rule.pending.symbol}{rule.pending.label}",
            f"{rule.none.symbol}{rule.none.label}",
        ]
        section.add(Paragraph(f"【「評価」欄の凡例】{'　'.join(marks)}", css="note"))
    head = ("番号", f"{judged_word(ctx)}名", "とりまとめ局", "成果指標", "目標", "実績", "評価", "未達成の理由及び今後の見込み等")
    columns = len(head)
    body: list[tuple[Cell, ...]] = []
    for root in ctx.plan.roots:
        body.append((Cell(root.name, colspan=columns, css="group"),))
        for area in ctx.plan.children.get(root.id, []):
            rows = []
            for node in ctx.plan.descendants(area.id):
                held = ctx.plan.indicators_of.get(node.id, [])
                rows += [_appendix_row(ctx, node, ind) for ind in held] or ([_appendix_row(ctx, node, None)] if node.note else [])
            if rows:
                body += [(Cell(area.name, colspan=columns, css="group"),), *rows]
    widths = (6, 16, 10, 18, 10, 10, 5, 25)
    section.add(Table(title, (tuple(Cell(h) for h in head),), tuple(body), css="list appendix", widths=widths))
    return section
