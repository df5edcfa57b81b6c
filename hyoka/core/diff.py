"""What changed between two versions of a plan: added, changed (old → new) and removed.

An import must show a planner exactly what it is going to write before it writes it
(the dry run of ``hyoka import``, the upload preview of the web app), and importing
the same file twice must show nothing the second time. Both need one comparison of
two plans that names each changed value, target, text, node and indicator.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .model import Indicator, Node, Plan, Series
from .schema import CHOICE, plain_dict, plain_fields, to_plain


class Action(StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    REMOVED = "removed"

    @property
    def label(self) -> str:
        return {"added": "追加", "changed": "変更", "removed": "削除"}[self.value]


SUBJECT_LABELS = {
    "plan": "計画",
    "rules": "評価ルール",
    "node": "体系",
    "texts": "評価コメント",
    "review": "二次評価",
    "indicator": "指標",
    "part": "部分",
    "baseline": "基準値",
    "target": "目標値",
    "value": "実績値",
}

Key = tuple[str, tuple[str, ...]]


@dataclass(frozen=True)
class Change:
    """One difference; *key* locates it (ids and year), *field* is empty for a whole thing."""

    action: Action
    subject: str
    key: tuple[str, ...]
    field: str = ""
    old: str | None = None
    new: str | None = None

    def __str__(self) -> str:
        place = " ".join(k for k in self.key if k)
        head = f"{self.action.label} {SUBJECT_LABELS[self.subject]} {place}".rstrip()
        if self.field:
            head += f" {self.field}"
        if self.action is Action.ADDED:
            return f"{head}: {_shown(self.new)}"
        if self.action is Action.REMOVED:
            return f"{head}: {_shown(self.old)}"
        return f"{head}: {_shown(self.old)} → {_shown(self.new)}"


def _shown(text: str | None) -> str:
    return f"「{text}」" if text else "（空欄）"


@dataclass
class _Record:
    parent: Key | None
    fields: dict[str, Any]


def diff_plans(old: Plan, new: Plan) -> list[Change]:
    """Every difference from *old* to *new*; nothing inside an added or removed thing is repeated."""
    before = dict(_records(old))
    after = dict(_records(new))
    changes: list[Change] = []
    for key, record in after.items():
        previous = before.get(key)
        if previous is None:
            if record.parent is None or record.parent in before:
                changes.append(Change(Action.ADDED, key[0], key[1], new=_summary(key[0], record)))
            continue
        for name, value in record.fields.items():
            old_value = previous.fields.get(name)
            if old_value != value:
                changes.append(Change(Action.CHANGED, key[0], key[1], name, _display(old_value), _display(value)))
    for key, record in before.items():
        if key not in after and (record.parent is None or record.parent in after):
            changes.append(Change(Action.REMOVED, key[0], key[1], old=_summary(key[0], record)))
    return changes


def _summary(subject: str, record: _Record) -> str:
    """A whole thing in one line: its first field (a name, a value's text), and a value's status."""
    shown = _display(next(iter(record.fields.values()), None))
    if subject == "value" and record.fields["状態"] != "確定":
        return f"{shown}（{record.fields['状態']}）" if shown else record.fields["状態"]
    return shown


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " / ".join(_display(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def _fields(obj: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The plain fields of *obj* (core.schema) by their Japanese names, a code shown as its label."""
    out: dict[str, Any] = {}
    for f in plain_fields(type(obj)):
        if f.name in skip:
            continue
        value = to_plain(getattr(obj, f.name))
        out[f.label] = f.about.choices.get(value, value) if f.kind == CHOICE and value is not None else value
    return out


def _records(plan: Plan) -> Iterator[tuple[Key, _Record]]:
    org = plan.organization
    head = {
        "名称": plan.name,
        "団体": org.name,
        "団体コード": org.code,
        "計画期間": f"{plan.period_start}-{plan.period_end}",
        "階層": list(plan.levels),
        "年度サイクル": {str(y): list(plain_dict(c).values()) for y, c in sorted(plan.cycles.items())},
    }
    yield ("plan", ()), _Record(None, head | _fields(plan) | {"報告書": dataclasses.asdict(plan.report), "その他": plan.extras})
    yield ("rules", ()), _Record(None, {"": plan.rules_spec})
    for node in plan.nodes:
        yield from _node_records(node)
    for indicator in plan.indicators:
        yield from _indicator_records(indicator)


def _node_records(node: Node) -> Iterator[tuple[Key, _Record]]:
    key: Key = ("node", (node.id,))
    fields = {"名称": node.name, "親": node.parent} | _fields(node)
    fields |= {"事業": [list(plain_dict(p).values()) for p in node.projects], "その他": node.extras}
    yield key, _Record(None, fields)
    for year, t in sorted(node.texts.items()):
        yield ("texts", (node.id, str(year))), _Record(key, _fields(t))
    for year, r in sorted(node.reviews.items()):
        yield ("review", (node.id, str(year))), _Record(key, _fields(r))


def _indicator_records(ind: Indicator) -> Iterator[tuple[Key, _Record]]:
    key: Key = ("indicator", (ind.id,))
    fields = {"指標名": ind.name, "ノード": ind.node} | _fields(ind) | {"その他": ind.extras}
    yield key, _Record(None, fields)
    yield from _series_records(ind, (ind.id, ""), key)
    for part in ind.parts:
        part_key: Key = ("part", (ind.id, part.id))
        yield part_key, _Record(key, _fields(part))
        yield from _series_records(part, (ind.id, part.id), part_key)


def _series_records(s: Series, ids: tuple[str, str], parent: Key) -> Iterator[tuple[Key, _Record]]:
    if s.baseline is not None:
        yield ("baseline", ids), _Record(parent, {"値": s.baseline.entry.text} | _fields(s.baseline))
    for year, entry in sorted(s.targets.items()):
        yield ("target", (*ids, str(year))), _Record(parent, {"": entry.text})
    for year, value in sorted(s.values.items()):
        yield ("value", (*ids, str(year))), _Record(parent, {"値": value.entry.text} | _fields(value))
