"""The report as PDF: the HTML page laid out by WeasyPrint with its print styles.

A4 pages, Noto Sans CJK JP from Debian's fonts-noto-cjk (embedded and subset),
running headers and page numbers from @page rules, table headers repeated on
every page a table spans. The PDF is tagged (PDF/UA-1: headings, paragraphs, lists,
tables with their header cells, figures with their alternative text) and has a
bookmark per heading, so a screen reader and the navigation pane follow it.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from weasyprint import HTML

from .document import Report
from .html import render_html
from .weasyprint_speed import install


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """WeasyPrint builds about a million objects that all live until the PDF is written; Python's
    cycle collector walking them again and again took a fifth of the CPU time and freed little
    (bench/report.py: about 1.7 s of 8 s for the Kanagawa report, 9 MB more at the peak)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def render_pdf(report: Report) -> bytes:
    # WeasyPrint logs every CSS property it does not know at WARNING; the
    # stylesheet is ours and tested, so only errors are worth a reader's time.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    install()
    html = render_html(report)
    with without_cycle_collection():
        return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
