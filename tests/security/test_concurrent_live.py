"""People editing at the same moment on a real server: one save wins, the other gets a conflict; nothing is lost.

gunicorn (two worker processes, two threads each) serves a real PostgreSQL database, and
each person is an HTTP client with their own session. The clients load the edit form,
wait at a barrier and post at the same instant, so the saves really race in two
processes; the plan's row lock and the form's ``base`` token must turn the race into one
acknowledged save and one 409 conflict page, and the history must agree with what is stored.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import psycopg
import pytest
import requests
from live import Browser, Server, backend_waiting_on_a_lock, fresh_database, seed, serving, stored_value
from seed import PASSWORD, PLAN, YEAR
from web.webforms import Form, form

pytestmark = pytest.mark.slow

ROUNDS = 20
CLOSE_ROUNDS = 12
CLOSE_DELAYS = (0.0, 0.05, 0.1, 0.15)  # a department save takes longer to reach the lock than the close: both orders happen


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Server]]:
    data_dir = tmp_path_factory.mktemp("live")
    with fresh_database("live_edits") as url:
        seed(url, data_dir)
        with serving(url, data_dir, workers=2, threads=2) as server:
            yield url, server


def _page(indicator: str) -> str:
    return f"/plans/140007/{PLAN}/indicators/{indicator}/?year={YEAR}"


def _value_form(browser: Browser, indicator: str) -> Form:
    """The value form of *indicator* as the page renders it now (with the ``base`` token of what is stored)."""
    response = browser.get(browser.base + _page(indicator), timeout=30)
    assert response.status_code == 200, response.status_code
    return form(response.text, "/value/")


def _post(browser: Browser, f: Form, **changes: str) -> requests.Response:
    """The form as a person submits it, the plausibility warnings of these made-up figures confirmed."""
    return browser.submit(f.action, {**f.fields, "confirm": "on", **changes})


def _at_once(*calls: Callable[[], requests.Response]) -> list[requests.Response]:
    """Run the calls in threads released together by a barrier: the requests leave within microseconds of each other."""
    barrier = threading.Barrier(len(calls))

    def go(call: Callable[[], requests.Response]) -> requests.Response:
        barrier.wait(timeout=30)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(go, calls))


def _later(seconds: float, call: Callable[[], requests.Response]) -> requests.Response:
    time.sleep(seconds)
    return call()


def _stored(url: str, indicator: str) -> str | None:
    return stored_value(url, PLAN, indicator, YEAR)


def _history(url: str, subject: str) -> list[tuple[str, str, str]]:
    """(old, new, username) of every change of *subject*, oldest first."""
    with psycopg.connect(url) as db:
        return db.execute(
            "SELECT c.old, c.new, u.username FROM history_change c JOIN plans_plan p ON c.plan_id = p.id "
            "LEFT JOIN accounts_user u ON c.user_id = u.id WHERE p.key = %s AND c.subject = %s ORDER BY c.id",
            [PLAN, subject],
        ).fetchall()


def _confirmed(text: str) -> str:
    return f"{text}（確定）"


def test_two_people_saving_one_value_at_the_same_moment(live: tuple[str, Server]) -> None:
    url, server = live
    indicator, subject = "1-3-1-k1", f"1-3-1-k1 {YEAR}年度 実績値"
    people = {"sangyo": Browser(server.base).login("sangyo", PASSWORD), "planner": Browser(server.base).login("planner", PASSWORD)}
    wins: Counter[str] = Counter()
    for n in range(ROUNDS):
        forms = {name: _value_form(b, indicator) for name, b in people.items()}
        assert forms["sangyo"].fields["base"] == forms["planner"].fields["base"]  # both typed over the same stored state
        typed = {"sangyo": f"{60 + n}.1", "planner": f"{60 + n}.2"}
        history_before = _history(url, subject)
        answers = dict(
            zip(
                people,
                _at_once(*(partial(_post, people[name], forms[name], value=typed[name], why=f"round {n}") for name in people)),
                strict=True,
            )
        )
        codes = {name: r.status_code for name, r in answers.items()}
        assert sorted(codes.values()) == [302, 409], f"round {n}: {codes}"
        winner = next(name for name, code in codes.items() if code == 302)
        loser = next(name for name in people if name != winner)
        wins[winner] += 1
        stored_before = history_before[-1][1] if history_before else ""
        assert _stored(url, indicator) == typed[winner]
        assert _history(url, subject) == [*history_before, (stored_before, _confirmed(typed[winner]), winner)]
        page = answers[loser].text
        assert _confirmed(typed[winner]) in page and _confirmed(typed[loser]) in page and winner in page

        # The loser chooses their own value on the conflict page: posted knowingly, it replaces the winner's.
        resolution = form(page, "/value/")
        assert resolution.fields["value"] == typed[loser]
        assert _post(people[loser], resolution, why=f"round {n}: keep mine").status_code == 302
        assert _stored(url, indicator) == typed[loser]
        assert _history(url, subject)[len(history_before) + 1 :] == [(_confirmed(typed[winner]), _confirmed(typed[loser]), loser)]
    print(
        f"{ROUNDS} rounds of two people (sangyo, planner) saving 1-3-1-k1 at the same instant through 2 gunicorn workers: "
        f"every round one 302 and one 409 (won: {dict(wins)}); the stored value was the acknowledged one with exactly one "
        "history row, and the loser's resolution from the conflict page replaced it with one more row"
    )


def test_many_people_saving_different_values_at_once(live: tuple[str, Server]) -> None:
    """Every writer of a plan queues on the plan's row lock: slower, never lost, and never a false conflict."""
    url, server = live
    indicators = ["1-1-1-k1", "1-1-1-k2", "1-1-1-k3", "1-1-2-k1", "1-2-1-k1", "1-3-2-k1"]
    saves_each = 3
    users = ["planner", "admin"]
    people = [Browser(server.base).login(users[i % 2], PASSWORD) for i in range(len(indicators))]
    with psycopg.connect(url) as db:
        changes_before = db.execute("SELECT count(*) FROM history_change").fetchone()[0]
    barrier = threading.Barrier(len(people))

    def work(i: int) -> list[tuple[str, int]]:
        browser, indicator = people[i], indicators[i]
        barrier.wait(timeout=30)
        outcomes = []
        for n in range(saves_each):
            f = _value_form(browser, indicator)
            response = _post(browser, f, value=f"{1000 + 10 * i + n}", why=f"save {n}")
            outcomes.append((f"{1000 + 10 * i + n}", response.status_code))
        return outcomes

    started = time.monotonic()
    with ThreadPoolExecutor(len(people)) as pool:
        results = list(pool.map(work, range(len(people))))
    took = time.monotonic() - started
    codes = Counter(code for outcomes in results for _v, code in outcomes)
    print(
        f"{len(people)} people each saved {saves_each} values of their own indicator of one plan at once "
        f"({len(people) * saves_each} saves in {took:.1f} s): answers {dict(codes)}"
    )
    assert codes == {302: len(people) * saves_each}
    for i, indicator in enumerate(indicators):
        saved = [v for v, _code in results[i]]
        assert _stored(url, indicator) == saved[-1]
        news = [new for _old, new, _user in _history(url, f"{indicator} {YEAR}年度 実績値")]
        assert news[-saves_each:] == [_confirmed(v) for v in saved], indicator
    with psycopg.connect(url) as db:
        assert db.execute("SELECT count(*) FROM history_change").fetchone()[0] == changes_before + len(people) * saves_each
    print(f"every save was acknowledged, every indicator holds its last save, and each has its {saves_each} history rows in order")


def _events(url: str, since: int) -> list[tuple[int, str, str, str]]:
    """(id, kind, subject, new) of the plan's changes after the change *since*."""
    with psycopg.connect(url) as db:
        return db.execute(
            "SELECT c.id, c.kind, c.subject, c.new FROM history_change c JOIN plans_plan p ON c.plan_id = p.id "
            "WHERE p.key = %s AND c.id > %s ORDER BY c.id",
            [PLAN, since],
        ).fetchall()


def _last_change(url: str) -> int:
    with psycopg.connect(url) as db:
        return db.execute("SELECT coalesce(max(id), 0) FROM history_change").fetchone()[0]


def _audited_changes(url: str) -> int:
    with psycopg.connect(url) as db:
        return db.execute("SELECT count(*) FROM audit_auditevent WHERE kind = 'change'").fetchone()[0]


def _cycle_status(url: str) -> str:
    with psycopg.connect(url) as db:
        return db.execute(
            "SELECT c.status FROM plans_cycle c JOIN plans_plan p ON c.plan_id = p.id WHERE p.key = %s AND c.year = %s", [PLAN, YEAR]
        ).fetchone()[0]


def test_the_yearly_close_racing_a_department_save(live: tuple[str, Server]) -> None:
    """The save lands before the close, or is refused after it; a department never writes into a closed year."""
    url, server = live
    indicator, subject = "1-3-1-k2", f"1-3-1-k2 {YEAR}年度 実績値"
    sangyo, planner = Browser(server.base).login("sangyo", PASSWORD), Browser(server.base).login("planner", PASSWORD)
    close, reopen = f"/plans/140007/{PLAN}/cycles/close/", f"/plans/140007/{PLAN}/cycles/open/"
    order: Counter[str] = Counter()
    for n in range(CLOSE_ROUNDS):
        assert _cycle_status(url) == "open"
        f = _value_form(sangyo, indicator)
        since = _last_change(url)
        before = _stored(url, indicator)
        typed = f"{70 + n}.5"
        save, closed = _at_once(
            partial(_post, sangyo, f, value=typed, why=f"race {n}"),
            partial(_later, CLOSE_DELAYS[n % len(CLOSE_DELAYS)], partial(planner.submit, close, {"year": YEAR})),
        )
        assert closed.status_code == 302 and _cycle_status(url) == "closed"
        events = [(kind, subj, new) for _id, kind, subj, new in _events(url, since)]
        close_event = ("cycle", f"{YEAR}年度 評価サイクル", "締切")
        if save.status_code == 302:
            order["save, then close"] += 1
            assert _stored(url, indicator) == typed
            assert events == [("value", subject, _confirmed(typed)), close_event], events
        else:
            order["close, then refused save"] += 1
            assert save.status_code == 403, save.status_code
            assert _stored(url, indicator) == before
            assert events == [close_event], events
        # After the close the page shows the department no form, and the one it still has open is refused.
        assert "/value/" not in sangyo.get(server.base + _page(indicator), timeout=30).text
        assert _post(sangyo, f, value="1.0", why="late").status_code == 403
        assert _stored(url, indicator) == (typed if save.status_code == 302 else before)
        assert planner.submit(reopen, {"year": YEAR, "due": "2026-05-29"}).status_code == 302
    # The manager path: a planner may still correct a closed year, with its history.
    assert planner.submit(close, {"year": YEAR}).status_code == 302
    since = _last_change(url)
    assert _post(planner, _value_form(planner, indicator), value="99.9", why="締切後の訂正").status_code == 302
    assert _stored(url, indicator) == "99.9" and [e[1:] for e in _events(url, since)] == [("value", subject, _confirmed("99.9"))]
    assert planner.submit(reopen, {"year": YEAR, "due": "2026-05-29"}).status_code == 302
    print(
        f"{CLOSE_ROUNDS} rounds of a department save racing the yearly close (the close sent 0 to 150 ms later): {dict(order)}; never a department value after the close; "
        "a late department save was refused (403) each time, and a planner's correction of the closed year was kept with its history"
    )


def test_the_yearly_close_interrupted_half_way_leaves_the_year_open(live: tuple[str, Server]) -> None:
    """The close writes the cycle, its change and its audit event in one transaction: cut in the middle, none of them stays."""
    url, server = live
    planner = Browser(server.base).login("planner", PASSWORD)
    assert _cycle_status(url) == "open"
    since, audited = _last_change(url), _audited_changes(url)
    outcome: list[Any] = []
    holder = psycopg.connect(url)
    holder.execute("LOCK TABLE history_change IN SHARE MODE")  # the close has updated its cycle row and now waits to log it
    thread = threading.Thread(
        target=lambda: outcome.append(planner.submit(f"/plans/140007/{PLAN}/cycles/close/", {"year": YEAR})), daemon=True
    )
    thread.start()
    try:
        pid = backend_waiting_on_a_lock(url, wrote="plans_cycle")
        with psycopg.connect(url, autocommit=True) as db:
            db.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        holder.rollback()
        holder.close()
    thread.join(timeout=30)
    assert not thread.is_alive()
    answer = outcome[0].status_code
    assert "データベースに接続できません" in outcome[0].text and outcome[0].headers["Retry-After"]
    status, events = _cycle_status(url), _events(url, since)
    print(
        f"the close's connection killed after it updated the cycle, before it logged it: HTTP {answer}; cycle {status}; {len(events)} changes"
    )
    assert answer == 503 and status == "open" and events == [] and _audited_changes(url) == audited
    assert planner.submit(f"/plans/140007/{PLAN}/cycles/close/", {"year": YEAR}).status_code == 302  # the same server, a new connection
    assert _cycle_status(url) == "closed" and [e[1] for e in _events(url, since)] == ["cycle"] and _audited_changes(url) == audited + 1
    assert planner.submit(f"/plans/140007/{PLAN}/cycles/open/", {"year": YEAR, "due": "2026-05-29"}).status_code == 302
    print("closed again on the same server without a restart: cycle closed with one change")
