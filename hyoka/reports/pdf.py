"""The report as PDF: the HTML page laid out by WeasyPrint with its print styles.

A4 pages, Noto Sans CJK JP from Debian's fonts-noto-cjk (embedded and subset),
running headers and page numbers from @page rules, table headers repeated on
every page a table spans. The PDF is tagged (PDF/UA-1: headings, paragraphs, lists,
tables with their header cells, figures with their alternative text) and has a
bookmark per heading, so a screen reader and the navigation pane follow it.
"""

from __future__ import annotations

import logging

from weasyprint import HTML

from ..collection import paused
from .document import Report
from .html import render_html
from .weasyprint_speed import install


def render_pdf(report: Report) -> bytes:
    # WeasyPrint logs every CSS property it does not know at WARNING; the
    # stylesheet is ours and tested, so only errors are worth a reader's time.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    install()
    html = render_html(report)
    with paused():  # WeasyPrint's million objects all live until the PDF is written
        return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
