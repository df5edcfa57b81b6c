"""An installation from before organizations keeps working after `migrate`, with nothing to set up."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from serving import clean_environ

SCRIPT = Path(__file__).parent / "legacy" / "before_organizations.py"


def test_a_database_from_before_organizations_migrates_to_its_organizations(tmp_path: Path) -> None:
    database = tmp_path / "old.sqlite3"
    env = clean_environ() | {"HYOKA_DATABASE_URL": f"sqlite:///{database}", "HYOKA_DATA_DIR": str(tmp_path)}
    subprocess.run([sys.executable, str(SCRIPT)], env=env, check=True, timeout=300)
    with sqlite3.connect(database) as db:
        q = db.execute
        assert q("select code, name from accounts_organization order by code").fetchall() == [("140007", "神奈川県"), ("142034", "平塚市")]
        assert q(
            "select p.key, o.code from plans_plan p join accounts_organization o on o.id = p.organization_id order by p.key"
        ).fetchall() == [
            ("dx", "140007"),
            ("juten", "142034"),
            ("sousei", "140007"),
        ]
        # The people join the organization of most plans (Kanagawa's), their names in the one spelling a login matches.
        users = q("select u.username, o.code from accounts_user u join accounts_organization o on o.id = u.organization_id order by 1")
        assert users.fetchall() == [("admin", "140007"), ("sangyo", "140007")]
        # Hiratsuka gets the departments its plans name; its submission now names Hiratsuka's 産業労働局.
        departments = q(
            "select d.name, o.code from accounts_department d join accounts_organization o on o.id = d.organization_id order by 2, 1"
        )
        assert departments.fetchall() == [("産業労働局", "140007"), ("企画政策課", "142034"), ("産業労働局", "142034")]
        submission = q(
            "select o.code from workflow_submission s join accounts_department d on d.id = s.department_id"
            " join accounts_organization o on o.id = d.organization_id"
        )
        assert submission.fetchall() == [("142034",)]
        audit = q("select a.kind, o.code from audit_auditevent a join accounts_organization o on o.id = a.organization_id order by 1")
        assert audit.fetchall() == [("change", "142034"), ("login", "140007")]
