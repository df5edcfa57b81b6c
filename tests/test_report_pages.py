"""The three sample reports as printed: tagged PDFs whose pages never strand a heading or cut an indicator's rows,
no department that the data only assumed, and 「案」 on every format of a year that is not published.

The PDFs are the session's (tests/conftest.py: report_file); their structure tree is read
with pikepdf (tests/pdfs.py), which records on which page each fragment of an element is.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter

import docx
import openpyxl
import pikepdf
import pytest
from pdfs import headings_last_on_page, last_lines, outline_titles, page_texts, raw_text, row_groups, structure, table_fragments

from hyoka.core.model import assumed
from hyoka.reports import build_report, render_report
from hyoka.reports.document import Chart, Paragraph, Table
from hyoka.reports.html import row_groups as model_groups
from hyoka.samples import load_sample

PLANS = ("kanagawa-sousei-3", "kanagawa-dx", "hiratsuka-juten")


@pytest.mark.parametrize("name", PLANS)
def test_the_pdf_is_tagged_with_bookmarks(report_file, name):
    path = report_file(name, "pdf")
    report = build_report(load_sample(name), 2024)
    with pikepdf.open(path) as pdf:
        assert pdf.Root.MarkInfo.Marked and str(pdf.Root.Lang) == "ja"
        with pdf.open_metadata() as meta:
            assert meta.get("pdfuaid:part") == "1" and meta.get("dc:title") == report.title  # PDF/UA-1, titled as the report
    elements = structure(path)
    kinds = Counter(e.kind for e in elements)
    tables = [b for s in report.sections for b in s.blocks if isinstance(b, Table)]
    assert kinds["/H1"] >= len(report.sections) and kinds["/Table"] >= len(tables) and kinds["/TH"] > 0
    charts = [b for s in report.sections for b in s.blocks if isinstance(b, Chart)]
    assert [e.alt for e in elements if e.kind == "/Figure"] == [c.description for c in charts]  # each chart said in words
    titles = outline_titles(path)
    assert all(s.title in titles for s in report.sections)


@pytest.mark.parametrize("name", PLANS)
def test_pages_keep_each_indicator_whole_and_no_heading_alone(report_file, name):
    path = report_file(name, "pdf")
    report = build_report(load_sample(name), 2024)
    tables = [b for s in report.sections for b in s.blocks if isinstance(b, Table)]
    elements = structure(path)
    # every row group (an indicator's 目標値・実績値・達成率 rows, a measure's row) is on one page: a group cut by a
    # page break would show as two fragments, the second without the indicator's name
    assert row_groups(elements) == [len(g) for t in tables for g in model_groups(t.body)]
    # a table continued on the next page repeats its header
    fragments = table_fragments(elements)
    assert sum(1 for kids in fragments if "/THead" not in kids) == sum(1 for t in tables if not t.head)
    assert headings_last_on_page(elements) == []
    labels = {b.text for s in report.sections for b in s.blocks if isinstance(b, Paragraph) and b.css == "label"}
    assert [line for line in last_lines(path) if line in labels] == []  # 【ＫＰＩ進捗状況】 stays with its table


@pytest.mark.parametrize("name", PLANS)
def test_no_department_the_data_only_assumes_is_printed(report_file, name):
    plan = load_sample(name)
    guessed = {d for n in plan.nodes if "departments" in assumed(n.extras) for d in n.departments}
    named = {d for n in plan.nodes if "departments" not in assumed(n.extras) for d in n.departments}
    text = raw_text(report_file(name, "pdf"))
    assert [d for d in guessed - named if f"担当:{d}" in text] == []
    if name == "kanagawa-sousei-3":
        assert guessed and "担当:" not in text  # all 36 小柱 have one, none printed
    else:
        assert not guessed and all(d in text for d in named)  # 別紙's とりまとめ局, 平塚市's 担当課: the source's


def test_every_format_of_an_unpublished_year_says_draft(report_file, city_plan):
    """hiratsuka-juten's FY2024 is open: its report is a draft (「案」) in HTML, PDF, Word and Excel."""
    assert city_plan.cycles[2024].status == "open"
    html = report_file("hiratsuka-juten", "html").read_text(encoding="utf-8")
    assert "<title>平塚市総合計画 重点戦略 2024 年度効果検証報告書（案）</title>" in html and '<div class="draft-mark"' in html
    pages = page_texts(report_file("hiratsuka-juten", "pdf"))
    assert all("案" in page for page in pages)  # the watermark, on every page
    with zipfile.ZipFile(report_file("hiratsuka-juten", "docx")) as archive:
        headers = [archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("word/header")]
    assert sum('string="案"' in h for h in headers) == 2  # the first page's header and the others'
    wb = openpyxl.load_workbook(report_file("hiratsuka-juten", "xlsx"))
    assert wb["目次"]["A1"].value.endswith("（案）") and wb.properties.title.endswith("（案）")
    assert all(ws.oddHeader.center.text == "（案）" for ws in wb.worksheets[1:])


def test_a_published_year_is_no_draft_and_a_year_without_a_cycle_is(dx_plan, report_file):
    with zipfile.ZipFile(report_file("kanagawa-dx", "docx")) as archive:
        assert not any('string="案"' in archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("word/header"))
    assert "draft-mark" not in report_file("kanagawa-dx", "html").read_text(encoding="utf-8").split("</style>")[1]
    later = build_report(dx_plan, 2025)  # no cycle yet: nothing of FY2025 is published
    assert later.draft and later.title == "神奈川ＤＸ計画 令和７年度点検報告書（案）"
    document = docx.Document(io.BytesIO(render_report(dx_plan, 2025, "docx")))
    assert document.core_properties.title.endswith("（案）")
