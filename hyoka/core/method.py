"""The evaluation method of a rule set, in the words of a report's 「評価の方法」 page.

Seed 000 prints a table of 進捗状況の区分 and 判断基準, seed 001 the ◎○△ criteria.
Both are generated here from the rule set itself, so that a report (or the public
site) can never describe a rule other than the one that computed its figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from .arithmetic import fmt_decimal, rounding_words
from .explain import AGGREGATE_WORDS, KIND_WORDS, band_range_words
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


def describe_rules(rules: RuleSet, formulas: set[str] | None = None) -> Method:
    """The rule set in words; *formulas* limits the rate formulas named to those in use."""
    used = [f for f in FORMULA_WORDS if formulas is None or f in formulas] or ["ratio"]
    rate = [f"{FORMULA_USES[f]}の達成率は「{FORMULA_WORDS[f]}」で算出します。" for f in used]
    rate.append(f"達成率は{rounding_words(rules.rate.rounding)}して表示します。")
    if rules.rate.cap is not None:
        cap = fmt_decimal(rules.rate.cap)
        rate.append(f"達成率は {cap}% を上限として表示・集計し、上限を超える場合は丸めた値を括弧内に示します。")
    rate.append("実績値が把握予定・測定不能のとき、その年度の目標値がないときは、達成率を算出しません。")
    tables = [_grade_table(g) for g in rules.grades]
    if rules.judgement is not None:
        tables.append(_judgement_table(rules.judgement))
    return Method(tuple(rate), tuple(tables))


def _subject(rule: GradeRule) -> str:
    who = "計画全体" if rule.is_plan else rule.level
    agg = AGGREGATE_WORDS[rule.aggregate]
    if rule.source == "grades":
        return f"{who}に属する{rule.of_level}の評価の値の{agg}"
    if rule.source == "judgements":
        return f"{who}の判定済みの指標のうち {'・'.join(rule.count)} の割合"
    kinds = "・".join(KIND_WORDS.get(k, k) for k in rule.kinds)
    where = f"{who}の" if rule.scope == "own" else f"{who}以下のすべての"
    return f"{where}{kinds}達成率の{agg}"


def _rows(bands: tuple[Band, ...], subject: str) -> tuple[Criterion, ...]:
    return tuple(Criterion(b.symbol, b.label, f"{subject}が {band_range_words(bands, i)}") for i, b in enumerate(bands))


def _grade_table(rule: GradeRule) -> CriteriaTable:
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
    return CriteriaTable(f"{who}の評価の区分", ("評価の区分", "判断基準"), _rows(rule.bands, _subject(rule)), tuple(notes))


def _judgement_table(rule: JudgementRule) -> CriteriaTable:
    rows = list(_rows(rule.bands, "実績値の目標値に対する割合"))
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
