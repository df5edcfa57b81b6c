"""What is logged: logins and logouts, failed logins, the admin site's changes, and every plan change.

A plan change is logged by the change log's own save, so it is in the same transaction:
a change that is rolled back leaves no audit event, and no change goes without one.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from ..history.models import Change
from .models import EventKind
from .record import log_event


@receiver(user_logged_in)
def logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    log_event(EventKind.LOGIN, request=request, user=user)


@receiver(user_logged_out)
def logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    log_event(EventKind.LOGOUT, request=request, user=user)


@receiver(user_login_failed)
def login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    """The name that was tried is kept (never the password: Django has already masked it)."""
    reason = "throttled" if getattr(request, "axes_locked_out", False) else ""  # django-axes refused it before the password
    log_event(EventKind.LOGIN_FAILED, request=request, username=str(credentials.get("username", "")), detail=reason)


@receiver(post_save, sender=Change)
def change_saved(sender: Any, instance: Change, created: bool, **kwargs: Any) -> None:
    if created:
        log_event(
            EventKind.CHANGE,
            user=instance.user,
            plan_key=instance.plan.key,
            organization_id=instance.plan.organization_id,
            subject=instance.subject,
            detail=f"{instance.old} → {instance.new}" + (f"（{instance.why}）" if instance.why else ""),
            change=instance,
        )


@receiver(post_save, sender=LogEntry)
def admin_changed(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    """Users and departments are changed on the admin site, which keeps its own LogEntry; each one is logged."""
    if created:
        action = {1: "追加", 2: "変更", 3: "削除"}.get(instance.action_flag, "")
        log_event(
            EventKind.ADMIN,
            user=instance.user,
            subject=f"{instance.content_type.name if instance.content_type else ''} {instance.object_repr} {action}".strip(),
            detail=instance.get_change_message(),
        )
