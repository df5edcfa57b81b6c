"""A Content-Security-Policy on every response: scripts and styles only from hyoka itself.

The pages hold no inline script (the one script is a static file), so an injected
<script> in a plan's text could not run even if escaping ever failed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        # WhiteNoise answers static files below Django's clickjacking middleware; the header docs/security.md promises is set here.
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response
