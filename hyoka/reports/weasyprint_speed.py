"""Two costs of WeasyPrint that a report of many charts and pages pays, removed where it is safe.

* **An SVG text is laid out one letter at a time.** WeasyPrint's ``svg.text.text`` makes a
  Pango layout per character so that it can honour per-letter positions (``x``/``y`` lists,
  ``dx``, ``dy``, ``rotate``), ``letter-spacing`` and ``textLength``. A chart's labels use
  none of them: a label is a start-anchored run at one point. For such a text the letters are
  handed over as one run (:class:`_Whole` iterates as a single "letter"), so WeasyPrint lays it
  out and draws it once, with the font's own spacing between the letters. The Kanagawa report's
  1,362 chart labels took a tenth of its PDF's CPU time; any other text goes the old way.
* **A tagged PDF asks for the page list once per tagged box.** pydyf's ``PDF.page_references``
  builds the whole list of page references on every access, and WeasyPrint's tagging reads it
  for each box it tags (14,000 boxes over 100 pages: 1.4 million references made). Pages are
  only ever added, so the list is kept until the page count changes.

Both are applied by :func:`install` (the PDF writer calls it) only when WeasyPrint and pydyf
still have the shape they were written for; otherwise they are left as they are, slower but
correct, and ``tests/test_pdf_speed.py`` fails so that the change is noticed.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Any

import pydyf
import weasyprint.svg as svg_module

_svg_text = importlib.import_module("weasyprint.svg.text")  # the module, which weasyprint.svg's name "text" hides
PER_LETTER = ("dx", "dy", "rotate", "letter-spacing", "textLength")  # what needs WeasyPrint's letter-by-letter layout
TEXT_TAGS = ("a", "text", "textPath", "tspan")


class _Whole(str):
    """A text that WeasyPrint's layout loop (``for char in node.text``) takes as one letter."""

    __slots__ = ()

    def __iter__(self) -> Iterator[str]:
        yield str(self)


def _one_point(value: str | None) -> bool:
    return value is None or len(value.replace(",", " ").split()) <= 1


def whole_run(node: Any) -> bool:
    """Whether *node* (a WeasyPrint SVG node) is drawn the same as one run as letter by letter."""
    element = node._etree_node
    attrib = element.attrib
    return (
        bool(element.text)
        and not any(name in attrib for name in PER_LETTER)
        and _one_point(attrib.get("x"))
        and _one_point(attrib.get("y"))
        and node.get("letter-spacing") in (None, "normal", "0")
    )


def _text_in_runs(original: Callable[..., None]) -> Callable[..., None]:
    def text(svg: Any, node: Any, font_size: float) -> None:
        if whole_run(node):
            node._etree_node.text = _Whole(node._etree_node.text)
        original(svg, node, font_size)

    text.__doc__ = original.__doc__
    text.hyoka_whole_runs = True  # type: ignore[attr-defined]
    return text


def _page_references(self: Any) -> tuple[bytes, ...]:
    kids = self.pages["Kids"]
    known = self.__dict__.get("_hyoka_page_references")
    if known is None or known[0] != len(kids):
        known = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        self.__dict__["_hyoka_page_references"] = known
    return known[1]


def installed() -> bool:
    """Whether both speed-ups are in place."""
    return getattr(svg_module.TAGS.get("text"), "hyoka_whole_runs", False) and pydyf.PDF.page_references.fget is _page_references


def install() -> None:
    """Apply both speed-ups once; a WeasyPrint or pydyf of another shape is left alone."""
    original = getattr(_svg_text, "text", None)
    # weasyprint.svg dispatches on TAGS and compares a node's handler with its own name "text"
    if original is not None and svg_module.text is original and all(svg_module.TAGS.get(t) is original for t in TEXT_TAGS):
        faster = _text_in_runs(original)
        svg_module.text = faster
        for tag in TEXT_TAGS:
            svg_module.TAGS[tag] = faster
    current = getattr(pydyf.PDF, "page_references", None)
    if isinstance(current, property) and current.fget is not _page_references and current.fset is None:
        pydyf.PDF.page_references = property(_page_references, doc=current.__doc__)
