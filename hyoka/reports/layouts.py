"""The report's layouts: which parts make which chapter, in the order the plan's report prints them.

A part (``plan.report.parts``, or the layout's own list from ``REPORT_LAYOUTS``) is
either a run of blocks that joins its layout's chapter (seed 001's 「１ 神奈川ＤＸ計画」
holds 概要, 構成 and 趣旨) or a set of chapters of its own (one per 基本目標, the 別紙).
A plan can leave a part out or add one from another layout; it lands where its list says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..core.text import fullwidth_digits
from .chapters import closing_sections, council_blocks
from .context import Context
from .document import Block, Heading, Section
from .front import legend_blocks, method_blocks, opening_blocks, outlook_blocks, structure_blocks
from .goals import goal_section
from .highlights import highlight_blocks
from .listing import appendix_section, listing_section
from .summary import appendix_title, summary_blocks
from .verification import verification_section


@dataclass(frozen=True)
class Group:
    """A chapter made of parts; *title* may name the plan ({plan}) and the year ({year})."""

    title: str
    parts: tuple[str, ...]
    anchor: str
    sheet: str


GROUPS: dict[str, tuple[Group, ...]] = {
    "evaluation": (Group("評価の概要", ("opening", "structure", "method", "legend", "summary", "council"), "overview", "概要"),),
    "inspection": (
        Group("{plan}", ("opening", "structure", "method"), "plan", "計画"),
        Group("{year}の取組", ("summary", "highlights"), "results", "取組"),
        Group("今後の取組", ("outlook",), "outlook", "今後の取組"),
    ),
    "verification": (Group("評価の概要", ("opening", "structure", "method", "summary"), "overview", "概要"),),
}
NUMBERED = {"inspection"}  # seed 001 numbers its chapters 「１」「２」 and their sections 「(1)」「(2)」

BLOCK_PARTS: dict[str, Callable[[Context], list[Block]]] = {
    "opening": opening_blocks,
    "structure": structure_blocks,
    "method": method_blocks,
    "legend": legend_blocks,
    "summary": summary_blocks,
    "council": council_blocks,
    "highlights": highlight_blocks,
    "outlook": outlook_blocks,
}


def _goals(ctx: Context) -> list[Section]:
    roots = [r for r in ctx.plan.roots if r.status != "abolished"]
    if ctx.spec.layout == "verification":
        return [verification_section(ctx, r) for r in roots]
    return [goal_section(ctx, r) for r in roots]


def _indicators(ctx: Context) -> list[Section]:
    if ctx.spec.layout == "inspection":
        return [appendix_section(ctx, appendix_title(ctx))]
    return [listing_section(ctx)]


SECTION_PARTS: dict[str, Callable[[Context], list[Section]]] = {
    "goals": _goals,
    "closing": closing_sections,
    "indicators": _indicators,
}


def _group_of(layout: str, part: str) -> Group:
    found = next((g for g in GROUPS.get(layout, ()) if part in g.parts), None)
    return found or Group("", (part,), part, part)


def sections(ctx: Context) -> list[Section]:
    """The chapters of the report, in the order of the plan's parts."""
    layout = ctx.spec.layout
    out: list[Section] = []
    grouped: dict[str, Section] = {}
    for part in ctx.spec.printed_parts:
        if part in SECTION_PARTS:
            out.extend(SECTION_PARTS[part](ctx))
            continue
        blocks = BLOCK_PARTS[part](ctx)
        if not blocks:
            continue
        group = _group_of(layout, part)
        if group.anchor not in grouped:
            first = next((b.text for b in blocks if isinstance(b, Heading)), part)
            title = group.title.format(plan=ctx.plan.name, year=ctx.year_text(ctx.year)) or first
            grouped[group.anchor] = Section(title, group.anchor, sheet=group.sheet)
            out.append(grouped[group.anchor])
        section = grouped[group.anchor]
        section.add(*(b for b in blocks if not (isinstance(b, Heading) and b.level == 2 and b.text == section.title)))
    if layout in NUMBERED:
        _number(out)
    return out


def _number(chapters: list[Section]) -> None:
    """「１ 神奈川ＤＸ計画」 and its 「(1) 概要及び位置付け」; the 別紙 keeps its name."""
    n = 0
    for section in chapters:
        if section.title.startswith("別紙"):
            continue
        n += 1
        section.title = f"{fullwidth_digits(str(n))} {section.title}"
        k = 0
        for i, block in enumerate(section.blocks):
            if isinstance(block, Heading) and block.level == 2:
                k += 1
                section.blocks[i] = Heading(f"({k}) {block.text}", 2, block.anchor, block.page)
