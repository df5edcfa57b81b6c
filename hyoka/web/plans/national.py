"""The national evaluation: one year's figures of every stored plan, for ``hyoka evaluate --db --all``.

Plans are read a chunk at a time (one query per table per chunk, only the rows that
year's evaluation reads) and evaluated together by ``batch.evaluate_plans``, so memory
stays bounded however many governments the database holds, and every plan goes
through the one path whatever its rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...core.batch import evaluate_plans
from ...core.outcomes import PlanOutcome
from ...formats.hyoka1 import plan_from_dict
from ..snapshot import snapshot
from . import models as m
from .convert import documents

CHUNK = 100  # plans read and evaluated together: about 2 MB each of one year's rows


def stored_outcomes(year: int, *, chunk: int = CHUNK) -> Iterator[PlanOutcome]:
    """The figures of every stored plan whose period includes *year*, by plan id, all read in one snapshot."""
    with snapshot():
        plans = list(m.Plan.objects.filter(period_start__lte=year, period_end__gte=year).order_by("key"))
        for start in range(0, len(plans), chunk):
            rows = plans[start : start + chunk]
            docs = documents(rows, year=year)
            yield from evaluate_plans([plan_from_dict(docs[p.pk], where=p.key) for p in rows], year)
