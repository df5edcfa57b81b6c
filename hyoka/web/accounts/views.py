"""Login with throttling: repeated failures for one username from one address are refused for a while."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import LoginFailure


def client_address(request: HttpRequest) -> str | None:
    """The peer address; behind the production proxy, gunicorn is given the real one (--forwarded-allow-ips)."""
    return request.META.get("REMOTE_ADDR") or None


def recent_failures(username: str, address: str | None) -> int:
    since = timezone.now() - timedelta(seconds=settings.HYOKA_LOGIN_WINDOW_SECONDS)
    LoginFailure.objects.filter(at__lt=since).delete()  # only the window matters; the table stays small
    return LoginFailure.objects.filter(username=username, address=address, at__gte=since).count()


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("ログインの失敗が続いたため、しばらくログインできません。時間をおいてお試しください。"),
    }

    def clean(self) -> dict[str, Any]:
        username = (self.data.get("username") or "").strip()[:150]
        address = client_address(self.request) if self.request else None
        if username and recent_failures(username, address) >= settings.HYOKA_LOGIN_FAILURES:
            user_login_failed.send(sender=__name__, credentials={"username": username, "reason": "throttled"}, request=self.request)
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            return super().clean()
        except forms.ValidationError:
            if username:
                LoginFailure.objects.create(username=username, address=address)
            raise


class LoginView(auth_views.LoginView):
    authentication_form = ThrottledAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
