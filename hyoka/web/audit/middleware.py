"""Every refused request (403: a permission denied, a missing CSRF token, the admin site) is logged.

The middleware stands outside the CSRF and authentication middleware, so it sees their
refusals too; it also lends the request to the signal receivers for the address.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from ..errors import csrf_failure as expired_form
from .models import EventKind
from .record import current_request, log_event


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        if response.status_code == 403:
            log_event(EventKind.DENIED, request=request, detail=getattr(request, "hyoka_denied_reason", ""))
        return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The CSRF refusal page (``errors.csrf_failure``), with its reason kept for the audit log."""
    request.hyoka_denied_reason = f"CSRF: {reason}"  # type: ignore[attr-defined]
    return expired_form(request, reason=reason)
