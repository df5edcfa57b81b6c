"""The yearly cycle in headless Chromium, as the three roles do it, with screenshots of the main pages.

A department user enters three values (one in full-width digits, one 把握予定) and the texts
and submits; the planner accepts; the 小柱 grade on the tree changes as the core computes;
a council member writes the 二次評価; the history shows every change. The screenshots go to
artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import chromium
from playwright.sync_api import Browser, Page, expect

from hyoka.core.engine import evaluate
from hyoka.web.history.models import Change
from hyoka.web.plans import models as m
from hyoka.web.plans.convert import core_plan
from hyoka.web.workflow.models import Submission

SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PLAN = "kanagawa-sousei-3"
YEAR = 2025


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # The ORM is used from the test while Playwright's event loop runs in this thread.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with chromium() as b:
        yield b
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def shot(page: Page, name: str, *, full_page: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def login(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button.btn")
    expect(page.locator(".user")).to_contain_text(username)


def logout(page: Page) -> None:
    page.click("header form[action$='/logout/'] button")
    expect(page.locator("#id_username")).to_be_visible()


def enter_value(page: Page, base: str, indicator: str, value: str, *, status: str = "confirmed", expected: str = "") -> None:
    page.goto(f"{base}/plans/140007/{PLAN}/indicators/{indicator}/?year={YEAR}")
    form = page.locator("#entry-main form")
    form.locator("input[name=value]").fill(value)
    form.locator("select[name=status]").select_option(status)
    if expected:
        form.locator("input[name=expected]").fill(expected)
    form.locator("button.btn").click()
    expect(page.locator(".msg.success")).to_be_visible()


def tree_row(page: Page, base: str, node: str) -> str:
    page.goto(f"{base}/plans/140007/{PLAN}/?year={YEAR}")
    return page.locator(f"#node-{node}").inner_text()


def test_the_yearly_cycle_in_the_browser(live_server, browser: Browser, password: str) -> None:
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ja-JP")

    page.goto(base + "/")
    expect(page).to_have_url(f"{base}/accounts/login/?next=/")
    shot(page, "01-login")

    # The planner opens FY2025 with its due date.
    login(page, base, "planner", password)
    shot(page, "02-plans")
    page.goto(f"{base}/plans/140007/{PLAN}/?year={YEAR}")
    page.select_option("#open-year", str(YEAR))
    page.fill("input[name=due]", "2026-05-29")
    page.click("text=評価サイクルを開始")
    expect(page.locator(".msg.success")).to_be_visible()
    logout(page)

    # The department sees its work, enters three values and its texts, and submits.
    login(page, base, "sangyo", password)
    page.goto(f"{base}/plans/140007/{PLAN}/inbox/?year={YEAR}")
    expect(page.locator(".inbox-values")).to_contain_text("1-3-1-k1")
    expect(page.locator("body")).to_contain_text("令和８年５月２９日")
    shot(page, "03-inbox")
    before = tree_row(page, base, "1-3-1")
    assert "ＫＰＩ未把握" in before

    page.goto(f"{base}/plans/140007/{PLAN}/indicators/1-3-1-k1/?year={YEAR}")
    page.locator("#entry-main input[name=value]").fill("５０．０％")
    expect(page.locator("#entry-main .preview .rate")).to_have_text("98.0%")  # the live preview, computed by the core
    shot(page, "04-indicator-entry")
    enter_value(page, base, "1-3-1-k1", "５０．０％")
    expect(page.locator(".msg.success")).to_contain_text("98.0%")
    enter_value(page, base, "1-3-1-k2", "", status="pending", expected="2026-09")
    enter_value(page, base, "1-3-1-k3", "2.7%")
    shot(page, "05-indicator-after")

    page.goto(f"{base}/plans/140007/{PLAN}/nodes/1-3-1-1/texts/?year={YEAR}")
    page.fill("#results", "キャリアカウンセリングの利用者が増加\n若年層向けのセミナーを開催")
    page.fill("#issues", "就職決定率の向上に向け、定着支援を強化")
    page.click("form.card button.btn")
    expect(page.locator("#texts-1-3-1-1")).to_contain_text("定着支援を強化")
    shot(page, "06-node")

    page.goto(f"{base}/plans/140007/{PLAN}/inbox/?year={YEAR}")
    page.click("text=提出する")
    expect(page.locator(".msg.success")).to_be_visible()
    logout(page)

    # The planner accepts; the tree shows the grade the core computes.
    login(page, base, "planner", password)
    page.goto(f"{base}/plans/140007/{PLAN}/inbox/?year={YEAR}&department=産業労働局")
    shot(page, "07-submissions")
    page.click("table.submissions button[value=accept]")
    expect(page.locator(".msg.success")).to_be_visible()
    assert (
        Submission.objects.get(plan__organization__code="140007", plan__key=PLAN, year=YEAR, department__name="産業労働局").status
        == "accepted"
    )
    plan = m.Plan.objects.get(organization__code="140007", key=PLAN)
    grade = evaluate(core_plan(plan), YEAR).nodes["1-3-1"].grade
    assert grade is not None and grade.label == "順調に進んでいます" and str(grade.mean) == "99.0"  # (98.0 + 100) / 2
    after = tree_row(page, base, "1-3-1")
    assert grade.label in after and "99.0%" in after and after != before
    page.locator("#node-1-3").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -160)")
    shot(page, "08-tree", full_page=False)
    page.goto(f"{base}/plans/140007/kanagawa-dx/summary/?year=2024")
    shot(page, "09-summary")
    logout(page)

    # A council member writes the 二次評価 of 基本目標１.
    login(page, base, "reviewer", password)
    page.goto(f"{base}/plans/140007/{PLAN}/council/?year={YEAR}")
    goal = page.locator("#goal-1")
    goal.locator("select[name=grade]").select_option("概ね順調に進んでいます")
    goal.locator("textarea[name=comments]").fill("就業支援は着実に進んでいる\n人材確保の取組を一層強化されたい")
    goal.locator("text=二次評価を保存").click()
    expect(page.locator("#goal-1 .review-box")).to_contain_text("人材確保の取組を一層強化されたい")
    shot(page, "10-council")

    # The history shows each change, with who made it.
    page.goto(f"{base}/plans/140007/{PLAN}/history/?year={YEAR}")
    history = page.locator("table.changes").inner_text()
    for expected in [
        "５０．０％（確定）",
        "（把握予定 2026-09）",
        "2.7%（確定）",
        "取組結果",
        "提出済み",
        "承認済み",
        "人材確保の取組を一層強化されたい",
    ]:
        assert expected in history, expected
    shot(page, "11-history")
    kinds = set(Change.objects.filter(plan=plan).values_list("kind", flat=True))
    assert {"cycle", "value", "text", "submission", "review"} <= kinds

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page.goto(f"{base}/plans/140007/{PLAN}/indicators/1-3-1-k1/?year={YEAR}")
    expect(page.locator("h1")).to_contain_text("KPI")
    expect(page.locator("nav.plan-nav")).to_contain_text("Plan structure")
    shot(page, "12-indicator-english")
    page.close()
