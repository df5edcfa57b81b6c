"""The workbook as a user's Excel shows it: sheets, headers, drop-downs, frozen rows, widths, protection."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from workbooks import append_row, column, find_row

from hyoka.core.errors import InputError
from hyoka.formats.hyoka1 import plan_from_dict, plan_to_dict
from hyoka.formats.importing import import_file
from hyoka.formats.xlsx.write import department_workbook, plan_workbook, save_workbook, template_workbook
from hyoka.samples import load_sample

FULL_SHEETS = ["説明", "計画", "体系", "事業", "指標", "目標値", "実績値", "評価コメント", "二次評価", "評価ルール", "その他"]


@pytest.fixture(scope="module")
def full_book(tmp_path_factory, sousei_plan):
    path = tmp_path_factory.mktemp("xlsx") / "sousei.xlsx"
    save_workbook(plan_workbook(sousei_plan), path)
    return load_workbook(path)


@pytest.fixture(scope="module")
def department_book(tmp_path_factory, sousei_plan):
    path = tmp_path_factory.mktemp("xlsx") / "dept.xlsx"
    save_workbook(department_workbook(sousei_plan, "産業労働局", 2024), path)
    return load_workbook(path)


def headers(ws: Worksheet) -> list[str]:
    return [c.value for c in ws[1]]


def validation_lists(ws: Worksheet) -> dict[str, str]:
    """Header of each column with a drop-down → its list."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        first = str(dv.sqref).split(":")[0]
        letter = first.rstrip("0123456789")
        out[ws[f"{letter}1"].value] = dv.formula1
    return out


def test_sheets_and_japanese_headers(full_book):
    assert full_book.sheetnames == [*FULL_SHEETS, "出力時の記録"]
    assert full_book["出力時の記録"].sheet_state == "hidden" and full_book["出力時の記録"].protection.sheet
    assert headers(full_book["指標"])[:7] == ["指標ID", "部分ID", "ノードID", "ラベル", "指標名", "単位", "方向"]
    assert headers(full_book["実績値"]) == [
        "指標ID",
        "部分ID",
        "指標名",
        "単位",
        "年度",
        "目標値",
        "前年度実績値",
        "実績値",
        "状態",
        "把握予定時期",
        "備考",
        "未達成の理由",
        "判定",
        "判定理由",
    ]
    assert headers(full_book["目標値"])[7:] == ["R6(2024)", "R7(2025)", "R8(2026)", "R9(2027)", "R12(2030)"]
    assert headers(full_book["評価コメント"]) == ["ノードID", "名称", "年度", "取組結果", "課題と方向性", "概要", "交付金等"]


def test_one_row_per_thing(full_book, sousei_plan):
    assert full_book["体系"].max_row == 1 + len(sousei_plan.nodes)
    parts = sum(len(i.parts) for i in sousei_plan.indicators)
    assert full_book["指標"].max_row == 1 + len(sousei_plan.indicators) + parts
    ws = full_book["目標値"]
    row = find_row(ws, 指標ID="1-1-2-k1")
    assert ws.cell(row, column(ws, "R6(2024)")).value == "55 社"


def test_explanation_sheet_describes_every_column(full_book):
    guide = full_book["説明"]
    described = {(r[0], r[1]) for r in guide.iter_rows(min_row=2, values_only=True)}
    for name in FULL_SHEETS[1:]:
        if name == "計画":
            continue
        for header in headers(full_book[name]):
            if not header.startswith("R"):
                assert (name, header) in described, (name, header)


def test_drop_downs_for_closed_lists(full_book):
    indicators = validation_lists(full_book["指標"])
    assert indicators["集計区分"] == '"単年度,累計,計画期間中の累計,総数"'
    assert indicators["方向"] == '"高いほど良い,低いほど良い,定性"'
    assert indicators["種別"] == '"ＫＰＩ,数値目標"'
    assert validation_lists(full_book["実績値"])["状態"] == '"確定,見込値,把握予定,測定不能"'
    assert validation_lists(full_book["体系"])["階層"] == '"基本目標,中柱,小柱,主な取組"'


def test_frozen_headers_and_widths_that_fit_japanese(full_book):
    ws = full_book["指標"]
    assert ws.freeze_panes == "C2"
    assert full_book["体系"].freeze_panes == "B2"
    name_width = ws.column_dimensions["E"].width
    assert ws["E1"].value == "指標名" and 40 <= name_width <= 60
    assert ws.column_dimensions["A"].width >= 10
    # a full-width header needs two units per character
    assert full_book["目標値"].column_dimensions["G"].width >= 2 * len("基準値の注記")


def test_department_workbook_locks_all_but_its_inputs(department_book, sousei_plan):
    assert department_book.sheetnames == ["説明", "計画", "実績値", "評価コメント", "出力時の記録"]
    ws = department_book["実績値"]
    assert ws.protection.sheet
    ids = {r[0] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert ids and all("産業労働局" in sousei_plan.departments_of(sousei_plan.indicator_by_id[i]) for i in ids)
    assert {r[4] for r in ws.iter_rows(min_row=2, values_only=True)} == {2024}
    row = find_row(ws, 指標ID="1-1-2-k1")
    assert ws.cell(row, column(ws, "実績値")).protection.locked is False
    assert ws.cell(row, column(ws, "状態")).protection.locked is False
    assert ws.cell(row, column(ws, "指標ID")).protection.locked is True
    assert ws.cell(row, column(ws, "目標値")).protection.locked is True
    assert ws.cell(row, column(ws, "目標値")).value == "55 社"
    assert "判定" not in headers(ws)
    assert department_book["計画"].protection.sheet
    texts = department_book["評価コメント"]
    nodes = [r[0] for r in texts.iter_rows(min_row=2, values_only=True)]
    assert nodes and all(sousei_plan.node_by_id[n].level == "主な取組" for n in nodes)
    assert texts.cell(2, column(texts, "取組結果")).protection.locked is False


def test_formula_like_text_is_neutralised_and_comes_back(tmp_path, city_plan):
    doc = plan_to_dict(city_plan)
    doc["indicators"][0]["note"] = '=HYPERLINK("http://example.invalid","x")'
    doc["nodes"][0]["name"] = "+81 と '引用"
    plan = plan_from_dict(doc)
    path = tmp_path / "book.xlsx"
    save_workbook(plan_workbook(plan), path)
    ws = load_workbook(path)["指標"]
    cell = ws.cell(2, column(ws, "備考"))
    assert cell.data_type == "s" and cell.quotePrefix and cell.value == doc["indicators"][0]["note"]  # no visible apostrophe
    assert plan_to_dict(import_file(path, None).plan) == plan_to_dict(plan)


def test_negative_figures_are_numbers_and_texts_show_no_apostrophe(tmp_path, city_plan):
    doc = plan_to_dict(city_plan)
    doc["indicators"][0]["values"] = {"2024": "-5", "2025": "-5人"}
    plan = plan_from_dict(doc)
    path = tmp_path / "book.xlsx"
    save_workbook(plan_workbook(plan), path)
    ws = load_workbook(path)["実績値"]
    number = ws.cell(find_row(ws, 年度=2024), column(ws, "実績値"))
    text = ws.cell(find_row(ws, 年度=2025), column(ws, "実績値"))
    assert (number.data_type, number.value) == ("n", -5)
    assert (text.data_type, text.value, text.quotePrefix) == ("s", "-5人", True)
    assert plan_to_dict(import_file(path, None).plan) == plan_to_dict(plan)


def test_a_text_excel_cannot_hold_is_refused_by_name_not_cut(tmp_path, sousei_plan):
    plan = plan_from_dict(plan_to_dict(sousei_plan))
    node = next(n for n in plan.nodes if n.texts.get(2024))
    node.texts[2024].results = ["あ" * 41_000]  # held from before the limit (docs/format.md), or by a program
    department = plan.node_departments(node.id)[0]
    for write in (lambda: plan_workbook(plan), lambda: department_workbook(plan, department, 2024)):
        with pytest.raises(InputError) as e:
            write()
        [problem] = e.value.problems
        assert problem.where.startswith("評価コメント!") and problem.where.endswith("行 取組結果")
        assert f"{node.id} 2024 の文章が 41,000 文字あり" in problem.message and "32,767" in problem.message


def test_template_is_an_empty_workbook_with_the_same_sheets(tmp_path):
    path = tmp_path / "template.xlsx"
    save_workbook(template_workbook(2025, 2028), path)
    wb = load_workbook(path)
    assert wb.sheetnames == FULL_SHEETS
    assert headers(wb["目標値"])[7:] == ["R7(2025)", "R8(2026)", "R9(2027)", "R10(2028)"]
    assert wb["指標"].max_row == 1
    plan_items = {r[0]: r[1] for r in wb["計画"].iter_rows(min_row=2, values_only=True)}
    assert plan_items["種類"] == "計画全体" and plan_items["計画開始年度"] == 2025


def test_template_filled_in_becomes_a_plan(tmp_path):
    path = tmp_path / "template.xlsx"
    save_workbook(template_workbook(2025, 2026), path)
    wb = load_workbook(path)
    items = {r[0].value: r[1] for r in wb["計画"].iter_rows(min_row=2)}
    for key, value in {"計画ID": "new-plan", "計画名": "新計画", "団体名": "平塚市", "団体コード": 142034, "階層": "施策\n取組"}.items():
        items[key].value = value
    append_row(wb["体系"], ID="s1", 階層="施策", 番号="1", 名称="子育て")
    append_row(
        wb["指標"],
        指標ID="s1-k1",
        ノードID="s1",
        種別="KPI",
        指標名="待機児童数",
        単位="人",
        集計区分="総数",
        期間区分="年度",
        方向="低いほど良い",
    )
    wb["目標値"][f"{get_column_letter(column(wb['目標値'], 'R8(2026)'))}1"] = "2026"  # a year column may also be headed 2024 or 令和６年度
    append_row(wb["目標値"], 指標ID="s1-k1", 基準年度="R6", 基準値="222人", 基準値の注記="策定時", **{"R7(2025)": "100人", "2026": "0人"})
    append_row(wb["実績値"], 指標ID="s1-k1", 年度="令和７年度", 実績値="138人")
    wb.save(path)
    plan = import_file(path, None).plan
    ind = plan.indicator_by_id["s1-k1"]
    assert (ind.kind, ind.direction, ind.aggregation) == ("kpi", "lower", "総数")
    assert ind.baseline is not None and ind.baseline.year == 2024 and ind.baseline.entry.number == 222
    assert ind.values[2025].number == 138 and ind.targets[2026].number == 0
    assert plan.organization.code == "142034"


@pytest.mark.parametrize("name", ["kanagawa-sousei-3", "kanagawa-dx", "hiratsuka-juten"])
def test_round_trip_is_lossless(tmp_path, name):
    plan = load_sample(name)
    path: Path = tmp_path / f"{name}.xlsx"
    save_workbook(plan_workbook(plan), path)
    back = import_file(path, plan)
    assert plan_to_dict(back.plan) == plan_to_dict(plan)
    assert back.changes == []
