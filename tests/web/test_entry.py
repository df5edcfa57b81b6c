"""Entering values and texts, the yearly workflow and the history, through the real views."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from opencycle import URL, YEAR
from webforms import stored_base, targets_base

from hyoka.core.engine import evaluate
from hyoka.web.accounts.models import Department, Role, User
from hyoka.web.history.models import Change
from hyoka.web.plans import models as m
from hyoka.web.plans.convert import core_plan, evaluation
from hyoka.web.workflow.models import Submission, SubmissionStatus


def _value(plan: m.Plan, indicator: str, year: int = YEAR) -> m.Value | None:
    return m.Value.objects.filter(series__indicator__plan=plan, series__indicator__key=indicator, series__part="", year=year).first()


def _post_value(c: Client, indicator: str, **data: object) -> object:
    """As the form posts it, with the token of what it showed (the value stored now)."""
    plan = m.Plan.objects.get(organization__code="140007", key="kanagawa-sousei-3")
    base = stored_base(plan, indicator, int(str(data.get("year", YEAR))))
    return c.post(f"{URL}/indicators/{indicator}/value/", {"year": YEAR, "status": "confirmed", "base": base, **data}, follow=True)


def test_full_width_value_is_stored_as_typed_and_rated_by_the_core(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    response = _post_value(client_for("sangyo"), "1-3-1-k1", value="５０．０％")
    row = _value(plan, "1-3-1-k1")
    assert row is not None and row.text == "５０．０％" and row.status == "confirmed"
    plan.refresh_from_db()
    rate = evaluation(plan, YEAR).indicators["1-3-1-k1"].rate
    assert str(rate.value) == "98.0"  # 50.0 / 51.0 truncated to one decimal (seed 000's rule)
    assert "98.0%" in response.content.decode()  # shown at once after saving


def test_pending_value_keeps_its_expected_month(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    _post_value(client_for("sangyo"), "1-3-1-k2", value="", status="pending", expected="2026-09")
    row = _value(plan, "1-3-1-k2")
    assert row is not None and (row.status, row.expected, row.text) == ("pending", "2026-09", "")
    plan.refresh_from_db()
    assert evaluation(plan, YEAR).indicators["1-3-1-k2"].rate.reason.value == "pending"


def test_a_typed_pending_sentence_sets_the_status(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    _post_value(client_for("sangyo"), "1-3-1-k2", value="2026年９月頃把握予定")
    row = _value(plan, "1-3-1-k2")
    assert row is not None and (row.status, row.expected) == ("pending", "2026-09")


def test_what_cannot_be_understood_is_refused_beside_its_field_with_the_text_kept(
    plan: m.Plan, client_for: Callable[[str], Client]
) -> None:
    response = _post_value(client_for("sangyo"), "1-3-1-k1", value="たくさん", note="四月分")
    assert response.status_code == 400 and _value(plan, "1-3-1-k1") is None
    form = response.context["blocks"][0]["form"]
    assert form.errors["value"][0].startswith("数値として解釈できません")
    page = response.content.decode()
    assert 'value="たくさん"' in page and 'value="四月分"' in page  # what was typed is shown again
    assert 'id="id_main_value_errors"' in page and 'aria-describedby="id_main_value_help id_main_value_errors"' in page
    assert "indicators[" not in page and "values.2025" not in page  # never an internal path


def test_changing_a_value_needs_a_reason_and_keeps_the_history(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("sangyo")
    _post_value(c, "1-3-1-k1", value="50.0%")
    _post_value(c, "1-3-1-k1", value="50.5%")
    assert _value(plan, "1-3-1-k1").text == "50.0%"  # refused: no reason given
    _post_value(c, "1-3-1-k1", value="50.5%", why="確定値に更新")
    changes = list(Change.objects.filter(plan=plan, indicator_key="1-3-1-k1").order_by("at", "id"))
    assert [(ch.old, ch.new, ch.why, ch.user.username) for ch in changes] == [
        ("", "50.0%（確定）", "", "sangyo"),
        ("50.0%（確定）", "50.5%（確定）", "確定値に更新", "sangyo"),
    ]
    page = c.get(f"{URL}/indicators/1-3-1-k1/?year={YEAR}").content.decode()
    assert "確定値に更新" in page and "50.0%（確定）" in page


def test_preview_runs_the_core_without_saving(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("sangyo")
    data = c.get(f"{URL}/indicators/1-3-1-k1/preview/", {"year": YEAR, "value": "５０．０％", "status": "confirmed"}).json()
    assert data["ok"] and data["rate"] == "98.0" and "÷" in data["explanation"]
    bad = c.get(f"{URL}/indicators/1-3-1-k1/preview/", {"year": YEAR, "value": "たくさん"}).json()
    assert not bad["ok"] and bad["errors"]["value"][0].startswith("数値として解釈できません")
    assert _value(plan, "1-3-1-k1") is None


def test_texts_are_saved_as_bullets_with_history(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("sangyo")
    c.post(f"{URL}/nodes/1-3-1-1/texts/", {"year": YEAR, "results": "相談件数が増加\n\n就職決定者を支援", "issues": "若年層への周知"})
    plan.refresh_from_db()
    texts = core_plan(plan).node_by_id["1-3-1-1"].texts[YEAR]
    assert texts.results == ["相談件数が増加", "就職決定者を支援"] and texts.issues == ["若年層への周知"]
    assert Change.objects.filter(plan=plan, node_key="1-3-1-1", kind="text").count() == 2


def test_submit_locks_the_department_until_returned(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    dept, planner = client_for("sangyo"), client_for("planner")
    assert _post_value(dept, "1-3-1-k1", value="50.0%").status_code == 200
    dept.post(f"{URL}/submit/", {"year": YEAR})
    sub = Submission.objects.get(plan=plan, year=YEAR, department__name="産業労働局")
    assert sub.status == SubmissionStatus.SUBMITTED
    assert dept.post(f"{URL}/indicators/1-3-1-k3/value/", {"year": YEAR, "value": "2.7%"}).status_code == 403
    planner.post(f"{URL}/submissions/{sub.pk}/decide/", {"action": "return"})
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.SUBMITTED  # a return needs a comment
    planner.post(f"{URL}/submissions/{sub.pk}/decide/", {"action": "return", "comment": "k3 も入力してください"})
    sub.refresh_from_db()
    assert (sub.status, sub.comment) == (SubmissionStatus.RETURNED, "k3 も入力してください")
    assert dept.post(f"{URL}/indicators/1-3-1-k3/value/", {"year": YEAR, "value": "2.7%"}).status_code == 302
    dept.post(f"{URL}/submit/", {"year": YEAR})
    planner.post(f"{URL}/submissions/{sub.pk}/decide/", {"action": "accept"})
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.ACCEPTED
    assert dept.post(f"{URL}/indicators/1-3-1-k3/value/", {"year": YEAR, "value": "2.8%", "why": "x"}).status_code == 403


def test_grade_on_the_tree_follows_the_entered_values(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("sangyo")
    before = c.get(f"{URL}/?year={YEAR}").content.decode()
    _post_value(c, "1-3-1-k1", value="50.0%")
    _post_value(c, "1-3-1-k3", value="1.3%")
    plan.refresh_from_db()
    expected = evaluate(core_plan(plan), YEAR).nodes["1-3-1"].grade
    assert expected is not None and expected.label == "やや遅れています"  # mean of 98.0 and 50.0 = 74.0
    after = c.get(f"{URL}/?year={YEAR}").content.decode()
    row = after.split('id="node-1-3-1"')[1].split("</li>")[0]
    assert expected.label in row and "74.0%" in row
    assert "やや遅れています" not in before.split('id="node-1-3-1"')[1].split("</li>")[0]


def test_council_review_and_department_answer(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    m.Cycle.objects.filter(plan=plan, year=YEAR).update(status=m.CycleStatus.CLOSED)  # the council writes once the year is closed
    client_for("reviewer").post(
        f"{URL}/nodes/1/review/", {"year": YEAR, "grade": "概ね順調に進んでいます", "comments": "雇用は堅調\n人材確保が課題"}
    )
    client_for("sangyo").post(f"{URL}/nodes/1/answer/", {"year": YEAR, "answer": "人材確保の支援を強化します"})
    plan.refresh_from_db()
    review = core_plan(plan).node_by_id["1"].reviews[YEAR]
    assert (review.grade, review.comments, review.answer) == (
        "概ね順調に進んでいます",
        ["雇用は堅調", "人材確保が課題"],
        "人材確保の支援を強化します",
    )
    page = client_for("reviewer").get(f"{URL}/council/?year={YEAR}").content.decode()
    assert "人材確保の支援を強化します" in page
    bad = client_for("reviewer").post(f"{URL}/nodes/1/review/", {"year": YEAR, "grade": "最高", "comments": ""}, follow=True)
    assert "評価区分" in bad.content.decode()


def test_inbox_lists_what_is_still_to_enter(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("sangyo")
    page = c.get(f"{URL}/inbox/?year={YEAR}").content.decode()
    assert "1-3-1-k1" in page and "令和８年５月２９日" in page
    assert "3-2-1-k1" not in page  # another department's indicator
    _post_value(c, "1-3-1-k1", value="50.0%")
    work = c.get(f"{URL}/inbox/?year={YEAR}").context["work"]
    states = {v["indicator"].id: v["state"] for v in work.values}
    assert states["1-3-1-k1"] == "confirmed" and states["1-3-1-k2"] == "missing"


def test_a_due_date_that_is_not_a_date_is_refused(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    page = client_for("planner").post(f"{URL}/cycles/open/", {"year": 2026, "due": "来年の春"}, follow=True)
    assert "提出期限は日付" in page.content.decode()
    assert not m.Cycle.objects.filter(plan=plan, year=2026).exists()


def test_planner_revises_a_target_with_a_reason_and_the_core_checks_it(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("planner")
    url = f"{URL}/indicators/1-3-1-k1/target/"
    base = targets_base(plan, "1-3-1-k1")
    assert "変更理由" in c.post(url, {"target_year": YEAR, "target": "52.0％", "base": base}, follow=True).content.decode()
    bad = c.post(url, {"target_year": YEAR, "target": "実行中", "why": "改定", "base": base}, follow=True)
    assert bad.status_code == 400 and bad.context["blocks"][0]["target_form"].errors["target"][0].startswith("数値として解釈できません")
    assert "indicators[" not in bad.content.decode() and 'value="実行中"' in bad.content.decode()
    c.post(url, {"target_year": YEAR, "target": "52.0％", "why": "令和７年３月改定", "base": base})
    plan.refresh_from_db()
    assert core_plan(plan).indicator_by_id["1-3-1-k1"].targets[YEAR].text == "52.0％"
    change = Change.objects.get(plan=plan, kind="target")
    assert (change.old, change.new, change.why) == ("51.0％", "52.0％", "令和７年３月改定")


def test_rules_are_revised_as_a_new_version_that_the_core_checks(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("planner")
    bad = c.post(f"{URL}/rules/", {"spec": '{"preset": "kanagawa-sousei", "rate": {"rounding": "sometimes"}}', "why": "x"})
    assert bad.status_code == 400 and "rules.rate" in bad.content.decode()
    spec = '{"preset": "kanagawa-sousei", "rate": {"rounding": "half_up", "decimals": 1}}'
    refused = c.post(f"{URL}/rules/", {"spec": spec, "why": "四捨五入に変更"})
    assert refused.status_code == 400 and refused.context["corrected"]  # FY2024's published 達成率 would change
    c.post(f"{URL}/rules/", {"spec": spec, "why": "四捨五入に変更", "correction": "端数処理の変更に伴う訂正"})
    plan.refresh_from_db()
    assert m.RuleSetVersion.objects.filter(plan=plan).count() == 2
    assert evaluation(plan, 2024).rules.rate.rounding.mode == "half_up"
    assert Change.objects.get(plan=plan, kind="rules").why == "四捨五入に変更"
    page = c.get(f"{URL}/rules/").content.decode()
    assert "小数第2位を四捨五入" in page and "90% 以上" in page


def test_each_part_of_an_indicator_takes_its_own_value(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("planner")
    c.post(f"{URL}/indicators/3-3-2-k1/value/", {"year": YEAR, "part": "elementary", "value": "９３．５％", "status": "confirmed"})
    plan.refresh_from_db()
    result = evaluation(plan, YEAR).indicators["3-3-2-k1"]
    rates = {label: str(r.value) for label, _s, r in result.rates}
    assert rates == {"小": "100.5", "中": "None"}  # 93.5 / 93.0, truncated; the other part has no value yet


def test_planner_sees_every_department_and_its_open_work(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    client_for("sangyo").post(f"{URL}/submit/", {"year": YEAR})
    page = client_for("planner").get(f"{URL}/inbox/?year={YEAR}")
    rows = {o["department"]: o for o in page.context["overview"]}
    assert set(rows) >= {"産業労働局", "福祉子どもみらい局", "政策局"}
    assert rows["産業労働局"]["submission"].status == "submitted" and rows["政策局"]["submission"] is None
    assert rows["産業労働局"]["work"].missing_values == 11


def test_a_department_without_work_in_a_plan_cannot_submit_to_it(db: None) -> None:
    hiratsuka = m.Plan.objects.select_related("organization").get(key="hiratsuka-juten")  # its FY2024 cycle is open
    assert m.Cycle.objects.get(plan=hiratsuka, year=2024).is_open
    idle = Department.objects.create(organization=hiratsuka.organization, name="議会事務局")  # named nowhere in the plan
    c = Client()
    c.force_login(User.objects.create_user("idle", role=Role.DEPARTMENT, organization=hiratsuka.organization, department=idle))
    assert c.post("/plans/142034/hiratsuka-juten/submit/", {"year": 2024}).status_code == 403
    assert not Submission.objects.filter(plan=hiratsuka).exists()


def test_an_indicator_with_parts_takes_no_value_of_its_own(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    """Stored, such a value would make the whole plan unreadable (the plan file keeps values in the parts)."""
    response = client_for("planner").post(f"{URL}/indicators/3-3-2-k1/value/", {"year": YEAR, "value": "93.5%", "status": "confirmed"})
    assert response.status_code == 400
    assert _value(plan, "3-3-2-k1") is None
    assert "各部分" in response.content.decode()
    assert core_plan(m.Plan.objects.get(pk=plan.pk)).indicator_by_id["3-3-2-k1"].parts  # the plan still reads


def test_a_value_with_a_unit_word_nobody_knows_is_refused(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    """A plan file refuses 「12ほげ」; stored from a form, it would make the whole plan unreadable."""
    response = client_for("planner").post(f"{URL}/indicators/1-3-1-k1/value/", {"year": YEAR, "value": "12ほげ", "status": "confirmed"})
    assert response.status_code == 400
    assert "単位「ほげ」" in response.context["blocks"][0]["form"].errors["value"][0]
    assert _value(plan, "1-3-1-k1") is None or _value(plan, "1-3-1-k1").text != "12ほげ"
    assert core_plan(m.Plan.objects.get(pk=plan.pk)).indicator_by_id["1-3-1-k1"]  # the plan still reads


def test_a_saved_value_is_answered_without_the_database_after_its_commit(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    """Once the value, its change and its audit event are committed, the answer (保存しました with the new
    rate's explanation) needs no database: a connection lost in that moment cannot turn a committed
    save into an error page that tells the person it may be lost."""
    client = client_for("sangyo")
    client.get(f"{URL}/indicators/1-3-1-k1/?year={YEAR}")  # the page the person saves from
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"{URL}/indicators/1-3-1-k1/value/", {"year": YEAR, "value": "55.5", "status": "confirmed"})
    sql = [q["sql"] for q in queries.captured_queries]
    writes = [i for i, s in enumerate(sql) if s.startswith(("INSERT", "UPDATE"))]
    commit = max(i for i, s in enumerate(sql) if s.startswith("RELEASE SAVEPOINT"))  # the save's own transaction (tests run in one)
    print(f"{len(sql)} queries; the last write at {writes[-1]}, the commit at {commit}, after it: {sql[commit + 1 :]}")
    assert response.status_code == 302 and writes and writes[-1] < commit
    assert sql[commit + 1 :] == []
    assert "保存しました" in next(str(msg) for msg in get_messages(response.wsgi_request))


def test_no_free_text_is_longer_than_the_limit_on_any_path(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    """A 15 MB answer made the history page 31 MB for everyone: every free text a form, an upload or a file
    brings is refused past LONGEST_TEXT characters, with its place, and nothing is stored."""
    from hyoka.core.errors import InputError
    from hyoka.core.schema import LONGEST_TEXT
    from hyoka.formats.hyoka1 import plan_from_dict, plan_to_dict

    long = "長" * (LONGEST_TEXT + 1)
    before = Change.objects.count()
    sangyo = client_for("sangyo")
    posts = [
        (sangyo, f"{URL}/nodes/1/answer/", {"year": YEAR, "answer": long}),
        (client_for("reviewer"), f"{URL}/nodes/1/review/", {"year": YEAR, "grade": "概ね順調に進んでいます", "comments": long}),
        (sangyo, f"{URL}/nodes/1-3-1-1/texts/", {"year": YEAR, "results": long, "issues": ""}),
        (sangyo, f"{URL}/indicators/1-3-1-k1/value/", {"year": YEAR, "value": "50%", "status": "confirmed", "note": long}),
    ]
    for client, path, data in posts:
        response = client.post(path, {"base": "", **data})
        told = [str(x) for x in get_messages(response.wsgi_request)] + [response.content.decode()]  # a banner, or beside the field
        assert any(f"{LONGEST_TEXT:,} 文字まで" in t for t in told), (path, response.status_code)
    assert Change.objects.count() == before and not m.Review.objects.filter(node__plan=plan, year=YEAR).exists()
    doc = plan_to_dict(core_plan(plan))
    doc["nodes"][0]["description"] = long
    with pytest.raises(InputError) as refused:
        plan_from_dict(doc)
    assert refused.value.problems[0].where.endswith("description")
