"""The series chart of an indicator as inline SVG: targets and actuals over the plan period.

Drawn on the server so the page needs no script and no external library; years whose
figure is still to come (把握予定) are marked on the axis instead of being left blank,
as the seeds' charts do. Coordinates are computed with exact fractions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from html import escape

from ...core.arithmetic import fmt_decimal, round_fraction
from ...core.model import Series, Status
from ...core.rules import Rounding
from ...core.targets import number_in_base, resolve_target
from ...core.wareki import short_wareki

WIDTH, HEIGHT = 680, 280
LEFT, RIGHT, TOP, BOTTOM = 78, 24, 28, 56
_COORD = Rounding("half_up", 1)


@dataclass(frozen=True)
class Point:
    year: int
    value: Fraction | None  # in the series' unit (万人泊 stays 万人泊)
    state: str  # "actual", "estimate", "pending", "unmeasurable", "target", "baseline"


def _in_unit(number: object, scale: int) -> Fraction:
    return Fraction(str(number)) / 10**scale


def points(series: Series, years: list[int]) -> tuple[list[Point], list[Point], Point | None]:
    """Targets, actuals (with pending years) and the baseline, in the series' unit."""
    scale = series.unit_scale
    targets = []
    for y in years:
        number, _entry = resolve_target(series, y)
        if number is not None:
            targets.append(Point(y, _in_unit(number, scale), "target"))
    actuals = []
    for y in sorted(series.values):
        v = series.values.get(y)
        if v is None:
            continue
        if v.status in (Status.PENDING, Status.UNMEASURABLE):
            actuals.append(Point(y, None, v.status.value))
            continue
        number = number_in_base(v.entry.parsed, scale) if v.entry.parsed.is_number else None
        if number is not None:
            actuals.append(Point(y, _in_unit(number, scale), "estimate" if v.status is Status.ESTIMATE else "actual"))
    baseline = None
    b = series.baseline
    if b is not None and b.year is not None and b.entry.parsed.is_number:
        number = number_in_base(b.entry.parsed, scale)
        if number is not None:
            baseline = Point(b.year, _in_unit(number, scale), "baseline")
    return targets, actuals, baseline


def nice_step(raw: Fraction) -> Fraction:
    """The smallest 1, 2, 2.5 or 5 × 10^k at least *raw*: axis ticks people read at a glance."""
    if raw <= 0:
        return Fraction(1)
    power = Fraction(10) ** (len(str(math.floor(raw))) - 1 if raw >= 1 else -len(str(math.floor(1 / raw))))
    while True:
        for m in (1, 2, Fraction(5, 2), 5):
            if power * m >= raw:
                return power * m
        power *= 10


def _c(value: Fraction) -> str:
    return fmt_decimal(round_fraction(value, _COORD))


def _label(value: Fraction) -> str:
    shown = round_fraction(value, Rounding("half_up", 2)).normalize()
    return f"{shown:,f}"


def series_chart(series: Series, years: list[int], *, title: str, pending_word: str, target_word: str, actual_word: str) -> str:
    """An accessible SVG (role="img" with a title) of *series* over *years*; "" when nothing is numeric."""
    targets, actuals, baseline = points(series, years)
    axis_years = sorted({*years, *(p.year for p in actuals), *([baseline.year] if baseline else [])})
    known = [p.value for p in [*targets, *actuals, *([baseline] if baseline else [])] if p.value is not None]
    if not known:
        return ""
    bottom = min(Fraction(0), min(known))
    step = nice_step((max(known) - bottom) * Fraction(11, 10) / 4)
    bottom = step * math.floor(bottom / step)
    top = bottom + step * 4
    while top < max(known):
        top += step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    column = Fraction(plot_w, max(len(axis_years), 1))

    def x(year: int) -> Fraction:
        return LEFT + column * axis_years.index(year) + column / 2

    def y(value: Fraction) -> Fraction:
        return TOP + plot_h - (value - bottom) / (top - bottom) * plot_h

    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title-{escape(series.id)}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title-{escape(series.id)}">{escape(title)}</title>',
    ]
    ticks = int((top - bottom) / step)
    for i in range(ticks + 1):
        value = bottom + step * i
        out.append(f'<line class="gridline" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_c(y(value))}" y2="{_c(y(value))}"/>')
        out.append(f'<text class="tick" x="{LEFT - 8}" y="{_c(y(value) + 4)}" text-anchor="end">{escape(_label(value))}</text>')
    for year in axis_years:
        out.append(f'<text class="tick" x="{_c(x(year))}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">{year}</text>')
        out.append(f'<text class="tick sub" x="{_c(x(year))}" y="{HEIGHT - BOTTOM + 32}" text-anchor="middle">{short_wareki(year)}</text>')
    if len(targets) > 1:
        path = " ".join(f"{_c(x(p.year))},{_c(y(p.value))}" for p in targets if p.value is not None)
        out.append(f'<polyline class="target-line" points="{path}"/>')
    for p in targets:
        assert p.value is not None
        out.append(
            f'<rect class="target" x="{_c(x(p.year) - 5)}" y="{_c(y(p.value) - 5)}" width="10" height="10">'
            f"<title>{p.year} {escape(target_word)} {escape(_label(p.value))}{escape(series.unit)}</title></rect>"
        )
    drawn = [p for p in actuals if p.value is not None]
    line = ([baseline] if baseline else []) + drawn
    if len(line) > 1:
        path = " ".join(f"{_c(x(p.year))},{_c(y(p.value))}" for p in sorted(line, key=lambda p: p.year) if p.value is not None)
        out.append(f'<polyline class="actual-line" points="{path}"/>')
    if baseline is not None and baseline.value is not None:
        out.append(f'<circle class="baseline" cx="{_c(x(baseline.year))}" cy="{_c(y(baseline.value))}" r="5"/>')
    for p in actuals:
        if p.value is None:
            base_y = TOP + plot_h
            out.append(f'<circle class="pending" cx="{_c(x(p.year))}" cy="{base_y - 10}" r="6"/>')
            out.append(
                f'<text class="pending-label" x="{_c(x(p.year))}" y="{base_y - 22}" text-anchor="middle">{escape(pending_word if p.state == "pending" else "―")}</text>'
            )
            continue
        out.append(
            f'<circle class="{p.state}" cx="{_c(x(p.year))}" cy="{_c(y(p.value))}" r="6">'
            f"<title>{p.year} {escape(actual_word)} {escape(_label(p.value))}{escape(series.unit)}</title></circle>"
        )
        out.append(
            f'<text class="value-label" x="{_c(x(p.year))}" y="{_c(y(p.value) - 12)}" text-anchor="middle">{escape(_label(p.value))}</text>'
        )
    out.append("</svg>")
    return "".join(out)
