"""The change log of a plan: who changed what, when, from what to what, and why (SPEC 2)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..plans.models import Plan


class ChangeKind(models.TextChoices):
    VALUE = "value", _("実績値")
    TARGET = "target", _("目標値")
    TEXT = "text", _("一次評価")
    REVIEW = "review", _("二次評価")
    ANSWER = "answer", _("所管の対応")
    CYCLE = "cycle", _("評価サイクル")
    PUBLICATION = "publication", _("公表")
    CORRECTION = "correction", _("訂正")
    SUBMISSION = "submission", _("提出・承認")
    RULES = "rules", _("評価ルール")
    NODE = "node", _("体系")
    INDICATOR = "indicator", _("指標")
    IMPORT = "import", _("取込み")


class Change(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(max_length=20, choices=ChangeKind.choices)
    indicator_key = models.CharField(max_length=100, blank=True)
    node_key = models.CharField(max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    subject = models.CharField(max_length=500)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    why = models.TextField(blank=True)
    # Plausibility warnings the writer confirmed (one a line): shown to the planner with the change.
    warnings = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["plan", "indicator_key"]),
            models.Index(fields=["plan", "node_key"]),
        ]
