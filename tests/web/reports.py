"""Reports in the tests: the download page enqueues a rendering, and this runs the queue in the test's
own process (the same worker code as `db_worker`, without its connection handling, which would
close the test's transaction)."""

from __future__ import annotations

from django.test import Client
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from hyoka.web.renders.tasks import QUEUE


def run_queued() -> int:
    """Run every task waiting in the reports queue; returns how many ran."""
    worker = Worker(
        queue_names=[QUEUE],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    ran = 0
    while (result := DBTaskResult.objects.ready().filter(queue_name=QUEUE).first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran


def download(client: Client, url: str) -> object:
    """The report at *url* as a person gets it: the progress page, the worker renders it, then the file."""
    first = client.get(url)
    if first.status_code != 302 or "/reports/" not in first["Location"]:
        return first
    assert client.get(first["Location"]).status_code == 200  # the progress page
    run_queued()
    return client.get(url)
