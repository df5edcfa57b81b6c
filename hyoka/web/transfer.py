"""Plans in and out of the database from the command line (`hyoka import/export --db`).

A file for a plan that is not stored yet becomes a new plan. A file for a stored plan
brings its values, 一次評価 texts and targets in through the same functions the web forms
use, so each change is checked by the core and lands in the history with its reason.
Structural changes (nodes, indicators, rules) to a stored plan need ``replace``, which
stores the file as the plan, because history cannot follow an indicator that is gone.
Everything happens in one transaction: a file with one bad cell changes nothing.
A published year is refused like in the browser (``plans.locks``); with ``correct`` (the
reason) its changes are made as one 訂正 per year, published with their date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from ..core.diff import Change, diff_plans
from ..core.errors import InputError, Problem
from ..core.model import Plan as CorePlan
from ..formats.importing import read_incoming
from .accounts.models import Organization
from .plans import models as m
from .plans.convert import core_plan, store_plan, touch
from .plans.locks import YearLocked, published_years
from .plans.upload import ProposedTarget, apply_changes, text_changes, value_changes

APPLIED_SUBJECTS = {"value", "texts", "target"}


@dataclass
class Imported:
    plan_id: str
    created: bool
    replaced: bool
    changes: list[Change] = field(default_factory=list)


def given_organization(code: str | None) -> Organization | None:
    """The organization named on the command line (--organization CODE), which must be stored."""
    if not code:
        return None
    found = Organization.objects.filter(code=code).first()
    if found is None:
        known = ", ".join(f"{c} {n}" for c, n in Organization.objects.values_list("code", "name")) or "（なし）"
        raise InputError.one(
            "--organization", f"この団体はありません（登録済み: {known}）", f"no such organization (stored: {known})", code
        )
    return found


def stored_plan(plan_id: str, organization: str | None = None) -> m.Plan | None:
    """The stored plan of this id (in the organization of this code, when given); refused when several organizations have one."""
    rows = m.Plan.objects.filter(key=plan_id).select_related("organization")
    if organization:
        rows = rows.filter(organization__code=organization)
    found = list(rows[:2])
    if len(found) > 1:
        codes = ", ".join(rows.values_list("organization__code", flat=True))
        raise InputError.one(
            plan_id,
            f"この ID の計画は複数の団体にあります（{codes}）。--organization で団体コードを指定してください",
            f"several organizations have a plan of this id ({codes}); give --organization",
        )
    return found[0] if found else None


def import_into_database(
    path: Path, *, dry_run: bool = False, replace: bool = False, why: str = "", organization: str | None = None, correct: str = ""
) -> Imported:
    """*organization* (a code) is where a new plan goes and where a stored one is looked for; else the file's own code.

    *correct* is the reason of a 訂正: without it, a change to a published year is refused.
    """
    try:
        return _import(path, dry_run=dry_run, replace=replace, why=why, organization=organization, correct=correct)
    except YearLocked as e:
        raise e.as_input_error() from None


def _import(path: Path, *, dry_run: bool, replace: bool, why: str, organization: str | None, correct: str) -> Imported:
    where = str(path)
    incoming = read_incoming(path, where)
    plan_id = incoming.plan_id
    given = given_organization(organization)
    row = stored_plan(plan_id, organization or incoming.organization_code or None)
    if row is not None and replace and published_years(row):
        years = "、".join(f"{y}年度" for y in sorted(published_years(row)))
        raise InputError.one(
            where,
            f"公表済みの年度（{years}）がある計画は置き換えられません。公表を取り消すか、値の変更を訂正（--correct 理由）として取り込んでください",
            "a plan with published years cannot be replaced; withdraw the publication, or import the changes as a correction (--correct REASON)",
        )
    if row is None or replace:
        new = incoming.applied(None)
        if not dry_run:
            with transaction.atomic():
                store_plan(new, replace=replace, organization=given)
        return Imported(new.id, created=row is None, replaced=row is not None)
    current = core_plan(row)
    new = incoming.applied(current)
    if incoming.stale:  # rows changed in hyoka since the export are never overwritten
        raise InputError([s.problem() for s in incoming.stale])
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
            _apply(row, current, new, why or f"hyoka import {path.name}", correct)
    return Imported(plan_id, created=False, replaced=False, changes=changes)


def _target_changes(current: CorePlan, new: CorePlan) -> list[ProposedTarget]:
    """Every target that differs, with its new text ("" when removed)."""
    out = []
    for ind in new.indicators:
        old_ind = current.indicator_by_id[ind.id]
        for series, old_series in zip(ind.series(), old_ind.series(), strict=True):
            part = series.id if series is not ind else ""
            for year in sorted({*series.targets, *old_series.targets}):
                text = series.targets[year].text if year in series.targets else ""
                before = old_series.targets[year].text if year in old_series.targets else ""
                if text != before:
                    out.append(ProposedTarget(ind.id, part, year, text))
    return out


def _apply(row: m.Plan, current: CorePlan, new: CorePlan, why: str, correct: str) -> None:
    values, texts, targets = value_changes(current, new), text_changes(current, new), _target_changes(current, new)
    if not correct:  # no correction asked for: a published year is refused before anything is written
        locked = sorted(({c.year for c in values} | {t.year for t in texts} | {t.year for t in targets}) & published_years(row))
        if locked:
            raise InputError.one(
                str(row.key),
                f"{'、'.join(f'{y}年度' for y in locked)}は公表済みです。変更は訂正として --correct 理由 で取り込んでください",
                "published years change only as a correction: give --correct REASON",
            )
    apply_changes(row, None, why, correct, values, texts, targets)
    touch(row)


def export_from_database(plan_id: str, organization: str | None = None) -> CorePlan:
    row = stored_plan(plan_id, organization)
    if row is None:
        known = ", ".join(sorted({k for k in m.Plan.objects.values_list("key", flat=True)})) or "（なし）"
        raise InputError.one(
            plan_id, f"データベースにこの計画はありません（登録済み: {known}）", f"no such plan in the database (stored: {known})"
        )
    return core_plan(row)
