"""Review aids of 提出状況 (issue 12 §6): each series with its 達成率 or judgement, the change from last
year and flags (the entry form's doubts and values saved despite a warning), filtered through a form and
downloaded as Excel; a department reads its own rows only, another organization nothing."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

from django.test import Client
from opencycle import ORG, OTHER_ORG, PLAN, URL, YEAR
from openpyxl import load_workbook
from webforms import with_base

from hyoka.web.accounts.models import User
from hyoka.web.plans import models as m
from hyoka.web.plans.convert import touch
from hyoka.web.plans.entry import ValueInput, save_value

WOMEN = "1-3-1-k2"  # 25〜44 歳の女性の就業率, 産業労働局: 80.1％ in 2024
DISABLED = "1-3-1-k3"  # 障がい者雇用率, 産業労働局: 2.40% in 2024
CAREER = "1-3-1-k1"  # 就職等進路決定率, 産業労働局
WELFARE = "3-2-3-k1"  # 里親等委託率, 福祉子どもみらい局


def _series(plan: m.Plan, key: str) -> m.Series:
    return m.Series.objects.select_related("indicator__plan", "indicator__node").get(indicator__plan=plan, indicator__key=key, part="")


def _post_value(c: Client, key: str, value: str, why: str = "") -> None:
    path = f"{URL}/indicators/{key}/value/"
    data = {"year": YEAR, "value": value, "status": "confirmed", "confirm": "on"} | ({"why": why} if why else {})
    assert c.post(path, with_base(path, data)).status_code == 302


def _rows(c: Client, query: str = "") -> dict[str, object]:
    response = c.get(f"{URL}/inbox/?year={YEAR}{query}")
    assert response.status_code == 200
    return {r.item.indicator.id: r for r in response.context["review_rows"]}


def _entered(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    sangyo = client_for("sangyo")
    _post_value(sangyo, WOMEN, "-5％")  # a negative rate, its warning confirmed in the form
    save_value(_series(plan, DISABLED), YEAR, ValueInput("24.0%"), User.objects.get(username="planner"))  # ten times 2024's
    _post_value(sangyo, CAREER, "250%")  # a warning confirmed, then put right: no flag stays
    _post_value(sangyo, CAREER, "51.0%", why="入力誤り")


def test_the_review_list_flags_negative_rates_jumps_and_confirmed_warnings(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    _entered(plan, client_for)
    rows = _rows(client_for("planner"))
    women, disabled, career = rows[WOMEN], rows[DISABLED], rows[CAREER]
    assert women.item.number == Decimal("-5") and women.item.change == Decimal("-85.1")  # 80.1 → -5
    assert any("負の値" in f for f in women.flags) and any(f.startswith("警告を確認して保存") for f in women.flags)
    assert disabled.item.change == Decimal("21.60") and any("倍" in f for f in disabled.flags)  # the jump
    assert not any(f.startswith("警告を確認して保存") for f in disabled.flags)  # saved without a warning to confirm
    assert career.flags == [] and career.item.rate.value == Decimal("100.0") and career.department == "産業労働局"
    assert rows[WELFARE].missing and rows[WELFARE].submission is None
    page = client_for("planner").get(f"{URL}/inbox/?year={YEAR}").content.decode()
    assert 'class="data review-list"' in page and "-85.1" in page and "+21.60" in page and "inbox/review.xlsx?" in page


def test_the_filters_keep_flagged_missing_and_one_departments_rows(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    _entered(plan, client_for)
    c = client_for("planner")
    everything = _rows(c)
    assert {r.department for r in everything.values()} > {"産業労働局", "福祉子どもみらい局"}
    assert set(_rows(c, "&flagged=on")) == {WOMEN, DISABLED}
    missing = _rows(c, "&missing=on")
    assert WELFARE in missing and not {WOMEN, DISABLED, CAREER} & set(missing) and all(r.missing for r in missing.values())
    welfare = _rows(c, "&department=福祉子どもみらい局")
    assert WELFARE in welfare and {r.department for r in welfare.values()} == {"福祉子どもみらい局"}
    assert set(_rows(c, "&department=産業労働局&flagged=on&missing=on")) == set()
    refused = c.get(f"{URL}/inbox/?year={YEAR}&department=存在しない局")
    assert refused.status_code == 200 and refused.context["review"].errors["department"]  # beside the field, rows unfiltered
    assert len(refused.context["review_rows"]) == len(c.get(f"{URL}/inbox/?year={YEAR}").context["review_rows"])


def test_the_judgement_filter_keeps_one_judgement(client_for: Callable[[str], Client], db: None) -> None:
    c = client_for("planner")
    url = f"/plans/{ORG}/kanagawa-dx/inbox/?year=2024"
    every = c.get(url).context["review_rows"]
    short = c.get(url + "&judgement=△").context["review_rows"]
    assert 0 < len(short) < len(every) and {r.item.judgement.symbol for r in short} == {"△"}
    assert "judgement" not in c.get(f"{URL}/inbox/?year={YEAR}").context["review"].fields  # a plan without judgements


def test_the_list_downloads_as_excel_with_numbers_as_numbers(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    _entered(plan, client_for)
    m.Series.objects.filter(pk=_series(plan, DISABLED).pk).update(name='=HYPERLINK("https://example.org","雇用率")')
    touch(plan)
    response = client_for("planner").get(f"{URL}/inbox/review.xlsx?year={YEAR}&department=産業労働局")
    assert response.status_code == 200
    assert "2025-%E6%8F%90%E5%87%BA%E7%8A%B6%E6%B3%81%EF%BC%88%E6%A1%88%EF%BC%89.xlsx" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value.endswith("提出状況（案）")  # FY2025 is not published
    head = [c.value for c in ws[3]]
    rows = {r[2]: dict(zip(head, r, strict=True)) for r in ws.iter_rows(min_row=4, values_only=True)}
    assert {r["担当"] for r in rows.values()} == {"産業労働局"}
    women = rows[WOMEN]
    assert women["実績値"] == -5 and women["前年度の実績値"] == 80.1 and women["前年度からの変化"] == -85.1
    assert "負の値" in women["確認事項"] and "警告を確認して保存" in women["確認事項"]
    assert rows[CAREER]["達成率（％）"] == 100 and rows[CAREER]["目標値"] == 51
    assert rows[DISABLED]["指標名"] == '\'=HYPERLINK("https://example.org","雇用率")'  # neutralised, as every export
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    cells = {c.column_letter: c for c in next(ws.iter_rows(min_row=4 + list(rows).index(WOMEN), max_row=4 + list(rows).index(WOMEN)))}
    assert cells["H"].data_type == "n" and cells["H"].number_format == "#,##0" and cells["L"].number_format == "#,##0.0"


def test_a_published_year_is_no_draft(client_for: Callable[[str], Client], db: None) -> None:
    response = client_for("planner").get(f"/plans/{ORG}/kanagawa-dx/inbox/review.xlsx?year=2024")
    assert response.status_code == 200 and "%EF%BC%88%E6%A1%88%EF%BC%89" not in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert "（案）" not in ws["A1"].value and ws.max_row > 200


def test_a_department_reads_its_own_rows_and_another_organization_nothing(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    _entered(plan, client_for)
    rows = _rows(client_for("fukushi"), "&department=産業労働局")
    assert rows and {r.department for r in rows.values()} == {"福祉子どもみらい局"} and WOMEN not in rows
    sheet = client_for("fukushi").get(f"{URL}/inbox/review.xlsx?year={YEAR}&department=産業労働局")
    ws = load_workbook(io.BytesIO(sheet.content)).active
    assert {r[0] for r in ws.iter_rows(min_row=4, values_only=True)} == {"福祉子どもみらい局"}
    for url in (f"{URL}/inbox/?year={YEAR}", f"{URL}/inbox/review.xlsx?year={YEAR}"):
        assert client_for("y-planner").get(url).status_code == 404
        assert client_for("y-sangyo").get(url).status_code == 404
    assert client_for("y-planner").get(f"/plans/{OTHER_ORG}/{PLAN}/inbox/review.xlsx?year={YEAR}").status_code == 200


def test_a_planner_sees_every_department_until_one_is_chosen(plan: m.Plan, client_for: Callable[[str], Client]) -> None:
    """No department's counts stand for 「すべての担当」: the card of one department appears once it is chosen."""
    planner = client_for("planner")
    every = planner.get(f"{URL}/inbox/?year={YEAR}")
    assert every.context["work"] is None and '<option value="">すべての担当</option>' in every.content.decode()
    chosen = planner.get(f"{URL}/inbox/?year={YEAR}&department=産業労働局")
    assert chosen.context["work"].department == "産業労働局" and "<option selected>産業労働局</option>" in chosen.content.decode()
