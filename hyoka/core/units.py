"""Whether a value's unit word agrees with its indicator's unit.

A department types 「45.6％」 into 協力施設数 (unit 施設) or 「123人」 into 市町村数: the
figure parses, but it counts something else, and the rate computed from it is nonsense
(−3701.4 %). Whatever is entered alone (a form, an uploaded workbook, a revised target)
must be refused then, naming both units. A plan file keeps the published slips it was
adopted with (seed 000 prints a 2022 actual in 件 for a KPI counted in 回): there the same
comparison gives a warning (``checks``), not an error.

The indicator's multiplier is not part of the comparison: 「2.5万人」「25,000人」 and a
bare 「2.5」 are all the same figure for a KPI in 万人 (``rates.number_in_base``).
"""

from __future__ import annotations

from functools import lru_cache

from .errors import InputError
from .text import compact
from .values import Kind, Parsed, parse_unit

# Spellings of one unit: a value in any of them counts the same thing as the others.
SAME_UNITS: tuple[frozenset[str], ...] = (
    frozenset({"%", "パーセント"}),
    frozenset({"人", "名", "人数"}),
    frozenset({"件", "件数"}),
    frozenset({"回", "回数"}),
    frozenset({"箇所", "か所", "カ所", "ヶ所", "ケ所", "ヵ所", "個所"}),
    frozenset({"t", "トン"}),
    frozenset({"トンCO2", "t-CO2", "tCO2"}),
    frozenset({"ポイント", "pt"}),
    frozenset({"種", "種類"}),
)
_CANONICAL = {word: min(group) for group in SAME_UNITS for word in group}
_PER_YEAR = ("/年度", "/年")


@lru_cache(maxsize=4096)  # few distinct units, asked for every figure compared
def unit_word(unit: str) -> str:
    """An indicator's unit as compared: without its multiplier and per-year suffix, one spelling per unit."""
    word = parse_unit(unit)[1]
    for suffix in _PER_YEAR:
        if word.endswith(suffix) and len(word) > len(suffix):
            word = word[: -len(suffix)]
    return _CANONICAL.get(word, word)


def mismatch(unit: str, parsed: Parsed) -> bool:
    """True when *parsed* is a number that carries a unit word other than the indicator's *unit*."""
    if parsed.kind is not Kind.NUMBER or not parsed.unit:
        return False
    own = unit_word(unit)
    return bool(own) and _canonical(parsed.unit) != own


@lru_cache(maxsize=4096)
def _canonical(word: str) -> str:
    """A unit word as typed, in the one spelling of its unit."""
    return _CANONICAL.get(compact(word), compact(word))


def check_entered_unit(unit: str, parsed: Parsed, where: str) -> None:
    """Refuse a value entered alone whose unit contradicts its indicator's, naming both units."""
    if mismatch(unit, parsed):
        ja, en = mismatch_words(parsed.unit, unit)
        raise InputError.one(
            where, f"{ja}。数字だけ、または「{unit}」で入力してください", f"{en}: enter the number alone, or in {unit!r}", parsed.raw
        )


def mismatch_words(word: str, unit: str) -> tuple[str, str]:
    """The message, in Japanese and English, for a value in *word* entered for an indicator in *unit*."""
    return f"単位「{word}」は指標の単位「{unit}」と合いません", f"the unit {word!r} does not match the indicator's unit {unit!r}"
