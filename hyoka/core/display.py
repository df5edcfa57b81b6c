"""One way of printing a figure, whatever way it was typed.

Departments type 「５０．０％」「１，２３４件」「2609」 (in 万人) or 「2.5万人」; the text is
kept as the record of what was entered (the plan file, the workbook's input column, the
change log), while every page, report and download prints the figure as the plan's
style says (``rules.Display``): half-width digits with thousands separators, the
decimals that were typed (no rounding: the figure is the official one), in the
indicator's own unit (「2,609万人」), the unit spaced or not, ％ or %.
"""

from __future__ import annotations

from decimal import Decimal

from .rules import Display
from .text import clean_line, compact
from .units import mismatch
from .values import MULTIPLIERS, Kind, Parsed, parse_unit

_SCALE_WORDS = {exponent: word for word, exponent in MULTIPLIERS.items()}


def number_text(number: Decimal) -> str:
    """「1,234」「50.0」「-5」「26,090,000」: half-width, separated, with the decimals it has."""
    return f"{number:,f}"


def unit_text(unit: str, style: Display) -> str:
    """A unit as printed: one spelling (NFKC, no spaces), the percent sign of the style."""
    word = compact(unit)
    return style.percent + word[1:] if word.startswith("%") else word


def figure_text(number: Decimal, unit: str, style: Display) -> str:
    """「1,234件」 or 「1,234 件」, 「50.0％」: a number and its unit in the plan's style."""
    shown = unit_text(unit, style)
    if not shown:
        return number_text(number)
    return number_text(number) + (" " if style.unit_space and not shown.startswith(style.percent) else "") + shown


def percent_text(value: Decimal | str | None, style: Display, empty: str = "―") -> str:
    """A rate (達成率, a share) as printed: 「108.0％」; *empty* when there is none."""
    if value is None or value == "":
        return empty
    return figure_text(Decimal(value), "%", style)


def entry_text(parsed: Parsed, unit: str, style: Display) -> str:
    """A target, baseline or actual as printed: its figure in the indicator's *unit*, with what was said about it.

    A figure in a unit other than the indicator's (a slip the plan was published with)
    keeps its own unit, so nothing is silently converted. Texts and statuses (「運用開始」,
    「2026年９月頃把握予定」, 「―※」) are printed as typed, on one line.
    """
    if parsed.kind is not Kind.NUMBER or parsed.number is None:
        return clean_line(parsed.raw)
    if parsed.unit == "" and parsed.scale == 0:
        number, shown = parsed.number, unit  # a bare number is in the indicator's unit
    elif unit and not mismatch(unit, parsed):
        number, shown = _in_scale(parsed, parse_unit(unit)[0]), unit
    else:
        number, shown = _in_scale(parsed, parsed.scale), _SCALE_WORDS.get(parsed.scale, "") + parsed.unit
    text = figure_text(number, shown, style)
    if parsed.per_year and not compact(shown).endswith(("/年", "/年度")):
        text += "/年"
    return (
        ("約" if parsed.approx else "")
        + text
        + "".join(parsed.labels)  # 「50％削減」
        + (parsed.bound.value if parsed.bound else "")
        + ("（累計）" if parsed.cumulative else "")
        + "".join(parsed.marks)
    )


def _in_scale(parsed: Parsed, scale: int) -> Decimal:
    """The figure in units of 10**scale: 「176.0万kW」 in 万kW is 176.0, 「25,000人」 in 万人 is 2.5."""
    assert parsed.number is not None
    if scale == parsed.scale == 0:
        return parsed.number
    number = parsed.number.scaleb(-scale)
    typed = number.quantize(Decimal(1).scaleb(-parsed.places))
    if scale == parsed.scale and typed == number:  # typed with this very multiplier: its decimals as typed
        return typed
    return number.normalize()
