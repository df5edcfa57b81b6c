"""A token bucket per client address, kept in the database: fair use of a public API.

Each address may send ``HYOKA_API_BURST`` requests at once and then
``HYOKA_API_RATE_PER_MINUTE`` a minute; past that it gets 429 with Retry-After. The
address is REMOTE_ADDR: behind a proxy, the proxy must set it (gunicorn's
--forwarded-allow-ips), because a client could write any X-Forwarded-For.

The bucket is a row taken under its lock, so every worker process and server counts
together whatever cache is configured: kept in each worker's memory, three workers
had allowed 189 requests before the first 429 instead of 60. A new address's bucket is
made after dropping the buckets of addresses quiet for longer than a full refill (they would
start full again anyway): the table holds only recent addresses, and a known client's request
costs the same queries every time (a random sweep once made a query count in the tests vary).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from .models import Bucket

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
    address = (request.META.get("REMOTE_ADDR") or "")[:64]
    now = time.time()
    with transaction.atomic():
        bucket = Bucket.objects.select_for_update().filter(address=address).first()
        if bucket is None:
            Bucket.objects.filter(stamp__lt=now - burst / rate - 60).delete()
            Bucket.objects.bulk_create([Bucket(address=address, tokens=float(burst), stamp=now)], ignore_conflicts=True)
            bucket = Bucket.objects.select_for_update().get(address=address)  # made here, or by a request beside this one
        tokens = min(float(burst), bucket.tokens + max(0.0, now - bucket.stamp) * rate)
        allowed = tokens >= 1
        bucket.tokens, bucket.stamp = (tokens - 1 if allowed else tokens), now
        bucket.save(update_fields=["tokens", "stamp"])
    if not allowed:
        return Verdict(False, 0, max(1, math.ceil((1 - tokens) / rate)), burst)
    return Verdict(True, int(tokens - 1), 0, burst)
