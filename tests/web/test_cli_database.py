"""`hyoka import/export/evaluate --database`: plans in and out of a database from the command line."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from hyoka.core.engine import evaluate
from hyoka.core.outcomes import outcome_of
from hyoka.formats.hyoka1 import load_path
from hyoka.formats.national import write_national
from hyoka.samples import sample_path

PLAN = "kanagawa-sousei-3"


def hyoka(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hyoka.cli", *args], capture_output=True, text=True, timeout=300)


def _history(db: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(db) as con:
        return con.execute("select subject, new, why from history_change order by id").fetchall()


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "hyoka.sqlite3"
    out = hyoka("import", str(sample_path(PLAN)), "--database", str(db))
    assert out.returncode == 0, out.stderr
    assert f"計画 {PLAN} を追加しました" in out.stdout
    return db


def _department_workbook(db: Path, folder: Path, value: str) -> Path:
    book = folder / "dept.xlsx"
    out = hyoka("export", PLAN, "--database", str(db), "--format", "xlsx", "--department", "産業労働局", "--year", "2024", "-o", str(book))
    assert out.returncode == 0, out.stderr
    wb = load_workbook(book)
    ws = wb["実績値"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "1-3-1-k1")
    row[header.index("実績値")].value = value
    wb.save(book)
    return book


def test_a_department_workbook_goes_into_the_database_with_history(stored, tmp_path):
    """FY2024 of the sample is published: its figures change only as a 訂正 (--correct), published with its reason."""
    book = _department_workbook(stored, tmp_path, "５０．０％")
    dry = hyoka("import", str(book), "--database", str(stored), "--dry-run")
    assert dry.returncode == 0 and "変更 実績値 1-3-1-k1 2024" in dry.stdout and "書き込みません" in dry.stdout
    before = _history(stored)
    refused = hyoka("import", str(book), "--database", str(stored), "--why", "部局から受領")
    assert refused.returncode == 2 and "2024年度は公表済みです" in refused.stderr and "--correct" in refused.stderr
    assert _history(stored) == before
    done = hyoka("import", str(book), "--database", str(stored), "--correct", "部局から受領")
    assert done.returncode == 0, done.stderr
    assert any(new.startswith("５０．０％") and why == "訂正: 部局から受領" for _s, new, why in _history(stored))
    with sqlite3.connect(stored) as con:
        (corrections,) = con.execute("select corrections from plans_cycle where year = 2024").fetchone()
    (correction,) = json.loads(corrections)
    assert correction["reason"] == "部局から受領" and correction["changes"][0]["new"].startswith("５０．０％")
    again = hyoka("import", str(book), "--database", str(stored))
    assert "変更はありません" in again.stdout
    doc = json.loads(hyoka("evaluate", PLAN, "--database", str(stored), "--year", "2024", "--format", "json").stdout)
    assert next(i for i in doc["indicators"] if i["id"] == "1-3-1-k1")["rate"] == "100.0"


def test_a_bad_cell_changes_nothing(stored, tmp_path):
    book = _department_workbook(stored, tmp_path, "たくさん")
    before = _history(stored)
    out = hyoka("import", str(book), "--database", str(stored))
    assert out.returncode == 2 and "dept.xlsx:実績値!" in out.stderr
    assert _history(stored) == before


def test_export_gives_back_the_stored_plan(stored, tmp_path):
    out = hyoka("export", PLAN, "--database", str(stored), "-o", str(tmp_path / "back.json"))
    assert out.returncode == 0
    back = json.loads((tmp_path / "back.json").read_text(encoding="utf-8"))
    assert back["plan"]["id"] == PLAN and len(back["indicators"]) == 121
    missing = hyoka("export", "nope", "--database", str(stored))
    assert missing.returncode == 2 and "データベースにこの計画はありません" in missing.stderr


def test_structural_changes_need_replace(stored, tmp_path):
    doc = json.loads(sample_path(PLAN).read_text(encoding="utf-8"))
    doc["indicators"] = doc["indicators"][:-1]
    path = tmp_path / "fewer.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    refused = hyoka("import", str(path), "--database", str(stored))
    assert refused.returncode == 2 and "--replace" in refused.stderr
    published = hyoka("import", str(path), "--database", str(stored), "--replace")  # its FY2024 is a published record
    assert published.returncode == 2 and "公表済みの年度（2024年度）がある計画は置き換えられません" in published.stderr
    city = tmp_path / "city.sqlite3"  # a plan with no published year may be replaced
    assert hyoka("import", str(sample_path("hiratsuka-juten")), "--database", str(city)).returncode == 0
    doc = json.loads(sample_path("hiratsuka-juten").read_text(encoding="utf-8"))
    doc["indicators"] = doc["indicators"][:-1]
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    replaced = hyoka("import", str(path), "--database", str(city), "--replace")
    assert replaced.returncode == 0 and "置き換えました" in replaced.stdout


def test_publish_the_stored_plans(stored, tmp_path):
    out = hyoka("publish", "--database", str(stored), "-o", str(tmp_path / "site"))
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "site" / "140007" / PLAN / "index.html").exists()
    assert "公表済みの年度" in hyoka("publish", "--help").stdout
    assert hyoka("publish", "-o", str(tmp_path / "other")).returncode == 2


def test_the_national_table_of_every_stored_plan(stored, tmp_path):
    """``evaluate --all``: the figures of each stored plan as the engine computes them from the plan exported back."""
    out = hyoka("evaluate", "--all", "--database", str(stored), "--year", "R6", "-o", str(tmp_path / "national.csv"))
    assert out.returncode == 0, out.stderr
    assert "計画 1、" in out.stderr
    assert hyoka("export", PLAN, "--database", str(stored), "-o", str(tmp_path / "back.json")).returncode == 0
    expected = io.StringIO()
    write_national([outcome_of(evaluate(load_path(tmp_path / "back.json"), 2024))], expected)
    assert (tmp_path / "national.csv").read_text(encoding="utf-8") == expected.getvalue()
    to_stdout = hyoka("evaluate", "--all", "--database", str(stored), "--year", "2024")
    assert to_stdout.stdout == expected.getvalue()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--all", "--year", "2024"], "--db"),
        (["--all", "--db", "--year", "2024", PLAN], "--all takes no plan"),
        (["--year", "2024"], "name the plan"),
        ([PLAN, "--year", "2024", "-o", "x.csv"], "-o is for the table of --all"),
    ],
)
def test_the_national_table_asks_for_what_it_needs(args, fragment):
    out = hyoka("evaluate", *args)
    assert out.returncode == 2 and fragment in out.stderr
