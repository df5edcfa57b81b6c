"""What every part of a report reads: the plan, the year and its evaluation as open data.

The figures are taken from ``evaluation_dict`` (the JSON contract of ``hyoka evaluate``),
never recomputed, so the report shows the number the open data publishes. Rates of
earlier years in the KPI tables come from evaluating those years the same way.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..core.engine import Evaluation, evaluate
from ..core.model import Indicator, Node, Plan, ReportSpec, assumed
from ..core.rules import RuleSet
from ..core.targets import number_in_base
from ..core.text import nfkc
from ..core.wareki import short_wareki, to_wareki
from ..formats.evaluation import evaluation_dict, indicator_dict
from .document import Cell

NO_RATE_WORDS = {
    "no_value": "実績値が未入力",
    "pending": "実績値が把握予定",
    "unmeasurable": "実績値が測定不能",
    "no_target": "当該年度の目標値なし",
    "zero_denominator": "算式の分母が 0",
    "no_baseline": "基準値なし",
    "qualitative": "定性的な目標",
}


def year_label(year: int) -> str:
    """「令和６年度（2024 年度）」."""
    return f"{to_wareki(year)}（{year} 年度）"


def year_text(year: int, era: str = "western", basis: str = "fiscal") -> str:
    """A year as the plan's reports print it: 「2024 年度」 or 「令和６年度」 (「2024 年」 for a calendar year)."""
    fiscal = basis == "fiscal"
    return to_wareki(year, fiscal=fiscal) if era == "japanese" else f"{year} 年{'度' if fiscal else ''}"


def year_head(year: int, era: str = "western") -> str:
    """A year as the column head of a table: 「2024」 or 「R6」."""
    return short_wareki(year) if era == "japanese" else str(year)


def pct_text(value: str | None) -> str:
    return "―" if value is None else f"{value}％"


def rate_cell_text(rate: dict[str, Any]) -> str:
    """A rate as printed; a capped rate shows the uncapped one in parentheses (SPEC 4.2)."""
    text = pct_text(rate.get("rate"))
    uncapped = rate.get("rate_uncapped")
    if uncapped is not None and uncapped != rate.get("rate"):
        text += f"（{uncapped}％）"
    return text


def number_format(value: Decimal, unit: str = "") -> str:
    """An Excel number format that shows *value* with its decimals and unit: 「#,##0.0"%"」."""
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    fmt = "#,##0" + ("." + "0" * places if places else "")
    return fmt + (f'"{unit}"' if unit else "")


def rate_cell(rate: dict[str, Any], css: str = "num") -> Cell:
    value = rate.get("rate")
    if value is None:
        return Cell(rate_cell_text(rate), css=css)
    number = Decimal(value)
    return Cell(rate_cell_text(rate), number, number_format(number, "%"), css=css)


_DIGITS = re.compile(r"\d[\d,]*(?:\.(\d+))?")


def entry_number(series: Any, entry: Any) -> Decimal | None:
    """An entered target or actual in the series' own unit with the decimals it was printed with
    (「35 兆 3,716 億円」 → 353716 億円, 「2,209 万人泊」 → 2209 万人泊, never 2209.0000)."""
    if entry is None or not entry.parsed.is_number:
        return None
    base = number_in_base(entry.parsed, series.unit_scale)
    if base is None:
        return None
    value = base.scaleb(-series.unit_scale)
    exponent = value.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    parsed = entry.parsed
    if (parsed.scale if parsed.unit or parsed.scale else series.unit_scale) == series.unit_scale:
        found = _DIGITS.search(nfkc(entry.text))  # written in the series' unit: 「50.0％」 keeps its zero
        places = max(places, len(found.group(1) or "") if found else 0)
    return value.quantize(Decimal(1).scaleb(-places))


def figure_cell(series: Any, entry: Any, text: str, suffix: str = "", css: str = "num") -> Cell:
    """A cell that prints *text* and holds, for Excel, the entered number with the series' unit (and *suffix*)."""
    number = entry_number(series, entry)
    if number is None:
        return Cell(text, css=css)
    return Cell(text, number, number_format(number, series.unit + suffix), css=css)


@dataclass
class Context:
    plan: Plan
    year: int
    evaluation: Evaluation
    doc: dict[str, Any] = field(init=False)
    indicators: dict[str, dict[str, Any]] = field(init=False)
    nodes: dict[str, dict[str, Any]] = field(init=False)
    _earlier: dict[int, dict[str, dict[str, Any]]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.spec: ReportSpec = self.plan.report
        self.draft = not self.plan.is_published(self.year)
        self.doc = evaluation_dict(self.evaluation)
        self.indicators = {d["id"]: d for d in self.doc["indicators"]}
        self.nodes = {d["id"]: d for d in self.doc["nodes"]}
        self.columns = self._columns()
        self.unit_level = self._unit_level()

    @property
    def rules(self) -> RuleSet:
        return self.evaluation.rules

    def year_text(self, year: int, basis: str = "fiscal") -> str:
        return year_text(year, self.spec.era, basis)

    def year_head(self, year: int) -> str:
        return year_head(year, self.spec.era)

    def departments(self, node: Node) -> list[str]:
        """The departments of *node* that the source names (never ones a converter assumed)."""
        return [] if "departments" in assumed(node.extras) else node.departments

    def indicator_in(self, year: int, indicator_id: str) -> dict[str, Any] | None:
        """The open-data record of an indicator in *year* (≤ the report year), or None later."""
        if year == self.year:
            return self.indicators[indicator_id]
        if year > self.year:
            return None
        if year not in self._earlier:
            ev = evaluate(self.plan, year, self.rules)
            self._earlier[year] = {i.id: indicator_dict(ev.indicators[i.id], ev) for i in self.plan.indicators}
        return self._earlier[year][indicator_id]

    def _columns(self) -> list[int]:
        """The years of the KPI tables: from the earliest figure to the last target (seed 000: 2022–2027)."""
        years = {self.year}
        for ind in self.plan.indicators:
            if ind.kind != "kpi":
                continue
            for s in ind.series():
                years.update(y for y in s.targets if y <= self.plan.period_end)
                years.update(y for y in s.values if y <= self.year)
                if s.baseline is not None and s.baseline.year is not None:
                    years.add(s.baseline.year)
        return list(range(min(years), max(years) + 1))

    def _unit_level(self) -> str | None:
        """The level whose nodes get a page each: the deepest graded level, else where the KPIs are."""
        levels = self.plan.levels
        graded = [g.level for g in self.rules.grades if not g.is_plan and g.level in levels]
        if graded:
            return max(graded, key=levels.index)
        held = Counter(self.plan.node_by_id[i.node].level for i in self.plan.indicators if i.kind == "kpi")
        if held:
            return held.most_common(1)[0][0]
        texts = Counter(n.level for n in self.plan.nodes if self.year in n.texts)
        return texts.most_common(1)[0][0] if texts else None

    @property
    def tree_level(self) -> str | None:
        """The deepest level a 体系図 shows: the graded one, else the one above the KPIs' nodes."""
        levels = self.plan.levels
        unit = self.unit_level
        if unit is None or unit not in levels or self.rules.grade_rule_for(unit) is not None:
            return unit
        index = levels.index(unit)
        return levels[index - 1] if index > 0 else unit

    def depth(self, node: Node) -> int:
        levels = self.plan.levels
        return levels.index(node.level) if node.level in levels else len(levels)

    def indicators_under(self, node: Node) -> list[Indicator]:
        nodes = [node, *self.plan.descendants(node.id)]
        return [i for n in nodes for i in self.plan.indicators_of.get(n.id, [])]

    def grade_of(self, node: Node) -> dict[str, Any] | None:
        doc = self.nodes[node.id]
        return doc if doc.get("explanation") else None

    def title(self, node: Node) -> str:
        return f"{node.number} {node.name}".strip()
