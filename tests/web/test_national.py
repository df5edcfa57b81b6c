"""The national evaluation (``hyoka evaluate --db --all``): every stored plan through one path, the engine's figures."""

from __future__ import annotations

import copy
import io
import sys
from pathlib import Path

from hyoka.core.engine import evaluate
from hyoka.core.outcomes import outcome_of
from hyoka.core.rules import PRESETS
from hyoka.formats.cells import number_text
from hyoka.formats.hyoka1 import plan_from_dict
from hyoka.formats.national import write_national
from hyoka.web.plans import models as m
from hyoka.web.plans.convert import core_plan, store_plan
from hyoka.web.plans.national import stored_outcomes

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import organizations, plan_document

YEARS = (2024, 2027, 2031)  # 2031: only the Hiratsuka and the synthetic plans run so long


def _store_others() -> None:
    """Two synthetic governments, and one plan whose rules the batch path leaves to the engine (a median)."""
    for index, (code, name) in enumerate(organizations(2)):
        store_plan(plan_from_dict(plan_document(index, code, name, indicators_count=40)))
    doc = plan_document(2, "030007", "岩手県", indicators_count=40)
    rules = copy.deepcopy(PRESETS["kanagawa-sousei"])
    rules["grades"][0] |= {"aggregate": "median", "level": "小柱"}
    doc["plan"]["id"] = "median-rules"
    doc["rules"] = rules
    store_plan(plan_from_dict(doc))


def test_every_stored_plan_gets_exactly_the_engines_figures(db):
    _store_others()
    for year in YEARS:
        covering = m.Plan.objects.filter(period_start__lte=year, period_end__gte=year).order_by("key")
        expected = [outcome_of(evaluate(core_plan(p), year)) for p in covering]
        got = list(stored_outcomes(year, chunk=2))  # chunks of two: the plans of a table and its neighbours differ
        assert [o.plan for o in got] == [p.key for p in covering] and got
        assert got == expected
        assert repr(got) == repr(expected)


def test_the_table_has_a_row_per_rate_judgement_and_grade(db):
    plan = m.Plan.objects.get(key="kanagawa-dx")
    (outcome,) = [o for o in stored_outcomes(2024) if o.plan == plan.key]
    ev = evaluate(core_plan(plan), 2024)
    buffer = io.StringIO()
    lines = write_national([outcome], buffer)
    rows = buffer.getvalue().splitlines()
    assert rows[0].startswith("organization_code,plan_id,year,node_id,level,indicator_id,part_id,rate,")
    with_parts = sum(1 for r in ev.indicators.values() if r.parts and r.judgement is not None)
    assert lines == len(rows) - 1 == len(outcome.rates) + with_parts + len(outcome.grades)
    first = next(r for r in ev.indicators.values() if r.rate is not None and r.rate.value is not None)
    line = next(row for row in rows if f",{first.indicator.id},," in row)
    assert line.split(",")[7] == number_text(first.rate.value)
    assert line.split(",")[10] == first.judgement.symbol
