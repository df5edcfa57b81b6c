"""Cells of spreadsheets and CSV files turned into the exact text hyoka keeps, and back.

Two things make a cell unlike the text a person typed. Excel stores numbers as binary
floats, so a typed 0.1 comes back as the float nearest to 0.1: its shortest repr is
what the person typed. And a text that begins with = + - @ is run as a formula by
Excel when a CSV or workbook is opened (CSV injection), and Japanese Excel reads the
full-width ＝ ＋ － ＠ as the same, so exports put an apostrophe in front of such a text
and imports take it away again: the round trip stays lossless.
"""

from __future__ import annotations

from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
ESCAPE = "'"


_ESCAPED = (*FORMULA_STARTS, ESCAPE)  # a text already beginning with the apostrophe gets another, so restore() is exact


def neutralise(text: str) -> str:
    """The text as it is written into an export: never read as a formula."""
    return ESCAPE + text if text.startswith(_ESCAPED) else text


def restore(text: str) -> str:
    """The text as it was before :func:`neutralise`."""
    return text[1:] if text.startswith(ESCAPE) else text


def number_text(value: int | float | Decimal) -> str:
    """The decimal text of a number cell: 0.1 for the float 0.1, 12 for 12.0, never 1E+16."""
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    text = format(exact, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
