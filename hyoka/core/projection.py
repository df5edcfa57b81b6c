"""Will the final target be met at the current pace? (SPEC 6)

The published reports state where an indicator stands. They do not say whether it will
get to its final target. This module follows the progress measure that Statistics
Canada designed for Open SDG. It compares the compound annual growth rate observed
since the baseline with the rate needed to reach the final target on time:

    CAGR_observed = (y_now / y_0) ^ (1 / (t_now − t_0)) − 1
    CAGR_required = (y_target / y_0) ^ (1 / (t_target − t_0)) − 1
    R = d · CAGR_observed / |CAGR_required|     (d = −1 when lower is better)

R ≥ 0.95 is on track, 0.6 ≤ R < 0.95 needs acceleration, 0 ≤ R < 0.6 is limited
progress, and R < 0 is deterioration; a rule set may move these thresholds
(``measures.outlook``). A target that is already met is reported as
achieved. When a value is zero or negative the growth rate is undefined. The ratio is
then taken of the linear annual changes instead, and the result says so. Powers and
roots are not exact in any arithmetic, so they are computed with Decimal at 40
significant digits. Only the ratio compared with the thresholds comes from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, localcontext

from .criteria import MeasureRule
from .model import Series, Status
from .outlook import Outlook
from .targets import final_target, number_in_base

__all__ = ["Outlook", "Projection", "project"]

PRECISION = 40


@dataclass(frozen=True)
class Projection:
    outlook: Outlook
    ratio: Decimal | None  # R, or None when the target is already met
    method: str  # "cagr" or "linear"
    base_year: int
    base: Decimal
    year: int
    value: Decimal
    target_year: int
    target: Decimal
    projected: Decimal  # the value at the target year if the observed pace continues

    def explanation(self, unit: str = "") -> str:
        pace = "年平均伸び率" if self.method == "cagr" else "年平均の増減"
        if self.outlook is Outlook.ACHIEVED:
            return f"{self.year}年度の実績 {_n(self.value)}{unit} は{self.target_year}年度の目標 {_n(self.target)}{unit} に達しています。"
        return (
            f"{self.base_year}年度（{_n(self.base)}{unit}）から{self.year}年度（{_n(self.value)}{unit}）までの{pace}が、"
            f"{self.target_year}年度の目標 {_n(self.target)}{unit} に必要な{pace}の {_ratio(self.ratio)} 倍のため『{self.outlook.label}』"
            f"（このペースでは{self.target_year}年度に約 {_n(self.projected)}{unit}）。"
        )


def _n(value: Decimal) -> str:
    shown = value.quantize(Decimal("0.1")) if value != value.to_integral_value() else value.quantize(Decimal(1))
    return f"{shown:,}"


def _ratio(value: Decimal | None) -> str:
    return "―" if value is None else f"{value.quantize(Decimal('0.01'), rounding=ROUND_DOWN):f}"


def _latest(series: Series, year: int) -> tuple[int, Decimal] | None:
    for y in sorted(series.values, reverse=True):
        v = series.values[y]
        if y <= year and v.status in (Status.CONFIRMED, Status.ESTIMATE) and v.number is not None:
            value = number_in_base(v.entry.parsed, series.unit_scale)
            if value is not None:
                return y, value
    return None


def _base(series: Series, year: int) -> tuple[int, Decimal] | None:
    if series.baseline is not None and series.baseline.year is not None and series.baseline.entry.number is not None:
        value = number_in_base(series.baseline.entry.parsed, series.unit_scale)
        if value is not None and series.baseline.year < year:
            return series.baseline.year, value
    for y in sorted(series.values):
        v = series.values[y]
        if y < year and v.number is not None:
            value = number_in_base(v.entry.parsed, series.unit_scale)
            if value is not None:
                return y, value
    return None


def project(series: Series, year: int, final_target_year: int | None = None, rule: MeasureRule | None = None) -> Projection | None:
    """The outlook of *series* at *year* toward its final target, or None when it cannot be judged."""
    rule = rule or MeasureRule()
    if series.direction == "qualitative":
        return None
    latest = _latest(series, year)
    if latest is None:
        return None
    now_year, now = latest
    base = _base(series, now_year)
    final = final_target(series, final_target_year)
    if base is None or final is None:
        return None
    base_year, y0 = base
    target_year, y_target = final.year, final.value
    if target_year <= base_year or now_year <= base_year:
        return None
    sign = -1 if series.direction == "lower" else 1
    with localcontext() as ctx:
        ctx.prec = PRECISION
        if (now - y_target) * sign >= 0:
            return Projection(Outlook.ACHIEVED, None, "cagr", base_year, y0, now_year, now, target_year, y_target, now)
        elapsed, needed = Decimal(now_year - base_year), Decimal(target_year - base_year)
        if y0 > 0 and now > 0 and y_target > 0:
            observed = (now / y0).ln() / elapsed
            required = (y_target / y0).ln() / needed
            method = "cagr"
            projected = y0 * (observed * needed).exp()
        else:
            observed = (now - y0) / elapsed
            required = (y_target - y0) / needed
            method = "linear"
            projected = y0 + observed * needed
        if required == 0:
            return None
        if method == "cagr":  # R = d · CAGR_observed / |CAGR_required|, d = −1 when lower is better
            ratio = sign * (observed.exp() - 1) / abs(required.exp() - 1)
        else:
            ratio = sign * observed / abs(required)
    if ratio >= rule.on_track:
        outlook = Outlook.ON_TRACK
    elif ratio >= rule.acceleration:
        outlook = Outlook.ACCELERATION_NEEDED
    elif ratio >= rule.limited:
        outlook = Outlook.LIMITED
    else:
        outlook = Outlook.DETERIORATION
    return Projection(outlook, ratio, method, base_year, y0, now_year, now, target_year, y_target, projected)
