"""What an uploaded file proposes to change, before anything is applied.

``read_changes`` is the one place that knows the file format. Today it reads a
`hyoka/1` JSON file of the same plan; the department workbook (Excel) reader plugs in
here, returning the same ``ProposedValue`` list, and the preview and apply views stay as
they are.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

from ...core.errors import InputError
from ...core.model import Plan as CorePlan
from ...core.model import Value as CoreValue
from ...formats.hyoka1 import loads
from . import models as m
from .convert import core_plan
from .entry import ValueInput, shown


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

    def entered(self) -> ValueInput:
        if self.kind == "removed":
            return ValueInput("")
        return ValueInput(self.text, self.status, self.expected, self.note)

    def as_session(self) -> dict[str, object]:
        return asdict(self)


def _shown(v: CoreValue | None) -> str:
    return "" if v is None else shown(v.entry.text, v.status.value, v.expected)


def _same(a: CoreValue, b: CoreValue) -> bool:
    return (a.entry.text, a.status, a.expected or "", a.note) == (b.entry.text, b.status, b.expected or "", b.note)


def read_changes(plan: m.Plan, filename: str, data: bytes) -> list[ProposedValue]:
    """The value changes *data* proposes for *plan*; InputError naming the place if it cannot be read."""
    incoming = loads(data, where=filename)
    if incoming.id != plan.key:
        raise InputError.one(
            f"{filename}:plan.id",
            _("別の計画のファイルです（この計画の ID は %(key)s）") % {"key": plan.key},
            f"the file is for another plan (this plan is {plan.key})",
            incoming.id,
        )
    return value_changes(core_plan(plan), incoming, filename)


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
                    )
                )
    return out
