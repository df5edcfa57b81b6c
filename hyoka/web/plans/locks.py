"""When a year of a plan may be written at all: the one check every write path makes.

Permissions (``accounts.access``) say *who* may write *what*; this says *when*, for
everyone alike, planners and administrators included:

- a published year is a record (SPEC 2.5): its values, targets, texts, 二次評価 and
  answers change only inside a 訂正 (``publication.correcting``), which publishes the
  change with its date and reason;
- the council's 二次評価 and the departments' answers to it have their window: from
  the close of the year's cycle to its publication (SPEC 2.4), never for a year
  without a cycle.

The save functions of ``entry`` call ``require_writable`` under the plan's row lock,
so the forms, the workbook and `hyoka/1` uploads and `hyoka import --db` are all held
by the same rule, checked against the state that the write commits over.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils import translation

from ...core.errors import InputError, Problem
from . import models as m

if TYPE_CHECKING:
    from .publication import Correcting


class Write(Enum):
    VALUE = "value"
    TARGET = "target"
    TEXT = "text"
    REVIEW = "review"
    ANSWER = "answer"


COUNCIL = (Write.REVIEW, Write.ANSWER)


class YearLocked(PermissionDenied):
    """A write the year's state does not allow; a web request gets 403, the command line exit 2."""

    def __init__(self, place: str, message: str, message_en: str) -> None:
        super().__init__(message)
        self.problem = Problem(place, message, message_en)

    def as_input_error(self) -> InputError:
        return InputError([self.problem])


def year_state(plan: m.Plan, year: int) -> str:
    """The status of *year*'s cycle ("" when the year has none), as stored now."""
    return m.Cycle.objects.filter(plan=plan, year=year).values_list("status", flat=True).first() or ""


def require_writable(plan: m.Plan, year: int, what: Write, correction: Correcting | None = None) -> None:
    """Raise YearLocked unless *what* of *year* may be written now (the caller holds the plan's lock)."""
    state = year_state(plan, year)
    place = f"{plan.key}:{year}"
    if state == m.CycleStatus.PUBLISHED:
        if correction is None or correction.year != year or correction.plan.pk != plan.pk:
            raise YearLocked(
                place,
                f"{year}年度は公表済みです。変更は企画担当の訂正（理由つき）としてだけできます",
                f"{year} is published: it changes only through a correction, with its reason, by a planner",
            )
        return
    if what in COUNCIL and state != m.CycleStatus.CLOSED:
        raise YearLocked(
            place,
            f"二次評価と所管の対応は、評価サイクルの締切後から公表までの間に書けます（{year}年度: {_state_label(state)}）",
            f"the council's review and the answers are written between the close of the cycle and its publication ({year}: {state or 'no cycle'})",
        )


def _state_label(state: str) -> str:
    with translation.override("ja"):
        return str(m.CycleStatus(state).label) if state else "評価サイクルなし"


def council_open(plan: m.Plan, year: int) -> bool:
    """Whether 二次評価 and answers may be written for *year* (pages offer the forms only then)."""
    return year_state(plan, year) == m.CycleStatus.CLOSED


def published_years(plan: m.Plan) -> set[int]:
    return set(m.Cycle.objects.filter(plan=plan, status=m.CycleStatus.PUBLISHED).values_list("year", flat=True))
