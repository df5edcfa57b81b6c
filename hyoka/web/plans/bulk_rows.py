"""A core plan as the rows ``store_plan`` writes, in plain tuples, for the bulk load.

Kept free of Django so that worker processes can read and check plan files and turn
them into rows without a database; the parent process only numbers the rows and copies
them in. Rows refer to each other by their index in this plan (a node's parent, an
indicator's node, a series' indicator), because database ids are given out later.
The columns and values must be the ones ``convert.store_plan`` writes: the bulk load
test compares both paths table by table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...core.model import Plan as CorePlan
from ...core.model import Series as CoreSeries
from ...formats.hyoka1 import load_path, report_to_dict

PLAN_COLUMNS = (
    "key",
    "name",
    "organization_name",
    "organization_code",
    "period_start",
    "period_end",
    "levels",
    "description",
    "report",
    "extras",
)
CYCLE_COLUMNS = ("year", "status", "due")
NODE_COLUMNS = (
    "key",
    "position",
    "level",
    "number",
    "name",
    "description",
    "departments",
    "tags",
    "status",
    "note",
    "projects",
    "activities",
    "extras",
)
TEXT_COLUMNS = ("year", "results", "issues", "summary", "funding")
REVIEW_COLUMNS = ("year", "grade", "comments", "answer")
INDICATOR_COLUMNS = (
    "key",
    "position",
    "kind",
    "aggregation",
    "period_basis",
    "final_target_year",
    "departments",
    "footnotes",
    "added_in",
    "weight",
    "extras",
)
SERIES_COLUMNS = (
    "part",
    "position",
    "label",
    "name",
    "unit",
    "direction",
    "formula",
    "baseline_value",
    "baseline_year",
    "baseline_note",
    "note",
)
TARGET_COLUMNS = ("year", "text")
VALUE_COLUMNS = ("year", "text", "status", "expected", "note", "judgement", "judgement_reason")
JSON_COLUMNS = frozenset(
    {"levels", "report", "extras", "departments", "tags", "projects", "activities", "results", "issues", "funding", "comments", "footnotes"}
)

Row = tuple[Any, ...]


@dataclass
class PlanRows:
    """One plan's rows; the first element of a dependent row is the index of the row it belongs to."""

    plan: Row
    rules: dict[str, Any]
    cycles: list[Row] = field(default_factory=list)
    nodes: list[Row] = field(default_factory=list)
    parents: list[int | None] = field(default_factory=list)  # index of each node's parent
    texts: list[Row] = field(default_factory=list)
    reviews: list[Row] = field(default_factory=list)
    indicators: list[Row] = field(default_factory=list)
    series: list[Row] = field(default_factory=list)
    targets: list[Row] = field(default_factory=list)
    values: list[Row] = field(default_factory=list)
    departments: set[str] = field(default_factory=set)

    @property
    def count(self) -> int:
        return 2 + sum(
            map(len, (self.cycles, self.nodes, self.texts, self.reviews, self.indicators, self.series, self.targets, self.values))
        )


def _drop_empty(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v not in ("", None, [], {})}


def plan_rows(plan: CorePlan) -> PlanRows:
    out = PlanRows(
        plan=(
            plan.id,
            plan.name,
            plan.organization.name,
            plan.organization.code,
            plan.period_start,
            plan.period_end,
            list(plan.levels),
            plan.description,
            report_to_dict(plan.report),
            plan.extras,
        ),
        rules=plan.rules_spec,
        cycles=[(y, c.status, c.due) for y, c in plan.cycles.items()],
    )
    node_index = {n.id: i for i, n in enumerate(plan.nodes)}
    for i, n in enumerate(plan.nodes):
        projects = [_drop_empty({"name": p.name, "departments": p.departments, "tags": p.tags}) for p in n.projects]
        out.nodes.append(
            (n.id, i, n.level, n.number, n.name, n.description, n.departments, n.tags, n.status, n.note, projects, n.activities, n.extras)
        )
        out.parents.append(None if n.parent is None else node_index[n.parent])
        out.texts.extend((i, y, t.results, t.issues, t.summary, t.funding) for y, t in n.texts.items())
        out.reviews.extend((i, y, r.grade, r.comments, r.answer) for y, r in n.reviews.items())
    for k, ind in enumerate(plan.indicators):
        weight = str(ind.weight) if ind.weight is not None else ""
        out.indicators.append(
            (
                node_index[ind.node],
                ind.id,
                k,
                ind.kind,
                ind.aggregation,
                ind.period_basis,
                ind.final_target_year,
                ind.departments,
                ind.footnotes,
                ind.added_in,
                weight,
                ind.extras,
            )
        )
        _add_series(out, k, ind, "", 0)
        for position, part in enumerate(ind.parts, start=1):
            _add_series(out, k, part, part.id, position)
    out.departments = {d for n in plan.nodes for d in n.departments} | {d for i in plan.indicators for d in i.departments}
    return out


def _add_series(out: PlanRows, indicator: int, s: CoreSeries, part: str, position: int) -> None:
    index = len(out.series)
    b = s.baseline
    out.series.append(
        (
            indicator,
            part,
            position,
            s.label,
            s.name,
            s.unit,
            s.direction,
            s.formula or "",
            b.entry.text if b else None,
            b.year if b else None,
            b.note if b else "",
            s.note,
        )
    )
    out.targets.extend((index, y, e.text) for y, e in s.targets.items())
    out.values.extend(
        (index, y, v.entry.text, v.status.value, v.expected or "", v.note, v.judgement or "", v.judgement_reason)
        for y, v in s.values.items()
    )


def file_rows(path: Path) -> PlanRows:
    """Read, check and turn one `hyoka/1` file into rows (run in worker processes)."""
    return plan_rows(load_path(path))
