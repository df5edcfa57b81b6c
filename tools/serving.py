"""The real app as users meet it, for the tests and the benchmarks: PostgreSQL databases, gunicorn, a browser's HTTP.

Shared by tests/security (crash safety, backups) and bench/web.py, so both drive the
same server the same way; it lives in tools/ because it is developer tooling, not part
of the installed package. Servers bind 127.0.0.1 on a free port.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import requests

SERVER_URL = os.environ.get("HYOKA_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres").rsplit("/", 1)[0]
CHECKOUT = re.sub(r"[^a-z0-9_]", "_", Path(__file__).resolve().parents[1].name.lower())


def database_name(purpose: str) -> str:
    """hyoka_<checkout>_<purpose>: checkouts testing side by side on one server never share a database."""
    return f"hyoka_{CHECKOUT}_{purpose}"


def clean_environ() -> dict[str, str]:
    """This process's environment less its HYOKA_ and DJANGO_ settings, so a child sees only those its caller gives."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("HYOKA_", "DJANGO_"))}


def database_url(name: str) -> str:
    return f"{SERVER_URL}/{name}"


def database_exists(name: str) -> bool:
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        return admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def create_database(name: str, *, template: str | None = None) -> str:
    """An empty database *name* (or a copy of *template*), replacing one of that name; returns its URL."""
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return database_url(name)


def drop_database(name: str) -> None:
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with the environment *env*, in its own process group so that it can be killed whole."""

    def __init__(self, env: dict[str, str], data_dir: Path, *, workers: int = 2, threads: int = 1, options: tuple[str, ...] = ()) -> None:
        self.env, self.data_dir, self.workers, self.threads, self.options = env, data_dir, workers, threads, options
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30, headers: dict[str, str] | None = None) -> Server:
        """Start and wait until the login page answers (*headers*: what the proxy in front would add)."""
        gunicorn = Path(sys.executable).with_name("gunicorn")
        args = [str(gunicorn), "hyoka.web.wsgi", "-b", f"127.0.0.1:{self.port}", "--workers", str(self.workers)]
        args += ["--threads", str(self.threads), "--timeout", "60", "--graceful-timeout", "5", *self.options]
        log = (self.data_dir / "gunicorn.log").open("ab")
        self.process = subprocess.Popen(args, env=self.env, stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            try:
                if requests.get(self.base + "/accounts/login/", headers=headers, timeout=5).status_code == 200:
                    return self
            except requests.RequestException:  # not listening yet, or a worker still booting on a busy machine
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


class Browser(requests.Session):
    """What a browser sends: the session and CSRF cookies, and the CSRF token in every form.

    *keep_alive*: reuse connections, as browsers and proxies do (the server's keep-alive must then
    outlast the pauses between requests). *behind_tls*: the server runs as in production behind a proxy that ends TLS, so each
    request says ``X-Forwarded-Proto: https`` and a form names its https page as Referer
    (Django's CSRF check wants one on secure requests). The cookies are then marked
    Secure, as they should be; the browser side of the proxy is https, so they are sent
    on the plain hop to gunicorn here too.
    """

    def __init__(self, base: str, *, behind_tls: bool = False, keep_alive: bool = False) -> None:
        super().__init__()
        self.base = base
        self.behind_tls = behind_tls
        if not keep_alive:
            # A connection kept alive can be closed by gunicorn (after its keep-alive) just as the
            # next request goes out on it. Browsers resend then; requests does not, so by default each
            # request gets a connection of its own and a ConnectionError always means the server failed.
            self.headers["Connection"] = "close"
        if behind_tls:
            self.headers["X-Forwarded-Proto"] = "https"

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        response = super().request(method, url, *args, **kwargs)
        if self.behind_tls:
            for cookie in self.cookies:
                cookie.secure = False
        return response

    def login(self, username: str, password: str) -> Browser:
        self.get(self.base + "/accounts/login/", timeout=10)
        response = self.submit("/accounts/login/", {"username": username, "password": password})
        assert response.status_code == 302, f"login of {username} failed: {response.status_code}"
        return self

    def submit(self, path: str, data: dict[str, object], timeout: float = 30) -> requests.Response:
        token = self.cookies.get("csrftoken", "")
        headers = {"Referer": "https://" + urlsplit(self.base).netloc + path} if self.behind_tls else None
        return self.post(
            self.base + path, data={**data, "csrfmiddlewaretoken": token}, headers=headers, allow_redirects=False, timeout=timeout
        )
