"""The login page (django-axes counts its failures, ``login``) and the peer address everything logs."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

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
