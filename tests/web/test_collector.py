"""The cycle collector of a gunicorn worker (hyoka.web.collector): the young generations as Python
collects them, the whole heap only once ``FULL_EVERY`` has passed, after a response. The receiver is
called here as Django's ``request_finished`` would call it (the signal's other receivers close the
database connections, which these tests do not open)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from django.core.signals import request_finished

from hyoka.web import collector


@pytest.fixture
def walks() -> Iterator[list[int]]:
    """The generation of every collection while the test runs, in a worker's setting, restored afterwards."""
    seen: list[int] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    threshold = gc.get_threshold()
    collector.install()
    gc.callbacks.append(record)
    try:
        yield seen
    finally:
        gc.callbacks.remove(record)
        gc.set_threshold(*threshold)
        request_finished.disconnect(dispatch_uid="hyoka-collector")


def _cycles(count: int) -> None:
    for _ in range(count):
        a: list[object] = []
        a.append(a)


def test_python_collects_the_young_objects_but_never_walks_the_whole_heap_itself(walks):
    _cycles(200_000)  # thousands of young collections' worth; Python would walk everything every tenth
    assert walks and set(walks) <= {0, 1}
    assert walks.count(1) > 10


def test_install_connects_the_walk_to_finished_requests(walks):
    assert request_finished.disconnect(dispatch_uid="hyoka-collector")  # install() connected it


def test_the_whole_heap_is_walked_once_it_is_due(walks, monkeypatch):
    monkeypatch.setattr(collector, "_last", collector._last)  # restored after the test
    collector.collect_when_due()
    assert 2 not in walks  # a worker just started: not due
    collector._last -= collector.FULL_EVERY
    collector.collect_when_due()
    assert walks.count(2) == 1
    collector.collect_when_due()
    assert walks.count(2) == 1  # the next is due FULL_EVERY after this one
