"""The opening parts: the plan's structure, the evaluation method in words and the 凡例.

The method is written from the rule set (hyoka.core.method), never by hand, and the
legend lists only the marks (〔累計〕《暦年》 …) that the plan actually uses.
"""

from __future__ import annotations

from collections import Counter

from ..core.method import describe_rules
from ..core.model import KINDS
from ..core.notation import AGGREGATION_WORDS, CALENDAR_WORDS
from .chapters import chapter_blocks, council_name, place_blocks
from .context import Context
from .document import Block, Bullets, Cell, Heading, Paragraph, Table
from .goals import tree


def _under_chapter(ctx: Context, place: str, title: str, anchor: str) -> list[Block]:
    """The chapters of *place*, or a heading of the layout's own when the plan wrote none."""
    written = place_blocks(ctx, place)
    return written or [Heading(title, 2, anchor=anchor)]


def _facts(ctx: Context) -> Table:
    plan = ctx.plan
    org = plan.organization
    levels = Counter(n.level for n in plan.nodes)
    kinds = Counter(i.kind for i in plan.indicators)
    facts = [
        ("計画", plan.name),
        ("団体", f"{org.name}（{org.code}）" if org.code else org.name),
        ("計画期間", f"{ctx.year_text(plan.period_start)}〜{ctx.year_text(plan.period_end)}"),
        ("評価の対象", ctx.year_text(ctx.year)),
        ("体系", " → ".join(f"{level}（{levels.get(level, 0)}）" for level in plan.levels)),
        ("指標", "、".join(f"{KINDS.get(k, k)} {n}" for k, n in kinds.items())),
        ("評価ルール", ctx.rules.name or "（名称なし）"),
    ]
    body = tuple((Cell(k, css="kind"), Cell(v)) for k, v in facts)
    return Table("計画の概要", (), body, css="facts", widths=(20, 80))


def _columns(ctx: Context) -> Table:
    """Seed 001's 構成: one column per top-level node, its children numbered below it."""
    roots = [r for r in ctx.plan.roots if r.status != "abolished"]
    lists = [[f"{c.number} {c.name}".strip() for c in ctx.plan.children.get(r.id, [])] for r in roots]
    head = (tuple(Cell(r.name) for r in roots),)
    body = tuple(tuple(Cell(items[i] if i < len(items) else "") for items in lists) for i in range(max(map(len, lists), default=0)))
    return Table(f"{ctx.plan.name}の構成", head, body, css="columns", widths=tuple(1 for _ in roots))


def structure_blocks(ctx: Context) -> list[Block]:
    """The plan as a whole (全体像): its facts and 体系図, or seed 001's table of 施策分野 per side."""
    blocks = _under_chapter(ctx, "structure", "計画の全体像", "structure")
    if ctx.spec.layout == "inspection":
        return [*blocks, _columns(ctx)]
    blocks.append(_facts(ctx))
    if ctx.plan.description:
        blocks.append(Paragraph(ctx.plan.description, css="lead"))
    for root in ctx.plan.roots:
        grade = ctx.grade_of(root)
        blocks += [Paragraph(ctx.title(root) + (f"（{grade['label']}）" if grade else ""), css="label"), tree(ctx, root, ctx.tree_level)]
    return blocks


def criteria_blocks(ctx: Context, level: int) -> list[Block]:
    """The tables of 区分 and 判断基準 of the rule set."""
    method = describe_rules(ctx.rules, _formulas(ctx))
    blocks: list[Block] = []
    for table in method.tables:
        body = tuple((Cell(f"{row.symbol} {row.label}".strip(), css="name"), Cell(row.condition)) for row in table.rows)
        blocks += [
            Heading(table.title, level),
            Table(table.title, ((Cell(table.head[0]), Cell(table.head[1])),), body, css="criteria", widths=(30, 70)),
            Bullets(table.notes),
        ]
    return blocks


def _formulas(ctx: Context) -> set[str]:
    return {s.effective_formula for i in ctx.plan.indicators for s in i.series()}


def method_blocks(ctx: Context) -> list[Block]:
    """The plan's chapters on its method, then how hyoka computes: the rate, and the criteria unless the 凡例 shows them."""
    blocks = place_blocks(ctx, "method")
    if ctx.spec.layout == "inspection":
        return blocks  # seed 001 states its criteria with the counts (summary)
    method = describe_rules(ctx.rules, _formulas(ctx))
    blocks.append(Heading("達成率の算出方法", 2, anchor="method"))
    if ctx.rules.name:
        blocks.append(Paragraph(f"評価ルール: {ctx.rules.name}", css="label"))
    if ctx.rules.description:
        blocks.append(Paragraph(ctx.rules.description))
    if ctx.rules.source:
        blocks.append(Paragraph(f"基準の出典: {ctx.rules.source}", css="note"))
    blocks.append(Bullets(method.rate))
    if "legend" not in ctx.spec.printed_parts:
        blocks += criteria_blocks(ctx, 3)
    return blocks


def legend_blocks(ctx: Context) -> list[Block]:
    """Seed 000's 凡例: what each part of a goal's pages shows, the marks, and the criteria of the status."""
    levels = ctx.plan.levels
    top = levels[0] if levels else "基本目標"
    unit = ctx.unit_level or "小柱"
    finals = sorted({i.final_target_year for i in ctx.plan.indicators if i.kind == "numeric_target" and i.final_target_year})
    final = "・".join(ctx.year_text(y) for y in finals) or "計画の最終年度"
    pages = [
        f"ねらい: {top}の「ねらい」を記載しています。",
        f"二次評価: {top}ごとに示された、{council_name(ctx)}による評価及び意見を記載しています。",
        f"体系図: {top}の「体系図」を記載しています。",
        f"数値目標: {top}ごとに設定した数値目標（{final}）と {ctx.year_text(ctx.year)}の実績値を記載しています。",
        f"取組結果: {ctx.year_text(ctx.year)}に実施した主な取組について、取組結果と今後の取組に向けた課題と方向性を記載しています。",
        f"ＫＰＩ: {unit}ごとに設定しているＫＰＩと達成状況を記載しています。数値が未把握の場合は把握時期を記載しています。",
        f"進捗状況: {unit}のＫＰＩの進捗状況を分かりやすく示すため、ＫＰＩ達成率を基にした進捗状況を区分で記載しています。",
    ]
    return [
        Heading("凡例", 2, anchor="legend"),
        Bullets(tuple(pages), title=f"{top}のページ"),
        Heading("数値目標とＫＰＩの表示", 3),
        Bullets(tuple(marks(ctx))),
        *criteria_blocks(ctx, 3),
    ]


def marks(ctx: Context) -> list[str]:
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


def opening_blocks(ctx: Context) -> list[Block]:
    return place_blocks(ctx, "opening")


def outlook_blocks(ctx: Context) -> list[Block]:
    return [b for c in ctx.spec.chapters_at("outlook") if c.paragraphs(ctx.year) for b in chapter_blocks(ctx, c)]
