"""One entry point for every importable file: a workbook (.xlsx) or a CSV data package.

Whatever the file, the result is the new plan, built and checked in memory, and the
list of changes against the plan it goes into; writing it is the caller's decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.diff import Change, diff_plans
from ..core.errors import InputError
from ..core.model import Plan
from .csvpackage.read import read_package
from .xlsx.importer import apply_update, read_update
from .xlsx.stamps import Stale


@dataclass
class Imported:
    plan: Plan
    changes: list[Change]
    stale: list[Stale] = field(default_factory=list)  # workbook rows changed in the plan since their export


def import_file(path: str | Path, into: Plan | None, where: str | None = None) -> Imported:
    """The plan after importing *path* into *into* (None: a new plan), and what changed."""
    p = Path(path)
    stale: list[Stale] = []
    if p.suffix.lower() == ".xlsx":
        read = read_update(p, where)
        new = apply_update(into, read)
        stale = read.stale
    elif p.is_dir() or p.name == "datapackage.json":
        new = read_package(p)
        if into is not None and new.id != into.id:
            raise InputError.one(
                str(p), f"このパッケージは計画「{new.id}」のものです（取り込み先: {into.id}）", "the package is for another plan", new.id
            )
    else:
        raise InputError.one(
            str(p), "取り込めるのは .xlsx とデータパッケージ（フォルダか datapackage.json）です", "import an .xlsx or a data package"
        )
    return Imported(new, diff_plans(into, new) if into is not None else [], stale)
