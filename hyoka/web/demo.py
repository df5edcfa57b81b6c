"""`hyoka demo` and `hyoka serve`: a working installation from nothing, and serving one.

The demo is what a visitor sees first, so it is the real thing: the three sample
plans in a fresh SQLite file (two organizations: Kanagawa Prefecture's two plans and
Hiratsuka City's one), one user per role with a random password printed once, and FY2025
of the Kanagawa strategy opened so that departments have work waiting.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

DEMO_PLAN = "kanagawa-sousei-3"
DEMO_YEAR = 2025
DEMO_DUE = "2026-05-29"


KANAGAWA = "140007"
HIRATSUKA = "142034"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    organization: str
    department: str
    password: str


DEMO_ACCOUNTS = (  # username, role, organization code ("" for the operator), department
    ("operator", "operator", "", ""),
    ("admin", "admin", KANAGAWA, ""),
    ("planner", "planner", KANAGAWA, ""),
    ("sangyo", "department", KANAGAWA, "産業労働局"),
    ("fukushi", "department", KANAGAWA, "福祉子どもみらい局"),
    ("council", "reviewer", KANAGAWA, ""),
    ("hiratsuka", "planner", HIRATSUKA, ""),
)


def use_database(database: Path | None) -> None:
    """Point the settings at a SQLite file (before Django starts); None keeps the configured database."""
    if database is not None:
        os.environ["HYOKA_DATABASE_URL"] = f"sqlite:///{database.resolve()}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hyoka.web.settings")
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)  # the table of HYOKA_CACHE_URL=db://…; nothing for other caches


def prepare_demo(database: Path) -> list[DemoUser]:
    """A fresh demo database: migrated, the sample plans loaded, a year opened and the demo users."""
    database.parent.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("HYOKA_DATA_DIR", str(database.parent.resolve()))
    for leftover in (database, *(database.with_name(database.name + s) for s in ("-journal", "-wal", "-shm"))):
        leftover.unlink(missing_ok=True)
    use_database(database)
    migrate()
    from ..samples import load_sample, sample_names
    from .accounts.models import Department, Organization, Role, User
    from .history.models import ChangeKind
    from .history.record import record
    from .plans import models as m
    from .plans.convert import store_plan, touch

    for name in sample_names():
        store_plan(load_sample(name))
    users = []
    for username, role, code, department in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(9)
        org = Organization.objects.get(code=code) if code else None
        dept = Department.objects.get_or_create(organization=org, name=department)[0] if department else None
        operator = role == Role.OPERATOR
        User.objects.create_user(
            username,
            password=password,
            role=role,
            organization=org,
            department=dept,
            is_staff=role in (Role.OPERATOR, Role.ADMIN),
            is_superuser=operator,
        )
        users.append(DemoUser(username, str(Role(role).label), org.name if org else "", department, password))
    plan = m.Plan.objects.get(organization__code=KANAGAWA, key=DEMO_PLAN)
    m.Cycle.objects.create(plan=plan, year=DEMO_YEAR, status=m.CycleStatus.OPEN, due=DEMO_DUE)
    planner = User.objects.get(username="planner")
    record(plan, planner, ChangeKind.CYCLE, f"{DEMO_YEAR}年度 評価サイクル", new=f"受付中 {DEMO_DUE}", year=DEMO_YEAR)
    touch(plan)
    return users


REPORT_WORKER = ("-m", "hyoka.web", "db_worker", "--queue-name", "reports", "--interval", "1", "--no-startup-delay", "--verbosity", "0")


def start_report_workers() -> list[subprocess.Popen[bytes]]:
    """The processes that render reports (``renders.tasks``): HYOKA_REPORT_WORKERS of them, at a lower CPU priority.

    They read the queue from the same database as the web server (the environment carries
    it), so the embedded SQLite default needs nothing else; none when reports render in the request.
    """
    from django.conf import settings

    if not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
        return []
    return [
        subprocess.Popen([sys.executable, *REPORT_WORKER], env=os.environ.copy(), preexec_fn=lambda: os.nice(10))
        for _ in range(settings.HYOKA_REPORT_WORKERS)
    ]


def serve(host: str, port: int) -> None:
    """Django's own server and the report workers: right for a laptop; production runs gunicorn behind
    a TLS proxy and the workers as a service of their own (README)."""
    from django.conf import settings
    from django.core.management import call_command

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from the finders too
    workers = start_report_workers()
    try:
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
