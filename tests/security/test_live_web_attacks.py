"""Traversal, NUL bytes and headers against a real gunicorn over PostgreSQL, with raw HTTP request lines.

Django's test client and HTTP libraries tidy a path before sending it (``/a/../b``
becomes ``/b``); an attacker's client does not. Here the request line is written to the
socket byte for byte, as the attacker would, and the server's answer is read whole:
400 or 404, none of the contents of a file outside, and the security headers on every
answer, refusals included.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from live import Browser, fresh_database, seed, serving
from seed import PASSWORD

pytestmark = pytest.mark.slow

RAW_PATHS = [
    "/public/../../../../etc/passwd",
    "/public/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/public/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/public/140007/kanagawa-dx/../../../hyoka/web/settings.py",
    "/public/..\\..\\..\\etc\\passwd",
    "/public/index.html%00.png",
    "/static/../../../../etc/passwd",
    "/static/hyoka/../../settings.py",
    "/static/hyoka/%2e%2e/%2e%2e/settings.py",
    "/static/hyoka/..%2f..%2fsettings.py",
    "/api/v1/plans/../../../../etc/passwd",
    "/api/v1/plans/140007/kanagawa-dx%00",
    "/api/v1/indicators/140007/kanagawa-dx:..%2f..%2fetc%2fpasswd",
    "//etc/passwd",
    "/../../../../etc/passwd",
]
SIGNED_IN_PATHS = [
    "/plans/140007/kanagawa-dx/report.html/../../../etc/passwd",
    "/plans/140007/kanagawa-dx/report.%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/plans/140007/kanagawa-sousei-3/workbook.xlsx?department=../../../../etc/passwd",
    "/plans/..%2f..%2fetc/export.json",
    "/plans/140007/x%00y/",
]
OUTSIDE = [b"root:x:0:0", b"def _secret_key", b"SECRET_KEY = _secret_key()"]
HEADERS = [b"content-security-policy:", b"x-content-type-options: nosniff", b"x-frame-options: deny", b"referrer-policy: same-origin"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    with fresh_database("webattacks") as url:
        data_dir = tmp_path_factory.mktemp("webattacks")
        seed(url, data_dir)
        with serving(url, data_dir, workers=1, threads=2) as s:
            yield s.base, s.port


def _raw(port: int, path: str, cookie: str = "") -> tuple[int, bytes, bytes]:
    """One request line as given, one answer read to the end: (status, head, body)."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    request += f"Cookie: {cookie}\r\n" if cookie else ""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(request.encode("latin-1") + b"\r\n")
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    head, _sep, body = b"".join(chunks).partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), head, body


def _check(port: int, path: str, cookie: str = "") -> None:
    status, head, body = _raw(port, path, cookie)
    leaked = [m for m in OUTSIDE if m in body]
    missing = [h.decode() for h in HEADERS if h not in head.lower()]
    print(f"GET {path!r}: {status}, {len(body)} bytes, leaked {leaked or 'nothing'}, headers missing {missing or 'none'}")
    assert status in (400, 404), path
    assert leaked == []
    assert missing == [], "a refusal carries the headers too"


def test_raw_traversal_paths_anonymously(server: tuple[str, int]) -> None:
    _base, port = server
    status, head, _body = _raw(port, "/public/140007/kanagawa-dx/index.html")
    assert status == 200 and all(h in head.lower() for h in HEADERS), "the control: a real page is served with its headers"
    for path in RAW_PATHS:
        _check(port, path)


def test_raw_traversal_paths_signed_in(server: tuple[str, int]) -> None:
    base, port = server
    browser = Browser(base).login("planner", PASSWORD)
    cookie = "; ".join(f"{c.name}={c.value}" for c in browser.cookies)
    status, _head, _body = _raw(port, "/plans/140007/kanagawa-dx/export.json", cookie)
    assert status == 200, "the control: the session works on the raw socket (a plan of the planner's own organization)"
    for path in SIGNED_IN_PATHS:
        _check(port, path, cookie)


def test_the_settings_file_holds_the_markers() -> None:
    text = (Path(__file__).resolve().parents[2] / "hyoka" / "web" / "settings.py").read_bytes()
    assert OUTSIDE[1] in text and OUTSIDE[2] in text
