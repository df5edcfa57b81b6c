"""The national table: one year's figures of many plans as one tidy CSV (``hyoka evaluate --db --all``).

Every row begins with the 全国地方公共団体コード and the plan id, like the open-data
tables, so tables of several years or installations can be stacked. A row is a rate
(an indicator, or one part of it, with its judgement on the indicator's own row) or a
grade (a node, or the plan with level ``plan``). The columns are declared once below,
with the same `Resource` as the CSV data package.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from ..core.outcomes import PlanOutcome
from .csvpackage.schema import INDICATOR_ID, LEAD, NODE_ID, YEAR_FIELD, Field, Resource
from .csvpackage.write import write_table
from .files import write_atomic

NATIONAL = Resource(
    "national",
    "達成率・判定・評価（全計画）",
    "１行が 指標（部分）の達成率と判定、または ノード（計画全体は level が plan）の評価。",
    (
        *LEAD,
        YEAR_FIELD,
        NODE_ID,
        Field("level", "string", "階層", "評価したノードの階層（計画全体は plan。指標の行は空）。"),
        INDICATOR_ID,
        Field("part_id", "string", "部分ID", "部分の識別子（指標そのものは空）。"),
        Field("rate", "number", "達成率", "達成率（%、ルールどおりに丸め、上限で抑えた値）。"),
        Field("rate_uncapped", "number", "達成率（上限前）", "上限で抑える前の達成率（%）。"),
        Field(
            "no_rate",
            "string",
            "達成率なしの理由",
            "no_value、pending、unmeasurable、no_target、zero_denominator、no_baseline、qualitative。",
        ),
        Field("judgement", "string", "判定", "指標の判定の記号（◎○△■―）。"),
        Field("grade", "string", "評価", "ノードまたは計画全体の評価。"),
        Field("mean", "number", "平均", "評価の基にした平均（%）。"),
        Field("inputs", "integer", "件数", "平均に使った値の数。"),
    ),
)

Row = dict[str, Any]


def rows(outcome: PlanOutcome) -> Iterator[Row]:
    """The rows of one plan: its indicators in order (an indicator with parts: its judgement, then each part), then its grades."""
    lead = {"organization_code": outcome.organization, "plan_id": outcome.plan, "year": outcome.year}
    judgements = dict(outcome.judgements)
    for r in outcome.rates:
        judgement = judgements.pop(r.indicator, None)
        if r.part and judgement is not None:  # the first part of an indicator with parts
            yield lead | {"node_id": r.node, "indicator_id": r.indicator, "part_id": "", "judgement": judgement}
            judgement = None
        row = {"node_id": r.node, "indicator_id": r.indicator, "part_id": r.part, "rate": r.rate, "rate_uncapped": r.uncapped}
        yield lead | row | {"no_rate": r.no_rate.value if r.no_rate else "", "judgement": judgement}
    for g in outcome.grades:
        yield lead | {"node_id": g.node, "level": g.level, "grade": g.label, "mean": g.mean, "inputs": g.inputs}


def write_national(outcomes: Iterable[PlanOutcome], stream: TextIO) -> int:
    """Write the table of *outcomes* (any number of plans, one at a time) into *stream*; returns the rows written."""
    return write_table(NATIONAL, (row for outcome in outcomes for row in rows(outcome)), stream)


def save_national(outcomes: Iterable[PlanOutcome], path: Path) -> int:
    """Write the table into *path*, which appears whole or not at all."""
    written = 0

    def write(tmp: Path) -> None:
        nonlocal written
        with tmp.open("w", encoding="utf-8", newline="") as stream:
            written = write_national(outcomes, stream)

    write_atomic(path, write)
    return written
