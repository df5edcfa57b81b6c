"""Security headers on every kind of response, HSTS only over TLS in production, and secrets only from the environment."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from serving import clean_environ  # noqa: E402

# (what, who, URL, expected status): one of each kind of response the app gives
RESPONSES = [
    ("page", "planner", "/plans/140007/kanagawa-sousei-3/", 200),
    ("login page", None, "/accounts/login/", 200),
    ("redirect to login", None, "/plans/140007/kanagawa-sousei-3/", 302),
    ("download (report: to its progress page)", "hiratsuka", "/plans/142034/hiratsuka-juten/report.html?year=2024", 302),
    ("download (the internal package)", "hiratsuka", "/plans/142034/hiratsuka-juten/internal.zip", 200),
    ("download (workbook)", "sangyo", "/plans/140007/kanagawa-sousei-3/workbook.xlsx", 200),
    ("download (export)", "hiratsuka", "/plans/142034/hiratsuka-juten/export.json", 200),
    ("JSON (rate preview)", "planner", "/plans/140007/kanagawa-sousei-3/indicators/1-3-1-k1/preview/?year=2024&value=50", 200),
    ("API JSON", None, "/api/v1/plans", 200),
    ("API 404", None, "/api/v1/plans/140007/nowhere", 404),
    ("public page", None, "/public/140007/kanagawa-dx/index.html", 200),
    ("public 404", None, "/public/nowhere.html", 404),
    ("error 404", "planner", "/plans/140007/nowhere/", 404),
    ("error 403", "planner", "/audit/", 403),
    ("error 405", "planner", "/plans/140007/kanagawa-sousei-3/withdraw/", 405),
    ("error 400", "planner", "/plans/140007/kanagawa-sousei-3/?year=%00", 400),
    ("admin page", "admin", "/admin/", 200),
    ("static file", None, "/static/hyoka/hyoka.css", 200),
]


@pytest.mark.parametrize(("kind", "who", "url", "status"), RESPONSES, ids=[r[0] for r in RESPONSES])
@override_settings(HYOKA_API_BURST=1000)
def test_every_kind_of_response_carries_the_security_headers(
    client_for: Callable[[str], Client], kind: str, who: str | None, url: str, status: int
) -> None:
    cache.clear()
    response = (client_for(who) if who else Client()).get(url)
    headers = {h: response.get(h, "") for h in ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy")}
    print(f"{kind} {url}: {response.status_code} {json.dumps(headers)}")
    assert response.status_code == status
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy and "object-src 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"  # static files too (they lacked it)
    assert "Strict-Transport-Security" not in response, "no HSTS in development"


def test_no_hsts_in_development_even_over_tls(client_for: Callable[[str], Client]) -> None:
    response = client_for("planner").get("/plans/140007/kanagawa-sousei-3/", secure=True)
    print(f"development over TLS: {response.status_code}, HSTS={response.get('Strict-Transport-Security')}")
    assert response.status_code == 200 and "Strict-Transport-Security" not in response


PRODUCTION_PROBE = """
import json, django
django.setup()
from django.test import Client
out = {}
for name, secure in (("tls", True), ("plain", False)):
    r = Client().get("/accounts/login/", secure=secure)
    out[name] = {"status": r.status_code, "location": r.get("Location", ""), "hsts": r.get("Strict-Transport-Security"),
                 "cookies": {k: {"secure": bool(v["secure"]), "httponly": bool(v["httponly"])} for k, v in r.cookies.items()}}
print(json.dumps(out))
"""


def _production(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = clean_environ() | {
        "DJANGO_SETTINGS_MODULE": "hyoka.web.settings",
        "HYOKA_ENV": "production",
        "HYOKA_SECRET_KEY": "k" * 60,
        "HYOKA_ALLOWED_HOSTS": "testserver",
        "HYOKA_DATA_DIR": str(tmp_path),
        "HYOKA_STATIC_ROOT": str(tmp_path / "static"),
        **extra,
    }
    return subprocess.run([sys.executable, "-c", PRODUCTION_PROBE], env=env, capture_output=True, text=True, timeout=120, check=False)


def test_production_sends_hsts_over_tls_and_redirects_plain_http(tmp_path: Path) -> None:
    result = _production(tmp_path)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"production: {found}")
    assert found["tls"]["status"] == 200
    assert found["tls"]["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert found["tls"]["cookies"]["csrftoken"]["secure"]
    assert found["plain"]["status"] == 301 and found["plain"]["location"].startswith("https://")
    assert found["plain"]["hsts"] is None, "HSTS is only sent over TLS"


SECRET_NAME = re.compile(r"(SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|PRIVATE_KEY)", re.IGNORECASE)
CREDENTIALS_IN_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@")


def _literal_secrets(path: Path) -> list[str]:
    """Names that look like secrets assigned a non-empty string literal, and URLs carrying a password."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)] + [t.attr for t in targets if isinstance(t, ast.Attribute)]
            value = node.value
            if (
                isinstance(value, ast.Constant)
                and isinstance(value.value, str)
                and value.value
                and any(SECRET_NAME.search(n) for n in names)
            ):
                found.append(f"{path.name}:{node.lineno} {names} = {value.value!r}")
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CREDENTIALS_IN_URL.search(node.value):
            found.append(f"{path.name}:{node.lineno} {node.value!r}")
    return found


def test_the_code_holds_no_secret_literal(tmp_path: Path) -> None:
    """The product's code (not its tests) assigns no secret key, password or token, and names no database URL with a password."""
    files = [p for folder in ("hyoka", "tools", "bench", "scripts") for p in (ROOT / folder).rglob("*.py")]
    found = [f for p in files for f in _literal_secrets(p)]
    print(f"{len(files)} Python files scanned for secret literals: {found or 'none'}")
    assert len(files) > 50
    assert found == []
    # the scanner is not blind: it finds a planted one
    planted = tmp_path / "planted.py"
    planted.write_text('SECRET_KEY = "django-insecure-abc"\nDB = "postgres://hyoka:hunter2@db/hyoka"\n', encoding="utf-8")
    assert len(_literal_secrets(planted)) == 2


def test_the_secret_key_comes_from_the_environment_or_a_private_file(tmp_path: Path) -> None:
    """HYOKA_SECRET_KEY is used as given; without it (development only) each data folder gets its own random key, mode 600."""
    probe = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    env = clean_environ() | {"DJANGO_SETTINGS_MODULE": "hyoka.web.settings"}

    def key(**extra: str) -> str:
        run = subprocess.run([sys.executable, "-c", probe], env=env | extra, capture_output=True, text=True, timeout=60, check=True)
        return run.stdout.strip()

    given = "from-the-environment-" + "x" * 40
    assert key(HYOKA_SECRET_KEY=given, HYOKA_DATA_DIR=str(tmp_path / "a")) == given
    first, second = key(HYOKA_DATA_DIR=str(tmp_path / "b")), key(HYOKA_DATA_DIR=str(tmp_path / "c"))
    mode = (tmp_path / "b" / "secret_key").stat().st_mode & 0o777
    print(f"from the environment: used as given; generated: {len(first)} characters, distinct per folder, mode {mode:o}")
    assert first != second and len(first) >= 50 and mode == 0o600
    assert key(HYOKA_DATA_DIR=str(tmp_path / "b")) == first, "kept across restarts, so sessions survive"
    assert settings.SECRET_KEY not in (first, second)
