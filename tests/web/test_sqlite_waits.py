"""The embedded SQLite database serves several people saving at the same moment: they queue, none fails.

Before WAL, a busy timeout and IMMEDIATE transactions, five people saving five indicators at
once got 14 「database is locked」 503s out of 25 saves. Here ten logged-in people, each with
their own indicator, wait at a barrier and post together, round after round, to gunicorn with
three worker processes of four threads over one SQLite file.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import requests

from hyoka.samples import load_sample
from hyoka.web.plans.conflicts import value_token

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from serving import Browser, Server, clean_environ

SEED = Path(__file__).resolve().parents[1] / "security" / "seed.py"
PASSWORD = "correct-horse-battery-9"  # seed.py's
PLAN, ORG, YEAR = "kanagawa-sousei-3", "140007", 2025
PEOPLE, ROUNDS = 10, 3


def test_ten_people_saving_at_once_on_sqlite_are_all_stored(tmp_path: Path) -> None:
    database = tmp_path / "hyoka.sqlite3"
    env = clean_environ() | {"HYOKA_DATABASE_URL": f"sqlite:///{database}", "HYOKA_DATA_DIR": str(tmp_path), "HYOKA_SECRET_KEY": "k" * 50}
    subprocess.run([sys.executable, str(SEED)], env=env, check=True, timeout=300, capture_output=True)
    plan = load_sample(PLAN)
    indicators = [i.id for i in plan.indicators if not i.parts and i.unit in ("人", "件", "社")][:PEOPLE]
    assert len(indicators) == PEOPLE
    server = Server(env, tmp_path, workers=3, threads=4).start()
    answers: list[tuple[int, str, int | str]] = []
    try:
        people = [Browser(server.base).login("planner", PASSWORD) for _ in range(PEOPLE)]
        for r in range(ROUNDS):
            barrier = threading.Barrier(PEOPLE)

            def save(i: int, r: int = r, barrier: threading.Barrier = barrier) -> None:
                text = f"{1000 + 10 * r + i}"
                base = value_token(f"{1000 + 10 * (r - 1) + i}", "confirmed", "", "") if r else ""
                data = {"year": YEAR, "value": text, "status": "confirmed", "why": f"round {r}", "base": base}
                barrier.wait(timeout=60)
                try:
                    response = people[i].submit(f"/plans/{ORG}/{PLAN}/indicators/{indicators[i]}/value/", data, timeout=60)
                    answers.append((r, indicators[i], response.status_code))
                except requests.RequestException as e:
                    answers.append((r, indicators[i], type(e).__name__))

            threads = [threading.Thread(target=save, args=(i,)) for i in range(PEOPLE)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=120)
    finally:
        server.stop()
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
