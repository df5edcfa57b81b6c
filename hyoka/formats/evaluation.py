"""The evaluation as data: the JSON contract of ``hyoka evaluate`` and its table for people.

Every consumer (CLI, API, reports, site) uses this one shape, so the numbers in a
report are the numbers in the open data.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..core.arithmetic import exact_text, fmt_decimal, round_fraction
from ..core.criteria import CriteriaRule
from ..core.display import entry_text, figure_text
from ..core.engine import Evaluation, IndicatorResult, NodeResult, PartResult
from ..core.explain import explain_grade, explain_judgement, explain_rate
from ..core.explain_conditions import explain_criteria, explain_measures
from ..core.grades import Grade
from ..core.judgement import Judgement
from ..core.measures import Measures
from ..core.rates import Rate
from ..core.rules import Display, Rounding
from ..core.summary import ALL, GradeCounts, JudgementCounts, Summary, summarize
from ..core.targets import Basis
from ..core.text import clean_line


def _d(value: Decimal | None) -> str | None:
    return None if value is None else fmt_decimal(value)


def _x(value: Fraction | Decimal | None) -> str | None:
    return None if value is None else exact_text(Fraction(value))


def rate_dict(series: Any, year: int, rate: Rate, ev: Evaluation) -> dict[str, Any]:
    basis = rate.basis
    data_year = basis.data_year if basis is not None else year
    value = series.values.get(data_year)
    target = series.targets.get(data_year)
    return {
        "rate": _d(rate.value),
        "rate_uncapped": _d(rate.uncapped),
        "rate_exact": exact_text(rate.exact) if rate.exact is not None else None,
        "rate_fraction": f"{rate.exact.numerator}/{rate.exact.denominator}" if rate.exact is not None else None,
        "formula": rate.formula,
        "no_rate_reason": rate.reason.value if rate.reason else None,
        "target": entry_text(target.parsed, series.unit, ev.rules.display) if target else None,
        "actual": entry_text(value.entry.parsed, series.unit, ev.rules.display) if value else None,
        "status": value.status.value if value else None,
        "expected": value.expected if value else None,
        "data_year": data_year,
        "reference": _reference(rate, series, ev.rules.display),
        "explanation": explain_rate(series, year, rate, ev.rules),
    }


def _in_unit(value: Decimal | Fraction | None, unit_scale: int) -> str | None:
    """Exact decimal text of a base-unit value in the indicator's unit (万人 → the figure in 万)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return fmt_decimal(value.scaleb(-unit_scale).normalize())
    return exact_text(value / 10**unit_scale)


def _target_text(basis: Basis, target: Decimal | Fraction | None, series: Any, display: Display) -> str | None:
    """The compared target as every page prints a figure: 「30.0％」, a 目安値 「25.08ha」 or 「約166.67件」."""
    if target is None:
        return None
    if not basis.drawn:
        return entry_text(basis.entry.parsed, series.unit, display) if basis.entry is not None else None
    shown = Fraction(target) / 10**series.unit_scale
    cut = round_fraction(shown, Rounding("half_up", 2))
    exact = Fraction(cut) == shown
    return ("" if exact else "約") + figure_text(cut.normalize() if exact else cut, series.unit, display)


def _reference(rate: Rate, series: Any, display: Display) -> dict[str, Any] | None:
    """The target the rate compares with: of the year, final, or drawn on the line (目安値, elapsed share)."""
    basis = rate.basis
    if basis is None:
        return None
    q = rate.quantities
    return {
        "kind": basis.reference,
        "target": _target_text(basis, q.target, series, display),
        "target_exact": _in_unit(q.target, series.unit_scale),
        "target_year": basis.target_year,
        "elapsed_share": _x(basis.share * 100) if basis.share is not None else None,
    }


def measures_dict(m: Measures) -> dict[str, Any]:
    """Every measure a condition can name, exact, with the paragraph that explains them."""
    return {
        "data_year": m.basis.data_year,
        "lag": m.basis.lag,
        "progress": _x(m.progress),
        "elapsed": _x(m.elapsed),
        "change": _x(m.change),
        "change_points": _x(m.change_points),
        "line": _x(m.line),
        "position": m.position,
        "reached": m.reached,
        "final_reached": m.final_reached,
        "final_target": {"year": m.final.year, "value": clean_line(m.final.entry.text)} if m.final is not None else None,
        "outlook": m.outlook,
        "outlook_ratio": _x(m.outlook_ratio),
        "explanation": explain_measures(m),
    }


def criteria_dict(j: Judgement, rule: CriteriaRule, measured: list[tuple[str, Measures]]) -> dict[str, Any]:
    out = judgement_dict(j) or {}
    out |= {"title": rule.title, "points": _d(j.points), "explanation": explain_criteria(j, rule, measured)}
    if j.ratio is not None and j.basis == "parts":
        out["points_mean_exact"] = out.pop("ratio_exact", None)
    return out


def judgement_dict(j: Judgement | None) -> dict[str, Any] | None:
    if j is None:
        return None
    out: dict[str, Any] = {"symbol": j.symbol, "label": j.label, "state": j.state, "basis": j.basis}
    if j.ratio is not None:
        out["ratio_exact"] = exact_text(j.ratio)
    if j.computed is not None:
        out["computed"] = {"symbol": j.computed.symbol, "label": j.computed.label}
        out["reason"] = j.reason
    if j.parts:
        out["parts"] = [{"part": label, "symbol": p.symbol, "label": p.label} for label, p in j.parts]
    if j.points is not None:
        out["points"] = _d(j.points)
    return out


def _series_dict(p: PartResult, ev: Evaluation) -> dict[str, Any]:
    # The measures cost more than the rest of the evaluation (the outlook takes logarithms): they are
    # given when the rules use them, i.e. judge an older figure, another target, or by named judgements.
    measured = not ev.rules.measures.is_default or bool(ev.rules.judgements)
    return rate_dict(p.series, ev.year, p.rate, ev) | {"measures": measures_dict(p.measures) if measured else None}


def indicator_dict(result: IndicatorResult, ev: Evaluation) -> dict[str, Any]:
    ind = result.indicator
    out: dict[str, Any] = {"id": ind.id, "node": ind.node, "kind": ind.kind, "name": ind.name, "unit": ind.unit}
    sentences = []
    if result.own is not None:
        rd = _series_dict(result.own, ev)
        explanation = rd.pop("explanation")
        out |= rd
        out["rate_explanation"] = explanation
        sentences.append(explanation)
    else:
        out |= {"rate": None, "rate_uncapped": None, "rate_exact": None, "no_rate_reason": "parts"}
        parts = []
        for p in result.parts:
            pd = {"id": p.series.id, "label": p.series.label, "name": p.series.name} | _series_dict(p, ev)
            parts.append(pd)
            sentences.append(f"{p.series.label or p.series.id}: {pd['explanation']}")
        out["parts"] = parts
    out["judgement"] = judgement_dict(result.judgement)
    if result.judgement is not None and ev.rules.judgement is not None:
        basis = result.own.rate.basis if result.own is not None else None
        sentence = explain_judgement(ind, ev.year, result.judgement, ev.rules.judgement, basis)
        out["judgement_explanation"] = sentence
        sentences.append(sentence)
    measured = [(label, p.measures) for label, p in result.series_results]
    out["judgements"] = {}
    for rule in ev.rules.judgements:
        named = criteria_dict(result.judgements[rule.name], rule, measured)
        out["judgements"][rule.name] = named
        sentences.append(f"{rule.title}: {named['explanation']}")
    out["explanation"] = " ".join(s for s in sentences if s)
    return out


def grade_dict(grade: Grade | None, level: str) -> dict[str, Any] | None:
    if grade is None:
        return None
    return {
        "grade": {"label": grade.label, "symbol": grade.symbol or None} if grade.band else None,
        "label": grade.label,
        "mean": _d(grade.mean),
        "mean_exact": exact_text(grade.exact) if grade.exact is not None else None,
        "inputs": len(grade.inputs),
        "input_values": [{"id": i.source_id, "name": i.name, "value": _d(i.value), "used": _d(i.used)} for i in grade.inputs],
        "excluded": [{"id": e[0], "name": e[1], "reason": e[2]} for e in grade.excluded],
        "explanation": explain_grade(grade, level),
    }


def node_dict(result: NodeResult, ev: Evaluation) -> dict[str, Any]:
    n = result.node
    out: dict[str, Any] = {"id": n.id, "parent": n.parent, "level": n.level, "number": n.number, "name": n.name}
    g = grade_dict(result.grade, n.level)
    if g is None:
        out |= {"grade": None, "mean": None, "inputs": 0, "explanation": None}
    else:
        out |= g
    return out


def _judgement_counts(c: JudgementCounts, s: Summary) -> dict[str, Any]:
    return {
        "counts": {sym: c.counts.get(sym, 0) for sym in c.symbols},
        "checked": c.checked,
        "pending": c.pending,
        "none": c.none,
        "total": c.total,
        "shares": {k: _d(v) for k, v in c.shares(s.share_rounding).items()},
        "at_least": {k: _d(v) for k, v in c.at_least(s.share_rounding).items()},
    }


def _grade_counts(c: GradeCounts, s: Summary) -> dict[str, Any]:
    return {
        "counts": {label: c.counts.get(label, 0) for label in c.labels},
        "graded": c.graded,
        "shares": {k: _d(v) for k, v in c.shares(s.share_rounding).items()},
    }


def summary_dict(s: Summary) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if s.judgements:
        out["judgements"] = {
            "overall": _judgement_counts(s.judgements[ALL], s),
            "by_node": {k: _judgement_counts(v, s) for k, v in s.judgements.items() if k != ALL},
        }
    out["grades"] = {
        level: {
            "overall": _grade_counts(per[ALL], s),
            "by_node": {k: _grade_counts(v, s) for k, v in per.items() if k != ALL},
        }
        for level, per in s.grades.items()
    }
    out["named"] = {
        name: {"overall": _judgement_counts(per[ALL], s), "by_node": {k: _judgement_counts(v, s) for k, v in per.items() if k != ALL}}
        for name, per in s.named.items()
    }
    out["rates"] = {key: {"with_rate": rc.with_rate, "without_rate": dict(sorted(rc.without_rate.items()))} for key, rc in s.rates.items()}
    out["rates"]["overall"] = out["rates"].pop(ALL)
    return out


def evaluation_dict(
    ev: Evaluation,
    indicator: Callable[[str], dict[str, Any]] | None = None,
    node: Callable[[str], dict[str, Any]] | None = None,
    summary: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The contract of *ev*. *indicator*, *node* (by id) and *summary* give parts the caller has made
    already: the public site makes an indicator's part for its page alone, and keeps it."""
    plan_grade = None
    if ev.plan_grade is not None:
        plan_grade = grade_dict(ev.plan_grade, "plan")
    return {
        "plan": ev.plan.id,
        "plan_name": ev.plan.name,
        "organization": {"name": ev.plan.organization.name, "code": ev.plan.organization.code},
        "year": ev.year,
        "rules": _rules_dict(ev),
        "indicators": [indicator(i.id) if indicator else indicator_dict(ev.indicators[i.id], ev) for i in ev.plan.indicators],
        "nodes": [node(n.id) if node else node_dict(ev.nodes[n.id], ev) for n in ev.plan.nodes],
        "plan_grade": plan_grade,
        "summary": summary if summary is not None else summary_dict(summarize(ev)),
    }


def _rules_dict(ev: Evaluation) -> dict[str, Any]:
    m = ev.rules.measures
    return {
        "name": ev.rules.name,
        "measures": {"window": m.window, "reference": m.reference, "formula": m.formula},
        "judgements": [{"name": j.name, "title": j.title, "symbols": [c.symbol for c in j.conditions]} for j in ev.rules.judgements],
    }


# --- table for people -------------------------------------------------------------------------


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit(text: str, size: int) -> str:
    """Cut or pad *text* to *size* terminal columns (full-width characters take two)."""
    out, used = [], 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used + w > size - (1 if width(text) > size else 0):
            out.append("…")
            used += 1
            break
        out.append(ch)
        used += w
    return "".join(out) + " " * max(0, size - used)


def _pct(value: str | None) -> str:
    return "―" if value is None else f"{value}％"


def _shown_target(r: dict[str, Any]) -> str:
    """The target the rate compared with: the year's as entered, or the final target / 目安値 the rules chose."""
    reference = r.get("reference") or {}
    if reference.get("kind", "same_year") != "same_year":
        return reference.get("target") or ""
    return r.get("target") or ""


def _shown_actual(r: dict[str, Any], year: int) -> str:
    if r.get("status") == "pending":
        return f"把握予定 {r.get('expected') or ''}".strip()
    actual = r.get("actual") or ""
    if actual and r.get("data_year") not in (None, year):
        actual += f"（{r['data_year']}）"
    return actual


def evaluation_table(doc: dict[str, Any]) -> str:
    lines = [f"{doc['plan_name']}（{doc['organization']['name']}） {doc['year']}年度の評価", ""]
    named = doc["rules"]["judgements"]
    head = f"{fit('ID', 12)} {fit('指標', 44)} {fit('目標値', 16)} {fit('実績値', 18)} {fit('達成率', 10)} 判定"
    head += "".join(f" {fit(j['title'], 10)}" for j in named)
    lines += [head, "-" * width(head)]
    for ind in doc["indicators"]:
        rows = (
            [(ind["id"], ind["name"], ind)]
            if ind.get("parts") is None
            else [
                (ind["id"], ind["name"], None),
                *[(f"  {p['label'] or p['id']}", p["name"], p) for p in ind["parts"]],
            ]
        )
        for i, (ident, name, r) in enumerate(rows):
            j = ind["judgement"]["symbol"] if ind["judgement"] and i == 0 else ""
            target = _shown_target(r) if r else ""
            actual = _shown_actual(r, doc["year"]) if r else ""
            rate = _pct(r.get("rate")) if r else ""
            if r and r.get("rate_uncapped") and r.get("rate_uncapped") != r.get("rate"):
                rate += f"({r['rate_uncapped']})"
            line = f"{fit(ident, 12)} {fit(name, 44)} {fit(target, 16)} {fit(actual, 18)} {fit(rate, 10)} {fit(j, 4)}"
            line += "".join(f" {fit(ind['judgements'][n['name']]['symbol'] if i == 0 else '', 10)}" for n in named)
            lines.append(line.rstrip())
    graded = [n for n in doc["nodes"] if n["explanation"]]
    if graded:
        lines += ["", f"{fit('ノード', 12)} {fit('名称', 44)} {fit('平均', 8)} 評価", "-" * 90]
        for n in graded:
            lines.append(f"{fit(n['id'], 12)} {fit(n['number'] + ' ' + n['name'], 44)} {fit(_pct(n['mean']), 8)} {n['label']}")
    if doc["plan_grade"]:
        pg = doc["plan_grade"]
        lines += ["", f"計画全体: {pg['label']}（平均 {_pct(pg['mean'])}）", f"  {pg['explanation']}"]
    summary = doc["summary"]
    if "judgements" in summary:
        lines += ["", "判定の集計"]
        names = {n["id"]: n["name"] for n in doc["nodes"]}
        blocks = [("合計", summary["judgements"]["overall"])] + [(names.get(k, k), v) for k, v in summary["judgements"]["by_node"].items()]
        for title, c in blocks:
            counts = " ".join(f"{sym}{n}（{_pct(c['shares'][sym])}）" for sym, n in c["counts"].items())
            lines.append(f"  {fit(title, 20)} {counts} 計{c['checked']} 集計中{c['pending']} 指標なし{c['none']}")
    for n in named:
        c = summary["named"][n["name"]]["overall"]
        counts = " ".join(f"{sym}{k}（{_pct(c['shares'][sym])}）" for sym, k in c["counts"].items())
        lines += ["", f"{n['title']}の集計: {counts} 計{c['checked']} 集計中{c['pending']} 判定できない{c['none']}"]
    for level, per in summary["grades"].items():
        counts = " ".join(f"{label} {n}" for label, n in per["overall"]["counts"].items())
        lines += ["", f"{level}の評価の集計: {counts}"]
    return "\n".join(lines) + "\n"
