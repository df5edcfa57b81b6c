"""The login, on django-axes: every login form (the app's and the admin site's) counts failures in the database.

Three ways around a throttle are closed here. The user name is normalised (``normal_username``)
before anything looks at it, so a look-alike (ｔｈｒｏｔｔｌｅ, 𝐭𝐡𝐫𝐨𝐭𝐭𝐥𝐞) is the same name and shares
its count. One name is tried by one request at a time (``one_attempt_at_a_time``): axes checks
the count before the password and records a failure after it, so guesses sent at once would all
be checked against the count of before; held one after another, the sixth sees five failures.
And the admin site's form is the same form.

Two-factor login (django-otp, TOTP): a user who has a confirmed authenticator device (added on the
admin site, usually for administrators and planners) must give its six-digit code with the
password; the session is then marked verified.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import django_otp
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .models import normal_username

LOCKED = _("ログインの失敗が続いたため、しばらくログインできません。時間をおいてお試しください。")


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """What axes counts a failure under: the normalised name (AXES_USERNAME_CALLABLE)."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return normal_username(str(raw))[:150]


@contextmanager
def one_attempt_at_a_time(username: str) -> Iterator[None]:
    """A transaction in which no other login of *username* runs: the count cannot be outrun.

    PostgreSQL: a transaction-scoped advisory lock on the name. SQLite: the transaction takes the
    database's write lock when it begins (IMMEDIATE, settings), which serializes every attempt.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", ["hyoka-login:" + username])
        yield


NEEDS_CODE = _("確認コード（認証アプリの6桁）を入力してください。")


class NormalisedLogin(forms.Form):
    """The user name in its one spelling, the password checked while no other attempt of that name runs,
    and the authenticator's code of a user who has a device."""

    otp_token = forms.CharField(label=_("確認コード"), required=False, max_length=8)

    def clean_username(self: Any) -> str:
        return normal_username(self.cleaned_data.get("username") or "")

    def clean(self: Any) -> dict[str, Any]:
        refused: forms.ValidationError | None = None
        with one_attempt_at_a_time(self.cleaned_data.get("username") or ""):
            try:
                cleaned = super().clean()
            except forms.ValidationError as e:  # raised after the block: the failure's count must be committed
                refused = forms.ValidationError(LOCKED, code="throttled") if getattr(self.request, "axes_locked_out", False) else e
            else:
                user = self.get_user()
                if user is not None and django_otp.user_has_device(user):
                    device = django_otp.match_token(user, (cleaned.get("otp_token") or "").strip())
                    if device is None:
                        refused = forms.ValidationError(NEEDS_CODE, code="otp")
                    self.otp_device = device
        if refused is not None:
            raise refused
        return cleaned


class LoginForm(NormalisedLogin, AuthenticationForm):
    pass


class AdminLoginForm(NormalisedLogin, AdminAuthenticationForm):
    pass


def verified(request: HttpRequest, form: Any) -> None:
    """After Django's login: a user who gave an authenticator's code has a verified session."""
    device = getattr(form, "otp_device", None)
    if device is not None:
        django_otp.login(request, device)


def locked_out(request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the login page again, saying why, with 429 (never a session)."""
    form = LoginForm(request, data=None)
    return render(request, "accounts/login.html", {"form": form, "locked": LOCKED}, status=429)
