"""What every part of a report reads: the plan, the year and its evaluation as open data.

The figures are taken from ``evaluation_dict`` (the JSON contract of ``hyoka evaluate``),
never recomputed, so the report shows the number the open data publishes. Rates of
earlier years in the KPI tables come from evaluating those years the same way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..core.engine import Evaluation, evaluate
from ..core.model import Indicator, Node, Plan
from ..core.rules import RuleSet
from ..core.targets import number_in_base
from ..core.wareki import to_wareki
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


def entry_number(series: Any, entry: Any) -> Decimal | None:
    """An entered target or actual in the series' own unit (「35 兆 3,716 億円」 → 353716 億円)."""
    if entry is None or not entry.parsed.is_number:
        return None
    base = number_in_base(entry.parsed, series.unit_scale)
    return None if base is None else base.scaleb(-series.unit_scale)


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
        self.doc = evaluation_dict(self.evaluation)
        self.indicators = {d["id"]: d for d in self.doc["indicators"]}
        self.nodes = {d["id"]: d for d in self.doc["nodes"]}
        self.columns = self._columns()
        self.unit_level = self._unit_level()

    @property
    def rules(self) -> RuleSet:
        return self.evaluation.rules

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
