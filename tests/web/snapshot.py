"""What "nothing changed" means for the security tests: every row the web app can write.

A refused request must leave all of it as it was, so the tests compare a digest of every
table the app writes (plans, their values and texts, history, workflow, accounts), not
the one field they aimed at: a write that lands somewhere unexpected is caught as well.
"""

from __future__ import annotations

import hashlib

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Model

from hyoka.web.accounts.models import Department, Organization, User
from hyoka.web.history.models import Change
from hyoka.web.plans import models as m
from hyoka.web.workflow.models import Event, Submission

TABLES: tuple[type[Model], ...] = (
    Organization,
    m.Plan,
    m.RuleSetVersion,
    m.Cycle,
    m.Publication,
    m.Node,
    m.NodeText,
    m.Review,
    m.Indicator,
    m.Series,
    m.Target,
    m.Value,
    Change,
    Submission,
    Event,
    Department,
    Group,
    LogEntry,
)


NAMES = (*(t.__name__ for t in TABLES), "User")


def changed(before: tuple[str, ...], after: tuple[str, ...]) -> set[str]:
    """The tables whose rows differ between two snapshots."""
    return {name for name, a, b in zip(NAMES, before, after, strict=True) if a != b}


def _rows(sql: str) -> str:
    """Every row a query gives, read straight from the database (a test takes two snapshots; through the
    models, turning each cell into its Python value took most of a snapshot's time)."""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()


def snapshot() -> tuple[str, ...]:
    """A digest per table, and the users without their last login (which a refused request may well update)."""
    digests = [_rows(f"SELECT * FROM {t._meta.db_table} ORDER BY {t._meta.pk.column}") for t in TABLES]
    key = User._meta.pk.column
    columns = (key, "username", "password", "role", "organization_id", "department_id", "is_active", "is_staff", "is_superuser")
    users = _rows(f"SELECT {', '.join(columns)} FROM {User._meta.db_table} ORDER BY {key}")
    return (*digests, users)
