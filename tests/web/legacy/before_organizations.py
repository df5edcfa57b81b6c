"""Make a database as hyoka kept it before organizations, then migrate it: ``python before_organizations.py``.

Run in its own process with HYOKA_DATABASE_URL naming an empty SQLite file. The rows are
written through the historical models of the migrations before organizations, as a running
installation of that time would have them: two governments' plans, departments named by
both, users (a superuser among them), a submission and audit events.
"""

from __future__ import annotations

import os

import django
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("accounts", "0001_initial"), ("plans", "0002_columns_from_schema"), ("workflow", "0001_initial"), ("audit", "0001_initial")]


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hyoka.web.settings")
    django.setup()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Plan, Node, Indicator = (apps.get_model("plans", n) for n in ("Plan", "Node", "Indicator"))
    Department, User = apps.get_model("accounts", "Department"), apps.get_model("accounts", "User")
    Submission, AuditEvent = apps.get_model("workflow", "Submission"), apps.get_model("audit", "AuditEvent")
    plans = {}
    for key, name, code, count in (("sousei", "神奈川県", "140007", 2), ("dx", "神奈川県", "140007", 0), ("juten", "平塚市", "142034", 1)):
        plans[key] = Plan.objects.create(
            key=key, name=key, organization_name=name, organization_code=code, period_start=2024, period_end=2027
        )
        node = Node.objects.create(plan=plans[key], key="1", position=0, level="基本目標", name="目標", departments=["産業労働局"])
        Indicator.objects.create(plan=plans[key], node=node, key="k1", position=0, departments=["企画政策課"] * count)
    sangyo = Department.objects.create(name="産業労働局")
    User.objects.create(username="Admin", role="admin", is_superuser=True, is_staff=True, password="!")
    User.objects.create(username="sangyo", role="department", department=sangyo, password="!")
    Submission.objects.create(plan=plans["juten"], year=2024, department=sangyo, submitted_at=timezone.now())
    AuditEvent.objects.create(kind="change", plan_key="juten", subject="x")
    AuditEvent.objects.create(kind="login", username="sangyo", user=User.objects.get(username="sangyo"))
    call_command("migrate", verbosity=0, interactive=False)


if __name__ == "__main__":
    main()
