"""The opening chapters: the plan's overview and the evaluation method in words.

The method is written from the rule set (hyoka.core.method), never by hand, and the
legend lists only the marks (〔累計〕《暦年》 …) that the plan actually uses.
"""

from __future__ import annotations

from collections import Counter

from ..core.method import describe_rules
from ..core.model import KINDS
from ..core.notation import AGGREGATION_WORDS, CALENDAR_WORDS
from .context import Context, year_label
from .document import Bullets, Cell, Heading, Paragraph, Section, Table
from .goals import tree


def overview_section(ctx: Context) -> Section:
    plan = ctx.plan
    section = Section("計画の概要", "overview", sheet="概要")
    org = plan.organization
    levels = Counter(n.level for n in plan.nodes)
    kinds = Counter(i.kind for i in plan.indicators)
    facts = [
        ("計画", plan.name),
        ("団体", f"{org.name}（{org.code}）" if org.code else org.name),
        ("計画期間", f"{plan.period_start}〜{plan.period_end} 年度"),
        ("評価の対象", year_label(ctx.year)),
        ("体系", " → ".join(f"{level}（{levels.get(level, 0)}）" for level in plan.levels)),
        ("指標", "、".join(f"{KINDS.get(k, k)} {n}" for k, n in kinds.items())),
        ("評価ルール", ctx.rules.name or "（名称なし）"),
    ]
    body = tuple((Cell(k, css="kind"), Cell(v)) for k, v in facts)
    section.add(Table("計画の概要", (), body, css="facts", widths=(20, 80)))
    if plan.description:
        section.add(Paragraph(plan.description, css="lead"))
    section.add(Heading("計画の体系図", 2))
    for root in plan.roots:
        whole = tree(ctx, root, ctx.tree_level)
        grade = ctx.grade_of(root)
        section.add(Paragraph(ctx.title(root) + (f"（{grade['label']}）" if grade else ""), css="label"), whole)
    return section


def method_section(ctx: Context) -> Section:
    section = Section("評価の方法", "method", sheet="評価の方法")
    formulas = {s.effective_formula for i in ctx.plan.indicators for s in i.series()}
    method = describe_rules(ctx.rules, formulas)
    if ctx.rules.name:
        section.add(Paragraph(f"評価ルール: {ctx.rules.name}", css="label"))
    if ctx.rules.description:
        section.add(Paragraph(ctx.rules.description))
    if ctx.rules.source:
        section.add(Paragraph(f"基準の出典: {ctx.rules.source}", css="note"))
    section.add(Heading("達成率", 2), Bullets(method.rate))
    for table in method.tables:
        section.add(Heading(table.title, 2))
        body = tuple((Cell(f"{row.symbol} {row.label}".strip(), css="name"), Cell(row.condition)) for row in table.rows)
        section.add(Table(table.title, ((Cell(table.head[0]), Cell(table.head[1])),), body, css="criteria", widths=(30, 70)))
        section.add(Bullets(table.notes))
    section.add(Heading("表の見方", 2), Bullets(tuple(_legend(ctx))))
    return section


def _legend(ctx: Context) -> list[str]:
    used = {i.aggregation for i in ctx.plan.indicators}
    lines = [f"〔{a}〕: {words}" for a, words in AGGREGATION_WORDS.items() if a in used and a != "単年度"]
    if any(i.period_basis == "calendar" for i in ctx.plan.indicators):
        lines.append(CALENDAR_WORDS)
    lines += [
        "実績値の欄の「○年○月頃把握予定」は、その時期に把握する予定の値です。",
        "(見込値) は確定前の見込みの値で、達成率は暫定です。",
        "「―」は、実績値がまだない年度、または達成率を算出しないことを示します。",
    ]
    return lines
