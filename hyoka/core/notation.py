"""How the published reports mark indicators and values in their tables.

Seed 000 writes 〔累計〕〔総数〕《暦年》 after an indicator's name, 「2026 年９月頃
把握予定」 in the cell of a pending value and (見込値) under an estimate. The report,
the workbook and the public site print the same marks, so they are made here once.
"""

from __future__ import annotations

from .display import entry_text
from .model import Indicator, Status, Value, assumed
from .rules import Display
from .text import fullwidth_digits

EMPTY_CELL = "―"
ESTIMATE = " (見込値)"  # after an estimate's figure
PROVISIONAL = "（概数）"  # after a provisional statistic (人口動態統計の概数)
PROVISIONAL_MARKED = "（概数※）"  # … whose note is under the table

# What seed 000's 凡例 says each aggregation means; printed for the marks a plan uses.
AGGREGATION_WORDS = {
    "単年度": "当該年度１年間における数値（表示のない指標は単年度）",
    "累計": "計画期間以前も含め、単年度の数値を合計した数値",
    "計画期間中の累計": "計画期間中の単年度の数値を合計した数値",
    "総数": "当該年度の特定時点における数値（時点更新により対象から外れた場合は数から除く）",
}
CALENDAR_WORDS = "「暦年」で調査している統計などは《暦年》と表示しています（表示のない指標は年度で集計）。"


def indicator_marks(indicator: Indicator) -> str:
    """「〔累計〕《暦年》」: the aggregation (unless 単年度, or assumed by a converter) and the calendar-year basis."""
    marks = ""
    if indicator.aggregation != "単年度" and "aggregation" not in assumed(indicator.extras):
        marks += f"〔{indicator.aggregation}〕"
    if indicator.period_basis == "calendar":
        marks += "《暦年》"
    return marks


def marked_name(indicator: Indicator) -> str:
    return f"{indicator.name}{indicator_marks(indicator)}"


def expected_when(expected: str) -> tuple[int, int | None]:
    """The year and month of a pending value's "2026-09" (or just the year of "2026")."""
    year, _, month = expected.partition("-")
    return int(year), int(month) if month else None


def pending_text(expected: str | None) -> str:
    """「2026 年９月頃把握予定」 from "2026-09"; 「2026 年度中に把握予定」 from "2026"."""
    if not expected:
        return "把握予定"
    year, month = expected_when(expected)
    if month is None:
        return f"{year} 年度中に把握予定"
    return f"{year} 年{fullwidth_digits(str(month))}月頃把握予定"


def value_text(value: Value | None, unit: str, style: Display) -> str:
    """The text of an actual's cell as the reports print it: the figure in the plan's style (``display``)."""
    if value is None:
        return EMPTY_CELL
    if value.status is Status.PENDING:
        return pending_text(value.expected)
    parsed = value.entry.parsed
    text = entry_text(parsed, unit, style) or EMPTY_CELL
    if parsed.provisional:  # 「1.08（概数※）」: the kind of estimate as printed, and its note's mark
        return text + (PROVISIONAL_MARKED if "※" in parsed.raw and not parsed.marks else PROVISIONAL)
    if value.status is Status.ESTIMATE or parsed.estimate:  # 「5,357 人 (見込値)※」: the mark after the word
        marks = "".join(parsed.marks)
        figure = text[: len(text) - len(marks)] if marks and text.endswith(marks) else text
        return f"{figure}{ESTIMATE}{marks}"
    return text
