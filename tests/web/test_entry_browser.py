"""Data entry in headless Chromium: forms that keep what was typed, units, warnings, the grid, and set-up without JSON.

A department types a figure that cannot be read, one in another unit and one that looks
wrong: each time the reason stands beside the field, the text is still in it, and the last
one saves only once the warning is confirmed (which the planner then sees). The grid
saves rows with the keyboard. A planner makes a plan from the Excel template, edits an
indicator, and previews a change of the rules before saving it. Screenshots go to
artifacts/screenshots/entry-*.png.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import chromium
from playwright.sync_api import Browser, Page, expect
from test_browser import login, logout, shot
from test_setup import fill_template

from hyoka.web.history.models import Change
from hyoka.web.plans import models as m
from hyoka.web.plans.convert import core_plan, touch

PLAN = "kanagawa-sousei-3"
URL = f"/plans/140007/{PLAN}"
YEAR = 2025


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM is used from the test while Playwright runs
    with chromium() as b:
        yield b
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def _value_form(page: Page, base: str, indicator: str) -> None:
    page.goto(f"{base}{URL}/indicators/{indicator}/?year={YEAR}")


def _field_error(page: Page, name: str) -> str:
    return page.locator(f"#entry-main #id_main_{name}_errors").inner_text()


def test_entering_a_department_s_year_in_the_browser(stored: None, live_server, browser: Browser, password: str) -> None:
    base = live_server.url
    plan = m.Plan.objects.get(organization__code="140007", key=PLAN)
    m.Cycle.objects.create(plan=plan, year=YEAR, status=m.CycleStatus.OPEN, due="2026-05-29")
    touch(plan)
    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="ja-JP")
    login(page, base, "fukushi", password)

    # A figure that cannot be read: the reason beside the field, the text still in it, no internal path.
    _value_form(page, base, "3-2-1-k1")  # 施設
    page.fill("#id_main_value", "abc")
    page.fill("#id_main_note", "四月の集計")
    page.click("#entry-main form button.btn")
    assert _field_error(page, "value").startswith("数値として解釈できません")
    expect(page.locator("#id_main_value")).to_have_value("abc")
    expect(page.locator("#id_main_note")).to_have_value("四月の集計")
    assert "indicators[" not in page.content()

    # Another unit than the indicator's: ％ into 施設, named both.
    page.fill("#id_main_value", "45.6％")
    expect(page.locator("#entry-main .preview")).to_contain_text(
        "単位「%」は指標の単位「施設」と合いません"
    )  # the live preview says it first
    page.click("#entry-main form button.btn")
    assert "「施設」" in _field_error(page, "value") and "「%」" in _field_error(page, "value")
    expect(page.locator("#id_main_value")).to_have_value("45.6％")
    shot(page, "entry-01-unit-refused")

    # A figure that looks wrong: the warning in the live preview, the save only after the confirmation.
    _value_form(page, base, "3-1-1-k1")  # 市町村
    page.fill("#id_main_value", "-3")
    expect(page.locator("#entry-main .warnings")).to_contain_text("負の値（-3")
    page.click("#entry-main form button.btn")
    expect(page.locator("#id_main_confirm_errors")).to_be_visible()
    shot(page, "entry-02-warning")
    page.check("#id_main_confirm")
    page.click("#entry-main form button.btn")
    expect(page.locator(".msg.success")).to_be_visible()
    change = Change.objects.get(plan=plan, indicator_key="3-1-1-k1", year=YEAR)
    assert change.warnings.startswith("負の値（-3")

    # The grid: Enter saves a row, ↓ moves to the next row's same column; each row answers in itself.
    page.goto(f"{base}{URL}/entry/?year={YEAR}")
    rows = page.locator("tr[data-row]")
    assert rows.count() == 30
    first = rows.nth(1).locator("td[data-col=value] input")
    first.fill("")
    first.press("ArrowDown")
    expect(rows.nth(2).locator("td[data-col=value] input")).to_be_focused()
    row = rows.nth(3)
    row.locator("td[data-col=status] select").select_option("pending")
    row.locator("td[data-col=expected] input").fill("2026-09")
    row.locator("td[data-col=value] input").press("Enter")
    expect(row.locator(".row-result")).to_have_text("保存しました")
    bad = rows.nth(4)
    bad.locator("td[data-col=value] input").fill("たくさん")
    bad.locator("td[data-col=value] input").press("Enter")
    expect(bad.locator(".field-errors")).to_contain_text("数値として解釈できません")
    expect(bad.locator("td[data-col=value] input")).to_have_value("たくさん")
    shot(page, "entry-03-grid")

    # The texts page: 「前年度の記載をコピー」 fills this year's boxes with last year's bullets.
    page.goto(f"{base}{URL}/entry/texts/?year={YEAR}")
    block = page.locator("section.texts-block").filter(has=page.locator("a[data-copy-previous]")).first
    block.locator("a[data-copy-previous]").click()
    assert block.locator("textarea[name=results]").input_value() != ""
    logout(page)

    # The planner sees the value saved over a warning.
    login(page, base, "planner", password)
    page.goto(f"{base}{URL}/inbox/?year={YEAR}&department=福祉子どもみらい局")
    expect(page.locator("main")).to_contain_text("警告を確認して保存された値")
    expect(page.locator("main")).to_contain_text("負の値（-3")


def test_a_plan_from_the_excel_template_then_an_indicator_and_a_rule(stored: None, live_server, browser: Browser, password: str) -> None:
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    login(page, base, "planner", password)
    page.goto(f"{base}/plans/new/")
    page.fill("#id_start", "R7")
    page.fill("#id_end", "2027")
    with page.expect_download() as download:
        page.click("text=テンプレート（Excel）をダウンロード")
    template = Path(download.value.path()).read_bytes()
    assert template[:2] == b"PK"
    workbook = fill_template(template)  # filled in as a planner would, in Excel
    page.set_input_files("#id_file", files=[{"name": "town.xlsx", "mimeType": "application/octet-stream", "buffer": workbook}])
    page.click("text=計画を作成")
    expect(page.locator(".msg.success")).to_contain_text("計画を作成しました")
    expect(page).to_have_url(f"{base}/plans/140007/town-plan/")
    shot(page, "entry-04-new-plan")

    # An indicator edited in the browser, with its history.
    page.goto(f"{base}/plans/140007/town-plan/indicators/g1-1-k1/edit/")
    page.fill("#id_name", "空き店舗を活用した件数")
    page.fill("#id_why", "名称を正式なものに")
    page.click("form.card button.btn")
    expect(page.locator("h1")).to_contain_text("空き店舗を活用した件数")
    expect(page.locator(".changes")).to_contain_text("名称を正式なものに")
    town = m.Plan.objects.get(organization__code="140007", key="town-plan")
    assert core_plan(town).indicator_by_id["g1-1-k1"].name == "空き店舗を活用した件数"

    # A rule changed with its preview: the grades before → after, then saved as a new version.
    page.goto(f"{base}{URL}/rules/?year=2024")
    page.fill("#id_grade_0_bands", "95 順調に進んでいます\n75 概ね順調に進んでいます\n60 やや遅れています\n- 遅れています")
    page.click("button:has-text('評価への影響を確認')")
    expect(page.locator("#preview")).to_contain_text("順調に進んでいます")
    expect(page.locator("#preview table.shifts tbody tr").first).to_be_visible()
    shot(page, "entry-05-rules-preview")
    page.fill("#id_why", "基準を厳しくする")
    page.click("button:has-text('新しい版として保存')")  # FY2024 is published and its grades change: refused without a 訂正 reason
    expect(page.locator("#id_correction_errors")).to_be_visible()
    page.fill("#id_correction", "評価基準の見直し")
    page.click("button:has-text('新しい版として保存')")
    expect(page.locator(".msg.success")).to_contain_text("評価ルールを更新しました")
    assert m.RuleSetVersion.objects.filter(plan__key=PLAN, plan__organization__code="140007").count() == 2
