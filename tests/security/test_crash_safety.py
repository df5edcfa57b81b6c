"""Crashes in the middle of a write: every value is there entirely or not at all, and the history agrees.

gunicorn serves a real PostgreSQL database. The test holds a lock the write needs part-way
through (a value row for an upload, the change-log table for a single save), waits until
the server's transaction is blocked on it, then either kills the whole server (SIGKILL,
as in a power cut) or kills its database connection (pg_terminate_backend). It then
checks the database, restarts or reuses the server, and does the write again.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
from live import Browser, Server, backend_waiting_on_a_lock, fresh_database, seed
from seed import PASSWORD, PLAN

from hyoka.web.plans.entry import shown

pytestmark = pytest.mark.slow

VALUES = """
SELECT i.key, s.part, v.year, v.text, v.status, v.expected FROM plans_value v
JOIN plans_series s ON v.series_id = s.id JOIN plans_indicator i ON s.indicator_id = i.id
JOIN plans_plan p ON i.plan_id = p.id WHERE p.key = %s
"""
APPLY = {"correction": "見込値への訂正"}  # the upload changes FY2024, a published year: applied as a correction with its reason


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with fresh_database("crash_seed") as url:
        seed(url, tmp_path_factory.mktemp("seed"))
        yield url


@pytest.fixture
def database(seeded: str, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A copy of the seeded database for each test: what one test crashed never meets the next."""
    with fresh_database("crash", copy_of=seeded) as url:
        yield url, tmp_path


def _state(url: str) -> dict[str, Any]:
    """What must be all-or-nothing: the values, the change log, and the audit events of changes."""
    with psycopg.connect(url) as db:
        values = {(k, p, y): (t, s, e) for k, p, y, t, s, e in db.execute(VALUES, [PLAN]).fetchall()}
        changes = db.execute("SELECT subject, old, new, why FROM history_change ORDER BY id").fetchall()
        audited = db.execute("SELECT count(*) FROM audit_auditevent WHERE kind = 'change' AND change_id IS NOT NULL").fetchone()[0]
        revision = db.execute("SELECT revision FROM plans_plan WHERE key = %s", [PLAN]).fetchone()[0]
    return {"values": values, "changes": changes, "audited": audited, "revision": revision}


def _consistent(state: dict[str, Any]) -> int:
    """Every change has its audit event, and each value the log speaks of holds what its last change says."""
    assert state["audited"] == len(state["changes"])
    last = {subject: new for subject, _old, new, _why in state["changes"]}
    checked = 0
    for (key, part, year), (text, status, expected) in state["values"].items():
        subject = f"{key} {year}年度 実績値"
        if not part and subject in last:
            assert last[subject] == shown(text, status, expected), (subject, last[subject], text)
            checked += 1
    return checked


def _estimates(browser: Browser) -> tuple[bytes, list[tuple[str, int]]]:
    """A `hyoka/1` file of the plan in which every confirmed FY2024 value becomes an estimate (many changes)."""
    doc = browser.get(f"{browser.base}/plans/140007/{PLAN}/export.json", timeout=30).json()
    changed = []
    for ind in doc["indicators"]:
        v = ind.get("values", {}).get("2024")
        if v and v.get("value") and v.get("status", "confirmed") == "confirmed":
            v["status"] = "estimate"
            changed.append((ind["id"], 2024))
    return json.dumps(doc, ensure_ascii=False).encode(), changed


def _blocked(server: Server, url: str, request: Callable[[], requests.Response], hold: str, params: list[Any]) -> tuple[int, list[Any]]:
    """Start *request* while the test holds *hold*; returns the server's backend pid once it waits on it, and the outcome list."""
    outcome: list[Any] = []

    def call() -> None:
        try:
            outcome.append(request())
        except requests.RequestException as e:
            outcome.append(e)

    holder = psycopg.connect(url)
    holder.execute(hold, params)
    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    try:
        pid = backend_waiting_on_a_lock(url)
    except AssertionError:
        holder.rollback()
        raise
    return pid, [holder, thread, outcome]


def _crash(crash: str, server: Server, url: str, pid: int) -> None:
    """Kill the whole server (as in a power cut) or only its database connection *pid*, mid-transaction."""
    if crash == "kill the server":
        server.kill()
    else:
        with psycopg.connect(url, autocommit=True) as db:
            db.execute("SELECT pg_terminate_backend(%s)", [pid])


def _release(held: list[Any], url: str, pid: int) -> list[Any]:
    """Let go of the lock; the orphaned transaction then ends without a commit (its client is gone or it was terminated)."""
    holder, thread, outcome = held
    holder.rollback()
    holder.close()
    thread.join(timeout=30)
    assert not thread.is_alive()
    with psycopg.connect(url) as db:
        for _ in range(200):
            if not db.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
                break
            db.execute("SELECT pg_sleep(0.05)")
        else:
            raise AssertionError("the server's backend is still there")
    return outcome


def _upload(browser: Browser, data: bytes) -> None:
    files = {"file": ("update.json", data, "application/json")}
    token = browser.cookies.get("csrftoken", "")
    preview = browser.post(f"{browser.base}/plans/140007/{PLAN}/upload/", data={"csrfmiddlewaretoken": token}, files=files, timeout=60)
    assert preview.status_code == 200, preview.status_code


def _middle_value_lock(url: str, changed: list[tuple[str, int]]) -> tuple[str, list[Any]]:
    key, year = changed[len(changed) // 2]
    sql = (
        "SELECT v.id FROM plans_value v JOIN plans_series s ON v.series_id = s.id JOIN plans_indicator i ON s.indicator_id = i.id "
        "JOIN plans_plan p ON i.plan_id = p.id WHERE p.key = %s AND i.key = %s AND s.part = '' AND v.year = %s FOR UPDATE OF v"
    )
    return sql, [PLAN, key, year]


@pytest.mark.parametrize("crash", ["kill the server", "kill the database connection"])
def test_an_upload_interrupted_half_way_leaves_nothing(database: tuple[str, Path], crash: str) -> None:
    url, data_dir = database
    server = Server(url, data_dir, workers=2).start()
    try:
        planner = Browser(server.base).login("planner", PASSWORD)
        data, changed = _estimates(planner)
        _upload(planner, data)
        before = _state(url)
        hold, params = _middle_value_lock(url, changed)
        pid, held = _blocked(
            server, url, lambda: planner.submit(f"/plans/140007/{PLAN}/upload/apply/", APPLY | {"why": "crash test"}), hold, params
        )
        _crash(crash, server, url, pid)
        outcome = _release(held, url, pid)
        after = _state(url)
        print(f"{crash} while an upload of {len(changed)} changes was half applied: client got {_shown(outcome)}")
        assert after == before, "a half-applied upload left something behind"
        _consistent(after)

        if crash == "kill the server":
            server = Server(url, data_dir, workers=2).start()  # a fresh start on the same database
            planner = Browser(server.base).login("planner", PASSWORD)
        _upload(planner, data)  # the same server recovers its connection by itself
        assert planner.submit(f"/plans/140007/{PLAN}/upload/apply/", APPLY | {"why": "again"}).status_code == 302
        done = _state(url)
        estimates = [k for k in changed if done["values"][(k[0], "", k[1])][1] == "estimate"]
        checked = _consistent(done)
        print(
            f"after the {'restart' if crash == 'kill the server' else 'lost connection'}: the upload applied "
            f"{len(estimates)} changes; {checked} values agree with their last change"
        )
        added = [subject for subject, _old, _new, _why in done["changes"][len(before["changes"]) :]]
        assert len(estimates) == len(changed) and len(added) == len(changed) + 1
        assert added[-1] == "2024年度 訂正"  # the correction itself, listing every value it changed
    finally:
        server.stop()


def _shown(outcome: list[Any]) -> str:
    if not outcome:
        return "no answer"
    first = outcome[0]
    return f"HTTP {first.status_code}" if isinstance(first, requests.Response) else type(first).__name__


@pytest.mark.parametrize("crash", ["kill the server", "kill the database connection"])
def test_a_save_interrupted_before_its_history_is_written_leaves_nothing(database: tuple[str, Path], crash: str) -> None:
    url, data_dir = database
    server = Server(url, data_dir, workers=2).start()
    value = {"year": 2025, "value": "50.0%", "status": "confirmed", "base": ""}
    try:
        sangyo = Browser(server.base).login("sangyo", PASSWORD)
        before = _state(url)
        assert ("1-3-1-k1", "", 2025) not in before["values"]
        # The save writes its value row, then waits to insert its change: the test holds the change log.
        hold = "LOCK TABLE history_change IN SHARE MODE"
        pid, held = _blocked(server, url, lambda: sangyo.submit(f"/plans/140007/{PLAN}/indicators/1-3-1-k1/value/", value), hold, [])
        _crash(crash, server, url, pid)
        outcome = _release(held, url, pid)
        after = _state(url)
        print(f"{crash} between a value's row and its history: client got {_shown(outcome)}; value stored: {after != before}")
        assert after == before
        if crash == "kill the server":
            server = Server(url, data_dir, workers=2).start()
            sangyo = Browser(server.base).login("sangyo", PASSWORD)
        assert sangyo.submit(f"/plans/140007/{PLAN}/indicators/1-3-1-k1/value/", value).status_code == 302
        done = _state(url)
        assert done["values"][("1-3-1-k1", "", 2025)] == ("50.0%", "confirmed", "")
        assert done["changes"][-1][2] == "50.0%（確定）" and _consistent(done) == 1
    finally:
        server.stop()
