"""Template filters for how Japanese readers expect years, dates and rates to be written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import template
from django.utils.translation import get_language

from ....core.arithmetic import fmt_decimal
from ....core.grades import Grade
from ....core.judgement import Judgement
from ....core.model import Status
from ....core.text import fullwidth_digits
from ....core.wareki import to_wareki
from ..models import ValueStatus

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


@register.filter
def grade_class(grade: Grade | None) -> str:
    """g0 (best band) … g3, or gn without a grade: colours follow the band, whatever its label."""
    if grade is None or grade.band is None:
        return "gn"
    return f"g{min(grade.rule.bands.index(grade.band), 3)}"


@register.filter
def judgement_class(judgement: Judgement | None) -> str:
    if judgement is None:
        return "jn"
    if judgement.rank is not None:
        return f"j{min(judgement.rank, 2)}"
    return "jp" if judgement.pending else "jn"


@register.filter
def status_label(status: str | Status | None) -> str:
    return str(ValueStatus(str(status)).label) if status else ""


@register.filter
def get(mapping: dict, key: object) -> object:  # type: ignore[type-arg]
    return mapping.get(key)


@register.filter
def short_number(node: object) -> str:
    """「基本目標１」 → 「１」 where the level is shown beside it anyway (「基本目標 １」, not twice)."""
    number, level = getattr(node, "number", ""), getattr(node, "level", "")
    return number[len(level) :].strip() if level and number.startswith(level) else number
