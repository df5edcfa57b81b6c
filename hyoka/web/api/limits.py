"""A token bucket per client address, kept in Django's cache: fair use of a public API.

Each address may send ``HYOKA_API_BURST`` requests at once and then
``HYOKA_API_RATE_PER_MINUTE`` a minute; past that it gets 429 with Retry-After. The
address is REMOTE_ADDR: behind a proxy, the proxy must set it (gunicorn's
--forwarded-allow-ips), because a client could write any X-Forwarded-For. With several
worker processes, configure a shared cache so that they count together.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

RATE_PER_MINUTE = 120
BURST = 60


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    remaining: int
    retry_after: int  # seconds until one more request is allowed (0 when allowed)
    limit: int


def take(request: HttpRequest) -> Verdict:
    """Spend one token of the client's bucket, if it has one."""
    rate = getattr(settings, "HYOKA_API_RATE_PER_MINUTE", RATE_PER_MINUTE) / 60
    burst = getattr(settings, "HYOKA_API_BURST", BURST)
    key = f"hyoka-api-rate:{request.META.get('REMOTE_ADDR', '')}"
    now = time.time()
    tokens, stamp = cache.get(key, (float(burst), now))
    tokens = min(float(burst), tokens + (now - stamp) * rate)
    if tokens < 1:
        cache.set(key, (tokens, now), timeout=int(burst / rate) + 60)
        return Verdict(False, 0, max(1, math.ceil((1 - tokens) / rate)), burst)
    tokens -= 1
    cache.set(key, (tokens, now), timeout=int(burst / rate) + 60)
    return Verdict(True, int(tokens), 0, burst)
