"""Where computed plans and evaluations are kept: in this process, and in Django's cache for all of them.

Building a 300-indicator plan from its rows and evaluating it takes a few hundred
milliseconds; production runs several gunicorn workers on several servers, and without a
shared store every one of them would build each plan again after every save. A computed
plan is therefore also kept, pickled and compressed, in Django's cache (``HYOKA_CACHE_URL``:
the database cache table or a cache directory), where every process finds it.

Entries are keyed by the plan's revision, which every change renews in its transaction
(``convert.touch``), so an entry is never stale: a new revision simply finds nothing and
the old entries expire. An entry is written only when the transaction that read it has
committed (``on_commit``): a transaction that is rolled back may have read its own
uncommitted rows, and those must not reach other processes under a revision that stays.
"""

from __future__ import annotations

import pickle
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field

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


_local: OrderedDict[Key, Computed] = OrderedDict()


def _shared_key(key: Key) -> str:
    return f"hyoka-computed:{key[0]}:{key[1]}"


def _pack(computed: Computed) -> bytes:
    # Level 1: ten times smaller than the pickle (1.3 MB → 0.14 MB for 300 indicators) at a few ms.
    return zlib.compress(pickle.dumps(computed, pickle.HIGHEST_PROTOCOL), 1)


def _unpack(data: bytes) -> Computed:
    found = pickle.loads(zlib.decompress(data))
    assert isinstance(found, Computed)
    return found


def _remember(key: Key, computed: Computed) -> None:
    _local[key] = computed
    _local.move_to_end(key)
    while len(_local) > settings.HYOKA_PLANS_IN_MEMORY:
        _local.popitem(last=False)


def get_many(keys: list[Key]) -> dict[Key, Computed]:
    """What is known of *keys*: from this process, else (in one round trip) from the shared cache."""
    found = {k: _local[k] for k in keys if k in _local}
    missing = [k for k in keys if k not in found]
    if missing and settings.HYOKA_SHARED_RESULTS:
        names = {_shared_key(k): k for k in missing}
        for name, data in caches["default"].get_many(list(names)).items():
            found[names[name]] = _unpack(data)
            _remember(names[name], found[names[name]])
    return found


def get(key: Key) -> Computed | None:
    return get_many([key]).get(key)


def put(key: Key, computed: Computed, *, share: bool = True) -> None:
    """Keep *computed* here at once, and (if *share*) in the shared cache once the current transaction commits.

    Sharing costs a pickle of the whole plan (tens of milliseconds for 300 indicators), so a
    caller that will add an evaluation right away shares only then, once.
    """
    _remember(key, computed)
    if share and settings.HYOKA_SHARED_RESULTS:
        timeout = settings.HYOKA_SHARED_RESULTS_SECONDS
        transaction.on_commit(lambda: caches["default"].set(_shared_key(key), _pack(computed), timeout))


def forget_local() -> None:
    """Drop what this process holds (as a newly started worker would have nothing)."""
    _local.clear()
