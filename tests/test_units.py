"""A value entered alone must count what its indicator counts: the unit word is compared, naming both."""

from __future__ import annotations

from decimal import Decimal

import pytest
from workbooks import edit

from hyoka.core.checks import check_plan
from hyoka.core.errors import InputError
from hyoka.core.rates import number_in_base
from hyoka.core.units import check_entered_unit, mismatch
from hyoka.core.values import parse_unit, parse_value
from hyoka.formats.importing import import_file
from hyoka.formats.xlsx.write import department_workbook, save_workbook

REFUSED = [
    ("施設", "45.6％", "%"),
    ("市町村", "１２３人", "人"),
    ("%", "50ポイント", "ポイント"),
    ("万人", "3,000件", "件"),
    ("回", "5,661 件", "件"),
]
ACCEPTED = [
    ("施設", "45"),
    ("人", "50名"),
    ("万人", "2.5万人"),
    ("箇所", "3か所"),
    ("%", "50.0％"),
    ("人/年", "12人"),
    ("", "12件"),
    ("件", "2026年９月頃把握予定"),
]


@pytest.mark.parametrize(("unit", "text", "word"), REFUSED)
def test_a_contradicting_unit_is_refused_naming_both(unit: str, text: str, word: str) -> None:
    with pytest.raises(InputError) as e:
        check_entered_unit(unit, parse_value(text), "1-1-1-k1.values.2025.value")
    problem = e.value.problems[0]
    assert problem.where == "1-1-1-k1.values.2025.value" and problem.text == text
    assert f"「{word}」" in problem.message and f"「{unit}」" in problem.message
    assert repr(word) in problem.message_en and repr(unit) in problem.message_en


@pytest.mark.parametrize(("unit", "text"), ACCEPTED)
def test_the_same_unit_however_spelled_or_none_is_accepted(unit: str, text: str) -> None:
    assert not mismatch(unit, parse_value(text))
    check_entered_unit(unit, parse_value(text), "x")


@pytest.mark.parametrize(("text", "base"), [("2.5", "25000"), ("2.5万人", "25000"), ("25,000人", "25000"), ("2.5万", "25000")])
def test_a_bare_number_is_read_in_the_indicators_unit_and_man_scales(text: str, base: str) -> None:
    scale = parse_unit("万人")[0]
    assert number_in_base(parse_value(text), scale) == Decimal(base)


def test_a_plan_file_keeps_its_published_slip_as_a_warning(sousei_plan) -> None:
    warnings = [w for w in check_plan(sousei_plan) if "単位" in w.message]
    assert [(w.where, w.text) for w in warnings] == [("indicators[110].values.2022.value", "5,661 件")]
    assert "「件」" in warnings[0].message and "「回」" in warnings[0].message


def test_a_departments_workbook_refuses_a_contradicting_unit_at_its_cell(tmp_path, sousei_plan) -> None:
    path = tmp_path / "dept.xlsx"
    save_workbook(department_workbook(sousei_plan, "福祉子どもみらい局", 2025), path)
    edit(path, "実績値", [({"指標ID": "3-2-1-k1"}, "実績値", "45.6％"), ({"指標ID": "3-1-1-k1"}, "実績値", "１２３人")])
    with pytest.raises(InputError) as e:
        import_file(path, sousei_plan)
    found = {(p.text, p.where.split("（")[0].rsplit("!", 1)[0]) for p in e.value.problems}
    assert found == {("45.6％", "dept.xlsx:実績値"), ("１２３人", "dept.xlsx:実績値")}
    assert {p.message.split("。")[0] for p in e.value.problems} == {
        "単位「%」は指標の単位「施設」と合いません",
        "単位「人」は指標の単位「市町村」と合いません",
    }
