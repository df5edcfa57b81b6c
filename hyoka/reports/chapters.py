"""The chapters the planning division writes (背景, 今後の取組, 市町村との連携推進) and the council's page.

Their text is the plan's (``plan.report.chapters``), printed where the layout puts its
place; a chapter written for one year appears only in that year's report. The
council's 評価 is a frame even while empty, as seed 000 prints it before the council met.
"""

from __future__ import annotations

from ..core.model import Chapter
from .context import Context
from .document import Block, Box, Heading, Paragraph, Section


def paragraph(text: str) -> Paragraph:
    """A paragraph as written; 「■ 評価の期間」 is a run-in heading and 「※…」 a note."""
    if text.startswith("■"):
        return Paragraph(text, css="label")
    return Paragraph(text, css="note" if text.startswith(("※", "（※）")) else "")


def chapter_blocks(ctx: Context, chapter: Chapter, heading: bool = True) -> list[Block]:
    blocks: list[Block] = [Heading(chapter.title, chapter.level, anchor=f"chapter-{chapter.id}")] if heading else []
    return blocks + [paragraph(p) for p in chapter.paragraphs(ctx.year)]


def place_blocks(ctx: Context, place: str) -> list[Block]:
    """Every chapter of *place*; a chapter with nothing for this year is left out unless chapters follow it."""
    chapters = ctx.spec.chapters_at(place)
    out: list[Block] = []
    for i, chapter in enumerate(chapters):
        under = i + 1 < len(chapters) and chapters[i + 1].level > chapter.level
        if chapter.paragraphs(ctx.year) or under:
            out.extend(chapter_blocks(ctx, chapter))
    return out


def council_name(ctx: Context) -> str:
    return ctx.spec.council or "推進会議"


def council_blocks(ctx: Context) -> list[Block]:
    """The council's 評価 of the whole plan for the year: its chapter's text, or an empty frame."""
    chapters = ctx.spec.chapters_at("council")
    title = chapters[0].title if chapters else f"{council_name(ctx)}の評価"
    said = [paragraph(p) for c in chapters for p in c.paragraphs(ctx.year)]
    empty = f"{council_name(ctx)}の委員意見（全体の評価）を記載します。"
    return [Heading(title, 2, anchor="council"), Box("", tuple(said), empty=empty)]


def closing_sections(ctx: Context) -> list[Section]:
    """A section per closing chapter (its subchapters inside), when it has text for the year."""
    sections: list[Section] = []
    for chapter in ctx.spec.chapters_at("closing"):
        if chapter.level == 2 or not sections:
            blocks = [paragraph(p) for p in chapter.paragraphs(ctx.year)]
            sections.append(Section(chapter.title, f"chapter-{chapter.id}", sheet=chapter.title[:20], blocks=list(blocks)))
        else:
            sections[-1].add(*chapter_blocks(ctx, chapter))
    return [s for s in sections if s.blocks]
