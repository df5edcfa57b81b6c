"""core.review: the rows of 提出状況's review list come from one evaluation, with last year's change and the doubts."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from hyoka.core.engine import evaluate
from hyoka.core.review import reviewed
from hyoka.formats.hyoka1 import value_from_dict
from hyoka.samples import load_sample


def test_rows_carry_the_evaluations_rates_and_the_change_in_the_series_unit() -> None:
    plan = load_sample("kanagawa-sousei-3")
    ev = evaluate(plan, 2024)
    rows = {r.indicator.id: r for r in reviewed(ev)}
    women = rows["1-3-1-k2"]
    assert women.rate is ev.indicators["1-3-1-k2"].rate and str(women.change) == "2.1"  # 78.0％ → 80.1％
    assert str(rows["2-1-2-k1"].number) == "2609" and rows["2-1-2-k1"].change == Decimal("-218")  # 万人泊, not persons
    assert rows["2-2-1-k1"].change is None and rows["2-2-1-k1"].previous_number == Decimal("3685")  # nothing entered yet
    assert women.doubts == ()


def test_a_negative_rate_is_doubted() -> None:
    plan = load_sample("kanagawa-sousei-3")
    women = plan.indicator_by_id["1-3-1-k2"]
    slipped = dataclasses.replace(women, values=women.values | {2025: value_from_dict({"value": "-5％"}, rules=plan.rules)})
    plan = dataclasses.replace(plan, indicators=[slipped if i is women else i for i in plan.indicators])
    (row,) = [r for r in reviewed(evaluate(plan, 2025)) if r.indicator.id == "1-3-1-k2"]
    assert row.change == Decimal("-85.1") and any("負の値" in d.message for d in row.doubts)
