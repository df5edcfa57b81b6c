"""The rule set in words (hyoka.core.method), the table marks (hyoka.core.notation) and the SVG charts."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from xml.etree import ElementTree

from hyoka.core.method import describe_rules
from hyoka.core.notation import indicator_marks, pending_text, value_text
from hyoka.core.rules import parse_rules
from hyoka.formats.hyoka1 import value_from_dict
from hyoka.reports.charts import Point, chart_of, distribution_chart, grouped, series_chart, words_for

SVG = "{http://www.w3.org/2000/svg}"


def test_seed_000_criteria_from_the_sousei_preset(sousei_plan):
    method = describe_rules(sousei_plan.rules, {"ratio", "progress"})
    (table,) = method.tables
    assert table.head == ("評価の区分", "判断基準")
    assert [(r.label, r.condition) for r in table.rows] == [
        ("順調に進んでいます", "小柱のＫＰＩ達成率の平均が 90% 以上"),
        ("概ね順調に進んでいます", "小柱のＫＰＩ達成率の平均が 75% 以上 90% 未満"),
        ("やや遅れています", "小柱のＫＰＩ達成率の平均が 60% 以上 75% 未満"),
        ("遅れています", "小柱のＫＰＩ達成率の平均が 60% 未満"),
    ]
    assert any("0〜100% の範囲" in n for n in table.notes)
    assert any("ＫＰＩ未把握" in n for n in table.notes)
    assert "達成率は小数第2位以下を切り捨てして表示します。" in method.rate
    assert not any("目標値 ÷ 実績値" in s for s in method.rate)  # inverse_ratio is not used


def test_seed_001_criteria_from_the_dx_preset(dx_plan):
    method = describe_rules(dx_plan.rules)
    (table,) = method.tables
    assert [(r.symbol, r.label, r.condition) for r in table.rows] == [
        ("◎", "達成", "実績値の目標値に対する割合が 100% 以上"),
        ("○", "概ね達成", "実績値の目標値に対する割合が 80% 以上 100% 未満"),
        ("△", "未達成", "実績値の目標値に対する割合が 80% 未満"),
        ("■", "集計中", "実績値が集計中（把握予定）"),
        ("―", "指標未設定", "成果指標または目標値が設定されていない"),
    ]
    assert any("最も低い判定" in n for n in table.notes)


def test_any_rule_set_is_described():
    rules = parse_rules(
        {
            "rate": {"rounding": "half_up", "decimals": 0, "cap": "120"},
            "judgement": {"bands": [{"min": "100", "symbol": "A", "label": "達成"}, {"min": None, "symbol": "B", "label": "未達"}]},
            "grades": [
                {
                    "level": "施策",
                    "source": "judgements",
                    "count": ["A"],
                    "bands": [{"min": "50", "label": "良"}, {"min": None, "label": "不良"}],
                },
                {"level": "plan", "source": "grades", "of_level": "施策", "aggregate": "min", "bands": [{"min": None, "label": "全体"}]},
            ],
        }
    )
    method = describe_rules(rules)
    assert "達成率は 120% を上限として表示・集計し、上限を超える場合は丸めた値を括弧内に示します。" in method.rate
    assert "達成率は小数第1位を四捨五入して表示します。" in method.rate
    conditions = [r.condition for t in method.tables for r in t.rows]
    assert "施策の判定済みの指標のうち A の割合が 50% 以上" in conditions
    assert "計画全体に属する施策の評価の値の最小値が すべて" in conditions
    assert [t.title for t in method.tables] == ["施策の評価の区分", "計画全体の評価の区分", "指標の判定の区分"]


def test_marks_and_cells(sousei_plan):
    by_id = sousei_plan.indicator_by_id
    assert indicator_marks(by_id["1-1-1-k1"]) == "〔累計〕"
    assert indicator_marks(by_id["4-3-3-k5"]) == "〔計画期間中の累計〕"
    assert indicator_marks(by_id["4-t1"]) == "《暦年》"
    assert pending_text("2026-09") == "2026 年９月頃把握予定"
    assert pending_text("2026-11") == "2026 年１１月頃把握予定"
    assert pending_text("2026") == "2026 年度中に把握予定"
    style = sousei_plan.rules.display

    def cell(ident: str) -> str:
        return value_text(by_id[ident].values[2024], by_id[ident].unit, style)

    assert cell("1-2-1-k1") == "2027 年９月頃把握予定"
    assert cell("3-3-1-k1") == "5,357 人 (見込値)※"  # as printed, its note's mark after the word
    assert cell("3-t1") == "1.08（概数※）"  # an estimate that says what kind, as printed
    assert cell("3-3-3-k1") == "―※"
    assert value_text(None, "", style) == "―"


def test_series_chart_is_accessible_svg_with_data_labels():
    points = [
        Point(2022, Decimal("132")),
        Point(2023, Decimal("-5.5")),
        Point(2024, Decimal("216"), True, Decimal("200")),
        Point(2025, None, False, Decimal("225")),
    ]
    root = ElementTree.fromstring(series_chart("c1", "事業化件数 <累計>", "件", "年度", points))
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-t c1-d"
    assert root.find(f"{SVG}title").text == "事業化件数 <累計>"
    desc = root.find(f"{SVG}desc").text
    assert "2024年: 実績（見込） 216件、目標 200件" in desc and "2023年: 実績 -5.5件" in desc
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"132", "-5.5", "216(見込)", "200", "225", "（年度）", "（件）", "2022", "2025"} <= set(texts)
    assert len(list(root.iter(f"{SVG}rect"))) == 3 + 2  # three bars and the two legend boxes


def test_distribution_chart_and_labels():
    root = ElementTree.fromstring(distribution_chart("d", "分布", [("◎ 達成", 126, "74.6％"), ("△ 未達成", 0, "")]))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "126件（74.6％）" in texts and "0件" in texts
    assert grouped(Decimal("353716")) == "353,716" and grouped(Decimal("12.50")) == "12.50" and grouped(Decimal("-1000")) == "-1,000"


def test_long_titles_are_wrapped_not_cut():
    title = "県の支援を受けて開発された医薬品、再生医療等製品、医療機器の薬事申請等の届出件数"
    root = ElementTree.fromstring(series_chart("w", title, "件", "年度", [Point(2024, Decimal(32), False, Decimal(31))]))
    lines = [t.text for t in root.iter(f"{SVG}text") if t.get("font-weight") == "bold"]
    assert len(lines) == 2 and "".join(lines) == title
    assert int(root.get("height")) == 212  # the plot moved down by one title line
    long_label = "目標を大きく上回って順調に進んでいます"
    root = ElementTree.fromstring(distribution_chart("x", "分布", [(long_label, 3, "")]))
    assert long_label in [t.text for t in root.iter(f"{SVG}text")]


def _marks(svg: str, css: str) -> list[ElementTree.Element]:
    return [e for e in ElementTree.fromstring(svg).iter() if e.get("class") == css]


def test_a_numeric_target_is_drawn_with_its_whole_series(sousei_plan):
    """Seed 000 draws 完全失業率-like 数値目標 as every actual so far and the final target (11.5 / 12.4 / 12.5 → 10.5)."""
    ind = copy.deepcopy(sousei_plan.indicator_by_id["1-t4"])  # １人当たり月所定外労働時間: 2024 actual, 2027 target
    for year, text in ((2022, "11.5 時間"), (2023, "12.4 時間"), (2025, "12.0 時間")):
        ind.values[year] = value_from_dict(text, f"values.{year}")
    chart = chart_of(ind, ind, (2024, 2027), upto=2024)  # the 2025 value is after the year reported on
    assert chart is not None
    root = ElementTree.fromstring(chart.svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert [t for t in texts if t and t.isdigit() and len(t) == 4] == ["2022", "2023", "2024", "2025", "2026", "2027"]
    assert len(_marks(chart.svg, "actual")) == 3 and len(_marks(chart.svg, "target")) == 1
    assert {"11.5", "12.4", "12.5", "10.5"} <= set(texts) and "12" not in texts
    assert "2023年: 実績 12.4時間" in chart.words and "2027年: 目標 10.5時間" in chart.words


def test_pending_years_are_marked_in_the_pages_language(sousei_plan):
    ind = sousei_plan.indicator_by_id["1-t1"]  # 実質県内総生産: the 2024 figure comes in 2027
    ja, en = (chart_of(ind, ind, (2024, 2027), upto=2024, words=words_for(lang)) for lang in ("ja", "en-us"))
    assert ja is not None and en is not None
    (mark,) = _marks(ja.svg, "pending")
    assert mark.get("stroke-dasharray") and "把握予定" in ja.svg and "2024年: 把握予定" in ja.words
    assert "Pending" in en.svg and "2024: Pending" in en.words and "把握予定" not in en.svg
    assert "Target" in en.svg and "実績値" not in en.svg


def test_pixel_positions_are_short_decimals():
    """Coordinates are plain floats written with one decimal; the labels keep every digit entered."""
    points = [Point(2024, Decimal("1234.5678"), False, Decimal("1000")), Point(2025, Decimal("1E+1"), False, Decimal("33.3333"))]
    svg = series_chart("f", "t", "件", "年度", points)
    numbers = re.findall(r' (?:x|y|x1|x2|y1|y2|width|height|cx|cy)="([^"]+)"', svg)
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d)?", n) for n in numbers), numbers
    assert "1,234.5678" in svg and "33.3333" in svg


def test_a_chart_drawn_again_keeps_the_figures_as_written():
    """The plot of a chart is made once for its pages in both languages; 12.5 and 12.50 are equal
    Decimals, but a chart of 12.50 prints 12.50 even after one of 12.5 was drawn."""

    def drawn(figure: str) -> str:
        return series_chart("x", "t", "%", "年度", [Point(2024, Decimal(figure), False, Decimal(figure))], words_for("en"))

    assert ">12.5<" in drawn("12.5") and ">12.50<" in drawn("12.50") and ">12.50<" not in drawn("12.5")
