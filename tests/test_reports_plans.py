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
from printed import same_figure, squash

from hyoka import plan_from_dict
from hyoka.core.model import Plan, Review
from hyoka.formats.hyoka1 import plan_to_dict
from hyoka.reports import build_report, render_report
from hyoka.reports.document import Box, Bullets, Heading, Paragraph, Report, Table
from hyoka.samples import sample_path


def summary_table(report: Any) -> Table:
    return next(b for s in report.sections for b in s.blocks if isinstance(b, Table) and b.caption.startswith("指標の判定の集計"))


@pytest.fixture(scope="module")
def dx_report(dx_plan) -> Report:
    return build_report(dx_plan, 2024)


# --- seed 001: the DX plan's 点検報告書 -------------------------------------------------------------


def test_dx_gets_seed_001s_inspection_report(dx_report):
    assert dx_report.title == "神奈川ＤＸ計画 令和６年度点検報告書" and not dx_report.draft
    assert [s.title for s in dx_report.sections] == [
        "１ 神奈川ＤＸ計画",
        "２ 令和６年度の取組",
        "３ 今後の取組",
        "別紙 施策別成果指標達成状況一覧（令和６年度）",
    ]
    heads = [[b.text for b in s.blocks if isinstance(b, Heading) and b.level == 2] for s in dx_report.sections]
    assert heads[:2] == [
        ["(1) 概要及び位置付け", "(2) 構成", "(3) 点検報告書作成の趣旨"],
        ["(1) 全体", "(2) 「くらしのデジタル化」の主な取組", "(3) 「行政のデジタル化」の主な取組"],
    ]
    outlook = [b.text for b in dx_report.sections[2].blocks]
    assert outlook == [
        "計画の推進に当たっては、国の動向やデジタル技術の情勢など、県を取り巻く環境に留意しながら、デジタル部門が施策に取り組んでいる所管課に助言や情報提供、支援を行い、計画の着実な推進に取り組みます。"
    ]
    structure = next(b for b in dx_report.sections[0].blocks if isinstance(b, Table))
    assert [c.text for c in structure.head[0]] == ["くらしのデジタル化", "行政のデジタル化"]
    assert [c.text for c in structure.body[0]] == ["1 子ども・若者", "14 新しいデジタル技術の利活用"] and len(structure.body) == 13


def test_dx_overall_states_the_counts_as_printed(dx_report):
    """197 = 169 + 18 + 10 as seed 001 prints them (which 18 of the 45 ― rows it means, the 別紙 does not say)."""
    texts = [b.text for b in dx_report.sections[1].blocks if isinstance(b, Paragraph)]
    said = squash("".join(texts))
    assert "令和6年度は197施策に取り組み、成果指標を設定している169施策(※)の取組状況を点検しました。" in said
    assert "成果指標の設定がない18施策及び、5月16日時点で未集計の10施策を除く" in said
    assert (
        "126施策(74.6%)が「達成」、15施策(8.9%)が「概ね達成」となりました。「達成」と「概ね達成」を合わせると141施策(83.4%)となります。"
        in said
    )
    assert "「くらしのデジタル化」では105施策中、71施策(67.6%)が「達成」、11施策(10.5%)が「概ね達成」" in said
    assert "「行政のデジタル化」では64施策中、55施策(85.9%)が「達成」、4施策(6.3%)が「概ね達成」" in said
    assert "指標未設定" not in said  # the 45 ― rows are in the 別紙, not counted in the text
    table = summary_table(dx_report)
    assert [c.text for c in table.head[0]] == ["区分", "施策数", "達成率"]
    assert [c.text for c in table.head[1]] == ["達成", "概ね達成", "未達成", "計", "(集計中)", "達成", "概ね達成", "計"]
    rows = {row[0].text: [c.text for c in row[1:]] for row in table.body}
    assert rows["合計"] == ["126", "15", "28", "169", "(10)", "74.6％", "8.9％", "83.4％"]
    assert rows["くらしのデジタル化"] == ["71", "11", "23", "105", "(10)", "67.6％", "10.5％", "78.1％"]
    assert rows["行政のデジタル化"] == ["55", "4", "5", "64", "(0)", "85.9％", "6.3％", "92.2％"]


def test_dx_main_initiatives_are_seed_001s(dx_report, dx_ref):
    blocks = dx_report.sections[1].blocks
    labels = [b.text for b in blocks if isinstance(b, Paragraph) and b.css == "label"]
    featured = dx_ref["main_initiatives"]
    assert [squash(label) for label in labels] == [squash(f"{m['id']} {m['title']}") for m in featured]
    texts = [b.text for b in blocks if isinstance(b, Paragraph) and not b.css]
    assert all(m["text"] in texts for m in featured)
    areas = [b.text for b in blocks if isinstance(b, Heading) and b.level == 3]
    assert [a.split(" ", 1)[0] for a in areas] == [str(n) for n in range(1, 14)] + [str(n) for n in range(1, 10)]
    assert areas[13] == "1 新しいデジタル技術の利活用"  # numbered within 「行政のデジタル化」, as printed


def test_dx_appendix_has_every_measure_with_every_column(dx_report, dx_ref):
    table = next(b for b in dx_report.sections[3].blocks if isinstance(b, Table))
    assert [c.text for c in table.head[0]] == [
        "番号",
        "施策名",
        "とりまとめ局",
        "成果指標",
        "目標",
        "実績",
        "評価",
        "未達成の理由及び今後の見込み等",
    ]
    rows = [row for row in table.body if len(row) == 8]
    groups = [row[0].text for row in table.body if len(row) == 1]
    assert groups[:2] == ["くらしのデジタル化", "子ども・若者"] and "行政のデジタル化" in groups and len(groups) == 2 + 22
    assert len(rows) == len(dx_ref["measures"]) == 225
    compared = 0
    for row, m in zip(rows, dx_ref["measures"], strict=True):
        number, name, bureau, indicator, target, actual, mark, reason = (c.text for c in row)
        assert (number, name, bureau) == (m["id"], m["name"], m["bureau"])
        if m["value_kind"] == "abolished":
            assert indicator == "（施策見直しにより廃止）" and mark == ""
            continue
        assert mark == m["mark"].replace("◯", "○"), m["id"]
        assert squash(indicator.replace(" / ", "")) == squash(m["indicator"] or ""), m["id"]
        if m["value_kind"] in ("numeric", "qualitative", "pending", "none"):
            assert same_figure(target, m["target_text"]) and same_figure(actual, m["actual_text"]), (m["id"], target, actual)
            compared += 1
        if m["mark"] == "△":
            assert squash(reason) == squash(m["shortfall_explanation"]), m["id"]
        elif m["mark"] == "■":
            assert reason == m["pending_note"], m["id"]
        else:
            assert reason == "", m["id"]
    assert compared == 211
    assert [r[6].text for r in rows].count("―") == 45  # every 指標未設定 row, as printed
    numbers = next(r[4] for r in rows if r[0].text == "1-1")
    assert numbers.text == "50,000人" and numbers.number == 50000 and numbers.number_format == '#,##0"人"'  # 「５万人」 in 人


def test_dx_report_in_html_word_and_excel(dx_plan, report_file):
    html = report_file("kanagawa-dx", "html").read_text(encoding="utf-8")
    assert "<title>神奈川ＤＸ計画 令和６年度点検報告書</title>" in html and "評価報告書" not in html
    table = html[html.index("<caption>指標の判定の集計（件数と割合）") :]
    table = table[: table.index("</table>")]
    rows = [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", table)]
    assert ["合計", "126", "15", "28", "169", "(10)", "74.6％", "8.9％", "83.4％"] in rows
    document = docx.Document(str(report_file("kanagawa-dx", "docx")))
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["合計", "126", "15", "28", "169", "(10)", "74.6％", "8.9％", "83.4％"] in rows
    assert document.core_properties.title == "神奈川ＤＸ計画 令和６年度点検報告書"
    wb = openpyxl.load_workbook(report_file("kanagawa-dx", "xlsx"))
    assert wb.sheetnames == ["目次", "計画", "取組", "今後の取組", "別紙"]
    values = next([c.value for c in row] for row in wb["取組"].iter_rows() if row[0].value == "合計")
    assert values[1:9] == [126, 15, 28, 169, 10, 74.6, 8.9, 83.4]


# --- a city's 効果検証報告書 -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def verified(city_plan) -> Plan:
    """hiratsuka-juten with FY2024 figures for its first 施策: one KPI short of its target, one beyond it."""
    doc = plan_to_dict(city_plan)
    kpis = {i["id"]: i for i in doc["indicators"]}
    kpis["s1-1-k1"]["targets"]["2024"] = "98.0％"
    kpis["s1-1-k1"]["values"] = {"2024": {"value": "97.5％"}}
    kpis["s1-1-k2"]["targets"]["2024"] = "280 件"
    kpis["s1-1-k2"]["values"] = {"2024": {"value": "315 件"}}
    return plan_from_dict(doc)


def test_city_gets_the_effect_verification_layout(verified):
    report = build_report(verified, 2024)
    assert report.title == "平塚市総合計画 重点戦略 2024 年度効果検証報告書（案）" and report.draft  # FY2024 is open
    assert [s.title for s in report.sections] == ["評価の概要", *(f"{n.number} {n.name}" for n in verified.roots)]
    goal = report.sections[1]
    assert [b.text for b in goal.blocks if isinstance(b, Heading) and b.level == 2][:2] == [
        "数値目標と 2024 年度までの実績値",
        "（1） 希望する結婚・妊娠・出産がかなう",
    ]
    table = next(b for b in goal.blocks if isinstance(b, Table) and "kpi" in b.css)
    assert [c.text for c in table.head[0]] == ["ＫＰＩ", "基準値", "2024 年度", "目標値（2031 年度）", "達成率（2024 年度）"]
    assert [c.text for c in table.head[1]] == ["目標", "実績"]
    rows = [[c.text for c in row] for row in table.body]
    assert rows[0] == ["保育所等申込者に対する受入可能人数の割合", "97.0％\n（策定時実績値）", "98.0％", "97.5％", "100％", "99.5％"]
    assert rows[1] == [
        "正規雇用促進補助件数〔累計〕",
        "229 件\n（策定時実績値）",
        "280 件",
        "315 件",
        "589 件",
        "100.0％（112.5％）",
    ]  # capped, the rate in parentheses
    assert rows[2] == ["施策の評価（平均）　おおむね順調", "99.8％"]
    assert table.body[1][5].number == Decimal("100.0") and table.body[2][1].number == Decimal("99.8")
    texts = [getattr(b, "text", "") for b in goal.blocks]
    assert texts[-3:-1] == ["【重点戦略の評価】", "おおむね順調"]  # the goal's mean and its 評価
    summary = next(b for b in report.sections[0].blocks if isinstance(b, Table) and b.caption == "重点戦略ごとの評価")
    plan_row = [c.text for c in summary.body[-1]]
    assert plan_row == ["計画全体", "99.8％", "計画どおり進捗"]  # the plan's mean and its 評価
    assert [c.text for c in summary.body[0]] == ["重点戦略1 子どもを育む環境づくり", "99.8％", "おおむね順調"]


def test_city_plan_without_values(city_plan):
    report = build_report(city_plan, 2024)
    html = render_report(city_plan, 2024, "html").decode("utf-8")
    assert "実績未把握" in html
    assert "達成率は 100% を上限として表示・集計し" in html  # the cap of its rule set, in words
    assert "重点戦略に属する施策の評価の値の平均が 100% 以上" in html
    targets = next(b for b in report.sections[1].blocks if isinstance(b, Table) and b.css == "targets")
    assert [c.text for c in targets.head[0]] == ["数値目標", "基準値", "2024 年度 実績値", "目標値"]
    assert [c.text for c in targets.body[0]] == ["保育所等の待機児童数", "6 人（策定時実績値）", "―", "0 人（2031 年度）"]
    bullets = [b for b in report.sections[1].blocks if isinstance(b, Bullets)]
    assert bullets[0].title == "具体的な取組" and bullets[0].items[0].startswith("1 ")


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


def test_the_councils_review_is_printed_in_its_frame_when_written(sousei_plan):
    plan = copy.deepcopy(sousei_plan)
    goal = plan.node_by_id["2"]
    goal.reviews[2024] = Review(
        grade="Ｂ（概ね順調）", comments=["観光の回復は<順調>だが、県西地域の人口は減少が続く。"], answer="県西地域の施策を強化する。"
    )
    report = build_report(plan, 2024)
    boxes = {s.anchor: next(b for b in s.blocks if isinstance(b, Box)) for s in report.sections if s.anchor.startswith("goal-")}
    written = boxes["goal-2"]
    texts = [getattr(b, "text", "") for b in written.blocks] + [i for b in written.blocks for i in getattr(b, "items", ())]
    assert texts == [
        "評価",
        "Ｂ（概ね順調）",
        "",
        "担当課の対応: 県西地域の施策を強化する。",
        "観光の回復は<順調>だが、県西地域の人口は減少が続く。",
    ]
    assert written.blocks[2].title == "今後の取組に向けた意見"
    html = render_report(plan, 2024, "html").decode("utf-8")
    assert "観光の回復は&lt;順調&gt;だが" in html
    assert all(box.blocks == () for anchor, box in boxes.items() if anchor != "goal-2")  # the others stay empty frames


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
    tables = [b for b in report.sections[1].blocks if isinstance(b, Table) and b.css == "kpi"]
    assert tables[0].caption == "（1） 成長産業の創出・育成、産業の集積 の指標"
    assert tables[0].body[0][0].text == "未病産業関連商品の事業化件数〔累計〕"
    assert all(row[0].text != "未病産業関連商品の事業化件数〔累計〕" for t in tables[1:] for row in t.body)


def test_indicators_of_every_kind_at_the_graded_level_are_shown_once():
    doc = _small_plan()
    doc["indicators"].append(
        {"id": "a-t", "node": "a", "kind": "numeric_target", "name": "満足度", "unit": "%", "targets": {"2025": "80%"}}
    )
    report = build_report(plan_from_dict(doc), 2024)
    section = next(s for s in report.sections if s.anchor == "goal-a")
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
