"""The report of the other sample plans and of plans made up for the test: any levels, any rules."""

from __future__ import annotations

import copy
import io
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import docx
import openpyxl
import pytest

from hyoka import plan_from_dict
from hyoka.core.model import Plan, Review
from hyoka.formats.hyoka1 import plan_to_dict
from hyoka.reports import build_report, render_report
from hyoka.reports.document import Table
from hyoka.samples import sample_path


def summary_table(report: Any) -> Table:
    return next(b for s in report.sections for b in s.blocks if isinstance(b, Table) and b.caption.startswith("指標の判定の集計"))


def test_dx_summary_shows_seed_001s_counts_and_shares(dx_plan):
    table = summary_table(build_report(dx_plan, 2024))
    assert [c.text for c in table.head[1]] == ["達成", "概ね達成", "未達成", "計", "(集計中)", "達成", "概ね達成", "計"]
    rows = {row[0].text: [c.text for c in row[1:]] for row in table.body}
    assert rows["合計"] == ["126", "15", "28", "169", "(10)", "74.6％", "8.9％", "83.4％"]
    assert rows["くらしのデジタル化"] == ["71", "11", "23", "105", "(10)", "67.6％", "10.5％", "78.1％"]
    assert rows["行政のデジタル化"] == ["55", "4", "5", "64", "(0)", "85.9％", "6.3％", "92.2％"]


@pytest.fixture(scope="module")
def dx_files(dx_plan) -> dict[str, bytes]:
    """Rendered once, and kept under artifacts/reports/ for people to look at."""
    files = {fmt: render_report(dx_plan, 2024, fmt) for fmt in ("html", "docx", "xlsx")}
    folder = Path(__file__).resolve().parent.parent / "artifacts" / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    for fmt, data in files.items():
        (folder / f"kanagawa-dx-2024.{fmt}").write_bytes(data)
    return files


def test_dx_summary_in_html_word_and_excel(dx_files):
    html = dx_files["html"].decode("utf-8")
    table = html[html.index("<caption>指標の判定の集計（件数と割合）") :]
    table = table[: table.index("</table>")]
    rows = [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", table)]
    assert ["合計", "126", "15", "28", "169", "(10)", "74.6％", "8.9％", "83.4％"] in rows
    document = docx.Document(io.BytesIO(dx_files["docx"]))
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["合計", "126", "15", "28", "169", "(10)", "74.6％", "8.9％", "83.4％"] in rows
    ws = openpyxl.load_workbook(io.BytesIO(dx_files["xlsx"]))["集計"]
    values = next([c.value for c in row] for row in ws.iter_rows() if row[0].value == "合計")
    assert values[1:9] == [126, 15, 28, 169, 10, 74.6, 8.9, 83.4]


def test_dx_list_has_every_indicator_with_its_judgement_and_shortfall(dx_plan):
    report = build_report(dx_plan, 2024)
    table = next(b for s in report.sections for b in s.blocks if isinstance(b, Table) and b.css == "list")
    assert [c.text for c in table.head[0]] == [
        "番号",
        "施策・事業",
        "指標",
        "2024 目標値",
        "2024 実績値",
        "達成率",
        "判定",
        "未達成の理由と今後の方向性",
    ]
    judged = [row for row in table.body if len(row) == 8]  # the first row of each indicator
    assert len(judged) == len(dx_plan.indicators)
    marks = [row[6].text.split()[0] for row in judged]
    assert marks.count("◎") == 126 and marks.count("○") == 15 and marks.count("△") == 28 and marks.count("■") == 10
    shortfalls = {row[0].text: row[7].text for row in judged if row[6].text.startswith("△")}
    assert shortfalls["1-3"].startswith("本事業のターゲットが6歳～29歳までと幅広いため")
    assert all(row[7].text == "" for row in judged if not row[6].text.startswith("△"))


def test_city_plan_without_values(city_plan):
    report = build_report(city_plan, 2024)
    titles = [s.title for s in report.sections]
    assert titles[3:7] == [f"{n.number} {n.name}" for n in city_plan.roots]
    html = render_report(city_plan, 2024, "html").decode("utf-8")
    assert "実績未把握" in html
    assert "達成率は 100% を上限として表示・集計し" in html  # the cap of its rule set, in words
    assert "施策に属する施策の評価値" not in html
    assert "重点戦略に属する施策の評価の値の平均が 100% 以上" in html
    targets = next(b for b in report.sections[3].blocks if isinstance(b, Table) and b.css == "targets")
    assert [c.text for c in targets.head[0]] == ["数値目標", "基準値", "2024 実績値", "目標値"]
    assert [c.text for c in targets.body[0]] == ["保育所等の待機児童数", "6 人（策定時実績値）", "―", "0 人（2031）"]
    labels = [b.text for b in report.sections[3].blocks if getattr(b, "css", "") == "label"]
    assert "【具体的な取組】" in labels and not any("取組結果" in label for label in labels)  # plans, not results, in 2024


def _small_plan(**rules: Any) -> dict[str, Any]:
    return {
        "format": "hyoka/1",
        "plan": {
            "id": "t",
            "name": "テスト<計画>",
            "organization": {"name": "テスト市"},
            "period": {"start": 2024, "end": 2025},
            "levels": ["分野"],
        },
        "rules": rules or {"preset": "kanagawa-dx"},
        "nodes": [
            {
                "id": "a",
                "parent": None,
                "level": "分野",
                "number": "1",
                "name": "<script>alert(1)</script>",
                "texts": {"2024": {"issues": ["<b>未達成</b>の理由"]}},
            }
        ],
        "indicators": [
            {
                "id": "a-1",
                "node": "a",
                "kind": "kpi",
                "name": "件数 & 割合",
                "unit": "件",
                "targets": {"2024": "10件", "2025": "20件"},
                "values": {"2024": {"value": "3件"}},
            }
        ],
    }


def test_texts_from_departments_are_escaped():
    plan = plan_from_dict(_small_plan())
    html = render_report(plan, 2024, "html").decode("utf-8")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>未達成</b>" not in html and "&lt;b&gt;未達成&lt;/b&gt;の理由" in html
    assert "件数 &amp; 割合" in html
    assert "テスト\\3c 計画\\3e " in html  # the running header, as a CSS string


def test_a_plan_with_one_level_and_its_own_rules():
    rules = {
        "name": "独自ルール",
        "rate": {"rounding": "half_up", "decimals": 0},
        "grades": [
            {
                "level": "分野",
                "bands": [{"min": "80", "label": "良好", "symbol": "S"}, {"min": None, "label": "要改善", "symbol": "C"}],
                "no_data": "未測定",
            }
        ],
    }
    plan = plan_from_dict(_small_plan(**rules))
    report = build_report(plan, 2024)
    kpi = next(b for s in report.sections for b in s.blocks if isinstance(b, Table) and b.css == "kpi")
    assert [c.text for c in kpi.body[1]] == ["実績値", "3件", "―"]  # 2025 is after the report year
    assert [c.text for c in kpi.body[2]] == ["達成率", "30％", "―"]  # 3 ÷ 10, no decimals
    assert kpi.body[2][1].number == Decimal("30") and kpi.body[2][1].number_format == '#,##0"%"'
    statuses = [b.text for s in report.sections for b in s.blocks if getattr(b, "css", "") == "status"]
    assert statuses == ["要改善"]
    table = next(b for s in report.sections for b in s.blocks if isinstance(b, Table) and b.css == "criteria")
    assert [row[0].text for row in table.body] == ["S 良好", "C 要改善"]
    assert table.body[0][1].text == "分野のＫＰＩ達成率の平均が 80% 以上"
    xlsx = openpyxl.load_workbook(io.BytesIO(render_report(plan, 2024, "xlsx")))
    assert xlsx.sheetnames[0] == "目次" and len(xlsx.sheetnames) == 1 + len(report.sections)


def test_cli_writes_each_format_and_refuses_others(tmp_path: Path):
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "hyoka.cli", "report", *args], capture_output=True, text=True)

    out = tmp_path / "r.xlsx"
    done = run(str(sample_path("hiratsuka-juten")), "--year", "令和6年度", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert openpyxl.load_workbook(out).sheetnames[0] == "目次"
    bad = run("kanagawa-dx", "--year", "2024", "-o", str(tmp_path / "r.txt"))
    assert bad.returncode == 2 and "r.txt" in bad.stderr and ".pdf" in bad.stderr
    missing = run("no-such-plan", "--year", "2024", "-o", str(tmp_path / "r.html"))
    assert missing.returncode == 2 and "no-such-plan" in missing.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.xlsx"]


def test_a_broken_plan_file_exits_2_naming_the_place(tmp_path: Path):
    doc = copy.deepcopy(_small_plan())
    doc["indicators"][0]["values"]["2024"]["value"] = "たくさん"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "hyoka.cli", "report", str(path), "--year", "2024", "-o", str(tmp_path / "r.html")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "indicators[0]" in done.stderr
    assert not (tmp_path / "r.html").exists()


def test_every_sample_renders_html_with_valid_charts():
    for name in ("kanagawa-sousei-3", "kanagawa-dx", "hiratsuka-juten"):
        plan: Plan = plan_from_dict(json.loads(sample_path(name).read_text(encoding="utf-8")))
        report = build_report(plan, 2024)
        for section in report.sections:
            for block in section.blocks:
                svg = getattr(block, "svg", None)
                if svg:
                    root = ElementTree.fromstring(svg)
                    assert root.find("{http://www.w3.org/2000/svg}title").text
                    assert Decimal(root.get("width")) > 0


def test_the_councils_review_is_printed_when_present(sousei_plan):
    plan = copy.deepcopy(sousei_plan)
    goal = plan.node_by_id["2"]
    goal.reviews[2024] = Review(
        grade="Ｂ（概ね順調）", comments=["観光の回復は<順調>だが、県西地域の人口は減少が続く。"], answer="県西地域の施策を強化する。"
    )
    report = build_report(plan, 2024)
    section = next(s for s in report.sections if s.anchor == "goal-2")
    texts = [getattr(b, "text", "") for b in section.blocks] + [i for b in section.blocks for i in getattr(b, "items", ())]
    assert "二次評価" in texts and "評価: Ｂ（概ね順調）" in texts and "担当課の対応: 県西地域の施策を強化する。" in texts
    html = render_report(plan, 2024, "html").decode("utf-8")
    assert "観光の回復は&lt;順調&gt;だが" in html
    others = [s for s in report.sections if s.anchor.startswith("goal-") and s.anchor != "goal-2"]
    assert all("二次評価" not in [getattr(b, "text", "") for b in s.blocks] for s in others)


def test_a_later_year_shows_each_years_rate_from_its_own_evaluation():
    doc = json.loads(sample_path("kanagawa-sousei-3").read_text(encoding="utf-8"))
    kpi = next(i for i in doc["indicators"] if i["id"] == "1-1-1-k1")
    kpi["values"]["2025"] = {"value": "240 件", "status": "confirmed"}
    plan = plan_from_dict(doc)
    report = build_report(plan, 2025)
    table = next(b for s in report.sections for b in s.blocks if isinstance(b, Table) and b.css == "kpi")
    assert [c.text for c in table.head[0]][1:] == ["2022", "2023", "2024", "2025", "2026", "2027"]
    assert [c.text for c in table.body[1]] == ["実績値", "132 件", "178 件", "216 件", "240 件", "―", "―"]
    assert [c.text for c in table.body[2]] == ["達成率", "", "", "108.0％", "106.6％", "―", "―"]  # 240 / 225, truncated


def test_kpis_held_above_the_graded_level_get_their_table(sousei_plan):
    plan = copy.deepcopy(sousei_plan)
    moved = plan.indicator_by_id["1-1-1-k1"]
    moved.node = "1-1"  # a KPI of the 中柱, above the graded 小柱
    plan.reindex()
    report = build_report(plan, 2024)
    tables = [b for b in report.sections[3].blocks if isinstance(b, Table) and b.css == "kpi"]
    assert tables[0].caption == "（1） 成長産業の創出・育成、産業の集積 の指標"
    assert tables[0].body[0][0].text == "未病産業関連商品の事業化件数〔累計〕"
    assert all(row[0].text != "未病産業関連商品の事業化件数〔累計〕" for t in tables[1:] for row in t.body)


def test_indicators_of_every_kind_at_the_graded_level_are_shown_once():
    doc = _small_plan()
    doc["indicators"].append(
        {"id": "a-t", "node": "a", "kind": "numeric_target", "name": "満足度", "unit": "%", "targets": {"2025": "80%"}}
    )
    report = build_report(plan_from_dict(doc), 2024)
    section = report.sections[3]
    tables = [b for b in section.blocks if isinstance(b, Table)]
    assert [t.css for t in tables] == ["kpi"]
    assert tables[0].head[0][0].text == "指標"  # a KPI and a 数値目標 together
    assert [row[0].text for row in tables[0].body if row[0].rowspan > 1] == ["件数 & 割合", "満足度"]


def test_excel_report_keeps_formula_like_texts_as_texts(city_plan):
    """A plan's text that begins with = (=HYPERLINK(…)) is a text cell shown as written, never a formula that runs;
    texts beginning with - (a printed negative figure) keep no apostrophe, as the report is never read back."""
    doc = plan_to_dict(city_plan)
    doc["plan"]["name"] = '=HYPERLINK("http://evil.example","x")'
    doc["nodes"][0]["name"] = "=1+1"
    wb = openpyxl.load_workbook(io.BytesIO(render_report(plan_from_dict(doc), 2024, "xlsx")))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    hostile = [c for c in cells if c.value.startswith("=")]
    print(f"{len(hostile)} cells begin with =: types {sorted({c.data_type for c in hostile})}")
    assert hostile and all(c.data_type == "s" for c in hostile)
    assert any(c.value == '=HYPERLINK("http://evil.example","x")' for c in hostile)
