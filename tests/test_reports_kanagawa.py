"""Acceptance: the Kanagawa FY2024 report (seed 000) in all four formats, checked for content.

The PDF is rendered once for the session, its text extracted with poppler's
pdftotext and its pages saved as PNG under artifacts/reports/ for people to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from fontTools.ttLib import TTCollection

from hyoka import evaluate
from hyoka.core.model import Plan
from hyoka.core.notation import marked_name
from hyoka.formats.evaluation import evaluation_dict
from hyoka.reports import build_report, render_report
from hyoka.reports.document import Chart, Report, Table

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "reports"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def sousei_doc(sousei_plan: Plan) -> dict[str, Any]:
    return evaluation_dict(evaluate(sousei_plan, 2024))


@pytest.fixture(scope="session")
def sousei_report(sousei_plan: Plan) -> Report:
    return build_report(sousei_plan, 2024)


@pytest.fixture(scope="session")
def sousei_pdf(artifacts: Path) -> Path:
    """Written through the command line, as a planner would."""
    path = artifacts / "kanagawa-sousei-3-2024.pdf"
    subprocess.run(
        [sys.executable, "-m", "hyoka.cli", "report", "kanagawa-sousei-3", "--year", "2024", "-o", str(path)],
        check=True,
        capture_output=True,
    )
    return path


@pytest.fixture(scope="session")
def pdf_text(sousei_pdf: Path) -> str:
    # -raw keeps the order the text was drawn in, so a name wrapped in a table cell stays whole.
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(sousei_pdf), "-"], check=True, capture_output=True, text=True)
    return out.stdout


@pytest.fixture(scope="session")
def sousei_docx(sousei_plan: Plan, artifacts: Path) -> Any:
    path = artifacts / "kanagawa-sousei-3-2024.docx"
    path.write_bytes(render_report(sousei_plan, 2024, "docx"))
    return docx.Document(str(path))


@pytest.fixture(scope="session")
def sousei_xlsx(sousei_plan: Plan, artifacts: Path) -> Any:
    path = artifacts / "kanagawa-sousei-3-2024.xlsx"
    path.write_bytes(render_report(sousei_plan, 2024, "xlsx"))
    return openpyxl.load_workbook(path)


def printed_rates(doc: dict[str, Any]) -> list[str]:
    rates = []
    for ind in doc["indicators"]:
        for r in ind.get("parts") or [ind]:
            if r["rate"] is not None:
                rates.append(f"{r['rate']}％")
    return rates


def kpi_tables(report: Report) -> list[Table]:
    return [b for s in report.sections for b in s.blocks if isinstance(b, Table) and b.css == "kpi"]


# --- PDF ---------------------------------------------------------------------------------------


def test_pdf_has_every_kpi_name_rate_and_status(pdf_text, sousei_plan, sousei_doc):
    text = squash(pdf_text)
    missing = [i.name for i in sousei_plan.indicators if squash(marked_name(i)) not in text]
    assert missing == []
    rates = printed_rates(sousei_doc)
    assert len(rates) == 85
    assert [r for r in rates if r not in text] == []
    small = [n for n in sousei_doc["nodes"] if n["level"] == "小柱"]
    assert len(small) == 36
    for node in small:
        assert squash(node["explanation"]) in text, node["id"]
    for label in ("順調に進んでいます", "概ね順調に進んでいます", "やや遅れています", "ＫＰＩ未把握"):
        assert label in text


def test_pdf_prints_pending_estimates_and_marks(pdf_text):
    text = squash(pdf_text)
    assert "2027年９月頃把握予定" in text  # 1-2-1-k1, the value of 2024 is pending
    assert "5,357人(見込値)" in text  # 3-3-1-k1
    assert "―※" in text  # unmeasurable, 3-3-3-k1
    assert "〔累計〕" in text and "〔総数〕" in text and "《暦年》" in text and "〔計画期間中の累計〕" in text
    assert "【令和７年３月改定版で追加】" in text
    assert "小：100.5％" in text  # a KPI with parts 小/中
    # the method page is generated from the rule set
    assert "小柱のＫＰＩ達成率の平均が90%以上" in text and "小柱のＫＰＩ達成率の平均が60%未満" in text


def test_pdf_pages_fonts_and_headers(sousei_pdf, pdf_text, sousei_plan):
    info = subprocess.run(["pdfinfo", str(sousei_pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 60 <= pages <= 160  # 36 小柱 of about two pages each, plus the front matter
    assert "595.276 x 841.89 pts (A4)" in info
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


def test_pdf_pages_saved_as_png(sousei_pdf, artifacts):
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm (poppler-utils) is required")
    prefix = artifacts / "kanagawa-sousei-3-2024-page"
    for old in artifacts.glob(f"{prefix.name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(sousei_pdf), str(prefix)], check=True)
    pngs = sorted(artifacts.glob(f"{prefix.name}-*.png"))
    assert len(pngs) > 60
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)


# --- Word --------------------------------------------------------------------------------------


def test_word_has_the_same_tables(sousei_docx, sousei_report):
    source = [b for s in sousei_report.sections for b in s.blocks if isinstance(b, Table)]
    tables = sousei_docx.tables
    assert len(tables) == len(source)
    for table, grid in zip(source, tables, strict=True):
        rows = grid.rows
        for r, c, cell, _head in table.placed():
            assert rows[r].cells[c].text == cell.text, (table.caption, r, c)


def test_word_has_real_headings(sousei_docx, sousei_report, sousei_plan):
    headings = [p.text for p in sousei_docx.paragraphs if p.style.name == "Heading 1"]
    assert headings[1:] == [s.title for s in sousei_report.sections]
    small = [p.text for p in sousei_docx.paragraphs if p.style.name == "Heading 3"]
    assert len(small) == 36
    names = {c.text for t in sousei_docx.tables for row in t.rows for c in row.cells}
    assert {marked_name(i) for i in sousei_plan.indicators if i.kind == "kpi" and not i.added_in} <= names


# --- Excel -------------------------------------------------------------------------------------


def test_excel_has_a_sheet_per_section_and_numbers_as_numbers(sousei_xlsx, sousei_report, sousei_doc):
    assert sousei_xlsx.sheetnames == ["目次", *(s.sheet for s in sousei_report.sections)]
    ws = sousei_xlsx["指標一覧"]
    rates = [
        Decimal(str(c.value))
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, (int, float)) and c.number_format.endswith('"%"')
    ]
    # every printed rate (a part's too) is a number cell of the indicator list, shown as printed
    assert sorted(rates) == sorted(Decimal(r.rstrip("％")) for r in printed_rates(sousei_doc))
    formats = {c.number_format for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float))}
    assert '#,##0.0"%"' in formats


def test_excel_has_the_same_tables(sousei_xlsx, sousei_report):
    for section in sousei_report.sections:
        ws = sousei_xlsx[section.sheet]
        captions = {row[0].value: row[0].row for row in ws.iter_rows(max_col=1) if row[0].value}
        for table in (b for b in section.blocks if isinstance(b, Table)):
            top = captions[table.caption] + 1
            for r, c, cell, _head in table.placed():
                value = ws.cell(top + r, 1 + c).value
                if cell.number is not None:
                    assert Decimal(str(value)) == cell.number, (table.caption, r, c)
                else:
                    assert (value or "") == cell.text, (table.caption, r, c)


def test_kpi_tables_follow_seed_000(sousei_report):
    tables = kpi_tables(sousei_report)
    assert len(tables) == 36 - 0  # every 小柱 has KPIs
    first = tables[0]
    assert [c.text for c in first.head[0]] == ["ＫＰＩ（重要業績評価指標）", "2022", "2023", "2024", "2025", "2026", "2027"]
    body = [[c.text for c in row] for row in first.body[:3]]
    assert body[0] == ["未病産業関連商品の事業化件数〔累計〕", "目標値", "", "", "200 件", "225 件", "250 件", "275 件"]
    assert body[1] == ["実績値", "132 件", "178 件", "216 件", "―", "―", "―"]
    assert body[2] == ["達成率", "", "", "108.0％", "―", "―", "―"]


def test_word_charts_have_alternative_text(sousei_docx, sousei_plan):
    described = [shape._inline.docPr.get("descr") for shape in sousei_docx.inline_shapes]
    targets = [i.name for i in sousei_plan.indicators if i.kind == "numeric_target"]
    assert set(targets) <= {d.split("（")[0] for d in described} | set(described)
    assert "小柱の評価の分布" in described


def test_pdf_charts_are_vector_with_their_labels(pdf_text, sousei_report):
    charts = [b for s in sousei_report.sections for b in s.blocks if isinstance(b, Chart)]
    series = [c for c in charts if "series" in c.css.split()]
    assert len(series) > 100  # every KPI and 数値目標 with a number to draw
    # the axis label of each chart is text in the PDF (drawn as vectors, not a picture)
    assert pdf_text.count("（年度）") + pdf_text.count("（年）") >= len(series)
    assert "小柱の評価の分布" in pdf_text


# --- HTML --------------------------------------------------------------------------------------


def test_html_is_one_self_contained_page_with_every_kpi_and_rate(sousei_plan, sousei_doc, artifacts):
    html = render_report(sousei_plan, 2024, "html").decode("utf-8")
    (artifacts / "kanagawa-sousei-3-2024.html").write_text(html, encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="ja">' in html
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in html
    for ind in sousei_plan.indicators:
        assert escape(marked_name(ind), quote=False) in html, ind.id
    for rate in printed_rates(sousei_doc):
        assert f">{rate}<" in html or f"：{rate}" in html, rate
    assert html.count('<img src="data:image/svg+xml;base64,') > 100


def test_excel_estimates_stay_numbers_with_their_mark(sousei_xlsx):
    ws = sousei_xlsx["基本目標３"]
    cells = [c for row in ws.iter_rows() for c in row if c.value == 5357]
    assert len(cells) == 1 and cells[0].number_format == '#,##0"人 (見込値)"'


def test_pdf_text_stays_inside_the_page_margins(sousei_pdf):
    """No table or chart is wider than the text block: every word lies between the side margins."""
    out = subprocess.run(["pdftotext", "-bbox", str(sousei_pdf), "-"], check=True, capture_output=True, text=True).stdout
    margin = 14 / 25.4 * 72 - 1  # the 14 mm side margins of report.css, less a point
    words = 0
    for width, body in re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', out, re.S):
        for x1, x2 in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', body):
            words += 1
            assert margin <= float(x1) and float(x2) <= float(width) - margin, (x1, x2)
    assert words > 10000
