"""`hyoka backup`: the whole database as one JSON file (format ``hyoka-backup/1``, docs/backup.md).

Each plan is written as its `hyoka/1` document, which the core validates when it is read
back, so a backup survives schema migrations and can be read by people and other tools;
beside it go the records a plan file does not hold: every rule-set version, the change
log, the submissions, who last changed each value, and the audit log. Users are optional
and never carry a password, unless the operator asks for the password hashes.

The file names no database ids: it refers to users by username, to departments by name,
and to a change by its plan and position, so a backup of a restored database is the
same file again (the round-trip test checks exactly that).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils import timezone

from ..formats.files import write_atomic
from .accounts.models import Department, Organization, User
from .audit.models import AuditEvent
from .history.models import Change
from .plans import models as m
from .plans.convert import document
from .snapshot import snapshot
from .workflow.models import Submission

FORMAT = "hyoka-backup/2"  # /2: organizations, and what belongs to each; restore reads /1 too


def when(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None


def who(user: User | None) -> str | None:
    return user.username if user is not None else None


def _users(with_password_hashes: bool) -> list[dict[str, Any]]:
    out = []
    for u in User.objects.select_related("organization", "department").order_by("username"):
        row = {
            "username": u.username,
            "role": u.role,
            "organization": u.organization.code if u.organization else None,
            "department": u.department.name if u.department else None,
            "first_name": u.first_name,
            "last_name": u.last_name,
            "email": u.email,
            "is_active": u.is_active,
            "is_staff": u.is_staff,
            "is_superuser": u.is_superuser,
            "date_joined": when(u.date_joined),
        }
        if with_password_hashes:
            row["password_hash"] = u.password
        out.append(row)
    return out


def _plan(plan: m.Plan, change_index: dict[int, tuple[str, int]]) -> dict[str, Any]:
    changes = list(Change.objects.filter(plan=plan).select_related("user").order_by("id"))
    for i, c in enumerate(changes):
        change_index[c.pk] = (plan_name(plan), i)
    values = m.Value.objects.filter(series__indicator__plan=plan).select_related("series__indicator", "updated_by")
    return {
        "document": document(plan),
        "rule_versions": [
            {"version": v.version, "spec": v.spec, "created_at": when(v.created_at), "created_by": who(v.created_by), "note": v.note}
            for v in m.RuleSetVersion.objects.filter(plan=plan).select_related("created_by").order_by("version")
        ],
        "value_authors": [
            {"indicator": v.series.indicator.key, "part": v.series.part, "year": v.year, "at": when(v.updated_at), "by": who(v.updated_by)}
            for v in sorted(values, key=lambda v: (v.series.indicator.position, v.series.position, v.year))
        ],
        "submissions": [
            {
                "year": s.year,
                "department": s.department.name,
                "status": s.status,
                "comment": s.comment,
                "submitted_by": who(s.submitted_by),
                "submitted_at": when(s.submitted_at),
                "decided_by": who(s.decided_by),
                "decided_at": when(s.decided_at),
                "events": [
                    {"action": e.action, "comment": e.comment, "by": who(e.by), "at": when(e.at)}
                    for e in s.events.select_related("by").order_by("at", "id")
                ],
            }
            for s in Submission.objects.filter(plan=plan)
            .select_related("department", "submitted_by", "decided_by")
            .order_by("year", "department__name")
        ],
        "publications": [
            {
                "year": p.cycle.year,
                "number": p.number,
                "kind": p.kind,
                "on": p.on.isoformat(),
                "at": when(p.at),
                "by": who(p.by),
                "reason": p.reason,
                "snapshot": p.snapshot,
            }
            for p in m.Publication.objects.filter(cycle__plan=plan).select_related("cycle", "by").order_by("cycle__year", "number")
        ],
        "changes": [
            {
                "at": when(c.at),
                "user": who(c.user),
                "kind": c.kind,
                "indicator_key": c.indicator_key,
                "node_key": c.node_key,
                "year": c.year,
                "subject": c.subject,
                "old": c.old,
                "new": c.new,
                "why": c.why,
            }
            for c in changes
        ],
    }


def plan_name(plan: m.Plan) -> str:
    """How the file names a plan: plan keys are unique only within an organization."""
    return f"{plan.organization.code}/{plan.key}"


def _audit(change_index: dict[int, tuple[str, int]]) -> list[dict[str, Any]]:
    fields = ("kind", "username", "address", "method", "path", "plan_key", "subject", "detail")
    return [
        {
            "at": when(e.at),
            "organization": e.organization.code if e.organization else None,
            **{f: getattr(e, f) for f in fields},
            "change": list(change_index[e.change_id]) if e.change_id else None,
        }
        for e in AuditEvent.objects.select_related("organization").order_by("id")
    ]


def backup_document(*, with_users: bool = True, with_password_hashes: bool = False) -> dict[str, Any]:
    """Everything, read in one snapshot, so saves made meanwhile are wholly in or out."""
    with snapshot():
        change_index: dict[int, tuple[str, int]] = {}
        plans = [_plan(p, change_index) for p in m.Plan.objects.select_related("organization").order_by("organization__code", "key")]
        return {
            "format": FORMAT,
            "created_at": when(timezone.now()),
            "organizations": [{"code": c, "name": n} for c, n in Organization.objects.order_by("code").values_list("code", "name")],
            "departments": [
                {"organization": c, "name": n}
                for c, n in Department.objects.order_by("organization__code", "name").values_list("organization__code", "name")
            ],
            "users": _users(with_password_hashes) if with_users else [],
            "plans": plans,
            "audit": _audit(change_index),
        }


def write_backup(path: Path, **options: bool) -> dict[str, Any]:
    """Write the backup beside *path* and rename it into place: a crash never leaves half a backup under the name.

    The file may hold personal data (and password hashes when asked), so only its owner may read it.
    """
    doc = backup_document(**options)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"), mode=0o600)
    return doc
