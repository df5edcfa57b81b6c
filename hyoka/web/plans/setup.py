"""Setting a plan up in the browser: its nodes and indicators edited field by field, each change in the history.

The fields are the plan's declared plain fields (``core.schema``), so a field added to the
model is editable here without being named again. An edit is applied to the plan's
`hyoka/1` document and the whole plan is read back by the core before anything is stored:
the browser accepts exactly what a plan file would, and a refused edit names its field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from ...core.model import BASELINE_PREFIX, Baseline, Indicator, Node
from ...core.schema import CHOICE, DECIMAL, LIST, YEAR, Plain, plain_fields
from ...formats.hyoka1 import plan_from_dict
from ..accounts.models import User
from ..history.models import ChangeKind
from ..history.record import record
from . import models as m
from .bulk_rows import db_row, indicator_columns, series_columns
from .conflicts import lock_plan
from .convert import document, touch

NODE_FIELDS = tuple(f for f in plain_fields(Node) if f.name != "level")  # a node's level is its place in the tree
INDICATOR_FIELDS = tuple(plain_fields(Indicator))
BASELINE_FIELDS = tuple(plain_fields(Baseline))


def shown(f: Plain, value: Any) -> str:
    """A field's value as the history prints it: a list one item a line, nothing as ―."""
    if isinstance(value, list):
        return "、".join(value) or "―"
    return "―" if value in (None, "") else str(value)


def _changes(fields: tuple[Plain, ...], before: dict[str, Any], after: dict[str, Any]) -> tuple[str, str]:
    changed = [f for f in fields if before.get(f.name) != after.get(f.name)]
    return (
        "\n".join(f"{f.label}: {shown(f, before.get(f.name))}" for f in changed),
        "\n".join(f"{f.label}: {shown(f, after.get(f.name))}" for f in changed),
    )


def _doc_value(f: Plain, value: Any) -> Any:
    """A form's value as the plan file holds it (an empty year or decimal is no key at all)."""
    if f.kind in (YEAR, CHOICE, DECIMAL) and value in ("", None):
        return None
    if f.kind == LIST:
        return list(value)
    return value


def _edited(
    plan: m.Plan, collection: str, key: str, fields: Sequence[Plain], values: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The plan's document, read under its lock, with one node's or indicator's *fields* set as the form gave them."""
    lock_plan(plan)
    doc = document(plan)
    obj = next(o for o in doc[collection] if o["id"] == key)
    for f in fields:
        obj[f.name] = _doc_value(f, values[f.name])
    return doc, obj


@transaction.atomic
def save_node(row: m.Node, values: dict[str, Any], user: User | None, why: str) -> bool:
    """A node's fields changed (InputError naming the field if the plan would not read); False when nothing changed."""
    plan = row.plan
    doc, _obj = _edited(plan, "nodes", row.key, NODE_FIELDS, values)
    node = plan_from_dict(doc).node_by_id[row.key]
    before, after = {f.name: getattr(row, f.name) for f in NODE_FIELDS}, db_row(node)
    old, new = _changes(NODE_FIELDS, before, after)
    if not new:
        return False
    for name, value in after.items():
        setattr(row, name, value)
    row.save()
    record(plan, user, ChangeKind.NODE, f"{row.key} {node.name}", old=old, new=new, why=why, node_key=row.key)
    touch(plan)
    return True


@transaction.atomic
def save_indicator(row: m.Indicator, values: dict[str, Any], baseline: dict[str, Any], user: User | None, why: str) -> bool:
    """An indicator's own fields and baseline changed (its parts, targets and values have their own forms)."""
    plan = row.plan
    doc, obj = _edited(plan, "indicators", row.key, INDICATOR_FIELDS, values)
    if baseline.get("value"):
        obj["baseline"] = {"value": baseline["value"]} | {f.name: _doc_value(f, baseline[f.name]) for f in BASELINE_FIELDS}
    else:
        obj.pop("baseline", None)
    indicator = plan_from_dict(doc).indicator_by_id[row.key]
    own = m.Series.objects.get(indicator=row, part="")
    before_series = {k: getattr(own, k) for k in series_columns(indicator, "", own.position)}
    before = {k: getattr(row, k) for k in indicator_columns(indicator, row.position)} | before_series
    indicator_row, series_row = indicator_columns(indicator, row.position), series_columns(indicator, "", own.position)
    after = indicator_row | series_row
    described = (*INDICATOR_FIELDS, *(_prefixed(f) for f in BASELINE_FIELDS))
    old, new = _changes(described, before, after)
    baseline_old, baseline_new = before.get("baseline_value"), after.get("baseline_value")
    if baseline_old != baseline_new:
        old += f"\n基準値: {baseline_old or '―'}"
        new += f"\n基準値: {baseline_new or '―'}"
    if not new.strip():
        return False
    for name, value in indicator_row.items():
        setattr(row, name, value)
    row.save()
    for name, value in series_row.items():
        setattr(own, name, value)
    own.save()
    record(
        plan, user, ChangeKind.INDICATOR, f"{row.key} {indicator.name}", old=old.strip(), new=new.strip(), why=why, indicator_key=row.key
    )
    touch(plan)
    return True


def _prefixed(f: Plain) -> Plain:
    """A baseline field under its column's name (baseline_year), labelled as the workbook labels it."""
    return Plain(BASELINE_PREFIX + f.name, f.about, f.default)
