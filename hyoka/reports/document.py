"""The report as a document: sections of headings, paragraphs, lists, tables and charts.

The content is decided once (hyoka.reports.content) and every format only lays it
out, so the HTML, PDF, Word and Excel files hold the same tables and the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Cell:
    """A table cell: its text, and for Excel the exact number behind it."""

    text: str
    number: Decimal | None = None
    number_format: str = ""  # Excel number format for *number* (「0.0"%"」)
    rowspan: int = 1
    colspan: int = 1
    css: str = ""  # num | pending | mark | name | kind


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1 = section (h1), 2, 3, 4
    anchor: str = ""
    page: bool = False  # starts a page (seed 000 starts each 小柱 on a page of its own)


@dataclass(frozen=True)
class Paragraph:
    text: str
    css: str = ""  # lead | note | status | label | review


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    title: str = ""


@dataclass(frozen=True)
class TreeItem:
    depth: int
    text: str
    grade: str = ""


@dataclass(frozen=True)
class Tree:
    """The 体系図 of a goal: its nodes indented by depth, each with its grade."""

    items: tuple[TreeItem, ...]
    title: str = ""


@dataclass(frozen=True)
class Table:
    caption: str
    head: tuple[tuple[Cell, ...], ...]
    body: tuple[tuple[Cell, ...], ...]
    css: str = ""  # kpi | criteria | summary | list | targets
    widths: tuple[int, ...] = ()  # relative column widths

    def placed(self) -> list[tuple[int, int, Cell, bool]]:
        """Every cell with its grid row and column (head rows first) and whether it is a head cell.

        Rows are written as in HTML, without the slots a rowspan above already covers,
        so Word and Excel, which merge cells of a full grid, need the positions.
        """
        taken: set[tuple[int, int]] = set()
        out = []
        for r, (row, head) in enumerate([*((row, True) for row in self.head), *((row, False) for row in self.body)]):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                out.append((r, c, cell, head))
                taken.update((r + i, c + j) for i in range(cell.rowspan) for j in range(cell.colspan))
                c += cell.colspan
        return out

    @property
    def columns(self) -> int:
        return max((c + cell.colspan for _r, c, cell, _h in self.placed()), default=0)


@dataclass(frozen=True)
class Chart:
    """A chart drawn as SVG; *description* says in words what it shows (its alternative text)."""

    title: str
    svg: str
    description: str
    css: str = ""  # series | distribution


@dataclass(frozen=True)
class Box:
    """A framed box with its title: the council's 二次評価 and 評価, printed as empty frames until written."""

    title: str
    blocks: tuple[Paragraph | Bullets, ...]
    empty: str = ""  # what the frame says while nothing is written yet


Block = Heading | Paragraph | Bullets | Tree | Table | Chart | Box


@dataclass
class Section:
    """A top-level part of the report: a chapter in HTML and Word, a sheet in Excel."""

    title: str
    anchor: str
    sheet: str  # the short name: an Excel sheet's and the running header's
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)


@dataclass
class Report:
    title: str  # 「神奈川ＤＸ計画 令和６年度点検報告書」, with 「（案）」 while the year is not published
    subtitle: str
    organization: str
    year_label: str
    running_header: str
    draft: bool = False  # the year is not published: every format says 「案」
    sections: list[Section] = field(default_factory=list)

    def contents(self, most: int = 80) -> list[Heading]:
        """The headings with an anchor, down to level 3 when that makes at most *most* lines, else 2."""
        for depth in (3, 2):
            out: list[Heading] = []
            for section in self.sections:
                out.append(Heading(section.title, 1, section.anchor))
                out.extend(b for b in section.blocks if isinstance(b, Heading) and b.level <= depth and b.anchor)
            if len(out) <= most:
                break
        return out
