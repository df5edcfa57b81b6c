"""公表, 公表取消 and 訂正: how a year becomes a public record and how that record changes.

A year is published by a planner once its cycle is closed: its values, texts and the
council's review go to `/public/`, the API and the open data (``site.published``). From
then on the year is read-only on every write path (``locks``); a change is a 訂正, made
by a planner with its reason, which the public pages, the report and the API print
with its date and old → new, as governments publish 【訂正版】. Withdrawing a
publication (公表取消) needs a reason too. Every one of these steps is a ``Publication``
row with the published copy as it stood after it, so every revision can be read back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from ...core.errors import InputError
from ...core.model import Corrected, Correction
from ...core.summary import ALL, summarize
from ...formats.hyoka1 import correction_to_dict, plan_to_dict
from ...site.published import published_plan
from ..accounts.models import User
from ..history.models import ChangeKind
from ..history.record import record
from ..workflow.models import Submission, SubmissionStatus
from ..workflow.work import Work, all_work
from . import models as m
from .conflicts import writing
from .convert import core_plan, evaluation, touch
from .locks import YearLocked


@dataclass
class Readiness:
    """What publishing *year* would make public, and what is not finished (the confirmation page)."""

    year: int
    work: list[Work]
    not_accepted: list[str]  # departments whose submission is not accepted
    grades: list[tuple[str, list[tuple[str, int]]]]  # per graded level: (label, count)
    judgements: list[tuple[str, int]]
    indicators: int
    nodes: int

    @property
    def missing_values(self) -> int:
        return sum(w.missing_values for w in self.work)

    @property
    def missing_texts(self) -> int:
        return sum(w.missing_texts for w in self.work)

    @property
    def complete(self) -> bool:
        return not self.not_accepted and not self.missing_values and not self.missing_texts


def readiness(plan: m.Plan, year: int) -> Readiness:
    ev = evaluation(plan, year)
    core = ev.plan
    work = all_work(core, year)
    accepted = set(
        Submission.objects.filter(plan=plan, year=year, status=SubmissionStatus.ACCEPTED).values_list("department__name", flat=True)
    )
    s = summarize(ev)
    grades = [(level, [(label, per[ALL].counts.get(label, 0)) for label in per[ALL].labels]) for level, per in s.grades.items()]
    judgements = list(s.judgements[ALL].counts.items()) if s.judgements else []
    return Readiness(
        year=year,
        work=work,
        not_accepted=[w.department for w in work if w.department not in accepted],
        grades=grades,
        judgements=judgements,
        indicators=len(core.indicators),
        nodes=len(core.nodes),
    )


def _cycle(plan: m.Plan, year: int) -> m.Cycle:
    cycle = m.Cycle.objects.select_for_update().filter(plan=plan, year=year).first()
    if cycle is None:
        raise YearLocked(f"{plan.key}:{year}", f"{year}年度の評価サイクルはありません", f"{year} has no evaluation cycle")
    return cycle


def _revision(cycle: m.Cycle, kind: str, user: User | None, reason: str, on: date) -> m.Publication:
    """File the revision with the published copy as it is now (after the change, inside its transaction)."""
    plan = cycle.plan
    snapshot = plan_to_dict(published_plan(core_plan(plan))) if cycle.is_published else {}
    number = (cycle.publications.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return m.Publication.objects.create(cycle=cycle, number=number, kind=kind, on=on, by=user, reason=reason, snapshot=snapshot)


def publish(plan: m.Plan, year: int, user: User, reason: str = "") -> m.Publication:
    """Make *year* public; its cycle must be closed, and an unfinished year needs a reason."""
    reason = reason.strip()
    with writing(plan):
        cycle = _cycle(plan, year)
        if cycle.status != m.CycleStatus.CLOSED:
            raise YearLocked(
                f"{plan.key}:{year}",
                f"{year}年度は締め切った後に公表できます（いまは{cycle.get_status_display()}）",
                f"{year} can be published once its cycle is closed",
            )
        ready = readiness(plan, year)
        if not ready.complete and not reason:
            raise InputError.one(
                "reason",
                "未承認の担当や未入力の値があります。公表する理由を書いてください",
                "some departments are not accepted or values are missing: give the reason for publishing now",
            )
        today = timezone.localdate()
        old = cycle.get_status_display()
        cycle.status = m.CycleStatus.PUBLISHED
        cycle.published = today.isoformat()
        cycle.corrections = []
        cycle.save()
        touch(plan)
        record(plan, user, ChangeKind.PUBLICATION, f"{year}年度 公表", old=old, new=f"公表済み {cycle.published}", why=reason, year=year)
        return _revision(cycle, m.PublicationKind.PUBLISHED, user, reason, today)


def withdraw(plan: m.Plan, year: int, user: User, reason: str) -> m.Publication:
    """Take *year* off the public site (公表取消): it goes back to closed; the revisions stay in the history."""
    reason = reason.strip()
    if not reason:
        raise InputError.one("reason", "公表を取り消す理由を書いてください", "give the reason for withdrawing the publication")
    with writing(plan):
        cycle = _cycle(plan, year)
        if not cycle.is_published:
            raise YearLocked(f"{plan.key}:{year}", f"{year}年度は公表されていません", f"{year} is not published")
        cycle.status = m.CycleStatus.CLOSED
        cycle.published = ""
        cycle.corrections = []
        cycle.save()
        touch(plan)
        record(
            plan,
            user,
            ChangeKind.PUBLICATION,
            f"{year}年度 公表取消",
            old="公表済み",
            new=cycle.get_status_display(),
            why=reason,
            year=year,
        )
        return _revision(cycle, m.PublicationKind.WITHDRAWN, user, reason, timezone.localdate())


@dataclass
class Correcting:
    """A 訂正 being made: the save functions of ``entry`` add what they change to it."""

    plan: m.Plan
    year: int
    user: User | None
    reason: str
    changes: list[Corrected] = field(default_factory=list)

    @property
    def why(self) -> str:
        """What the change log keeps as the reason of each change."""
        return f"訂正: {self.reason}"

    def add(self, subject: str, old: str, new: str, *, indicator: str = "", node: str = "") -> None:
        self.changes.append(Corrected(subject, old, new, indicator, node))


@contextmanager
def correcting(plan: m.Plan, year: int, user: User | None, reason: str) -> Iterator[Correcting]:
    """Change a published year as a 訂正: writes inside the block are allowed and, at its end,
    published as one new revision with today's date, the reason and each old → new.

    Planners only (``user`` None is the command line, run by whoever runs the installation).
    Nothing changed is no correction: no revision is made.
    """
    reason = reason.strip()
    if user is not None and not user.is_planner:
        raise YearLocked(f"{plan.key}:{year}", "訂正できるのは企画担当です", "only planners make corrections")
    if not reason:
        raise InputError.one("reason", "訂正の理由を書いてください", "give the reason for the correction")
    with writing(plan):
        cycle = _cycle(plan, year)
        if not cycle.is_published:
            raise YearLocked(f"{plan.key}:{year}", f"{year}年度は公表されていません（訂正は公表済みの年度に）", f"{year} is not published")
        correction = Correcting(plan, year, user, reason)
        yield correction
        if not correction.changes:
            return
        today = timezone.localdate()
        cycle.corrections = [*cycle.corrections, correction_to_dict(Correction(today.isoformat(), reason, correction.changes))]
        cycle.save()
        touch(plan)
        subjects = "\n".join(f"{c.subject}: {c.old} → {c.new}" for c in correction.changes)
        record(plan, user, ChangeKind.CORRECTION, f"{year}年度 訂正", new=subjects, why=reason, year=year)
        _revision(cycle, m.PublicationKind.CORRECTED, user, reason, today)
