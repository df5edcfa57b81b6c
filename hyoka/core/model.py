"""The plan as the domain knows it: nodes, indicators, targets, values and texts.

Every entered text is kept beside its parsed form, because reports print what the
department typed (「2,609万人泊」) while the engine computes with the exact number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from .rules import RuleSet
from .values import Kind, Parsed, parse_unit


class Status(StrEnum):
    """How final a value is (SPEC 3: 確定, 見込値, 把握予定, 測定不能)."""

    CONFIRMED = "confirmed"
    ESTIMATE = "estimate"
    PENDING = "pending"
    UNMEASURABLE = "unmeasurable"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.CONFIRMED: "確定",
    Status.ESTIMATE: "見込値",
    Status.PENDING: "把握予定",
    Status.UNMEASURABLE: "測定不能",
}

KINDS = {"kpi": "ＫＰＩ", "numeric_target": "数値目標"}
AGGREGATIONS = ("単年度", "累計", "計画期間中の累計", "総数")
PERIOD_BASES = {"fiscal": "年度", "calendar": "暦年"}
DIRECTIONS = {"higher": "高いほど良い", "lower": "低いほど良い", "qualitative": "定性"}
FORMULAS = ("ratio", "progress", "inverse_ratio")
NODE_STATUSES = ("active", "abolished")


@dataclass(frozen=True)
class Organization:
    name: str
    code: str = ""  # 全国地方公共団体コード (6 digits with check digit)


@dataclass
class Entry:
    """A target, a baseline or an actual as entered, with its parsed meaning."""

    text: str
    parsed: Parsed

    @property
    def number(self) -> Decimal | None:
        return self.parsed.number if self.parsed.is_number else None


@dataclass
class Baseline:
    entry: Entry
    year: int | None = None
    note: str = ""


@dataclass
class Value:
    """One year's actual of an indicator (or of a part)."""

    entry: Entry
    status: Status = Status.CONFIRMED
    expected: str | None = None  # "2026-09": when a pending figure will be known
    note: str = ""
    judgement: str | None = None  # an evaluator's recorded judgement symbol
    judgement_reason: str = ""

    @property
    def number(self) -> Decimal | None:
        if self.status in (Status.PENDING, Status.UNMEASURABLE):
            return None
        return self.entry.number

    @property
    def has_figure(self) -> bool:
        return self.status in (Status.CONFIRMED, Status.ESTIMATE) and self.entry.parsed.kind in (
            Kind.NUMBER,
            Kind.NO_RESULT,
            Kind.TEXT,
        )


@dataclass
class Series:
    """What an indicator and each of its parts have: targets, values, baseline, formula."""

    id: str
    name: str
    unit: str = ""
    direction: str = "higher"
    formula: str | None = None
    baseline: Baseline | None = None
    targets: dict[int, Entry] = field(default_factory=dict)
    values: dict[int, Value] = field(default_factory=dict)
    note: str = ""
    label: str = ""  # a part's label as printed: 「小」「①」「男性」

    @property
    def unit_scale(self) -> int:
        return parse_unit(self.unit)[0]

    @property
    def base_unit(self) -> str:
        return parse_unit(self.unit)[1]

    @property
    def effective_formula(self) -> str:
        """The rate formula; without an explicit one, lower-is-better uses T/A."""
        if self.formula:
            return self.formula
        return "inverse_ratio" if self.direction == "lower" else "ratio"

    @property
    def qualitative(self) -> bool:
        return self.direction == "qualitative"


@dataclass
class Indicator(Series):
    node: str = ""
    kind: str = "kpi"
    aggregation: str = "単年度"
    period_basis: str = "fiscal"
    final_target_year: int | None = None
    departments: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    added_in: str = ""  # 「令和７年３月改定版で追加」
    weight: Decimal | None = None
    parts: list[Series] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)

    def series(self) -> list[Series]:
        """The series that carry numbers: the parts, or the indicator itself."""
        return list(self.parts) if self.parts else [self]


@dataclass
class NodeTexts:
    """一次評価 texts of a node for one year."""

    results: list[str] = field(default_factory=list)  # 取組結果
    issues: list[str] = field(default_factory=list)  # 今後の取組に向けた課題と方向性
    summary: str = ""
    funding: list[str] = field(default_factory=list)  # ＜デジタル田園都市国家構想交付金活用＞


@dataclass
class Review:
    """二次評価 of the council for one year, and the department's answer."""

    grade: str = ""
    comments: list[str] = field(default_factory=list)
    answer: str = ""


@dataclass
class Project:
    name: str
    departments: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass
class Node:
    id: str
    level: str
    name: str
    parent: str | None = None
    number: str = ""
    description: str = ""
    departments: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    status: str = "active"
    note: str = ""
    texts: dict[int, NodeTexts] = field(default_factory=dict)
    reviews: dict[int, Review] = field(default_factory=dict)
    projects: list[Project] = field(default_factory=list)
    activities: list[str] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass
class Corrected:
    """One thing a 訂正 changed, as the public reads it: 「1-3-1-k1 2024年度 実績値」 old → new."""

    subject: str
    old: str
    new: str
    indicator: str = ""  # the indicator's id when a value or a target was corrected
    node: str = ""  # the node's id when its texts or review were corrected


@dataclass
class Correction:
    """A 訂正 of a published year: when it was published, why, and what changed (【訂正版】)."""

    date: str  # ISO date, printed 「令和７年３月１日 訂正」
    reason: str
    changes: list[Corrected] = field(default_factory=list)


@dataclass
class Cycle:
    """A year's evaluation cycle of a plan (open → closed → published).

    A published year is a record: *published* is the date it was made public and
    *corrections* every 訂正 since, oldest first, which the public pages print with it.
    """

    status: str = "open"
    due: str = ""
    published: str = ""
    corrections: list[Correction] = field(default_factory=list)


@dataclass
class Plan:
    id: str
    name: str
    organization: Organization
    period_start: int
    period_end: int
    levels: list[str]
    rules: RuleSet
    rules_spec: dict[str, Any]  # the rule object as written (a preset reference stays one)
    nodes: list[Node] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    description: str = ""
    cycles: dict[int, Cycle] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._index()

    def _index(self) -> None:
        self.node_by_id = {n.id: n for n in self.nodes}
        self.indicator_by_id = {i.id: i for i in self.indicators}
        self.children: dict[str | None, list[Node]] = {}
        for n in self.nodes:
            self.children.setdefault(n.parent, []).append(n)
        self.indicators_of: dict[str, list[Indicator]] = {}
        for ind in self.indicators:
            self.indicators_of.setdefault(ind.node, []).append(ind)

    def reindex(self) -> None:
        """Rebuild the lookups after nodes or indicators were added or removed."""
        self._index()

    @property
    def roots(self) -> list[Node]:
        return self.children.get(None, [])

    def descendants(self, node_id: str) -> list[Node]:
        out: list[Node] = []
        stack = list(reversed(self.children.get(node_id, [])))
        while stack:
            n = stack.pop()
            out.append(n)
            stack.extend(reversed(self.children.get(n.id, [])))
        return out

    def ancestors(self, node_id: str) -> list[Node]:
        """From the root down to the parent of *node_id*."""
        chain: list[Node] = []
        current = self.node_by_id[node_id].parent
        while current is not None:
            node = self.node_by_id[current]
            chain.append(node)
            current = node.parent
        return list(reversed(chain))

    def top_of(self, node_id: str) -> Node:
        chain = self.ancestors(node_id)
        return chain[0] if chain else self.node_by_id[node_id]

    def departments_of(self, indicator: Indicator) -> list[str]:
        """An indicator's departments, or its node's, or the nearest ancestor's."""
        if indicator.departments:
            return indicator.departments
        return self.node_departments(indicator.node)

    def node_departments(self, node_id: str) -> list[str]:
        """A node's departments, or the nearest ancestor's: who answers for the node."""
        current: str | None = node_id
        while current is not None:
            node = self.node_by_id[current]
            if node.departments:
                return node.departments
            current = node.parent
        return []

    @property
    def years(self) -> list[int]:
        return list(range(self.period_start, self.period_end + 1))
