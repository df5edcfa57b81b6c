"""Reading a workbook as people leave it: sheets, headers and cells, each with its place.

Nothing here knows about plans. It checks the shape (known sheets, one header row
without merged cells, known columns) and turns every cell into the text hyoka keeps,
remembering ``シート!セル（見出し）`` so that any later problem can name the cell.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from ...core.errors import InputError, ProblemCollector
from ...core.text import compact
from ...core.wareki import parse_year
from ..cells import number_text, restore
from .layout import GUIDE_NAME, PLAN, SHEETS_BY_NAME, Column, Sheet


@dataclass(frozen=True)
class Cell:
    text: str | None  # None for an empty cell
    place: str  # 実績値!H12（実績値）


@dataclass
class Table:
    """A table sheet: the columns found, and each row's cells by column key."""

    sheet: Sheet
    columns: list[Column]
    years: dict[str, int]  # key of a year column → its year
    rows: list[tuple[int, dict[str, Cell]]] = field(default_factory=list)

    def row_place(self, number: int) -> str:
        return f"{self.sheet.name} {number}行目"


@dataclass
class RawWorkbook:
    """Every sheet of a workbook, read but not yet understood."""

    where: str
    plan: dict[str, Cell]
    tables: dict[str, Table]
    problems: ProblemCollector

    def at(self, place: str) -> str:
        return f"{self.where}:{place}"

    def add(self, place: str, message: str, message_en: str, text: str | None = None) -> None:
        self.problems.add(self.at(place), message, message_en, text)


def open_workbook(path: str | Path, where: str | None = None) -> RawWorkbook:
    """Read every sheet of *path*; shape problems are collected, not raised."""
    name = where or Path(path).name
    try:
        wb = load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        raise InputError.one(name, f"Excel ブック（.xlsx）として読めません: {e}", f"not an .xlsx workbook: {e}") from None
    raw = RawWorkbook(name, {}, {}, ProblemCollector())
    for ws in wb.worksheets:
        sheet = SHEETS_BY_NAME.get(ws.title.strip())
        if sheet is None:
            known = "、".join(SHEETS_BY_NAME)
            raw.add(ws.title, f"不明なシート「{ws.title}」（使えるシート: {known}）", f"unknown sheet {ws.title!r}", ws.title)
            continue
        if sheet.name == GUIDE_NAME:
            continue
        _merged(raw, ws)
        if sheet is PLAN:
            raw.plan = _plan_items(raw, ws)
        else:
            raw.tables[sheet.name] = _table(raw, ws, sheet)
    return raw


def _merged(raw: RawWorkbook, ws: Worksheet) -> None:
    for cells in ws.merged_cells.ranges:
        where = "見出し行の" if cells.min_row == 1 else ""
        raw.add(
            f"{ws.title}!{cells.coord}",
            f"{where}結合セルは使えません（結合を解除してください）",
            "merged cells cannot be read (unmerge them)" + (" in the header row" if where else ""),
        )


def _plan_items(raw: RawWorkbook, ws: Worksheet) -> dict[str, Cell]:
    by_header = {compact(c.header): c for c in PLAN.columns}
    items: dict[str, Cell] = {}
    for row in ws.iter_rows(min_row=2, max_col=2):
        label, value = row[0], row[1] if len(row) > 1 else None
        key_text = _text(raw, label, ws.title, "項目")
        if key_text is None:
            if value is not None and value.value is not None:
                raw.add(f"{ws.title}!{label.coordinate}", "項目名がありません", "the item has no name")
            continue
        column = by_header.get(compact(key_text))
        if column is None:
            raw.add(f"{ws.title}!{label.coordinate}", f"不明な項目「{key_text}」", f"unknown item {key_text!r}", key_text)
            continue
        if column.key in items:
            raw.add(f"{ws.title}!{label.coordinate}", f"項目「{key_text}」が重複しています", "duplicate item", key_text)
            continue
        place = f"{ws.title}!B{label.row}（{column.header}）"
        items[column.key] = Cell(_text(raw, value, ws.title, column.header, column) if value is not None else None, place)
    return items


def _table(raw: RawWorkbook, ws: Worksheet, sheet: Sheet) -> Table:
    by_header = {compact(c.header): c for c in sheet.columns}
    table = Table(sheet, [], {})
    slots: list[tuple[int, Column]] = []
    header = next(ws.iter_rows(min_row=1, max_row=1), ())
    for index, cell in enumerate(header):
        text = _text(raw, cell, ws.title, "見出し")
        if text is None:
            if any(c.value is not None for (c,) in ws.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1)):
                raw.add(f"{ws.title}!{cell.coordinate}", "見出しのない列に値があります", "a column without a header holds values")
            continue
        column = by_header.get(compact(text))
        year = _year_header(text) if column is None and sheet.year_columns else None
        if year is not None:
            column = Column(f"y{year}", text, "")
            table.years[column.key] = year
        if column is None:
            raw.add(f"{ws.title}!{cell.coordinate}", f"不明な列「{text}」", f"unknown column {text!r}", text)
            continue
        if any(c.key == column.key for c in table.columns):
            raw.add(f"{ws.title}!{cell.coordinate}", f"列「{text}」が重複しています", f"duplicate column {text!r}", text)
            continue
        table.columns.append(column)
        slots.append((index, column))
    for row in ws.iter_rows(min_row=2):
        cells: dict[str, Cell] = {}
        for index, column in slots:
            if index >= len(row):
                continue
            xl = row[index]
            text = _text(raw, xl, ws.title, column.header, column)
            if text is not None:
                cells[column.key] = Cell(text, f"{ws.title}!{xl.coordinate}（{column.header}）")
        if cells:
            table.rows.append((row[0].row, cells))
        elif any(c.value is not None for c in row):
            raw.add(f"{ws.title} {row[0].row}行目", "見出しのない列にだけ値があります", "values only in columns without a header")
    return table


def _year_header(text: str) -> int | None:
    """A year column's header: 「R6(2024)」「2024」「令和６年度」; both halves must agree."""
    parts = [p for p in compact(text).replace(")", "(").split("(") if p]
    try:
        years = {parse_year(p) for p in parts}
    except InputError:
        return None
    return years.pop() if len(years) == 1 else None


def _text(raw: RawWorkbook, cell: XlCell | Any, sheet: str, header: str, column: Column | None = None) -> str | None:
    """The text a cell stands for; numbers exactly as typed, dates only where a month is meant."""
    value = cell.value
    if value is None:
        return None
    place = f"{sheet}!{cell.coordinate}（{header}）"
    if isinstance(value, str):
        text = restore(value)
        return text if text != "" else None
    if isinstance(value, bool):
        raw.add(place, "TRUE/FALSE は値として使えません", "a boolean is not a value", str(value))
        return None
    if isinstance(value, (int, float)):
        if "%" in (cell.number_format or ""):
            return number_text(Decimal(number_text(value)) * 100) + "%"
        return number_text(value)
    if isinstance(value, (dt.datetime, dt.date)):
        if column is not None and column.key == "expected":
            return f"{value.year:04d}-{value.month:02d}"
        raw.add(place, "日付は使えません（文字列で入力してください）", "a date is not a value here (type it as text)", value.isoformat())
        return None
    raw.add(place, "この種類のセルは読めません", "unsupported cell type", str(value))
    return None
