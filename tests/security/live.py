"""Real things for the backup, crash and load tests: fresh PostgreSQL databases, the CLI, gunicorn, HTTP clients.

The databases are named after the checkout folder (hyoka_<checkout>_<purpose>) so checkouts
testing side by side on one server never share one; servers bind 127.0.0.1 on a free port.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[2]
SEED = Path(__file__).with_name("seed.py")
CHECKOUT = re.sub(r"[^a-z0-9_]", "_", ROOT.name.lower())
SERVER_URL = os.environ.get("HYOKA_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres").rsplit("/", 1)[0]
HYOKA = [sys.executable, "-c", "from hyoka.cli import main; main()"]
SECRET_KEY = secrets.token_urlsafe(50)


def database_url(name: str) -> str:
    return f"{SERVER_URL}/{name}"


def database_name(purpose: str) -> str:
    return f"hyoka_{CHECKOUT}_{purpose}"


@contextmanager
def fresh_database(purpose: str, *, copy_of: str | None = None) -> Iterator[str]:
    """An empty PostgreSQL database for this test, or a copy of the database *copy_of* (dropped afterwards); yields its URL."""
    name = database_name(purpose)
    template = f' TEMPLATE "{copy_of.rsplit("/", 1)[1]}"' if copy_of else ""
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"{template}')
    try:
        yield database_url(name)
    finally:
        with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def environment(url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HYOKA_", "DJANGO_"))}
    return env | {"HYOKA_DATABASE_URL": url, "HYOKA_DATA_DIR": str(data_dir), "HYOKA_SECRET_KEY": SECRET_KEY}


def run(args: list[str], url: str, data_dir: Path, *, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, env=environment(url, data_dir), capture_output=True, text=True, timeout=300, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args[-3:])} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def hyoka(url: str, data_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return run([*HYOKA, *args], url, data_dir, check=check)


def seed(url: str, data_dir: Path, *, activity: bool = False) -> None:
    run([sys.executable, str(SEED), *(["--activity"] if activity else [])], url, data_dir)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn over one database, in its own process group so that it can be killed whole."""

    def __init__(self, url: str, data_dir: Path, *, workers: int = 2, threads: int = 1) -> None:
        self.url, self.data_dir, self.workers, self.threads = url, data_dir, workers, threads
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30) -> Server:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        args = [str(gunicorn), "hyoka.web.wsgi", "-b", f"127.0.0.1:{self.port}", "--workers", str(self.workers)]
        args += ["--threads", str(self.threads), "--timeout", "60", "--graceful-timeout", "5"]
        log = (self.data_dir / "gunicorn.log").open("ab")
        self.process = subprocess.Popen(args, env=environment(self.url, self.data_dir), stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            try:
                if requests.get(self.base + "/accounts/login/", timeout=2).status_code == 200:
                    return self
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or a busy machine slow to answer
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"gunicorn did not start: {(self.data_dir / 'gunicorn.log').read_text()[-2000:]}")
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once: nothing gets to clean up, as in a power cut."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@contextmanager
def serving(url: str, data_dir: Path, **options: int) -> Iterator[Server]:
    server = Server(url, data_dir, **options).start()
    try:
        yield server
    finally:
        server.stop()


class Browser(requests.Session):
    """What a browser sends: the session and CSRF cookies, and the CSRF token in every form."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        # A connection kept alive can be closed by gunicorn (after its 2 s keep-alive) just as the
        # next request goes out on it. Browsers resend then; requests does not, so each request gets
        # a connection of its own and a ConnectionError always means the server failed.
        self.headers["Connection"] = "close"

    def login(self, username: str, password: str) -> Browser:
        self.get(self.base + "/accounts/login/", timeout=10)
        response = self.submit("/accounts/login/", {"username": username, "password": password})
        assert response.status_code == 302, f"login of {username} failed: {response.status_code}"
        return self

    def submit(self, path: str, data: dict[str, object], timeout: float = 30) -> requests.Response:
        token = self.cookies.get("csrftoken", "")
        return self.post(self.base + path, data={**data, "csrfmiddlewaretoken": token}, allow_redirects=False, timeout=timeout)


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
