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


ASSUMED = "x-assumed"  # the fields of a node or indicator that a converter filled in itself, not the source


def assumed(extras: dict[str, Any]) -> frozenset[str]:
    """The fields an object's ``x-assumed`` names: kept for the workflow, never printed as if from the source."""
    names = extras.get(ASSUMED, [])
    return frozenset(n for n in names if isinstance(n, str)) if isinstance(names, list) else frozenset()


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
class Cycle:
    """A year's evaluation cycle of a plan (open → closed → published)."""

    status: str = "open"
    due: str = ""


# The report layouts hyoka ships (SPEC 5.4): the word in the title and the parts printed by default, in order.
# evaluation is seed 000's 評価報告書, inspection seed 001's 点検報告書, verification a city's 効果検証報告書.
REPORT_LAYOUTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "evaluation": (
        "評価報告書",
        ("opening", "structure", "method", "legend", "summary", "council", "goals", "closing", "indicators"),
    ),
    "inspection": ("点検報告書", ("opening", "structure", "method", "summary", "highlights", "outlook", "indicators")),
    "verification": ("効果検証報告書", ("opening", "structure", "method", "summary", "goals", "closing")),
}
REPORT_PARTS = tuple(dict.fromkeys(part for _kind, parts in REPORT_LAYOUTS.values() for part in parts))
CHAPTER_PLACES = ("opening", "structure", "method", "summary", "council", "outlook", "closing")  # the parts that print chapters
ERAS = {"western": "西暦", "japanese": "和暦"}


@dataclass
class Chapter:
    """A chapter of the report that the planning division writes (背景, 今後の取組, 推進会議の評価).

    *text* is the plan's own text, printed in every year's report; *years* holds what is
    written for one year's report, which stays a draft until that year is published.
    """

    id: str
    title: str
    place: str = "opening"  # the part of the report that prints it (CHAPTER_PLACES)
    level: int = 2  # 2: a heading of its own; 3: a subheading under the chapter before it
    text: list[str] = field(default_factory=list)  # paragraphs
    years: dict[int, list[str]] = field(default_factory=dict)

    def paragraphs(self, year: int) -> list[str]:
        return [*self.text, *self.years.get(year, [])]


@dataclass
class ReportSpec:
    """What kind of report the plan publishes and how: the layout, its parts, the chapters' texts."""

    layout: str = "evaluation"
    kind: str = ""  # the word in the title; empty: the layout's own (評価報告書, 点検報告書, 効果検証報告書)
    era: str = "western"  # how years are printed: 2024 年度 or 令和６年度
    parts: list[str] = field(default_factory=list)  # the parts in order; empty: the layout's own
    unit_pages: bool = False  # each graded node (小柱) starts a page, as seed 000 does
    council: str = ""  # the external council's name: 神奈川県地方創生推進会議
    chapters: list[Chapter] = field(default_factory=list)

    @property
    def title_word(self) -> str:
        return self.kind or REPORT_LAYOUTS[self.layout][0]

    @property
    def printed_parts(self) -> list[str]:
        return list(self.parts) or list(REPORT_LAYOUTS[self.layout][1])

    def chapters_at(self, place: str) -> list[Chapter]:
        return [c for c in self.chapters if c.place == place]


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
    report: ReportSpec = field(default_factory=ReportSpec)
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

    def is_published(self, year: int) -> bool:
        """Whether *year*'s evaluation is public; any other year's report is a draft (「案」)."""
        cycle = self.cycles.get(year)
        return cycle is not None and cycle.status == "published"
