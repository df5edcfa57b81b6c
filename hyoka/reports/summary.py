"""The summary chapter: seed 001's table of counts and shares, per top-level node and overall.

Counts and shares are read from the evaluation's summary (the open data), so the
83.4 % of ◎+○ is the one computed from the counts, never a sum of rounded shares.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from ..core.method import describe_rules
from ..core.model import Node
from ..core.rules import Band
from . import charts
from .chapters import paragraph
from .context import NO_RATE_WORDS, Context, number_format, pct_text
from .document import Block, Cell, Chart, Heading, Paragraph, Table


def _count(n: int) -> Cell:
    return Cell(str(n), Decimal(n), "0", css="num")


def _share(value: str | None) -> Cell:
    if value is None:
        return Cell("―", css="num")
    number = Decimal(value)
    return Cell(pct_text(value), number, number_format(number, "%"), css="num")


def short_name(node: Node) -> str:
    """A top-level node as a row header: its name when short (くらしのデジタル化), else its number."""
    return node.name if len(node.name) <= 12 or not node.number else node.number


def _rows(ctx: Context, block: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    names = {n.id: short_name(n) for n in ctx.plan.roots}
    return [*((names.get(k, k), v) for k, v in block["by_node"].items()), ("合計", block["overall"])]


def _widths(columns: int) -> tuple[int, ...]:
    return (3, *(1 for _ in range(columns - 1)))


def judgement_table(ctx: Context) -> Table | None:
    """Seed 001's table: counts and shares of each judgement, per top-level node and overall."""
    rule = ctx.rules.judgement
    block = ctx.doc["summary"].get("judgements")
    if rule is None or block is None:
        return None
    bands = list(rule.bands)
    better = bands[:-1] or bands
    seed_001 = ctx.spec.layout == "inspection"
    counted, shared = (f"{judged_word(ctx)}数", "達成率") if seed_001 else ("件数", "割合")
    head = (
        (Cell("区分", rowspan=2), Cell(counted, colspan=len(bands) + 2, css="num"), Cell(shared, colspan=len(better) + 1, css="num")),
        (
            *(Cell(b.label, css="num") for b in bands),
            Cell("計", css="num"),
            Cell(f"({rule.pending.label})", css="num"),
            *(Cell(b.label, css="num") for b in better),
            Cell("計", css="num"),
        ),
    )
    body = []
    for name, c in _rows(ctx, block):
        body.append(
            (
                Cell(name, css="name"),
                *(_count(c["counts"][b.symbol]) for b in bands),
                _count(c["checked"]),
                Cell(f"({c['pending']})", Decimal(c["pending"]), "(0)", css="num"),
                *(_share(c["shares"][b.symbol]) for b in better),
                _share(c["at_least"][better[-1].symbol]),
            )
        )
    return Table("指標の判定の集計（件数と割合）", head, tuple(body), css="summary", widths=_widths(len(body[0])))


def judged_word(ctx: Context) -> str:
    """What a judgement counts, in seed 001's words: the level of the nodes that hold the indicators (施策)."""
    held = Counter(ctx.plan.node_by_id[i.node].level for i in ctx.plan.indicators)
    return held.most_common(1)[0][0] if held else "指標"


def judgement_blocks(ctx: Context) -> list[Block]:
    rule = ctx.rules.judgement
    table = judgement_table(ctx)
    if rule is None or table is None:
        return []
    bands = list(rule.bands)
    better = bands[:-1] or bands
    overall = ctx.doc["summary"]["judgements"]["overall"]
    said = "、".join(f"{overall['counts'][b.symbol]} 件（{pct_text(overall['shares'][b.symbol])}）が「{b.label}」" for b in bands)
    text = f"判定した {overall['checked']} 件のうち、{said}です。"
    if len(better) > 1:
        names = "」と「".join(b.label for b in better)
        together = sum(overall["counts"][b.symbol] for b in better)
        text += f"「{names}」を合わせると {together} 件（{pct_text(overall['at_least'][better[-1].symbol])}）です。"
    text += f"このほか「{rule.pending.label}」が {overall['pending']} 件、「{rule.none.label}」が {overall['none']} 件あります。"
    rows = [(f"{b.symbol} {b.label}", overall["counts"][b.symbol], pct_text(overall["shares"][b.symbol])) for b in bands]
    rows += [
        (f"{rule.pending.symbol} {rule.pending.label}", overall["pending"], ""),
        (f"{rule.none.symbol} {rule.none.label}", overall["none"], ""),
    ]
    chart = charts.distribution_chart("chart-judgements", "指標の判定の分布（全体）", rows)
    return [
        Heading("指標の判定の集計", 3),
        Paragraph(text, css="lead"),
        table,
        Chart("指標の判定の分布（全体）", chart, charts.distribution_words("指標の判定の分布（全体）", rows), css="distribution"),
    ]


def grade_blocks(ctx: Context, with_plan: bool = True) -> list[Block]:
    blocks: list[Block] = []
    for number, (level, block) in enumerate(ctx.doc["summary"]["grades"].items()):
        rule = ctx.rules.grade_rule_for(level)
        labels = [b.label for b in rule.bands]
        head = (
            (Cell("区分", rowspan=2), Cell("件数", colspan=len(labels) + 2, css="num"), Cell("割合", colspan=len(labels), css="num")),
            (*(Cell(x, css="num") for x in [*labels, rule.no_data, "計"]), *(Cell(x, css="num") for x in labels)),
        )
        body = []
        for name, c in _rows(ctx, block):
            total = sum(c["counts"].values())
            body.append(
                (
                    Cell(name, css="name"),
                    *(_count(c["counts"][x]) for x in [*labels, rule.no_data]),
                    _count(total),
                    *(_share(c["shares"][x]) for x in labels),
                )
            )
        overall = block["overall"]
        said = "、".join(f"「{x}」{overall['counts'][x]} 件" for x in [*labels, rule.no_data])
        text = f"{level}（{sum(overall['counts'].values())} 件）の評価は、{said}です。"
        rows = [
            (x, overall["counts"][x], pct_text(overall["shares"].get(x)) if x in overall["shares"] else "") for x in [*labels, rule.no_data]
        ]
        chart = charts.distribution_chart(f"chart-grades-{number}", f"{level}の評価の分布", rows)
        blocks += [
            Heading(f"{level}の評価の集計", 3),
            Paragraph(text, css="lead"),
            Table(f"{level}の評価の集計（件数と割合）", head, tuple(body), css="summary", widths=_widths(len(body[0]))),
            Chart(f"{level}の評価の分布", chart, charts.distribution_words(f"{level}の評価の分布", rows), css="distribution"),
        ]
    plan_grade = ctx.doc.get("plan_grade")
    if plan_grade and with_plan:
        blocks += [
            Heading("計画全体の評価", 3),
            Paragraph(plan_grade["label"], css="status"),
            Paragraph(plan_grade["explanation"], css="note"),
        ]
    return blocks


def rate_blocks(ctx: Context) -> list[Block]:
    rates = ctx.doc["summary"]["rates"]
    reasons = sorted({r for v in rates.values() for r in v["without_rate"]}, key=list(NO_RATE_WORDS).index)
    head = ((Cell("区分"), Cell("達成率あり", css="num"), *(Cell(NO_RATE_WORDS[r], css="num") for r in reasons)),)
    names = {n.id: short_name(n) for n in ctx.plan.roots}
    keys = [k for k in rates if k != "overall"] + ["overall"]
    body = tuple(
        (
            Cell("合計" if k == "overall" else names.get(k, k), css="name"),
            _count(rates[k]["with_rate"]),
            *(_count(rates[k]["without_rate"].get(r, 0)) for r in reasons),
        )
        for k in keys
    )
    table = Table("達成率を算出した指標（区分を含む）の数と、算出しない理由", head, body, css="summary", widths=_widths(len(head[0])))
    return [Heading("達成率の算出状況", 3), table]


def inspection_blocks(ctx: Context) -> list[Block]:
    """Seed 001's (1) 全体: the plan's own statement of the year, the criteria and the counts in words, the table."""
    rule = ctx.rules.judgement
    chapters = [c for c in ctx.spec.chapters_at("summary") if c.paragraphs(ctx.year)]
    blocks: list[Block] = [Heading(chapters[0].title if chapters else "全体", 2, anchor="summary")]
    blocks += [paragraph(p) for c in chapters for p in c.paragraphs(ctx.year)]
    table = judgement_table(ctx)
    if rule is None or table is None:
        return [*blocks, *grade_blocks(ctx)]
    criteria = {row.label: row.condition for t in describe_rules(ctx.rules).tables for row in t.rows}
    bands = list(rule.bands)
    better = bands[:-1] or bands
    said = "、".join(f"{criteria[b.label]}を「{b.label}」" for b in bands)
    blocks.append(Paragraph(f"○ {ctx.year_text(ctx.year)}の判定は、{said}としています。"))
    word = judged_word(ctx)
    block = ctx.doc["summary"]["judgements"]

    def counted(c: dict[str, Any], band: Band) -> str:
        return f"{c['counts'][band.symbol]}{word}（{pct_text(c['shares'][band.symbol])}）が「{band.label}」"

    overall = block["overall"]
    text = f"○ この基準に基づき点検したところ、{'、'.join(counted(overall, b) for b in better)}となりました。"
    if len(better) > 1:
        together = sum(overall["counts"][b.symbol] for b in better)
        names = "」と「".join(b.label for b in better)
        text += f"「{names}」を合わせると {together}{word}（{pct_text(overall['at_least'][better[-1].symbol])}）となります。"
    blocks.append(Paragraph(text))
    names = {n.id: n.name for n in ctx.plan.roots}
    parts = [
        f"「{names.get(k, k)}」では {c['checked']}{word}中、{'、'.join(counted(c, b) for b in better)}" for k, c in block["by_node"].items()
    ]
    if len(parts) > 1:
        blocks.append(Paragraph(f"○ {'、'.join(parts)}となりました。"))
    blocks.append(table)
    if "indicators" in ctx.spec.printed_parts:
        blocks.append(Paragraph(f"※ 内訳は別紙「{appendix_title(ctx)}」のとおり", css="note"))
    return blocks


def appendix_title(ctx: Context) -> str:
    return f"{judged_word(ctx)}別成果指標達成状況一覧（{ctx.year_text(ctx.year)}）"


def verification_blocks(ctx: Context) -> list[Block]:
    """A city's 効果検証: the mean of each top-level node and of the plan, with their grades."""
    blocks: list[Block] = [Heading("評価結果の概要", 2, anchor="summary")]
    roots = [n for n in ctx.plan.roots if n.status != "abolished"]
    head = ((Cell("区分"), Cell("平均", css="num"), Cell("評価")),)
    body = [(Cell(ctx.title(n), css="name"), mean_cell(ctx.nodes[n.id]), Cell(ctx.nodes[n.id].get("label") or "")) for n in roots]
    plan_grade = ctx.doc.get("plan_grade")
    if plan_grade:
        body.append((Cell("計画全体", css="name"), mean_cell(plan_grade), Cell(plan_grade["label"])))
    level = roots[0].level if roots else "区分"
    blocks.append(Table(f"{level}ごとの評価", head, tuple(body), css="summary", widths=(60, 15, 25)))
    if plan_grade:
        blocks += [Paragraph(plan_grade["label"], css="status"), Paragraph(plan_grade["explanation"], css="note")]
    return blocks + grade_blocks(ctx, with_plan=False)


def mean_cell(record: dict[str, Any]) -> Cell:
    """A grade's mean as printed (「83.8％」), a number in Excel."""
    mean = record.get("mean")
    if mean is None:
        return Cell("―", css="num")
    number = Decimal(mean)
    return Cell(pct_text(mean), number, number_format(number, "%"), css="num")


def summary_blocks(ctx: Context) -> list[Block]:
    if ctx.spec.layout == "inspection":
        return inspection_blocks(ctx)
    if ctx.spec.layout == "verification":
        return verification_blocks(ctx)
    return [Heading("評価結果の概要", 2, anchor="summary"), *judgement_blocks(ctx), *grade_blocks(ctx), *rate_blocks(ctx)]
