"""Importing a workbook: read it into an update, apply the update to a plan, list the changes.

Reading (:func:`read_update`) and applying (:func:`apply_update`) are separate so that
the same update can be applied to a plan file today and to the database later. The
new plan is built completely in memory and checked as a whole; a single bad cell
raises an error listing every problem, and nothing is changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ...core.errors import InputError
from ...core.model import Plan
from ..hyoka1 import plan_from_dict, plan_to_dict
from ..origins import Origins
from .department import DepartmentUpdate, apply_department, department_update
from .fields import Fields
from .full import FullUpdate, full_update
from .layout import DEPARTMENT_SHEETS, FULL_SHEETS, KIND_DEPARTMENT, KIND_FULL, WORKBOOK_FORMAT
from .read import RawWorkbook, open_workbook
from .stamps import Stale, reconcile

Update = FullUpdate | DepartmentUpdate


@dataclass
class ReadWorkbook:
    """A workbook read: its update (None when it could not be understood) and its problems so far.

    *stale* is filled by :func:`apply_update`: the rows changed both in the file and, since
    the export, in the plan it was applied to (``stamps``), left as the plan has them.
    """

    raw: RawWorkbook
    update: Update | None
    stale: list[Stale] = field(default_factory=list)


def read_update(path: str | Path, where: str | None = None) -> ReadWorkbook:
    raw = open_workbook(path, where)
    kind_cell = raw.plan.get("kind")
    form = raw.plan.get("format")
    if not raw.plan:
        raw.add("計画", "「計画」シートがありません（hyoka のブックではありません）", "no 計画 sheet: not a hyoka workbook")
        return ReadWorkbook(raw, None)
    if form is None or form.text != WORKBOOK_FORMAT:
        raw.add(
            form.place if form else "計画",
            f"形式は「{WORKBOOK_FORMAT}」です",
            f"format must be {WORKBOOK_FORMAT}",
            form.text if form else None,
        )
    text = kind_cell.text if kind_cell else None
    if text not in (KIND_FULL, KIND_DEPARTMENT):
        raw.add(kind_cell.place if kind_cell else "計画", f"種類は {KIND_FULL} か {KIND_DEPARTMENT} です", "unknown workbook kind", text)
        return ReadWorkbook(raw, None)
    sheets = FULL_SHEETS if text == KIND_FULL else DEPARTMENT_SHEETS
    for sheet in sheets[1:]:
        if sheet.name not in raw.tables:
            raw.add(sheet.name, f"「{sheet.name}」シートがありません", f"sheet {sheet.name!r} is missing")
        elif text == KIND_FULL:
            _required_columns(raw, sheet.name)
    update = full_update(raw) if text == KIND_FULL else department_update(raw)
    return ReadWorkbook(raw, update)


def _required_columns(raw: RawWorkbook, name: str) -> None:
    """A complete workbook must keep every column: a missing one would silently empty its field."""
    table = raw.tables[name]
    present = {c.key for c in table.columns}
    for column in table.sheet.columns:
        if not column.reference and column.key not in present:
            raw.add(f"{name}!1行目", f"列「{column.header}」がありません", f"column {column.header!r} is missing", column.header)


def apply_update(plan: Plan | None, read: ReadWorkbook) -> Plan:
    """The plan after the update; every problem of the workbook is raised at once."""
    raw, update = read.raw, read.update
    f = Fields(raw)
    if isinstance(update, DepartmentUpdate):
        if plan is None:
            raise InputError.one(
                raw.where, "担当部局用のブックには取り込み先の計画が必要です（--into）", "a department's workbook needs --into"
            )
        origins = Origins(raw.where)
        doc = apply_department(plan, update, origins, f)
    elif isinstance(update, FullUpdate):
        origins, doc = update.origins, update.doc
        new_id = doc["plan"].get("id")
        if plan is not None and new_id != plan.id:
            f.problem(
                update.id_place,
                f"このブックは計画「{new_id}」のものです（取り込み先: {plan.id}）",
                "the workbook is for another plan",
                new_id,
            )
    else:
        raw.problems.raise_if_any()
        raise InputError.one(raw.where, "ブックを読めませんでした", "the workbook could not be read")
    problems = list(raw.problems.problems)
    try:
        new = plan_from_dict(doc)
    except InputError as e:
        problems += origins.relocate(e)
    if problems:
        raise InputError(problems)
    if plan is not None:
        read.stale, changed = reconcile(raw, plan_to_dict(plan), plan_to_dict(new), doc)
        if changed:
            new = plan_from_dict(doc)
    return new
