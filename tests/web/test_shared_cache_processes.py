"""Separate processes share the computed plans through HYOKA_CACHE_URL (a cache directory, the database's cache table).

Each step runs in a new Python process, as separate gunicorn workers or servers would: the
first computes a plan's evaluation, the next one gets it without reading the plan's rows,
and after a save in a third process the next one sees the new value, again without a read.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from hyoka.web.settings import _caches

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "security"))
from live import database_name, environment, fresh_database

STEP = """
import hashlib, json, os, sys
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hyoka.formats.evaluation import evaluation_dict
from hyoka.web.plans import models as m
from hyoka.web.plans.convert import evaluation
from hyoka.web.plans.entry import ValueInput, save_value

step = sys.argv[1]
if step == "setup":
    from hyoka.samples import load_sample
    from hyoka.web.plans.convert import store_plan
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    store_plan(load_sample("kanagawa-sousei-3"))
elif step == "save":
    series = m.Series.objects.select_related("indicator__plan").get(indicator__key="1-3-1-k1", part="")
    save_value(series, 2025, ValueInput("47.5%"), None, "test")
plan = m.Plan.objects.get(organization__code="140007", key="kanagawa-sousei-3")
with CaptureQueriesContext(connection) as queries:
    ev = evaluation(plan, 2025)
value = ev.plan.indicator_by_id["1-3-1-k1"].values.get(2025)
print(json.dumps({
    "plan_rows_read": any("plans_target" in q["sql"] for q in queries.captured_queries),
    "digest": hashlib.sha256(json.dumps(evaluation_dict(ev), sort_keys=True, default=str).encode()).hexdigest(),
    "value": value.entry.text if value else None,
}))
"""


def _step(env: dict[str, str], step: str) -> dict[str, object]:
    result = subprocess.run([sys.executable, "-c", STEP, step], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _run(env: dict[str, str], where: str) -> None:
    first = _step(env, "setup")
    second = _step(env, "read")
    saved = _step(env, "save")
    after = _step(env, "read")
    print(
        f"{where}: setup read rows {first['plan_rows_read']}, next process read rows {second['plan_rows_read']}, "
        f"after a save in another process: rows read {after['plan_rows_read']}, value {after['value']}"
    )
    assert first["plan_rows_read"] and not second["plan_rows_read"] and second["digest"] == first["digest"]
    assert saved["value"] == after["value"] == "47.5%" and not after["plan_rows_read"]
    assert after["digest"] == saved["digest"] != first["digest"]


def _environment(tmp_path: Path, database: str, cache: str) -> dict[str, str]:
    return environment(database, tmp_path) | {"HYOKA_CACHE_URL": cache, "DJANGO_SETTINGS_MODULE": "hyoka.web.settings"}


def test_processes_share_plans_through_a_cache_directory(tmp_path: Path) -> None:
    env = _environment(tmp_path, f"sqlite:///{tmp_path / 'hyoka.sqlite3'}", f"file://{tmp_path / 'cache'}")
    _run(env, "file cache, SQLite")


@pytest.mark.slow
def test_processes_share_plans_through_the_database_cache_table(tmp_path: Path) -> None:
    with fresh_database("shared_cache") as url:
        env = _environment(tmp_path, url, "db://hyoka_cache")
        _run(env, f"database cache table, PostgreSQL {database_name('shared_cache')}")


def test_the_cache_url_names_a_shared_cache_or_none() -> None:
    assert _caches("")["default"]["BACKEND"].endswith("LocMemCache")
    assert _caches("db://hyoka_cache")["default"] | {"OPTIONS": {}} == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "hyoka_cache",
        "OPTIONS": {},
    }
    assert _caches("file:///var/cache/hyoka")["default"]["LOCATION"] == "/var/cache/hyoka"
    for wrong in ("redis://localhost", "db://", "hyoka_cache"):
        with pytest.raises(ImproperlyConfigured):
            _caches(wrong)
