"""Writing values, texts and reviews: checked by the core's rules, saved with their history.

Forms and uploads both come through here, so a value typed in the browser and a value
in an uploaded file are accepted or refused alike, and each change is logged with who,
when, old, new and why in the same transaction. Each save asks ``locks.require_writable``
under the plan's lock whether the year may be written at all (a published year only
inside a 訂正, passed as *correction*, which then publishes what changed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from ...core.errors import InputError, Problem
from ...core.model import NodeTexts, Review, Status
from ...core.model import Series as CoreSeries
from ...core.model import Value as CoreValue
from ...core.schema import LONGEST_TEXT
from ...core.values import Kind
from ...formats.hyoka1 import check_unit, plan_from_dict, value_from_dict, yearly_from_dict
from ..accounts.models import User
from ..history.models import ChangeKind
from ..history.record import record
from . import models as m
from .conflicts import answer_token, check, lock_plan, review_token, row_value_token, targets_token, texts_token
from .convert import VALUE_FIELDS, core_plan, document, follow_value, touch
from .locks import Write, require_writable

if TYPE_CHECKING:
    from .publication import Correcting


@dataclass(frozen=True)
class ValueInput:
    """A value as a person entered it: the text, the status chosen, the expected month, a note, why a target was missed."""

    text: str
    status: str = Status.CONFIRMED.value
    expected: str = ""
    note: str = ""
    shortfall: str = ""

    def spec(self) -> dict[str, Any]:
        """The `hyoka/1` value object; 確定 is left to the text, so 「2026年９月頃把握予定」 is pending."""
        spec: dict[str, Any] = {"value": self.text}
        if self.status != Status.CONFIRMED.value:
            spec["status"] = self.status
        if self.expected:
            spec["expected"] = self.expected
        if self.note:
            spec["note"] = self.note
        if self.shortfall:
            spec["shortfall"] = self.shortfall
        return spec


def bounded(place: str, *texts: str) -> None:
    """Every free text a person writes is at most LONGEST_TEXT characters, on every path (forms and uploads come here,
    plan files are held to the same by their reader): one 15 MB answer made the history page 31 MB for everyone."""
    for text in texts:
        if len(text) > LONGEST_TEXT:
            raise InputError.one(
                place,
                f"長すぎます（{len(text):,} 文字。{LONGEST_TEXT:,} 文字まで）",
                f"too long ({len(text)} characters, at most {LONGEST_TEXT})",
                text[:60],
            )


def series_place(indicator_key: str, part: str, year: int) -> str:
    """Where a value lives, written as its path in the plan file."""
    return f"indicators[{indicator_key}]" + (f".parts[{part}]" if part else "") + f".values.{year}"


def core_series(series: m.Series) -> CoreSeries:
    core = core_plan(series.indicator.plan)
    indicator = core.indicator_by_id[series.indicator.key]
    if not series.part:
        return indicator
    return next(p for p in indicator.parts if p.id == series.part)


def check_value(series: m.Series, year: int, entered: ValueInput) -> CoreValue:
    """The value as the core understands it; InputError (with the place) if it cannot be understood."""
    core = core_plan(series.indicator.plan)
    place = series_place(series.indicator.key, series.part, year)
    if not series.part and core.indicator_by_id[series.indicator.key].parts:
        # Stored, it would make the whole plan unreadable (the plan file's rule: values live in the parts).
        raise InputError.one(
            place, "部分（parts）のある指標の値は各部分に書いてください", "an indicator with parts keeps its values in the parts"
        )
    held = core_series(series)
    value = value_from_dict(entered.spec(), place, qualitative=held.qualitative, rules=core.rules)
    check_unit(value, held.unit, f"{place}.value")  # 「12ほげ」 would make the whole plan unreadable too
    return value


def shown(text: str, status: str, expected: str | None) -> str:
    """A value as the history prints it: 「55,260人（確定）」, 「（把握予定 2026-09）」."""
    label = m.ValueStatus(status).label
    extra = f" {expected}" if expected else ""
    return f"{text}（{label}{extra}）" if text else f"（{label}{extra}）"


def value_shown(row: m.Value | None) -> str:
    return "" if row is None else shown(row.text, row.status, row.expected)


# The log keeps its subjects in Japanese whatever the language of the person who made the change.
SERIES_WORDS = {ChangeKind.VALUE: "実績値", ChangeKind.TARGET: "目標値"}


def series_subject(series: m.Series, year: int, kind: ChangeKind) -> str:
    """「1-3-1-k1（小） 2025年度 実績値」: how the change log names a value or a target."""
    return subject_of_series(series.indicator.key, (series.label or series.part) if series.part else "", year, kind)


def subject_of_series(indicator_key: str, part: str, year: int, kind: ChangeKind) -> str:
    """The same from the indicator's key and the part's name ("" for a plain indicator), as pages hold them."""
    return f"{indicator_key}{f'（{part}）' if part else ''} {year}年度 {SERIES_WORDS[kind]}"


def record_series_change(
    series: m.Series,
    year: int,
    kind: ChangeKind,
    user: User | None,
    old: str,
    new: str,
    why: str,
    correction: Correcting | None = None,
    warnings: list[str] | None = None,
) -> None:
    """A value's or a target's change, findable from its indicator (and published with the 訂正 it belongs to),
    with the plausibility warnings the person confirmed."""
    if correction is not None:
        correction.add(series_subject(series, year, kind), old, new, indicator=series.indicator.key)
    record(
        series.indicator.plan,
        user,
        kind,
        series_subject(series, year, kind),
        old=old,
        new=new,
        why=why,
        indicator_key=series.indicator.key,
        node_key=series.indicator.node.key,
        year=year,
        warnings="\n".join(warnings or []),
    )


@transaction.atomic
def save_value(
    series: m.Series,
    year: int,
    entered: ValueInput,
    user: User | None,
    why: str = "",
    *,
    mark_changed: bool = True,
    base: str | None = None,
    warnings: list[str] | None = None,
    correction: Correcting | None = None,
) -> bool:
    """Store one value (a blank 確定 removes it); False when nothing changed.

    A batch (an upload) passes ``mark_changed=False`` and marks the plan changed once at the end.
    *base* is the value's token when the form was rendered (``conflicts``); Conflict if it moved on.
    *warnings* are the plausibility warnings the person confirmed: the change log keeps them.
    """
    bounded(series_place(series.indicator.key, series.part, year), entered.text, entered.note, entered.expected, why)
    plan = series.indicator.plan
    lock_plan(plan)
    require_writable(plan, year, Write.VALUE, correction)
    why = why or (correction.why if correction else "")
    before = plan.revision
    row = m.Value.objects.select_for_update().filter(series=series, year=year).first()
    old = value_shown(row)
    subject = series_subject(series, year, ChangeKind.VALUE)
    check(base, row_value_token(row), plan, subject, old, indicator_key=series.indicator.key, year=year)
    checked = check_value(series, year, entered)
    old_words = (row.note, row.shortfall) if row else ("", "")
    blank = checked.entry.parsed.kind is Kind.EMPTY and checked.status is Status.CONFIRMED
    if blank:
        new = ""
    else:
        new_row = row or m.Value(series=series, year=year)
        new_row.text = checked.entry.text
        new_row.status = checked.status.value
        new_row.expected = checked.expected or ""
        new_row.note = checked.note
        new_row.shortfall = checked.shortfall
        new = value_shown(new_row)
    if old == new and (blank or old_words == (checked.note, checked.shortfall)):
        return False
    if old and not why.strip():
        raise InputError.one(
            series_place(series.indicator.key, series.part, year) + ".why",
            _("入力済みの値を変えるときは変更理由を書いてください"),
            "give a reason when changing a value that was entered",
        )
    if blank:
        if row is not None:
            row.delete()
    else:
        new_row.updated_by = user
        new_row.save()
    record_series_change(series, year, ChangeKind.VALUE, user, old, new, why, correction, warnings)
    if mark_changed:
        touch(plan)
        fields = None if blank else {f: getattr(new_row, f) for f in VALUE_FIELDS}
        follow_value(plan, before, series.indicator.key, series.part, year, fields)
    return True


def target_place(series: m.Series, year: int) -> str:
    return f"indicators[{series.indicator.key}]" + (f".parts[{series.part}]" if series.part else "") + f".targets.{year}"


def _document_with_target(series: m.Series, year: int, text: str) -> dict[str, Any]:
    doc = document(series.indicator.plan)
    indicator = next(i for i in doc["indicators"] if i["id"] == series.indicator.key)
    holder = next(p for p in indicator["parts"] if p["id"] == series.part) if series.part else indicator
    if text:
        holder["targets"][str(year)] = text
    else:
        holder["targets"].pop(str(year), None)
    return doc


@transaction.atomic
def save_target(
    series: m.Series, year: int, text: str, user: User | None, why: str, *, base: str | None = None, correction: Correcting | None = None
) -> bool:
    """Change a target (a plan revision): the whole plan is checked by the core first, and a reason is required.

    *base* is the token of the series' targets when the form was rendered; Conflict if any of them moved on.
    """
    bounded(target_place(series, year), text, why)
    plan = series.indicator.plan
    lock_plan(plan)
    require_writable(plan, year, Write.TARGET, correction)
    why = why or (correction.why if correction else "")
    text = text.strip()
    targets = {t.year: t for t in m.Target.objects.select_for_update().filter(series=series)}
    row = targets.get(year)
    old = row.text if row else ""
    subject = series_subject(series, year, ChangeKind.TARGET)
    check(base, targets_token({y: t.text for y, t in targets.items()}), plan, subject, old, indicator_key=series.indicator.key, year=year)
    if old == text:
        return False
    if not why.strip():
        raise InputError.one(
            target_place(series, year) + ".why", _("目標値を変えるときは変更理由を書いてください"), "give a reason for changing a target"
        )
    try:
        plan_from_dict(_document_with_target(series, year, text))
    except InputError as e:  # the stored plan was valid, so every problem is this target's
        raise InputError([Problem(target_place(series, year), p.message, p.message_en, p.text) for p in e.problems]) from None
    if text:
        m.Target.objects.update_or_create(series=series, year=year, defaults={"text": text})
    elif row is not None:
        row.delete()
    record_series_change(series, year, ChangeKind.TARGET, user, old, text, why, correction)
    touch(plan)
    return True


def lines(text: str) -> list[str]:
    """One bullet per line of a text box; blank lines are not bullets."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def node_subject(node: m.Node, year: int, label: str) -> str:
    """「1-3-1-1 …（主な取組） 2025年度 取組結果」: how the change log names a node's text (always in Japanese)."""
    return f"{node.number} {node.name} {year}年度 {label}"


@transaction.atomic
def save_texts(
    node: m.Node,
    year: int,
    results: list[str],
    issues: list[str],
    user: User | None,
    why: str = "",
    *,
    base: str | None = None,
    correction: Correcting | None = None,
) -> bool:
    """一次評価 texts; *base* is their token when the form was rendered, Conflict if they moved on.

    The texts are checked as a plan file's would be (their length above all), so that the
    stored plan stays readable whatever comes in.
    """
    yearly_from_dict({"results": results, "issues": issues}, NodeTexts, f"nodes[{node.key}].texts.{year}")
    lock_plan(node.plan)
    require_writable(node.plan, year, Write.TEXT, correction)
    why = why or (correction.why if correction else "")
    row = m.NodeText.objects.select_for_update().filter(node=node, year=year).first() or m.NodeText(node=node, year=year)
    stored = "\n".join([*row.results, *row.issues])
    check(base, texts_token(row.results, row.issues), node.plan, node_subject(node, year, "取組結果"), stored, node_key=node.key, year=year)
    changes = [  # the log keeps its subjects in Japanese, whatever the writer's language
        ("取組結果", row.results, results),
        ("課題と方向性", row.issues, issues),
    ]
    changed = [(label, old, new) for label, old, new in changes if old != new]
    if not changed:
        return False
    row.results, row.issues = results, issues
    row.save()
    for label, old, new in changed:
        if correction is not None:
            correction.add(node_subject(node, year, label), "\n".join(old), "\n".join(new), node=node.key)
        record(
            node.plan,
            user,
            ChangeKind.TEXT,
            node_subject(node, year, label),
            old="\n".join(old),
            new="\n".join(new),
            why=why,
            node_key=node.key,
            year=year,
        )
    touch(node.plan)
    return True


def review_shown(grade: str, comments: list[str], answer: str, *, answering: bool) -> str:
    """A review as the history prints it: the answer alone, or the grade over its comments."""
    return answer if answering else "\n".join([grade, *comments]).strip()


@transaction.atomic
def save_review(
    node: m.Node,
    year: int,
    user: User,
    *,
    grade: str | None = None,
    comments: list[str] | None = None,
    answer: str | None = None,
    base: str | None = None,
    correction: Correcting | None = None,
) -> bool:
    """二次評価 (grade and comments, by the council) or the department's answer to it.

    *base* is the token of what the form edits (the review, or the answer) when it was rendered.
    """
    answering = answer is not None
    bounded(f"nodes[{node.key}].reviews.{year}", grade or "", *(comments or []), answer or "")
    lock_plan(node.plan)
    require_writable(node.plan, year, Write.ANSWER if answering else Write.REVIEW, correction)
    row = m.Review.objects.select_for_update().filter(node=node, year=year).first() or m.Review(node=node, year=year)
    before = (row.grade, list(row.comments), row.answer)
    label = "所管の対応" if answering else "二次評価"
    current = answer_token(row.answer) if answering else review_token(row.grade, row.comments)
    old = review_shown(*before, answering=answering)
    check(base, current, node.plan, node_subject(node, year, label), old, node_key=node.key, year=year)
    if grade is not None:
        row.grade = grade
    if comments is not None:
        row.comments = comments
    if answer is not None:
        row.answer = answer
    after = (row.grade, list(row.comments), row.answer)
    if before == after:
        return False
    yearly_from_dict({"grade": row.grade, "comments": row.comments, "answer": row.answer}, Review, f"nodes[{node.key}].reviews.{year}")
    row.save()
    new = review_shown(*after, answering=answering)
    if correction is not None:
        correction.add(node_subject(node, year, label), old, new, node=node.key)
    record(
        node.plan,
        user,
        ChangeKind.ANSWER if answering else ChangeKind.REVIEW,
        node_subject(node, year, label),
        old=old,
        new=new,
        why=correction.why if correction else "",
        node_key=node.key,
        year=year,
    )
    touch(node.plan)
    return True
