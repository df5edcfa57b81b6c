"""Where computed plans are kept: in this process, and in Django's cache for all of them.

Building a 300-indicator plan from its rows takes a few hundred milliseconds; production
runs several gunicorn workers on several servers, and without a shared store every one of
them would build each plan again after every save. A computed plan is therefore also kept,
pickled and compressed, in Django's cache (``HYOKA_CACHE_URL``: the database cache table or
a cache directory), where every process finds it. Evaluations stay in each process: one
year's evaluation costs less than the pickle that would carry it.

A saved value does not store the whole plan again: it stores a *step*, the new revision
as "the revision before, with this value" (a few hundred bytes), which another process
follows from the plan it already holds (``convert``).

Entries are keyed by the plan's revision, which every change renews in its transaction
(``convert.touch``), so an entry is never stale: a new revision simply finds nothing and
the old entries expire. An entry is written only when the transaction that made it has
committed (``on_commit``): a transaction that is rolled back may have read its own
uncommitted rows, and those must not reach other processes under a revision that stays.
"""

from __future__ import annotations

import pickle
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

from ...core.engine import Evaluation
from ...core.model import Plan as CorePlan

Key = tuple[int, str]  # (plan primary key, revision)


@dataclass
class Computed:
    """A stored plan as the core sees it, and its evaluations, for one revision of the plan.

    Kept together so that every page sees one set of core objects (an evaluation's series
    *are* the plan's series), and dropped together when the plan changes.
    """

    plan: CorePlan
    evaluations: dict[int, Evaluation] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    """A revision that is the revision *before* with one value saved (*stored*: the row's fields, None if removed)."""

    before: str
    indicator: str
    part: str
    year: int
    stored: dict[str, Any] | None


_local: OrderedDict[int, tuple[str, Computed]] = OrderedDict()  # per plan: one revision and its computed plan


def _name(kind: str, key: Key) -> str:
    return f"hyoka-{kind}:{key[0]}:{key[1]}"


def _pack(plan: CorePlan) -> bytes:
    # Level 1: ten times smaller than the pickle (1.3 MB → 0.14 MB for 300 indicators) at a few ms.
    return zlib.compress(pickle.dumps(plan, pickle.HIGHEST_PROTOCOL), 1)


def _unpack(data: bytes) -> Computed:
    plan = pickle.loads(zlib.decompress(data))
    assert isinstance(plan, CorePlan)
    return Computed(plan)


def _remember(key: Key, computed: Computed) -> None:
    """Keep *computed* as its plan's one revision here: an earlier revision, never asked for again once a
    save has renewed it, would hold a place of the plans in memory (at 20 % saves, most of them)."""
    pk, revision = key
    _local[pk] = (revision, computed)
    _local.move_to_end(pk)
    while len(_local) > settings.HYOKA_PLANS_IN_MEMORY:
        _local.popitem(last=False)


def lookup(key: Key) -> Computed | Step | None:
    """The plan of *key* from this process or the shared cache, else the step that leads to it, else None."""
    held = _local.get(key[0])
    if held is not None and held[0] == key[1]:
        _local.move_to_end(key[0])
        return held[1]
    if not settings.HYOKA_SHARED_RESULTS:
        return None
    names = {"plan": _name("plan", key), "step": _name("step", key)}
    found = caches["default"].get_many(list(names.values()))
    if names["plan"] in found:
        computed = _unpack(found[names["plan"]])
        _remember(key, computed)
        return computed
    step = found.get(names["step"])
    return step if isinstance(step, Step) else None


def keep(key: Key, computed: Computed, *, share: bool = True) -> None:
    """Keep *computed* here at once, and (if *share*) its plan in the shared cache once the transaction commits."""
    _remember(key, computed)
    if share and settings.HYOKA_SHARED_RESULTS:
        plan = computed.plan
        transaction.on_commit(lambda: caches["default"].set(_name("plan", key), _pack(plan), settings.HYOKA_SHARED_RESULTS_SECONDS))


def keep_step(key: Key, step: Step) -> None:
    """Tell the other processes how to get revision *key* from the one before it, once the transaction commits."""
    if settings.HYOKA_SHARED_RESULTS:
        transaction.on_commit(lambda: caches["default"].set(_name("step", key), step, settings.HYOKA_SHARED_RESULTS_SECONDS))


def forget_local() -> None:
    """Drop what this process holds (as a newly started worker would have nothing)."""
    _local.clear()
