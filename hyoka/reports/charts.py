"""Charts as SVG written by hand: the one chart code of the report, the public site and the web app.

No JavaScript, vector in the PDF, readable by a screen reader: each chart has a title,
axis labels, a data label on every mark and a <desc> that says the same in words, in
the page's language (:class:`ChartWords`). A series chart draws the whole series: every
year with an actual and every target, with the years whose figure is still to come
(把握予定) or cannot be measured marked where their bar would be.

Pixel positions are plain floats: they are not figures anyone reads, and exact fractions
made publishing a site spend most of its time on them. What a chart prints (data labels,
axis ticks) stays exact: the labels are the entered numbers, the ticks Decimal steps.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from functools import lru_cache
from html import escape
from typing import Any

from ..core.model import Indicator, Series, Status
from ..core.targets import number_in_base, resolve_target
from ..translation import ENGLISH, gettext_noop, translator

FONT = "'Noto Sans CJK JP', 'IPAexGothic', sans-serif"
ACTUAL = "#1f5fa8"
ESTIMATE = "#8fb1dc"
BASELINE = "#9a9a9a"
TARGET = "#c8501e"
MISSING = "#8a6d1d"
AXIS = "#444444"
GRID = "#d9d9d9"
TITLE_LINE = 12
LEGEND_LINE = 12  # the legend's row above the plot
AXIS_LINE = 10  # the axis title's row below the years


def _px(value: float) -> str:
    """A coordinate with one decimal, without a trailing ".0"."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def grouped(value: Decimal) -> str:
    """「353,716」「81」「12.5」: a data label (the number as entered, with separators)."""
    text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    return f"{sign}{int(whole):,}" + (f".{frac}" if frac else "")


@dataclass(frozen=True)
class ChartWords:
    """The words a chart draws around the plan's own content, so an English page frames the
    (Japanese) indicator names with English legends, axes and descriptions. They are written
    in Japanese; the English ones come from hyoka's catalogue (``hyoka.translation``)."""

    actual: str = gettext_noop("実績値")
    estimate: str = gettext_noop("見込値")
    target: str = gettext_noop("目標値")
    baseline: str = gettext_noop("基準値")
    pending: str = gettext_noop("把握予定")
    unmeasurable: str = gettext_noop("測定不能")
    estimate_mark: str = gettext_noop("(見込)")
    parenthesis: str = gettext_noop("（{}）")
    no_unit: str = gettext_noop("値")
    calendar_year: str = gettext_noop("年")
    fiscal_year: str = gettext_noop("年度")
    count: str = gettext_noop("{}件")
    trend: str = gettext_noop("{title}の推移。{years}。")
    year_said: str = gettext_noop("{year}年: {said}")
    actual_said: str = gettext_noop("実績 {value}")
    estimate_said: str = gettext_noop("実績（見込） {value}")
    baseline_said: str = gettext_noop("基準値 {value}")
    target_said: str = gettext_noop("目標 {value}")
    distribution: str = gettext_noop("{title}: {rows}。")
    comma: str = gettext_noop("、")
    full_stop: str = gettext_noop("。")


JAPANESE_WORDS = ChartWords()
ENGLISH_WORDS = ChartWords(**{name: translator(ENGLISH)(text) for name, text in asdict(JAPANESE_WORDS).items()})
WORDS = {"ja": JAPANESE_WORDS, "en": ENGLISH_WORDS}


def words_for(language: str) -> ChartWords:
    """The chart words of a page in *language* ("en", "en-us", "ja"); Japanese unless English is asked for."""
    return WORDS.get(language.split("-")[0].lower(), JAPANESE_WORDS)


@dataclass(frozen=True)
class Point:
    """One year of a series chart, in the series' unit (万人泊 stays 万人泊)."""

    year: int
    actual: Decimal | None = None
    estimate: bool = False
    target: Decimal | None = None
    missing: str = ""  # "pending" or "unmeasurable": the year has a value, but no figure to draw
    baseline: bool = False  # *actual* is the baseline (a year before the plan with no actual of its own)


def _in_unit(number: Decimal | None, scale: int) -> Decimal | None:
    return None if number is None else number.scaleb(-scale)


def series_points(series: Series, years: Iterable[int] = (), upto: int | None = None) -> list[Point]:
    """The whole series, one point a year from its first to its last: every year of *years*, every
    year with a value (up to *upto*, the year reported on), every target and the baseline's year."""
    scale = series.unit_scale
    shown = {y: v for y, v in series.values.items() if upto is None or y <= upto}
    baseline = series.baseline
    base_year = baseline.year if baseline is not None and baseline.year is not None and baseline.year not in shown else None
    axis = {*years, *shown, *series.targets, *([base_year] if base_year is not None else [])}
    if not axis:
        return []
    points = []
    for year in range(min(axis), max(axis) + 1):
        target = _in_unit(resolve_target(series, year)[0], scale)
        value = shown.get(year)
        if value is not None and value.status in (Status.PENDING, Status.UNMEASURABLE):
            points.append(Point(year, target=target, missing=value.status.value))
        elif value is not None and value.number is not None:
            actual = _in_unit(number_in_base(value.entry.parsed, scale), scale)
            points.append(Point(year, actual, value.status is Status.ESTIMATE, target))
        elif year == base_year and baseline is not None and baseline.entry.parsed.is_number:
            points.append(Point(year, _in_unit(number_in_base(baseline.entry.parsed, scale), scale), target=target, baseline=True))
        else:
            points.append(Point(year, target=target))
    return points


@dataclass(frozen=True)
class SeriesChart:
    """A drawn series: its title, the SVG and what it shows in words (its alternative text)."""

    title: str
    svg: str
    words: str


def indicator_charts(
    ind: Indicator,
    years: Iterable[int] = (),
    upto: int | None = None,
    words: ChartWords = JAPANESE_WORDS,
    prefix: str = "chart",
    titled: bool = True,
    small: bool = False,
) -> list[SeriesChart]:
    """One chart per series of *ind* that has a number to draw (a part gets its own chart)."""
    drawn = (chart_of(ind, s, years, upto, words, prefix, titled, small) for s in ind.series())
    return [c for c in drawn if c is not None]


def chart_of(
    ind: Indicator,
    s: Series,
    years: Iterable[int] = (),
    upto: int | None = None,
    words: ChartWords = JAPANESE_WORDS,
    prefix: str = "chart",
    titled: bool = True,
    small: bool = False,
) -> SeriesChart | None:
    """The chart of the series *s* of *ind* (itself or a part), None when it has no number to draw.

    *titled*: the title drawn in the chart; a page that prints it as a caption beside the chart
    leaves it out (WeasyPrint lays out an SVG text letter by letter, a PDF of a hundred charts over).
    *small*: one of a row of small charts under a table of the same figures: no legend (the page's
    凡例 gives it), the target labelled only in its last year, the years without an axis title."""
    title = ind.name if s is ind else f"{ind.name}（{s.label or s.id}）"
    points = series_points(s, years, upto)
    if not any(p.actual is not None or p.target is not None for p in points):
        return None
    axis = words.calendar_year if ind.period_basis == "calendar" else words.fiscal_year
    chart_id = f"{prefix}-{ind.id}-{s.id}" if s is not ind else f"{prefix}-{ind.id}"
    description = series_words(title, s.unit, points, words)
    return SeriesChart(title, series_chart(chart_id, title, s.unit, axis, points, words, titled, small, description), description)


def _nice_step(span: Decimal) -> Decimal:
    """A 1-2-5 step that cuts *span* into two to four intervals (few labels: each is a PDF text)."""
    if span <= 0:
        return Decimal(1)
    base = Decimal(1).scaleb(span.adjusted() - 1)
    for multiple in (1, 2, 5, 10, 20, 50, 100):
        step = base * multiple
        if span / step <= 4:
            return step
    return base * 100


def _scale(values: list[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """The axis from zero (or below) to the highest value, in exact steps."""
    low = min([Decimal(0), *values])
    high = max([Decimal(0), *values])
    if high == low:
        high = low + 1
    step = _nice_step(high - low)
    low = (low / step).to_integral_value(ROUND_FLOOR) * step
    high = (high / step).to_integral_value(ROUND_CEILING) * step
    return low, high, step


def wrap(text: str, width: int, size: int) -> list[str]:
    """*text* in lines no wider than *width*: a chart title is wrapped, never cut."""
    lines, line = [], ""
    for ch in text:
        if line and text_width(line + ch, size) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines


def _open(chart_id: str, width: int, height: int, titles: list[str], title: str, description: str) -> list[str]:
    return [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" font-family="{FONT}" font-size="9">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
        *(label(width / 2, 13 + TITLE_LINE * i, line, size=10, attrs=' font-weight="bold"') for i, line in enumerate(titles)),
    ]


@lru_cache(maxsize=4096)
def text_width(text: str, size: float) -> float:
    """The width of *text* in Noto Sans CJK JP: full-width characters 1 em, others about 0.55 em."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.55 for ch in text) * size


def label(x: float, y: float, text: str, anchor: str = "middle", size: int = 9, attrs: str = "") -> str:
    """A <text> placed from its start: WeasyPrint draws each middle- or end-anchored text
    as a separate PDF form, which makes the PDF slow to write and to read."""
    shift = text_width(text, size) / (2 if anchor == "middle" else 1) if anchor in ("middle", "end") else 0.0
    size_attr = f' font-size="{size}"' if size != 9 else ""
    return f'<text x="{_px(x - shift)}" y="{_px(y)}"{size_attr}{attrs}>{escape(text)}</text>'


def series_chart(
    chart_id: str,
    title: str,
    unit: str,
    year_axis: str,
    points: list[Point],
    words: ChartWords = JAPANESE_WORDS,
    titled: bool = True,
    small: bool = False,
    description: str | None = None,
) -> str:
    """Actuals as bars (estimates lighter, a baseline grey), targets as a dashed line with markers,
    and a marked slot for each year whose figure is pending or cannot be measured; without its
    drawn title (*titled* False) the chart is one title line shorter, a *small* one a legend and
    an axis title shorter. *description*: its <desc>, when the caller has made it already."""
    titles = wrap(title, 320, 10) if titled else []
    shift = TITLE_LINE * (len(titles) - 1) - (LEGEND_LINE if small else 0)
    width, height, left, right, top, _bottom = _frame(shift, small)
    plot_w = width - left - right
    if description is None:
        description = series_words(title, unit, points, words)
    out = _open(chart_id, width, height, titles, title, description)
    if not small:
        out.append(_legend(left, 26 + shift, words, any(p.baseline for p in points), any(p.missing for p in points)))
    # the words drawn in the plot, only where a point needs them: the plot is then the same in every language
    marks = (
        words.estimate_mark if any(p.estimate for p in points) else "",
        words.pending if any(p.missing == "pending" for p in points) else "",
        words.unmeasurable if any(p.missing == "unmeasurable" for p in points) else "",
    )
    out.append(_plot(tuple(points), shift, small, marks))
    if not small:
        out.append(label(left + plot_w / 2, height - 6, words.parenthesis.format(year_axis)))
    out.append(f'<text x="6" y="{top - 8}">{escape(words.parenthesis.format(unit or words.no_unit))}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _frame(shift: int, small: bool) -> tuple[int, int, int, int, int, int]:
    """Width, height and the left, right, top and bottom margins of a series chart."""
    return 340, 200 + shift - (AXIS_LINE if small else 0), 52, 12, 40 + shift, 34 - (AXIS_LINE if small else 0)


_PLOTS: dict[tuple[Any, ...], str] = {}


def _plot(points: tuple[Point, ...], shift: int, small: bool, marks: tuple[str, str, str]) -> str:
    """The grid, the bars, the targets and the axes of ``series_chart``: made once for a chart's pages in both languages.

    Kept by the figures as written: 12.50 and 12.5 are equal Decimals but different labels."""
    key = (tuple((p.year, str(p.actual), p.estimate, str(p.target), p.missing, p.baseline) for p in points), shift, small, marks)
    if key not in _PLOTS:
        if len(_PLOTS) >= 256:
            _PLOTS.clear()
        _PLOTS[key] = _draw_plot(points, shift, small, marks)
    return _PLOTS[key]


def _draw_plot(points: tuple[Point, ...], shift: int, small: bool, marks: tuple[str, str, str]) -> str:
    estimate_mark, pending, unmeasurable = marks
    width, height, left, right, top, bottom = _frame(shift, small)
    plot_w, plot_h = width - left - right, height - top - bottom
    low, high, step = _scale([v for p in points for v in (p.actual, p.target) if v is not None])
    low_f, span = float(low), float(high - low)

    def y(v: Decimal) -> float:
        return top + plot_h - (float(v) - low_f) / span * plot_h

    slot = plot_w / max(1, len(points))
    out = []
    tick = low
    while tick <= high:
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{_px(y(tick))}" y2="{_px(y(tick))}" stroke="{GRID}" stroke-width="0.5"/>')
        out.append(label(left - 4, y(tick) + 3, grouped(tick), "end"))
        tick += step
    zero = y(Decimal(0))
    targets: list[tuple[float, float, Decimal, bool]] = []
    bar_w = slot * 0.55
    size = 9 if slot >= 40 else 7
    for i, p in enumerate(points):
        cx = left + slot * i + slot / 2
        out.append(label(cx, height - bottom + 12, str(p.year), size=size))
        if p.actual is not None:
            top_y, bar_h = min(y(p.actual), zero), abs(y(p.actual) - zero)
            css, fill = ("baseline", BASELINE) if p.baseline else ("estimate", ESTIMATE) if p.estimate else ("actual", ACTUAL)
            out.append(
                f'<rect class="{css}" x="{_px(cx - bar_w / 2)}" y="{_px(top_y)}" width="{_px(bar_w)}" height="{_px(bar_h)}" fill="{fill}"/>'
            )
            text = grouped(p.actual) + (estimate_mark if p.estimate else "")
            out.append(label(cx, top_y - 3, text, size=size, attrs=f' fill="{ACTUAL}"'))
        elif p.missing:
            mark_h = min(24.0, plot_h / 4)
            out.append(
                f'<rect class="{p.missing}" x="{_px(cx - bar_w / 2)}" y="{_px(zero - mark_h)}" width="{_px(bar_w)}" height="{_px(mark_h)}" '
                f'fill="none" stroke="{MISSING}" stroke-width="1" stroke-dasharray="3 2"/>'
            )
            word = pending if p.missing == "pending" else unmeasurable
            out.append(label(cx, zero - mark_h - 3, word, size=min(size, 8), attrs=f' fill="{MISSING}"'))
        if p.target is not None:
            targets.append((cx, y(p.target), p.target, p.actual is not None or bool(p.missing)))
    if len(targets) > 1:
        path = " ".join(f"{_px(x)},{_px(ty)}" for x, ty, _v, _bar in targets)
        out.append(f'<polyline points="{path}" fill="none" stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="4 2"/>')
    for i, (x, ty, v, bar) in enumerate(targets):
        out.append(f'<circle class="target" cx="{_px(x)}" cy="{_px(ty)}" r="2.5" fill="{TARGET}"/>')
        if small and i + 1 < len(targets):
            continue
        # beside the bar of the same year, else above the marker: never on top of a bar
        where = (x + bar_w / 2 + 2, ty + 3, "start") if bar else (x, ty - 5, "middle")
        out.append(label(where[0], where[1], grouped(v), where[2], size=size, attrs=f' fill="{TARGET}"'))
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{_px(zero)}" y2="{_px(zero)}" stroke="{AXIS}" stroke-width="0.8"/>')
    out.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="{AXIS}" stroke-width="0.8"/>')
    return "\n".join(out)


def _legend(x: int, y: int, words: ChartWords, baseline: bool, missing: bool) -> str:
    """The keys as one text whose parts are placed after the swatches
    (each <text> costs the PDF about a millisecond to draw, a hundred charts over)."""
    em = 8
    keys = [(words.actual, "box", ACTUAL), (words.estimate, "box", ESTIMATE), (words.target, "line", TARGET)]
    if baseline:
        keys.append((words.baseline, "box", BASELINE))
    if missing:
        keys.append((words.pending, "dash", MISSING))
    swatches, spans = [], []
    at = float(x)
    for word, kind, color in keys:
        if kind == "line":
            swatches.append(
                f'<line x1="{_px(at)}" x2="{_px(at + 16)}" y1="{y - 3}" y2="{y - 3}" stroke="{color}" stroke-width="1.5" stroke-dasharray="4 2"/>'
            )
            at += 20
        else:
            fill = f'fill="none" stroke="{color}" stroke-dasharray="2 1"' if kind == "dash" else f'fill="{color}"'
            swatches.append(f'<rect x="{_px(at)}" y="{y - 7}" width="9" height="7" {fill}/>')
            at += 12
        spans.append(f'<tspan x="{_px(at)}">{escape(word)}</tspan>')
        at += text_width(word, em) + 2 * em
    return f'<g font-size="{em}">{"".join(swatches)}<text y="{y}">{"".join(spans)}</text></g>'


def series_words(title: str, unit: str, points: list[Point], words: ChartWords = JAPANESE_WORDS) -> str:
    """What a series chart shows, in words: its <desc> and its alternative text."""
    parts = []
    for p in points:
        said = []
        if p.actual is not None:
            said_as = words.baseline_said if p.baseline else words.estimate_said if p.estimate else words.actual_said
            said.append(said_as.format(value=f"{grouped(p.actual)}{unit}"))
        elif p.missing:
            said.append(words.pending if p.missing == "pending" else words.unmeasurable)
        if p.target is not None:
            said.append(words.target_said.format(value=f"{grouped(p.target)}{unit}"))
        if said:
            parts.append(words.year_said.format(year=p.year, said=words.comma.join(said)))
    return words.trend.format(title=title, years=words.full_stop.join(parts))


def _count(count: int, share: str, words: ChartWords) -> str:
    return words.count.format(count) + (words.parenthesis.format(share) if share else "")


def distribution_words(title: str, rows: list[tuple[str, int, str]], words: ChartWords = JAPANESE_WORDS) -> str:
    """What a distribution chart shows, in words: its <desc> and its alternative text."""
    said = words.comma.join(f"{name} {_count(count, share, words)}" for name, count, share in rows)
    return words.distribution.format(title=title, rows=said)


def distribution_chart(chart_id: str, title: str, rows: list[tuple[str, int, str]], words: ChartWords = JAPANESE_WORDS) -> str:
    """Horizontal bars: (label, count, share text) for each grade or judgement."""
    label_w = 12 + math.ceil(max([60.0, *(text_width(name, 9) for name, _c, _s in rows)]))
    bar_max, row_h = 220, 20
    width = label_w + bar_max + 80
    titles = wrap(title, width - 20, 10)
    shift = TITLE_LINE * (len(titles) - 1)
    height = 30 + shift + row_h * len(rows) + 10
    most = max([1, *(count for _l, count, _s in rows)])
    out = _open(chart_id, width, height, titles, title, distribution_words(title, rows, words))
    for i, (name, count, share) in enumerate(rows):
        top = 26 + shift + row_h * i
        bar = bar_max * count / most
        out.append(label(label_w - 6, top + 12, name, "end"))
        out.append(f'<rect x="{label_w}" y="{top + 3}" width="{_px(bar)}" height="{row_h - 6}" fill="{ACTUAL}"/>')
        out.append(f'<text x="{_px(label_w + bar + 4)}" y="{top + 12}">{escape(_count(count, share, words))}</text>')
    out.append(f'<line x1="{label_w}" x2="{label_w}" y1="{24 + shift}" y2="{height - 8}" stroke="{AXIS}" stroke-width="0.8"/>')
    out.append("</svg>")
    return "\n".join(out)
