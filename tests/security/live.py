"""Real things for the backup, crash and load tests: fresh PostgreSQL databases, the CLI, gunicorn, HTTP clients.

The databases are named after the checkout folder (hyoka_<checkout>_<purpose>) so checkouts
testing side by side on one server never share one; servers bind 127.0.0.1 on a free port.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import serving as real  # noqa: E402  (tools/serving.py: gunicorn and the browser's HTTP, shared with bench/web.py)
from serving import Browser, clean_environ, database_name, database_url, free_port  # noqa: E402

SEED = Path(__file__).with_name("seed.py")
HYOKA = [sys.executable, "-c", "from hyoka.cli import main; main()"]
SECRET_KEY = secrets.token_urlsafe(50)
__all__ = ["Browser", "Server", "database_url", "free_port", "fresh_database", "hyoka", "seed", "serving", "stored_value"]


@contextmanager
def fresh_database(purpose: str, *, copy_of: str | None = None) -> Iterator[str]:
    """An empty PostgreSQL database for this test, or a copy of the database *copy_of* (dropped afterwards); yields its URL."""
    name = database_name(purpose)
    url = real.create_database(name, template=copy_of.rsplit("/", 1)[1] if copy_of else None)
    try:
        yield url
    finally:
        real.drop_database(name)


def environment(url: str, data_dir: Path) -> dict[str, str]:
    return clean_environ() | {"HYOKA_DATABASE_URL": url, "HYOKA_DATA_DIR": str(data_dir), "HYOKA_SECRET_KEY": SECRET_KEY}


def run(args: list[str], url: str, data_dir: Path, *, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, env=environment(url, data_dir), capture_output=True, text=True, timeout=300, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args[-3:])} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def hyoka(url: str, data_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return run([*HYOKA, *args], url, data_dir, check=check)


def seed(url: str, data_dir: Path, *, activity: bool = False) -> None:
    run([sys.executable, str(SEED), *(["--activity"] if activity else [])], url, data_dir)


class Server(real.Server):
    """gunicorn over one database in the development environment the tests use."""

    def __init__(self, url: str, data_dir: Path, *, workers: int = 2, threads: int = 1) -> None:
        super().__init__(environment(url, data_dir), data_dir, workers=workers, threads=threads)


@contextmanager
def serving(url: str, data_dir: Path, **options: int) -> Iterator[Server]:
    server = Server(url, data_dir, **options).start()
    try:
        yield server
    finally:
        server.stop()


def backend_waiting_on_a_lock(url: str, timeout: float = 20, *, wrote: str = "plans_value") -> int:
    """The pid of the server's PostgreSQL backend once it waits on a lock after writing to the table *wrote* (so mid-transaction).

    An UPDATE, INSERT or DELETE of a row takes RowExclusiveLock on its table; holding it
    while blocked proves the transaction has written rows (values, by default) it has not committed.
    """
    name = url.rsplit("/", 1)[1]
    deadline = time.monotonic() + timeout
    with psycopg.connect(url, autocommit=True) as watcher:
        while time.monotonic() < deadline:
            row = watcher.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()", [name]
            ).fetchone()
            if row:
                written = watcher.execute(
                    "SELECT count(*) FROM pg_locks l JOIN pg_class c ON l.relation = c.oid "
                    "WHERE l.pid = %s AND c.relname = %s AND l.mode = 'RowExclusiveLock' AND l.granted",
                    [row[0], wrote],
                ).fetchone()[0]
                assert written == 1, f"the blocked transaction has written nothing to {wrote} yet: it would not be mid-way"
                return int(row[0])
            time.sleep(0.05)
    raise AssertionError("the server never reached the lock")


def stored_value(url: str, plan: str, indicator: str, year: int) -> str | None:
    """The text of an indicator's own value (not a part's) as the database holds it; None when there is none."""
    with psycopg.connect(url) as db:
        row = db.execute(
            "SELECT v.text FROM plans_value v JOIN plans_series s ON v.series_id = s.id JOIN plans_indicator i ON s.indicator_id = i.id "
            "JOIN plans_plan p ON i.plan_id = p.id WHERE p.key = %s AND i.key = %s AND s.part = '' AND v.year = %s",
            [plan, indicator, year],
        ).fetchone()
    return None if row is None else row[0]
