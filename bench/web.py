"""The web app at national scale: N governments' plans in PostgreSQL, gunicorn, concurrent clients.

    python bench/web.py --organizations 100 --clients 20 --requests 4000
    python bench/web.py --organizations 1788 --clients 20 --requests 4000   # every government of Japan

Loads the synthetic plans of bench/generate.py into a PostgreSQL database of their own
(``hyoka load``; kept and reused when it already holds the same N and seed, since the
full scale takes minutes), opens FY2030 in every plan and publishes FY2027 in every
other one, starts gunicorn with the production settings, and sends a bounded number of
requests from concurrent clients, each logged in as a department user of the plan's organization (a person at a
desk, with a session and CSRF): the 体系図, a node page, an indicator page, the public
API and a department saving a value (the form's conflict token ``base`` included), each
on a random government. Every response's status is checked. It prints per kind the
count, p50/p95/p99 and errors, the throughput, and the targets (p95 ≤ 150 ms for pages,
≤ 200 ms for saves at 20 clients). Before that, in this process, it counts the SQL
queries of each kind of request on a plan of 60 and of 600 indicators: a count that
grows with the indicators is a query per indicator.

The machine's load is printed with the figures: on a shared machine they are noisy.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import statistics
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tools"))

from generate import FULL_SCALE, plan_document, stored  # noqa: E402
from serving import Browser, Server  # noqa: E402

OPEN_YEAR = 2030  # departments enter this year's values
PUBLISHED_YEAR = 2027  # the public site and API show this year (every other plan)
DEPARTMENT = "第1課"  # owns the indicators of 5 of the 60 小柱 of every synthetic plan
PASSWORD = secrets.token_urlsafe(12)
PAGE_TARGET_MS, SAVE_TARGET_MS = 150, 200
MIX = "tree=20,node=20,indicator=20,api=20,save=20"  # kind=weight; a save first opens the indicator page for its form
BASE = re.compile(
    r'name="part" value="">\s*<input type="hidden" name="year" value="\d+">\s*<input type="hidden" name="base" value="([^"]*)"'
)


def production_env(env: dict[str, str], data_dir: Path) -> dict[str, str]:
    """What docs/deployment.md sets, and an API rate limit out of the way: every client here is one address."""
    (data_dir / "static").mkdir(parents=True, exist_ok=True)
    return env | {
        "HYOKA_ENV": "production",
        "HYOKA_SECRET_KEY": secrets.token_urlsafe(50),
        "HYOKA_ALLOWED_HOSTS": "127.0.0.1",
        "HYOKA_STATIC_ROOT": str(data_dir / "static"),
        "HYOKA_API_RATE_PER_MINUTE": "10000000",
        "HYOKA_API_BURST": "10000000",
    }


def department_user(code: str) -> str:
    """The user name of the department 第1課 of the organization *code*: users act only within their organization."""
    return f"bench-dept-{code}"


def prepare(count: int) -> None:
    """A department user per organization, an open year in every plan and a published year in every other one (idempotent)."""
    from hyoka.web.accounts.models import Department, Role, User
    from hyoka.web.plans import models as m

    for organization_id, code in m.Plan.objects.values_list("organization_id", "organization__code").distinct():
        dept = Department.objects.get_or_create(organization_id=organization_id, name=DEPARTMENT)[0]
        user = User.objects.filter(username=department_user(code)).first() or User(
            username=department_user(code), role=Role.DEPARTMENT, organization_id=organization_id, department=dept
        )
        user.set_password(PASSWORD)
        user.save()
    keys = list(m.Plan.objects.order_by("pk").values_list("pk", flat=True))
    assert len(keys) == count, f"the database holds {len(keys)} plans, not {count}"
    cycles = [m.Cycle(plan_id=pk, year=OPEN_YEAR, status=m.CycleStatus.OPEN) for pk in keys]
    cycles += [m.Cycle(plan_id=pk, year=PUBLISHED_YEAR, status=m.CycleStatus.PUBLISHED) for pk in keys[::2]]
    m.Cycle.objects.bulk_create(cycles, ignore_conflicts=True)


@dataclass
class Plans:
    """What the clients pick from: every plan's nodes and indicators, and what the department may save."""

    keys: list[str]  # "<organization code>/<plan id>", as URLs name a plan
    published: list[str]
    nodes: list[str]
    indicators: list[str]
    saveable: dict[str, list[str]]  # per plan: the department's indicators with a value form of their own

    @classmethod
    def read(cls) -> Plans:
        from hyoka.web.plans import models as m

        def named(plans: Any) -> list[str]:
            return [f"{code}/{key}" for code, key in plans.order_by("pk").values_list("organization__code", "key")]

        keys = named(m.Plan.objects.all())
        published = named(m.Plan.objects.filter(cycles__year=PUBLISHED_YEAR))
        first = m.Plan.objects.order_by("pk").first()  # the synthetic plans share one shape
        nodes = list(m.Node.objects.filter(plan=first).values_list("key", flat=True))
        indicators = list(m.Indicator.objects.filter(plan=first).values_list("key", flat=True))
        saveable: dict[str, list[str]] = defaultdict(list)
        rows = _saveable(m.Series.objects.all()).values_list(
            "indicator__plan__organization__code", "indicator__plan__key", "indicator__key"
        )
        for code, plan, indicator in rows:
            saveable[f"{code}/{plan}"].append(indicator)
        return cls(keys, published, nodes, indicators, saveable)


def _saveable(series: Any) -> Any:
    """The department's numeric indicators without parts (an indicator with parts takes values per part)."""
    from hyoka.web.plans import models as m

    with_parts = m.Series.objects.exclude(part="").values("indicator_id")
    return (
        series.filter(part="", indicator__node__departments__contains=[DEPARTMENT])
        .exclude(direction="qualitative")
        .exclude(indicator_id__in=with_parts)
    )


def count_queries() -> dict[str, tuple[int, int]]:
    """Queries of each kind of request on a fresh plan of 60 and of 600 indicators (rolled back afterwards)."""
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from hyoka.formats.hyoka1 import plan_from_dict
    from hyoka.web.accounts.models import User
    from hyoka.web.plans import models as m
    from hyoka.web.plans.conflicts import row_value_token
    from hyoka.web.plans.convert import store_plan

    counts: dict[str, list[int]] = defaultdict(list)
    for size in (60, 600):
        with transaction.atomic():
            m.Cycle.objects.filter(status=m.CycleStatus.PUBLISHED).update(status=m.CycleStatus.CLOSED)  # the API's site: this plan only
            doc = plan_document(0, "999997", "計測", 0, indicators_count=size)
            doc["plan"]["id"] = key = f"bench-queries-{size}"
            row = store_plan(plan_from_dict(doc))
            m.Cycle.objects.create(plan=row, year=OPEN_YEAR, status=m.CycleStatus.OPEN)
            m.Cycle.objects.create(plan=row, year=PUBLISHED_YEAR, status=m.CycleStatus.PUBLISHED)
            from hyoka.web.accounts.models import Department, Role

            dept = Department.objects.get_or_create(organization_id=row.organization_id, name=DEPARTMENT)[0]
            user = User.objects.create(username="bench-queries", role=Role.DEPARTMENT, organization_id=row.organization_id, department=dept)
            client = Client(SERVER_NAME="127.0.0.1")
            client.force_login(user)
            indicator_key = _saveable(m.Series.objects.filter(indicator__plan=row)).values_list("indicator__key", flat=True)[0]
            small = m.Indicator.objects.get(plan=row, key=indicator_key).node.key
            plan = f"/plans/999997/{key}"
            stored = m.Value.objects.filter(
                series__indicator__plan=row, series__indicator__key=indicator_key, series__part="", year=OPEN_YEAR
            )
            base = row_value_token(stored.first())  # what the value form carries: the token of what it showed
            asks = (
                ("tree", f"{plan}/?year={OPEN_YEAR}", None),
                ("node", f"{plan}/nodes/{small}/?year={OPEN_YEAR}", None),
                ("indicator", f"{plan}/indicators/{indicator_key}/?year={OPEN_YEAR}", None),
                ("api", f"/api/v1/plans/999997/{key}", None),
                (
                    "save",
                    f"{plan}/indicators/{indicator_key}/value/",
                    {"part": "", "year": OPEN_YEAR, "base": base, "value": "123", "why": "bench", "confirm": "on"},
                ),
            )
            for kind, path, data in asks:
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(path) if data is None else client.post(path, data)
                status = response.status_code
                assert status in (200, 302), f"{kind} of the {size}-indicator plan answered {status}: {response.content[:300]!r}"
                counts[kind].append(len(queries))
            transaction.set_rollback(True)
    return {kind: (a, b) for kind, (a, b) in counts.items()}


@dataclass
class Results:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, ms: float, error: str | None) -> None:
        with self.lock:
            self.times[kind].append(ms)
            if error:
                self.errors[kind].append(error)


def _timed(results: Results, kind: str, call: Any, expect: int) -> Any:
    started = time.perf_counter()
    try:
        response = call()
    except Exception as e:  # a refused or cut connection is an error of this request, not of the benchmark
        results.add(kind, (time.perf_counter() - started) * 1000, f"{type(e).__name__}: {e}")
        return None
    ms = (time.perf_counter() - started) * 1000
    results.add(
        kind, ms, None if response.status_code == expect else f"HTTP {response.status_code} {response.request.method} {response.url}"
    )
    return response if response.status_code == expect else None


def client(
    number: int, browsers: dict[str, Browser], plans: Plans, budget: list[Any], lock: threading.Lock, results: Results, seed: int, mix: str
) -> None:
    """One desk clicking around until the shared request budget is spent.

    *browsers* holds a session per plan of this client, logged in as that plan's organization's
    department (users act only within their organization); no other client saves in those plans.
    """
    rng = random.Random(f"{seed}:{number}")
    mine = sorted(browsers)
    saving = [k for k in mine if plans.saveable[k]] or mine
    kinds = [kind for kind, weight in (part.split("=") for part in mix.split(",")) for _ in range(int(weight))]
    base = next(iter(browsers.values())).base
    while True:
        with lock:
            if budget[0] <= 0 or time.monotonic() > budget[2]:
                return
            budget[0] -= 1
            if budget[0] % max(1, budget[3] // 10) == 0:
                print(f"  {budget[3] - budget[0]:,} requests sent", flush=True)
        kind = rng.choice(kinds)
        plan = rng.choice(mine)
        browser = browsers[plan]
        if kind == "tree":
            _timed(results, kind, lambda plan=plan, browser=browser: browser.get(f"{base}/plans/{plan}/?year={OPEN_YEAR}", timeout=60), 200)
        elif kind == "node":
            path = f"{base}/plans/{plan}/nodes/{rng.choice(plans.nodes)}/?year={OPEN_YEAR}"
            _timed(results, kind, lambda path=path, browser=browser: browser.get(path, timeout=60), 200)
        elif kind == "indicator":
            path = f"{base}/plans/{plan}/indicators/{rng.choice(plans.indicators)}/?year={OPEN_YEAR}"
            _timed(results, kind, lambda path=path, browser=browser: browser.get(path, timeout=60), 200)
        elif kind == "api":
            public = rng.choice(plans.published)
            path = (
                f"{base}/api/v1/plans/{public}"
                if rng.random() < 0.5
                else f"{base}/api/v1/indicators/{public}:{rng.choice(plans.indicators)}"
            )
            _timed(results, kind, lambda path=path, browser=browser: browser.get(path, timeout=60), 200)
        else:
            plan = rng.choice(saving)
            browser = browsers[plan]
            indicator = rng.choice(plans.saveable[plan])
            page = f"/plans/{plan}/indicators/{indicator}/"
            form = _timed(
                results, "indicator", lambda page=page, browser=browser: browser.get(f"{base}{page}?year={OPEN_YEAR}", timeout=60), 200
            )
            if form is None:  # the page failed: counted as an indicator error, and no save is tried
                continue
            found = BASE.search(form.text)
            if found is None:
                results.add("save", 0, f"no value form on {page}")
                continue
            value = str(rng.randint(1, 99999))  # far from last year's, so the save confirms the warning, as a person would
            data = {"part": "", "year": OPEN_YEAR, "base": found.group(1), "value": value, "why": "bench", "confirm": "on"}
            _timed(results, "save", lambda page=page, data=data, browser=browser: browser.submit(page + "value/", data, timeout=60), 302)


def workers_rss(master: int) -> list[int]:
    """The resident memory of each gunicorn worker (the master's children), in bytes: what the plans they hold cost."""
    sizes = []
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:  # not Linux: no figure
        return []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes += [int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmRSS:")]
    return sizes


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def report(results: Results, elapsed: float, clients: int) -> None:
    print(f"\n{'kind':<10} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>6}")
    total = 0
    for kind in ("tree", "node", "indicator", "api", "save"):
        times = results.times.get(kind, [])
        if not times:
            continue
        total += len(times)
        p95 = percentile(times, 95)
        print(
            f"{kind:<10} {len(times):>6} {percentile(times, 50):>8.0f} {p95:>8.0f} {percentile(times, 99):>8.0f} {max(times):>8.0f} "
            f"{len(results.errors.get(kind, [])):>6}"
        )
    print(f"throughput: {total / elapsed:.1f} requests/s ({total} requests in {elapsed:.1f} s, {clients} clients)")
    for kind, errors in results.errors.items():
        for error in errors[:5]:
            print(f"  error ({kind}): {error}")
    print("\ntargets at", clients, "clients:")
    pages = [t for k in ("tree", "node", "indicator", "api") for t in results.times.get(k, [])]
    for what, times, target in (("pages p95", pages, PAGE_TARGET_MS), ("saves p95", results.times.get("save", []), SAVE_TARGET_MS)):
        if not times:
            continue
        p95 = percentile(times, 95)
        verdict = "met" if p95 <= target else f"missed by {p95 - target:.0f} ms ({p95 / target:.1f}×)"
        print(f"  {what} ≤ {target} ms: {p95:.0f} ms — {verdict}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--organizations", "-n", type=int, default=FULL_SCALE)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2000, help="requests in all, then it stops")
    parser.add_argument("--max-seconds", type=float, default=900, help="stop sending after this long, whatever is left")
    parser.add_argument("--mix", default=MIX, help=f"kinds of request and their weights (default {MIX})")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument("--plans-in-memory", type=int, default=16, help="HYOKA_PLANS_IN_MEMORY: computed plans each worker keeps")
    parser.add_argument("--jobs", type=int, default=None, help="processes reading plan files while loading")
    parser.add_argument("--fresh", action="store_true", help="load into a new database even if one with this N and seed exists")
    parser.add_argument("--load-only", action="store_true", help="prepare the database and stop")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench")
    args = parser.parse_args(argv)
    data_dir = args.data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} (shared: figures are noisy)")
    env = stored(args.organizations, args.seed, data_dir, fresh=args.fresh, jobs=args.jobs)
    prepare(args.organizations)
    if args.load_only:
        return 0
    plans = Plans.read()

    queries = count_queries()
    print("\nSQL queries per request, plan of 60 → 600 indicators (first request of a plan, nothing cached):")
    for kind, (small, large) in queries.items():
        print(f"  {kind:<10} {small:>4} → {large:<4} " + ("same" if small == large else "GROWS with the indicators"))
    from django.db import connections

    connections.close_all()

    # Keep-alive longer than the clients': a connection gunicorn closes as a client reuses it is reset (a proxy's upstream pool alike).
    keep_alive = ("--keep-alive", "75")
    env = production_env(env, data_dir) | {"HYOKA_PLANS_IN_MEMORY": str(args.plans_in_memory)}
    server = Server(env, data_dir, workers=args.workers, threads=args.threads, options=keep_alive)
    print(
        f"\ngunicorn: {args.workers} workers × {args.threads} threads, {args.plans_in_memory} plans in memory each, HYOKA_ENV=production,"
        f" behind a (simulated) TLS proxy; mix {args.mix}"
    )
    server.start(timeout=120, headers={"X-Forwarded-Proto": "https"})
    try:
        # Client i works in the plans i, i + clients, …: a session in each, as that organization's department.
        desks: list[dict[str, Browser]] = [{} for _ in range(args.clients)]
        for i, key in enumerate(plans.keys):
            desks[i % args.clients][key] = Browser(server.base, behind_tls=True, keep_alive=True)
        sessions = [(b, department_user(key.split("/")[0])) for desk in desks for key, b in desk.items()]
        logins = [threading.Thread(target=b.login, args=(name, PASSWORD)) for b, name in sessions]
        for t in logins:
            t.start()
        for t in logins:
            t.join()
        assert all("sessionid" in b.cookies for b, _ in sessions), "a client could not log in"
        results = Results()
        budget = [args.requests, args.clients, time.monotonic() + args.max_seconds, args.requests]  # left, clients, deadline, all
        lock = threading.Lock()
        threads = [
            threading.Thread(target=client, args=(i, desk, plans, budget, lock, results, args.seed, args.mix))
            for i, desk in enumerate(desks)
            if desk
        ]
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        if budget[0] > 0:
            print(
                f"stopped at the time limit (--max-seconds {args.max_seconds:g}): {args.requests - budget[0]:,} of {args.requests:,} requests sent"
            )
        memory = workers_rss(server.process.pid) if server.process else []
    finally:
        server.stop()
    print(
        f"\n{args.organizations:,} organizations, {len(plans.keys):,} plans; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    )
    if memory:
        print(f"memory of the {len(memory)} workers at the end (RSS): {min(memory) / 2**20:.0f}–{max(memory) / 2**20:.0f} MiB each")
    report(results, elapsed, args.clients)
    return 1 if any(results.errors.values()) else 0  # a missed target is a figure to report; a failed request is a bug


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
