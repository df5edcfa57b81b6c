"""Login throttling, CSRF, hashed passwords, cookie flags and Django's deployment checklist."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from hyoka.web.accounts.models import LoginFailure, User


def _login(c: Client, username: str, password: str) -> object:
    return c.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_repeated_failures_lock_the_username_for_that_address(password: str) -> None:
    c = Client()
    for _ in range(settings.HYOKA_LOGIN_FAILURES):
        assert _login(c, "sangyo", "wrong-password").status_code == 200
    refused = _login(c, "sangyo", password)
    assert refused.status_code == 200 and "_auth_user_id" not in c.session
    assert "しばらくログインできません" in refused.content.decode()
    assert LoginFailure.objects.filter(username="sangyo").count() == settings.HYOKA_LOGIN_FAILURES
    other = Client()
    assert _login(other, "fukushi", password).status_code == 302  # another user is not locked out


@pytest.mark.django_db
def test_successful_login_sets_a_protected_session(password: str) -> None:
    c = Client()
    response = _login(c, "planner", password)
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_posts_without_a_csrf_token_are_refused(password: str) -> None:
    c = Client(enforce_csrf_checks=True)
    c.force_login(User.objects.get(username="planner"))
    response = c.post("/plans/kanagawa-sousei-3/cycles/open/", {"year": 2026})
    assert response.status_code == 403


@pytest.mark.django_db
def test_passwords_are_stored_hashed(password: str) -> None:
    stored = User.objects.get(username="planner").password
    assert password not in stored and stored.startswith("pbkdf2_sha256$")


def test_production_settings_pass_the_deployment_checklist(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "HYOKA_ENV": "production",
        "HYOKA_SECRET_KEY": secrets.token_urlsafe(50),
        "HYOKA_ALLOWED_HOSTS": "hyoka.example.lg.jp",
        "HYOKA_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "hyoka.web", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "HYOKA_SECRET_KEY"}
    env |= {"HYOKA_ENV": "production", "HYOKA_ALLOWED_HOSTS": "x.example", "HYOKA_DATA_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "hyoka.web", "check"], env=env, capture_output=True, text=True, check=False)
    assert result.returncode != 0 and "HYOKA_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_pages_allow_scripts_only_from_hyoka(password: str) -> None:
    c = Client()
    c.force_login(User.objects.get(username="planner"))
    response = c.get("/plans/kanagawa-sousei-3/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    assert "<script>" not in response.content.decode()  # no inline script, so the policy costs nothing
