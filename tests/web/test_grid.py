"""The grid pages: a department's year on one page, saved row by row with each row's own conflict check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client
from opencycle import URL, YEAR
from webforms import Form, forms

from hyoka.web.history.models import Change
from hyoka.web.plans import models as m
from hyoka.web.plans.convert import core_plan

JSON = {"HTTP_ACCEPT": "application/json"}


def _rows(c: Client, department: str = "") -> tuple[str, list[Form]]:
    page = c.get(f"{URL}/entry/", {"year": YEAR, **({"department": department} if department else {})})
    assert page.status_code == 200
    html = page.content.decode()
    return html, [f for f in forms(html) if f.action.endswith("/value/")]


def _save(c: Client, form: Form, data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    response = c.post(form.action, data, **JSON)
    return response.status_code, response.json()


def _stored(plan: m.Plan, indicator: str, part: str = "") -> m.Value | None:
    return m.Value.objects.filter(series__indicator__plan=plan, series__indicator__key=indicator, series__part=part, year=YEAR).first()


def test_the_grid_saves_thirty_rows_each_with_its_own_check(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("fukushi")
    html, rows = _rows(c)
    assert len(rows) == 30  # 福祉子どもみらい局's FY2025 values, one row per series
    saved = []
    for n, row in enumerate(rows, start=1):
        data = row.fields | {"value": "", "status": "pending", "expected": "2026-09", "confirm": ""}
        status, answer = _save(c, row, data)
        assert status == 200 and answer["ok"] and answer["changed"], answer
        saved.append(row.action.split("/indicators/")[1].split("/")[0])
        assert answer["base"]  # the row's new stamp, for its next save
        assert n == len(saved)
    pending = m.Value.objects.filter(series__indicator__plan=plan, year=YEAR, status="pending", expected="2026-09").count()
    assert pending == 30
    assert Change.objects.filter(plan=plan, year=YEAR, kind="value", user__username="fukushi").count() == 30
    assert len(html.split('data-row="row-')) == 31 and 'data-col="value"' in html


def test_a_row_changed_by_someone_else_is_a_conflict_of_that_row_only(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    dept, planner = client_for("fukushi"), client_for("planner")
    _html, rows = _rows(dept)
    first, second = rows[0], rows[1]
    # the planner saves the first row's indicator after the department's page was rendered
    _page, planners = _rows(planner, "福祉子どもみらい局")
    assert _save(planner, planners[0], planners[0].fields | {"value": "", "status": "pending", "expected": "2026-10"})[0] == 200
    status, answer = _save(dept, first, first.fields | {"value": "", "status": "pending", "expected": "2026-09"})
    assert status == 409 and not answer["ok"]
    assert "2026-10" in answer["conflict"]["stored"] and "2026-09" in answer["conflict"]["mine"]
    status, other = _save(dept, second, second.fields | {"value": "", "status": "pending", "expected": "2026-09"})
    assert status == 200 and other["ok"]  # the other rows are saved as usual
    # posting again with the stamp the conflict named overwrites knowingly
    mine = {"value": "", "status": "pending", "expected": "2026-09", "base": answer["conflict"]["base"]}
    status, again = _save(dept, first, first.fields | mine)
    assert status == 400 and again["errors"]["why"]  # a value someone entered is changed only with a reason
    status, again = _save(dept, first, first.fields | mine | {"why": "課で確認した時期"})
    assert status == 200 and again["ok"]


def test_a_refused_row_says_why_beside_its_fields_in_the_readers_language(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("fukushi")
    _html, rows = _rows(c)
    row = rows[0]
    status, answer = _save(c, row, row.fields | {"value": "abc"})
    assert status == 400 and answer["errors"]["value"][0].startswith("数値として解釈できません")
    c.cookies["django_language"] = "en"
    status, answer = _save(c, row, row.fields | {"value": "abc"})
    assert status == 400 and answer["errors"]["value"] == ["not understood as a number"]
    assert all("indicators[" not in e for errors in answer["errors"].values() for e in errors)


def test_a_doubted_figure_needs_a_confirmation_which_the_planner_sees(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("fukushi")
    _html, rows = _rows(c)
    core = core_plan(plan)
    row = next(r for r in rows if core.indicator_by_id[r.action.split("/indicators/")[1].split("/")[0]].unit in ("人", "件"))
    key = row.action.split("/indicators/")[1].split("/")[0]
    status, answer = _save(c, row, row.fields | {"value": "-5"})
    assert status == 400 and answer["errors"]["confirm"] and any(w.startswith("負の値（-5") for w in answer["warnings"])
    assert _stored(plan, key) is None
    status, answer = _save(c, row, row.fields | {"value": "-5", "confirm": "on"})
    assert status == 200 and answer["ok"]
    change = Change.objects.get(plan=plan, indicator_key=key, year=YEAR)
    assert change.warnings.startswith("負の値（-5")
    inbox = client_for("planner").get(f"{URL}/inbox/?year={YEAR}&department=福祉子どもみらい局").content.decode()
    assert "警告を確認して保存された値" in inbox and change.warnings.splitlines()[0] in inbox
    history = client_for("planner").get(f"{URL}/history/?year={YEAR}&warned=1").context["changes"]
    assert [ch.pk for ch in history] == [change.pk]


def test_the_texts_page_lists_every_initiative_and_copies_last_years(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("fukushi")
    page = c.get(f"{URL}/entry/texts/?year={YEAR}")
    blocks = page.context["blocks"]
    assert len(blocks) == 54 and all(b["editable"] for b in blocks)  # 福祉子どもみらい局's initiatives
    with_previous = next(b for b in blocks if b["previous"])
    assert "前年度の記載をコピー" in page.content.decode()
    node = with_previous["node"].id
    copied = c.get(f"{URL}/nodes/{node}/texts/?year={YEAR}&copy=previous").context["form"]
    assert copied.initial["results"] == "\n".join(with_previous["previous"].results)  # without the script, the link fills the form
    form = next(f for f in forms(page.content.decode()) if f.action.endswith(f"/nodes/{node}/texts/"))
    response = c.post(form.action, form.fields | {"results": copied.initial["results"] + "\n2025年度も継続", "issues": "課題"}, **JSON)
    assert response.status_code == 200 and response.json()["ok"]
    assert core_plan(m.Plan.objects.get(pk=plan.pk)).node_by_id[node].texts[YEAR].results[-1] == "2025年度も継続"
