"""A year's figures as the planner reviews them before the 部長会議: each series' actual beside
its 達成率 or judgement as the engine computed them, last year's actual and the change from
it, and the doubts the entry form raised (``plausibility``).

A planner reading two hundred figures looks for the few that need a question: a negative
rate, a figure ten times last year's, an achievement of 1,234 %. The rows come from one
``Evaluation``, so a rate here is the rate of every page and report; nothing is recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .engine import Evaluation
from .errors import Problem
from .judgement import Judgement
from .model import Entry, Indicator, Series, Value
from .plausibility import doubts
from .rates import Rate
from .targets import number_in_base


@dataclass(frozen=True)
class Reviewed:
    """One series of one indicator in the evaluated year (*label* is the part's name, "" for a plain indicator)."""

    indicator: Indicator
    series: Series
    label: str
    year: int
    rate: Rate
    judgement: Judgement | None
    value: Value | None
    previous: Value | None  # last year's actual
    doubts: tuple[Problem, ...]

    @property
    def target(self) -> Entry | None:
        return self.series.targets.get(self.year)

    @property
    def target_number(self) -> Decimal | None:
        return in_unit(self.target, self.series)

    @property
    def number(self) -> Decimal | None:
        """The actual in the series' unit (「12.5」 for 12.5万人), None for a text or a pending figure."""
        return _figure(self.value, self.series)

    @property
    def previous_number(self) -> Decimal | None:
        return _figure(self.previous, self.series)

    @property
    def change(self) -> Decimal | None:
        """This year's actual minus last year's, in the series' unit (points for a rate in %)."""
        now, then = self.number, self.previous_number
        return None if now is None or then is None else now - then


def in_unit(entry: Entry | None, series: Series) -> Decimal | None:
    """A target's or an actual's number in its series' unit, exact; None for a text."""
    if entry is None or entry.number is None:
        return None
    scale, number = series.unit_scale, number_in_base(entry.parsed, series.unit_scale)
    if number is None or not scale:
        return number  # with the decimals as typed (「50.0％」 stays 50.0)
    # 「2,609万人泊」 is held as 26090000: shown in 万人泊 with no decimals that were never typed.
    shown = number.scaleb(-scale).normalize()
    exponent = shown.as_tuple().exponent
    return shown.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else shown


def _figure(value: Value | None, series: Series) -> Decimal | None:
    """An actual's number, None for a text or a figure still to come (把握予定, 測定不能)."""
    return None if value is None or value.number is None else in_unit(value.entry, series)


def reviewed(ev: Evaluation) -> list[Reviewed]:
    """Every series of the evaluated year in the plan's order, each with what a reviewer checks."""
    year, rows = ev.year, []
    for result in ev.indicators.values():
        for label, series, rate in result.rates:
            rows.append(
                Reviewed(
                    indicator=result.indicator,
                    series=series,
                    label=label,
                    year=year,
                    rate=rate,
                    judgement=result.judgement,
                    value=series.values.get(year),
                    previous=series.values.get(year - 1),
                    doubts=tuple(doubts(series, year, ev.rules)),
                )
            )
    return rows
