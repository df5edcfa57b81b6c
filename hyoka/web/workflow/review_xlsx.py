"""The review list of 提出状況 as a workbook for the 部長会議.

Figures, rates and changes are numbers with a number format that shows their decimals, so the
list can be sorted and summed; every text goes through ``formats.cells.neutralise`` like every
other export, so a value typed as 「=HYPERLINK(…)」 never runs as a formula. A year that is not
published says 「（案）」 in its title and file name, as the report does.
"""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ...core.display import entry_text, percent_text
from ...core.model import STATUS_LABELS
from ...core.rules import Display
from ...formats.cells import neutralise
from .review import Row

HEAD_FILL = PatternFill("solid", fgColor="DDE6F3")
COLUMNS = (
    ("担当", 18),
    ("提出状況", 10),
    ("指標", 12),
    ("指標名", 40),
    ("部分", 10),
    ("単位", 8),
    ("目標値", 12),
    ("実績値", 12),
    ("状態", 10),
    ("達成率（％）", 10),
    ("判定", 12),
    ("前年度の実績値", 12),
    ("前年度からの変化", 12),
    ("確認事項", 60),
)


def number_format(number: Decimal) -> str:
    """「#,##0.0」 for a figure typed with one decimal: the cell shows what was entered."""
    exponent = number.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _figure(number: Decimal | None, text: str) -> Decimal | str:
    """A figure as a number when it is one; otherwise its text (「把握予定」, 「運用開始」)."""
    return number if number is not None else text


def _cells(row: Row, style: Display) -> list[object]:
    item, series = row.item, row.item.series
    judgement = item.judgement
    state = row.submission.get_status_display() if row.submission else "未提出"
    return [
        row.department,
        str(state),
        item.indicator.id,
        series.name,
        item.label,
        series.unit,
        _figure(item.target_number, entry_text(item.target.parsed, series.unit, style) if item.target else ""),
        _figure(item.number, entry_text(item.value.entry.parsed, series.unit, style) if item.value else ""),
        "未入力" if item.value is None else STATUS_LABELS[item.value.status],
        item.rate.value if item.rate.value is not None else percent_text(None, style),
        f"{judgement.symbol} {judgement.label}" if judgement is not None else "",
        _figure(item.previous_number, entry_text(item.previous.entry.parsed, series.unit, style) if item.previous else ""),
        item.change if item.change is not None else "",
        "\n".join(row.flags),
    ]


def review_workbook(title: str, rows: list[Row], style: Display) -> bytes:
    """*rows* under *title*: one header row, one row per series, numbers as numbers."""
    wb = Workbook()
    ws = wb.active
    ws.title = "提出状況"
    ws.cell(1, 1, neutralise(title)).font = Font(bold=True, size=13)
    for column, (head, width) in enumerate(COLUMNS, start=1):
        cell = ws.cell(3, column, head)
        cell.font, cell.fill = Font(bold=True), HEAD_FILL
        ws.column_dimensions[get_column_letter(column)].width = width
    for r, row in enumerate(rows, start=4):
        for column, value in enumerate(_cells(row, style), start=1):
            if isinstance(value, Decimal):
                cell = ws.cell(r, column, value)
                cell.number_format = number_format(value)
            else:
                cell = ws.cell(r, column, neutralise(str(value)))
                if column == len(COLUMNS):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "E4"
    ws.auto_filter.ref = f"A3:{get_column_letter(len(COLUMNS))}{max(3, len(rows) + 3)}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
