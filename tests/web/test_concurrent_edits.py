"""Two people editing the same thing: the second save gets a conflict showing both versions, never a silent overwrite.

Each test opens the same form in two clients (as two browsers would), saves in one, then
saves in the other with the form it had rendered; the conflict page keeps the second
person's input and resolves by posting it again knowingly.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable

from django.test import Client
from opencycle import PLAN, URL, YEAR
from webforms import Form, form

from hyoka.formats.hyoka1 import plan_to_dict
from hyoka.web.history.models import Change
from hyoka.web.plans import models as m
from hyoka.web.plans.convert import core_plan


def _open(c: Client, page: str, action_ends: str) -> Form:
    response = c.get(page)
    assert response.status_code == 200
    return form(response.content.decode(), action_ends, page=page)


def _save(c: Client, f: Form, **changes: str) -> object:
    return c.post(f.action, {**f.fields, **changes})


def _changes(plan: m.Plan, **where: object) -> list[tuple[str, str, str]]:
    return [(c.old, c.new, c.user.username) for c in Change.objects.filter(plan=plan, **where).order_by("at", "id")]


def _resolve(c: Client, conflict: object, action_ends: str, **changes: str) -> object:
    """Post the conflict page's own form: the person's input, now over the version they have seen."""
    return _save(c, form(conflict.content.decode(), action_ends, page=conflict.request["PATH_INFO"]), **changes)


def test_a_value_saved_by_two_people(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    page = f"{URL}/indicators/1-3-1-k1/?year={YEAR}"
    sangyo, planner = client_for("sangyo"), client_for("planner")
    first, second = _open(sangyo, page, "/value/"), _open(planner, page, "/value/")
    assert _save(sangyo, first, value="50.0%").status_code == 302
    conflict = _save(planner, second, value="49.0%", note="県の集計")
    html = conflict.content.decode()
    print(f"second save of an untouched value after another's save → {conflict.status_code}")
    assert conflict.status_code == 409
    assert "50.0%（確定）" in html and "49.0%（確定）" in html and "sangyo" in html
    assert f'href="{page}#entry-main"' in html  # keeping what is stored is one link away
    assert _changes(plan, indicator_key="1-3-1-k1") == [("", "50.0%（確定）", "sangyo")]

    resolved = form(html, "/value/")
    assert (resolved.fields["value"], resolved.fields["note"]) == ("49.0%", "県の集計")  # nothing typed is lost
    assert _resolve(planner, conflict, "/value/", why="県の確定値に合わせる").status_code == 302
    assert _changes(plan, indicator_key="1-3-1-k1") == [("", "50.0%（確定）", "sangyo"), ("50.0%（確定）", "49.0%（確定）", "planner")]
    assert _save(sangyo, first, value="51.0%", why="x").status_code == 409  # the first form is stale now too
    print("the conflict page showed both versions; resolving it saved the second version with its reason")


def test_a_stale_conflict_page_conflicts_again(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    page = f"{URL}/indicators/1-3-1-k1/?year={YEAR}"
    a, b, c = client_for("sangyo"), client_for("planner"), client_for("admin")
    fa, fb, fc = (_open(x, page, "/value/") for x in (a, b, c))
    _save(a, fa, value="50.0%")
    conflict_b = _save(b, fb, value="49.0%")
    conflict_c = _save(c, fc, value="48.0%")
    assert _resolve(b, conflict_b, "/value/", why="b").status_code == 302
    again = _resolve(c, conflict_c, "/value/", why="c")
    assert again.status_code == 409 and "49.0%（確定）" in again.content.decode()
    assert m.Value.objects.get(series__indicator__key="1-3-1-k1", series__indicator__plan=plan, year=YEAR).text == "49.0%"


def test_texts_saved_by_two_people(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    page = f"{URL}/nodes/1-3-1-1/texts/?year={YEAR}"
    sangyo, planner = client_for("sangyo"), client_for("planner")
    first, second = _open(sangyo, page, ""), _open(planner, page, "")
    _save(sangyo, first, results="説明会を3回開催", issues="参加者が少ない")
    conflict = _save(planner, second, results="説明会を開催")
    assert conflict.status_code == 409
    html = conflict.content.decode()
    assert "説明会を3回開催" in html and "説明会を開催" in html
    assert [t.results for t in m.NodeText.objects.filter(node__plan=plan, node__key="1-3-1-1", year=YEAR)] == [["説明会を3回開催"]]
    assert _resolve(planner, conflict, "", results="説明会を3回開催\n個別相談も実施", issues="参加者が少ない").status_code == 302
    texts = m.NodeText.objects.get(node__plan=plan, node__key="1-3-1-1", year=YEAR)
    assert texts.results == ["説明会を3回開催", "個別相談も実施"]


def test_a_target_revised_by_two_planners(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    page = f"{URL}/indicators/1-3-1-k1/?year={YEAR}"
    planner, admin = client_for("planner"), client_for("admin")
    first, second = _open(planner, page, "/target/"), _open(admin, page, "/target/")
    assert _save(planner, first, target="52.0％", why="改定").status_code == 302
    conflict = _save(admin, second, target="53.0％", why="改定")
    assert conflict.status_code == 409 and "52.0％" in conflict.content.decode()
    assert (
        m.Target.objects.get(series__indicator__plan=plan, series__indicator__key="1-3-1-k1", series__part="", year=YEAR).text == "52.0％"
    )


def test_a_review_and_an_answer_saved_by_two_people(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    m.Cycle.objects.filter(plan=plan, year=YEAR).update(status=m.CycleStatus.CLOSED)  # the council writes once the year is closed
    page = f"{URL}/council/?year={YEAR}"
    reviewer, planner = client_for("reviewer"), client_for("planner")
    first, second = _open(reviewer, page, "/nodes/1/review/"), _open(planner, page, "/nodes/1/review/")
    grade = "概ね順調に進んでいます"  # nobody's grade is chosen for them
    assert _save(reviewer, first, grade=grade, comments="雇用は堅調").status_code == 302
    conflict = _save(planner, second, grade=grade, comments="人材確保が課題")
    assert conflict.status_code == 409 and "雇用は堅調" in conflict.content.decode()

    sangyo = client_for("sangyo")
    answer_a, answer_b = _open(sangyo, page, "/nodes/1/answer/"), _open(planner, page, "/nodes/1/answer/")
    assert _save(sangyo, answer_a, answer="支援を強化します").status_code == 302
    assert _save(planner, answer_b, answer="検討します").status_code == 409
    review = m.Review.objects.get(node__plan=plan, node__key="1", year=YEAR)
    assert (review.comments, review.answer) == (["雇用は堅調"], "支援を強化します")


def test_a_save_without_its_form_token_is_refused_over_a_stored_value(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    """A post without ``base`` skipped the conflict check; now it is taken as typed over nothing (the pages always send it)."""
    c = client_for("planner")
    url = f"{URL}/indicators/1-3-1-k1/value/"
    assert c.post(url, {"year": YEAR, "value": "50.0%"}).status_code == 302  # nothing stored: nothing to lose
    for data in ({"value": "49.0%", "why": "script"}, {"value": "48.0%", "why": "stale", "base": ""}):
        assert c.post(url, {"year": YEAR, **data}).status_code == 409
    assert m.Value.objects.get(series__indicator__plan=plan, series__indicator__key="1-3-1-k1", year=YEAR).text == "50.0%"
    for path, data in ((f"{URL}/indicators/1-3-1-k1/target/", {"target_year": YEAR, "target": "60%", "why": "x"}),):
        assert c.post(path, data).status_code == 409, path  # targets are stored: a post without their token conflicts


def test_an_upload_previewed_before_another_save_is_not_applied(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    doc = plan_to_dict(core_plan(plan))
    for ind in doc["indicators"]:
        if ind["id"] in ("1-3-1-k1", "1-3-1-k2"):
            ind["values"][str(YEAR)] = {"value": "50.5%"}
    f = io.BytesIO(json.dumps(doc, ensure_ascii=False).encode())
    f.name = "update.json"
    sangyo, planner = client_for("sangyo"), client_for("planner")
    assert sangyo.post(f"{URL}/upload/", {"file": f}).status_code == 200
    planner.post(f"{URL}/indicators/1-3-1-k2/value/", {"year": YEAR, "value": "80.0%", "base": ""})
    refused = sangyo.post(f"{URL}/upload/apply/", {"why": "年次"}, follow=True)
    assert "プレビューの後に計画が変更されました" in refused.content.decode()
    assert not Change.objects.filter(plan=plan, why__contains="update.json").exists()
    assert m.Value.objects.get(series__indicator__plan=plan, series__indicator__key="1-3-1-k2", year=YEAR).text == "80.0%"
    print("an upload previewed before another person's save was refused whole; that save stands")


def test_an_upload_with_one_bad_change_applies_nothing(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    """The preview is kept in the session; a change that the core refuses at apply time rolls back all the others."""
    c = client_for("planner")
    session = c.session
    good = {"part": "", "year": YEAR, "kind": "added", "old": "", "new": "", "status": "confirmed", "expected": "", "note": ""}
    session["hyoka-upload"] = {
        "plan": PLAN,
        "revision": m.Plan.objects.get(pk=plan.pk).revision,
        "filename": "half.json",
        "changes": [
            good | {"indicator": "1-3-1-k1", "text": "50.0%"},
            good | {"indicator": "1-3-1-k2", "text": "80.0%"},
            good | {"indicator": "1-3-1-k3", "text": "たくさん"},
        ],
    }
    session.save()
    before = m.Value.objects.filter(series__indicator__plan=plan).count(), Change.objects.filter(plan=plan).count()
    response = c.post(f"{URL}/upload/apply/", {"why": "x"}, follow=True)
    page = response.content.decode()
    assert "1-3-1-k3 2025年度: 「たくさん」: 数値として解釈できません" in page and "indicators[" not in page
    assert (m.Value.objects.filter(series__indicator__plan=plan).count(), Change.objects.filter(plan=plan).count()) == before
    print("an upload whose third change is refused wrote none of the first two")
