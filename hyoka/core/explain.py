"""One Japanese sentence for every rate, judgement and grade, built from the data.

A reader must be able to check each figure by hand from the sentence alone
(「小柱の KPI 達成率（0〜100% に丸めた値）の平均 79.2% が 75% 以上 90% 未満のため
『概ね順調に進んでいます』」), so the sentence names the inputs, the formula, the
rounding and the band boundaries that decided.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from .arithmetic import fmt_decimal, round_fraction, rounding_words
from .grades import Grade
from .judgement import Judgement
from .model import Series, Status
from .notation import expected_when
from .rates import NoRate, Quantities, Rate, quantities
from .rules import Band, GradeRule, JudgementRule, Rounding, RuleSet
from .targets import Basis
from .text import clean_line

AGGREGATE_WORDS = {"mean": "平均", "min": "最小値", "max": "最大値", "median": "中央値", "weighted_mean": "加重平均", "sum": "合計"}
KIND_WORDS = {"kpi": "ＫＰＩ", "numeric_target": "数値目標"}


def pct(value: Decimal | None) -> str:
    return "―" if value is None else f"{fmt_decimal(value)}%"


def approx_pct(value: Fraction) -> str:
    """An unrounded ratio for a sentence: exact when short, else 「約」 and two decimals."""
    shown = round_fraction(value, Rounding("truncate", 2))
    exact = Fraction(shown) == value
    return f"{'' if exact else '約'}{fmt_decimal(shown.normalize() if exact else shown)}%"


def _t(text: str) -> str:
    return clean_line(text)


def _year(year: int) -> str:
    return f"{year}年度"


def target_name(basis: Basis | None, t: str) -> str:
    """The reference target as a sentence names it: 「目標値 3,797」「最終目標値（2027年度）3,947」「2024年度の目安値 140」."""
    if basis is None or basis.reference == "same_year":
        prefix = "" if basis is None or basis.data_year == basis.year else _year(basis.data_year) + "の"
        return f"{prefix}目標値 {t}"
    if basis.reference == "final":
        return f"最終目標値（{_year(basis.target_year or 0)}）{t}"
    return f"{_year(basis.data_year)}の目安値 {t}"


def data_year_words(basis: Basis | None) -> str:
    """「2024年度の評価には、最新の2022年度の実績値を用います。」 when the figure is older than the year."""
    if basis is None or basis.data_year == basis.year:
        return ""
    return f"{_year(basis.year)}の評価には、最新の{_year(basis.data_year)}の実績値を用います。"


def _line_words(basis: Basis, q: Quantities) -> str:
    final = basis.entry.text if basis.entry is not None else ""
    return (
        f"（基準値 {_t(q.baseline_text)}（{_year(basis.baseline_year or 0)}）と"
        f"最終目標値 {_t(final)}（{_year(basis.target_year or 0)}）を結ぶ線上の値）"
    )


def explain_rate(series: Series, year: int, rate: Rate, rules: RuleSet) -> str:
    q = rate.quantities
    basis = rate.basis
    if rate.value is None:
        return data_year_words(basis) + _no_rate(series, year, rate)
    a, t, b = _t(q.actual_text), _t(q.target_text), _t(q.baseline_text)
    target = target_name(basis, t)
    if basis is not None and basis.reference == "elapsed_share" and basis.share is not None:
        final = _t(basis.entry.text) if basis.entry is not None else ""
        expr = (
            f"基準値からの進捗率（実績値 {a} − 基準値 {b}）÷（最終目標値 {final} − 基準値 {b}）を"
            f"経過期間の割合 {approx_pct(basis.share * 100)}（{_year(basis.baseline_year or 0)}から"
            f"{_year(basis.target_year or 0)}まで）で割り × 100"
        )
    elif rate.formula == "ratio":
        expr = f"実績値 {a} ÷ {target} × 100"
    elif rate.formula == "inverse_ratio":
        expr = f"{target} ÷ 実績値 {a} × 100（低いほど良い指標）"
    else:
        expr = f"（実績値 {a} − 基準値 {b}）÷（{target} − 基準値 {b}）× 100"
    sentence = f"{_year(year)}の達成率は {expr} = {pct(rate.uncapped)}（{rounding_words(rules.rate.rounding)}）"
    if rate.capped:
        sentence += f"で、上限 {pct(rate.value)} として扱います"
    if rate.status is Status.ESTIMATE:
        sentence += "。実績値は見込値のため暫定です"
    line = _line_words(basis, q) if basis is not None and basis.reference == "interpolated" else ""
    return data_year_words(basis) + sentence + "。" + (f"目安値は{line[1:-1]}です。" if line else "")


def _no_rate(series: Series, year: int, rate: Rate) -> str:
    reason = rate.reason
    y = _year(year)
    if reason is NoRate.PENDING:
        when = _expected_words(rate.expected)
        return f"{y}の実績値は{when}把握予定のため、達成率はまだ算出できません。"
    if reason is NoRate.UNMEASURABLE:
        return f"{y}の実績値は測定できない（―※）ため、達成率は算出しません。"
    if reason is NoRate.NO_TARGET:
        return f"{y}の目標値が設定されていないため、達成率は算出しません。"
    if reason is NoRate.NO_VALUE:
        return f"{y}の実績値が未入力のため、達成率はまだ算出できません。"
    if reason is NoRate.QUALITATIVE:
        return "定性的な目標のため達成率はなく、実績と目標の記述を比べて判定します。"
    if reason is NoRate.DIRECTION:
        target = rate.basis.entry.text if rate.basis is not None and rate.basis.entry is not None else ""
        return f"目標「{_t(target)}」は向きだけを示すため達成率はなく、基準値からの変化で判定します。"
    if reason is NoRate.NO_BASELINE:
        return "基準値がないため、基準値からの進捗による達成率は算出できません。"
    q = rate.quantities
    if rate.formula == "ratio":
        return f"{y}の目標値が {_t(q.target_text)} で 0 のため、達成率（実績値 ÷ 目標値）は算出できません。"
    if rate.formula == "inverse_ratio":
        return f"{y}の実績値が 0 のため、達成率（目標値 ÷ 実績値）は算出できません。"
    return f"{y}の目標値が基準値と同じため、基準値からの進捗による達成率は算出できません。"


def _expected_words(expected: str | None) -> str:
    if not expected:
        return ""
    year, month = expected_when(expected)
    return f"{year}年度中に" if month is None else f"{year}年{month}月頃に"


def band_range_words(bands: tuple[Band, ...], index: int) -> str:
    """「75% 以上 90% 未満」: the interval of band *index*."""
    band = bands[index]
    upper = bands[index - 1].min if index > 0 else None
    parts = []
    if band.min is not None:
        parts.append(f"{pct(band.min)} 以上")
    if upper is not None:
        parts.append(f"{pct(upper)} 未満")
    return " ".join(parts) if parts else "すべて"


def _band_name(band_symbol: str, label: str) -> str:
    return f"『{band_symbol} {label}』" if band_symbol else f"『{label}』"


def explain_judgement(series: Series, year: int, j: Judgement, rule: JudgementRule, basis: Basis | None = None) -> str:
    if j.basis == "recorded":
        computed = j.computed
        before = f"（ルールによる判定は{_band_name(computed.symbol, computed.label)}）" if computed else ""
        reason = f"理由: {j.reason}" if j.reason else "理由の記載なし"
        return f"評価者が記録した判定により{_band_name(j.symbol, j.label)}とします{before}。{reason}。"
    name = _band_name(j.symbol, j.label)
    if j.basis == "parts":
        labels = "、".join(f"{label}{p.symbol}" for label, p in j.parts)
        if j.pending:
            return f"{labels}のうち {j.detail} が集計中のため{name}。"
        if j.state == "none":
            return f"{labels}のいずれも判定できないため{name}。"
        how = {"worst": "最も低い", "best": "最も高い", "mean": "平均の"}[rule.parts]
        return f"{labels}のうち{how}判定（{j.detail}）により{name}。"
    data_year = basis.data_year if basis is not None else year
    value = series.values.get(data_year)
    if j.basis == "pending":
        when = _expected_words(value.expected if value else None)
        return f"{_year(year)}の実績値が集計中（{when}把握予定）のため{name}。" if when else f"{_year(year)}の実績値が集計中のため{name}。"
    if j.basis == "none":
        return none_words(year, j.detail) + f"{name}。"
    q = quantities(series, year, basis)
    a, t = _t(q.actual_text), _t(q.target_text)
    prefix = data_year_words(basis)
    if j.basis == "qualitative":
        same = "一致する" if j.rank == 0 else "一致しない"
        return f"{prefix}実績「{a}」が目標「{t}」と{same}ため{name}。"
    if j.basis == "direction":
        way = "増えている" if basis is not None and basis.entry is not None and basis.entry.parsed.trend == "increase" else "減っている"
        met = "" if j.rank == 0 else "とはいえない"
        return f"{prefix}目標「{t}」に対し、実績値 {a} は基準値 {_t(q.baseline_text)} から{way}{met}ため{name}。"
    if j.basis == "zero_target":
        relation = "以下" if series.direction == "lower" else "以上"
        met = "である" if j.rank == 0 else "でない"
        return f"{prefix}目標値が {t}（0）で、実績値 {a} は目標{relation}{met}ため{name}。"
    assert j.ratio is not None and j.rank is not None
    formula = basis.formula if basis is not None else series.effective_formula
    target = target_name(basis, t)
    if basis is not None and basis.reference == "elapsed_share":
        expr = "基準値からの進捗率 ÷ 経過期間の割合"
    elif formula == "inverse_ratio":
        expr = f"{target} ÷ 実績値 {a}（低いほど良い指標）"
    elif formula == "progress":
        expr = "基準値からの進捗" if basis is None or basis.reference == "same_year" else f"{target}に対する基準値からの進捗"
    else:
        expr = f"実績値 {a} ÷ {target}"
    return f"{prefix}{expr} = {approx_pct(j.ratio)}（丸めずに比較）が {band_range_words(rule.bands, j.rank)} のため{name}。"


def none_words(year: int, detail: str) -> str:
    """「2024年度の実績値が未入力のため」: why a judgement could not be made."""
    if detail == NoRate.NO_TARGET.value:
        return f"{_year(year)}の目標（成果指標）が設定されていないため"
    if detail == NoRate.NO_VALUE.value:
        return f"{_year(year)}の実績値が未入力のため"
    if detail == NoRate.UNMEASURABLE.value:
        return f"{_year(year)}の実績値が測定できないため"
    if detail == NoRate.NO_BASELINE.value:
        return "基準値がないため"
    return "判定できないため"


def _inputs_words(rule: GradeRule, level: str) -> str:
    kinds = "・".join(KIND_WORDS.get(k, k) for k in rule.kinds) or "指標"
    where = f"{level}の" if rule.scope == "own" else f"{level}以下のすべての"
    clamp = ""
    if rule.clamp is not None:
        clamp = f"（{fmt_decimal(rule.clamp[0])}〜{fmt_decimal(rule.clamp[1])}% に丸めた値）"
    return f"{where}{kinds}達成率{clamp}"


def explain_grade(grade: Grade, level: str) -> str:
    rule = grade.rule
    agg = AGGREGATE_WORDS[rule.aggregate]
    who = "計画全体" if rule.is_plan else level
    if grade.band is None:
        if rule.source == "grades":
            return f"{rule.of_level}の評価がないため『{rule.no_data}』。"
        if rule.source == "judgements":
            return f"判定済みの指標がないため『{rule.no_data}』。"
        return f"達成率のある{'・'.join(KIND_WORDS.get(k, k) for k in rule.kinds)}がないため『{rule.no_data}』。"
    index = rule.bands.index(grade.band)
    interval = band_range_words(rule.bands, index)
    name = _band_name(grade.band.symbol, grade.band.label)
    if rule.source == "grades":
        subject = f"{who}は、{rule.of_level}の評価の値 {len(grade.inputs)} 件の{agg}"
    elif rule.source == "judgements":
        symbols = "・".join(rule.count)
        subject = f"{who}は、判定済み {grade.judged} 件のうち {symbols} が {grade.counted} 件の割合"
    else:
        subject = f"{_inputs_words(rule, who)}（{len(grade.inputs)} 件）の{agg}"
    excluded = f"（達成率のない {len(grade.excluded)} 件は除く）" if grade.excluded and rule.source == "indicators" else ""
    return f"{subject}{excluded} {pct(grade.mean)} が {interval} のため{name}。"
