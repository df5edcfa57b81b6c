"""Optimistic locking: a save names the state it was typed over, and is refused if that state moved on.

Two people can open the same form; without this the second save would silently replace
the first. Every edit form carries ``base``, a token of what was stored when the form was
rendered; the save compares it, under the plan's row lock, with the token of what is
stored now, and raises ``Conflict`` (shown as a page with both versions) when they differ.

The token is a stamp of the stored content (``core.stamps``, the same as a downloaded
workbook's rows carry), not a version counter: an edit that ends where it started
(A → B → A) is no conflict, since the person's form still shows what is stored. What is
empty has the empty token, so a form rendered over nothing may post an empty ``base``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction

from ...core.model import Value as CoreValue
from ...core.stamps import stamp
from ..history.models import Change
from . import models as m


def value_token(text: str, status: str, expected: str | None, note: str, shortfall: str) -> str:
    """A value as the form edits it: text, status (確定 being no status), expected month, note, reason for 未達成."""
    return stamp(text, "" if status == m.ValueStatus.CONFIRMED else status, expected or "", note, shortfall)


def row_value_token(row: m.Value | None) -> str:
    return "" if row is None else value_token(row.text, row.status, row.expected, row.note, row.shortfall)


def core_value_token(value: CoreValue | None) -> str:
    """The token of a value as a page shows it (from the core plan), equal to its stored row's."""
    return "" if value is None else value_token(value.entry.text, value.status.value, value.expected, value.note, value.shortfall)


def targets_token(targets: dict[int, str]) -> str:
    """All targets of a series: the target form lets one pick any year, so any of them moving is a conflict."""
    return stamp(sorted(targets.items()))


def texts_token(results: list[str], issues: list[str]) -> str:
    return stamp(list(results), list(issues))


def review_token(grade: str, comments: list[str]) -> str:
    return stamp(grade, list(comments))


def answer_token(answer: str) -> str:
    return stamp(answer)


@dataclass
class Conflict(Exception):
    """The stored state is not the one the person's form was rendered from."""

    subject: str  # 「1-3-1-k1 2025年度 実績値」, as the change log names it
    stored: str  # what is stored now, as the history prints it
    token: str  # the token of what is stored now: posting it again overwrites knowingly
    latest: Change | None  # who changed it last, and when

    def __post_init__(self) -> None:
        super().__init__(self.subject)


def check(base: str | None, current: str, plan: m.Plan, subject: str, stored: str, **where: object) -> None:
    """Refuse the save when *base* is not *current*.

    A web form posted without its ``base`` is taken as rendered over nothing (""), so it conflicts with
    anything stored: no save skips the check by leaving the field out. None is for writers that
    render no form (uploads and the command line check the plan's revision instead).

    *where* narrows the change log (indicator_key, node_key, year) to find who changed the subject last.
    """
    if base is not None and base != current:
        latest = Change.objects.filter(plan=plan, subject=subject, **where).select_related("user").first()
        raise Conflict(subject, stored, current, latest)


def lock_plan(plan: m.Plan) -> None:
    """Take the plan's row lock and refresh its revision; every write takes it first, so writers never deadlock.

    Writes renew the plan's revision (``touch``) anyway, which takes this lock at the end;
    taking it at the start instead puts every writer of a plan in one queue, so a check made
    after it (is the cycle still open? has the plan moved on since a preview?) stays true
    until the commit. On SQLite, which has no row locks, writers are serialized by the file lock.
    """
    plan.revision = m.Plan.objects.select_for_update().values_list("revision", flat=True).get(pk=plan.pk)


@contextmanager
def writing(plan: m.Plan) -> Iterator[m.Plan]:
    """A transaction holding the plan's lock: permission checks and the write inside it see one state."""
    with transaction.atomic():
        lock_plan(plan)
        yield plan
