"""Acceptance: the Kanagawa FY2024 評価報告書 (seed 000) in all four formats, set beside the published one.

The files are rendered once for the session (tests/conftest.py: report_file) and kept
under artifacts/reports/; the PDF's pages are saved as PNG there for people to look at.
The tables are checked cell by cell against ../shared/reference/kanagawa_2024.json.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
import zipfile
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from fontTools.ttLib import TTCollection
from printed import same_figure, squash

from hyoka import evaluate
from hyoka.core.model import Plan
from hyoka.core.notation import marked_name
from hyoka.formats.evaluation import evaluation_dict
from hyoka.reports import build_report
from hyoka.reports.document import Box, Chart, Heading, Report, Section, Table

PLAN = "kanagawa-sousei-3"
YEARS = [str(y) for y in range(2022, 2028)]


@pytest.fixture(scope="module")
def sousei_doc(sousei_plan: Plan) -> dict[str, Any]:
    return evaluation_dict(evaluate(sousei_plan, 2024))


@pytest.fixture(scope="module")
def sousei_report(sousei_plan: Plan) -> Report:
    return build_report(sousei_plan, 2024)


@pytest.fixture(scope="module")
def sousei_pdf(report_file) -> Path:
    return report_file(PLAN, "pdf")


@pytest.fixture(scope="module")
def pdf_text(sousei_pdf: Path) -> str:
    # -raw keeps the order the text was drawn in, so a name wrapped in a table cell stays whole.
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(sousei_pdf), "-"], check=True, capture_output=True, text=True)
    return out.stdout


@pytest.fixture(scope="module")
def sousei_docx(report_file) -> Any:
    return docx.Document(str(report_file(PLAN, "docx")))


@pytest.fixture(scope="module")
def sousei_xlsx(report_file) -> Any:
    return openpyxl.load_workbook(report_file(PLAN, "xlsx"))


def printed_rates(doc: dict[str, Any]) -> list[str]:
    rates = []
    for ind in doc["indicators"]:
        for r in ind.get("parts") or [ind]:
            if r["rate"] is not None:
                rates.append(f"{r['rate']}％")
    return rates


def tables(report: Report, css: str = "") -> list[Table]:
    return [b for s in report.sections for b in s.blocks if isinstance(b, Table) and (not css or b.css == css)]


def headings(section: Section, level: int) -> list[str]:
    return [b.text for b in section.blocks if isinstance(b, Heading) and b.level == level]


# --- the layout of seed 000 ----------------------------------------------------------------------


def test_sections_follow_seed_000(sousei_report, sousei_ref):
    sections = sousei_report.sections
    assert sousei_report.title == "第３期神奈川県まち・ひと・しごと創生総合戦略 2024 年度評価報告書"
    assert [s.title for s in sections] == [
        "評価の概要",
        *(
            f"基本目標{unicodedata.normalize('NFKC', g['id']).translate(str.maketrans('1234', '１２３４'))} {g['name']}"
            for g in sousei_ref["goals"]
        ),
        "地方創生に関する市町村との連携推進",
    ]
    overview = sections[0]
    assert headings(overview, 2) == [
        "神奈川県まち・ひと・しごと創生総合戦略の概要",
        "計画の全体像",
        "評価報告書作成の趣旨",
        "第３期総合戦略の体系とロジックモデル",
        "今年度の評価方法",
        "達成率の算出方法",
        "凡例",
        "評価結果の概要",
        "神奈川県地方創生推進会議の評価",
    ]
    assert headings(overview, 3)[:2] == ["地方創生が始まった背景", "略年表"]
    texts = [b.text for b in overview.blocks if hasattr(b, "text")]
    assert any(t.startswith("国では、2014 年 11 月に、少子高齢化の進展に的確に対応し") for t in texts)  # 背景, from the seed's text
    assert any(t.startswith("■ 二次評価の方法") for t in texts)
    council = next(b for b in overview.blocks if isinstance(b, Box))
    assert council.blocks == () and "委員意見（全体の評価）" in council.empty  # an empty frame until the council writes
    closing = sections[5].blocks
    assert closing[0].text.startswith("○ 県では、2015 年度の地方版総合戦略の策定時から") and len(closing) == 7


def test_each_goal_has_its_parts_in_seed_000s_order(sousei_report, sousei_ref):
    for section, goal in zip(sousei_report.sections[1:5], sousei_ref["goals"], strict=True):
        kinds = [type(b).__name__ for b in section.blocks]
        texts = [getattr(b, "text", "") for b in section.blocks]
        assert texts[:2] == ["ねらい", goal["aim"]]
        assert kinds[2:4] == ["Tree", "Box"]  # the 体系図, then the 二次評価 frame (empty: the council has not met)
        box = section.blocks[3]
        assert box.title == "神奈川県地方創生推進会議による二次評価" and box.blocks == ()
        assert texts[4] == "数値目標と 2024 年度までの実績値"
        small = [m["name"] for m in goal["mid_pillars"] for m in m["small_pillars"]]
        assert [h.split(" ", 1)[1] for h in headings(section, 3)] == small
        paged = [b for b in section.blocks if isinstance(b, Heading) and b.page]
        assert len(paged) == len(small)  # each 小柱 starts a page (the first of a 中柱 with its heading)


def test_kpi_tables_are_seed_000s_cell_by_cell(sousei_report, sousei_ref):
    kpi = tables(sousei_report, "kpi")
    small = [s for g in sousei_ref["goals"] for m in g["mid_pillars"] for s in m["small_pillars"]]
    assert len(kpi) == len(small) == 36
    assert [c.text for c in kpi[0].head[0]] == ["ＫＰＩ（重要業績評価指標）", *YEARS]
    checked = 0
    for table, pillar in zip(kpi, small, strict=True):
        rows = [[c.text for c in row] for row in table.body]
        assert len(rows) == 3 * len(pillar["kpis"])
        for k, ref in enumerate(pillar["kpis"]):
            name, target, actual, rate = rows[3 * k : 3 * k + 4][0], rows[3 * k], rows[3 * k + 1], rows[3 * k + 2]
            assert squash(name[0]) == squash(ref["label"]), ref["label"]
            assert [squash(t) for t in target[2:]] == [squash(ref["target_texts"].get(y, "")).replace("―", "") for y in YEARS], ref["label"]
            # a year the seed leaves blank and one it marks ― are both without a figure: hyoka prints ―
            assert [squash(t) for t in actual[1:]] == [squash(ref["actual_texts"].get(y) or "―") for y in YEARS], ref["label"]
            if ref["reported_rate_2024"] is not None or ref["reported_rate_2024_by_group"]:
                printed = squash(ref["reported_rate_text"])
                if re.fullmatch(r"-?[\d.]+%", printed):  # seed 000 prints 0％ where the rule's one decimal gives 0.0％
                    assert Decimal(squash(rate[3]).rstrip("%")) == Decimal(printed.rstrip("%")), ref["label"]
                else:
                    assert squash(rate[3]) == printed, ref["label"]
                checked += 1
    assert checked == 84


def test_numeric_targets_are_seed_000s(sousei_report, sousei_ref):
    targets = tables(sousei_report, "targets")
    assert len(targets) == 4
    for table, goal in zip(targets, sousei_ref["goals"], strict=True):
        assert [c.text for c in table.head[0]] == ["数値目標", "2024 年度 実績値", "目標値"]
        for row, ref in zip(table.body, goal["numeric_targets"], strict=True):
            name, actual, target = (c.text for c in row)
            assert squash(name) == squash(ref["label"])
            assert same_figure(actual, ref["actual_2024_text"]), (actual, ref["actual_2024_text"])
            printed = re.sub(r"[（(]\d{4} 年度[)）]$", "", ref["target_2027_text"])  # the year is in our cell's parentheses
            assert same_figure(re.sub(r"（[^）]*年度?）$", "", target), printed), (target, ref["target_2027_text"])
    by_name = {row[0].text: row for t in targets for row in t.body}
    assert by_name["希望出生率の実現《暦年》"][1].text == "1.08（概数※）"  # the mark as printed, not 「(見込値)」
    assert by_name["県内の温室効果ガス排出量の削減割合（2013 年度比）"][2].text == "50％削減（2030 年度）"
    goal3 = sousei_report.sections[3].blocks
    notes = [b.text for b in goal3 if getattr(b, "css", "") == "note" and "人口動態統計" in b.text]
    assert notes == ["※厚生労働省「人口動態統計月報年計（概数）」の値。確定値は 2025 年９月頃公表予定。"]


def test_footnotes_are_printed_once_under_their_table(sousei_report, sousei_plan):
    section = sousei_report.sections[4]
    notes = [b.text for b in section.blocks if getattr(b, "css", "") == "note" and b.text.startswith("※")]
    kpis = [i for i in sousei_plan.indicator_by_id.values() if "※2022・2023 単年度の実績値" in i.footnotes]
    assert len(kpis) == 3 and len({i.node for i in kpis}) == 1  # three KPIs of one table carry the note
    assert notes.count("※2022・2023 単年度の実績値") == 1 and len(notes) == len(set(notes))


def test_the_charts_of_the_numeric_targets_draw_the_whole_series(sousei_report):
    charts = [b for b in sousei_report.sections[1].blocks if isinstance(b, Chart)]
    hours = next(c for c in charts if c.title == "１人当たり月所定外労働時間")
    for said in ("2022年: 実績 11.5時間", "2023年: 実績 12.4時間", "2024年: 実績 12.5時間", "2027年: 目標 10.5時間"):
        assert said in hours.description
    # a 数値目標 with one actual gets no near-empty chart: its two figures are in the table
    assert "黒字企業の割合" not in [c.title for c in charts]


def test_no_invented_department_is_printed(sousei_report, sousei_plan, pdf_text):
    """The sample's departments per 小柱 are the converter's illustration (x-assumed), not seed 000's."""
    assert all(n.departments for n in sousei_plan.nodes if n.level == "小柱")
    said = [b.text for s in sousei_report.sections for b in s.blocks if getattr(b, "text", "").startswith("担当")]
    assert said == []
    assert "担当:" not in pdf_text and "政策局" not in pdf_text


# --- PDF ---------------------------------------------------------------------------------------


def test_pdf_has_every_kpi_name_rate_and_status(pdf_text, sousei_plan, sousei_doc):
    text = squash(pdf_text)
    missing = [i.name for i in sousei_plan.indicators if squash(marked_name(i)) not in text]
    assert missing == []
    rates = printed_rates(sousei_doc)
    assert len(rates) == 85
    assert [r for r in rates if squash(r) not in text] == []
    small = [n for n in sousei_doc["nodes"] if n["level"] == "小柱"]
    assert len(small) == 36
    for node in small:
        assert squash(node["explanation"]) in text, node["id"]
    for label in ("順調に進んでいます", "概ね順調に進んでいます", "やや遅れています", "ＫＰＩ未把握", "【ＫＰＩ達成率を基にした進捗状況】"):
        assert squash(label) in text


def test_pdf_prints_pending_estimates_and_marks(pdf_text):
    text = squash(pdf_text)
    assert "2027年9月頃把握予定" in text  # 1-2-1-k1, the value of 2024 is pending
    assert "5,357人(見込値)※" in text  # 3-3-1-k1
    assert "―※" in text  # unmeasurable, 3-3-3-k1
    assert "〔累計〕" in text and "〔総数〕" in text and "《暦年》" in text and "〔計画期間中の累計〕" in text
    assert "【令和7年3月改定版で追加】" in text
    assert "小100.5%" in text  # a KPI with parts 小/中
    assert "小柱のKPI達成率の平均が90%以上" in text and "小柱のKPI達成率の平均が60%未満" in text


def test_pdf_pages_fonts_and_headers(sousei_pdf, pdf_text, sousei_plan):
    info = subprocess.run(["pdfinfo", str(sousei_pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 60 <= pages <= 160  # 36 小柱 of a page or two each, plus the front matter
    assert "595.276 x 841.89 pts (A4)" in info
    assert re.search(r"Title:\s+第３期神奈川県まち・ひと・しごと創生総合戦略 2024 年度評価報告書", info)  # the metadata says what it is
    fonts = subprocess.run(["pdffonts", str(sousei_pdf)], check=True, capture_output=True, text=True).stdout
    assert "Noto-Sans-CJK-JP" in fonts
    assert "Type 3" not in fonts
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert all(row[-5] == "yes" for row in rows)  # every font embedded
    assert f"{pages}/{pages}" in squash(pdf_text)  # page numbers "n / N"
    assert pdf_text.count(sousei_plan.name) > pages // 2  # the running header


def test_pdf_glyphs_are_in_the_embedded_font(pdf_text):
    """Every character printed exists in Noto Sans CJK JP, so none is drawn as a box."""
    path = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK JP"], check=True, capture_output=True, text=True).stdout
    collection = TTCollection(path)
    cmap = collection.fonts[0].getBestCmap()
    missing = sorted({ch for ch in pdf_text if not ch.isspace() and ord(ch) not in cmap})
    assert missing == []
    assert sum(1 for ch in pdf_text if "\u3040" <= ch <= "\u9fff") > 20000  # real Japanese text


def test_pdf_pages_saved_as_png(sousei_pdf):
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm (poppler-utils) is required")
    folder = sousei_pdf.parent
    prefix = folder / f"{PLAN}-2024-page"
    for old in folder.glob(f"{prefix.name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(sousei_pdf), str(prefix)], check=True)
    pngs = sorted(folder.glob(f"{prefix.name}-*.png"))
    assert len(pngs) > 60
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)


def test_pdf_charts_are_vector_with_their_labels(pdf_text, sousei_report):
    charts = [b for s in sousei_report.sections for b in s.blocks if isinstance(b, Chart)]
    series = [c for c in charts if "series" in c.css.split()]
    assert len(series) > 80  # every KPI and 数値目標 with a trend to draw
    # the year labels of each chart are text in the PDF (drawn as vectors, not a picture), beside the KPI tables' heads
    assert pdf_text.count("2027") >= len(series) + len(tables(sousei_report, "kpi"))
    assert "小柱の評価の分布" in pdf_text


def test_pdf_text_stays_inside_the_page_margins(sousei_pdf):
    """No table or chart is wider than the text block: every word lies between the side margins."""
    out = subprocess.run(["pdftotext", "-bbox", str(sousei_pdf), "-"], check=True, capture_output=True, text=True).stdout
    margin = 14 / 25.4 * 72 - 1  # the 14 mm side margins of report.css, less a point
    words = 0
    for width, body in re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', out, re.S):
        for x1, x2 in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', body):
            words += 1
            assert margin <= float(x1) and float(x2) <= float(width) - margin, (x1, x2)
    assert words > 9000


# --- Word --------------------------------------------------------------------------------------


def test_word_has_the_same_tables(sousei_docx, sousei_report):
    source = tables(sousei_report)
    every = sousei_docx.tables
    pictures = [t for t in every if t._tbl.xpath(".//w:drawing")]  # charts side by side, each under its title
    frames = [t for t in every if len(t.columns) == 1 and len(t.rows) == 1]
    grids = [t for t in every if t not in pictures and t not in frames]
    assert len(grids) == len(source)
    for table, grid in zip(source, grids, strict=True):
        rows = grid.rows
        for r, c, cell, _head in table.placed():
            assert rows[r].cells[c].text == cell.text, (table.caption, r, c)
    assert len(frames) == 5  # the council's 評価 and the 二次評価 of each 基本目標


def test_word_has_real_headings_a_contents_field_and_office_fonts(sousei_docx, sousei_report, sousei_plan, report_file):
    heads = [p.text for p in sousei_docx.paragraphs if p.style.name == "Heading 1"]
    assert heads == ["目次", *(s.title for s in sousei_report.sections)]
    small = [p.text for p in sousei_docx.paragraphs if p.style.name == "Heading 3"]
    assert len([h for h in small if h[:1] in "①②③④⑤"]) == 36
    names = {c.text for t in sousei_docx.tables for row in t.rows for c in row.cells}
    assert {marked_name(i) for i in sousei_plan.indicators if i.kind == "kpi" and not i.added_in} <= names
    with zipfile.ZipFile(report_file(PLAN, "docx")) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
        styles = archive.read("word/styles.xml").decode("utf-8")
        settings = archive.read("word/settings.xml").decode("utf-8")
    assert re.search(r'<w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText>', body)
    assert body.count('w:fldCharType="begin"') >= 1 and "<w:updateFields" in settings  # Word refreshes it on opening
    assert 'w:eastAsia="游明朝"' in styles and 'w:eastAsia="游ゴシック"' in styles
    assert "Noto" not in styles + body


def test_word_has_every_chart_as_a_picture_with_its_text(sousei_docx, sousei_report):
    charts = [b for s in sousei_report.sections for b in s.blocks if isinstance(b, Chart)]
    shapes = sousei_docx.inline_shapes
    assert len(shapes) == len(charts) > 80  # the KPI charts too
    assert [s._inline.docPr.get("title") for s in shapes] == [c.title for c in charts]
    assert [s._inline.docPr.get("descr") for s in shapes] == [c.description for c in charts]


# --- Excel -------------------------------------------------------------------------------------


def test_excel_has_a_sheet_per_section_and_numbers_as_numbers(sousei_xlsx, sousei_report, sousei_doc):
    assert sousei_xlsx.sheetnames == ["目次", *(s.sheet for s in sousei_report.sections)]
    assert sousei_xlsx["目次"]["A1"].value == sousei_report.title and sousei_xlsx.properties.title == sousei_report.title
    rates = []
    for section in sousei_report.sections[1:5]:
        ws = sousei_xlsx[section.sheet]
        heads = [row for row in ws.iter_rows() if row[0].value == "ＫＰＩ（重要業績評価指標）"]
        column = [c.value for c in heads[0]].index("2024")
        rates += [
            Decimal(str(row[column].value))
            for row in ws.iter_rows()
            if row[1].value == "達成率" and isinstance(row[column].value, (int, float))
        ]
    # every printed rate of an indicator without parts is a number cell of its KPI table, shown as printed
    single = [f"{i['rate']}％" for i in sousei_doc["indicators"] if i["rate"] is not None and not i.get("parts") and i["kind"] == "kpi"]
    assert sorted(rates) == sorted(Decimal(r.rstrip("％")) for r in single) and len(rates) == 83
    row = next(r for r in sousei_xlsx["基本目標１"].iter_rows() if r[0].value == "未病産業関連商品の事業化件数〔累計〕")
    assert [(c.value, c.number_format) for c in row[2:8]][2:] == [
        (200, '#,##0"件"'),
        (225, '#,##0"件"'),
        (250, '#,##0"件"'),
        (275, '#,##0"件"'),
    ]


def test_excel_holds_every_printed_figure_as_a_number(sousei_xlsx, sousei_report):
    """A figure the report prints as a number (「3,451 万人」「108.0％」) is a number cell in Excel with a format that
    prints it the same way; a text only where the report prints text (「2026 年９月頃把握予定」「―」)."""
    figures = 0
    for section in sousei_report.sections:
        ws = sousei_xlsx[section.sheet]
        captions = {row[0].value: row[0].row for row in ws.iter_rows(max_col=1) if row[0].value}
        for table in (b for b in section.blocks if isinstance(b, Table)):
            top = captions[table.caption] + 1
            for r, c, cell, _head in table.placed():
                value = ws.cell(top + r, 1 + c)
                if cell.number is not None:
                    figures += 1
                    assert isinstance(value.value, (int, float)) and Decimal(str(value.value)) == cell.number, (table.caption, r, c)
                    assert ".0000" not in value.number_format and value.number_format == cell.number_format != "General"
                else:
                    assert (value.value or "") == cell.text, (table.caption, r, c)
                    assert not re.fullmatch(r"[\d,.]+\s*(件|人|社|%|％|万人|施設)", cell.text), cell.text
    assert figures > 800


def test_excel_estimates_stay_numbers_with_their_mark(sousei_xlsx):
    cells = [c for row in sousei_xlsx["基本目標３"].iter_rows() for c in row if c.value == 5357]
    assert len(cells) == 1 and cells[0].number_format == '#,##0"人 (見込値)※"'


# --- HTML --------------------------------------------------------------------------------------


def test_html_is_one_self_contained_page_with_every_kpi_and_rate(sousei_plan, sousei_doc, report_file):
    html = report_file(PLAN, "html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="ja">' in html
    assert "<title>第３期神奈川県まち・ひと・しごと創生総合戦略 2024 年度評価報告書</title>" in html
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in html
    for ind in sousei_plan.indicators:
        assert escape(marked_name(ind), quote=False) in html, ind.id
    for rate in printed_rates(sousei_doc):
        assert f">{rate}<" in html or f"：{rate}" in html, rate
    assert html.count('<img src="data:image/svg+xml;base64,') > 80
    assert "draft-mark" not in html.split("</style>")[1]  # a published year is no draft: no 「案」 on it
