"""The static site in headless Chromium: pages render, charts draw, search and downloads work,
the keyboard reaches everything, and axe-core finds no WCAG 2.1 A/AA violation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser import axe_violations, chromium, screenshot, static_server

from hyoka.samples import load_sample
from hyoka.site import paths


@pytest.fixture(scope="module")
def browser() -> Any:
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def base_url(site_dir: Path) -> Any:
    with static_server(site_dir) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == []


def _sample_pages(plan_id: str) -> dict[str, str]:
    """Home, tree, a node with indicators and a charted indicator (one with parts when the plan has one)."""
    plan = load_sample(plan_id)
    node = (
        next(n for n in plan.nodes if plan.indicators_of.get(n.id) and plan.children.get(n.id))
        if any(plan.indicators_of.get(n.id) and plan.children.get(n.id) for n in plan.nodes)
        else next(n for n in plan.nodes if plan.indicators_of.get(n.id))
    )
    charted = [i for i in plan.indicators if any(s.targets for s in i.series())]
    indicator = next((i for i in charted if i.parts), charted[0])
    return {
        "home": paths.plan_home(paths.of_plan(load_sample(plan_id))),
        "tree": paths.plan_page(paths.of_plan(load_sample(plan_id)), "tree"),
        "node": paths.node_page(paths.of_plan(load_sample(plan_id)), node.id),
        "indicator": paths.indicator_page(paths.of_plan(load_sample(plan_id)), indicator.id),
    }


PLANS = ("kanagawa-sousei-3", "kanagawa-dx", "hiratsuka-juten")


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("plan_id", PLANS)
def test_pages_have_no_wcag_aa_violation(page, base_url, plan_id, lang):
    found = {}
    for kind, path in {**_sample_pages(plan_id), "site": paths.home(), "search": paths.search()}.items():
        page.goto(base_url + paths.in_language(path, lang))
        assert page.locator("h1").count() == 1
        assert page.locator("main").count() == 1 and page.locator("header").count() >= 1
        found[kind] = axe_violations(page)
        if lang == "ja" or kind == "indicator":
            screenshot(page, "site", f"{plan_id}-{kind}-{lang}")
    assert found == {kind: [] for kind in found}


def test_charts_draw_with_a_data_table_beside_each(page, base_url):
    page.goto(base_url + _sample_pages("kanagawa-sousei-3")["indicator"])
    charts = page.locator("figure.chart svg")
    assert charts.count() >= 1
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 150
        assert charts.nth(i).locator("rect").count() > 0
        assert charts.nth(i).get_attribute("role") == "img" and charts.nth(i).locator("title").count() == 1
    assert page.locator("table.data caption").count() >= charts.count()


def test_downloads_are_the_files_of_the_site(page, base_url, site_dir):
    plan = load_sample("kanagawa-dx")
    ind = next(i for i in plan.indicators if i.values)
    page.goto(base_url + paths.indicator_page(paths.of_plan(plan), ind.id))
    for label, path in (
        ("この指標の CSV", paths.indicator_data(paths.of_plan(plan), ind.id, "csv")),
        ("この指標の JSON", paths.indicator_data(paths.of_plan(plan), ind.id, "json")),
        ("計画全体の CSV データパッケージ（ZIP）", paths.package_zip(paths.of_plan(plan))),
        ("計画ファイル（hyoka/1 形式の JSON）", paths.hyoka1_file(paths.of_plan(plan))),
    ):
        with page.expect_download() as info:
            page.get_by_role("link", name=label).click()
        download = info.value
        assert download.suggested_filename == Path(path).name
        assert Path(download.path()).read_bytes() == (site_dir / path).read_bytes()


def test_search_finds_indicators_across_plans_and_opens_one(page, base_url):
    page.goto(base_url + paths.search())
    page.get_by_label("指標名・番号・項目名で検索").fill("デジタル")
    status = page.locator("#search-status")
    assert "件の指標が見つかりました" in status.inner_text()
    results = page.locator("#search-results li a")
    assert results.count() > 3
    name = results.first.inner_text()
    results.first.click()
    assert page.locator("h1").inner_text().endswith(name.split("〔")[0]) or name in page.locator("h1").inner_text()
    page.goto(base_url + "en/" + paths.search() + "?q=" + "観光")
    assert page.locator("#search-results li").count() > 0
    assert "indicators found" in page.locator("#search-status").inner_text()


def test_the_keyboard_skips_to_the_content_and_reaches_every_link(page, base_url):
    page.goto(base_url + _sample_pages("kanagawa-dx")["node"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "本文へ移動"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
