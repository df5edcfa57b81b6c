"""A department's submission of a year's figures and texts, and the planner's decision.

While a submission waits or has been accepted the department's entries are read-only;
a return with a comment opens them again, and so does the department's own withdrawal
before a decision (SPEC 2.2). Every step is an ``Event``: the timeline of a submission,
where a return comment stays, with its date, after the department sent its figures again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..accounts.models import Department
from ..plans.models import Plan


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("提出済み")
    ACCEPTED = "accepted", _("承認済み")
    RETURNED = "returned", _("差戻し")
    WITHDRAWN = "withdrawn", _("取下げ")


class Submission(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="submissions")
    year = models.PositiveSmallIntegerField(db_index=True)
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="submissions")
    status = models.CharField(max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED)
    comment = models.TextField(_("コメント"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "-year", "department"]
        constraints = [models.UniqueConstraint(fields=["plan", "year", "department"], name="unique_submission")]

    @property
    def locks_department(self) -> bool:
        """Submitted or accepted figures are no longer the department's to change."""
        return self.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


class EventAction(models.TextChoices):
    SUBMITTED = "submitted", _("提出")
    WITHDRAWN = "withdrawn", _("取下げ")
    ACCEPTED = "accepted", _("承認")
    RETURNED = "returned", _("差戻し")


class Event(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=EventAction.choices)
    comment = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["submission", "at", "id"]
