"""Reading a rendered report PDF the way a checker of its layout would: its structure tree and its pages.

WeasyPrint tags each page's content separately, so an element that runs over a page
break appears as one fragment per page. That makes the tree a record of the pagination:
a table row group cut by a page shows as two ``TBody`` fragments, a heading left at
the foot of a page is the last block of its page.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pikepdf

BLOCKS = {"/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/P", "/Table", "/L", "/Figure", "/Div"}


@dataclass(frozen=True)
class Element:
    depth: int
    kind: str  # /H2, /TBody, /TR …
    page: int | None  # 1-based; None for an element without marked content of its own
    children: int  # child structure elements
    alt: str  # the alternative text of a figure


def _page(elem: pikepdf.Dictionary, pages: dict[tuple[int, int], int], inherited: int | None) -> int | None:
    pg = elem.get("/Pg")
    return pages.get(pg.objgen, inherited) if pg is not None else inherited


def structure(path: Path) -> list[Element]:
    """Every element of the structure tree in document order."""
    pdf = pikepdf.open(path)
    pages = {p.objgen: i + 1 for i, p in enumerate(pdf.pages)}
    out: list[Element] = []

    def kids(elem: pikepdf.Dictionary) -> list[object]:
        k = elem.get("/K")
        return [] if k is None else list(k) if isinstance(k, pikepdf.Array) else [k]

    def visit(elem: pikepdf.Dictionary, depth: int, page: int | None) -> int | None:
        page = _page(elem, pages, page)
        children = [k for k in kids(elem) if isinstance(k, pikepdf.Dictionary) and "/S" in k]
        index = len(out)
        out.append(Element(depth, str(elem.get("/S", "")), None, len(children), str(elem.get("/Alt", ""))))
        found = page if any(not isinstance(k, pikepdf.Dictionary) or k.get("/Type") == "/MCR" for k in kids(elem)) else None
        for child in children:
            inner = visit(child, depth + 1, page)
            found = found or inner
        out[index] = Element(depth, out[index].kind, found, len(children), out[index].alt)
        return found

    visit(pdf.Root.StructTreeRoot, 0, None)
    return out


def row_groups(elements: list[Element]) -> list[int]:
    """The number of rows of each table row group fragment, in document order."""
    return [e.children for e in elements if e.kind == "/TBody"]


def table_fragments(elements: list[Element]) -> list[list[str]]:
    """The kinds of the children of each table fragment (/Caption, /THead, /TBody …), in document order."""
    out = []
    for i, e in enumerate(elements):
        if e.kind != "/Table":
            continue
        children = []
        for inner in elements[i + 1 :]:
            if inner.depth <= e.depth:
                break
            if inner.depth == e.depth + 1:
                children.append(inner.kind)
        out.append(children)
    return out


def headings_last_on_page(elements: list[Element]) -> list[tuple[str, int]]:
    """Headings that end their page: the next block starts on a later page."""
    blocks = []
    inside = None
    for e in elements:
        if inside is not None and e.depth > inside:
            continue
        inside = None
        if e.kind in BLOCKS and e.page is not None:
            blocks.append(e)
            inside = e.depth
    return [
        (e.kind, e.page)
        for e, following in pairwise(blocks)
        if e.kind.startswith("/H") and following.page is not None and e.page is not None and following.page > e.page
    ]


def page_texts(path: Path) -> list[str]:
    """The text of each page, in reading order."""
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True)
    return out.stdout.split("\f")[:-1]


def raw_text(path: Path) -> str:
    """The text in the order it was drawn, without white space: a name wrapped in a narrow cell stays whole."""
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True)
    return re.sub(r"\s+", "", out.stdout)


def last_lines(path: Path) -> list[str]:
    """The last line of text of each page above its page number."""
    out = []
    for page in page_texts(path):
        lines = [line.strip() for line in page.splitlines() if line.strip() and not re.fullmatch(r"\s*\d+ / \d+\s*", line)]
        out.append(lines[-1] if lines else "")
    return out


def outline_titles(path: Path) -> list[str]:
    with pikepdf.open(path) as pdf, pdf.open_outline() as outline:
        titles: list[str] = []
        stack = list(reversed(outline.root))
        while stack:
            item = stack.pop()
            titles.append(str(item.title))
            stack.extend(reversed(item.children))
        return titles
