"""The evaluation method of a rule set, in the words of a report's 「評価の方法」 page.

Seed 000 prints a table of 進捗状況の区分 and 判断基準, seed 001 the ◎○△ criteria.
Both are generated here from the rule set itself, so that a report (or the public
site) can never describe a rule other than the one that computed its figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from .arithmetic import fmt_decimal, rounding_words
from .criteria import CATEGORY_MEASURES, CriteriaRule, MeasureRule
from .explain import AGGREGATE_WORDS, KIND_WORDS, band_range_words
from .explain_conditions import condition_words
from .rules import Band, GradeRule, JudgementRule, RuleSet

FORMULA_WORDS = {
    "ratio": "実績値 ÷ 目標値 × 100",
    "progress": "（実績値 − 基準値）÷（目標値 − 基準値）× 100",
    "inverse_ratio": "目標値 ÷ 実績値 × 100",
}
FORMULA_USES = {
    "ratio": "目標値に対する実績値の割合で測る指標",
    "progress": "基準値からの進捗で測る指標",
    "inverse_ratio": "低いほど良い指標（上限の目標）",
}


@dataclass(frozen=True)
class Criterion:
    """One row of a criteria table: the band and the condition that gives it."""

    symbol: str
    label: str
    condition: str


@dataclass(frozen=True)
class CriteriaTable:
    title: str
    head: tuple[str, str]
    rows: tuple[Criterion, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Method:
    """What a reader needs to recompute every figure of the report by hand."""

    rate: tuple[str, ...]
    tables: tuple[CriteriaTable, ...]


REFERENCE_WORDS = {
    "final": "達成率は、各年度の目標値ではなく最終目標値（最終目標年度の目標値）に対して算出します。",
    "interpolated": (
        "達成率は、基準値（基準年度）と最終目標値（最終目標年度）を結ぶ直線上の、実績値の年度の値（目安値）に対して算出します。"
    ),
    "elapsed_share": (
        "達成率は、基準値から最終目標値までの進捗率（（実績値 − 基準値）÷（最終目標値 − 基準値））を、基準年度から最終目標年度までの"
        "期間のうち実績値の年度までに経過した割合（5年の計画の1年目は20%、2年目は40%…）で割って算出します。100% 以上であれば、経過した期間の割合以上に進んでいます。"
    ),
}
MEASURE_DEFINITIONS = {
    "rate": "達成率は、上の方法で算出した値を丸めずに用います。",
    "progress": "最終目標値に対する進捗率は（実績値 − 基準値）÷（最終目標値 − 基準値）× 100 です。",
    "elapsed": "経過期間の割合は（実績値の年度 − 基準年度）÷（最終目標年度 − 基準年度）× 100 です。",
    "change": "基準値からの変化率は（実績値 − 基準値）÷ 基準値の絶対値 × 100 で、改善の向き（低いほど良い指標では減少）を正とします。基準値が 0 のときは求められません。",
    "change_points": "基準値からの変化は 実績値 − 基準値（指標の単位。％の指標ではポイント）で、改善の向きを正とします。",
    "lag": "評価年度から実績値の年度までの年数です。",
    "reached": "目標値に達しているとは、実績値が比べる目標値以上（低いほど良い指標では以下）であることです。",
    "final_reached": "最終目標値に達しているとは、実績値が最終目標値以上（低いほど良い指標では以下）であることです。",
    "qualitative": "定性的な指標は、目標を記述（「実施」など）で示す指標です。",
    "position": (
        f"{CATEGORY_MEASURES['position'][0]}は、基準年度の基準値と最終目標年度の目標値を結ぶ直線の、実績値の年度の値（目安値）と比べ、"
        "良い側を「線より上」とします。"
    ),
}


def outlook_words(rule: MeasureRule) -> str:
    on, acc, low = (fmt_decimal(x) for x in (rule.on_track, rule.acceleration, rule.limited))
    return (
        "最終目標に向けた見通しは、基準年度から実績値の年度までの年平均伸び率と、最終目標値に必要な年平均伸び率の比 R で判断します"
        f"（R が {on} 以上: 目標達成の見込み、{acc} 以上: 進捗あり・加速が必要、{low} 以上: 進捗が限定的、{low} 未満: 悪化）。"
    )


def measure_sentences(rule: MeasureRule) -> list[str]:
    """How the value and the target compared are chosen, when the rules differ from 「その年度の実績値と目標値」."""
    out = []
    if rule.window:
        out.append(
            f"評価年度の実績値がまだないときは、{rule.window}年前までの最新の実績値を用い、その年度を示します（統計の公表が遅れる指標のため）。"
        )
    if rule.reference in REFERENCE_WORDS:
        out.append(REFERENCE_WORDS[rule.reference])
    return out


def describe_rules(rules: RuleSet, formulas: set[str] | None = None) -> Method:
    """The rule set in words; *formulas* limits the rate formulas named to those in use."""
    if rules.measures.formula is not None or rules.measures.reference == "elapsed_share":
        formulas = {"progress" if rules.measures.reference == "elapsed_share" else rules.measures.formula or "ratio"}
    used = [f for f in FORMULA_WORDS if formulas is None or f in formulas] or ["ratio"]
    rate = [f"{FORMULA_USES[f]}の達成率は「{FORMULA_WORDS[f]}」で算出します。" for f in used]
    if rules.measures.formula is not None:
        rate = [f"すべての指標の達成率を「{FORMULA_WORDS[rules.measures.formula]}」で算出します。"]
    rate += measure_sentences(rules.measures)
    rate.append(f"達成率は{rounding_words(rules.rate.rounding)}して表示します。")
    if rules.rate.cap is not None:
        cap = fmt_decimal(rules.rate.cap)
        rate.append(f"達成率は {cap}% を上限として表示・集計し、上限を超える場合は丸めた値を括弧内に示します。")
    rate.append("実績値が把握予定・測定不能のとき、その年度の目標値がないときは、達成率を算出しません。")
    tables = [_grade_table(g, rules) for g in rules.grades]
    if rules.judgement is not None:
        tables.append(_judgement_table(rules.judgement, rules.measures))
    tables += [_criteria_table(c, rules.measures) for c in rules.judgements]
    return Method(tuple(rate), tuple(tables))


def _subject(rule: GradeRule, rules: RuleSet) -> str:
    who = "計画全体" if rule.is_plan else rule.level
    agg = AGGREGATE_WORDS[rule.aggregate]
    if rule.source == "points":
        title = _judgement_title(rule, rules)
        return f"{who}の指標の{title}の点数の{agg}"
    if rule.source == "grades":
        return f"{who}に属する{rule.of_level}の評価の値の{agg}"
    if rule.source == "judgements":
        return f"{who}の判定済みの指標のうち {'・'.join(rule.count)} の割合"
    kinds = "・".join(KIND_WORDS.get(k, k) for k in rule.kinds)
    where = f"{who}の" if rule.scope == "own" else f"{who}以下のすべての"
    return f"{where}{kinds}達成率の{agg}"


def _rows(bands: tuple[Band, ...], subject: str) -> tuple[Criterion, ...]:
    return tuple(Criterion(b.symbol, b.label, f"{subject}が {band_range_words(bands, i)}") for i, b in enumerate(bands))


def _judgement_title(rule: GradeRule, rules: RuleSet) -> str:
    criteria = rules.criteria(rule.judgement) if rule.judgement else None
    return f"「{criteria.title}」" if criteria is not None else "判定"


def _grade_table(rule: GradeRule, rules: RuleSet) -> CriteriaTable:
    who = "計画全体" if rule.is_plan else rule.level
    notes: list[str] = []
    if rule.clamp is not None:
        low, high = (fmt_decimal(x) for x in rule.clamp)
        notes.append(f"{AGGREGATE_WORDS[rule.aggregate]}には、達成率を {low}〜{high}% の範囲に収めた値を用います。")
    if rule.source == "indicators":
        notes.append("達成率のない指標は除いて計算します（0 とはみなしません）。")
        if rule.parts == "each":
            notes.append("区分（①②、男性・女性など）ごとに目標がある指標は、区分ごとの達成率をそれぞれ用います。")
        else:
            way = "最も低い" if rule.parts == "worst" else "平均の"
            notes.append(f"区分ごとに目標がある指標は、区分の{way}達成率を用います。")
    if rule.rounding is not None:
        notes.append(f"評価の値は{rounding_words(rule.rounding)}して判断します。")
    notes.append(f"区分の境界の値はその区分に含みます。評価の対象となる値がないときは「{rule.no_data}」とします。")
    if rule.source == "points":
        notes.append("判定できない指標（E、集計中など）は除いて計算します。")
    return CriteriaTable(f"{who}の評価の区分", ("評価の区分", "判断基準"), _rows(rule.bands, _subject(rule, rules)), tuple(notes))


def _judgement_table(rule: JudgementRule, measures: MeasureRule) -> CriteriaTable:
    subject = "実績値の目標値に対する割合" if measures.is_default else "達成率（上の方法で算出した、丸める前の値）"
    rows = list(_rows(rule.bands, subject))
    rows.append(Criterion(rule.pending.symbol, rule.pending.label, "実績値が集計中（把握予定）"))
    rows.append(Criterion(rule.none.symbol, rule.none.label, "成果指標または目標値が設定されていない"))
    parts = {"worst": "最も低い判定", "best": "最も高い判定", "mean": "判定の平均"}[rule.parts]
    notes = (
        "割合は丸めずに区分の境界と比べます。",
        "低いほど良い指標は「目標値 ÷ 実績値」で比べ、目標値が 0 のときは実績値が目標値以下であれば達成とします。",
        "定性的な目標（「実施」など）は、実績が目標と同じ記述であれば達成とします。",
        f"複数の指標（①②など）がある場合は{parts}とし、いずれかが集計中であれば「{rule.pending.label}」とします。",
    )
    return CriteriaTable("指標の判定の区分", ("判定", "判断基準"), tuple(rows), notes)


def _criteria_table(rule: CriteriaRule, measures: MeasureRule) -> CriteriaTable:
    """A named judgement: its conditions in order, then the markers for a figure still to come or none."""
    rows = [
        Criterion(c.symbol, c.label, condition_words(c) + (f"（{fmt_decimal(c.points)}点）" if c.points is not None else ""))
        for c in rule.conditions
    ]
    if rule.pending == rule.none:
        rows.append(Criterion(rule.none.symbol, rule.none.label, "実績値が集計中、またはない。判断に要る値（基準値など）が求められない"))
    else:
        rows.append(Criterion(rule.pending.symbol, rule.pending.label, "実績値が集計中（把握予定）"))
        rows.append(Criterion(rule.none.symbol, rule.none.label, "実績値がない、または判断に要る値（基準値など）が求められない"))
    named = list(dict.fromkeys(t.measure for c in rule.conditions for t in c.tests))
    notes = ["上の区分から順に判断し、最初に当てはまる区分とします。値を丸めずに境界と比べます。"]
    notes += [MEASURE_DEFINITIONS[m] for m in named if m in MEASURE_DEFINITIONS]
    if "outlook" in named or "outlook_ratio" in named:
        notes.append(outlook_words(measures))
    if rule.parts == "points":
        points = "、".join(f"{c.symbol}={fmt_decimal(c.points)}点" for c in rule.conditions if c.points is not None)
        notes.append(
            f"区分（男女別など）ごとに値がある指標は、区分ごとに判定し、{points}として平均（判定できない区分は除く）を"
            f"{rounding_words(rule.points_rounding)}した点数に当たる区分とします。"
        )
    else:
        way = "最も低い" if rule.parts == "worst" else "最も高い"
        notes.append(f"区分（①②、男女別など）ごとに値がある指標は、{way}判定とします。")
    return CriteriaTable(f"{rule.title}の区分", ("区分", "判断基準"), tuple(rows), tuple(notes))
