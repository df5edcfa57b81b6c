"""A save whose database connection is lost just after its COMMIT: the person is told it was saved, because it was.

After a value is committed the view reads the plan again to explain the new rate. If the
database goes away in that moment, an error page would tell the person their save may
be lost when it is not. The test makes that moment last: it holds an exclusive lock on
a table only that re-read needs, waits until the server's backend is blocked there with
the value already committed, and kills the connection.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from live import Browser, Server, fresh_database, seed, stored_value
from seed import PASSWORD, PLAN, YEAR
from web.webforms import form

pytestmark = pytest.mark.slow

INDICATOR = "1-3-1-k1"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Server]]:
    with fresh_database("lost_answer") as url:
        seed(url, tmp_path)
        # One worker process and thread: the page load below leaves the plan computed in the process that takes the save.
        s = Server(url, tmp_path, workers=1, threads=1).start()
        try:
            yield url, s
        finally:
            s.stop()


def _blocked_after_commit(url: str, value: str, timeout: float = 20) -> int:
    """The server's backend once it waits on a lock while *value* is already committed (so after the COMMIT)."""
    name = url.rsplit("/", 1)[1]
    deadline = time.monotonic() + timeout
    with psycopg.connect(url, autocommit=True) as watcher:
        while time.monotonic() < deadline:
            row = watcher.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()", [name]
            ).fetchone()
            if row and stored_value(url, PLAN, INDICATOR, YEAR) == value:
                return int(row[0])
            time.sleep(0.05)
    raise AssertionError("the server never waited on the lock after committing the value")


def test_a_save_committed_just_before_the_connection_is_lost_is_acknowledged(server: tuple[str, Server]) -> None:
    url, live = server
    planner = Browser(live.base).login("planner", PASSWORD)
    page = f"/plans/{PLAN}/indicators/{INDICATOR}/?year={YEAR}"
    f = form(planner.get(live.base + page, timeout=30).text, "/value/")
    outcome: list[Any] = []
    holder = psycopg.connect(url)
    holder.execute("LOCK TABLE plans_target IN ACCESS EXCLUSIVE MODE")  # the save never reads targets; the re-read after it does
    thread = threading.Thread(target=lambda: outcome.append(planner.submit(f.action, {**f.fields, "value": "55.5"})), daemon=True)
    thread.start()
    try:
        pid = _blocked_after_commit(url, "55.5")
        with psycopg.connect(url, autocommit=True) as db:
            db.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        holder.rollback()
        holder.close()
    thread.join(timeout=30)
    assert not thread.is_alive()
    answer = outcome[0]
    shown = planner.get(live.base + page, timeout=30).text
    with psycopg.connect(url) as db:
        logged = db.execute("SELECT new FROM history_change WHERE subject = %s", [f"{INDICATOR} {YEAR}年度 実績値"]).fetchall()
    print(
        f"connection killed after the COMMIT of a save, while the view re-read the plan: HTTP {answer.status_code} → "
        f"{answer.headers.get('Location')}; the next page says 保存しました: {'保存しました' in shown}; history {logged}"
    )
    assert answer.status_code == 302 and answer.headers["Location"].startswith(f"/plans/{PLAN}/indicators/{INDICATOR}/")
    assert "保存しました" in shown and logged == [("55.5（確定）",)]
