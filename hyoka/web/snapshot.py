"""One consistent view of the database for a read that takes several queries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def snapshot() -> Iterator[None]:
    """A transaction whose queries all see the same committed state.

    On PostgreSQL a repeatable-read, read-only snapshot: a save committed meanwhile is
    wholly in what is read or wholly out of it. Inside a caller's transaction, the
    caller's snapshot is the one read (SQLite's transactions are serializable anyway).
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield
