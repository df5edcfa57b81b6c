"""Reports are rendered as background tasks on Django's tasks API (``django.tasks``, here its
backport ``django_tasks``) with the database backend of ``django_tasks_db``.

Why this framework: it is the API Django itself adopted (Django 6.0 ships ``django.tasks``),
so the code stays when hyoka moves to it; its database backend keeps the queue in the
database hyoka already has, so the embedded SQLite default needs no new server (no Redis,
no broker), and PostgreSQL works the same. The worker is a plain process
(``python -m hyoka.web db_worker --queue-name reports``) that `hyoka serve` and `hyoka demo`
start themselves. Celery or RQ would each need a broker to install and run.

The bound on concurrent renders is the number of worker processes (``HYOKA_REPORT_WORKERS``,
one by default): a PDF takes seconds of CPU, and with one worker on a 2-core machine a
burst of PDF requests queues behind itself while the web workers stay free for pages.
Workers run at a lower CPU priority (``nice``) for the same reason.
"""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from ...reports import render_report
from ..plans import models as m
from ..plans.convert import core_plan, evaluation
from .models import Rendering, RenderStatus

logger = logging.getLogger(__name__)
QUEUE = "reports"


@task(queue_name=QUEUE)
def render(rendering_id: int) -> str:
    """Render one report file; a plan that moved on since the request makes the rendering stale (the page asks again)."""
    row = Rendering.objects.select_related("plan").filter(pk=rendering_id).first()
    if row is None or row.finished:
        return "gone" if row is None else row.status
    Rendering.objects.filter(pk=row.pk).update(status=RenderStatus.RUNNING, started_at=timezone.now())
    plan = row.plan
    core = core_plan(plan)  # reads the plan and sets plan.revision to the revision it was read at
    if plan.revision != row.revision:
        Rendering.objects.filter(pk=row.pk).update(status=RenderStatus.STALE, finished_at=timezone.now())
        return RenderStatus.STALE
    try:
        content = render_report(core, row.year, row.fmt, evaluation(plan, row.year))
    except Exception as e:  # the page must say it failed, not wait for ever; the log keeps the trace
        logger.exception("report %s %s %s failed", plan.key, row.year, row.fmt)
        Rendering.objects.filter(pk=row.pk).update(status=RenderStatus.FAILED, error=str(e)[:2000], finished_at=timezone.now())
        return RenderStatus.FAILED
    Rendering.objects.filter(pk=row.pk).update(status=RenderStatus.DONE, content=content, finished_at=timezone.now())
    # Files of older revisions are never asked for again (a download names the current revision).
    Rendering.objects.filter(plan=plan, year=row.year, fmt=row.fmt).exclude(revision=row.revision).delete()
    return RenderStatus.DONE


def rendering_for(plan: m.Plan, year: int, fmt: str) -> Rendering:
    """The rendering of *plan*'s current revision, enqueued if it is new (or failed or stale before)."""
    row, created = Rendering.objects.get_or_create(plan=plan, revision=plan.revision, year=year, fmt=fmt)
    if created or row.status in (RenderStatus.FAILED, RenderStatus.STALE):
        if not created:
            Rendering.objects.filter(pk=row.pk).update(status=RenderStatus.QUEUED, error="", started_at=None, finished_at=None)
        result = render.enqueue(row.pk)
        Rendering.objects.filter(pk=row.pk).update(task_id=str(result.id)[:64])
        row.refresh_from_db()
    return row
