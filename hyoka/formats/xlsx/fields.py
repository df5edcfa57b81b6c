"""Cells understood as the fields of a plan: years, closed lists, lists of lines.

A bad cell becomes a problem that names it, and its field is left out, so that one
bad cell never stops the rest of the workbook from being checked.
"""

from __future__ import annotations

from typing import Any

from ...core.errors import InputError
from ...core.wareki import parse_year
from .layout import CHOICE, LIST, YEAR, Column
from .read import Cell, RawWorkbook


def lines(text: str) -> list[str]:
    """One item per line of a cell; blank lines (a trailing Alt+Enter) are not items."""
    return [line for line in text.replace("\r\n", "\n").split("\n") if line != ""]


class Fields:
    """Converts the cells of a workbook, collecting every problem in it."""

    def __init__(self, raw: RawWorkbook) -> None:
        self.raw = raw

    def problem(self, place: str, message: str, message_en: str, text: str | None = None) -> None:
        self.raw.add(place, message, message_en, text)

    def year(self, cell: Cell | None) -> int | None:
        if cell is None or cell.text is None:
            return None
        try:
            return parse_year(cell.text, self.raw.at(cell.place))
        except InputError as e:
            self.raw.problems.extend(e)
            return None

    def value(self, column: Column, cell: Cell | None) -> Any:
        """The field of *cell*: text, list, year or a closed list's code (None when empty or bad)."""
        if cell is None or cell.text is None:
            return [] if column.kind == LIST else None
        if column.kind == LIST:
            return lines(cell.text)
        if column.kind == YEAR:
            return self.year(cell)
        if column.kind == CHOICE and column.choices:
            code = column.code_of(cell.text)
            if code is None:
                shown = "、".join(column.choices.values())
                self.problem(cell.place, f"「{column.header}」は {shown} のいずれかです", f"{column.key} must be one of {shown}", cell.text)
            return code
        return cell.text
