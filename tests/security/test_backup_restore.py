"""`hyoka backup` of a whole PostgreSQL database and `hyoka restore` into an empty one give the same database.

The proof is the backup itself: the backup of the restored database is the same file
(the restore adds one audit event saying it happened), so every plan, value, text,
review, rule version, submission, change and audit event came back, with its author
and its time.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

from live import fresh_database, hyoka, seed


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def test_backup_restored_into_an_empty_database_is_the_same_database(tmp_path: Path) -> None:
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    with fresh_database("backup_from") as source, fresh_database("backup_to") as target:
        seed(source, tmp_path, activity=True)
        hyoka(source, tmp_path, "backup", "-o", str(first), "--with-password-hashes")
        restored = hyoka(target, tmp_path, "restore", str(first))
        hyoka(target, tmp_path, "backup", "-o", str(second), "--with-password-hashes")
        again = hyoka(target, tmp_path, "restore", str(first), check=False)
        hyoka(target, tmp_path, "backup", "-o", str(tmp_path / "third.json"), "--with-password-hashes")

    before, after = _read(first), _read(second)
    sousei = next(p for p in before["plans"] if p["document"]["plan"]["id"] == "kanagawa-sousei-3")
    print(
        f"backup: {len(before['plans'])} plans, {sum(len(p['changes']) for p in before['plans'])} changes, "
        f"{len(sousei['rule_versions'])} rule versions, {len(sousei['submissions'])} submission, "
        f"{len(sousei['value_authors'])} value authors, {len(before['users'])} users, {len(before['audit'])} audit events"
    )
    print(restored.stdout.strip())
    assert len(before["plans"]) == 3 and len(sousei["changes"]) >= 9 and len(sousei["rule_versions"]) == 2
    assert len(sousei["submissions"]) == 1 and len(before["users"]) == 5 and len(before["audit"]) >= 10
    assert [e["action"] for e in sousei["submissions"][0]["events"]] == ["submitted", "accepted"]  # the timeline
    # every revision: FY2024's 訂正 made by the change of rounding, FY2025 published and corrected
    assert [(p["kind"], p["number"]) for p in sousei["publications"]] == [("corrected", 1), ("published", 1), ("corrected", 2)]
    cycle = sousei["document"]["plan"]["cycles"]["2025"]
    assert cycle["status"] == "published" and cycle["corrections"][0]["reason"] == "確定値に訂正"
    assert all(u["password_hash"].startswith("pbkdf2_sha256$") for u in before["users"])
    assert stat.S_IMODE(first.stat().st_mode) == 0o600  # personal data: the owner's only

    restore_events = [e for e in after["audit"] if e["kind"] == "restore"]
    assert len(restore_events) == 1 and "計画 3 件" in restore_events[0]["detail"]
    after["audit"] = [e for e in after["audit"] if e["kind"] != "restore"]
    del before["created_at"], after["created_at"]
    assert after == before
    print("the backup of the restored database equals the original backup (plans, values, history, audit, users)")

    assert again.returncode == 2 and "空のデータベース" in again.stderr  # never restored over existing plans
    assert _read(tmp_path / "third.json")["plans"] == _read(second)["plans"]
