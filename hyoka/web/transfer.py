"""Plans in and out of the database from the command line (`hyoka import/export --db`).

A file for a plan that is not stored yet becomes a new plan. A file for a stored plan
brings its values, 一次評価 texts and targets in through the same functions the web forms
use, so each change is checked by the core and lands in the history with its reason.
Structural changes (nodes, indicators, rules) to a stored plan need ``replace``, which
stores the file as the plan, because history cannot follow an indicator that is gone.
Everything happens in one transaction: a file with one bad cell changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from ..core.diff import Change, diff_plans
from ..core.errors import InputError, Problem
from ..core.model import Plan as CorePlan
from ..formats.importing import read_incoming
from .plans import models as m
from .plans.convert import core_plan, store_plan, touch
from .plans.entry import save_target, save_texts, save_value
from .plans.upload import text_changes, value_changes

APPLIED_SUBJECTS = {"value", "texts", "target"}


@dataclass
class Imported:
    plan_id: str
    created: bool
    replaced: bool
    changes: list[Change] = field(default_factory=list)


def import_into_database(path: Path, *, dry_run: bool = False, replace: bool = False, why: str = "") -> Imported:
    where = str(path)
    incoming = read_incoming(path, where)
    plan_id = incoming.plan_id
    row = m.Plan.objects.filter(key=plan_id).first()
    if row is None or replace:
        new = incoming.applied(None)
        if not dry_run:
            with transaction.atomic():
                store_plan(new, replace=replace)
        return Imported(new.id, created=row is None, replaced=row is not None)
    current = core_plan(row)
    new = incoming.applied(current)
    changes = diff_plans(current, new)
    structural = [c for c in changes if c.subject not in APPLIED_SUBJECTS]
    if structural:
        raise InputError(
            [
                Problem(
                    where,
                    f"保存済みの計画の構造は変えられません（{c}）。ファイルで置き換えるには --replace",
                    "structural change to a stored plan; use --replace to store the file as the plan",
                )
                for c in structural[:20]
            ]
        )
    if not dry_run and changes:
        with transaction.atomic():
            _apply(row, current, new, why or f"hyoka import {path.name}")
    return Imported(plan_id, created=False, replaced=False, changes=changes)


def _apply(row: m.Plan, current: CorePlan, new: CorePlan, why: str) -> None:
    series_rows = {
        (s.indicator.key, s.part): s
        for s in m.Series.objects.filter(indicator__plan=row).select_related("indicator__plan", "indicator__node")
    }
    for c in value_changes(current, new):
        save_value(series_rows[(c.indicator, c.part)], c.year, c.entered(), None, why, mark_changed=False)
    nodes = {n.key: n for n in m.Node.objects.filter(plan=row).select_related("plan")}
    for t in text_changes(current, new):
        save_texts(nodes[t.node], t.year, t.results, t.issues, None, why)
    for ind in new.indicators:
        old_ind = current.indicator_by_id[ind.id]
        for series, old_series in zip(ind.series(), old_ind.series(), strict=True):
            part = series.id if series is not ind else ""
            for year in sorted({*series.targets, *old_series.targets}):
                text = series.targets[year].text if year in series.targets else ""
                before = old_series.targets[year].text if year in old_series.targets else ""
                if text != before:
                    save_target(series_rows[(ind.id, part)], year, text, None, why)
    touch(row)


def export_from_database(plan_id: str) -> CorePlan:
    row = m.Plan.objects.filter(key=plan_id).first()
    if row is None:
        known = ", ".join(m.Plan.objects.order_by("key").values_list("key", flat=True)) or "（なし）"
        raise InputError.one(
            plan_id, f"データベースにこの計画はありません（登録済み: {known}）", f"no such plan in the database (stored: {known})"
        )
    return core_plan(row)
