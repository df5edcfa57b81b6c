"""Figures that parse but are probably wrong: warnings a person confirms, never errors.

「-5％」 for 女性の就業率, 「250％」 for a 就職率, 「1,234件」 against a target of 100 (a rate of
1234 %) or a figure ten times last year's are usually slips of the keyboard, but each can
be true (a population that shrank, a year with a one-off event). So they are not refused:
the person sees the doubt and confirms it, and the confirmation is kept with the change.
The thresholds are the rule set's (``rules.Plausibility``), since what is plausible
differs between plans.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from .arithmetic import fmt_decimal, round_fraction
from .display import entry_text, figure_text, percent_text
from .errors import Problem
from .model import Series
from .rates import number_in_base, rate_of
from .rules import Display, Rounding, RuleSet
from .units import unit_word


def doubts(series: Series, year: int, rules: RuleSet, where: str = "") -> list[Problem]:
    """What looks wrong about the actual of *year*, each a Problem at *where* (in Japanese and English)."""
    value = series.values.get(year)
    if value is None or value.number is None:
        return []
    number = number_in_base(value.entry.parsed, series.unit_scale)
    if number is None:
        return []
    rule, style = rules.plausibility, rules.display
    percent = unit_word(series.unit) == "%"
    shown = _shown(number, series, style)
    found: list[tuple[str, str]] = []
    if rule.negative and number < 0:
        found.append(
            (f"割合・率が負の値（{shown}）です", f"a negative rate ({shown})")
            if percent
            else (f"負の値（{shown}）です", f"a negative count ({shown})")
        )
    share = percent and any(word in series.name for word in rule.share_words)
    limit = rule.share_max if share else rule.percent_max
    if percent and limit is not None and number > limit:
        what, what_en = ("割合", "a share") if share else ("値", "the value")
        found.append(
            (f"{what}が {percent_text(limit, style)} を超えています（{shown}）", f"{what_en} is over {fmt_decimal(limit)}% ({shown})")
        )
    found += _achievement(series, year, rules)
    found += _jump(series, year, number, rules)
    return [Problem(where, ja, en, value.entry.text) for ja, en in found]


def _shown(number: Decimal, series: Series, style: Display) -> str:
    """A figure in the series' unit: its decimals as typed, or as few as need be once a multiplier (万) is taken out."""
    scale = series.unit_scale
    return figure_text(number.scaleb(-scale).normalize() if scale else number, series.unit, style)


def _achievement(series: Series, year: int, rules: RuleSet) -> list[tuple[str, str]]:
    limit = rules.plausibility.achievement_max
    rate = rate_of(series, year, rules.rate).uncapped
    if limit is None or rate is None or rate <= limit:
        return []
    style = rules.display
    target = entry_text(series.targets[year].parsed, series.unit, style)
    return [
        (
            f"達成率が {percent_text(rate, style)} になります（目標値 {target}、目安 {percent_text(limit, style)} 超）",
            f"the achievement rate would be {fmt_decimal(rate)}% (target {target}, over {fmt_decimal(limit)}%)",
        )
    ]


def _jump(series: Series, year: int, number: Decimal, rules: RuleSet) -> list[tuple[str, str]]:
    """A change from the latest earlier actual beyond the threshold, up (× 1 + jump) or down (÷ 1 + jump)."""
    limit = rules.plausibility.jump
    earlier = [(y, v) for y, v in series.values.items() if y < year and v.number is not None]
    if limit is None or not earlier:
        return []
    before_year, before_value = max(earlier, key=lambda item: item[0])
    before = number_in_base(before_value.entry.parsed, series.unit_scale)
    if not before:
        return []
    ratio = Fraction(number) / Fraction(before)
    factor = 1 + Fraction(limit) / 100
    if 1 / factor <= ratio <= factor:
        return []
    style = rules.display
    now, then = _shown(number, series, style), _shown(before, series, style)
    times = fmt_decimal(round_fraction(ratio, Rounding("half_up", 2)).normalize())
    return [
        (
            f"{before_year}年度の {then} から {now} に変わっています（{times} 倍）",
            f"{then} in {before_year}, now {now} ({times} times)",
        )
    ]
