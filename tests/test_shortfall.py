"""The reason a target was missed (未達成の理由): a field of the value that every format carries and the report prints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from workbooks import edit

from hyoka.core.model import Plan
from hyoka.formats.csvpackage.read import read_package
from hyoka.formats.csvpackage.write import write_package
from hyoka.formats.hyoka1 import loads, plan_from_dict, plan_to_dict
from hyoka.formats.importing import import_file
from hyoka.formats.xlsx.write import department_workbook, plan_workbook, save_workbook
from hyoka.reports import build_report
from hyoka.reports.document import Table

MISSED = "1-3"  # △ in FY2024 (479人)
DEPARTMENT = "福祉子どもみらい局"
REASON = "対象施設の改修が遅れたため。来年度は早期に着手する。"


@pytest.fixture(scope="module")
def plan(dx_plan: Plan) -> Plan:
    doc = plan_to_dict(dx_plan)
    value = next(i for i in doc["indicators"] if i["id"] == MISSED)["values"]["2024"]
    value["shortfall"] = REASON
    return plan_from_dict(doc)


def test_the_plan_file_keeps_it(plan: Plan) -> None:
    again = loads(json.dumps(plan_to_dict(plan), ensure_ascii=False).encode())
    assert again.indicator_by_id[MISSED].values[2024].shortfall == REASON


def test_the_workbook_and_the_open_data_carry_it(tmp_path: Path, plan: Plan) -> None:
    save_workbook(plan_workbook(plan), tmp_path / "plan.xlsx")
    assert import_file(tmp_path / "plan.xlsx", None).plan.indicator_by_id[MISSED].values[2024].shortfall == REASON
    write_package(plan, tmp_path / "csv")
    assert read_package(tmp_path / "csv").indicator_by_id[MISSED].values[2024].shortfall == REASON


def test_a_department_writes_it_in_its_workbook(tmp_path: Path, dx_plan: Plan) -> None:
    path = tmp_path / "dept.xlsx"
    save_workbook(department_workbook(dx_plan, DEPARTMENT, 2024), path)
    edit(path, "実績値", [({"指標ID": MISSED, "年度": 2024}, "未達成の理由", REASON)])
    result = import_file(path, dx_plan)
    assert result.plan.indicator_by_id[MISSED].values[2024].shortfall == REASON
    assert [(c.subject, c.key[0]) for c in result.changes] == [("value", MISSED)]


def test_the_list_of_indicators_prints_it_beside_the_missed_row(plan: Plan) -> None:
    report = build_report(plan, 2024)
    listing = next(b for s in report.sections for b in s.blocks if isinstance(b, Table) and "list" in b.css.split())  # seed 001's 別紙
    row = next(r for r in listing.body if any(c.text.startswith(plan.indicator_by_id[MISSED].name) for c in r))
    assert row[-1].text == REASON
