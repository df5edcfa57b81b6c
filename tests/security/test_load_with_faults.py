"""Load with a fault: PostgreSQL crashes or restarts while people are saving; the app recovers and loses no save.

gunicorn serves a private PostgreSQL cluster (``cluster.py``; the shared server is never
restarted). Several clients, each a logged-in person with an indicator of their own, load
the value form and save a new value, again and again. In the middle the database is
stopped, stays down a few seconds, and is started again: in ``immediate`` mode every server
process ends at once without a checkpoint, as in a crash, and the start recovers from the
WAL; in ``fast`` mode, an operator's restart, the sessions are ended and a checkpoint written.
gunicorn is not touched. Every answer is recorded with the value it was for; afterwards
the database must hold every acknowledged save with its history row, and every request
that was not acknowledged must have had a clean error.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import requests
from cluster import Cluster, missing_tools, private_cluster
from live import Browser, Server, database_name, seed, stored_value
from seed import PASSWORD, PLAN, YEAR
from web.webforms import form

pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(missing_tools()), reason=missing_tools() or "n/a")]

INDICATORS = ("1-1-1-k1", "1-1-1-k2", "1-1-2-k1", "1-2-1-k1", "1-3-1-k1", "1-3-2-k1")
BEFORE = 5.0  # seconds of load before the crash
DOWN = 3.0  # seconds the database stays down
AFTER = 6.0  # seconds of load after it is back
WAIT = 60.0  # the longest the test waits for every client to save again once the database is back (not a speed limit)
UNAVAILABLE = "503 database unavailable"


@dataclass(frozen=True)
class Attempt:
    """One save as the client saw it: the value posted, when, and the answer (``ack`` or what went wrong)."""

    client: int
    value: str
    sent: float
    answered: float
    answer: str

    @property
    def acknowledged(self) -> bool:
        return self.answer == "ack"


class Person(threading.Thread):
    """Loads the value form of their indicator and saves a new value, until told to stop; keeps every answer."""

    def __init__(self, number: int, browser: Browser, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.number, self.browser, self.stop = number, browser, stop
        self.indicator = INDICATORS[number]
        self.page = f"/plans/140007/{PLAN}/indicators/{self.indicator}/"
        self.attempts: list[Attempt] = []
        self.page_failures: list[tuple[float, str]] = []  # when the page was asked for, and what came back

    def run(self) -> None:
        sequence = 0
        while not self.stop.is_set():
            asked = time.monotonic()
            try:
                page = self.browser.get(f"{self.browser.base}{self.page}?year={YEAR}", timeout=30)
                failure = "" if page.status_code == 200 else _failure(page)
            except requests.RequestException as e:
                failure = type(e).__name__
            if failure:
                self.page_failures.append((asked, failure))
                time.sleep(0.1)  # a person would wait a moment, not hammer
                continue
            f = form(page.text, "/value/")
            sequence += 1
            value = f"{self.number + 1}{sequence:04d}"
            sent = time.monotonic()
            try:
                response = self.browser.submit(f.action, {**f.fields, "value": value, "why": f"save {sequence}", "confirm": "on"})
                answer = self._answer(response)
            except requests.RequestException as e:
                answer = type(e).__name__
            self.attempts.append(Attempt(self.number, value, sent, time.monotonic(), answer))

    def _answer(self, response: requests.Response) -> str:
        """An acknowledgement ("ack") only for what the save answers on success: a redirect back to the indicator's page."""
        if response.status_code == 302 and response.headers.get("Location", "").startswith(self.page + "?"):
            return "ack"
        return _failure(response)


def _failure(response: requests.Response) -> str:
    """UNAVAILABLE for the page that says the database is gone and to check the save; otherwise the status (and where it redirects)."""
    if response.status_code == 503 and response.headers.get("Retry-After") and "データベースに接続できません" in response.text:
        return UNAVAILABLE
    where = f" → {response.headers.get('Location')}" if response.is_redirect else ""
    return f"HTTP {response.status_code}{where}"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Cluster, str]]:
    """The private cluster and a seeded database on it, which each test copies (seeding takes longer than a copy)."""
    with private_cluster() as cluster:
        name = database_name("faults_seed")
        with psycopg.connect(cluster.url("postgres"), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        seed(cluster.url(name), tmp_path_factory.mktemp("seed"))
        yield cluster, name


def _history(url: str) -> tuple[dict[str, list[str]], dict[str, str | None], int, int]:
    """Per indicator: the values its change log recorded (oldest first) and the value stored; and changes vs audited changes."""
    subjects = {f"{key} {YEAR}年度 実績値": key for key in INDICATORS}
    logged: dict[str, list[str]] = {key: [] for key in INDICATORS}
    with psycopg.connect(url) as db:
        for subject, new in db.execute("SELECT subject, new FROM history_change WHERE subject = ANY(%s) ORDER BY id", [list(subjects)]):
            logged[subjects[subject]].append(new.removesuffix("（確定）"))
        changes = db.execute("SELECT count(*) FROM history_change").fetchone()[0]
        audited = db.execute("SELECT count(*) FROM audit_auditevent WHERE kind = 'change' AND change_id IS NOT NULL").fetchone()[0]
    stored = {key: stored_value(url, PLAN, key, YEAR) for key in INDICATORS}
    return logged, stored, changes, audited


@pytest.mark.parametrize("mode", ["immediate", "fast"])
def test_a_database_restart_under_load_loses_no_acknowledged_save(seeded: tuple[Cluster, str], tmp_path: Path, mode: str) -> None:
    """``immediate`` is a crash (recovery from the WAL); ``fast`` is an operator's restart (sessions ended, then a checkpoint)."""
    cluster, template = seeded
    name = database_name(f"faults_{mode}")
    with psycopg.connect(cluster.url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    url = cluster.url(name)
    with psycopg.connect(url) as db:
        assert not db.execute("SELECT 1 FROM history_change WHERE year = %s", [YEAR]).fetchone()  # every change is the test's
    server = Server(url, tmp_path, workers=2, threads=2).start()
    stop = threading.Event()
    try:
        people = [Person(i, Browser(server.base).login("planner" if i % 2 else "admin", PASSWORD), stop) for i in range(len(INDICATORS))]
        for p in people:
            p.start()
        load_started = time.monotonic()
        time.sleep(BEFORE)
        down_at = time.monotonic()
        cluster.stop(mode)
        time.sleep(DOWN)
        cluster.start()
        up_at = time.monotonic()
        deadline = up_at + max(AFTER, WAIT)
        while time.monotonic() < deadline and not (
            time.monotonic() > up_at + AFTER and all(any(a.acknowledged and a.sent > up_at for a in p.attempts) for p in people)
        ):
            time.sleep(0.2)
        stop.set()
        load_took = time.monotonic() - load_started
        for p in people:
            p.join(timeout=60)
            assert not p.is_alive()
        assert server.process is not None and server.process.poll() is None, "gunicorn died: the app must recover without a restart"
    finally:
        stop.set()
        server.stop()

    attempts = [a for p in people for a in p.attempts]
    answers = Counter(a.answer for a in attempts)
    acked = [a for a in attempts if a.acknowledged]
    failed = [a for a in attempts if not a.acknowledged]
    back = [min((a.answered - up_at for a in p.attempts if a.acknowledged and a.sent > up_at), default=math.inf) for p in people]
    logged, stored, changes, audited = _history(url)
    lost = [a for a in acked if a.value not in logged[INDICATORS[a.client]]]
    committed_unacked = [a for a in failed if a.value in logged[INDICATORS[a.client]]]
    page_failures = Counter(answer for p in people for _asked, answer in p.page_failures)
    print(
        f"{len(people)} clients saving for {load_took:.1f} s; PostgreSQL stopped in "
        f"{mode} mode {BEFORE:.0f} s in, unavailable {up_at - down_at:.1f} s (stop, {DOWN:.0f} s, start): {len(attempts)} saves attempted, {len(acked)} acknowledged, "
        f"{len(failed)} failed ({dict((k, v) for k, v in answers.items() if k != 'ack')}), page loads failed {dict(page_failures)}; "
        f"after the database was back: no request failed, the first save was acknowledged after {min(back):.2f} s and every client's "
        f"within {max(back):.2f} s (gunicorn not restarted); lost = {len(lost)}; "
        f"{len(committed_unacked)} saves committed though their answer was an error (their outcome was unknown to the client)"
    )

    assert not lost, f"acknowledged saves missing from the database: {lost}"
    assert set(answers) <= {"ack", UNAVAILABLE}, f"an answer that is neither an acknowledgement nor the unavailable page: {answers}"
    assert all(a.answered >= down_at for a in failed), "a save failed before the database went down"
    assert all(a.sent < up_at for a in failed), "a save failed after the database was back: the dead connection was reused"
    assert set(page_failures) <= {UNAVAILABLE}, page_failures
    assert all(asked < up_at for p in people for asked, _answer in p.page_failures), "a page failed after the database was back"
    assert any(a.answered < down_at for a in acked) and (failed or page_failures), "the crash did not hit the load: nothing was proven"
    assert max(back) < math.inf, f"clients never acknowledged again after the database's return (waited {WAIT:.0f} s): {back}"
    for p in people:
        attempted = [a.value for a in p.attempts]
        log = logged[p.indicator]
        assert log == [v for v in attempted if v in log], f"{p.indicator}: the log holds values never posted, or out of order"
        assert stored[p.indicator] == log[-1], f"{p.indicator}: the stored value is not the last one logged"
    assert changes == audited, "a change without its audit event"
