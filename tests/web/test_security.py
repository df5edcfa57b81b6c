"""Login throttling, session fixation, CSRF, hashed passwords, cookie flags and Django's deployment checklist."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import IntegrityError
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from hyoka.web.accounts.models import User


def _login(c: Client, username: str, password: str) -> object:
    return c.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_repeated_failures_lock_the_username_for_that_address(password: str) -> None:
    c = Client()
    for _ in range(settings.HYOKA_LOGIN_FAILURES - 1):
        assert _login(c, "sangyo", "wrong-password").status_code == 200
    assert _login(c, "sangyo", "wrong-password").status_code == 429  # the failure that reaches the limit locks
    refused = _login(c, "sangyo", password)
    assert refused.status_code == 429 and "_auth_user_id" not in c.session
    assert "しばらくログインできません" in refused.content.decode()
    # every attempt is counted, those made while locked too (each renews the lock's window)
    assert AccessAttempt.objects.get(username="sangyo").failures_since_start == settings.HYOKA_LOGIN_FAILURES + 1
    other = Client()
    assert _login(other, "fukushi", password).status_code == 302  # another user is not locked out


@pytest.mark.django_db
def test_the_admin_sites_login_form_is_throttled_too(password: str) -> None:
    """/admin/login/ took 20 more guesses on a locked admin, and then the right password gave a full session."""
    c = Client()
    answers = [
        c.post("/admin/login/", {"username": "admin", "password": "guess"}).status_code for _ in range(settings.HYOKA_LOGIN_FAILURES)
    ]
    assert answers == [200] * (settings.HYOKA_LOGIN_FAILURES - 1) + [429]
    refused = c.post("/admin/login/", {"username": "admin", "password": password})
    print(f"the right password after {settings.HYOKA_LOGIN_FAILURES} guesses on /admin/login/: {refused.status_code}")
    assert refused.status_code == 429 and "_auth_user_id" not in c.session
    assert _login(Client(), "admin", password).status_code == 429, "one count for every login form"


LOOK_ALIKES = ("ｓａｎｇｙｏ", "𝐬𝐚𝐧𝐠𝐲𝐨", "SANGYO", " Sangyo ")


@pytest.mark.django_db
def test_look_alike_names_are_the_same_name_and_share_its_count(password: str) -> None:
    """ｔｈｒｏｔｔｌｅ and 𝐭𝐡𝐫𝐨𝐭𝐭𝐥𝐞 logged in as throttle, each with five fresh guesses: now they are throttle."""
    assert _login(Client(), "ＳＡＮＧＹＯ", password).status_code == 302  # the same user, whatever its spelling
    c = Client()
    answers = [_login(c, name, "wrong").status_code for name in [*LOOK_ALIKES, "sangyo"][: settings.HYOKA_LOGIN_FAILURES]]
    assert answers == [200] * (settings.HYOKA_LOGIN_FAILURES - 1) + [429]
    for name in LOOK_ALIKES:
        assert _login(c, name, password).status_code == 429, name
    assert AccessAttempt.objects.get().username == "sangyo"
    with pytest.raises(IntegrityError):  # created under a look-alike, a user is the name it looks like
        User.objects.create_user("ｐｌａｎｎｅｒ", password="another-long-pass-1")


@pytest.mark.django_db
def test_two_factor_login_asks_the_authenticators_code(password: str) -> None:
    planner = User.objects.get(username="planner")
    device = TOTPDevice.objects.create(user=planner, name="認証アプリ", confirmed=True)
    c = Client()
    refused = c.post("/accounts/login/", {"username": "planner", "password": password})
    assert refused.status_code == 200 and "_auth_user_id" not in c.session and "確認コード" in refused.content.decode()
    assert c.post("/accounts/login/", {"username": "planner", "password": password, "otp_token": "000000"}).status_code == 200
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # the device's own pause after a wrong code
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"
    assert c.post("/accounts/login/", {"username": "planner", "password": password, "otp_token": code}).status_code == 302
    assert c.get("/").wsgi_request.user.is_verified()


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
    response = c.post("/plans/140007/kanagawa-sousei-3/cycles/open/", {"year": 2026})
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
    response = c.get("/plans/140007/kanagawa-sousei-3/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    assert "<script>" not in response.content.decode()  # no inline script, so the policy costs nothing


@pytest.mark.django_db
def test_a_session_planted_before_login_is_not_the_one_used_after(password: str) -> None:
    """Session fixation: an attacker's session key given to the victim's browser is dropped at login."""
    planted = SessionStore()
    planted["planted"] = "by-attacker"
    planted.create()
    c = Client()
    c.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    assert c.get("/accounts/login/").status_code == 200
    assert _login(c, "planner", password).status_code == 302
    after = c.cookies[settings.SESSION_COOKIE_NAME].value
    print(f"planted session {planted.session_key[:8]}…, after login {after[:8]}…")
    assert after != planted.session_key
    assert not SessionStore().exists(planted.session_key), "the planted session must be gone, not merely unused"
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    response = attacker.get("/plans/140007/kanagawa-sousei-3/")
    print(f"the attacker with the planted key: {response.status_code} {response.get('Location', '')}")
    assert response.status_code == 302 and "login" in response["Location"]
    assert c.get("/plans/140007/kanagawa-sousei-3/").status_code == 200


@pytest.mark.django_db
def test_the_session_key_changes_at_login_and_dies_at_logout(password: str) -> None:
    c = Client()
    c.get("/accounts/login/")
    before = c.cookies[settings.CSRF_COOKIE_NAME].value if settings.CSRF_COOKIE_NAME in c.cookies else ""
    _login(c, "sangyo", password)
    key = c.cookies[settings.SESSION_COOKIE_NAME].value
    assert SessionStore(session_key=key).get("_auth_user_id") == str(User.objects.get(username="sangyo").pk)
    csrf_after = c.cookies[settings.CSRF_COOKIE_NAME].value if settings.CSRF_COOKIE_NAME in c.cookies else ""
    assert not before or csrf_after != before, "the CSRF token is rotated at login too"
    assert c.post("/accounts/logout/").status_code == 302
    print(f"session {key[:8]}… after logout: exists={SessionStore().exists(key)}")
    assert not SessionStore().exists(key)
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    response = replay.get("/plans/140007/kanagawa-sousei-3/")
    print(f"the old session cookie replayed after logout: {response.status_code} {response.get('Location', '')}")
    assert response.status_code == 302 and "login" in response["Location"]
