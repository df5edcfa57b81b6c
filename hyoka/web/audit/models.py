"""The audit log: logins, refused requests and every change, for the administrators (SPEC 5.3).

The change log (history.Change) says what happened to a plan; the audit log says who
did what with the system: it also keeps failed and throttled logins, every 403, and the
admin site's changes to users, and it outlives a deleted plan (the link to its change
is cleared, the words stay).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..history.models import Change


class EventKind(models.TextChoices):
    LOGIN = "login", _("ログイン")
    LOGIN_FAILED = "login_failed", _("ログイン失敗")
    LOGOUT = "logout", _("ログアウト")
    DENIED = "denied", _("権限なし（拒否）")
    CHANGE = "change", _("計画の変更")
    ADMIN = "admin", _("管理操作")
    RESTORE = "restore", _("復元")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("日時"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("種類"), max_length=20, choices=EventKind.choices, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(_("利用者"), max_length=150, blank=True, db_index=True)  # also the name tried at a failed login
    address = models.GenericIPAddressField(_("接続元"), null=True, blank=True)
    method = models.CharField(max_length=10, blank=True)
    path = models.CharField(_("URL"), max_length=500, blank=True)
    organization = models.ForeignKey(
        "accounts.Organization", verbose_name=_("団体"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # whose administrators see the event; none: only the system operator (an unknown name at the login, the installation)
    plan_key = models.CharField(_("計画"), max_length=100, blank=True, db_index=True)
    subject = models.CharField(_("対象"), max_length=500, blank=True)
    detail = models.TextField(_("内容"), blank=True)
    change = models.ForeignKey(Change, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("監査ログ")
        verbose_name_plural = _("監査ログ")
