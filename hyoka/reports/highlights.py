"""Seed 001's 主な取組: per top-level node, the measures whose 取組結果 the year reports, under their 分野.

Only measures with a written 取組結果 appear (the plan's departments choose them), in
the plan's order; 分野 are numbered within their top-level node as seed 001 prints them
(「１ 新しいデジタル技術の利活用」 for 施策分野 14).
"""

from __future__ import annotations

from ..core.model import Node
from .context import Context
from .document import Block, Heading, Paragraph


def _reported(ctx: Context, node: Node) -> list[str]:
    texts = node.texts.get(ctx.year)
    return list(texts.results) if texts is not None else []


def highlight_blocks(ctx: Context) -> list[Block]:
    blocks: list[Block] = []
    for root in ctx.plan.roots:
        shown: list[Block] = []
        for number, area in enumerate(ctx.plan.children.get(root.id, []), 1):
            measures = [n for n in ctx.plan.descendants(area.id) if _reported(ctx, n)]
            if not measures:
                continue
            shown.append(Heading(f"{number} {area.name}", 3))
            for node in measures:
                shown.append(Paragraph(ctx.title(node), css="label"))
                shown.extend(Paragraph(text) for text in _reported(ctx, node))
        if shown:
            blocks += [Heading(f"「{root.name}」の主な取組", 2, anchor=f"highlights-{root.id}"), *shown]
    return blocks
