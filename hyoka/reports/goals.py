"""The chapter of each top-level node (基本目標, 重点戦略, 視点): seed 000's pages.

ねらい, the 体系図, the council's 二次評価 (a frame until written), the 数値目標 with
charts of their series, then one block per graded node (小柱) with the initiatives'
texts, the KPI table and the status. The levels come from the plan, so any hierarchy
gets the same layout; a plan may start each graded node on a page of its own.
"""

from __future__ import annotations

from ..core.display import entry_text
from ..core.model import Indicator, Node
from ..core.notation import marked_name, value_text
from .chapters import council_name
from .context import Context, figure_cell, rate_cell
from .document import Block, Box, Bullets, Cell, Heading, Paragraph, Section, Table, Tree, TreeItem
from .kpi import actual_cell, explanations, footnote_blocks, kpi_table, trend_charts


def tree(ctx: Context, root: Node, stop_level: str | None) -> Tree:
    """The nodes under *root* down to *stop_level* (included), each with its grade."""
    items = []
    base = ctx.depth(root)
    stop = ctx.plan.levels.index(stop_level) if stop_level in ctx.plan.levels else len(ctx.plan.levels)
    for node in ctx.plan.descendants(root.id):
        if ctx.depth(node) > stop:
            continue
        grade = ctx.grade_of(node)
        items.append(TreeItem(ctx.depth(node) - base - 1, ctx.title(node), grade["label"] if grade else ""))
    return Tree(tuple(items), title="体系図")


def _per_series(ind: Indicator, texts: list[str]) -> str:
    """One line per part (「男性：82.26 年」), or one text when it is the same for every part (「2026 年７月頃把握予定」)."""
    if not ind.parts or len(set(texts)) == 1:
        return texts[0]
    return "\n".join(f"{s.label or s.id}：{t}" for s, t in zip(ind.parts, texts, strict=True) if t)


def final_year(ctx: Context, ind: Indicator) -> int:
    return ind.final_target_year or max((y for s in ind.series() for y in s.targets), default=ctx.plan.period_end)


def numeric_targets(ctx: Context, indicators: list[Indicator]) -> list[Block]:
    """Seed 000's 数値目標: the year's actual beside the final target (「50％削減（2030 年度）」), the notes once, the charts."""
    year = ctx.year
    rated = any(ctx.indicators[i.id].get("rate") is not None for i in indicators)
    based = any(s.baseline is not None for i in indicators for s in i.series())
    head = [Cell("数値目標"), *([Cell("基準値", css="num")] if based else [])]
    head += [Cell(f"{ctx.year_text(year)} 実績値", css="num"), Cell("目標値", css="num")]
    if rated:
        head.append(Cell(f"{ctx.year_text(year)} 達成率", css="num"))
    body = []
    for ind in indicators:
        series = ind.series()
        final = final_year(ctx, ind)
        style = ctx.rules.display
        target = _per_series(ind, [entry_text(s.targets[final].parsed, s.unit, style) if final in s.targets else "" for s in series])
        row = [Cell(marked_name(ind), css="name")]
        if based:
            baselines = [s.baseline for s in series]
            texts = [
                f"{entry_text(b.entry.parsed, s.unit, style)}（{ctx.year_text(b.year) if b.year else b.note}）" if b is not None else ""
                for s, b in zip(series, baselines, strict=True)
            ]
            row.append(Cell(_per_series(ind, texts) or "―", css="num"))
        when = f"（{ctx.year_text(final, ind.period_basis)}）"
        if ind.parts:
            row.append(Cell(_per_series(ind, [value_text(s.values.get(year), s.unit, style) for s in series]), css="num"))
            row.append(Cell(f"{target}{when}" if target else "―", css="num"))
        else:
            row.append(actual_cell(ind, year, style))
            row.append(figure_cell(ind, ind.targets.get(final), f"{target}{when}" if target else "―", when))
        if rated:
            row.append(rate_cell(ctx.indicators[ind.id]))
        body.append(tuple(row))
    widths = (40, *((16,) if based else ()), 18, 18, *((10,) if rated else ()))
    caption = f"数値目標と {ctx.year_text(year)}までの実績値"
    table = Table(caption, (tuple(head),), tuple(body), css="targets", widths=widths)
    last = max([*ctx.columns, *(final_year(ctx, i) for i in indicators)])
    charts = [c for ind in indicators for c in trend_charts(ctx, ind, list(range(ctx.columns[0], last + 1)))]
    return [table, *footnote_blocks(ctx, indicators), *charts]


def review_box(ctx: Context, node: Node) -> Box:
    """The council's 二次評価 of *node*: its grade, opinions and the department's answer, or an empty frame."""
    review = node.reviews.get(ctx.year)
    blocks: list[Paragraph | Bullets] = []
    if review is not None and review.grade:
        blocks += [Paragraph("評価", css="label"), Paragraph(review.grade, css="status")]
    if review is not None and review.comments:
        blocks.append(Bullets(tuple(review.comments), title="今後の取組に向けた意見"))
    if review is not None and review.answer:
        blocks.append(Paragraph(f"担当課の対応: {review.answer}", css="review"))
    empty = f"{council_name(ctx)}の４段階評価及び評価根拠、今後の取組に向けた意見を記載します。"
    return Box(f"{council_name(ctx)}による二次評価", tuple(blocks), empty=empty)


def _texts(ctx: Context, node: Node, own: bool) -> list[Block]:
    """取組結果 and 課題と方向性 of a node (and what an initiative plans, when that is all it has)."""
    blocks: list[Block] = []
    texts = node.texts.get(ctx.year)
    if not own:
        blocks.append(Paragraph(ctx.title(node), css="label"))
    if texts is not None:
        if texts.summary:
            blocks.append(Paragraph(texts.summary))
        if texts.results:
            blocks.append(Bullets(tuple(texts.results), title="取組結果"))
        if texts.issues:
            blocks.append(Bullets(tuple(texts.issues), title="今後の取組に向けた課題と方向性"))
        if texts.funding:
            blocks.append(Paragraph("".join(texts.funding), css="note"))
    if node.activities:
        blocks.append(Bullets(tuple(node.activities), title="取組内容"))
    if node.projects:
        blocks.append(Bullets(tuple(p.name for p in node.projects), title="関連事業"))
    return blocks if len(blocks) > (0 if own else 1) else []


def status_label(ctx: Context, node: Node) -> str:
    """Seed 000's 【ＫＰＩ達成率を基にした進捗状況】 when the grade is a mean of KPI rates, else 【小柱の評価】."""
    rule = ctx.rules.grade_rule_for(node.level)
    if rule is not None and rule.source == "indicators" and rule.kinds == ("kpi",):
        return "【ＫＰＩ達成率を基にした進捗状況】"
    return f"【{node.level}の評価】"


def unit_blocks(ctx: Context, node: Node, heading: Heading) -> list[Block]:
    blocks: list[Block] = [heading]
    departments = ctx.departments(node)
    if departments:
        blocks.append(Paragraph(f"担当: {'、'.join(departments)}", css="note"))
    if node.description:
        blocks.append(Paragraph(node.description))
    texts = _texts(ctx, node, own=True)
    for child in ctx.plan.descendants(node.id):
        texts.extend(_texts(ctx, child, own=False))
    if texts:
        reported = any(ctx.year in n.texts for n in [node, *ctx.plan.descendants(node.id)])
        levels = ctx.plan.levels
        below = levels[levels.index(node.level) + 1] if node.level in levels[:-1] else "取組"
        label = f"【{ctx.year_text(ctx.year)}の取組結果と今後の課題と方向性】" if reported else f"【{below}】"
        blocks.append(Paragraph(label, css="label"))
        blocks.extend(texts)
    indicators = ctx.indicators_under(node)
    if indicators:
        kpis_only = all(i.kind == "kpi" for i in indicators)
        blocks.append(Paragraph("【ＫＰＩ進捗状況】" if kpis_only else "【指標の進捗状況】", css="label"))
        blocks.append(kpi_table(ctx, indicators, f"{ctx.title(node)} の指標"))
        blocks.extend(footnote_blocks(ctx, indicators))
        blocks.extend(explanations(ctx, indicators))
    grade = ctx.grade_of(node)
    if grade is not None:
        blocks.append(Paragraph(status_label(ctx, node), css="label"))
        blocks.append(Paragraph(grade["label"], css="status"))
        blocks.append(Paragraph(grade["explanation"], css="note"))
    # the charts of the KPIs' series come last, so the table and the status stay on one page as in seed 000
    return blocks + [c for ind in indicators for c in trend_charts(ctx, ind, css="series kpi")]


def _held_above(ctx: Context, node: Node) -> list[Block]:
    """KPIs held by a node above the graded level (its 数値目標 are in the goal's table)."""
    held = [i for i in ctx.plan.indicators_of.get(node.id, []) if i.kind != "numeric_target"]
    if not held:
        return []
    return [kpi_table(ctx, held, f"{ctx.title(node)} の指標"), *footnote_blocks(ctx, held), *explanations(ctx, held)]


def goal_targets(ctx: Context, top: Node) -> list[Block]:
    unit = ctx.unit_level
    above = [n for n in [top, *ctx.plan.descendants(top.id)] if unit is None or ctx.depth(n) < ctx.plan.levels.index(unit)]
    targets = [i for n in above for i in ctx.plan.indicators_of.get(n.id, []) if i.kind == "numeric_target"]
    if not targets:
        return []
    return [Heading(f"数値目標と {ctx.year_text(ctx.year)}までの実績値", 2, anchor=f"targets-{top.id}"), *numeric_targets(ctx, targets)]


def goal_section(ctx: Context, top: Node) -> Section:
    title = ctx.title(top)
    sheet = top.number if len(top.number) > 2 else top.name[:20]
    section = Section(title, f"goal-{top.id}", sheet=sheet)
    if top.description:
        section.add(Paragraph("ねらい", css="label"), Paragraph(top.description, css="lead"))
    unit = ctx.unit_level
    grade = ctx.grade_of(top)
    if grade is not None and top.level != unit:
        section.add(Paragraph(f"{top.level}の評価: {grade['label']}", css="status"), Paragraph(grade["explanation"], css="note"))
    if ctx.plan.children.get(top.id) and ctx.tree_level != top.level:
        section.add(tree(ctx, top, ctx.tree_level))
    if "council" in ctx.spec.printed_parts or top.reviews.get(ctx.year) is not None:
        section.add(review_box(ctx, top))
    section.add(*goal_targets(ctx, top))
    if top.level != unit:
        section.add(*_held_above(ctx, top))
    if top.level == unit:
        section.add(*unit_blocks(ctx, top, Heading(f"{top.level}の取組と評価", 2))[1:])
        return section
    paged = ctx.spec.unit_pages
    after_heading = False  # the graded node comes right after its parent's heading, which starts the page then
    for node in ctx.plan.descendants(top.id):
        if node.status == "abolished":
            continue
        level = min(4, 1 + ctx.depth(node) - ctx.depth(top))
        anchor = f"node-{node.id}"
        if node.level == unit:
            section.add(*unit_blocks(ctx, node, Heading(ctx.title(node), level, anchor=anchor, page=paged and not after_heading)))
            after_heading = False
        elif unit is not None and ctx.depth(node) < ctx.plan.levels.index(unit):
            held = _held_above(ctx, node)
            section.add(Heading(ctx.title(node), level, anchor=anchor, page=paged), *held)
            after_heading = not held
    return section
