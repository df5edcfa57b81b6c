"""Path traversal in downloads, the public site, the API and static files: 400 or 404, never a file from outside.

The public site and the API answer from an in-memory map of the files ``hyoka publish``
would write, downloads from a fixed set of formats; static files come from WhiteNoise.
Each hostile path is tried, and the body is searched for the contents of files that
sit outside (the settings module, /etc/passwd, the secret key file).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings

import hyoka.web.settings as settings_module

TRAVERSALS = [
    "../../../../etc/passwd",
    "..%2f..%2f..%2f..%2fetc%2fpasswd",
    "%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "%252e%252e%252fetc%252fpasswd",
    "..%5c..%5c..%5cetc%5cpasswd",
    "/etc/passwd",
    "%2fetc%2fpasswd",
    "kanagawa-dx/../../../hyoka/web/settings.py",
    "kanagawa-dx/index.html%00.png",
    "kanagawa-dx/index.html\x00",
    "....//....//etc/passwd",
    "..;/..;/etc/passwd",
]

OUTSIDE = [b"root:x:0:0", b"SECRET_KEY = _secret_key()", b"def _secret_key"]


def _outside_markers() -> list[bytes]:
    key = Path(settings.DATA_DIR) / "secret_key"
    return [*OUTSIDE, *([key.read_bytes().strip()] if key.exists() else []), settings.SECRET_KEY.encode()]


def _check(client: Client, url: str, allowed: tuple[int, ...] = (400, 404)) -> None:
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    leaked = [m for m in _outside_markers() if m in body]
    print(f"GET {url!r}: {response.status_code}, {len(body)} bytes, leaked: {leaked or 'nothing'}")
    assert response.status_code in allowed, url
    assert leaked == []


@pytest.fixture
def anonymous(db: None) -> Client:
    cache.clear()
    return Client()


@pytest.mark.parametrize("path", TRAVERSALS)
@override_settings(HYOKA_API_BURST=1000)
def test_public_site_and_api(anonymous: Client, path: str) -> None:
    _check(anonymous, f"/public/{path}")
    _check(anonymous, f"/public/140007/kanagawa-dx/{path}")
    _check(anonymous, f"/api/v1/plans/140007/{path}")
    _check(anonymous, f"/api/v1/indicators/140007/kanagawa-dx:{path}")


@pytest.mark.parametrize("path", TRAVERSALS)
def test_static_files(anonymous: Client, path: str) -> None:
    _check(anonymous, f"/static/{path}", (302, 400, 404))  # outside /static/ the login page answers
    _check(anonymous, f"/static/hyoka/{path}", (302, 400, 404))


@pytest.mark.parametrize("path", TRAVERSALS)
def test_downloads(client_for: Callable[[str], Client], path: str) -> None:
    """The format of a report, the department of a workbook and the plan key are never paths."""
    c = client_for("planner")
    _check(c, f"/plans/142034/hiratsuka-juten/report.{path}")
    _check(c, f"/plans/142034/hiratsuka-juten/report.html{path}")
    _check(c, f"/plans/140007/kanagawa-sousei-3/workbook.xlsx?department={path}")
    _check(c, f"/plans/140007/{path}/export.json")
    _check(c, f"/plans/140007/{path}/internal.zip")


@pytest.mark.parametrize(
    "url",
    [
        "/plans/140007/x%00y/",
        "/plans/142034/hiratsuka-juten%00/export.json",
        "/public/index.html%00",
        "/api/v1/plans/140007/kanagawa-dx%00",
    ],
)
def test_a_nul_byte_in_a_path_is_a_400(client_for: Callable[[str], Client], url: str) -> None:
    """PostgreSQL refuses NUL in any string, so a lookup by such a key would be a database error: refused first."""
    _check(client_for("planner"), url, (400,))


def test_the_markers_would_be_seen(anonymous: Client) -> None:
    """The control: the settings file really holds what the test looks for, so an absent marker means no leak."""
    text = Path(settings_module.__file__).read_bytes()
    assert OUTSIDE[1] in text and OUTSIDE[2] in text
    assert anonymous.get("/static/hyoka/hyoka.css").status_code == 200
