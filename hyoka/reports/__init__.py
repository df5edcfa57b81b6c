"""The yearly evaluation report in HTML, PDF, Word and Excel, from one evaluation.

``render_report(plan, year, fmt)`` is the entry point of the CLI and of the web
app: the report's content is built once from ``evaluate(plan, year)`` and only
laid out differently per format, so every file shows the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..core.engine import Evaluation
from ..core.errors import InputError
from ..core.model import Plan
from ..formats.files import write_atomic
from .content import build_report
from .document import Report

FORMATS = ("html", "pdf", "docx", "xlsx")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _renderer(fmt: str) -> Callable[[Report], bytes]:
    """The writer of *fmt*, imported on demand: WeasyPrint alone takes most of a second to load."""
    if fmt == "html":
        from .html import render_html

        return lambda report: render_html(report).encode("utf-8")
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf
    if fmt == "docx":
        from .word import render_docx

        return render_docx
    from .excel import render_xlsx

    return render_xlsx


def render_report(plan: Plan, year: int, fmt: str, evaluation: Evaluation | None = None) -> bytes:
    """The report of *plan* for *year* as the bytes of a ``fmt`` file (html, pdf, docx, xlsx)."""
    if fmt not in FORMATS:
        raise InputError.one("format", f"形式は {', '.join(FORMATS)} のいずれかです", f"format must be one of {', '.join(FORMATS)}", fmt)
    return _renderer(fmt)(build_report(plan, year, evaluation))


def format_of(path: Path) -> str:
    """The format named by a file's suffix (report.pdf → pdf), or an error naming the file."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InputError.one(
            str(path),
            f"拡張子は {', '.join('.' + f for f in FORMATS)} のいずれかにしてください",
            f"the file name must end in {', '.join('.' + f for f in FORMATS)}",
        )
    return fmt


def write_report(plan: Plan, year: int, path: Path, evaluation: Evaluation | None = None) -> int:
    """Write the report to *path* in the format its suffix names and return its size.

    The file appears whole or not at all: it is written beside *path* and renamed.
    """
    fmt = format_of(path)
    data = render_report(plan, year, fmt, evaluation)
    write_atomic(path, lambda tmp: tmp.write_bytes(data))
    return len(data)


__all__ = ["FORMATS", "MEDIA_TYPES", "build_report", "format_of", "render_report", "write_report"]
