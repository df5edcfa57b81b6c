"""A rule change cannot rewrite a published year's grades silently (issue 12): the public site, the API and
the report evaluate a published year under the current rules, so a new version that moves any of its grades
or judgements is saved only with a 訂正 reason, and each such year gets its 訂正 (old → new, date, reason)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from opencycle import ORG, PLAN, PUBLISHED_YEAR, URL

from hyoka.core.rules import resolve_spec
from hyoka.core.wareki import wareki_date
from hyoka.site import paths
from hyoka.web.history.models import Change
from hyoka.web.plans import models as m

ROOT = f"{ORG}/{PLAN}"
STRICTER = "95 順調に進んでいます\n75 概ね順調に進んでいます\n60 やや遅れています\n- 遅れています"


def _form(c: Client) -> dict[str, Any]:
    form = c.get(f"{URL}/rules/?year={PUBLISHED_YEAR}").context["form"]
    return {k: v for k, v in form.initial.items() if v not in (None, False)}


def _record(plan: m.Plan) -> tuple[int, list[Any], int]:
    cycle = m.Cycle.objects.get(plan=plan, year=PUBLISHED_YEAR)
    return m.RuleSetVersion.objects.filter(plan=plan).count(), cycle.corrections, cycle.publications.count()


def test_a_rule_change_that_moves_a_published_grade_is_saved_only_as_a_correction(
    plan: m.Plan, client_for: Callable[[str], Client]
) -> None:
    c = client_for("planner")
    stricter = _form(c) | {"grade_0_bands": STRICTER, "why": "基準を厳しく"}
    before = _record(plan)

    refused = c.post(f"{URL}/rules/?year={PUBLISHED_YEAR}", stricter | {"action": "save"})
    assert refused.status_code == 400 and _record(plan) == before  # nothing saved, nothing published
    assert refused.context["form"].errors["correction"] == ["公表済みの年度の評価が変わります。訂正の理由を書いてください"]
    (year, shifts), *_ = refused.context["corrected"]
    assert year == PUBLISHED_YEAR and shifts
    assert all((s.before, s.after) == ("順調に進んでいます", "概ね順調に進んでいます") for s in shifts)
    page = refused.content.decode()
    assert 'id="published-shifts"' in page and shifts[0].name in page and "訂正の理由を書いてください" in page

    preview = c.post(f"{URL}/rules/?year={PUBLISHED_YEAR}", stricter | {"action": "preview"})
    assert preview.status_code == 200 and [y for y, _s in preview.context["corrected"]] == [PUBLISHED_YEAR]

    saved = c.post(f"{URL}/rules/?year={PUBLISHED_YEAR}", stricter | {"action": "save", "correction": "評価基準の改定に伴う訂正"})
    assert saved.status_code == 302
    versions, corrections, revisions = _record(plan)
    assert (versions, revisions) == (before[0] + 1, before[2] + 1)
    today = timezone.localdate().isoformat()
    (correction,) = corrections
    assert correction["date"] == today and correction["reason"] == "評価基準の改定に伴う訂正"
    assert {(x["old"], x["new"]) for x in correction["changes"]} == {("順調に進んでいます", "概ね順調に進んでいます")}
    assert len(correction["changes"]) == len(shifts) and all(x["node"] for x in correction["changes"])
    assert correction["changes"][0]["subject"] == f"{shifts[0].name} {PUBLISHED_YEAR}年度 評価（{shifts[0].level}）"
    assert m.Publication.objects.filter(cycle__plan=plan, cycle__year=PUBLISHED_YEAR, kind="corrected").get().reason == correction["reason"]
    assert Change.objects.get(plan=plan, kind="correction").why == "評価基準の改定に伴う訂正"
    assert Change.objects.get(plan=plan, kind="rules").why == "基準を厳しく"

    cache.clear()
    public = Client()
    note = f"{wareki_date(today)} 訂正"
    home = public.get(f"/public/{paths.plan_home(ROOT)}").content.decode()
    assert note in home and "評価基準の改定に伴う訂正" in home and "概ね順調に進んでいます" in home
    doc = public.get(f"/api/v1/plans/{ROOT}?year={PUBLISHED_YEAR}").json()
    assert doc["publication"]["corrections"][0]["reason"] == "評価基準の改定に伴う訂正"
    assert doc["publication"]["corrections"][0]["changes"][0]["new"] == "概ね順調に進んでいます"


def test_a_rule_change_that_moves_no_published_figure_saves_as_before(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("planner")
    data = _form(c) | {"plausibility_jump": "300", "why": "警告の目安を緩める"}
    preview = c.post(f"{URL}/rules/", data | {"action": "preview"})
    assert preview.status_code == 200 and preview.context["corrected"] == [] and 'id="published-shifts"' not in preview.content.decode()
    before = _record(plan)
    saved = c.post(f"{URL}/rules/", data | {"action": "save"})
    assert saved.status_code == 302
    assert _record(plan) == (before[0] + 1, before[1], before[2])  # a new version, no 訂正
    assert not Change.objects.filter(plan=plan, kind="correction").exists()


def test_the_json_path_asks_for_the_correction_reason_too(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("planner")
    rules = resolve_spec({"preset": "kanagawa-sousei"})
    rules["grades"][0]["bands"][0]["min"] = "95"
    spec = json.dumps(rules, ensure_ascii=False)
    refused = c.post(f"{URL}/rules/", {"spec": spec, "why": "改定", "action": "save"})
    assert refused.status_code == 400 and any("訂正の理由を書いてください" in p for p in refused.context["problems"])
    assert refused.context["corrected"]
    saved = c.post(f"{URL}/rules/", {"spec": spec, "why": "改定", "correction": "基準の改定", "action": "save"})
    assert saved.status_code == 302 and m.Cycle.objects.get(plan=plan, year=PUBLISHED_YEAR).corrections[0]["reason"] == "基準の改定"


def test_a_rule_change_that_moves_only_published_rates_is_a_correction_too(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    """Two decimals instead of one: no grade need move, but every published 達成率 prints differently."""
    c = client_for("planner")
    rules = resolve_spec({"preset": "kanagawa-sousei"})
    rules["rate"]["decimals"] = 2
    spec = json.dumps(rules, ensure_ascii=False)
    refused = c.post(f"{URL}/rules/", {"spec": spec, "why": "桁を増やす", "action": "save"})
    assert refused.status_code == 400
    (year, shifts), *_ = refused.context["corrected"]
    rates = [s for s in shifts if s.level == "達成率"]
    assert year == PUBLISHED_YEAR and rates and all(s.before.count(".") == 1 and len(s.after) == len(s.before) + 1 for s in rates[:5])
    assert rates[0].subject(year) == f"{rates[0].name} {year}年度 達成率"
