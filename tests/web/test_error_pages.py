"""Refusals are pages of the site, in its language, that say what happened; a refused form's text is given back."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from opencycle import URL, YEAR

from hyoka.web.accounts.models import User
from hyoka.web.plans import models as m


def test_a_text_refused_because_the_year_closed_is_given_back_to_copy(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("fukushi")
    form = c.get(f"{URL}/nodes/3-1-1-1/texts/?year={YEAR}")
    assert form.status_code == 200
    m.Cycle.objects.filter(plan=plan, year=YEAR).update(status=m.CycleStatus.CLOSED)  # the planner closes the year meanwhile
    response = c.post(f"{URL}/nodes/3-1-1-1/texts/", {"year": YEAR, "results": "半年かけて書いた取組結果", "issues": "課題", "base": ""})
    page = response.content.decode()
    assert response.status_code == 403 and '<html lang="ja">' in page
    assert "この操作はできません" in page and "半年かけて書いた取組結果" in page and 'class="copy-box"' in page
    assert "403 Forbidden" not in page


@pytest.mark.parametrize(("language", "title"), [("ja", "ページが見つかりません"), ("en", "Page not found")])
def test_not_found_is_a_page_in_the_chosen_language(plan: m.Plan, client_for: Callable[[str], Client], language: str, title: str) -> None:
    c = client_for("fukushi")
    c.cookies["django_language"] = language
    response = c.get(f"{URL}/indicators/no-such-indicator/")
    assert response.status_code == 404 and title in response.content.decode()
    assert f'<html lang="{language}">' in response.content.decode()


def test_a_get_of_a_form_address_is_a_405_page(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    response = client_for("fukushi").get(f"{URL}/indicators/3-1-1-k1/value/")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "この方法では開けません" in response.content.decode()


def test_a_body_over_the_limit_is_a_400_page_that_names_the_limit(plan: m.Plan, client_for: Callable[[str], Client], settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client_for("fukushi").post(f"{URL}/nodes/3-1-1-1/texts/", {"year": YEAR, "results": "あ" * 2000})
    page = response.content.decode()
    assert response.status_code == 400 and "送信された内容が大きすぎます" in page and "Bad Request" not in page


def test_an_expired_form_gives_its_text_back(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("fukushi")
    c.handler.enforce_csrf_checks = True
    response = c.post(f"{URL}/nodes/3-1-1-1/texts/", {"year": YEAR, "results": "消えてほしくない文章"})
    assert response.status_code == 403 and "消えてほしくない文章" in response.content.decode()
    assert "有効期限が切れた" in response.content.decode()


def test_every_user_changes_their_own_password_with_reasons_beside_the_fields(
    db: None, client_for: Callable[[str], Client], password: str
) -> None:
    c = client_for("fukushi")
    short = c.post("/accounts/password/", {"old_password": password, "new_password1": "short", "new_password2": "short"})
    assert short.status_code == 400 and short.context["form"].errors["new_password2"]
    assert 'id="id_new_password2_errors"' in short.content.decode()
    wrong = c.post("/accounts/password/", {"old_password": "wrong", "new_password1": "x"})
    assert wrong.context["form"].errors["old_password"]
    new = "a-much-longer-passphrase-42"
    done = c.post("/accounts/password/", {"old_password": password, "new_password1": new, "new_password2": new})
    assert done.status_code == 302
    signed_in = Client().post("/accounts/login/", {"username": "fukushi", "password": new})  # through the login form (axes counts it)
    assert signed_in.status_code == 302 and User.objects.get(username="fukushi").check_password(new)
