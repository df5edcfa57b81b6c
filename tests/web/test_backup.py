"""Restoring a backup is all or nothing: a damaged file is refused with the place of the damage, and nothing is written.

(The full round trip through the command line on PostgreSQL is tests/security/test_backup_restore.py.)
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from hyoka.core.errors import InputError
from hyoka.web.accounts.models import User
from hyoka.web.audit.models import AuditEvent
from hyoka.web.backup import backup_document
from hyoka.web.plans import models as m
from hyoka.web.restore import restore_document

CHANGE = {"at": "2026-05-01T10:00:00+09:00", "user": "planner", "kind": "value", "indicator_key": "", "node_key": "", "year": 2025}
CHANGE |= {"subject": "x", "old": "", "new": "1", "why": ""}


def _empty_database() -> None:
    """What a restore needs: no plans. (The test database keeps its users, as a real one keeps its admin.)"""
    m.Plan.objects.all().delete()
    AuditEvent.objects.all().delete()


def _bad_value(d: dict[str, Any]) -> None:
    d["plans"][1]["document"]["indicators"][0]["values"]["2024"] = {"value": "たくさん"}


DAMAGE: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("format", lambda d: d.update(format="hyoka-backup/9"), "$.format"),
    ("value", _bad_value, "$.plans[1].document:indicators[0].values.2024.value"),
    ("change kind", lambda d: d["plans"][2]["changes"].append(CHANGE | {"kind": "drop table"}), "$.plans[2].changes[0].kind"),
    ("change time", lambda d: d["plans"][2]["changes"].append(CHANGE | {"at": "昨日"}), "$.plans[2].changes[0].at"),
    ("audit link", lambda d: d["audit"].append({"change": ["kanagawa-dx", 99]}), "$.audit[0].change"),
    ("rule versions", lambda d: d["plans"][0]["rule_versions"][0].update(spec={"preset": "kanagawa-sousei"}), "$.plans[0].rule_versions"),
    ("role", lambda d: d["users"].insert(0, {"username": "x", "role": "god"}), "$.users[0].role"),
    (
        "organization",
        lambda d: d["users"].insert(0, {"username": "x", "role": "planner", "organization": "999999"}),
        "$.users[0].organization",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "damage", "place"), DAMAGE, ids=[d[0] for d in DAMAGE])
def test_a_damaged_backup_is_refused_with_its_place_and_nothing_is_written(
    name: str, damage: Callable[[dict[str, Any]], None], place: str
) -> None:
    doc = copy.deepcopy(backup_document())
    damage(doc)
    _empty_database()
    with pytest.raises(InputError) as refused:
        restore_document(doc, "backup.json")
    where = refused.value.problems[0].where
    print(f"damaged {name}: refused at {where}")
    assert where.startswith(f"backup.json:{place}"), where
    assert not m.Plan.objects.exists() and not AuditEvent.objects.exists()  # plans restored before the damage are gone too


@pytest.mark.django_db
def test_users_restored_without_their_password_hashes_cannot_log_in_until_reset() -> None:
    doc = backup_document()
    assert all("password_hash" not in u for u in doc["users"])
    _empty_database()
    User.objects.exclude(username="admin").delete()
    restore_document(doc)
    restored = User.objects.get(username="sangyo")
    assert restored.department.name == "産業労働局" and not restored.has_usable_password()
    assert User.objects.get(username="admin").has_usable_password()  # the existing admin was left as they were
    assert m.Plan.objects.count() == 4
    assert restored.organization.code == "140007" and User.objects.get(username="y-sangyo").department.organization.code == "141003"
