"""`hyoka demo` from nothing, then `hyoka serve`, used over HTTP like a visitor would."""

from __future__ import annotations

import http.client
import http.cookiejar
import re
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from serving import clean_environ, free_port

HYOKA = [sys.executable, "-c", "from hyoka.cli import main; main()"]


def _wait_for(url: str | urllib.request.Request, timeout: float = 30) -> http.client.HTTPResponse:
    """The first answer of a server that is starting (bounded: it gives up after *timeout*)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return urllib.request.urlopen(url, timeout=2)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_demo_prepares_two_organizations_and_serve_shows_each_its_plans(tmp_path: Path) -> None:
    env = clean_environ() | {"HYOKA_DATA_DIR": str(tmp_path)}  # PYTHONPATH kept: the code under test, not an installed copy
    prepared = subprocess.run(
        [*HYOKA, "demo", "--no-serve", "--data-dir", str(tmp_path)], env=env, capture_output=True, text=True, check=True
    )
    passwords = dict(re.findall(r"^\s+(\w+)\s+(\S+)\s", prepared.stdout, re.M))
    assert set(passwords) == {"operator", "admin", "planner", "sangyo", "fukushi", "council", "hiratsuka"}
    with sqlite3.connect(tmp_path / "demo.sqlite3") as db:
        assert db.execute("select count(*) from plans_plan").fetchone() == (3,)
        assert db.execute("select code from accounts_organization order by code").fetchall() == [("140007",), ("142034",)]

    port = free_port()
    server = subprocess.Popen([*HYOKA, "serve", "--database", str(tmp_path / "demo.sqlite3"), "--port", str(port)], env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base + "/accounts/login/")
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        form = opener.open(base + "/accounts/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode({"username": "sangyo", "password": passwords["sangyo"], "csrfmiddlewaretoken": token}).encode()
        home = (
            opener.open(urllib.request.Request(base + "/accounts/login/", data, headers={"Referer": base + "/accounts/login/"}))
            .read()
            .decode()
        )
        for name in ["第３期神奈川県まち・ひと・しごと創生総合戦略", "神奈川ＤＸ計画"]:
            assert name in home
        assert "平塚市総合計画 重点戦略" not in home  # Hiratsuka City's plan: another organization's
        inbox = opener.open(base + "/plans/140007/kanagawa-sousei-3/inbox/").read().decode()
        assert "産業労働局" in inbox and "令和７年度" in inbox
        css = opener.open(base + "/static/hyoka/hyoka.css").read().decode()
        assert "--navy" in css
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_gunicorn_serves_the_production_settings_behind_a_proxy(tmp_path: Path) -> None:
    """The documented production command: gunicorn with HYOKA_ENV=production behind a TLS proxy."""
    subprocess.run(
        [*HYOKA, "demo", "--no-serve", "--data-dir", str(tmp_path)],
        env=clean_environ() | {"HYOKA_DATA_DIR": str(tmp_path)},
        capture_output=True,
        check=True,
    )
    port = free_port()
    env = clean_environ() | {
        "HYOKA_ENV": "production",
        "HYOKA_SECRET_KEY": "x" * 60,
        "HYOKA_ALLOWED_HOSTS": "127.0.0.1",
        "HYOKA_DATA_DIR": str(tmp_path),
        "HYOKA_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen([str(gunicorn), "hyoka.web.wsgi", "-b", f"127.0.0.1:{port}", "--workers", "1"], env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        page = _wait_for(urllib.request.Request(base + "/accounts/login/", headers={"X-Forwarded-Proto": "https"}))
        assert "ログイン" in page.read().decode()
        assert "Secure" in page.headers["Set-Cookie"] and page.headers["Strict-Transport-Security"]
        with pytest.raises(urllib.error.HTTPError) as plain:  # plain HTTP is sent to HTTPS
            urllib.request.build_opener(_NoRedirect()).open(base + "/accounts/login/")
        assert plain.value.code == 301 and plain.value.headers["Location"].startswith("https://")
    finally:
        server.terminate()
        server.wait(timeout=10)
