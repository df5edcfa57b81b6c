"""Japanese era years (和暦) and fiscal years.

Reports print 「令和６年度」 where data files need 2024; both directions are needed
for import (people type either) and for display (Japanese readers expect wareki).
"""

from __future__ import annotations

import re

from .errors import InputError
from .text import compact, fullwidth_digits

# (name, abbreviation, first western year); a year belongs to the newest era that
# started on or before it (the first year of an era is also the last of the previous).
ERAS: tuple[tuple[str, str, int], ...] = (
    ("令和", "R", 2019),
    ("平成", "H", 1989),
    ("昭和", "S", 1926),
)

_ERA_YEAR = re.compile(r"^(?:FY)?(?P<era>令和|平成|昭和|R|H|S)(?P<n>\d{1,2}|元)(?:年度?)?$", re.IGNORECASE)
_WESTERN_YEAR = re.compile(r"^(?:FY)?(?P<y>\d{4})(?:年度?)?$", re.IGNORECASE)


def era_to_year(era: str, n: int) -> int:
    for name, abbr, start in ERAS:
        if era in (name, abbr, abbr.lower()):
            return start + n - 1
    raise ValueError(era)


def parse_year(text: str | int, where: str = "") -> int:
    """A year as people write it: 2024, 「2024年度」, 「令和６年度」, 「R6」, 「令和元年」."""
    if isinstance(text, int) and not isinstance(text, bool):
        year = text
    elif type(text) is str and len(text) == 4 and text.isascii() and text.isdigit():
        year = int(text)  # a plan file's year keys: tens of thousands in a large plan, read with every publication
    else:
        s = compact(str(text))
        m = _WESTERN_YEAR.match(s)
        if m:
            year = int(m.group("y"))
        else:
            m = _ERA_YEAR.match(s)
            if not m:
                raise InputError.one(
                    where,
                    "年として解釈できません（例: 2024、2024年度、令和６年度、R6）",
                    "not a year (e.g. 2024, 2024年度, 令和６年度, R6)",
                    str(text),
                )
            n = 1 if m.group("n") == "元" else int(m.group("n"))
            if n == 0:
                raise InputError.one(where, "元号の年は１以上です", "era years start at 1", str(text))
            year = era_to_year(m.group("era").upper() if len(m.group("era")) == 1 else m.group("era"), n)
    if not 1900 <= year <= 2200:
        raise InputError.one(where, "年が範囲外です（1900〜2200）", "year out of range (1900-2200)", str(text))
    return year


def to_wareki(year: int, *, fiscal: bool = True, full_width: bool = True) -> str:
    """2024 → 「令和６年度」 (fiscal) or 「令和６年」; the first year of an era is 元年."""
    for name, _abbr, start in ERAS:
        if year >= start:
            n = year - start + 1
            num = "元" if n == 1 else str(n)
            label = f"{name}{num}年{'度' if fiscal else ''}"
            return fullwidth_digits(label) if full_width else label
    return f"{year}年{'度' if fiscal else ''}"


def wareki_date(text: str) -> str:
    """An ISO date (2025-03-01) or month (2026-09) as 「令和７年３月１日」 / 「令和８年９月」."""
    parts = [int(p) for p in text.split("-")]
    out = to_wareki(parts[0], fiscal=False)
    if len(parts) > 1:
        out += fullwidth_digits(f"{parts[1]}月")
    if len(parts) > 2:
        out += fullwidth_digits(f"{parts[2]}日")
    return out


def short_wareki(year: int) -> str:
    """2024 → 「R6」, the column header form used in workbooks."""
    for _name, abbr, start in ERAS:
        if year >= start:
            return f"{abbr}{year - start + 1}"
    return str(year)
