"""Python's cycle collector in a gunicorn worker: the young objects as usual, the whole heap rarely.

A worker keeps the computed plans it serves (``HYOKA_PLANS_IN_MEMORY``, about 6 MB and tens of
thousands of objects each). Python walks every object it holds each time a quarter more has
survived since its last full walk, which under saves (each renews a plan) came every few seconds:
in bench/web.py (100 plans, 20 clients) a busy worker spent 13–21 s of a 78 s run in 15–18 full
walks of up to 5 s each, and every request of the worker waited behind them. What those walks
freed was the few cycles of requests that outlived the young walks (forms, template contexts),
not the plans, which refer to nothing that refers back. So the whole heap is walked at most once
every ``FULL_EVERY`` seconds, after a response has gone out; the young generations are collected
as Python does.
"""

from __future__ import annotations

import gc
import threading
import time
from typing import Any

from django.core.signals import request_finished

FULL_EVERY = 300.0  # seconds between walks of the whole heap in one worker
NEVER = 1 << 30  # young-generation walks before Python would walk the whole heap itself

_last = time.monotonic()
_walking = threading.Lock()


def install() -> None:
    """Take the full walks out of Python's hands in this process (a worker, not a test run)."""
    young, middle, _old = gc.get_threshold()
    gc.set_threshold(young, middle, NEVER)
    request_finished.connect(collect_when_due, dispatch_uid="hyoka-collector")


def collect_when_due(**_kwargs: Any) -> None:
    """Walk the whole heap once ``FULL_EVERY`` has passed since the last walk (one thread walks, the other goes on)."""
    global _last
    if time.monotonic() - _last < FULL_EVERY or not _walking.acquire(blocking=False):
        return
    try:
        gc.collect()
        _last = time.monotonic()
    finally:
        _walking.release()
