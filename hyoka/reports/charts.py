"""Charts as SVG written by hand: no JavaScript, vector in the PDF, readable by a screen reader.

Each chart has a title, axis labels and a data label on every mark, and a <desc>
that says the same in words. Coordinates are computed with exact fractions and
written with one decimal, like every other number in hyoka.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from html import escape

from ..core.arithmetic import round_fraction
from ..core.rules import Rounding

FONT = "'Noto Sans CJK JP', 'IPAexGothic', sans-serif"
ACTUAL = "#1f5fa8"
ESTIMATE = "#8fb1dc"
TARGET = "#c8501e"
AXIS = "#444444"
GRID = "#d9d9d9"
_PX = Rounding("half_up", 1)
TITLE_LINE = 12


def _px(value: Fraction | int) -> str:
    return format(round_fraction(Fraction(value), _PX).normalize(), "f")


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
    (Japanese) indicator names with English legends, axes and descriptions."""

    actual: str = "実績値"
    estimate: str = "見込値"
    target: str = "目標値"
    estimate_mark: str = "(見込)"
    parenthesis: str = "（{}）"
    no_unit: str = "値"
    calendar_year: str = "年"
    fiscal_year: str = "年度"
    count: str = "{}件"
    trend: str = "{title}の推移。{years}。"
    year_said: str = "{year}年: {said}"
    actual_said: str = "実績 {value}"
    estimate_said: str = "実績（見込） {value}"
    target_said: str = "目標 {value}"
    distribution: str = "{title}: {rows}。"
    comma: str = "、"
    full_stop: str = "。"


JAPANESE_WORDS = ChartWords()
ENGLISH_WORDS = ChartWords(
    actual="Actual",
    estimate="Estimate",
    target="Target",
    estimate_mark=" (est.)",
    parenthesis="({})",
    no_unit="Value",
    calendar_year="Year",
    fiscal_year="Fiscal year",
    count="{}",
    trend="{title}: targets and actuals. {years}.",
    year_said="{year}: {said}",
    actual_said="actual {value}",
    estimate_said="actual (estimate) {value}",
    target_said="target {value}",
    distribution="{title}: {rows}.",
    comma=", ",
    full_stop=". ",
)


@dataclass(frozen=True)
class Point:
    year: int
    actual: Decimal | None = None
    estimate: bool = False
    target: Decimal | None = None


def _nice_step(span: Fraction) -> Fraction:
    """A 1-2-5 step that cuts *span* into two to four intervals (few labels: each is a PDF text)."""
    if span <= 0:
        return Fraction(1)
    exponent = (Decimal(span.numerator) / Decimal(span.denominator)).adjusted() - 1
    base = Fraction(10) ** exponent
    for multiple in (1, 2, 5, 10, 20, 50, 100):
        step = base * multiple
        if span / step <= 4:
            return step
    return base * 100


def _scale(values: list[Fraction]) -> tuple[Fraction, Fraction, Fraction]:
    low = min([Fraction(0), *values])
    high = max([Fraction(0), *values])
    if high == low:
        high = low + 1
    step = _nice_step(high - low)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step
    return Fraction(low), Fraction(high), step


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
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{chart_id}-t {chart_id}-d" font-family="{FONT}" font-size="9">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
        *(label(width // 2, 13 + TITLE_LINE * i, line, size=10, attrs=' font-weight="bold"') for i, line in enumerate(titles)),
    ]


def text_width(text: str, size: int | Fraction) -> Fraction:
    """The width of *text* in Noto Sans CJK JP: full-width characters 1 em, others about 0.55 em."""
    ems = sum(Fraction(1) if unicodedata.east_asian_width(ch) in "WFA" else Fraction(11, 20) for ch in text)
    return ems * size


def label(x: Fraction | int, y: Fraction | int, text: str, anchor: str = "middle", size: int = 9, attrs: str = "") -> str:
    """A <text> placed from its start: WeasyPrint draws each middle- or end-anchored text
    as a separate PDF form, which makes the PDF slow to write and to read."""
    shift = text_width(text, size) / (2 if anchor == "middle" else 1) if anchor in ("middle", "end") else Fraction(0)
    size_attr = f' font-size="{size}"' if size != 9 else ""
    return f'<text x="{_px(Fraction(x) - shift)}" y="{_px(y)}"{size_attr}{attrs}>{escape(text)}</text>'


def series_chart(chart_id: str, title: str, unit: str, year_axis: str, points: list[Point], words: ChartWords = JAPANESE_WORDS) -> str:
    """Actuals as bars (estimates lighter), targets as a dashed line with markers."""
    titles = wrap(title, 320, 10)
    shift = TITLE_LINE * (len(titles) - 1)
    width, height = 340, 200 + shift
    left, right, top, bottom = 52, 12, 40 + shift, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    numbers = [Fraction(v) for p in points for v in (p.actual, p.target) if v is not None]
    low, high, step = _scale(numbers)

    def y(v: Decimal | Fraction) -> Fraction:
        return top + plot_h - (Fraction(v) - low) / (high - low) * plot_h

    slot = Fraction(plot_w, max(1, len(points)))
    out = _open(chart_id, width, height, titles, title, series_words(title, unit, points, words))
    out.append(_legend(left, 26 + shift, words))
    tick = low
    while tick <= high:
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{_px(y(tick))}" y2="{_px(y(tick))}" stroke="{GRID}" stroke-width="0.5"/>')
        out.append(label(left - 4, y(tick) + 3, grouped(Decimal(tick.numerator) / Decimal(tick.denominator)), "end"))
        tick += step
    zero = y(0)
    targets: list[tuple[Fraction, Fraction, Decimal, bool]] = []
    bar_w = slot * Fraction(11, 20)
    for i, p in enumerate(points):
        cx = left + slot * i + slot / 2
        out.append(label(cx, height - bottom + 12, str(p.year)))
        if p.actual is not None:
            top_y, bar_h = min(y(p.actual), zero), abs(y(p.actual) - zero)
            fill = ESTIMATE if p.estimate else ACTUAL
            out.append(f'<rect x="{_px(cx - bar_w / 2)}" y="{_px(top_y)}" width="{_px(bar_w)}" height="{_px(bar_h)}" fill="{fill}"/>')
            text = grouped(p.actual) + (words.estimate_mark if p.estimate else "")
            out.append(label(cx, top_y - 3, text, attrs=f' fill="{ACTUAL}"'))
        if p.target is not None:
            targets.append((cx, y(p.target), p.target, p.actual is not None))
    if len(targets) > 1:
        path = " ".join(f"{_px(x)},{_px(ty)}" for x, ty, _v, _bar in targets)
        out.append(f'<polyline points="{path}" fill="none" stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="4 2"/>')
    for x, ty, v, bar in targets:
        out.append(f'<circle cx="{_px(x)}" cy="{_px(ty)}" r="2.5" fill="{TARGET}"/>')
        # beside the bar of the same year, else above the marker: never on top of a bar
        where = (x + bar_w / 2 + 2, ty + 3, "start") if bar else (x, ty - 5, "middle")
        out.append(label(where[0], where[1], grouped(v), where[2], attrs=f' fill="{TARGET}"'))
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{_px(zero)}" y2="{_px(zero)}" stroke="{AXIS}" stroke-width="0.8"/>')
    out.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="{AXIS}" stroke-width="0.8"/>')
    out.append(label(left + plot_w // 2, height - 6, words.parenthesis.format(year_axis)))
    out.append(f'<text x="6" y="{top - 8}">{escape(words.parenthesis.format(unit or words.no_unit))}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _legend(x: int, y: int, words: ChartWords) -> str:
    """The three keys as one text whose parts are placed after the swatches
    (each <text> costs the PDF about a millisecond to draw, a hundred charts over)."""
    em = 8
    first = x + 12
    second = first + text_width(words.actual, em) + 3 * em
    third = second + text_width(words.estimate, em) + 4 * em
    keys = (
        f'<tspan x="{_px(at)}">{escape(word)}</tspan>'
        for at, word in ((first, words.actual), (second, words.estimate), (third, words.target))
    )
    return (
        f'<g font-size="{em}"><rect x="{x}" y="{y - 7}" width="9" height="7" fill="{ACTUAL}"/>'
        f'<rect x="{_px(second - 12)}" y="{y - 7}" width="9" height="7" fill="{ESTIMATE}"/>'
        f'<line x1="{_px(third - 20)}" x2="{_px(third - 4)}" y1="{y - 3}" y2="{y - 3}" stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="4 2"/>'
        f'<text y="{y}">{"".join(keys)}</text></g>'
    )


def series_words(title: str, unit: str, points: list[Point], words: ChartWords = JAPANESE_WORDS) -> str:
    """What a series chart shows, in words: its <desc> and its alternative text."""
    parts = []
    for p in points:
        said = []
        if p.actual is not None:
            said.append((words.estimate_said if p.estimate else words.actual_said).format(value=f"{grouped(p.actual)}{unit}"))
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
    label_w = 12 + math.ceil(max([Fraction(60), *(text_width(name, 9) for name, _c, _s in rows)]))
    bar_max, row_h = 220, 20
    width = label_w + bar_max + 80
    titles = wrap(title, width - 20, 10)
    shift = TITLE_LINE * (len(titles) - 1)
    height = 30 + shift + row_h * len(rows) + 10
    most = max([1, *(count for _l, count, _s in rows)])
    out = _open(chart_id, width, height, titles, title, distribution_words(title, rows, words))
    for i, (name, count, share) in enumerate(rows):
        top = 26 + shift + row_h * i
        bar = Fraction(bar_max * count, most)
        out.append(label(label_w - 6, top + 12, name, "end"))
        out.append(f'<rect x="{label_w}" y="{top + 3}" width="{_px(bar)}" height="{row_h - 6}" fill="{ACTUAL}"/>')
        out.append(f'<text x="{_px(label_w + bar + 4)}" y="{top + 12}">{escape(_count(count, share, words))}</text>')
    out.append(f'<line x1="{label_w}" x2="{label_w}" y1="{24 + shift}" y2="{height - 8}" stroke="{AXIS}" stroke-width="0.8"/>')
    out.append("</svg>")
    return "\n".join(out)
