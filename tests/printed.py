"""Comparing what a report prints with what the published report printed.

hyoka prints every figure in the plan's display style (core.display: half-width digits,
the indicator's own unit), so 「35 兆 3,716 億円」 comes out as 「353,716 億円」 and 「５万人」 in
a 人 indicator as 「50,000人」: the same figure. Texts are compared without white space and
with full- and half-width alike.
"""

from __future__ import annotations

import re
import unicodedata

from hyoka.core.errors import InputError
from hyoka.core.values import parse_value


def squash(text: str) -> str:
    """Text compared as printed: no white space, full-width and half-width alike, no 「：」 after a part's label,
    the minus sign (−) as a hyphen."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).replace(":", "").replace("\u2212", "-")


def same_figure(ours: str, printed: str) -> bool:
    """The same text, or the same number (in base units) with the same qualifiers."""
    if squash(ours) == squash(printed):
        return True
    try:
        a, b = parse_value(ours), parse_value(printed)
    except InputError:
        return False
    return a.number is not None and (a.number, a.bound, a.marks, a.labels) == (b.number, b.bound, b.marks, b.labels)
