"""Template filters for how Japanese readers expect years, dates and rates to be written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import template
from django.forms import BoundField
from django.template import Context
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ....core.arithmetic import fmt_decimal
from ....core.display import entry_text, percent_text
from ....core.grades import Grade
from ....core.judgement import Judgement
from ....core.model import Entry, Series, Status
from ....core.rates import NoRate
from ....core.wareki import to_wareki
from ....core.wareki import wareki_date as japanese_date
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
    return japanese_date(text) if _japanese() else text


@register.filter
def pct(value: Decimal | None) -> str:
    return "―" if value is None else f"{fmt_decimal(value)}%"


@register.simple_tag
def described(field: BoundField, form_id: str = "", label: str = "") -> str:
    """A form field's widget tied to its hint and its errors (aria-describedby), marked invalid when refused.

    *form_id* ties it to a form elsewhere on the page (a row of the grid); *label* names it where no label is shown.
    """
    ids = [f"{field.auto_id}_help"] if field.help_text else []
    attrs: dict[str, str] = {"form": form_id} if form_id else {}
    if label:
        attrs["aria-label"] = label
    if field.errors:
        ids.append(f"{field.auto_id}_errors")
        attrs["aria-invalid"] = "true"
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def figure(context: Context, entry: Entry | None, series: Series) -> str:
    """A target, baseline or actual in the plan's display style (core.display): 「1,234件」, whatever was typed."""
    if entry is None:
        return ""
    return entry_text(entry.parsed, series.unit, context["ev"].rules.display)


@register.simple_tag(takes_context=True)
def percent(context: Context, value: Decimal | str | None) -> str:
    """A rate in the plan's display style: 「108.0％」 or 「108.0%」; ― when there is none."""
    return percent_text(value, context["ev"].rules.display)


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


NO_RATE_LABELS = {
    NoRate.NO_VALUE.value: _("未入力"),
    NoRate.PENDING.value: _("把握予定"),
    NoRate.UNMEASURABLE.value: _("測定不能"),
    NoRate.NO_TARGET.value: _("目標値なし"),
    NoRate.ZERO_DENOMINATOR.value: _("算出不能（分母が0）"),
    NoRate.NO_BASELINE.value: _("基準値なし"),
    NoRate.QUALITATIVE.value: _("定性目標"),
}


@register.filter
def no_rate_label(reason: str) -> str:
    """Why an indicator was left out of a grade, in words (the core keeps a code)."""
    return str(NO_RATE_LABELS.get(reason, reason))


@register.filter
def signed(value: Decimal | None) -> str:
    """A change as a reader scans for it: 「+1,200」「-5.0」, ― when there is none."""
    if value is None:
        return "―"
    return ("+" if value > 0 else "") + f"{value:,f}"
