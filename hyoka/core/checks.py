"""Warnings about a plan that loads but looks wrong: the typos a careful reader would flag.

Published reports contain such slips (a 2022 actual printed in 件 for a KPI counted in 回,
a cumulative 2027 target of 100,000 after 900,000). They are not errors, since the report
printed them, but a planner should see them before publishing.
"""

from __future__ import annotations

import itertools

from .errors import Problem
from .model import Plan, Series, Status
from .units import mismatch, mismatch_words

CUMULATIVE = ("累計", "計画期間中の累計")


def check_plan(plan: Plan) -> list[Problem]:
    warnings: list[Problem] = []
    for i, ind in enumerate(plan.indicators):
        for series in ind.series():
            where = f"indicators[{i}]" + (f".parts[{series.id}]" if series is not ind else "")
            warnings += _units(series, where)
            warnings += _pending_dates(series, where)
            if ind.aggregation in CUMULATIVE and series.direction == "higher":
                warnings += _falling_cumulative_targets(series, where)
    return warnings


def _units(series: Series, where: str) -> list[Problem]:
    """The unit slips a plan was published with; entered alone, the same value is refused (``units``)."""
    entries = [(f"targets.{y}", e) for y, e in series.targets.items()]
    entries += [(f"values.{y}.value", v.entry) for y, v in series.values.items()]
    return [
        Problem(f"{where}.{key}", *mismatch_words(entry.parsed.unit, series.unit), entry.text)
        for key, entry in entries
        if mismatch(series.unit, entry.parsed)
    ]


def _pending_dates(series: Series, where: str) -> list[Problem]:
    return [
        Problem(f"{where}.values.{y}", "把握予定の時期（expected）がありません", "a pending value has no expected date")
        for y, v in series.values.items()
        if v.status is Status.PENDING and not v.expected
    ]


def _falling_cumulative_targets(series: Series, where: str) -> list[Problem]:
    out = []
    years = sorted(y for y, e in series.targets.items() if e.number is not None)
    for previous, year in itertools.pairwise(years):
        before, now = series.targets[previous].number, series.targets[year].number
        assert before is not None and now is not None
        if now < before:
            out.append(
                Problem(
                    f"{where}.targets.{year}",
                    f"累計の目標値が前年（{series.targets[previous].text}）より減っています",
                    "a cumulative target falls below the previous year's",
                    series.targets[year].text,
                )
            )
    return out
