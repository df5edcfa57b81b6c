"""Draft evaluation sentences built from the data, for a department to edit (SPEC 6).

A department writes 「KPIの達成率平均は83.8％となり、おおむね順調に進捗している」 every
year by hand, copying numbers. This module writes those sentences from the evaluation,
so the department only has to add the analysis that the numbers cannot give.
"""

from __future__ import annotations

from decimal import Decimal

from .engine import Evaluation, IndicatorResult
from .explain import KIND_WORDS, pct
from .rates import NoRate


def _sentence_end(label: str) -> str:
    if label.endswith(("ます", "です", "た")):
        return f"{label}。"
    return f"評価は『{label}』です。"


def draft_for_node(ev: Evaluation, node_id: str) -> list[str]:
    """Sentences about the node's own indicators (and its grade) in the evaluated year."""
    results = ev.indicators_under(node_id, scope="own")
    if not results:
        results = ev.indicators_under(node_id, scope="descendants")
    sentences: list[str] = []
    grade = ev.nodes[node_id].grade
    if grade is not None and grade.band is not None:
        kinds = "・".join(KIND_WORDS.get(k, k) for k in grade.rule.kinds)
        sentences.append(f"{kinds}{len(grade.inputs)}件の達成率の平均は{pct(grade.mean)}となり、{_sentence_end(grade.label)}")
    elif grade is not None:
        sentences.append(f"{ev.year}年度の実績を把握できた指標がなく、{_sentence_end(grade.label)}")
    rated = [(r, rate.value) for r in results for _l, _s, rate in r.rates if rate.value is not None]
    if rated:
        achieved = sum(1 for _r, v in rated if v is not None and v >= 100)
        share = "すべて" if achieved == len(rated) else f"{achieved}件"
        sentences.append(f"達成率を算出した{len(rated)}件のうち{share}で目標を達成しました。")
        worst, value = min(rated, key=lambda item: item[1] if item[1] is not None else Decimal(0))
        if value is not None and value < 100:
            sentences.append(f"「{worst.indicator.name}」は達成率{pct(value)}にとどまっており、要因の分析と取組の強化が必要です。")
    sentences += [s for r in results for s in _status_sentences(r)]
    if ev.rules.judgement is not None:
        for r in results:
            j = r.judgement
            if j is not None and j.judged and j.rank == len(ev.rules.judgement.bands) - 1:
                sentences.append(f"「{r.indicator.name}」は{j.label}でした。未達成の理由と今後の見込みを記載してください。")
    return sentences


def _status_sentences(result: IndicatorResult) -> list[str]:
    out = []
    for _label, _series, rate in result.rates:
        if rate.reason is NoRate.PENDING:
            when = _when(rate.expected)
            out.append(f"「{result.indicator.name}」の{'実績は' + when + 'に把握予定' if when else '実績は把握予定'}です。")
        elif rate.value is not None and rate.status is not None and rate.status.value == "estimate":
            out.append(f"「{result.indicator.name}」の実績は見込値のため、確定値の把握後に改めて評価します。")
    return out


def _when(expected: str | None) -> str:
    if not expected:
        return ""
    if "-" in expected:
        y, m = expected.split("-")
        return f"{int(y)}年{int(m)}月頃"
    return f"{int(expected)}年度中"
