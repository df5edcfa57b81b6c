"""WeasyPrint's two speed-ups of the PDF writer (hyoka/reports/weasyprint_speed.py) are in place and change
nothing a reader sees: a chart label is drawn as one run with the same text, per-letter positions still go
letter by letter, and the tagged PDF's page references are the pages, also after more are added."""

from __future__ import annotations

import base64
import io
import subprocess

import pikepdf
import pydyf
from weasyprint import HTML

from hyoka.reports import render_report
from hyoka.reports.weasyprint_speed import install, installed
from hyoka.samples import load_sample

LABEL = "2,345件（80.6％）"
SPACED = "12345"


def _pdf_of(svg_body: str) -> bytes:
    install()
    svg = f'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60" font-family="Noto Sans CJK JP" font-size="12">{svg_body}</svg>'
    data = base64.b64encode(svg.encode()).decode()
    return HTML(string=f'<img src="data:image/svg+xml;base64,{data}" alt="">').write_pdf(uncompressed_pdf=True)


def _text_shows(pdf: bytes) -> int:
    """The text-showing operators of the pages and of the forms they draw (a chart is a form)."""

    def shows(content: pikepdf.Object) -> int:
        count = sum(1 for _operands, op in pikepdf.parse_content_stream(content) if str(op) in ("Tj", "TJ"))
        xobjects = content.get("/Resources", {}).get("/XObject", {})
        return count + sum(shows(x) for x in xobjects.values() if x.get("/Subtype") == "/Form")

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return sum(shows(page.obj) for page in doc.pages)


def _extracted(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, check=True, capture_output=True)
    return done.stdout.decode("utf-8")


def test_the_report_pdf_has_both_speed_ups_installed():
    render_report(load_sample("hiratsuka-juten"), 2024, "pdf")
    assert installed()


def test_a_chart_label_is_drawn_as_one_run_with_its_text():
    pdf = _pdf_of(f'<text x="10" y="20">{LABEL}</text>')
    assert _text_shows(pdf) == 1
    assert LABEL in _extracted(pdf).replace(" ", "")


def test_a_text_with_per_letter_positions_is_still_drawn_letter_by_letter():
    pdf = _pdf_of(f'<text x="10" y="20" dx="0 4 4 4 4">{SPACED}</text>')
    assert _text_shows(pdf) == len(SPACED)
    assert SPACED in _extracted(pdf).replace(" ", "").replace("\n", "")


def test_the_page_references_follow_the_pages_added():
    install()
    pdf = pydyf.PDF()
    for _ in range(3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = pdf.page_references
    assert first == tuple(f"{n} 0 R".encode() for n in pdf.pages["Kids"][::3])
    assert pdf.page_references is first  # kept while the pages stay the same
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(pdf.page_references) == 4
    assert pdf.page_references[-1] == f"{pdf.pages['Kids'][-3]} 0 R".encode()
