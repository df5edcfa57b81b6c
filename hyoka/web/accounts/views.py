"""The login page (django-axes counts its failures, ``login``) and the peer address everything logs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from .login import LoginForm, verified


def client_address(request: HttpRequest) -> str | None:
    """The peer address; behind the production proxy, gunicorn is given the real one (--forwarded-allow-ips).

    Never a header the client writes (X-Forwarded-For): the login throttle and the API's rate limit count by it.
    """
    return request.META.get("REMOTE_ADDR") or None


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        verified(self.request, form)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every user changes their own password: the old one, then the new one twice, checked by the password validators."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("パスワードを変更しました。"))
        return response

    def form_invalid(self, form: PasswordChangeForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)
