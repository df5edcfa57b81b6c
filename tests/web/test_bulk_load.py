"""`hyoka load` (the bulk path) writes exactly what the normal import writes, row for row.

On PostgreSQL the bulk path numbers rows from the sequences and sends them with COPY,
so this compares every table after loading the same files both ways: the sample plans
(texts, reviews, projects, cycles, parts, extension fields) and two synthetic plans of
the national data set. On SQLite the bulk path is the normal one and the test still
checks the load is all or nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, models
from django.db.models import QuerySet
from opencycle import OTHER_ORG

from hyoka.core.errors import InputError
from hyoka.formats.hyoka1 import plan_to_dict
from hyoka.samples import sample_names, sample_path
from hyoka.web.accounts.models import Department, Organization, User
from hyoka.web.audit.models import AuditEvent
from hyoka.web.history.models import Change
from hyoka.web.plans import models as m
from hyoka.web.plans.bulk import load_files, plan_files
from hyoka.web.plans.convert import core_plan
from hyoka.web.transfer import import_into_database

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from generate import organizations, plan_document  # noqa: E402

TABLES = (m.Plan, m.RuleSetVersion, m.Cycle, m.Node, m.NodeText, m.Review, m.Indicator, m.Series, m.Target, m.Value)
MADE_AT_WRITE = {"id", "revision", "created_at", "updated_at"}  # new on every write, whichever path


def _columns(model: type[models.Model]) -> list[str]:
    """The model's columns as value paths, a foreign key by the natural key of its row (ids differ between loads)."""
    natural = {
        Organization: ("code",),
        m.Plan: ("organization__code", "key"),
        m.Node: ("plan__key", "key"),
        m.Indicator: ("plan__key", "key"),
        m.Series: ("indicator__plan__key", "indicator__key", "part"),
        User: ("username",),
    }
    out = []
    for f in model._meta.concrete_fields:
        if f.name in MADE_AT_WRITE:
            continue
        if f.is_relation:
            out.extend(f"{f.name}__{p}" for p in natural[f.related_model])
        else:
            out.append(f.name)
    return out


def snapshot(keys: list[str]) -> dict[str, list[str]]:
    """Every column of every row the plans *keys* have, foreign keys by name, sorted."""
    plan_path = {
        m.Plan: "pk",
        m.RuleSetVersion: "plan",
        m.Cycle: "plan",
        m.Node: "plan",
        m.Indicator: "plan",
        m.NodeText: "node__plan",
        m.Review: "node__plan",
        m.Series: "indicator__plan",
        m.Target: "series__indicator__plan",
        m.Value: "series__indicator__plan",
    }
    return {
        model.__name__: sorted(
            json.dumps(row, ensure_ascii=False, default=str)
            for row in model.objects.filter(**{f"{plan_path[model]}__in": _plans(keys)}).values_list(*_columns(model))
        )
        for model in TABLES
    }


def _plans(keys: list[str]) -> QuerySet[m.Plan]:
    """The plans of these keys, leaving out Yokohama's plan that shares a key with a sample."""
    return m.Plan.objects.filter(key__in=keys).exclude(organization__code=OTHER_ORG)


def _synthetic(folder: Path, count: int = 2) -> list[Path]:
    paths = []
    for index, (code, name) in enumerate(organizations(count)):
        path = folder / f"plan-{code}.json"
        path.write_text(json.dumps(plan_document(index, code, name), ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    return paths


def _both_ways(paths: list[Path], keys: list[str], *, jobs: int) -> None:
    """Each file through the normal import, then the same files through the bulk load; all tables compared."""
    for path in paths:
        if not _plans([json.loads(path.read_text(encoding="utf-8"))["plan"]["id"]]).exists():
            import_into_database(path)
    normal = snapshot(keys)
    documents = {k: plan_to_dict(core_plan(_plans([k]).get())) for k in keys}
    assert not Change.objects.filter(plan__in=_plans(keys)).exists()
    audit = AuditEvent.objects.count()
    _plans(keys).delete()
    Department.objects.exclude(user__isnull=False).delete()
    loaded = load_files(paths, jobs=jobs)
    bulk = snapshot(keys)
    print(f"\n{connection.vendor}: {loaded.plans} plans, {loaded.rows:,} rows, {loaded.rows_per_second:,.0f} rows/s")
    for table, rows in normal.items():
        print(f"  {table}: {len(rows)} rows by the normal import, {len(bulk[table])} by the bulk load")
    assert loaded.plans == len(paths)
    assert loaded.rows == sum(len(rows) for rows in normal.values())
    for table in normal:
        assert bulk[table] == normal[table], table
    assert {k: plan_to_dict(core_plan(_plans([k]).get())) for k in keys} == documents
    assert not Change.objects.filter(plan__in=_plans(keys)).exists() and AuditEvent.objects.count() == audit  # neither writes history
    named = {d for k in keys for n in core_plan(_plans([k]).get()).nodes for d in n.departments}
    assert named <= set(Department.objects.values_list("name", flat=True))


@pytest.mark.django_db
def test_sample_plans_load_in_bulk_exactly_as_imported(tmp_path: Path) -> None:
    """The samples stored by the session fixture, and one more with a council review (no sample has one)."""
    names = list(sample_names())
    doc = json.loads(sample_path("kanagawa-dx").read_text(encoding="utf-8"))
    doc["plan"]["id"] = "kanagawa-dx-reviewed"
    doc["nodes"][0]["reviews"] = {"2024": {"grade": "概ね順調", "comments": ["人材確保が課題"], "answer": "支援を強化します"}}
    reviewed = tmp_path / "reviewed.json"
    reviewed.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    _both_ways([*(sample_path(n) for n in names), reviewed], [*names, "kanagawa-dx-reviewed"], jobs=1)


@pytest.mark.django_db
def test_synthetic_plans_load_in_bulk_exactly_as_imported(tmp_path: Path) -> None:
    paths = _synthetic(tmp_path)
    _both_ways(paths, [p.stem for p in paths], jobs=2)


@pytest.mark.django_db
def test_a_bad_or_stored_plan_loads_nothing(tmp_path: Path) -> None:
    good, other = _synthetic(tmp_path)
    bad = tmp_path / "plan-bad.json"
    doc = json.loads(other.read_text(encoding="utf-8"))
    doc["plan"]["id"] = "plan-bad"
    doc["indicators"][5]["node"] = "no-such-node"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = m.Plan.objects.count()
    with pytest.raises(InputError) as e:
        load_files([good, bad], jobs=2)
    print(f"\na bad file: {e.value}")
    assert "plan-bad.json" in str(e.value) and "no-such-node" in str(e.value)
    assert m.Plan.objects.count() == before and not m.Plan.objects.filter(key="plan-010006").exists()
    with pytest.raises(InputError) as e:
        load_files([good, tmp_path / ".." / tmp_path.name / good.name], jobs=1)
    print(f"the same plan twice: {e.value}")
    assert "already" in str(e.value)
    with pytest.raises(InputError) as e:
        load_files([sample_path("kanagawa-dx")], jobs=1)
    print(f"a stored plan: {e.value}")
    assert "already" in str(e.value)
    assert m.Plan.objects.count() == before


def test_plan_files_takes_folders_and_files(tmp_path: Path) -> None:
    (tmp_path / "b.json").write_text("{}")
    (tmp_path / "a.json").write_text("{}")
    (tmp_path / "notes.txt").write_text("")
    assert plan_files([tmp_path, tmp_path / "b.json"]) == [tmp_path / "a.json", tmp_path / "b.json", tmp_path / "b.json"]


def test_the_load_command_reports_its_figures(tmp_path: Path) -> None:
    paths = _synthetic(tmp_path)
    database = tmp_path / "hyoka.sqlite3"
    out = subprocess.run(
        [sys.executable, "-m", "hyoka.cli", "load", str(tmp_path), "--database", str(database), "--jobs", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    print(out.stdout)
    assert "登録しました: 計画 2、" in out.stdout
    again = subprocess.run(
        [sys.executable, "-m", "hyoka.cli", "load", str(paths[0]), "--database", str(database)], capture_output=True, text=True, timeout=300
    )
    assert again.returncode == 2 and "plan-010006" in again.stderr
