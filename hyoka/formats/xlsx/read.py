"""Reading a workbook as people leave it: sheets, headers and cells, each with its place.

Nothing here knows about plans. It checks the shape (known sheets, one header row
without merged cells, known columns) and turns every cell into the text hyoka keeps,
remembering ``シート!セル（見出し）`` so that any later problem can name the cell.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.cell_range import CellRange

from ...core.errors import InputError, ProblemCollector
from ...core.text import compact
from ...core.wareki import parse_year
from ..cells import number_text, restore
from .layout import GUIDE_NAME, PLAN, SHEETS_BY_NAME, Column, Sheet

MAX_UNPACKED = 128 * 2**20  # a workbook of 10,000 rows unpacks to a few MB


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
    raw = RawWorkbook(name, {}, {}, ProblemCollector())
    try:
        with tempfile.TemporaryDirectory() as folder:
            verified = _verified_copy(path, Path(folder))
            wb = load_workbook(verified, read_only=True, data_only=True)
            try:
                merged, formulas = _merged_ranges(verified, wb)
                _refuse_formulas(raw, formulas)
                _read_sheets(raw, wb, merged)
            finally:
                wb.close()
    except TooLarge as e:
        raise InputError.one(
            name,
            f"ブックが大きすぎます（展開後 {MAX_UNPACKED // 2**20} MiB を超えます）",
            f"workbook too large (more than {MAX_UNPACKED // 2**20} MiB unpacked; stopped after {e.read:,} bytes)",
        ) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError, zlib.error) as e:
        raise InputError.one(name, f"Excel ブック（.xlsx）として読めません: {e}", f"not an .xlsx workbook: {e}") from None
    return raw


def _read_sheets(raw: RawWorkbook, wb: Any, merged: dict[str, list[str]]) -> None:
    for ws in wb.worksheets:
        sheet = SHEETS_BY_NAME.get(ws.title.strip())
        if sheet is None:
            known = "、".join(SHEETS_BY_NAME)
            raw.add(ws.title, f"不明なシート「{ws.title}」（使えるシート: {known}）", f"unknown sheet {ws.title!r}", ws.title)
            continue
        if sheet.name == GUIDE_NAME:
            continue
        for cells in merged.get(ws.title, []):
            _merged(raw, ws.title, cells)
        rows = [(number, list(row)) for number, row in enumerate(ws.iter_rows(), start=1)]
        if sheet is PLAN:
            raw.plan = _plan_items(raw, ws.title, rows)
        else:
            raw.tables[sheet.name] = _table(raw, ws.title, sheet, rows)


class TooLarge(Exception):
    """The archive inflates past the cap; *read* is how many bytes were inflated before stopping."""

    def __init__(self, read: int) -> None:
        super().__init__(read)
        self.read = read


CHUNK = 2**16  # inflated at a time: the cap is never passed by more than this


def _inflated(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes, inflated from its compressed data here rather than by zipfile, which believes the sizes
    the archive declares: a member that claims a few bytes and inflates to gigabytes is read only as far as the cap."""
    assert archive.fp is not None
    archive.fp.seek(info.header_offset)
    header = archive.fp.read(30)
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header of {info.filename}")
    archive.fp.seek(info.header_offset + 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little"))
    left = info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        inflate = None
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflate = zlib.decompressobj(-15)
    else:
        raise zipfile.BadZipFile(f"unsupported compression of {info.filename}")
    while left > 0:
        data = archive.fp.read(min(CHUNK, left))
        if not data:
            break
        left -= len(data)
        if inflate is None:
            yield data
            continue
        while data:
            yield inflate.decompress(data, CHUNK)
            data = inflate.unconsumed_tail
    if inflate is not None:
        yield inflate.flush()


def _verified_copy(path: str | Path, folder: Path, cap: int = MAX_UNPACKED) -> Path:
    """The workbook rewritten member by member as its data truly inflates, counting every byte against *cap*
    (TooLarge past it), so that what openpyxl then reads declares its true sizes.

    XML bombs inside the parts are defused by openpyxl itself, which uses defusedxml (a dependency).
    """
    copy = folder / "verified.xlsx"
    read = 0
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.is_dir():
                continue
            with target.open(info.filename, "w", force_zip64=True) as out:
                for piece in _inflated(source, info):
                    read += len(piece)
                    if read > cap:
                        raise TooLarge(read)
                    out.write(piece)
    return copy


_FORMULA = re.compile(rb'<(?:\w+:)?c\b[^>]*\br="([A-Z]{1,3}[0-9]+)"[^>]*>\s*<(?:\w+:)?f\b')
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')


def _merged_ranges(path: str | Path, wb: Any) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Merged ranges and formula cells by sheet title, from the sheets' XML (streaming reads keep neither)."""
    merged: dict[str, list[str]] = {}
    formulas: dict[str, list[str]] = {}
    with zipfile.ZipFile(path) as archive:
        for ws in wb.worksheets:
            xml = archive.read(ws._worksheet_path)
            merged[ws.title] = [m.decode() for m in _MERGE.findall(xml)]
            formulas[ws.title] = [m.decode() for m in _FORMULA.findall(xml)]
    return merged, formulas


def _refuse_formulas(raw: RawWorkbook, formulas: dict[str, list[str]]) -> None:
    """A formula is not a value: 「=HYPERLINK(…)」 or 「=A1*2」 must be typed as the value it stands for."""
    for title, refs in formulas.items():
        for ref in refs:
            raw.add(f"{title}!{ref}", "数式は使えません（値を直接入力してください）", "formulas are not accepted; type the value")


def _merged(raw: RawWorkbook, title: str, cells: str) -> None:
    header = CellRange(cells).min_row == 1
    raw.add(
        f"{title}!{cells}",
        f"{'見出し行の' if header else ''}結合セルは使えません（結合を解除してください）",
        "merged cells cannot be read (unmerge them)" + (" in the header row" if header else ""),
    )


def _value(row: list[Any], index: int) -> Any:
    return row[index].value if index < len(row) else None


def _plan_items(raw: RawWorkbook, title: str, rows: list[tuple[int, list[Any]]]) -> dict[str, Cell]:
    by_header = {compact(c.header): c for c in PLAN.columns}
    items: dict[str, Cell] = {}
    for number, row in rows[1:]:
        key_text = _text(raw, _value(row, 0), row[0] if row else None, f"{title}!A{number}（項目）")
        if key_text is None:
            if _value(row, 1) is not None:
                raw.add(f"{title}!A{number}", "項目名がありません", "the item has no name")
            continue
        column = by_header.get(compact(key_text))
        if column is None:
            raw.add(f"{title}!A{number}", f"不明な項目「{key_text}」", f"unknown item {key_text!r}", key_text)
            continue
        if column.key in items:
            raw.add(f"{title}!A{number}", f"項目「{key_text}」が重複しています", "duplicate item", key_text)
            continue
        place = f"{title}!B{number}（{column.header}）"
        items[column.key] = Cell(_text(raw, _value(row, 1), row[1] if len(row) > 1 else None, place, column), place)
    return items


def _table(raw: RawWorkbook, title: str, sheet: Sheet, rows: list[tuple[int, list[Any]]]) -> Table:
    by_header = {compact(c.header): c for c in sheet.columns}
    table = Table(sheet, [], {})
    slots: list[tuple[int, Column, str]] = []
    header = rows[0][1] if rows else []
    for index, cell in enumerate(header):
        letter = get_column_letter(index + 1)
        text = _text(raw, cell.value, cell, f"{title}!{letter}1（見出し）")
        if text is None:
            if any(_value(row, index) is not None for _, row in rows[1:]):
                raw.add(f"{title}!{letter}1", "見出しのない列に値があります", "a column without a header holds values")
            continue
        column = by_header.get(compact(text))
        year = _year_header(text) if column is None and sheet.year_columns else None
        if year is not None:
            column = Column(f"y{year}", text, "")
            table.years[column.key] = year
        if column is None:
            raw.add(f"{title}!{letter}1", f"不明な列「{text}」", f"unknown column {text!r}", text)
            continue
        if any(c.key == column.key for c in table.columns):
            raw.add(f"{title}!{letter}1", f"列「{text}」が重複しています", f"duplicate column {text!r}", text)
            continue
        table.columns.append(column)
        slots.append((index, column, letter))
    for number, row in rows[1:]:
        cells: dict[str, Cell] = {}
        for index, column, letter in slots:
            value = _value(row, index)
            if value is None:
                continue
            place = f"{title}!{letter}{number}（{column.header}）"
            text = _text(raw, value, row[index], place, column)
            if text is not None:
                cells[column.key] = Cell(text, place)
        if cells:
            table.rows.append((number, cells))
    return table


def _year_header(text: str) -> int | None:
    """A year column's header: 「R6(2024)」「2024」「令和６年度」; both halves must agree."""
    parts = [p for p in compact(text).replace(")", "(").split("(") if p]
    try:
        years = {parse_year(p) for p in parts}
    except InputError:
        return None
    return years.pop() if len(years) == 1 else None


def _text(raw: RawWorkbook, value: Any, cell: Any, place: str, column: Column | None = None) -> str | None:
    """The text a cell stands for; numbers exactly as typed, dates only where a month is meant."""
    if value is None:
        return None
    if isinstance(value, str):
        text = restore(value)
        return text if text != "" else None
    if isinstance(value, bool):
        raw.add(place, "TRUE/FALSE は値として使えません", "a boolean is not a value", str(value))
        return None
    if isinstance(value, (int, float)):
        if "%" in (getattr(cell, "number_format", "") or ""):
            return number_text(Decimal(number_text(value)) * 100) + "%"
        return number_text(value)
    if isinstance(value, (dt.datetime, dt.date)):
        if column is not None and column.key == "expected":
            return f"{value.year:04d}-{value.month:02d}"
        raw.add(place, "日付は使えません（文字列で入力してください）", "a date is not a value here (type it as text)", value.isoformat())
        return None
    raw.add(place, "この種類のセルは読めません", "unsupported cell type", str(value))
    return None
