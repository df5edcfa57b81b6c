"""A core plan as the rows ``store_plan`` writes, in plain tuples, for the bulk load.

Kept free of Django so that worker processes can read and check plan files and turn
them into rows without a database; the parent process only numbers the rows and copies
them in. Rows refer to each other by their index in this plan (a node's parent, an
indicator's node, a series' indicator), because database ids are given out later.
``store_plan`` builds its model rows from the same ``*_row`` dicts, so both paths write
the same columns and values (the bulk load test compares them table by table).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...core.model import BASELINE_PREFIX, Baseline, Cycle, Indicator, Node, NodeTexts, Review, Series, Value
from ...core.model import Organization as CoreOrganization
from ...core.model import Plan as CorePlan
from ...core.schema import LIST, YEAR, names, plain_fields, record, to_plain
from ...formats.hyoka1 import corrections_to_list, load_path, report_to_dict

SERIES_FIELDS = names(Series)
INDICATOR_FIELDS = names(Indicator, skip=SERIES_FIELDS)

PLAN_COLUMNS = (
    "key",
    "name",
    "period_start",
    "period_end",
    "levels",
    *names(CorePlan),
    "report",
    "extras",
)  # and the organization, found by the loader
CYCLE_COLUMNS = ("year", *names(Cycle), "corrections")
NODE_COLUMNS = ("key", "position", *names(Node), "projects", "extras")
TEXT_COLUMNS = ("year", *names(NodeTexts))
REVIEW_COLUMNS = ("year", *names(Review))
INDICATOR_COLUMNS = ("key", "position", *INDICATOR_FIELDS, "extras")
SERIES_COLUMNS = ("part", "position", *SERIES_FIELDS, "baseline_value", *(BASELINE_PREFIX + n for n in names(Baseline)))
TARGET_COLUMNS = ("year", "text")
VALUE_COLUMNS = ("year", "text", *names(Value))
JSON_COLUMNS = frozenset(
    {"levels", "report", "extras", "projects", "corrections"}
    | {f.name for cls in (Node, NodeTexts, Review, Indicator) for f in plain_fields(cls) if f.kind == LIST}
)

Row = tuple[Any, ...]


def db_row(obj: Any, cls: type | None = None, *, prefix: str = "", skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The plain fields of *obj* (or their defaults when it is None) as the database columns hold them.

    A missing text, code or decimal is "" in its column (texts are never NULL); a year may be NULL.
    """
    out = {}
    for f in plain_fields(cls or type(obj)):
        if f.name in skip:
            continue
        value = to_plain(f.default if obj is None else getattr(obj, f.name))
        out[prefix + f.name] = "" if value is None and f.kind != YEAR else value
    return out


def plan_columns(plan: CorePlan) -> dict[str, Any]:
    head = {"key": plan.id, "name": plan.name, "period_start": plan.period_start, "period_end": plan.period_end}
    return head | {"levels": list(plan.levels)} | db_row(plan) | {"report": report_to_dict(plan.report), "extras": plan.extras}


def node_columns(n: Node, position: int) -> dict[str, Any]:
    return {"key": n.id, "position": position} | db_row(n) | {"projects": [record(p) for p in n.projects], "extras": n.extras}


def indicator_columns(ind: Indicator, position: int) -> dict[str, Any]:
    return {"key": ind.id, "position": position} | db_row(ind, skip=SERIES_FIELDS) | {"extras": ind.extras}


def series_columns(s: Series, part: str, position: int) -> dict[str, Any]:
    b = s.baseline
    baseline = {"baseline_value": b.entry.text if b else None} | db_row(b, Baseline, prefix=BASELINE_PREFIX)
    return {"part": part, "position": position} | db_row(s, Series) | baseline


def value_columns(v: Value) -> dict[str, Any]:
    return {"text": v.entry.text} | db_row(v)


def _tuple(columns: tuple[str, ...], row: dict[str, Any]) -> Row:
    return tuple(row[c] for c in columns)


@dataclass
class PlanRows:
    """One plan's rows; the first element of a dependent row is the index of the row it belongs to."""

    plan: Row
    organization: CoreOrganization  # as the file names it; the loader finds (or makes) the stored one
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


def plan_rows(plan: CorePlan) -> PlanRows:
    out = PlanRows(
        plan=_tuple(PLAN_COLUMNS, plan_columns(plan)),
        organization=plan.organization,
        rules=plan.rules_spec,
        cycles=[
            _tuple(CYCLE_COLUMNS, {"year": y, "corrections": corrections_to_list(c.corrections)} | db_row(c))
            for y, c in plan.cycles.items()
        ],
    )
    node_index = {n.id: i for i, n in enumerate(plan.nodes)}
    for i, n in enumerate(plan.nodes):
        out.nodes.append(_tuple(NODE_COLUMNS, node_columns(n, i)))
        out.parents.append(None if n.parent is None else node_index[n.parent])
        out.texts.extend((i, *_tuple(TEXT_COLUMNS, {"year": y} | db_row(t))) for y, t in n.texts.items())
        out.reviews.extend((i, *_tuple(REVIEW_COLUMNS, {"year": y} | db_row(r))) for y, r in n.reviews.items())
    for k, ind in enumerate(plan.indicators):
        out.indicators.append((node_index[ind.node], *_tuple(INDICATOR_COLUMNS, indicator_columns(ind, k))))
        _add_series(out, k, ind, "", 0)
        for position, part in enumerate(ind.parts, start=1):
            _add_series(out, k, part, part.id, position)
    out.departments = {d for n in plan.nodes for d in n.departments} | {d for i in plan.indicators for d in i.departments}
    return out


def _add_series(out: PlanRows, indicator: int, s: Series, part: str, position: int) -> None:
    index = len(out.series)
    out.series.append((indicator, *_tuple(SERIES_COLUMNS, series_columns(s, part, position))))
    out.targets.extend((index, y, e.text) for y, e in s.targets.items())
    out.values.extend((index, *_tuple(VALUE_COLUMNS, {"year": y} | value_columns(v))) for y, v in s.values.items())


def file_rows(path: Path) -> PlanRows:
    """Read, check and turn one `hyoka/1` file into rows (run in worker processes)."""
    return plan_rows(load_path(path))
