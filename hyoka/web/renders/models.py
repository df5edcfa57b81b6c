"""A report file rendered off the request, kept per plan revision, year and format.

The same revision of a plan gives the same report, so a second download of it is the
stored file, sent at once; a change to the plan (a value, a cycle's status) renews its
revision, and the next download renders anew. Old revisions' files are removed when a
newer one of the same plan, year and format is done (``tasks.render``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..plans.models import Plan


class RenderStatus(models.TextChoices):
    QUEUED = "queued", _("順番待ち")
    RUNNING = "running", _("作成中")
    DONE = "done", _("完了")
    FAILED = "failed", _("失敗")
    STALE = "stale", _("計画が更新されたため中止")


class Rendering(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="renderings")
    revision = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    fmt = models.CharField(max_length=10)
    status = models.CharField(max_length=20, choices=RenderStatus.choices, default=RenderStatus.QUEUED)
    content = models.BinaryField(null=True, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "revision", "year", "fmt"], name="unique_rendering")]

    @property
    def finished(self) -> bool:
        return self.status in (RenderStatus.DONE, RenderStatus.FAILED, RenderStatus.STALE)
