"""The plan as the domain knows it: nodes, indicators, targets, values and texts.

Every entered text is kept beside its parsed form, because reports print what the
department typed (「2,609万人泊」) while the engine computes with the exact number.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from .rules import RuleSet
from .schema import CHOICE, DECIMAL, LIST, YEAR, gettext_noop, plain
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
    Status.CONFIRMED: gettext_noop("確定"),
    Status.ESTIMATE: gettext_noop("見込値"),
    Status.PENDING: gettext_noop("把握予定"),
    Status.UNMEASURABLE: gettext_noop("測定不能"),
}

KINDS = {"kpi": gettext_noop("ＫＰＩ"), "numeric_target": gettext_noop("数値目標")}
AGGREGATIONS = ("単年度", "累計", "計画期間中の累計", "総数")
PERIOD_BASES = {"fiscal": "年度", "calendar": "暦年"}
DIRECTIONS = {"higher": gettext_noop("高いほど良い"), "lower": gettext_noop("低いほど良い"), "qualitative": gettext_noop("定性")}
FORMULA_LABELS = {"ratio": "実績÷目標", "progress": "基準からの進捗", "inverse_ratio": "目標÷実績"}
FORMULAS = tuple(FORMULA_LABELS)
NODE_STATUS_LABELS = {"active": "有効", "abolished": "廃止"}
NODE_STATUSES = tuple(NODE_STATUS_LABELS)
CYCLE_STATUS_LABELS = {
    "open": gettext_noop("受付中"),
    "submitted": gettext_noop("提出済み"),
    "closed": gettext_noop("締切"),
    "published": gettext_noop("公表済み"),
}
CYCLE_STATUSES = tuple(CYCLE_STATUS_LABELS)


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


BASELINE_PREFIX = "baseline_"  # a table of series (workbook, CSV, database) holds a baseline's fields in these columns


@dataclass
class Baseline:
    entry: Entry
    year: int | None = plain(None, "基準年度", "基準値の年度。", YEAR)
    note: str = plain("", "基準値の注記", "例: 策定時実績値。")


@dataclass
class Value:
    """One year's actual of an indicator (or of a part)."""

    entry: Entry
    status: Status = plain(
        Status.CONFIRMED,
        "状態",
        "確定、見込値、把握予定、測定不能。空欄は実績値の書き方から判断します。",
        CHOICE,
        choices={s.value: label for s, label in STATUS_LABELS.items()},
        size=20,
    )
    expected: str | None = plain(None, "把握予定時期", "把握予定の時期（例: 2026-09）。", size=7)  # when a pending figure will be known
    note: str = plain("", "備考", "注記。")
    # The department's explanation of a missed target, printed beside the 未達成 row (seed 001's 別紙).
    shortfall: str = plain("", "未達成の理由", "目標に届かなかった理由と今後の対応（未達成のとき）。")
    judgement: str | None = plain(None, "判定", "評価者が記録した判定（◎○△など）。", CHOICE, size=20)  # the rule set's symbols
    judgement_reason: str = plain("", "判定理由", "判定の理由。")

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
    label: str = plain("", "ラベル", "部分の表示名（①、小、男性など）。", size=100)
    name: str = plain("", "指標名", "指標の名称。", inherited=True)
    unit: str = plain("", "単位", "件、人、％、万人など。", size=50, inherited=True)
    direction: str = plain("higher", "方向", "高いほど良い、低いほど良い、定性。", CHOICE, choices=DIRECTIONS, size=20, inherited=True)
    formula: str | None = plain(
        None,
        "計算式",
        "達成率の計算式: 実績÷目標、基準からの進捗（(実績−基準)÷(目標−基準)）、目標÷実績。空欄は方向に応じた既定。",
        CHOICE,
        choices=FORMULA_LABELS,
        size=30,
        inherited=True,
    )
    note: str = plain("", "備考", "注記。")
    baseline: Baseline | None = None
    targets: dict[int, Entry] = field(default_factory=dict)
    values: dict[int, Value] = field(default_factory=dict)

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
    kind: str = plain("kpi", "種別", "ＫＰＩ または 数値目標。", CHOICE, choices=KINDS, size=30)
    aggregation: str = plain(
        "単年度", "集計区分", "単年度、累計、計画期間中の累計、総数。", CHOICE, choices={a: a for a in AGGREGATIONS}, size=30
    )
    period_basis: str = plain("fiscal", "期間区分", "年度 または 暦年。", CHOICE, choices=PERIOD_BASES, size=20)
    final_target_year: int | None = plain(None, "最終目標年度", "最終目標の年度。", YEAR)
    departments: list[str] = plain([], "担当部局", "ノードと異なる担当部局（空欄はノードの担当部局）。", LIST)
    footnotes: list[str] = plain([], "注記", "脚注。", LIST)
    added_in: str = plain("", "追加", "改定で追加された指標の注記（例: 令和７年３月改定版で追加）。", size=200)
    weight: Decimal | None = plain(None, "重み", "加重平均で使う重み（数値）。", DECIMAL, size=50)
    parts: list[Series] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)

    def series(self) -> list[Series]:
        """The series that carry numbers: the parts, or the indicator itself."""
        return list(self.parts) if self.parts else [self]


@dataclass
class NodeTexts:
    """一次評価 texts of a node for one year."""

    results: list[str] = plain([], "取組結果", "取組結果の箇条。", LIST)
    issues: list[str] = plain([], "課題と方向性", "今後の取組に向けた課題と方向性の箇条。", LIST)
    summary: str = plain("", "概要", "まとめの文章。")
    funding: list[str] = plain([], "交付金等", "＜デジタル田園都市国家構想交付金活用＞などの注記。", LIST)


@dataclass
class Review:
    """二次評価 of the council for one year, and the department's answer."""

    grade: str = plain("", "評価", "二次評価の評価。", size=100)
    comments: list[str] = plain([], "意見", "意見。", LIST)
    answer: str = plain("", "回答", "担当部局の回答。")


@dataclass
class Project:
    name: str = plain("", "事業名", "事業の名称。", required=True)
    departments: list[str] = plain([], "担当課", "担当課。", LIST)
    tags: list[str] = plain([], "タグ", "分類。", LIST)


@dataclass
class Node:
    id: str
    parent: str | None = None
    level: str = plain("", "階層", "計画の階層（計画シートの「階層」）のいずれか。", CHOICE, required=True, size=100)
    number: str = plain("", "番号", "印刷される番号（例: （１）、①、1-1）。", size=50)
    name: str = plain("", "名称", "ノードの名称。", required=True)
    description: str = plain("", "説明", "ねらい・基本的な方向性など。")
    departments: list[str] = plain([], "担当部局", "担当する部局・課。下位のノードと指標に引き継がれます。", LIST)
    tags: list[str] = plain([], "タグ", "デジタル、脱炭素などの分類。", LIST)
    status: str = plain("active", "状態", "有効 または 廃止。", CHOICE, choices=NODE_STATUS_LABELS, size=20)
    note: str = plain("", "備考", "注記。")
    activities: list[str] = plain([], "主な取組", "主な取組。", LIST)
    texts: dict[int, NodeTexts] = field(default_factory=dict)
    reviews: dict[int, Review] = field(default_factory=dict)
    projects: list[Project] = field(default_factory=list)
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

    status: str = plain("open", "状態", "年度の評価の状態。", CHOICE, choices=CYCLE_STATUS_LABELS, size=20)
    due: str = plain("", "提出期限", "提出期限（例: 2025-06-30）。", size=10)
    published: str = plain("", "公表日", "公表した日（例: 2025-09-30）。公表済みの年度だけ。", size=10)
    corrections: list[Correction] = field(default_factory=list)


# The report layouts hyoka ships (SPEC 5.4): the word in the title and the parts printed by default, in order.
# evaluation is seed 000's 評価報告書, inspection seed 001's 点検報告書 (with its 別紙, the list of every
# indicator), verification a city's 効果検証報告書; a plan may add a part of another layout to its own.
REPORT_LAYOUTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "evaluation": (
        "評価報告書",
        ("opening", "structure", "method", "legend", "summary", "council", "goals", "closing"),
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
    description: str = plain("", "計画の説明", "計画の概要。")
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

    def walk(self, under: str | None = None) -> Iterator[tuple[Node, int]]:
        """The nodes below *under* (the whole plan when None) depth first, in plan order, each with its depth
        below *under* (0 for its children). Without recursion: a plan may nest deeper than Python's stack."""
        stack = [(n, 0) for n in reversed(self.children.get(under, []))]
        while stack:
            node, depth = stack.pop()
            yield node, depth
            stack.extend((child, depth + 1) for child in reversed(self.children.get(node.id, [])))

    def descendants(self, node_id: str) -> list[Node]:
        return [n for n, _depth in self.walk(node_id)]

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
