"""Many new plans into the database at once (`hyoka load`): every local government of Japan in minutes.

``store_plan`` writes one plan through the ORM, about 0.4 s for a plan of 300 indicators,
so the 1,788 plans of the national data set would take most of an hour. Here worker
processes read and check the files (the same ``load_path`` as every import) and turn
them into rows; this process numbers the rows from the tables' own sequences and sends
them with PostgreSQL's ``COPY``. The result is what ``store_plan`` would have written,
row for row (tests/web/test_bulk_load.py compares both), and like every import it is all
or nothing: one bad file, or a plan that is already stored, and nothing is written.

Like ``hyoka import --db`` of a new plan, the load writes no change-history rows: the
history starts with the first edit. On SQLite, which has no ``COPY``, the plans go
through ``store_plan`` one by one in the same single transaction.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, models, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

from ...core.errors import InputError
from ...formats.hyoka1 import load_path
from ..accounts.models import Organization
from ..accounts.organizations import ensure_departments, organization_for
from . import models as m
from .bulk_rows import (
    CYCLE_COLUMNS,
    INDICATOR_COLUMNS,
    JSON_COLUMNS,
    NODE_COLUMNS,
    PLAN_COLUMNS,
    REVIEW_COLUMNS,
    SERIES_COLUMNS,
    TARGET_COLUMNS,
    TEXT_COLUMNS,
    VALUE_COLUMNS,
    PlanRows,
    Row,
    file_rows,
    plan_rows,
)
from .convert import store_plan

BATCH_PLANS = 25  # plans per COPY: big enough to amortize a round trip, small enough to keep memory flat


@dataclass
class Loaded:
    plans: int
    rows: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def plan_files(paths: Iterable[Path]) -> list[Path]:
    """The `hyoka/1` files named, a folder standing for the *.json files in it (sorted, so loads repeat)."""
    out: list[Path] = []
    for path in paths:
        out.extend(sorted(path.glob("*.json")) if path.is_dir() else [path])
    return out


def load_files(
    paths: Sequence[Path],
    *,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    organization: Organization | None = None,
) -> Loaded:
    """Store the plans of *paths* (none of them stored yet) in one transaction; *progress* gets (plans, rows) so far.

    Each plan goes to the organization its file names (made if it is new), or to *organization*.
    """
    started = time.perf_counter()
    plans = rows = 0
    with transaction.atomic():
        if connection.vendor != "postgresql":
            for path in paths:
                core = load_path(path)
                store_plan(core, organization=organization)
                plans += 1
                rows += plan_rows(core).count
                if progress:
                    progress(plans, rows)
            return Loaded(plans, rows, time.perf_counter() - started)
        stored = set(m.Plan.objects.values_list("organization_id", "key"))
        owners: dict[tuple[str, str], Organization] = {}
        seen: dict[tuple[int, str], Path] = {}
        departments: dict[int, set[str]] = {}
        batch: list[tuple[int, PlanRows]] = []
        for path, plan in _read(paths, jobs):
            named = (plan.organization.code, plan.organization.name)
            if named not in owners:
                owners[named] = organization_for(plan.organization, organization, where=str(path))
            owner = owners[named]
            key = (owner.pk, plan.plan[0])
            if key in stored or key in seen:
                ja, en = ("データベース", "the database") if key in stored else (str(seen[key]), str(seen[key]))
                raise InputError.one(
                    str(path), f"同じ ID の計画がすでにあります（{ja}）", f"a plan with this id is already in {en}", key[1]
                )
            seen[key] = path
            departments.setdefault(owner.pk, set()).update(plan.departments)
            batch.append((owner.pk, plan))
            plans += 1
            rows += plan.count
            if len(batch) == BATCH_PLANS:
                _write(batch)
                batch = []
                if progress:
                    progress(plans, rows)
        _write(batch)
        for owner in {o.pk: o for o in owners.values()}.values():
            ensure_departments(owner, departments.get(owner.pk, set()))
    return Loaded(plans, rows, time.perf_counter() - started)


def _read(paths: Sequence[Path], jobs: int | None) -> Iterator[tuple[Path, PlanRows]]:
    """The files as rows, in the order given, read by *jobs* processes (spawned: a forked child would share our connection)."""
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(paths) == 1:
        for path in paths:
            yield path, file_rows(path)
        return
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: deque[tuple[Path, Future[PlanRows]]] = deque()
        for path in paths:
            pending.append((path, pool.submit(file_rows, path)))
            if len(pending) > 4 * jobs:  # a few files ahead, not the whole data set waiting in memory
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()


def _ids(model: type[models.Model], n: int) -> list[int]:
    """*n* ids from the table's own sequence, so rows written later by the ORM never collide with them."""
    if n == 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [model._meta.db_table, n])
        return [r[0] for r in cursor.fetchall()]


def _copy(model: type[models.Model], columns: Sequence[str], rows: Iterable[Row]) -> None:
    json_at = [i for i, c in enumerate(columns) if c in JSON_COLUMNS]
    names = ", ".join(f'"{model._meta.get_field(c).column}"' for c in columns)
    with connection.cursor() as cursor, cursor.cursor.copy(f'COPY "{model._meta.db_table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            if json_at:
                row = tuple(Jsonb(v) if i in json_at else v for i, v in enumerate(row))
            copy.write_row(row)


def _write(batch: list[tuple[int, PlanRows]]) -> None:
    """Number the rows of *batch* and copy them in, parents before children."""
    if not batch:
        return
    now = timezone.now()
    plan_ids = iter(_ids(m.Plan, len(batch)))
    node_ids = iter(_ids(m.Node, sum(len(p.nodes) for _o, p in batch)))
    indicator_ids = iter(_ids(m.Indicator, sum(len(p.indicators) for _o, p in batch)))
    series_ids = iter(_ids(m.Series, sum(len(p.series) for _o, p in batch)))
    plans: list[Row] = []
    rules: list[Row] = []
    cycles: list[Row] = []
    nodes: list[Row] = []
    texts: list[Row] = []
    reviews: list[Row] = []
    indicators: list[Row] = []
    series: list[Row] = []
    targets: list[Row] = []
    values: list[Row] = []
    for owner, p in batch:
        plan = next(plan_ids)
        plans.append((plan, owner, *p.plan, m.new_revision()))
        rules.append((plan, 1, Jsonb(p.rules), now, "取込み"))
        cycles.extend((plan, *c) for c in p.cycles)
        n_ids = [next(node_ids) for _ in p.nodes]
        nodes.extend(
            (n_ids[i], plan, None if parent is None else n_ids[parent], *row)
            for i, (row, parent) in enumerate(zip(p.nodes, p.parents, strict=True))
        )
        texts.extend((n_ids[i], *rest) for i, *rest in p.texts)
        reviews.extend((n_ids[i], *rest) for i, *rest in p.reviews)
        i_ids = [next(indicator_ids) for _ in p.indicators]
        indicators.extend((i_ids[k], plan, n_ids[node], *rest) for k, (node, *rest) in enumerate(p.indicators))
        s_ids = [next(series_ids) for _ in p.series]
        series.extend((s_ids[k], i_ids[ind], *rest) for k, (ind, *rest) in enumerate(p.series))
        targets.extend((s_ids[s], *rest) for s, *rest in p.targets)
        values.extend((s_ids[s], *rest, now) for s, *rest in p.values)
    _copy(m.Plan, ("id", "organization", *PLAN_COLUMNS, "revision"), plans)
    _copy(m.RuleSetVersion, ("plan", "version", "spec", "created_at", "note"), rules)
    _copy(m.Cycle, ("plan", *CYCLE_COLUMNS), cycles)
    _copy(m.Node, ("id", "plan", "parent", *NODE_COLUMNS), nodes)
    _copy(m.NodeText, ("node", *TEXT_COLUMNS), texts)
    _copy(m.Review, ("node", *REVIEW_COLUMNS), reviews)
    _copy(m.Indicator, ("id", "plan", "node", *INDICATOR_COLUMNS), indicators)
    _copy(m.Series, ("id", "indicator", *SERIES_COLUMNS), series)
    _copy(m.Target, ("series", *TARGET_COLUMNS), targets)
    _copy(m.Value, ("series", *VALUE_COLUMNS, "updated_at"), values)
