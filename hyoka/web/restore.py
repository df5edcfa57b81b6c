"""`hyoka restore`: a ``hyoka-backup/1`` file into an empty database, all of it or nothing.

Every plan goes through the core (``plan_from_dict``) and ``store_plan`` like any import,
so a damaged or hand-edited backup is refused with the place of the problem rather than
stored half-right; the records beside the plans are checked field by field the same way.
Timestamps are written as they were: the change log keeps its dates, not the restore's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import DatabaseError, transaction
from django.db.models import Count

from ..core.errors import InputError, Problem
from ..formats.hyoka1 import parse_json, plan_from_dict, valid_organization_code
from .accounts.models import Department, Organization, Role, User
from .audit.models import AuditEvent, EventKind
from .audit.record import log_event
from .backup import FORMAT, plan_name
from .history.models import Change, ChangeKind
from .plans import models as m
from .plans.convert import store_plan
from .workflow.models import Event, EventAction, Submission, SubmissionStatus

FORMAT_1 = "hyoka-backup/1"  # from before organizations: still read
OPTIONAL = object()  # a field that may be null


@dataclass(frozen=True)
class Restored:
    plans: int
    changes: int
    users: int
    audit: int


class _Reader:
    """Field-by-field checks that name the JSON path of each problem, like the `hyoka/1` reader."""

    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, path: str, message: str, message_en: str, value: Any = None) -> InputError:
        shown = None if value is None else str(value)[:60]
        return InputError([Problem(f"{self.where}:{path}", message, message_en, shown)])

    def obj(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, "オブジェクトではありません", "not an object")
        return value

    def items(self, obj: dict[str, Any], key: str, path: str) -> list[tuple[str, dict[str, Any]]]:
        value = obj.get(key, [])
        if not isinstance(value, list):
            raise self.fail(f"{path}.{key}", "配列ではありません", "not an array")
        return [(f"{path}.{key}[{i}]", self.obj(v, f"{path}.{key}[{i}]")) for i, v in enumerate(value)]

    def field(
        self, obj: dict[str, Any], key: str, path: str, kind: type | tuple[type, ...], *, null: bool = False, choices: Any = None
    ) -> Any:
        value = obj.get(key)
        if value is None and null:
            return None
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            raise self.fail(f"{path}.{key}", "値がないか、型が違います", "missing or of the wrong type", value)
        if choices is not None and value not in choices:
            raise self.fail(f"{path}.{key}", "使えない値です", "not an allowed value", value)
        return value

    def moment(self, obj: dict[str, Any], key: str, path: str, *, null: bool = False) -> datetime | None:
        raw = self.field(obj, key, path, str, null=null)
        if raw is None:
            return None
        try:
            at = datetime.fromisoformat(raw)
        except ValueError:
            raise self.fail(f"{path}.{key}", "日時として解釈できません", "not an ISO date and time", raw) from None
        if at.tzinfo is None:
            raise self.fail(f"{path}.{key}", "時差（タイムゾーン）のない日時です", "a date and time without its time zone", raw)
        return at

    def day(self, obj: dict[str, Any], key: str, path: str) -> date:
        raw = self.field(obj, key, path, str)
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise self.fail(f"{path}.{key}", "日付として解釈できません", "not an ISO date", raw) from None


def restore_path(path: Path) -> Restored:
    where = str(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise InputError.one(where, f"読み込めません（{e.strerror}）", "cannot be read") from None
    return restore_document(parse_json(raw, where), where)


def restore_document(doc: Any, where: str = "backup") -> Restored:
    r = _Reader(where)
    top = r.obj(doc, "$")
    version = r.field(top, "format", "$", str, choices={FORMAT, FORMAT_1})
    try:
        with transaction.atomic():
            if m.Plan.objects.exists():
                raise InputError.one(
                    where, "復元先のデータベースに計画があります。空のデータベースに復元してください", "the database already holds plans"
                )
            for path, o in r.items(top, "organizations", "$"):
                code, name = r.field(o, "code", path, str), r.field(o, "name", path, str)
                if not valid_organization_code(code):
                    raise r.fail(f"{path}.code", "全国地方公共団体コードではありません", "not an organization code", code)
                Organization.objects.get_or_create(code=code, defaults={"name": name})
            changes: dict[tuple[str, int], Change] = {}
            plans = r.items(top, "plans", "$")
            rows = [_plan(r, path, spec) for path, spec in plans]
            # A file of before organizations (hyoka-backup/1): its people belong to the organization of most plans.
            main = _main_organization() if version == FORMAT_1 else None
            _departments(r, top, main)
            users = _users(r, top, main)
            by_name = {u.username: u for u in User.objects.all()}
            for (path, spec), row in zip(plans, rows, strict=True):
                _records(r, path, spec, row, by_name, changes, main)
            audit = _audit(r, top, by_name, changes, main)
            log_event(
                EventKind.RESTORE, subject=where[-500:], detail=f"計画 {len(plans)} 件、変更履歴 {len(changes)} 件、監査ログ {audit} 件"
            )
    except DatabaseError as e:  # what the checks above let through but the database refused (a too long text, say)
        raise InputError.one(where, f"データベースに書き込めませんでした: {e}", "the database refused the backup") from None
    return Restored(len(plans), len(changes), users, audit)


def _main_organization() -> Organization | None:
    return Organization.objects.annotate(n=Count("plans")).order_by("-n", "code").first()


def _organization(r: _Reader, obj: dict[str, Any], path: str, main: Organization | None) -> Organization | None:
    """The organization a record names by its code (which the file must list), or *main* for a file of before organizations."""
    if main is not None:
        return main
    code = r.field(obj, "organization", path, str, null=True)
    if code is None:
        return None
    found = Organization.objects.filter(code=code).first()
    if found is None:
        raise r.fail(f"{path}.organization", "バックアップにない団体です", "an organization the backup does not list", code)
    return found


def _departments(r: _Reader, top: dict[str, Any], main: Organization | None) -> None:
    for i, item in enumerate(r.field(top, "departments", "$", list)):
        path = f"$.departments[{i}]"
        if main is not None:
            Department.objects.get_or_create(organization=main, name=str(item)[:200])
            continue
        d = r.obj(item, path)
        org = _organization(r, d, path, None)
        if org is None:
            raise r.fail(f"{path}.organization", "所属には団体が必要です", "a department needs its organization")
        Department.objects.get_or_create(organization=org, name=r.field(d, "name", path, str))


def _users(r: _Reader, top: dict[str, Any], main: Organization | None) -> int:
    """New users only: someone who already exists here (the admin who runs the restore) is left as they are."""
    known = set(User.objects.values_list("username", flat=True))
    made = 0
    for path, u in r.items(top, "users", "$"):
        username = r.field(u, "username", path, str)
        if username in known:
            continue
        department = r.field(u, "department", path, str, null=True)
        org = _organization(r, u, path, main)
        user = User(
            username=username,
            role=r.field(u, "role", path, str, choices=Role.values),
            organization=org,
            department=Department.objects.get_or_create(organization=org, name=department)[0] if department and org else None,
            first_name=r.field(u, "first_name", path, str),
            last_name=r.field(u, "last_name", path, str),
            email=r.field(u, "email", path, str),
            is_active=r.field(u, "is_active", path, bool),
            is_staff=r.field(u, "is_staff", path, bool),
            is_superuser=r.field(u, "is_superuser", path, bool),
            date_joined=r.moment(u, "date_joined", path),
            # Without its hash the account cannot log in until an admin sets a password.
            password=r.field(u, "password_hash", path, str, null=True) or make_password(None),
        )
        user.save()
        known.add(username)
        made += 1
    return made


def _plan(r: _Reader, path: str, spec: dict[str, Any]) -> m.Plan:
    return store_plan(plan_from_dict(spec.get("document"), where=f"{r.where}:{path}.document"))


def _records(
    r: _Reader,
    path: str,
    spec: dict[str, Any],
    row: m.Plan,
    by_name: dict[str, User],
    changes: dict[tuple[str, int], Change],
    main: Organization | None,
) -> None:
    """What a plan file does not hold: rule versions, value authors, submissions and the change log."""

    def user(obj: dict[str, Any], key: str, p: str) -> User | None:
        name = r.field(obj, key, p, str, null=True)
        return None if name is None else by_name.get(name)

    versions = []
    for p, v in r.items(spec, "rule_versions", path):
        version = m.RuleSetVersion(
            plan=row,
            version=r.field(v, "version", p, int),
            spec=r.field(v, "spec", p, dict),
            created_by=user(v, "created_by", p),
            note=r.field(v, "note", p, str),
        )
        version.created_at = r.moment(v, "created_at", p)
        versions.append(version)
    if versions:  # the plan was stored with its newest rules as version 1; the backup has every version
        newest = max(versions, key=lambda v: v.version)
        if newest.spec != spec["document"].get("rules"):
            raise r.fail(f"{path}.rule_versions", "最新の版が計画のルールと一致しません", "the newest version is not the plan's rules")
        m.RuleSetVersion.objects.filter(plan=row).delete()
        _created_with_their_times(m.RuleSetVersion, versions, "created_at")

    values = {
        (v.series.indicator.key, v.series.part, v.year): v
        for v in m.Value.objects.filter(series__indicator__plan=row).select_related("series__indicator")
    }
    authored = []
    for p, a in r.items(spec, "value_authors", path):
        key = (r.field(a, "indicator", p, str), r.field(a, "part", p, str), r.field(a, "year", p, int))
        if key not in values:
            raise r.fail(p, "計画にない値です", "no such value in the plan", "/".join(map(str, key)))
        value = values[key]
        value.updated_at, value.updated_by = r.moment(a, "at", p), user(a, "by", p)
        authored.append(value)
    m.Value.objects.bulk_update(authored, ["updated_at", "updated_by"], batch_size=500)

    submissions = []
    events: list[tuple[int, Event]] = []  # (index of the submission, its event)
    for p, s in r.items(spec, "submissions", path):
        name = r.field(s, "department", p, str)
        for q, e in r.items(s, "events", p):
            event = Event(
                action=r.field(e, "action", q, str, choices=EventAction.values),
                comment=r.field(e, "comment", q, str),
                by=user(e, "by", q),
                at=r.moment(e, "at", q),
            )
            events.append((len(submissions), event))
        submissions.append(
            Submission(
                plan=row,
                year=r.field(s, "year", p, int),
                department=Department.objects.get_or_create(organization_id=row.organization_id, name=name)[0],
                status=r.field(s, "status", p, str, choices=SubmissionStatus.values),
                comment=r.field(s, "comment", p, str),
                submitted_by=user(s, "submitted_by", p),
                submitted_at=r.moment(s, "submitted_at", p),
                decided_by=user(s, "decided_by", p),
                decided_at=r.moment(s, "decided_at", p, null=True),
            )
        )
    created = Submission.objects.bulk_create(submissions)
    for i, event in events:
        event.submission = created[i]
    Event.objects.bulk_create([e for _i, e in events])

    cycles = {c.year: c for c in m.Cycle.objects.filter(plan=row)}
    revisions = []
    for p, v in r.items(spec, "publications", path):
        year = r.field(v, "year", p, int)
        if year not in cycles:
            raise r.fail(f"{p}.year", "計画にない年度の公表です", "a publication of a year the plan has no cycle for", year)
        revision = m.Publication(
            cycle=cycles[year],
            number=r.field(v, "number", p, int),
            kind=r.field(v, "kind", p, str, choices=m.PublicationKind.values),
            on=r.day(v, "on", p),
            by=user(v, "by", p),
            reason=r.field(v, "reason", p, str),
            snapshot=r.field(v, "snapshot", p, dict),
        )
        revision.at = r.moment(v, "at", p)
        revisions.append(revision)
    _created_with_their_times(m.Publication, revisions, "at")

    log = []
    for p, c in r.items(spec, "changes", path):
        change = Change(
            plan=row,
            user=user(c, "user", p),
            kind=r.field(c, "kind", p, str, choices=ChangeKind.values),
            indicator_key=r.field(c, "indicator_key", p, str),
            node_key=r.field(c, "node_key", p, str),
            year=r.field(c, "year", p, int, null=True),
            subject=r.field(c, "subject", p, str),
            old=r.field(c, "old", p, str),
            new=r.field(c, "new", p, str),
            why=r.field(c, "why", p, str),
        )
        change.at = r.moment(c, "at", p)
        log.append(change)
    name = row.key if main is not None else plan_name(row)  # a file of before organizations names plans by key
    for i, change in enumerate(_created_with_their_times(Change, log, "at")):
        changes[(name, i)] = change


def _audit(
    r: _Reader, top: dict[str, Any], by_name: dict[str, User], changes: dict[tuple[str, int], Change], main: Organization | None
) -> int:
    events = []
    for p, e in r.items(top, "audit", "$"):
        link = r.field(e, "change", p, list, null=True)
        if link is not None and (len(link) != 2 or tuple(link) not in changes):
            raise r.fail(f"{p}.change", "バックアップにない変更を指しています", "refers to a change not in the backup", link)
        username = r.field(e, "username", p, str)
        org = _organization(r, e, p, None) if main is None else by_name[username].organization if username in by_name else None
        event = AuditEvent(
            organization=org,
            kind=r.field(e, "kind", p, str, choices=EventKind.values),
            user=by_name.get(username),
            username=username,
            address=r.field(e, "address", p, str, null=True),
            method=r.field(e, "method", p, str),
            path=r.field(e, "path", p, str),
            plan_key=r.field(e, "plan_key", p, str),
            subject=r.field(e, "subject", p, str),
            detail=r.field(e, "detail", p, str),
            change=changes[tuple(link)] if link is not None else None,
        )
        event.at = r.moment(e, "at", p)
        events.append(event)
    _created_with_their_times(AuditEvent, events, "at")
    return len(events)


def _created_with_their_times(model: Any, rows: list[Any], field: str) -> list[Any]:
    """bulk_create in order (ids ascend as in the backup), then the times the database would have stamped anew."""
    times = [getattr(x, field) for x in rows]
    created = model.objects.bulk_create(rows, batch_size=500)
    for row, at in zip(created, times, strict=True):
        setattr(row, field, at)
    model.objects.bulk_update(created, [field], batch_size=500)
    return created
