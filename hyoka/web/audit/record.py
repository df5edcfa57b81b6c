"""Writing audit events, with who and from where taken from the request being served.

Signals (a change saved, a login) do not carry the request, so the middleware keeps it
in a context variable for the duration of the request; a change made outside a request
(the command line, a restore) is logged without an address.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from ..accounts.models import User, normal_username
from ..accounts.views import client_address
from .models import AuditEvent

current_request: ContextVar[HttpRequest | None] = ContextVar("hyoka_audit_request", default=None)

DETAIL_LIMIT = 2000  # the change log keeps the full texts; the audit log keeps enough to recognise them


def clipped(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _organization_of(user: Any, username: str) -> int | None:
    """The organization whose administrators see the event: the user's, or the one of the name tried at a login."""
    if user is not None:
        return user.organization_id
    if not username:
        return None
    return User.objects.filter(username=normal_username(username)).values_list("organization_id", flat=True).first()


def log_event(kind: str, *, request: HttpRequest | None = None, user: Any = None, **fields: Any) -> AuditEvent | None:
    """One event; *user* defaults to the signed-in user of the request, *fields* are AuditEvent's text fields."""
    request = request or current_request.get()
    if user is None and request is not None:
        signed_in = getattr(request, "user", None)
        user = signed_in if signed_in is not None and signed_in.is_authenticated else None
    if request is not None:
        fields.setdefault("address", client_address(request))
        fields.setdefault("method", request.method or "")
        fields.setdefault("path", clipped(request.get_full_path(), 500))
        match = getattr(request, "resolver_match", None)
        if match is not None:
            fields.setdefault("plan_key", str(match.kwargs.get("plan_key", ""))[:100])
    fields["username"] = clipped(fields.get("username") or (user.get_username() if user is not None else ""), 150)
    if "organization_id" not in fields:
        fields["organization_id"] = _organization_of(user, fields["username"])
    fields["subject"] = clipped(fields.get("subject", ""), 500)
    fields["detail"] = clipped(fields.get("detail", ""), DETAIL_LIMIT)
    if user is None and request is not None and _anonymous_quota_spent(fields.get("address")):
        return None
    return AuditEvent.objects.create(kind=kind, user=user, **fields)


def _anonymous_quota_spent(address: str | None) -> bool:
    """Requests of nobody signed in (refused posts, failed logins) add at most HYOKA_AUDIT_ANONYMOUS_PER_HOUR events an
    hour per address: enough to see an attack, not a way for anyone to fill the database."""
    since = timezone.now() - timedelta(hours=1)
    recent = AuditEvent.objects.filter(user__isnull=True, address=address, at__gte=since)
    return recent.count() >= settings.HYOKA_AUDIT_ANONYMOUS_PER_HOUR
