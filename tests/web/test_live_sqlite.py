"""Requests at the same moment to a real server over the embedded SQLite database: saves queue, guesses do too.

gunicorn with three worker processes of four threads serves one SQLite file, seeded once for the
module. Before WAL, a busy timeout and IMMEDIATE transactions, five people saving five indicators
at once got 14 「database is locked」 503s out of 25 saves; and 30 password guesses sent at once were
all checked, past a throttle of five.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from hyoka.samples import load_sample
from hyoka.web.plans.conflicts import value_token

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from serving import Browser, Server, clean_environ

SEED = Path(__file__).resolve().parents[1] / "security" / "seed.py"
PASSWORD = "correct-horse-battery-9"  # seed.py's
PLAN, ORG, YEAR = "kanagawa-sousei-3", "140007", 2025
PEOPLE, ROUNDS = 10, 3


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    folder = tmp_path_factory.mktemp("live-sqlite")
    database = folder / "hyoka.sqlite3"
    env = clean_environ() | {"HYOKA_DATABASE_URL": f"sqlite:///{database}", "HYOKA_DATA_DIR": str(folder), "HYOKA_SECRET_KEY": "k" * 50}
    env["HYOKA_API_RATE_PER_MINUTE"] = "1"  # the burst alone is under test: nothing refills while the test runs
    subprocess.run([sys.executable, str(SEED)], env=env, check=True, timeout=300, capture_output=True)
    server = Server(env, folder, workers=3, threads=10).start()  # no HYOKA_CACHE_URL: README's production command
    try:
        yield server, database
    finally:
        server.stop()


def _at_once(count: int, send: Callable[[int], int | str]) -> list[int | str]:
    """*count* threads wait at a barrier and send together; their answers (a status, or the error's name)."""
    barrier = threading.Barrier(count)
    answers: list[int | str] = [0] * count

    def run(i: int) -> None:
        barrier.wait(timeout=60)
        try:
            answers[i] = send(i)
        except requests.RequestException as e:
            answers[i] = type(e).__name__

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return answers


def test_thirty_guesses_at_once_cannot_outrun_the_count(live: tuple[Server, Path]) -> None:
    """Each guess is checked against the count only when the one before it is counted: five are checked (the fifth,
    reaching the limit, is answered with the lock), the rest find the name locked before any password is looked at."""
    server, database = live
    guessers = [Browser(server.base) for _ in range(30)]
    for g in guessers:
        g.get(server.base + "/accounts/login/", timeout=30)
    answers = _at_once(30, lambda i: guessers[i].submit("/accounts/login/", {"username": "fukushi", "password": f"guess-{i}"}).status_code)
    print(f"30 guesses at once: {sorted(Counter(answers).items(), key=str)}")
    assert Counter(answers) == {200: 4, 429: 26}
    right = Browser(server.base)
    right.get(server.base + "/accounts/login/", timeout=30)
    assert right.submit("/accounts/login/", {"username": "fukushi", "password": PASSWORD}).status_code == 429
    with sqlite3.connect(database) as db:
        assert db.execute("select failures_since_start from axes_accessattempt where username = 'fukushi'").fetchall() == [(31,)]


def test_the_api_limit_holds_at_its_burst_across_worker_processes(live: tuple[Server, Path]) -> None:
    """Without a shared cache each of three workers counted alone: 189 requests before the first 429. The buckets are
    rows of the database now, so the workers count together: exactly HYOKA_API_BURST (60) pass, from any worker."""
    server, _database = live
    answers = [
        requests.get(server.base + "/api/v1/openapi.json", headers={"Connection": "close"}, timeout=30).status_code for _ in range(75)
    ]
    print(f"75 API requests from one address to 3 workers: {Counter(answers)}")
    assert answers == [200] * 60 + [429] * 15


def test_ten_people_saving_at_once_on_sqlite_are_all_stored(live: tuple[Server, Path]) -> None:
    server, database = live
    plan = load_sample(PLAN)
    indicators = [i.id for i in plan.indicators if not i.parts and i.unit in ("人", "件", "社")][:PEOPLE]
    assert len(indicators) == PEOPLE
    people = [Browser(server.base).login("planner", PASSWORD) for _ in range(PEOPLE)]
    answers: list[tuple[int, str, int | str]] = []
    for r in range(ROUNDS):

        def save(i: int, r: int = r) -> int:
            base = value_token(f"{1000 + 10 * (r - 1) + i}", "confirmed", "", "", "") if r else ""  # what the person's form showed
            data = {
                "year": YEAR,
                "value": f"{1000 + 10 * r + i}",
                "status": "confirmed",
                "why": f"round {r}",
                "base": base,
                "confirm": "on",
            }  # far from last year's: the warning confirmed
            return people[i].submit(f"/plans/{ORG}/{PLAN}/indicators/{indicators[i]}/value/", data, timeout=60).status_code

        answers += [(r, indicators[i], a) for i, a in enumerate(_at_once(PEOPLE, save))]
    failed = [a for a in answers if a[2] != 302]
    print(f"{len(answers)} saves by {PEOPLE} people in {ROUNDS} rounds; not acknowledged: {failed}")
    assert len(answers) == PEOPLE * ROUNDS and failed == []
    with sqlite3.connect(database) as db:
        assert db.execute("pragma journal_mode").fetchone() == ("wal",)
        stored = dict(
            db.execute(
                "select i.key, v.text from plans_value v join plans_series s on s.id = v.series_id"
                " join plans_indicator i on i.id = s.indicator_id join plans_plan p on p.id = i.plan_id"
                " where v.year = ? and p.key = ?",
                (YEAR, PLAN),
            ).fetchall()
        )
        changes = db.execute("select count(*) from history_change where kind = 'value' and year = ?", (YEAR,)).fetchone()[0]
    assert {k: stored.get(k) for k in indicators} == {k: str(1000 + 10 * (ROUNDS - 1) + i) for i, k in enumerate(indicators)}
    assert changes == PEOPLE * ROUNDS, "every save is in the history"
