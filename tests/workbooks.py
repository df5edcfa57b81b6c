"""Helpers for tests that edit workbooks the way a person does in Excel: by header and row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet


def column(ws: Worksheet, header: str) -> int:
    """The 1-based column of *header* in the first row."""
    for cell in ws[1]:
        if cell.value == header:
            return cell.column
    raise KeyError(header)


def append_row(ws: Worksheet, **cells: Any) -> None:
    """A new row with the given values under the given headers, as a person types into the next empty row."""
    row = ws.max_row + 1
    for header, value in cells.items():
        ws.cell(row=row, column=column(ws, header)).value = value


def find_row(ws: Worksheet, **wanted: Any) -> int:
    """The first row whose cells under the given headers hold the given values."""
    cols = {column(ws, h): v for h, v in wanted.items()}
    for row in ws.iter_rows(min_row=2):
        if all(row[c - 1].value == v for c, v in cols.items()):
            return row[0].row
    raise LookupError(wanted)


def edit(path: Path, sheet: str, changes: list[tuple[dict[str, Any], str, Any]]) -> None:
    """Set cells: each change is (which row, by header values; header; new value)."""
    wb = load_workbook(path)
    ws = wb[sheet]
    for where, header, value in changes:
        ws.cell(row=find_row(ws, **where), column=column(ws, header)).value = value  # None clears the cell
    wb.save(path)


def cell_value(path: Path, sheet: str, where: dict[str, Any], header: str) -> Any:
    ws = load_workbook(path)[sheet]
    return ws.cell(row=find_row(ws, **where), column=column(ws, header)).value
