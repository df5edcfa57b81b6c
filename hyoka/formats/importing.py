"""One entry point for every importable file: a workbook (.xlsx), a CSV data package or a `hyoka/1` file.

Which kind a file is, is decided here once (by its name), for the command line and for
the database import alike. Whatever the file, the result is the new plan, built and
checked in memory, and the list of changes against the plan it goes into; writing it
is the caller's decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.diff import Change, diff_plans
from ..core.errors import InputError
from ..core.model import Plan
from .csvpackage.read import read_package
from .hyoka1 import load_path
from .xlsx.importer import ReadWorkbook, apply_update, read_update
from .xlsx.stamps import Stale


@dataclass
class Incoming:
    """A file read for import: a whole plan (a plan file, a data package), or a workbook to apply to one."""

    where: str
    plan: Plan | None = None
    workbook: ReadWorkbook | None = None

    @property
    def plan_id(self) -> str:
        """The id of the plan the file is for (a workbook says it on its 計画 sheet)."""
        if self.plan is not None:
            return self.plan.id
        assert self.workbook is not None
        update = self.workbook.update
        if update is None:
            self.workbook.raw.problems.raise_if_any()
            raise InputError.one(self.where, "ブックを読めません", "the workbook could not be read")
        return getattr(update, "plan_id", None) or update.doc["plan"].get("id", "")  # type: ignore[union-attr]

    @property
    def organization_code(self) -> str:
        """The 全国地方公共団体コード the file names ("" when it names none): plan ids are unique within an organization."""
        if self.plan is not None:
            return self.plan.organization.code
        assert self.workbook is not None
        cell = self.workbook.raw.plan.get("code")
        return cell.text if cell is not None and cell.text else ""

    @property
    def stale(self) -> list[Stale]:
        """After :meth:`applied`: the workbook's rows changed in *into* since their export (``xlsx.stamps``)."""
        return self.workbook.stale if self.workbook is not None else []

    def applied(self, into: Plan | None) -> Plan:
        """The plan after the import into *into* (None: a new plan); a whole plan must be for *into*'s id."""
        if self.workbook is not None:
            return apply_update(into, self.workbook)
        assert self.plan is not None
        if into is not None and self.plan.id != into.id:
            raise InputError.one(
                self.where,
                f"このファイルは計画「{self.plan.id}」のものです（取り込み先: {into.id}）",
                "the file is for another plan",
                self.plan.id,
            )
        return self.plan


def read_incoming(path: str | Path, where: str | None = None) -> Incoming:
    """Read *path* by its kind: an .xlsx is a workbook, a folder or datapackage.json a data package, else a plan file."""
    p = Path(path)
    shown = where or str(p)
    if p.suffix.lower() == ".xlsx":
        return Incoming(shown, workbook=read_update(p, where))
    if p.is_dir() or p.name == "datapackage.json":
        return Incoming(shown, plan=read_package(p))
    return Incoming(shown, plan=load_path(p))


@dataclass
class Imported:
    plan: Plan
    changes: list[Change]
    stale: list[Stale] = field(default_factory=list)  # workbook rows changed in the plan since their export


def import_file(path: str | Path, into: Plan | None, where: str | None = None) -> Imported:
    """The plan after importing *path* into *into* (None: a new plan), and what changed."""
    incoming = read_incoming(path, where)
    new = incoming.applied(into)
    return Imported(new, diff_plans(into, new) if into is not None else [], incoming.stale)
