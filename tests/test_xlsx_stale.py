"""A workbook downloaded before a change in hyoka: rows changed in both places are conflicts, nothing is lost.

The plan is exported, then changed "in hyoka" (the plan the workbook is imported into),
while the person fills the workbook: untouched rows keep hyoka's newer content, a value
entered since the export is not deleted, a row changed in both places is a conflict with
both versions named, and only the rows changed in the file alone are applied.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner
from workbooks import edit, find_row

from hyoka.cli import app
from hyoka.core.diff import Action
from hyoka.core.model import Plan
from hyoka.formats.hyoka1 import dump_path, load_path, plan_from_dict, plan_to_dict
from hyoka.formats.importing import import_file
from hyoka.formats.xlsx.write import department_workbook, plan_workbook, save_workbook

DEPT = "産業労働局"
CHANGED_IN_HYOKA = "1-1-2-k1"  # 98 社 → 99 社 after the export; the file's row is untouched
ENTERED_IN_HYOKA = "1-1-3-k1"  # empty at export, 86 件 entered since
CHANGED_IN_BOTH = "1-3-2-k1"  # hyoka 158 → 160 人, the file 158 → 170 人
CHANGED_IN_FILE = "1-3-3-k1"  # the file 385 → 390 人


def _indicator(doc: dict[str, Any], ident: str) -> dict[str, Any]:
    return next(i for i in doc["indicators"] if i["id"] == ident)


@pytest.fixture(scope="module")
def plans(sousei_plan: Plan) -> tuple[Plan, Plan, str]:
    """The plan as exported, the plan now, and a node whose 2024 texts changed in between."""
    exported = plan_to_dict(sousei_plan)
    del _indicator(exported, ENTERED_IN_HYOKA)["values"]["2024"]
    now = copy.deepcopy(exported)
    _indicator(now, CHANGED_IN_HYOKA)["values"]["2024"] = {"value": "99 社"}
    _indicator(now, ENTERED_IN_HYOKA)["values"]["2024"] = {"value": "86 件"}
    _indicator(now, CHANGED_IN_BOTH)["values"]["2024"] = {"value": "160 人"}
    base = plan_from_dict(exported)
    node = next(n for n in now["nodes"] if n.get("texts", {}).get("2024") and DEPT in base.node_departments(n["id"]))
    node["texts"]["2024"]["results"] = ["hyoka で書き直した取組結果"]
    return base, plan_from_dict(now), node["id"]


def _filled(path: Path) -> None:
    edit(
        path,
        "実績値",
        [({"指標ID": CHANGED_IN_BOTH, "年度": 2024}, "実績値", "170 人"), ({"指標ID": CHANGED_IN_FILE, "年度": 2024}, "実績値", "390 人")],
    )


def _values(plan: Plan) -> dict[str, str]:
    ids = (CHANGED_IN_HYOKA, ENTERED_IN_HYOKA, CHANGED_IN_BOTH, CHANGED_IN_FILE)
    return {i: plan.indicator_by_id[i].values[2024].entry.text for i in ids}


@pytest.mark.parametrize("kind", ["department", "full"])
def test_a_stale_workbook_yields_conflicts_not_deletions(tmp_path: Path, plans: tuple[Plan, Plan, str], kind: str) -> None:
    exported, now, node = plans
    path = tmp_path / "book.xlsx"
    save_workbook(department_workbook(exported, DEPT, 2024) if kind == "department" else plan_workbook(exported), path)
    _filled(path)
    result = import_file(path, now)
    assert _values(result.plan) == {
        CHANGED_IN_HYOKA: "99 社",  # hyoka's newer value stays
        ENTERED_IN_HYOKA: "86 件",  # not deleted
        CHANGED_IN_BOTH: "160 人",  # a conflict: hyoka's stays until someone decides
        CHANGED_IN_FILE: "390 人",  # the file's edit is applied
    }
    assert result.plan.node_by_id[node].texts[2024].results == ["hyoka で書き直した取組結果"]
    assert [c.action for c in result.changes] == [Action.CHANGED]
    [stale] = result.stale
    assert stale.what == (CHANGED_IN_BOTH, "", 2024) and stale.place.startswith("実績値 ")
    assert (stale.stored["value"], stale.incoming["value"]) == ("160 人", "170 人")
    problem = stale.problem()
    assert "hyoka: 「160 人」" in problem.message and "ブック: 「170 人」" in problem.message


def test_an_untouched_fresh_workbook_changes_nothing(tmp_path: Path, plans: tuple[Plan, Plan, str]) -> None:
    _exported, now, _node = plans
    path = tmp_path / "book.xlsx"
    save_workbook(department_workbook(now, DEPT, 2024), path)
    result = import_file(path, now)
    assert result.changes == [] and result.stale == []


def test_the_command_refuses_a_stale_workbook_and_writes_nothing(tmp_path: Path, plans: tuple[Plan, Plan, str]) -> None:
    exported, now, _node = plans
    path, plan_file = tmp_path / "book.xlsx", tmp_path / "plan.json"
    save_workbook(department_workbook(exported, DEPT, 2024), path)
    _filled(path)
    dump_path(now, plan_file)
    before = plan_file.read_bytes()
    runner = CliRunner()
    dry = runner.invoke(app, ["import", str(path), "--into", str(plan_file), "--dry-run"])
    assert dry.exit_code == 0 and "衝突: 実績値 " in dry.stdout and "hyoka: 「160 人」" in dry.stdout
    out = runner.invoke(app, ["import", str(path), "--into", str(plan_file)])
    assert out.exit_code == 2 and "ブック: 「170 人」" in out.stdout + out.stderr
    assert plan_file.read_bytes() == before and load_path(plan_file).indicator_by_id[CHANGED_IN_FILE].values[2024].entry.text == "385 人"


def test_a_row_removed_from_a_whole_plan_workbook_after_a_change_in_hyoka_is_a_conflict(
    tmp_path: Path, plans: tuple[Plan, Plan, str]
) -> None:
    exported, now, _node = plans
    path = tmp_path / "book.xlsx"
    save_workbook(plan_workbook(exported), path)
    wb = load_workbook(path)
    ws = wb["実績値"]
    ws.delete_rows(find_row(ws, 指標ID=CHANGED_IN_HYOKA, 年度=2024))
    wb.save(path)
    result = import_file(path, now)
    assert result.plan.indicator_by_id[CHANGED_IN_HYOKA].values[2024].entry.text == "99 社"
    [stale] = result.stale
    assert stale.what == (CHANGED_IN_HYOKA, "", 2024) and stale.incoming is None and stale.place == "実績値"
    assert "ブック: 「（空欄）」" in stale.problem().message
