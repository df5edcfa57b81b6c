"""Evaluating many plans at once, in columns, with exactly the results of the engine.

The engine (``engine.evaluate``) is written to be read and checked: one indicator at a
time, with Fractions. The national evaluation (``evaluate_plans``: every local government
of Japan for one year, about half a million series) computes the same rates, judgements
and grades with integer arrays:

* every A, T and B of a row is an integer at the row's common power of ten, so the
  formulas need no decimals at all (A/T is the same at any common scale);
* a rate is an integer division with the rule set's rounding done on the remainder;
* a judgement compares ``100·A·10^k ≥ min·10^k·T`` instead of dividing;
* a mean is a sum and a count of rounded rates, rounded once more by integer division.

Rows whose integers could overflow 64 bits are computed by the very same code on
arrays of Python integers (dtype object), so nothing is ever approximated.

Which case a value is (no value, pending, a text target, numbers …) is decided by the
engine's own ``rates.read``; only the arithmetic is done here. A rule set with an option
this path does not implement (``IMPLEMENTED``: median and weighted means, grades from
judgements, and any option the engine gains later) is evaluated by the engine, so the
caller gets the engine's figures either way. Tests compare the two on random plans.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from .criteria import MeasureRule
from .engine import evaluate
from .judgement import recorded
from .model import Plan, Series
from .outcomes import GradeOutcome, PlanOutcome, RateOutcome, outcome_of
from .rates import NoRate, read
from .rules import (
    PLAN_LEVEL,
    ROUNDINGS,
    SCOPES,
    Band,
    Display,
    GradeRule,
    JudgementRule,
    Marker,
    Plausibility,
    RateRule,
    Rounding,
    RuleSet,
    SummaryRule,
)

# Row states before arithmetic: why a row has no rate (as rates.read says), or NUMERIC.
NUMERIC, NO_VALUE, PENDING, UNMEASURABLE, QUALITATIVE, NO_TARGET = range(6)
# Rate results after arithmetic.
ZERO_DENOMINATOR, NO_BASELINE = 6, 7
RATE_REASONS: dict[int, NoRate | None] = {
    NUMERIC: None,
    NO_VALUE: NoRate.NO_VALUE,
    PENDING: NoRate.PENDING,
    UNMEASURABLE: NoRate.UNMEASURABLE,
    QUALITATIVE: NoRate.QUALITATIVE,
    NO_TARGET: NoRate.NO_TARGET,
    ZERO_DENOMINATOR: NoRate.ZERO_DENOMINATOR,
    NO_BASELINE: NoRate.NO_BASELINE,
}
RATE_STATES = {reason: state for state, reason in RATE_REASONS.items()}
# Judgement states before arithmetic.
J_NUMERIC, J_QUALITATIVE, J_PENDING, J_NONE = range(4)
FORMULAS = {"ratio": 0, "progress": 1, "inverse_ratio": 2}
DIRECTIONS = {"higher": 0, "lower": 1, "qualitative": 2}
INT64_SAFE = 2**62
ANY = None
# Every option of a rule set this path implements, with the values it implements (ANY: all).
# A rule set with another option or value, such as one the engine gains later, is left to the engine.
# The measures of other evaluation styles (an older figure, the final target, the 目安値, named judgements,
# points) are the engine's alone: only their defaults, the seeds' comparison, are implemented here.
IMPLEMENTED: dict[type, dict[str, tuple[object, ...] | None]] = {
    RuleSet: dict.fromkeys(("name", "description", "source", "rate", "grades", "judgement", "summary", "display", "plausibility"), ANY)
    | {"measures": (MeasureRule(),), "judgements": ((),)},
    MeasureRule: {f.name: ANY for f in dataclasses.fields(MeasureRule)},  # the default only (above)
    # how figures are printed and when an entry is doubted: no figure of the evaluation depends on them
    Display: {f.name: ANY for f in dataclasses.fields(Display)},
    Plausibility: {f.name: ANY for f in dataclasses.fields(Plausibility)},
    RateRule: {"rounding": ANY, "cap": ANY},
    Rounding: {"mode": ROUNDINGS, "decimals": ANY},
    GradeRule: dict.fromkeys(("level", "bands", "kinds", "clamp", "no_data", "of_level", "count", "rounding"), ANY)
    | {
        "source": ("indicators", "grades"),
        "scope": SCOPES,
        "aggregate": ("mean",),
        "parts": ("each", "mean", "worst"),
        "judgement": (None,),
    },
    JudgementRule: {"bands": ANY, "pending": ANY, "none": ANY, "parts": ("worst", "best", "mean")},
    Band: dict.fromkeys(("min", "label", "symbol", "points"), ANY),
    Marker: dict.fromkeys(("symbol", "label"), ANY),
    SummaryRule: {"share_rounding": ANY},
}


class Unsupported(Exception):
    """A rule option the batch path does not implement; use the engine instead."""


def check_implemented(rules: RuleSet) -> None:
    """Raise `Unsupported` unless every option of *rules* is one this path implements (``IMPLEMENTED``)."""

    def check(obj: object, where: str) -> None:
        if isinstance(obj, tuple):
            for i, item in enumerate(obj):
                check(item, f"{where}[{i}]")
            return
        if not dataclasses.is_dataclass(obj):
            return
        known = IMPLEMENTED.get(type(obj))
        if known is None:
            raise Unsupported(f"{where}: {type(obj).__name__}")
        for f in dataclasses.fields(obj):
            if f.name not in known:
                raise Unsupported(f"{where}.{f.name}")
            value = getattr(obj, f.name)
            allowed = known[f.name]
            if allowed is not ANY and value not in allowed:
                raise Unsupported(f"{where}.{f.name} = {value!r}")
            check(value, f"{where}.{f.name}")

    check(rules, "rules")


@dataclass
class SeriesTable:
    """One year of many plans that share a rule set, as columns."""

    year: int
    # one row per series (an indicator, or each of its parts)
    row_indicator: list[int] = field(default_factory=list)
    row_part: list[str] = field(default_factory=list)  # the part's id, "" for the indicator itself
    formula: list[int] = field(default_factory=list)
    direction: list[int] = field(default_factory=list)
    rate_state: list[int] = field(default_factory=list)
    judge_state: list[int] = field(default_factory=list)
    qualitative_met: list[bool] = field(default_factory=list)
    a: list[int] = field(default_factory=list)
    t: list[int] = field(default_factory=list)
    b: list[int] = field(default_factory=list)
    has_baseline: list[bool] = field(default_factory=list)
    # one row per indicator
    indicator_id: list[str] = field(default_factory=list)
    indicator_node: list[int] = field(default_factory=list)
    indicator_kind: list[str] = field(default_factory=list)
    indicator_parts: list[bool] = field(default_factory=list)
    indicator_recorded: list[str | None] = field(default_factory=list)
    # one row per node
    node_id: list[str] = field(default_factory=list)
    node_plan: list[int] = field(default_factory=list)
    node_level: list[str] = field(default_factory=list)
    node_parent: list[int] = field(default_factory=list)
    node_abolished: list[bool] = field(default_factory=list)
    # one row per plan
    plan_id: list[str] = field(default_factory=list)
    plan_organization: list[str] = field(default_factory=list)
    _columns: Columns | None = field(default=None, repr=False)

    @property
    def series_count(self) -> int:
        return len(self.row_indicator)

    def columns(self) -> Columns:
        """The lists as numpy arrays, made once (the table must not grow afterwards)."""
        if self._columns is None or self._columns.rows != self.series_count:
            self._columns = Columns.of(self)
        return self._columns


@dataclass
class Columns:
    """A table's lists as arrays; A, T, B as int64 where they fit, Python ints beside them where not."""

    rows: int
    row_indicator: np.ndarray
    formula: np.ndarray
    direction: np.ndarray
    rate_state: np.ndarray
    judge_state: np.ndarray
    qualitative_met: np.ndarray
    has_baseline: np.ndarray
    magnitude: np.ndarray  # max(|A|, |T|, |B|) as float, only to pick the int64 or the Python-int path
    a64: np.ndarray
    t64: np.ndarray
    b64: np.ndarray
    huge: dict[int, tuple[int, int, int]]
    indicator_parts: np.ndarray
    indicator_kind: np.ndarray
    indicator_node: np.ndarray
    node_level: np.ndarray
    node_parent: np.ndarray
    node_abolished: np.ndarray
    node_plan: np.ndarray

    @classmethod
    def of(cls, t: SeriesTable) -> Columns:
        n = t.series_count
        huge = {i: (t.a[i], t.t[i], t.b[i]) for i in range(n) if max(abs(t.a[i]), abs(t.t[i]), abs(t.b[i])) >= INT64_SAFE}

        def ints(values: list[int]) -> np.ndarray:
            if not huge:
                return np.asarray(values, dtype=np.int64)
            return np.asarray([0 if i in huge else v for i, v in enumerate(values)], dtype=np.int64)

        a64, t64, b64 = ints(t.a), ints(t.t), ints(t.b)
        magnitude = np.maximum(np.maximum(np.abs(a64), np.abs(t64)), np.abs(b64)).astype(np.float64)
        for i in huge:
            magnitude[i] = float(INT64_SAFE)
        return cls(
            rows=n,
            row_indicator=np.asarray(t.row_indicator, dtype=np.int64),
            formula=np.asarray(t.formula, dtype=np.int8),
            direction=np.asarray(t.direction, dtype=np.int8),
            rate_state=np.asarray(t.rate_state, dtype=np.int8),
            judge_state=np.asarray(t.judge_state, dtype=np.int8),
            qualitative_met=np.asarray(t.qualitative_met, dtype=bool),
            has_baseline=np.asarray(t.has_baseline, dtype=bool),
            magnitude=magnitude,
            a64=a64,
            t64=t64,
            b64=b64,
            huge=huge,
            indicator_parts=np.asarray(t.indicator_parts, dtype=bool),
            indicator_kind=np.asarray(t.indicator_kind, dtype=object),
            indicator_node=np.asarray(t.indicator_node, dtype=np.int64),
            node_level=np.asarray(t.node_level, dtype=object),
            node_parent=np.asarray(t.node_parent, dtype=np.int64),
            node_abolished=np.asarray(t.node_abolished, dtype=bool),
            node_plan=np.asarray(t.node_plan, dtype=np.int64),
        )

    def exact(self, idx: np.ndarray, *, big: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A, T, B of rows *idx*: int64 arrays, or arrays of Python ints for the big rows."""
        if not big:
            return self.a64[idx], self.t64[idx], self.b64[idx]
        values = [self.huge.get(int(i), (int(self.a64[i]), int(self.t64[i]), int(self.b64[i]))) for i in idx]
        return tuple(np.array([v[k] for v in values], dtype=object) for k in range(3))  # type: ignore[return-value]


def _integers(values: list[Decimal | None]) -> list[int]:
    """Decimals as integers at their smallest common power of ten (None → 0)."""
    present = [v for v in values if v is not None]
    if not present:
        return [0] * len(values)
    exponent = min(int(v.as_tuple().exponent) for v in present)  # type: ignore[arg-type]
    return [0 if v is None else int(v.scaleb(-exponent)) for v in values]


class TableBuilder:
    """Collects plans into a `SeriesTable`, each row classified by the engine's ``rates.read``."""

    def __init__(self, year: int) -> None:
        self.table = SeriesTable(year)

    def add_plan(self, plan: Plan) -> None:
        tb = self.table
        plan_index = len(tb.plan_id)
        tb.plan_id.append(plan.id)
        tb.plan_organization.append(plan.organization.code)
        node_index: dict[str, int] = {}
        for node in plan.nodes:
            node_index[node.id] = len(tb.node_id)
            tb.node_id.append(node.id)
            tb.node_plan.append(plan_index)
            tb.node_level.append(node.level)
            tb.node_abolished.append(node.status == "abolished")
        for node in plan.nodes:
            tb.node_parent.append(node_index[node.parent] if node.parent is not None else -1)
        for ind in plan.indicators:
            index = len(tb.indicator_id)
            tb.indicator_id.append(ind.id)
            tb.indicator_node.append(node_index[ind.node])
            tb.indicator_kind.append(ind.kind)
            tb.indicator_parts.append(bool(ind.parts))
            value = ind.values.get(tb.year)
            tb.indicator_recorded.append(value.judgement if value is not None and value.judgement else None)
            for series in ind.series():
                self._add_series(index, series, series.id if ind.parts else "")

    def _add_series(self, indicator: int, series: Series, part: str) -> None:
        tb = self.table
        r = read(series, tb.year)
        if r.trend is not None:  # 「増加」「減少傾向へ」: judged by the change from the baseline, which the engine does
            raise Unsupported("a target that names only a direction")
        q = r.quantities
        why = r.no_judgement
        if why is None:
            judge_state = J_NUMERIC
        elif why is NoRate.PENDING:
            judge_state = J_PENDING
        elif why is NoRate.QUALITATIVE:
            judge_state = J_QUALITATIVE
        else:
            judge_state = J_NONE
        a, t, b = _integers([q.actual, q.target, q.baseline])
        tb.row_indicator.append(indicator)
        tb.row_part.append(part)
        tb.formula.append(FORMULAS[series.effective_formula])
        tb.direction.append(DIRECTIONS[series.direction])
        tb.rate_state.append(RATE_STATES[r.no_rate])
        tb.judge_state.append(judge_state)
        tb.qualitative_met.append(judge_state == J_QUALITATIVE and r.text_met)
        tb.a.append(a)
        tb.t.append(t)
        tb.b.append(b)
        tb.has_baseline.append(q.baseline is not None)


# --- integer arithmetic ------------------------------------------------------------------------


def round_div(num: np.ndarray, den: np.ndarray | int, rounding: Rounding | str) -> np.ndarray:
    """num / den rounded to an integer as `arithmetic.round_fraction` does; den > 0."""
    mode = rounding.mode if isinstance(rounding, Rounding) else rounding
    if mode == "floor":
        return num // den
    if mode == "ceiling":
        return -((-num) // den)
    negative = num < 0
    magnitude = np.where(negative, -num, num)
    if mode == "truncate":
        q = magnitude // den
    elif mode == "half_up":
        q = (2 * magnitude + den) // (2 * den)
    elif mode == "half_down":  # 五捨六入: floor(x + 0.4), the first digit cut off 6 or more rounds up
        q = (5 * magnitude + 2 * den) // (5 * den)
    else:  # half_even
        q = magnitude // den
        twice = 2 * (magnitude - q * den)
        q = q + ((twice > den) | ((twice == den) & (q % 2 == 1)))
    return np.where(negative, -q, q)


def _scale(value: Decimal) -> tuple[int, int]:
    """(integer, k) with value = integer / 10^k."""
    exponent = int(value.as_tuple().exponent)  # type: ignore[arg-type]
    k = max(0, -exponent)
    return int(value.scaleb(k)), k


def _at_least(num: np.ndarray, den: np.ndarray, bound: Decimal) -> np.ndarray:
    """num / den ≥ bound, exactly (den > 0)."""
    m, k = _scale(bound)
    return num * 10**k >= m * den


@dataclass
class TableResult:
    """The evaluation of a table: arrays aligned with the table's rows, indicators, nodes and plans."""

    table: SeriesTable
    rules: RuleSet
    rate: np.ndarray  # scaled by 10^decimals; valid where rate_reason == NUMERIC
    rate_uncapped: np.ndarray
    rate_reason: np.ndarray
    judgement: np.ndarray | None  # band rank, or PENDING = len(bands), or NONE = len(bands) + 1
    grade_band: dict[str, np.ndarray]  # level → band index per node (-1 no data, -2 not graded)
    grade_mean: dict[str, np.ndarray]  # level → mean scaled by 10^decimals of the grade
    grade_inputs: dict[str, np.ndarray]
    plan_band: np.ndarray | None = None
    plan_mean: np.ndarray | None = None
    plan_inputs: np.ndarray | None = None

    def outcomes(self) -> list[PlanOutcome]:
        """The figures of each plan of the table, in the table's order, as ``outcomes.outcome_of`` gives the engine's."""
        table, rules = self.table, self.rules
        cols = table.columns()
        scale = -rules.rate.rounding.decimals
        plan_of_indicator = cols.node_plan[cols.indicator_node].tolist()
        node_of_indicator = [table.node_id[n] for n in table.indicator_node]
        rates: list[list[RateOutcome]] = [[] for _ in table.plan_id]
        reasons = self.rate_reason.tolist()
        for row, (ind, part, shown, uncapped) in enumerate(
            zip(table.row_indicator, table.row_part, self.rate.tolist(), self.rate_uncapped.tolist(), strict=True)
        ):
            reason = RATE_REASONS[reasons[row]]
            value, before_cap = (None, None) if reason is not None else (Decimal(shown).scaleb(scale), Decimal(uncapped).scaleb(scale))
            rates[plan_of_indicator[ind]].append(
                RateOutcome(table.indicator_id[ind], part, node_of_indicator[ind], value, before_cap, reason)
            )
        judgements: list[list[tuple[str, str]]] = [[] for _ in table.plan_id]
        if self.judgement is not None and rules.judgement is not None:
            rule = rules.judgement
            symbols = [b.symbol for b in rule.bands] + [rule.pending.symbol, rule.none.symbol]
            for ind, code in enumerate(self.judgement.tolist()):
                judgements[plan_of_indicator[ind]].append((table.indicator_id[ind], symbols[code]))
        grades: list[list[GradeOutcome]] = [[] for _ in table.plan_id]
        graded = [
            (rules.grade_rule_for(level), band.tolist(), self.grade_mean[level].tolist(), self.grade_inputs[level].tolist())
            for level, band in self.grade_band.items()
        ]
        for node, (node_id, plan, level) in enumerate(zip(table.node_id, table.node_plan, table.node_level, strict=True)):
            for grade, band, mean, inputs in graded:
                if grade is not None and grade.level == level and band[node] != -2:
                    grades[plan].append(_grade_outcome(node_id, grade, rules, band[node], mean[node], inputs[node]))
        if self.plan_band is not None and self.plan_mean is not None and self.plan_inputs is not None:
            grade = rules.grade_rule_for(PLAN_LEVEL)
            assert grade is not None
            for plan, (band, mean, inputs) in enumerate(
                zip(self.plan_band.tolist(), self.plan_mean.tolist(), self.plan_inputs.tolist(), strict=True)
            ):
                grades[plan].append(_grade_outcome("", grade, rules, band, mean, inputs))
        return [
            PlanOutcome(plan_id, code, table.year, tuple(rates[p]), tuple(judgements[p]), tuple(grades[p]))
            for p, (plan_id, code) in enumerate(zip(table.plan_id, table.plan_organization, strict=True))
        ]


def _grade_outcome(node: str, grade: GradeRule, rules: RuleSet, band: int, mean: int, inputs: int) -> GradeOutcome:
    """A grade from its band index (-1: no data) and its mean scaled by the grade's decimals."""
    if band < 0:
        return GradeOutcome(node, grade.level, grade.no_data, None, inputs)
    decimals = (grade.rounding or rules.rate.rounding).decimals
    return GradeOutcome(node, grade.level, grade.bands[band].label, Decimal(mean).scaleb(-decimals), inputs)


def _rates(a: np.ndarray, t: np.ndarray, b: np.ndarray, formula: np.ndarray, has_baseline: np.ndarray, rules: RuleSet):
    """num0 / den0 = the exact rate in percent (den0 > 0 where defined), and the rounded rates."""
    ratio, progress = formula == 0, formula == 1
    num0 = np.where(ratio, 100 * a, np.where(progress, 100 * (a - b), 100 * t))
    den0 = np.where(ratio, t, np.where(progress, t - b, a))
    flip = den0 < 0
    num0 = np.where(flip, -num0, num0)
    den0 = np.where(flip, -den0, den0)
    zero = den0 == 0
    safe_den = np.where(zero, 1, den0)
    d = rules.rate.rounding.decimals
    uncapped = round_div(num0 * 10**d, safe_den, rules.rate.rounding)
    shown = uncapped
    if rules.rate.cap is not None:
        cap_shown = int(rules.rate.cap.quantize(Decimal(1).scaleb(-d)).scaleb(d))
        m, k = _scale(rules.rate.cap.scaleb(d))
        shown = np.where(uncapped * 10**k > m, cap_shown, uncapped)
    no_baseline = progress & ~has_baseline
    return num0, safe_den, zero, no_baseline, shown, uncapped


def evaluate_table(table: SeriesTable, rules: RuleSet) -> TableResult:
    """The engine's results for every row of *table*, computed in columns (`Unsupported` for rules it does not implement)."""
    check_implemented(rules)
    cols = table.columns()
    n = table.series_count
    limit = _safe_limit(rules)
    big = cols.magnitude >= limit / 2  # float64 is only a filter here; the arithmetic is exact
    any_big = bool(np.any(big))
    dtype: type = object if any_big else np.int64
    rate = np.zeros(n, dtype=dtype)
    uncapped = np.zeros(n, dtype=dtype)
    num0_all = np.zeros(n, dtype=dtype)
    den0_all = np.ones(n, dtype=dtype)
    zero_all = np.zeros(n, dtype=bool)
    no_base_all = np.zeros(n, dtype=bool)
    a_all = np.zeros(n, dtype=dtype)
    t_all = np.zeros(n, dtype=dtype)
    for idx in (np.nonzero(~big)[0], np.nonzero(big)[0]):
        if len(idx) == 0:
            continue
        a, t, b = cols.exact(idx, big=bool(big[idx[0]]))
        num0, den0, zero, no_base, shown, unc = _rates(a, t, b, cols.formula[idx], cols.has_baseline[idx], rules)
        rate[idx], uncapped[idx] = shown, unc
        num0_all[idx], den0_all[idx] = num0, den0
        zero_all[idx], no_base_all[idx] = zero, no_base
        a_all[idx], t_all[idx] = a, t
    rate_state = cols.rate_state
    numeric = rate_state == NUMERIC
    reason = np.where(numeric & no_base_all, NO_BASELINE, np.where(numeric & zero_all & ~no_base_all, ZERO_DENOMINATOR, rate_state)).astype(
        np.int8
    )
    judgement = None
    if rules.judgement is not None:
        judgement = _judgements(table, cols, rules, num0_all, den0_all, zero_all, no_base_all, a_all, t_all)
    result = TableResult(table, rules, rate, uncapped, reason, judgement, {}, {}, {})
    _grades(result)
    return result


def _safe_limit(rules: RuleSet) -> int:
    """The largest |A|, |T|, |B| for which every product below stays inside int64."""
    scale = 10**rules.rate.rounding.decimals
    bound = 1
    if rules.judgement is not None:
        for band in rules.judgement.bands:
            if band.min is not None:
                m, k = _scale(band.min)
                bound = max(bound, abs(m), 10**k)
    if rules.rate.cap is not None:
        m, k = _scale(rules.rate.cap)
        bound = max(bound, abs(m), 10**k)
    return INT64_SAFE // (800 * scale * bound)


def _judgements(table: SeriesTable, cols: Columns, rules: RuleSet, num0, den0, zero, no_base, a, t) -> np.ndarray:
    rule = rules.judgement
    assert rule is not None
    bands = rule.bands
    worst = len(bands) - 1
    pending_code, none_code = len(bands), len(bands) + 1
    state = cols.judge_state
    direction = cols.direction
    met_text = cols.qualitative_met
    rank = np.full(len(state), worst, dtype=np.int16)
    for i in range(len(bands) - 1, -1, -1):
        band = bands[i]
        reach = np.ones(len(state), dtype=bool) if band.min is None else _at_least(num0, den0, band.min)
        rank = np.where(reach, i, rank)
    zero_met = np.where(direction == 1, a <= t, a >= t).astype(bool)
    row = np.where(zero & ~no_base, np.where(zero_met, 0, worst), rank)
    row = np.where(no_base, none_code, row)
    row = np.where(state == J_QUALITATIVE, np.where(met_text, 0, worst), row)
    row = np.where(state == J_PENDING, pending_code, row)
    row = np.where(state == J_NONE, none_code, row).astype(np.int16)
    # indicators: a plain indicator takes its row; one with parts combines its parts
    indicator = cols.row_indicator
    n_ind = len(table.indicator_id)
    out = np.full(n_ind, none_code, dtype=np.int16)
    plain = ~cols.indicator_parts[indicator]
    out[indicator[plain]] = row[plain]
    parts_rows = ~plain
    if np.any(parts_rows):
        ind_p, row_p = indicator[parts_rows], row[parts_rows]
        any_pending = np.zeros(n_ind, dtype=bool)
        np.logical_or.at(any_pending, ind_p, row_p == pending_code)
        judged = row_p <= worst
        count = np.bincount(ind_p[judged], minlength=n_ind)
        if rule.parts == "worst":
            combined = np.full(n_ind, -1, dtype=np.int16)
            np.maximum.at(combined, ind_p[judged], row_p[judged])
        elif rule.parts == "best":
            combined = np.full(n_ind, worst + 1, dtype=np.int16)
            np.minimum.at(combined, ind_p[judged], row_p[judged])
        else:
            total = np.zeros(n_ind, dtype=np.int64)
            np.add.at(total, ind_p[judged], row_p[judged].astype(np.int64))
            combined = round_div(total, np.maximum(count, 1), "half_even").astype(np.int16)
        has = np.zeros(n_ind, dtype=bool)
        has[ind_p] = True
        combined = np.where(count > 0, combined, none_code)
        combined = np.where(any_pending, pending_code, combined)
        out = np.where(has, combined, out).astype(np.int16)
    for i, symbol in enumerate(table.indicator_recorded):
        if symbol:
            j = recorded(rule, symbol)
            out[i] = j.rank if j.rank is not None else (pending_code if j.pending else none_code)
    return out


def _level_key(table: SeriesTable, node_of: np.ndarray, level: str, scope: str) -> np.ndarray:
    """For each entry's node: the node at *level* that takes it in (itself or an ancestor), else -1."""
    cols = table.columns()
    levels, parent = cols.node_level, cols.node_parent
    at_level = levels == level
    if scope == "own":
        return np.where(at_level[node_of], node_of, -1)
    ancestor = np.where(at_level, np.arange(len(levels)), -1)
    current = parent.copy()
    while np.any(current >= 0):
        found = (ancestor < 0) & (current >= 0)
        hit = found & at_level[np.where(current >= 0, current, 0)]
        ancestor = np.where(hit, current, ancestor)
        current = np.where(current >= 0, parent[np.where(current >= 0, current, 0)], -1)
    return ancestor[node_of]


def _band_index(mean: np.ndarray, grade: GradeRule, decimals: int) -> np.ndarray:
    index = np.full(len(mean), len(grade.bands) - 1, dtype=np.int16)
    ones = np.ones(len(mean), dtype=np.int64)
    for i in range(len(grade.bands) - 1, -1, -1):
        band = grade.bands[i]
        if band.min is not None:
            index = np.where(_at_least(mean, ones, band.min.scaleb(decimals)), i, index)
        else:
            index = np.full(len(mean), i, dtype=np.int16)
    return index


def _mean(keys: np.ndarray, values: np.ndarray, groups: int, grade: GradeRule, rules: RuleSet, clamp_scale: int):
    """Per group: number of inputs, and the mean rounded to the grade's decimals (values at 10^clamp_scale)."""
    valid = keys >= 0
    k, v = keys[valid], values[valid]
    count = np.bincount(k, minlength=groups)
    total = np.zeros(groups, dtype=v.dtype if v.dtype == object else np.int64)
    np.add.at(total, k, v)
    rounding = grade.rounding or rules.rate.rounding
    exponent = rounding.decimals - clamp_scale
    num = total * 10**exponent if exponent >= 0 else total
    den = np.maximum(count, 1) * (10 ** (-exponent) if exponent < 0 else 1)
    return count, round_div(num, den, rounding)


def _clamped(values: np.ndarray, grade: GradeRule, decimals: int) -> tuple[np.ndarray, int]:
    """Values (scaled by 10^decimals) clamped by the grade, at a scale fine enough for the bounds."""
    if grade.clamp is None:
        return values, decimals
    lo, hi = grade.clamp
    extra = max(0, _scale(lo)[1], _scale(hi)[1])
    scaled = values * 10**extra
    scale = decimals + extra
    low, high = int(lo.scaleb(scale)), int(hi.scaleb(scale))
    return np.minimum(np.maximum(scaled, low), high), scale


def _grades(result: TableResult) -> None:
    table, rules = result.table, result.rules
    n_nodes = len(table.node_id)
    d = rules.rate.rounding.decimals
    cols = table.columns()
    kinds_of = cols.indicator_kind
    indicator = cols.row_indicator
    node_of_indicator = cols.indicator_node
    abolished = cols.node_abolished
    levels = cols.node_level
    plan_of_node = cols.node_plan
    for grade in rules.grades:
        g_decimals = (grade.rounding or rules.rate.rounding).decimals
        if grade.source == "indicators":
            has_rate = result.rate_reason == NUMERIC
            wanted = np.isin(kinds_of[indicator], list(grade.kinds)) & has_rate
            values, rows = _part_inputs(result, cols, grade, wanted)
            row_nodes = node_of_indicator[rows]
            clamped, scale = _clamped(values, grade, d)
        else:
            source_level = grade.of_level
            means = result.grade_mean[source_level]
            has = result.grade_band[source_level] >= 0
            rows = np.nonzero(has)[0]
            row_nodes = rows
            clamped, scale = _clamped(means[rows], grade, (rules.grade_rule_for(source_level).rounding or rules.rate.rounding).decimals)
        if grade.is_plan:
            keys = plan_of_node[row_nodes]
            count, mean = _mean(keys, clamped, len(table.plan_id), grade, rules, scale)
            band = _band_index(mean, grade, g_decimals)
            result.plan_band = np.where(count > 0, band, -1)
            result.plan_mean, result.plan_inputs = mean, count
            continue
        scope = grade.scope if grade.source == "indicators" else "descendants"
        if grade.source == "grades":
            keys = _level_key(table, row_nodes, grade.level, "descendants")
            keys = np.where(keys == row_nodes, -1, keys)  # descendants only, not the node itself
        else:
            keys = _level_key(table, row_nodes, grade.level, scope)
        count, mean = _mean(keys, clamped, n_nodes, grade, rules, scale)
        graded = (levels == grade.level) & ~abolished
        band = _band_index(mean, grade, g_decimals)
        result.grade_band[grade.level] = np.where(graded, np.where(count > 0, band, -1), -2)
        result.grade_mean[grade.level] = mean
        result.grade_inputs[grade.level] = np.where(graded, count, 0)


def _part_inputs(result: TableResult, cols: Columns, grade: GradeRule, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rate inputs of a grade and the indicator of each, combining parts as the rule says."""
    indicator = cols.row_indicator
    rows = np.nonzero(wanted)[0]
    values = result.rate[rows]
    if grade.parts == "each" or not np.any(cols.indicator_parts[indicator[rows]]):
        return values, indicator[rows]
    ind = indicator[rows]
    n_ind = len(result.table.indicator_id)
    count = np.bincount(ind, minlength=n_ind)
    if grade.parts == "worst":
        combined = np.full(n_ind, 0, dtype=values.dtype)
        first = np.zeros(n_ind, dtype=bool)
        order = np.argsort(ind, kind="stable")
        for i in order:  # few indicators have parts; a loop keeps min exact for object arrays too
            k = ind[i]
            combined[k] = values[i] if not first[k] else min(combined[k], values[i])
            first[k] = True
    else:
        total = np.zeros(n_ind, dtype=values.dtype)
        np.add.at(total, ind, values)
        combined = round_div(total, np.maximum(count, 1), result.rules.rate.rounding)
    present = np.nonzero(count > 0)[0]
    return combined[present], present


def evaluate_plans(plans: Sequence[Plan], year: int) -> list[PlanOutcome]:
    """The figures of every plan for *year*, in the order given: in columns where the rules allow, else by the engine.

    Plans that share a rule set are evaluated together in one table.
    """
    groups: dict[RuleSet, list[int]] = {}
    for i, plan in enumerate(plans):
        groups.setdefault(plan.rules, []).append(i)
    out: list[PlanOutcome | None] = [None] * len(plans)
    for rules, members in groups.items():
        try:
            check_implemented(rules)  # before building a table for nothing
            builder = TableBuilder(year)
            for i in members:
                builder.add_plan(plans[i])
            outcomes = evaluate_table(builder.table, rules).outcomes()
        except Unsupported:
            outcomes = [outcome_of(evaluate(plans[i], year)) for i in members]
        for i, outcome in zip(members, outcomes, strict=True):
            out[i] = outcome
    return [o for o in out if o is not None]
