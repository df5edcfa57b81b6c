"""Normalising Japanese text as it comes out of reports, Excel cells and forms.

Published tables mix full-width and half-width characters, several dash and minus
glyphs, and line breaks inside cells; comparison and parsing need one spelling.
"""

from __future__ import annotations

import re
import unicodedata

# Glyphs used for "minus" in Japanese documents besides ASCII '-'.
MINUS_GLYPHS = "\u2212\u2010\u2011\u2012\u2013\ufe63\uff0d"
# Glyphs used for "nothing here" in a table cell (―, —, ‐ alone, －).
DASH_GLYPHS = "\u2015\u2014\u2500\u30fc"

_MINUS_TO_HYPHEN = {ord(c): "-" for c in MINUS_GLYPHS}
_WHITESPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def nfkc(text: str) -> str:
    """NFKC with the minus glyphs folded to '-' (NFKC leaves U+2212 alone)."""
    folded = unicodedata.normalize("NFKC", text)
    return folded.translate(_MINUS_TO_HYPHEN)


def compact(text: str) -> str:
    """NFKC and no whitespace at all: the form used to parse numbers."""
    return _WHITESPACE.sub("", nfkc(text))


def clean_line(text: str) -> str:
    """Collapse runs of whitespace (including cell line breaks) into one space."""
    return _WHITESPACE.sub(" ", text).strip()


def same_text(a: str, b: str) -> bool:
    """Equality of two qualitative values as a reader would judge it.

    Width, spacing and line breaks do not make two statements different
    (「運用開始」 and 「運用 開始」 say the same).
    """
    return compact(a) == compact(b)


def has_control_characters(text: str) -> bool:
    return bool(_CONTROL.search(text))


def is_dash(text: str) -> bool:
    """True for a cell that only says "no value" (―, -, －, —)."""
    c = compact(text)
    return c != "" and all(ch in DASH_GLYPHS or ch == "-" for ch in c)


_FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def fullwidth_digits(text: str) -> str:
    """Write ASCII digits full-width, as Japanese documents print years (令和６年度)."""
    return text.translate(_FULLWIDTH_DIGITS)
