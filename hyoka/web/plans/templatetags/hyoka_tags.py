"""Template filters for how Japanese readers expect years, dates and rates to be written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import template
from django.utils.translation import get_language

from ....core.arithmetic import fmt_decimal
from ....core.text import fullwidth_digits
from ....core.wareki import to_wareki

register = template.Library()


def _japanese() -> bool:
    return (get_language() or "ja").startswith("ja")


@register.filter
def wareki(year: int | None) -> str:
    """2024 → 「令和６年度」 in Japanese, 「FY2024」 in English."""
    if year is None or year == "":
        return ""
    year = int(year)
    return to_wareki(year) if _japanese() else f"FY{year}"


@register.filter
def wareki_date(value: str | date | None) -> str:
    """An ISO date (2025-05-30) or month (2026-09) as 「令和７年５月30日」 / 「令和８年９月」."""
    if not value:
        return ""
    text = value.isoformat() if isinstance(value, date) else str(value)
    parts = [int(p) for p in text.split("-")]
    if not _japanese():
        return text
    out = to_wareki(parts[0], fiscal=False)
    if len(parts) > 1:
        out += fullwidth_digits(f"{parts[1]}月")
    if len(parts) > 2:
        out += fullwidth_digits(f"{parts[2]}日")
    return out


@register.filter
def pct(value: Decimal | None) -> str:
    return "―" if value is None else f"{fmt_decimal(value)}%"
