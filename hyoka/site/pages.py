"""What each page shows, gathered from a ``PlanSite`` for the templates.

The templates only lay things out: every number here is a string of the evaluation
contract, every sentence comes from the core (explain, method, projection), and the
charts are the reports' SVG charts, so a page never computes a figure of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..core.display import entry_text
from ..core.engine import IndicatorResult
from ..core.grades import Grade
from ..core.judgement import Judgement
from ..core.method import describe_rules
from ..core.model import Indicator, Node, Series, Status
from ..core.notation import AGGREGATION_WORDS, CALENDAR_WORDS, marked_name, value_text
from ..core.rules import Display
from ..core.text import clean_line
from ..reports import charts
from ..translation import gettext_noop
from .i18n import ENGLISH
from .plansite import PlanSite


def grade_class(grade: Grade | None) -> str:
    """g0 for the best band, g1, g2 … below it, gn when there was nothing to grade."""
    if grade is None or grade.band is None:
        return "gn"
    return f"g{grade.rule.bands.index(grade.band)}"


def judgement_class(result: IndicatorResult) -> str:
    return named_class(result.judgement)


def named_class(j: Judgement | None) -> str:
    """j0 for the best band or condition … j3 and below share the last colour; jp pending, jn none."""
    if j is None or not j.judged:
        return "jp" if j is not None and j.pending else "jn"
    return f"j{min(j.rank or 0, 3)}"


# The target a rate was compared with, by the rules' reference (measures.reference).
REFERENCE_LABELS = {
    "same_year": gettext_noop("目標値"),
    "final": gettext_noop("最終目標値"),
    "interpolated": gettext_noop("目安値"),
    "elapsed_share": gettext_noop("目安値"),
}


def named_judgements(ps: PlanSite, result: IndicatorResult | None) -> list[tuple[str, Judgement]]:
    """(title, judgement) of each named judgement of the rules (達成度, 改善・悪化 …), in rule order."""
    if result is None:
        return []
    return [(rule.title, result.judgements[rule.name]) for rule in ps.plan.rules.judgements]


@dataclass(frozen=True)
class NodeRow:
    node: Node
    depth: int
    grade: Grade | None
    indicators: int


def node_rows(ps: PlanSite, under: str | None = None) -> list[NodeRow]:
    """The nodes below *under* (or the whole plan) depth first, with the newest grade."""
    ev = ps.evaluation(ps.latest) if ps.latest is not None else None
    rows = []
    for node, depth in ps.plan.walk(under):
        grade = ev.nodes[node.id].grade if ev is not None else None
        rows.append(NodeRow(node, depth, grade, len(ps.plan.indicators_of.get(node.id, []))))
    return rows


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    name: str
    target: str
    actual: str
    status: str
    rate: str | None
    rate_uncapped: str | None
    result: IndicatorResult | None
    named: tuple[tuple[str, Judgement], ...] = ()


def indicator_rows(ps: PlanSite, indicators: list[Indicator]) -> list[IndicatorRow]:
    """One row per indicator for the newest published year (parts are joined, each with its label)."""
    year = ps.latest
    rows = []
    for ind in indicators:
        if year is None:
            rows.append(IndicatorRow(ind, marked_name(ind), final_target(ind, ps.plan.rules.display), "", "", None, None, None))
            continue
        doc = ps.indicator_doc(year, ind.id)
        records = doc["parts"] if doc.get("parts") else [doc]
        status = next((r["status"] for r in records if r.get("status")), "") or ""
        rows.append(
            IndicatorRow(
                ind,
                marked_name(ind),
                _joined(ind, [r.get("target") or "" for r in records]) or final_target(ind, ps.plan.rules.display),
                _joined(ind, [r.get("actual") or "" for r in records]),
                status,
                _joined(ind, [r["rate"] or "" for r in records]) if any(r["rate"] for r in records) else None,
                doc.get("rate_uncapped") if doc.get("rate_uncapped") != doc.get("rate") else None,
                ps.evaluation(year).indicators[ind.id],
                tuple(named_judgements(ps, ps.evaluation(year).indicators[ind.id])),
            )
        )
    return rows


def _joined(ind: Indicator, texts: list[str]) -> str:
    if not ind.parts:
        return clean_line(texts[0])
    return " / ".join(f"{p.label or p.id}: {clean_line(t)}" for p, t in zip(ind.parts, texts, strict=True) if t)


@dataclass(frozen=True)
class YearRow:
    year: int
    target: str
    actual: str
    status: str
    expected: str
    note: str
    rate: str | None
    rate_uncapped: str | None
    explanation: str
    data_year: int | None = None  # the year of the value judged, when the rules let an older one in
    data_actual: str = ""  # that value
    compared_label: str = "目標値"  # what the rate compared with (REFERENCE_LABELS)
    compared: str = ""  # that target, when it is not the year's own


@dataclass(frozen=True)
class SeriesBlock:
    """One series (the indicator, or a part ①②) with its chart, its data table and its outlook."""

    label: str
    series: Series
    chart: charts.SeriesChart | None  # None when there is no number to draw
    years: list[YearRow]
    current: YearRow | None  # the row of the newest published year
    outlook: Any  # core.projection.Projection or None
    baseline: str  # 「3,747件（2022）」


def _year_rows(ps: PlanSite, ind: Indicator, series: Series) -> list[YearRow]:
    style = ps.plan.rules.display
    years = sorted({*series.targets, *series.values} | ({series.baseline.year} if series.baseline and series.baseline.year else set()))
    out = []
    for y in years:
        value = series.values.get(y)
        target = series.targets.get(y)
        record = None
        if y in ps.years:
            doc = ps.indicator_doc(y, ind.id)
            record = doc if series is ind else next(p for p in doc["parts"] if p["id"] == series.id)
        actual = value_text(value, series.unit, style) if value is not None and value.status is not Status.PENDING else ""
        out.append(
            YearRow(
                year=y,
                target=entry_text(target.parsed, series.unit, style) if target else "",
                actual=actual,
                status=value.status.value if value is not None else "",
                expected=(value.expected or "") if value is not None else "",
                note=clean_line(value.note) if value is not None else "",
                rate=record["rate"] if record else None,
                rate_uncapped=record["rate_uncapped"] if record and record["rate_uncapped"] != record["rate"] else None,
                explanation=record["explanation"] if record else "",
                **_compared(record),
            )
        )
    return out


def _compared(record: dict[str, Any] | None) -> dict[str, Any]:
    reference = (record or {}).get("reference") or {}
    kind = reference.get("kind", "same_year")
    if record is None:
        return {}
    data = {"data_year": record.get("data_year"), "data_actual": record.get("actual") or ""}
    if kind == "same_year":
        return data
    year = f"（{reference['target_year']}）" if kind == "final" and reference.get("target_year") else ""
    return data | {"compared_label": REFERENCE_LABELS[kind], "compared": (reference.get("target") or "") + year}


def series_blocks(ps: PlanSite, ind: Indicator, lang: str) -> list[SeriesBlock]:
    """Each series with its chart: the whole series over the plan's period, actuals up to the newest published year.

    Only the chart's words depend on the page's language: the rest is made once for both pages."""
    period = (ps.plan.period_start, ps.plan.period_end)
    latest = ps.latest if ps.latest is not None else ps.plan.period_start
    words = charts.words_for(lang)
    return [
        replace(b, chart=charts.chart_of(ind, b.series, period, latest, words))
        for b in ps.once(("series", ind.id), lambda: _series_facts(ps, ind))
    ]


def _series_facts(ps: PlanSite, ind: Indicator) -> list[SeriesBlock]:
    blocks = []
    for series in ind.series():
        label = "" if series is ind else (series.label or series.id)
        rows = _year_rows(ps, ind, series)
        current = next((r for r in rows if r.year == ps.latest), None)
        baseline = baseline_text(series, ps.plan.rules.display)
        blocks.append(SeriesBlock(label, series, None, rows, current, ps.projection(ind, series), baseline))
    return blocks


def baseline_text(series: Series, style: Display) -> str:
    b = series.baseline
    if b is None:
        return ""
    year = f"（{b.year}）" if b.year else ""
    return f"{entry_text(b.entry.parsed, series.unit, style)}{year}"


def final_target(ind: Indicator, style: Display) -> str:
    year = ind.final_target_year or max((y for s in ind.series() for y in s.targets), default=None)
    if year is None:
        return ""
    texts = [entry_text(s.targets[year].parsed, s.unit, style) for s in ind.series() if year in s.targets]
    return f"{_joined(ind, texts) if len(texts) == len(ind.series()) else ' / '.join(texts)}（{year}）"


def footnotes(ind: Indicator) -> list[str]:
    """The indicator's footnotes and notes, then each published value's note."""
    notes = [clean_line(f) for f in ind.footnotes] + ([clean_line(ind.note)] if ind.note else [])
    for series in ind.series():
        prefix = f"{series.label or series.id}: " if series is not ind else ""
        for year, value in sorted(series.values.items()):
            if value.note and value.status is not Status.PENDING:
                notes.append(f"{prefix}{year}: {clean_line(value.note)}")
    return notes


def method(ps: PlanSite, formulas: set[str] | None = None) -> Any:
    key = ("method", None if formulas is None else frozenset(formulas))
    return ps.once(key, lambda: describe_rules(ps.plan.rules, formulas))


def notation(ps: PlanSite) -> list[str]:
    """The 凡例 of the marks the plan uses: 〔累計〕, 《暦年》."""
    used = {ind.aggregation for ind in ps.plan.indicators} - {"単年度"}
    lines = [f"〔{a}〕: {AGGREGATION_WORDS[a]}" for a in AGGREGATION_WORDS if a in used]
    if any(ind.period_basis == "calendar" for ind in ps.plan.indicators):
        lines.append(CALENDAR_WORDS)
    return lines


def distribution(ps: PlanSite, level: str, chart_id: str, lang: str) -> tuple[str, list[tuple[str, int, str]]]:
    """The grade counts of *level* in the newest year, as a chart and as the rows of its table."""
    assert ps.latest is not None
    counts = ps.summary(ps.latest)["grades"][level]["overall"]
    rows = [
        (label, n, f"{counts['shares'][label]}%" if counts["shares"].get(label) is not None else "")
        for label, n in counts["counts"].items()
    ]
    title = f"FY{ps.latest}: {level} grades" if lang == ENGLISH else f"{ps.latest}年度 {level}の評価"
    return charts.distribution_chart(chart_id, title, rows, charts.words_for(lang)), rows


def counts_under(ps: PlanSite, top_id: str) -> list[tuple[str, int]]:
    """(「小柱: 順調に進んでいます」 or 「◎ 達成」, count) below a top-level node in the newest year, for its card."""
    if ps.latest is None:
        return []
    summary = ps.summary(ps.latest)
    out = []
    for level, per in summary["grades"].items():
        counts = per["by_node"].get(top_id, {}).get("counts", {})
        out += [(f"{level}: {label}", n) for label, n in counts.items() if n]
    judged = summary.get("judgements", {}).get("by_node", {}).get(top_id)
    if judged is not None:
        labels = _judgement_labels(ps)
        out += [(f"{symbol} {labels[symbol]}", n) for symbol, n in judged["counts"].items()]
    return out


def _judgement_labels(ps: PlanSite) -> dict[str, str]:
    rule = ps.plan.rules.judgement
    return {b.symbol: b.label for b in rule.bands} if rule else {}


def judgement_chart(ps: PlanSite, chart_id: str, lang: str) -> str:
    """The ◎○△ counts of the newest year as a chart (its table is printed beside it)."""
    assert ps.latest is not None
    counts = ps.summary(ps.latest)["judgements"]["overall"]
    labels = _judgement_labels(ps)
    rows = [(f"{symbol} {labels[symbol]}", n, f"{counts['shares'][symbol]}%") for symbol, n in counts["counts"].items()]
    title = f"FY{ps.latest}: judgements" if lang == ENGLISH else f"{ps.latest}年度 判定の内訳"
    return charts.distribution_chart(chart_id, title, rows, charts.words_for(lang))


def judgement_counts(ps: PlanSite) -> dict[str, Any] | None:
    if ps.latest is None:
        return None
    return ps.summary(ps.latest).get("judgements", {}).get("overall")
