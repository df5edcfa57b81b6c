"""What an uploaded file proposes to change, before anything is applied.

``read_changes`` is the one place that knows the file formats: a department's (or the
whole plan's) Excel workbook, read by hyoka.formats.xlsx exactly as `hyoka import` reads
it, or a `hyoka/1` JSON file of the same plan. It returns the proposed values and
一次評価 texts; the preview and apply views stay the same for every format.
"""

from __future__ import annotations

import tempfile
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from ...core.errors import InputError
from ...core.model import Plan as CorePlan
from ...core.model import Value as CoreValue
from ...formats.hyoka1 import loads
from ...formats.xlsx.importer import apply_update, read_update
from ...formats.xlsx.layout import TEXTS
from ...formats.xlsx.stamps import Stale
from ..accounts.models import User
from . import models as m
from .convert import core_plan
from .entry import ValueInput, save_target, save_texts, save_value, shown
from .locks import published_years
from .publication import correcting


@dataclass(frozen=True)
class ProposedValue:
    indicator: str
    part: str
    year: int
    kind: str  # "added", "changed" or "removed"
    old: str  # as the history prints it
    new: str
    text: str = ""
    status: str = ""
    expected: str = ""
    note: str = ""
    shortfall: str = ""
    sheet_row: str = ""  # a conflict's row in the workbook (「実績値 12行目」)

    @property
    def conflict(self) -> bool:
        """Changed in the workbook and in hyoka since its export: applied only when the person chooses it."""
        return self.kind == "conflict"

    def entered(self) -> ValueInput:
        if self.kind == "removed" or (self.conflict and not self.text and not self.status):
            return ValueInput("")
        return ValueInput(self.text, self.status or "confirmed", self.expected, self.note, self.shortfall)

    def as_session(self) -> dict[str, object]:
        return asdict(self)


def _shown(v: CoreValue | None) -> str:
    return "" if v is None else shown(v.entry.text, v.status.value, v.expected)


def _same(a: CoreValue, b: CoreValue) -> bool:
    return (a.entry.text, a.status, a.expected or "", a.note, a.shortfall) == (
        b.entry.text,
        b.status,
        b.expected or "",
        b.note,
        b.shortfall,
    )


@dataclass(frozen=True)
class ProposedText:
    """New 一次評価 texts of a node for a year (取組結果 and 課題と方向性, one bullet a line)."""

    node: str
    year: int
    results: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    old_results: list[str] = field(default_factory=list)
    old_issues: list[str] = field(default_factory=list)
    sheet_row: str = ""  # a conflict's row in the workbook; "" for a change to apply

    @property
    def conflict(self) -> bool:
        return bool(self.sheet_row)

    def as_session(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class ProposedTarget:
    indicator: str
    part: str
    year: int
    text: str


@dataclass(frozen=True)
class Proposal:
    """The changes a file proposes; *conflicts* are its rows changed in hyoka too since the workbook's export."""

    values: list[ProposedValue]
    texts: list[ProposedText]
    conflicts: list[ProposedValue | ProposedText] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.values) + len(self.texts)


def read_changes(plan: m.Plan, filename: str, data: bytes) -> Proposal:
    """What *data* proposes for *plan*; InputError naming the place (sheet, row, column) if it cannot be read."""
    current = core_plan(plan)
    stale: list[Stale] = []
    if filename.lower().endswith(".xlsx"):
        incoming, stale = _read_workbook(current, filename, data)
    else:
        incoming = _read_plan_file(plan, filename, data)
    return Proposal(value_changes(current, incoming, filename), text_changes(current, incoming), [_conflict(s) for s in stale])


def _read_workbook(current: CorePlan, filename: str, data: bytes) -> tuple[CorePlan, list[Stale]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload.xlsx"
        path.write_bytes(data)
        read = read_update(path, filename)
        return apply_update(current, read), read.stale


def _conflict(stale: Stale) -> ProposedValue | ProposedText:
    """A workbook row changed in hyoka since its export, as a change the person may still choose to apply."""
    ident, part, year = stale.what
    stored, incoming = stale.stored or {}, stale.incoming or {}
    if stale.sheet == TEXTS.name:
        return ProposedText(
            ident,
            year,
            list(incoming.get("results", [])),
            list(incoming.get("issues", [])),
            list(stored.get("results", [])),
            list(stored.get("issues", [])),
            sheet_row=stale.place,
        )
    return ProposedValue(
        ident,
        part,
        year,
        "conflict",
        shown_fields(stored),
        shown_fields(incoming),
        text=incoming.get("value", ""),
        status=incoming.get("status", ""),
        expected=incoming.get("expected") or "",
        note=incoming.get("note", ""),
        shortfall=incoming.get("shortfall", ""),
        sheet_row=stale.place,
    )


def shown_fields(value: dict[str, Any]) -> str:
    """A `hyoka/1` value as the history prints it: 「55,260人（確定）」; 「」 for none."""
    if not value:
        return ""
    return shown(value.get("value", ""), value.get("status") or "confirmed", value.get("expected"))


def _read_plan_file(plan: m.Plan, filename: str, data: bytes) -> CorePlan:
    incoming = loads(data, where=filename)
    if incoming.id != plan.key:
        raise InputError.one(
            f"{filename}:plan.id",
            _("別の計画のファイルです（この計画の ID は %(key)s）") % {"key": plan.key},
            f"the file is for another plan (this plan is {plan.key})",
            incoming.id,
        )
    return incoming


def text_changes(current: CorePlan, incoming: CorePlan) -> list[ProposedText]:
    """Nodes whose 取組結果 or 課題と方向性 differ in *incoming* (other text fields are kept as stored)."""
    out: list[ProposedText] = []
    for node in current.nodes:
        new_node = incoming.node_by_id.get(node.id)
        if new_node is None:
            continue
        for year in sorted({*node.texts, *new_node.texts}):
            old, new = node.texts.get(year), new_node.texts.get(year)
            old_pair = (old.results, old.issues) if old else ([], [])
            new_pair = (new.results, new.issues) if new else ([], [])
            if old_pair != new_pair:
                out.append(ProposedText(node.id, year, list(new_pair[0]), list(new_pair[1]), list(old_pair[0]), list(old_pair[1])))
    return out


def value_changes(current: CorePlan, incoming: CorePlan, filename: str = "") -> list[ProposedValue]:
    unknown = [i.id for i in incoming.indicators if i.id not in current.indicator_by_id]
    if unknown:
        raise InputError.one(
            f"{filename}:indicators",
            _("この計画にない指標があります: %(ids)s") % {"ids": ", ".join(unknown[:10])},
            "indicators not in this plan",
        )
    out: list[ProposedValue] = []
    for ind in current.indicators:
        new_ind = incoming.indicator_by_id.get(ind.id)
        for series in ind.series():
            part = series.id if series is not ind else ""
            new_series = None
            if new_ind is not None:
                new_series = next((p for p in new_ind.parts if p.id == part), new_ind) if part else new_ind
            new_values = new_series.values if new_series is not None else {}
            for year in sorted({*series.values, *new_values}):
                old, new = series.values.get(year), new_values.get(year)
                if old is not None and new is not None and _same(old, new):
                    continue
                kind = "added" if old is None else "removed" if new is None else "changed"
                out.append(
                    ProposedValue(
                        ind.id,
                        part,
                        year,
                        kind,
                        _shown(old),
                        _shown(new),
                        text=new.entry.text if new else "",
                        status=new.status.value if new else "",
                        expected=(new.expected or "") if new else "",
                        note=new.note if new else "",
                        shortfall=new.shortfall if new else "",
                    )
                )
    return out


def apply_changes(
    plan: m.Plan,
    user: User | None,
    why: str,
    correct: str,
    values: list[ProposedValue],
    texts: list[ProposedText],
    targets: list[ProposedTarget] | None = None,
) -> None:
    """Write proposed changes year by year, each through the save functions (checked, with history).

    The changes of a published year are made as one 訂正 whose reason is *correct*; without
    it they are refused (``locks``). The caller holds the transaction and marks the plan changed.
    """
    targets = targets or []
    series = {
        (s.indicator.key, s.part): s
        for s in m.Series.objects.filter(indicator__plan=plan).select_related("indicator__plan", "indicator__node")
    }
    nodes = {n.key: n for n in m.Node.objects.filter(plan=plan).select_related("plan")}
    published = published_years(plan)
    for year in sorted({c.year for c in values} | {t.year for t in texts} | {t.year for t in targets}):
        corrected = year in published
        with correcting(plan, year, user, correct) if corrected else nullcontext() as correction:
            reason = "" if corrected else why  # a correction's changes carry its own reason
            for c in (c for c in values if c.year == year):
                save_value(series[(c.indicator, c.part)], year, c.entered(), user, reason, mark_changed=False, correction=correction)
            for t in (t for t in texts if t.year == year):
                save_texts(nodes[t.node], year, t.results, t.issues, user, reason, correction=correction)
            for g in (g for g in targets if g.year == year):
                save_target(series[(g.indicator, g.part)], year, g.text, user, reason, correction=correction)
