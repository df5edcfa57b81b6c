"""Rule sets: how rates are rounded, how grades and judgements are decided.

Rules differ between governments and between plans of one government, so they are
data attached to a plan, validated here with errors that give the JSON path of the
offending option. Presets reproduce the published Kanagawa reports.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .criteria import CriteriaRule, MeasureRule, parse_criteria, parse_measures
from .errors import InputError, ProblemCollector
from .ruleparse import (
    ROUNDINGS,
    Marker,
    Rounding,
    check_keys,
    check_unique,
    choice_option,
    decimal_option,
    is_object,
    marker_option,
    rounding_option,
)
from .styles import STYLE_PRESETS

__all__ = ["ROUNDINGS", "Marker", "Rounding"]  # spelled in ruleparse, used everywhere through this module

AGGREGATES = ("mean", "min", "max", "median", "weighted_mean", "sum")
SOURCES = ("indicators", "grades", "judgements", "points")
SCOPES = ("own", "descendants")
PART_MODES = ("each", "mean", "worst")
PLAN_LEVEL = "plan"
PERCENT_SIGNS = ("％", "%")


@dataclass(frozen=True)
class RateRule:
    rounding: Rounding = Rounding()
    cap: Decimal | None = None


@dataclass(frozen=True)
class Band:
    """A grade or judgement band: from *min* (inclusive) up to the next band's min."""

    min: Decimal | None
    label: str
    symbol: str = ""
    points: Decimal | None = None

    @property
    def name(self) -> str:
        return self.symbol or self.label


@dataclass(frozen=True)
class GradeRule:
    level: str
    bands: tuple[Band, ...]
    source: str = "indicators"
    scope: str = "own"
    kinds: tuple[str, ...] = ("kpi",)
    clamp: tuple[Decimal, Decimal] | None = None
    aggregate: str = "mean"
    no_data: str = "データなし"
    of_level: str | None = None
    parts: str = "each"
    count: tuple[str, ...] = ()  # judgement symbols that count as success (source: judgements)
    rounding: Rounding | None = None  # default: the rate rounding
    judgement: str | None = None  # for source judgements / points: a named judgement (None: the ◎○△ judgement)

    @property
    def is_plan(self) -> bool:
        return self.level == PLAN_LEVEL


@dataclass(frozen=True)
class JudgementRule:
    bands: tuple[Band, ...]
    pending: Marker = Marker("■", "集計中")
    none: Marker = Marker("―", "指標未設定")
    parts: str = "worst"


@dataclass(frozen=True)
class SummaryRule:
    share_rounding: Rounding = Rounding("half_up", 1)


@dataclass(frozen=True)
class Display:
    """How the plan prints a figure (「1,234件」 or 「1,234 件」, 「50.0％」 or 「50.0%」); see ``core.display``.

    The percent sign is never spaced (「50.0％」 in both of the published reports' styles).
    """

    unit_space: bool = False
    percent: str = "％"


@dataclass(frozen=True)
class Plausibility:
    """When an entered actual is doubted: a warning the person confirms, not an error; see ``core.plausibility``.

    A threshold of None switches its check off.
    """

    negative: bool = True  # a negative count or rate
    percent_max: Decimal | None = Decimal(200)  # a value in % above this
    share_max: Decimal | None = Decimal(100)  # … for a share (its name has one of share_words)
    share_words: tuple[str, ...] = ("割合", "率", "シェア")
    achievement_max: Decimal | None = Decimal(200)  # a 達成率 above this
    jump: Decimal | None = Decimal(100)  # a change from the previous actual beyond this percent, up or down


@dataclass(frozen=True)
class RuleSet:
    name: str = ""
    description: str = ""
    rate: RateRule = RateRule()
    grades: tuple[GradeRule, ...] = ()
    judgement: JudgementRule | None = None
    summary: SummaryRule = SummaryRule()
    display: Display = Display()
    plausibility: Plausibility = Plausibility()
    measures: MeasureRule = MeasureRule()
    judgements: tuple[CriteriaRule, ...] = ()  # named judgements shown side by side (達成度, 改善・悪化 …)
    source: str = ""  # where the criteria were published

    def criteria(self, name: str) -> CriteriaRule | None:
        for j in self.judgements:
            if j.name == name:
                return j
        return None

    def grade_rule_for(self, level: str) -> GradeRule | None:
        for g in self.grades:
            if g.level == level:
                return g
        return None


SOUSEI_BANDS = [
    {"min": "90", "label": "順調に進んでいます"},
    {"min": "75", "label": "概ね順調に進んでいます"},
    {"min": "60", "label": "やや遅れています"},
    {"min": None, "label": "遅れています"},
]

PRESETS: dict[str, dict[str, Any]] = {
    "kanagawa-sousei": {
        "name": "神奈川県まち・ひと・しごと創生総合戦略（ＫＰＩ達成率を基にした進捗状況）",
        "description": (
            "ＫＰＩ達成率は小数第２位以下を切り捨て。小柱の進捗状況は、達成率を0〜100%の範囲に"
            "収めた値の平均（達成率のないＫＰＩは除く）で判断する。"
        ),
        "rate": {"rounding": "truncate", "decimals": 1, "cap": None},
        "grades": [
            {
                "level": "小柱",
                "source": "indicators",
                "scope": "own",
                "kinds": ["kpi"],
                "clamp": ["0", "100"],
                "aggregate": "mean",
                "parts": "each",
                "bands": SOUSEI_BANDS,
                "no_data": "ＫＰＩ未把握",
            }
        ],
        "display": {"unit_space": True, "percent": "％"},
    },
    "kanagawa-dx": {
        "name": "神奈川ＤＸ計画 点検（成果指標の達成状況）",
        "description": (
            "成果指標の実績が目標のとおり又は上回れば達成、目標の８割以上で概ね達成、８割未満で未達成。"
            "比較は丸めずに行い、複数の指標がある施策は最も低い評価とする。"
        ),
        "rate": {"rounding": "half_up", "decimals": 1, "cap": None},
        "grades": [],
        "judgement": {
            "bands": [
                {"min": "100", "symbol": "◎", "label": "達成"},
                {"min": "80", "symbol": "○", "label": "概ね達成"},
                {"min": None, "symbol": "△", "label": "未達成"},
            ],
            "pending": {"symbol": "■", "label": "集計中"},
            "none": {"symbol": "―", "label": "指標未設定"},
            "parts": "worst",
        },
        "summary": {"share_rounding": "half_up", "share_decimals": 1},
        "display": {"unit_space": False, "percent": "%"},
    },
    **STYLE_PRESETS,
}


def preset_names() -> list[str]:
    return sorted(PRESETS)


def resolve_spec(spec: dict[str, Any], where: str = "rules") -> dict[str, Any]:
    """A rule object with a preset reference expanded; options beside it override the preset."""
    if "preset" not in spec:
        return spec
    name = spec["preset"]
    if not isinstance(name, str) or name not in PRESETS:
        raise InputError.one(
            f"{where}.preset",
            f"プリセット「{name}」はありません（{'、'.join(preset_names())}）",
            f"unknown preset {name!r}; known: {', '.join(preset_names())}",
        )
    merged = copy.deepcopy(PRESETS[name])
    for key, value in spec.items():
        if key != "preset":
            merged[key] = value
    return merged


def parse_rules(spec: Any, where: str = "rules") -> RuleSet:
    """Validate a rule object (or a preset reference) and build the rule set."""
    if not isinstance(spec, dict):
        raise InputError.one(where, "ルールはオブジェクトで指定してください", "rules must be an object")
    full = resolve_spec(spec, where)
    c = ProblemCollector()
    check_keys(
        c,
        full,
        where,
        {"name", "description", "source", "rate", "grades", "judgement", "judgements", "summary", "measures", "display", "plausibility"},
    )
    rate = _rate(c, full.get("rate", {}), f"{where}.rate")
    grades_spec = full.get("grades", [])
    grades: list[GradeRule] = []
    if not isinstance(grades_spec, list):
        c.add(f"{where}.grades", "grades は配列で指定してください", "grades must be a list")
    else:
        for i, g in enumerate(grades_spec):
            rule = _grade(c, g, f"{where}.grades[{i}]")
            if rule is not None:
                grades.append(rule)
    _check_grade_levels(c, grades, where)
    judgement = None
    if full.get("judgement") is not None:
        judgement = _judgement(c, full["judgement"], f"{where}.judgement")
    measures = parse_measures(c, full.get("measures"), f"{where}.measures")
    criteria = parse_criteria(c, full.get("judgements"), f"{where}.judgements")
    _check_grade_judgements(c, grades, judgement, criteria, where)
    summary = _summary(c, full.get("summary", {}), f"{where}.summary")
    display = _display(c, full.get("display", {}), f"{where}.display")
    plausibility = _plausibility(c, full.get("plausibility", {}), f"{where}.plausibility")
    c.raise_if_any()
    return RuleSet(
        name=str(full.get("name", "")),
        description=str(full.get("description", "")),
        rate=rate,
        grades=tuple(grades),
        judgement=judgement,
        summary=summary,
        measures=measures,
        judgements=criteria,
        source=str(full.get("source", "")),
        display=display,
        plausibility=plausibility,
    )


def _check_grade_judgements(
    c: ProblemCollector, grades: list[GradeRule], judgement: JudgementRule | None, criteria: tuple[CriteriaRule, ...], where: str
) -> None:
    """A grade over judgements or points must name a judgement the rule set has (with points for points)."""
    names = {j.name: j for j in criteria}
    for i, g in enumerate(grades):
        if g.source not in ("judgements", "points"):
            continue
        if g.judgement is not None and g.judgement not in names:
            c.add(f"{where}.grades[{i}].judgement", f"判定「{g.judgement}」がありません", f"no judgement named {g.judgement!r}")
        elif g.judgement is None and judgement is None:
            c.add(
                f"{where}.grades[{i}].source",
                f"{g.source} を使うには judgement ルールが必要です（または judgements の判定の名前を judgement に）",
                f"source {g.source!r} needs a judgement rule or a named judgement",
            )
        elif g.source == "points":
            scored = [b.points for b in judgement.bands] if g.judgement is None and judgement else []
            if g.judgement is not None:
                scored = [x.points for x in names[g.judgement].conditions]
            if any(p is None for p in scored):
                c.add(f"{where}.grades[{i}].source", "points を使うには判定のすべての区分に points が必要です", "every band needs points")


def _rate(c: ProblemCollector, spec: Any, where: str) -> RateRule:
    if not is_object(c, spec, where, "rate はオブジェクトで指定してください", "rate must be an object"):
        return RateRule()
    check_keys(c, spec, where, {"rounding", "decimals", "cap"})
    rounding = rounding_option(c, spec, where, "rounding", "decimals", Rounding())
    cap = decimal_option(c, spec.get("cap"), f"{where}.cap")
    return RateRule(rounding=rounding, cap=cap)


def _bands(c: ProblemCollector, spec: Any, where: str, need_symbol: bool) -> tuple[Band, ...]:
    if not isinstance(spec, list) or not spec:
        c.add(where, "bands は1つ以上の区分の配列です", "bands must be a non-empty list")
        return ()
    bands: list[Band] = []
    for i, b in enumerate(spec):
        w = f"{where}[{i}]"
        if not isinstance(b, dict):
            c.add(w, "区分はオブジェクトで指定してください", "a band must be an object")
            continue
        check_keys(c, b, w, {"min", "label", "symbol", "points"})
        label = b.get("label")
        if not isinstance(label, str) or not label:
            c.add(f"{w}.label", "label（区分の名前）が必要です", "label is required")
            label = ""
        symbol = b.get("symbol", "")
        if need_symbol and not symbol:
            c.add(f"{w}.symbol", "symbol（◎ など）が必要です", "symbol is required")
        points = decimal_option(c, b.get("points"), f"{w}.points")
        bands.append(Band(decimal_option(c, b.get("min"), f"{w}.min"), label, str(symbol or ""), points))
    for i, band in enumerate(bands):
        last = i == len(bands) - 1
        if band.min is None and not last:
            c.add(f"{where}[{i}].min", "min を省略できるのは最後の区分だけです", "only the last band may have no min")
        if last and band.min is not None:
            c.add(f"{where}[{i}].min", "最後の区分は min: null（それ未満すべて）にしてください", "the last band must have min null")
        if i > 0 and band.min is not None and bands[i - 1].min is not None and band.min >= bands[i - 1].min:  # type: ignore[operator]
            c.add(f"{where}[{i}].min", "区分は min の大きい順に並べてください", "bands must be in descending order of min")
    check_unique(c, [b.name for b in bands], lambda i: f"{where}[{i}]", "区分", "band")
    return tuple(bands)


def _grade(c: ProblemCollector, spec: Any, where: str) -> GradeRule | None:
    if not is_object(c, spec, where, "評価ルールはオブジェクトで指定してください", "a grade rule must be an object"):
        return None
    check_keys(
        c,
        spec,
        where,
        {
            "level",
            "source",
            "scope",
            "kinds",
            "clamp",
            "aggregate",
            "bands",
            "no_data",
            "of_level",
            "parts",
            "count",
            "rounding",
            "decimals",
            "judgement",
        },
    )
    level = spec.get("level")
    if not isinstance(level, str) or not level:
        c.add(f"{where}.level", "level（評価する階層の名前、または plan）が必要です", "level is required")
        level = ""
    source = choice_option(c, spec, "source", where, SOURCES, "indicators")
    scope = choice_option(c, spec, "scope", where, SCOPES, "own" if level != PLAN_LEVEL else "descendants")
    kinds = spec.get("kinds", ["kpi"])
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        c.add(f"{where}.kinds", 'kinds は指標の種類の配列です（例: ["kpi"]）', "kinds must be a list of indicator kinds")
        kinds = ["kpi"]
    clamp = None
    if spec.get("clamp") is not None:
        cl = spec["clamp"]
        if not isinstance(cl, list) or len(cl) != 2:
            c.add(f"{where}.clamp", "clamp は [下限, 上限] の2要素です", "clamp must be [low, high]")
        else:
            lo, hi = decimal_option(c, cl[0], f"{where}.clamp[0]"), decimal_option(c, cl[1], f"{where}.clamp[1]")
            if lo is not None and hi is not None:
                if lo > hi:
                    c.add(f"{where}.clamp", "clamp の下限が上限より大きいです", "clamp low is above high")
                clamp = (lo, hi)
    aggregate = choice_option(c, spec, "aggregate", where, AGGREGATES, "mean")
    of_level = spec.get("of_level")
    if of_level is not None and not isinstance(of_level, str):
        c.add(f"{where}.of_level", "of_level は階層の名前（文字列）です", "of_level must be a level name", str(of_level))
        of_level = None
    if source == "grades" and not of_level:
        c.add(f"{where}.of_level", "source: grades には of_level（集計する階層）が必要です", "source 'grades' needs of_level")
    parts = choice_option(c, spec, "parts", where, PART_MODES, "each")
    count = spec.get("count", [])
    if not isinstance(count, list):
        c.add(f"{where}.count", 'count は判定記号の配列です（例: ["◎", "○"]）', "count must be a list of symbols")
        count = []
    judgement = spec.get("judgement")
    if judgement is not None and (not isinstance(judgement, str) or source not in ("judgements", "points")):
        c.add(
            f"{where}.judgement",
            "judgement は source が judgements か points のときの判定の名前です",
            "judgement names a judgement for source judgements or points",
        )
        judgement = None
    if source == "judgements" and not count:
        c.add(f"{where}.count", "source: judgements には count（達成とみなす記号）が必要です", "source 'judgements' needs count")
    rounding = None
    if "rounding" in spec or "decimals" in spec:
        rounding = rounding_option(c, spec, where, "rounding", "decimals", Rounding())
    no_data = spec.get("no_data", "データなし")
    if not isinstance(no_data, str) or not no_data:
        c.add(f"{where}.no_data", "no_data は文字列です", "no_data must be a string")
        no_data = "データなし"
    return GradeRule(
        level=level,
        bands=_bands(c, spec.get("bands"), f"{where}.bands", need_symbol=False),
        source=source,
        scope=scope,
        kinds=tuple(kinds),
        clamp=clamp,
        aggregate=aggregate,
        no_data=no_data,
        of_level=of_level,
        parts=parts,
        count=tuple(str(x) for x in count),
        rounding=rounding,
        judgement=judgement,
    )


def _check_grade_levels(c: ProblemCollector, grades: list[GradeRule], where: str) -> None:
    seen: dict[str, int] = {}
    for i, g in enumerate(grades):
        if g.level in seen:
            c.add(
                f"{where}.grades[{i}].level",
                f"階層「{g.level}」の評価ルールが重複しています",
                f"duplicate grade rule for level {g.level!r}",
            )
        seen[g.level] = i
    for i, g in enumerate(grades):
        if g.source == "grades" and g.of_level and g.of_level not in seen:
            c.add(
                f"{where}.grades[{i}].of_level",
                f"of_level「{g.of_level}」の評価ルールがありません",
                f"no grade rule for of_level {g.of_level!r}",
            )
        elif g.source == "grades" and g.of_level and seen[g.of_level] > i:
            c.add(
                f"{where}.grades[{i}].of_level",
                f"of_level「{g.of_level}」のルールを先に書いてください",
                f"the rule for {g.of_level!r} must come first",
            )


def _judgement(c: ProblemCollector, spec: Any, where: str) -> JudgementRule | None:
    if not is_object(c, spec, where, "judgement はオブジェクトで指定してください", "judgement must be an object"):
        return None
    check_keys(c, spec, where, {"bands", "pending", "none", "parts"})
    parts = choice_option(c, spec, "parts", where, ("worst", "best", "mean"), "worst")
    return JudgementRule(
        bands=_bands(c, spec.get("bands"), f"{where}.bands", need_symbol=True),
        pending=marker_option(c, spec.get("pending"), f"{where}.pending", Marker("■", "集計中")),
        none=marker_option(c, spec.get("none"), f"{where}.none", Marker("―", "指標未設定")),
        parts=parts,
    )


def _summary(c: ProblemCollector, spec: Any, where: str) -> SummaryRule:
    if not is_object(c, spec, where, "summary はオブジェクトで指定してください", "summary must be an object"):
        return SummaryRule()
    check_keys(c, spec, where, {"share_rounding", "share_decimals"})
    return SummaryRule(rounding_option(c, spec, where, "share_rounding", "share_decimals", Rounding("half_up", 1)))


def _display(c: ProblemCollector, spec: Any, where: str) -> Display:
    if not is_object(c, spec, where, "display はオブジェクトで指定してください", "display must be an object"):
        return Display()
    check_keys(c, spec, where, {"unit_space", "percent"})
    unit_space = spec.get("unit_space", False)
    if not isinstance(unit_space, bool):
        c.add(f"{where}.unit_space", "unit_space は true か false です", "unit_space must be true or false", str(unit_space))
        unit_space = False
    percent = spec.get("percent", "％")
    if percent not in PERCENT_SIGNS:
        c.add(f"{where}.percent", f"percent は {' か '.join(PERCENT_SIGNS)} です", "percent must be ％ or %", str(percent))
        percent = "％"
    return Display(unit_space, percent)


def _plausibility(c: ProblemCollector, spec: Any, where: str) -> Plausibility:
    if not is_object(c, spec, where, "plausibility はオブジェクトで指定してください", "plausibility must be an object"):
        return Plausibility()
    default = Plausibility()
    check_keys(c, spec, where, {"negative", "percent_max", "share_max", "share_words", "achievement_max", "jump"})
    negative = spec.get("negative", True)
    if not isinstance(negative, bool):
        c.add(f"{where}.negative", "negative は true か false です", "negative must be true or false", str(negative))
        negative = True
    words = spec.get("share_words", list(default.share_words))
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        c.add(f"{where}.share_words", 'share_words は語の配列です（例: ["割合", "率"]）', "share_words must be a list of words")
        words = list(default.share_words)
    thresholds = {}
    for key in ("percent_max", "share_max", "achievement_max", "jump"):
        value = decimal_option(c, spec[key], f"{where}.{key}") if key in spec else getattr(default, key)
        if value is not None and value < 0:
            c.add(f"{where}.{key}", "0 以上の数値か null（確認しない）です", "must be 0 or more, or null (no check)", str(value))
        thresholds[key] = value
    return Plausibility(negative=negative, share_words=tuple(words), **thresholds)
