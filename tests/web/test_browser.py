"""The yearly cycle in headless Chromium, as each role does it, from 年度を開始 to 公表 and a 訂正,
with screenshots of the main pages.

The planner opens the year (a page that says what it does); a department user enters three
values (one in full-width digits, one 把握予定) and the texts and submits after a page that
counts what is still empty; the planner accepts (the same counts) and the 小柱 grade on the
tree changes as the core computes; the planner closes the year (the page lists who has not
submitted); a council member writes the 二次評価 (no grade chosen for them) and the department
answers; the planner publishes (with the reason, as the year is unfinished), and the year is on
/public/ and in the API; then a 訂正 of a value, whose note is on the public page, in the report
and in the API. The history shows every change. The screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import chromium
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from reports import run_queued

from hyoka.core.engine import evaluate
from hyoka.core.wareki import wareki_date
from hyoka.web.history.models import Change
from hyoka.web.plans import models as m
from hyoka.web.plans.convert import core_plan
from hyoka.web.workflow.models import Submission
from hyoka.web.workflow.work import department_work

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


def download_report(page: Page, base: str, fmt: str) -> str:
    """The report of the year as the signed-in user gets it: the progress page, the worker renders it, then the file."""
    page.goto(f"{base}/plans/140007/{PLAN}/report.{fmt}?year={YEAR}")
    expect(page.locator("section.rendering")).to_contain_text("順番待ち")
    assert run_queued() == 1  # the worker (in this process: the live server's database is in memory)
    page.reload()
    expect(page.locator("a.download")).to_be_visible()
    response = page.request.get(f"{base}/plans/140007/{PLAN}/report.{fmt}?year={YEAR}", max_redirects=0)
    assert response.status == 200, response.status
    return response.text()


def test_the_yearly_cycle_in_the_browser(stored: None, live_server, browser: Browser, password: str) -> None:
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ja-JP")

    page.goto(base + "/")
    expect(page).to_have_url(f"{base}/accounts/login/?next=/")
    shot(page, "01-login")

    # The planner opens FY2025 with its due date, after a page that says what that does.
    login(page, base, "planner", password)
    shot(page, "02-plans")
    page.goto(f"{base}/plans/140007/{PLAN}/?year={YEAR}")
    page.click("text=年度を開始")
    expect(page.locator("main")).to_contain_text("担当課がその年度の実績値と取組")
    assert page.locator("#id_year").input_value() == ""  # no year chosen for the planner
    assert "2024" not in page.locator("#id_year").inner_html()  # FY2024 is published: a record, not offered
    page.select_option("#id_year", str(YEAR))
    page.fill("input[name=due]", "2026-05-29")
    page.click("button:has-text('評価サイクルを開始')")
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
    expect(page.locator("#entry-main .preview .rate")).to_have_text("98.0％")  # the live preview, computed by the core, in the plan's style
    shot(page, "04-indicator-entry")
    enter_value(page, base, "1-3-1-k1", "５０．０％")
    expect(page.locator(".msg.success")).to_contain_text("98.0%")
    enter_value(page, base, "1-3-1-k2", "", status="pending", expected="2026-09")
    enter_value(page, base, "1-3-1-k3", "2.7%")
    shot(page, "05-indicator-after")

    page.goto(f"{base}/plans/140007/{PLAN}/nodes/1-3-1-1/texts/?year={YEAR}")
    page.fill("#id_results", "キャリアカウンセリングの利用者が増加\n若年層向けのセミナーを開催")
    page.fill("#id_issues", "就職決定率の向上に向け、定着支援を強化")
    page.click("form.card button.btn")
    expect(page.locator("#texts-1-3-1-1")).to_contain_text("定着支援を強化")
    shot(page, "06-node")

    plan = m.Plan.objects.get(organization__code="140007", key=PLAN)
    work = department_work(core_plan(plan), "産業労働局", YEAR)
    counts = f"未入力 {work.missing_values} 件、未記入 {work.missing_texts} 件"
    page.goto(f"{base}/plans/140007/{PLAN}/inbox/?year={YEAR}")
    page.click("a:has-text('提出する')")
    expect(page.locator(".counts-line")).to_have_text(counts)  # the confirmation counts what is still empty
    shot(page, "06b-submit-confirm")
    page.click("button:has-text('このまま提出する')")
    expect(page.locator(".msg.success")).to_be_visible()
    logout(page)

    # The planner accepts after the same counts; the tree shows the grade the core computes.
    login(page, base, "planner", password)
    page.goto(f"{base}/plans/140007/{PLAN}/inbox/?year={YEAR}&department=産業労働局")
    shot(page, "07-submissions")
    page.click("table.submissions a.decide")
    expect(page.locator(".counts-line")).to_have_text(counts)
    page.click("button[value=accept]")
    expect(page.locator(".msg.success")).to_be_visible()
    assert Submission.objects.get(plan=plan, year=YEAR, department__name="産業労働局").status == "accepted"
    grade = evaluate(core_plan(plan), YEAR).nodes["1-3-1"].grade
    assert grade is not None and grade.label == "順調に進んでいます" and str(grade.mean) == "99.0"  # (98.0 + 100) / 2
    after = tree_row(page, base, "1-3-1")
    assert grade.label in after and "99.0%" in after and after != before
    page.locator("#node-1-3").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -160)")
    shot(page, "08-tree", full_page=False)
    page.goto(f"{base}/plans/140007/kanagawa-dx/summary/?year=2024")
    shot(page, "09-summary")

    # The planner closes the year: the page names the departments that have not submitted.
    page.goto(f"{base}/plans/140007/{PLAN}/?year={YEAR}")
    page.click(".cycle-steps >> text=締め切る")
    expect(page.locator("ul.not-submitted")).to_contain_text("福祉子どもみらい局")
    expect(page.locator("ul.not-submitted")).not_to_contain_text("産業労働局")
    page.click("button:has-text('それでも締め切る')")
    expect(page.locator(".msg.success")).to_be_visible()
    logout(page)

    # A council member writes the 二次評価 of 基本目標１; no grade is chosen for them.
    login(page, base, "reviewer", password)
    page.goto(f"{base}/plans/140007/{PLAN}/council/?year={YEAR}")
    goal = page.locator("#goal-1")
    assert goal.locator("select[name=grade]").input_value() == ""
    goal.locator("select[name=grade]").select_option("概ね順調に進んでいます")
    goal.locator("textarea[name=comments]").fill("就業支援は着実に進んでいる\n人材確保の取組を一層強化されたい")
    goal.locator("text=二次評価を保存").click()
    expect(page.locator("#goal-1 .review-box")).to_contain_text("人材確保の取組を一層強化されたい")
    shot(page, "10-council")
    logout(page)

    # The department answers for its own 基本目標.
    login(page, base, "sangyo", password)
    page.goto(f"{base}/plans/140007/{PLAN}/council/?year={YEAR}")
    page.locator("#goal-1 textarea[name=answer]").fill("人材確保の支援を強化します")
    page.locator("#goal-1 >> text=対応を保存").click()
    expect(page.locator("#goal-1 .review-box")).to_contain_text("人材確保の支援を強化します")
    assert page.locator("#goal-3 textarea[name=answer]").count() == 0  # not its goal
    logout(page)

    # The planner publishes: the page shows what becomes public and asks why, as the year is unfinished.
    login(page, base, "planner", password)
    page.goto(f"{base}/plans/140007/{PLAN}/?year={YEAR}")
    page.click(".cycle-steps >> text=公表")
    expect(page.locator("ul.unfinished")).to_contain_text("福祉子どもみらい局")
    shot(page, "10b-publish-confirm")
    page.fill("#id_reason", "速報値として公表し、未提出の担当は確定後に訂正する")
    page.click("button:has-text('公表する')")
    expect(page.locator(".msg.success")).to_be_visible()
    public = browser.new_page(locale="ja-JP")  # an anonymous visitor
    public.goto(f"{base}/public/140007/{PLAN}/index.html")
    expect(public.locator("main")).to_contain_text("2025年度（令和７年度）")
    api = public.request.get(f"{base}/api/v1/plans/140007/{PLAN}?year={YEAR}").json()
    assert api["year"] == YEAR and api["publication"]["corrections"] == []
    indicator = public.request.get(f"{base}/api/v1/indicators/140007/{PLAN}:1-3-1-k1?year={YEAR}").json()
    assert indicator["evaluations"][0]["rate"] == "98.0"

    # A 訂正: the planner corrects the published value with its reason; the note is public at once.
    page.goto(f"{base}/plans/140007/{PLAN}/indicators/1-3-1-k1/?year={YEAR}")
    assert page.locator("#entry-main input[name=value]").count() == 0  # published: no entry form, a 訂正 instead
    page.click("text=訂正する（公表済み）")
    page.fill("#id_value", "49.0%")
    page.fill("#id_reason", "集計の誤りを訂正")
    shot(page, "10c-correct")
    page.click("button:has-text('訂正して公表する')")
    expect(page.locator(".msg.success")).to_be_visible()
    note = f"{wareki_date(timezone.localdate().isoformat())} 訂正"
    public.close()
    public = browser.new_page(locale="ja-JP")  # another visitor (the first one's browser keeps public pages 5 minutes)
    public.goto(f"{base}/public/140007/{PLAN}/index.html")
    expect(public.locator("section.corrections")).to_contain_text(note)
    expect(public.locator("section.corrections")).to_contain_text("集計の誤りを訂正")
    expect(public.locator("section.corrections")).to_contain_text("49.0%（確定）")
    screenshot_public = public.locator("section.corrections")
    screenshot_public.screenshot(path=str(SHOTS / "10d-public-correction.png"))
    corrections = public.request.get(f"{base}/api/v1/plans/140007/{PLAN}?year={YEAR}").json()["publication"]["corrections"]
    assert corrections[0]["reason"] == "集計の誤りを訂正" and corrections[0]["changes"][0]["old"] == "５０．０％（確定）"
    report = download_report(page, base, "html")
    assert "【訂正版】" in report and note in report and "集計の誤りを訂正" in report and "49.0%（確定）" in report
    public.close()

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
    assert {"cycle", "value", "text", "submission", "review", "answer", "publication", "correction"} <= kinds

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page.goto(f"{base}/plans/140007/{PLAN}/indicators/1-3-1-k1/?year={YEAR}")
    expect(page.locator("h1")).to_contain_text("KPI")
    expect(page.locator("nav.plan-nav")).to_contain_text("Plan structure")
    shot(page, "12-indicator-english")
    page.close()
