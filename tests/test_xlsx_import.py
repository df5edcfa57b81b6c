"""Importing workbooks people filled in: values as typed, precise errors, all or nothing, dry run."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner
from workbooks import column, edit, find_row

from hyoka.cli import app
from hyoka.core.diff import Action
from hyoka.core.errors import InputError
from hyoka.core.model import Status
from hyoka.formats.hyoka1 import dump_path, load_path, plan_from_dict, plan_to_dict
from hyoka.formats.importing import import_file
from hyoka.formats.xlsx.write import department_workbook, plan_workbook, save_workbook

DEPT = "産業労働局"


@pytest.fixture(scope="module")
def books(tmp_path_factory, sousei_plan) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("books")
    out = {"full": folder / "full.xlsx", "dept": folder / "dept.xlsx", "plan": folder / "plan.json"}
    save_workbook(plan_workbook(sousei_plan), out["full"])
    save_workbook(department_workbook(sousei_plan, DEPT, 2024), out["dept"])
    dump_path(sousei_plan, out["plan"])
    return out


@pytest.fixture
def dept(books, tmp_path) -> Path:
    return Path(shutil.copy(books["dept"], tmp_path / "dept.xlsx"))


@pytest.fixture
def full(books, tmp_path) -> Path:
    return Path(shutil.copy(books["full"], tmp_path / "full.xlsx"))


@pytest.fixture
def plan_file(books, tmp_path) -> Path:
    return Path(shutil.copy(books["plan"], tmp_path / "plan.json"))


def problems(path: Path, plan) -> list[str]:
    with pytest.raises(InputError) as e:
        import_file(path, plan)
    return [str(p) for p in e.value.problems]


def test_values_typed_as_people_type_them(dept, sousei_plan):
    edit(
        dept,
        "実績値",
        [
            ({"指標ID": "1-1-2-k1"}, "実績値", "１，２３４社"),
            ({"指標ID": "1-1-3-k1"}, "実績値", "2026年９月頃把握予定"),
            ({"指標ID": "1-1-3-k2"}, "実績値", 0.1),
            ({"指標ID": "1-1-3-k2"}, "年度", "令和６年度"),
            ({"指標ID": "1-1-3-k2"}, "状態", "見込値"),
            ({"指標ID": "1-3-2-k1"}, "実績値", "160 人（見込値）"),
            ({"指標ID": "1-3-3-k1"}, "実績値", "―※"),
            ({"指標ID": "1-2-1-k1"}, "把握予定時期", dt.datetime(2027, 10, 1)),
        ],
    )
    plan = import_file(dept, sousei_plan).plan
    robots = plan.indicator_by_id["1-1-2-k1"].values[2024]
    assert (robots.entry.text, robots.number, robots.status) == ("１，２３４社", Decimal(1234), Status.CONFIRMED)
    pending = plan.indicator_by_id["1-1-3-k1"].values[2024]
    assert (pending.status, pending.expected, pending.number) == (Status.PENDING, "2026-09", None)
    decimal = plan.indicator_by_id["1-1-3-k2"].values[2024]
    assert (decimal.entry.text, decimal.number, decimal.status) == ("0.1", Decimal("0.1"), Status.ESTIMATE)
    estimate = plan.indicator_by_id["1-3-2-k1"].values[2024]
    assert (estimate.status, estimate.number) == (Status.ESTIMATE, Decimal(160))
    assert plan.indicator_by_id["1-3-3-k1"].values[2024].status is Status.UNMEASURABLE
    assert plan.indicator_by_id["1-2-1-k1"].values[2024].expected == "2027-10"  # a date typed in Excel


def test_man_units_and_percent_formatted_cells(tmp_path, city_plan):
    path = tmp_path / "city.xlsx"
    save_workbook(plan_workbook(city_plan), path)
    wb = load_workbook(path)
    ws = wb["実績値"]
    ws.append(["s1-t1", None, None, None, "R6", None, None, "５万人"])
    ws.append(["s1-t2", None, None, None, 2024, None, None, 0.9])
    ws.cell(ws.max_row, column(ws, "実績値")).number_format = "0%"
    wb.save(path)
    plan = import_file(path, city_plan).plan
    people = plan.indicator_by_id["s1-t1"].values[2024]
    assert (people.entry.text, people.number) == ("５万人", Decimal(50000))
    share = plan.indicator_by_id["s1-t2"].values[2024]
    assert (share.entry.text, share.number) == ("90%", Decimal(90))


def test_department_import_changes_only_its_slice(dept, sousei_plan):
    wb = load_workbook(dept)
    ws = wb["実績値"]
    for row in range(2, ws.max_row + 1):
        ws.cell(row, column(ws, "実績値"), value="1,000")
        ws.cell(row, column(ws, "状態"), value="確定")
        ws.cell(row, column(ws, "把握予定時期")).value = None
    texts = wb["評価コメント"]
    texts.cell(2, column(texts, "概要"), value="まとめ")
    wb.save(dept)
    result = import_file(dept, sousei_plan)
    assert result.changes
    mine = {i.id for i in sousei_plan.indicators if DEPT in sousei_plan.departments_of(i)}
    for change in result.changes:
        if change.subject == "value":
            assert change.key[0] in mine and change.key[2] == "2024"
        else:
            assert change.subject == "texts" and DEPT in sousei_plan.node_departments(change.key[0])
    before, after = plan_to_dict(sousei_plan), plan_to_dict(result.plan)
    others = [i for i in before["indicators"] if i["id"] not in mine]
    assert others == [i for i in after["indicators"] if i["id"] not in mine]


def test_a_figure_replaces_a_pending_value(dept, sousei_plan):
    pending = next(
        i.id
        for i in sousei_plan.indicators
        if DEPT in sousei_plan.departments_of(i) and 2024 in i.values and i.values[2024].status is Status.PENDING
    )
    edit(dept, "実績値", [({"指標ID": pending}, "実績値", "39.1 ％")])
    result = import_file(dept, sousei_plan)
    value = result.plan.indicator_by_id[pending].values[2024]
    assert (value.status, value.expected, value.number) == (Status.CONFIRMED, None, Decimal("39.1"))


def test_row_for_another_departments_indicator_is_refused(dept, sousei_plan):
    other = next(i for i in sousei_plan.indicators if DEPT not in sousei_plan.departments_of(i))
    edit(dept, "実績値", [({"指標ID": "1-1-2-k1"}, "指標ID", other.id)])
    row = find_row(load_workbook(dept)["実績値"], 指標ID=other.id)
    (problem,) = problems(dept, sousei_plan)
    assert problem.startswith(f"dept.xlsx:実績値 {row}行目: 「{other.id}」: 指標「{other.id}」は「{DEPT}」の担当ではありません")


def test_every_problem_at_once_with_sheet_row_column_and_text(dept, sousei_plan):
    edit(
        dept,
        "実績値",
        [
            ({"指標ID": "1-1-2-k1"}, "実績値", "たくさん"),
            ({"指標ID": "1-1-3-k1"}, "状態", "だいたい"),
            ({"指標ID": "1-1-3-k2"}, "年度", "来年"),
        ],
    )
    ws = load_workbook(dept)["実績値"]
    r1, r2, r3 = (find_row(ws, 指標ID=i) for i in ("1-1-2-k1", "1-1-3-k1", "1-1-3-k2"))
    found = problems(dept, sousei_plan)
    assert len(found) == 3
    assert any(p.startswith(f"dept.xlsx:実績値!H{r1}（実績値）: 「たくさん」: 数値として解釈できません") for p in found)
    assert any(p.startswith(f"dept.xlsx:実績値!I{r2}（状態）: 「だいたい」: 「状態」は 確定、見込値、把握予定、測定不能") for p in found)
    assert any(p.startswith(f"dept.xlsx:実績値!E{r3}（年度）: 「来年」: 年として解釈できません") for p in found)
    assert all("(" in p and ")" in p for p in found)  # the English message follows


def test_wrong_sheet_and_merged_header(full, sousei_plan):
    wb = load_workbook(full)
    wb["事業"].title = "Sheet1"
    wb["実績値"].merge_cells("A1:B1")
    wb.save(full)
    found = problems(full, sousei_plan)
    assert any(p.startswith("full.xlsx:Sheet1: 「Sheet1」: 不明なシート「Sheet1」") for p in found)
    assert any(p.startswith("full.xlsx:事業: 「事業」シートがありません") for p in found)
    assert any(p.startswith("full.xlsx:実績値!A1:B1: 見出し行の結合セルは使えません") for p in found)


def test_duplicate_ids_and_unknown_columns(full, sousei_plan):
    wb = load_workbook(full)
    ws = wb["指標"]
    ws.cell(3, 1, value=ws.cell(2, 1).value)
    ws.cell(1, ws.max_column + 1, value="メモ")
    ws.cell(2, ws.max_column, value="自分用")
    wb.save(full)
    found = problems(full, sousei_plan)
    duplicate = ws.cell(2, 1).value
    assert any(p.startswith(f"full.xlsx:指標!A3（指標ID）: 「{duplicate}」: id「{duplicate}」が重複しています") for p in found)
    assert any(p.startswith("full.xlsx:指標!R1: 「メモ」: 不明な列「メモ」") for p in found)


def test_text_in_a_number_column(full, sousei_plan):
    edit(full, "指標", [({"指標ID": "1-1-2-k1"}, "重み", "重い")])
    row = find_row(load_workbook(full)["指標"], 指標ID="1-1-2-k1")
    (problem,) = problems(full, sousei_plan)
    letter = get_column_letter(column(load_workbook(full)["指標"], "重み"))
    assert problem.startswith(f"full.xlsx:指標!{letter}{row}（重み）: 「重い」: 数値として解釈できません")


def test_failed_import_changes_nothing(dept, plan_file):
    before = plan_file.read_bytes()
    edit(dept, "実績値", [({"指標ID": "1-1-2-k1"}, "実績値", "1,234社"), ({"指標ID": "1-1-3-k1"}, "実績値", "たくさん")])
    result = CliRunner().invoke(app, ["import", str(dept), "--into", str(plan_file)])
    assert result.exit_code == 2
    assert "たくさん" in result.output
    assert plan_file.read_bytes() == before


def test_dry_run_lists_added_changed_removed_and_writes_nothing(full, plan_file):
    before = plan_file.read_bytes()
    wb = load_workbook(full)
    ws = wb["実績値"]
    ws.cell(find_row(ws, 指標ID="1-1-2-k1", 年度=2024), column(ws, "実績値"), value="99 社")
    ws.delete_rows(find_row(ws, 指標ID="1-1-2-k1", 年度=2023))
    ws.append(["1-1-2-k1", None, None, None, "R7", None, None, "120 社"])
    wb.save(full)
    result = CliRunner().invoke(app, ["import", str(full), "--into", str(plan_file), "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "変更 実績値 1-1-2-k1 2024 値: 「98 社」 → 「99 社」" in lines
    assert "削除 実績値 1-1-2-k1 2023: 「10 社」" in lines
    assert "追加 実績値 1-1-2-k1 2025: 「120 社」" in lines
    assert "追加 1、変更 1、削除 1 (added 1, changed 1, removed 1)" in lines
    assert plan_file.read_bytes() == before


def test_importing_the_same_file_twice_changes_nothing_the_second_time(dept, plan_file):
    edit(dept, "実績値", [({"指標ID": "1-1-2-k1"}, "実績値", "1,234社")])
    runner = CliRunner()
    first = runner.invoke(app, ["import", str(dept), "--into", str(plan_file)])
    assert first.exit_code == 0, first.output
    assert "変更 実績値 1-1-2-k1 2024 値: 「98 社」 → 「1,234社」" in first.output
    written = plan_file.read_bytes()
    second = runner.invoke(app, ["import", str(dept), "--into", str(plan_file)])
    assert second.exit_code == 0 and "変更はありません" in second.output
    assert plan_file.read_bytes() == written
    plan = load_path(plan_file)
    assert plan.indicator_by_id["1-1-2-k1"].values[2024].number == 1234
    assert [c.action for c in import_file(dept, plan).changes] == []


def test_workbook_of_another_plan_is_refused(full, dx_plan):
    found = problems(full, dx_plan)
    assert any(
        p.startswith("full.xlsx:計画!B4（計画ID）: 「kanagawa-sousei-3」: このブックは計画「kanagawa-sousei-3」のもの") for p in found
    )


def test_cli_export_commands_write_workbooks(tmp_path):
    runner = CliRunner()
    out = tmp_path / "dept.xlsx"
    result = runner.invoke(app, ["export", "kanagawa-sousei-3", "--format", "xlsx", "--department", DEPT, "--year", "R6", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out)["計画"]["B12"].value == DEPT
    result = runner.invoke(
        app, ["export", "kanagawa-sousei-3", "--format", "xlsx", "--department", "どこでもない局", "--year", "2024", "-o", str(out)]
    )
    assert result.exit_code == 2 and "どこでもない局" in result.output
    template = tmp_path / "t.xlsx"
    assert runner.invoke(app, ["template", "-o", str(template), "--start", "R7", "--end", "2029"]).exit_code == 0
    assert load_workbook(template)["目標値"]["H1"].value == "R7(2025)"


def test_not_an_excel_file(tmp_path, sousei_plan):
    path = tmp_path / "plan.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    (problem,) = problems(path, sousei_plan)
    assert problem.startswith("plan.xlsx: Excel ブック（.xlsx）として読めません")


def test_changes_are_actions(dept, sousei_plan):
    edit(dept, "実績値", [({"指標ID": "1-1-2-k1"}, "備考", "速報")])
    (change,) = import_file(dept, sousei_plan).changes
    assert (change.action, change.subject, change.field, change.new) == (Action.CHANGED, "value", "備考", "速報")


def test_xml_bomb_in_a_sheet_is_refused(full, sousei_plan):
    """An uploaded workbook is untrusted: entity expansion must fail fast with a clear error."""
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        b'<c r="A1" t="inlineStr"><is><t>&c;</t></is></c></row></sheetData></worksheet>'
    )
    patched = full.with_name("bomb.xlsx")
    with zipfile.ZipFile(full) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            target.writestr(item, bomb if item.filename == "xl/worksheets/sheet7.xml" else source.read(item))
    (problem,) = problems(patched, sousei_plan)
    assert problem.startswith("bomb.xlsx: Excel ブック（.xlsx）として読めません")


def test_a_row_of_another_year_is_refused(dept, sousei_plan):
    edit(dept, "実績値", [({"指標ID": "1-1-2-k1"}, "年度", "R5")])
    row = find_row(load_workbook(dept)["実績値"], 指標ID="1-1-2-k1")
    (problem,) = problems(dept, sousei_plan)
    assert problem.startswith(f"dept.xlsx:実績値!E{row}（年度）: 「R5」: このブックは2024年度の分です")


def test_export_json_to_stdout_is_the_plan_file():
    result = CliRunner().invoke(app, ["export", "hiratsuka-juten"])
    assert result.exit_code == 0
    assert result.stdout.startswith('{\n "format": "hyoka/1"')


def test_a_new_date_replaces_the_date_shown_from_the_export(dept, sousei_plan):
    pending = sousei_plan.indicator_by_id["1-2-1-k1"].values[2024]
    assert (pending.status, pending.expected) == (Status.PENDING, "2027-09")
    edit(dept, "実績値", [({"指標ID": "1-2-1-k1"}, "実績値", "2026年９月頃把握予定")])
    value = import_file(dept, sousei_plan).plan.indicator_by_id["1-2-1-k1"].values[2024]
    assert (value.status, value.expected) == (Status.PENDING, "2026-09")


def test_the_typed_value_wins_over_the_status_shown_from_the_export_every_time(dept, plan_file):
    edit(dept, "実績値", [({"指標ID": "1-2-1-k1"}, "実績値", "2026年９月頃把握予定"), ({"指標ID": "1-1-2-k1"}, "実績値", "―※")])
    runner = CliRunner()
    assert runner.invoke(app, ["import", str(dept), "--into", str(plan_file)]).exit_code == 0
    again = runner.invoke(app, ["import", str(dept), "--into", str(plan_file)])
    assert again.exit_code == 0 and "変更はありません" in again.output, again.output
    plan = load_path(plan_file)
    assert plan.indicator_by_id["1-1-2-k1"].values[2024].status is Status.UNMEASURABLE


def test_a_40000_character_text_is_refused_by_its_cell_with_the_limit(dept, sousei_plan):
    edit(dept, "評価コメント", [({"年度": 2024}, "取組結果", "あ" * 40_000)])  # a cell keeps 32,767 of them
    row = find_row(load_workbook(dept)["評価コメント"], 年度=2024)
    (problem,) = problems(dept, sousei_plan)
    assert problem.startswith(f"dept.xlsx:評価コメント!D{row}（取組結果）: 「あああ")
    assert "長すぎます（32,767 文字。10,000 文字まで）" in problem


def test_the_plan_file_holds_the_same_limit(sousei_plan):
    doc = plan_to_dict(sousei_plan)
    doc["indicators"][0]["note"] = "あ" * 10_001
    doc["nodes"][0].setdefault("texts", {})["2024"] = {"results": ["い" * 6000, "う" * 4000]}  # 10,001 with the line break
    with pytest.raises(InputError) as e:
        plan_from_dict(doc)
    assert [(p.where, p.message) for p in e.value.problems] == [
        ("nodes[0].texts.2024.results", "長すぎます（10,001 文字。10,000 文字まで）"),
        ("indicators[0].note", "長すぎます（10,001 文字。10,000 文字まで）"),
    ]
