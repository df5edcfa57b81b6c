"""The report as an Excel workbook: a contents sheet, then one sheet per section.

Rates, counts, targets and actuals are written as numbers (exact decimals) with a
number format that shows them as printed (108.0%, 216件), so a planner can sort
and compute with them; texts such as 「2026 年９月頃把握予定」 stay texts.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .document import Block, Box, Bullets, Chart, Heading, Paragraph, Report, Table, Tree

_THIN = Side(style="thin", color="777777")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDE6F3")
WRAP = Alignment(wrap_text=True, vertical="center")
WRAP_RIGHT = Alignment(wrap_text=True, vertical="center", horizontal="right")
WRAP_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
HEADING_SIZES = {1: 14, 2: 12, 3: 11, 4: 10}
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\."""
    base = _FORBIDDEN.sub("・", name).strip("'")[:31] or "Sheet"
    title, n = base, 2
    while title in taken:
        suffix = f"({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title)
    return title


def _cell(ws: Worksheet, row: int, column: int, value: object) -> Cell:
    """openpyxl stores a text that begins with = as a formula: a plan's text (=HYPERLINK(…)) would run when the report
    is opened. Texts are kept texts instead, shown exactly as written (no apostrophe: this file is never read back)."""
    cell = ws.cell(row, column, value)
    if isinstance(value, str) and cell.data_type == "f":
        cell.data_type = "s"
    return cell


def _table(ws: Worksheet, row: int, table: Table) -> int:
    _cell(ws, row, 1, table.caption).font = Font(bold=True, size=9)
    row += 1
    merges = []
    last = row
    for r, c, cell, head in table.placed():
        target = _cell(ws, row + r, 1 + c, cell.number if cell.number is not None else cell.text)
        if cell.number is not None and cell.number_format:
            target.number_format = cell.number_format
        target.border = BORDER
        if head:
            target.font = Font(bold=True)
            target.fill = HEAD_FILL
            target.alignment = WRAP_CENTER
        elif "num" in cell.css.split():
            target.alignment = WRAP_RIGHT
        else:
            target.alignment = WRAP
            if cell.css == "group":
                target.font = Font(bold=True)
        if cell.rowspan > 1 or cell.colspan > 1:
            merges.append((row + r, 1 + c, row + r + cell.rowspan - 1, c + cell.colspan))
        last = max(last, row + r + cell.rowspan - 1)
    for r1, c1, r2, c2 in merges:
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    return last + 2


def _box(ws: Worksheet, row: int, box: Box) -> int:
    """A framed box as bordered cells: its title, its text, or the empty frame's note."""
    lines = [(box.title, True)] if box.title else []
    for inner in box.blocks:
        items = (
            [inner.text]
            if isinstance(inner, Paragraph)
            else [*([f"（{inner.title}）"] if inner.title else []), *(f"・{i}" for i in inner.items)]
        )
        lines += [(text, isinstance(inner, Paragraph) and inner.css in ("label", "status")) for text in items]
    if not box.blocks:
        lines += [(box.empty, False), ("", False), ("", False)]
    for text, bold in lines:
        cell = _cell(ws, row, 1, text)
        cell.font = Font(bold=bold)
        cell.border = BORDER
        row += 1
    return row + 1


def _sheet(ws: Worksheet, blocks: list[Block], title: str) -> None:
    _cell(ws, 1, 1, title).font = Font(bold=True, size=HEADING_SIZES[1])
    row = 3
    for block in blocks:
        if isinstance(block, Heading):
            _cell(ws, row, 1, block.text).font = Font(bold=True, size=HEADING_SIZES.get(block.level, 10))
            row += 1
        elif isinstance(block, Paragraph):
            _cell(ws, row, 1, block.text).font = Font(bold=block.css in ("label", "status"), size=9 if block.css == "note" else 10)
            row += 1
        elif isinstance(block, Bullets):
            if block.title:
                _cell(ws, row, 1, f"（{block.title}）")
                row += 1
            for item in block.items:
                _cell(ws, row, 1, f"・{item}")
                row += 1
        elif isinstance(block, Tree):
            _cell(ws, row, 1, block.title).font = Font(bold=True)
            row += 1
            for item in block.items:
                _cell(ws, row, 1, item.text).alignment = Alignment(indent=2 * item.depth)
                _cell(ws, row, 2, item.grade)
                row += 1
        elif isinstance(block, Table):
            row = _table(ws, row, block)
        elif isinstance(block, Box):
            row = _box(ws, row, block)
        elif isinstance(block, Chart):
            continue  # the numbers of every chart are in the sheet's tables
    ws.column_dimensions["A"].width = 44
    for column in range(2, 16):
        ws.column_dimensions[get_column_letter(column)].width = 14
    ws.sheet_view.showGridLines = False


def render_xlsx(report: Report) -> bytes:
    wb = Workbook()
    contents = wb.active
    taken = {"目次"}
    contents.title = "目次"
    _cell(contents, 1, 1, report.title).font = Font(bold=True, size=14, color="C8501E" if report.draft else None)
    wb.properties.title = report.title
    _cell(contents, 2, 1, f"{report.organization}　{report.subtitle}")
    contents.column_dimensions["A"].width = 90
    for i, section in enumerate(report.sections):
        ws = wb.create_sheet(sheet_title(section.sheet, taken))
        _sheet(ws, section.blocks, section.title)
        if report.draft:  # printed sheets say so too
            ws.oddHeader.center.text = "（案）"
        link = _cell(contents, 4 + i, 1, section.title)
        link.hyperlink = f"#'{ws.title}'!A1"
        link.font = Font(color="1F5FA8", underline="single")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
