"""Exact arithmetic for rates, means and shares.

Rates are kept as exact fractions (98/55 is not 1.7818… in binary) and cut to the
printed precision only by the rounding the rule set names: seed 000 truncates
178.18… to 178.1, seed 001 rounds the share 6.25 half-up to 6.3.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from .rules import Rounding

ROUNDING_WORDS = {
    "truncate": "小数第{n}位以下を切り捨て",
    "half_up": "小数第{n}位を四捨五入",
    "half_down": "小数第{n}位を五捨六入",
    "half_even": "小数第{n}位を偶数丸め",
    "floor": "小数第{n}位以下を切り下げ",
    "ceiling": "小数第{n}位以下を切り上げ",
}


def to_fraction(value: Decimal | int) -> Fraction:
    return Fraction(value)


def round_fraction(value: Fraction, rounding: Rounding) -> Decimal:
    """Cut an exact value to *rounding.decimals* places the way the rule set says."""
    scaled = value * 10**rounding.decimals
    mode = rounding.mode
    if mode == "truncate":
        n = math.trunc(scaled)
    elif mode == "floor":
        n = math.floor(scaled)
    elif mode == "ceiling":
        n = math.ceil(scaled)
    elif mode == "half_even":
        n = round(scaled)
    elif mode == "half_down":  # 五捨六入: the first digit cut off is 5 or less → down, 6 or more → up (4.5, 4.59 → 4; 4.6 → 5)
        n = math.floor(abs(scaled) + Fraction(2, 5))
        n = -n if scaled < 0 else n
    else:  # half_up: halves go away from zero, as 四捨五入 does
        n = math.floor(abs(scaled) + Fraction(1, 2))
        n = -n if scaled < 0 else n
    return Decimal(n).scaleb(-rounding.decimals)


def rounding_words(rounding: Rounding) -> str:
    """「小数第2位以下を切り捨て」: how a report says it keeps *decimals* places."""
    return ROUNDING_WORDS[rounding.mode].format(n=rounding.decimals + 1)


def exact_text(value: Fraction, places: int = 12) -> str:
    """A decimal string of an exact value: complete when it terminates, else cut at *places*."""
    d = value.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1:
        out = Decimal(value.numerator) / Decimal(value.denominator)
        text = format(out.normalize(), "f")
        return text
    return format(round_fraction(value, Rounding("truncate", places)), "f")


def mean(values: Iterable[Fraction]) -> Fraction | None:
    items = list(values)
    if not items:
        return None
    return sum(items, Fraction(0)) / len(items)


def median(values: Iterable[Fraction]) -> Fraction | None:
    items = sorted(values)
    if not items:
        return None
    mid = len(items) // 2
    if len(items) % 2:
        return items[mid]
    return (items[mid - 1] + items[mid]) / 2


def weighted_mean(pairs: Iterable[tuple[Fraction, Fraction]]) -> Fraction | None:
    items = list(pairs)
    total = sum((w for _, w in items), Fraction(0))
    if not items or total == 0:
        return None
    return sum((v * w for v, w in items), Fraction(0)) / total


def share(count: int, total: int, rounding: Rounding) -> Decimal | None:
    """count / total × 100, rounded as the summary rule says (4/64 → 6.3 with half-up)."""
    if total == 0:
        return None
    return round_fraction(Fraction(count * 100, total), rounding)


def fmt_decimal(value: Decimal) -> str:
    """A decimal as a plain string, without exponent notation."""
    return format(value, "f")
