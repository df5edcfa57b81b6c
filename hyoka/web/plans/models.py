"""A plan as rows: what the `hyoka/1` file holds, one table per thing people edit.

Values, targets and texts are rows of their own because departments edit them one at
a time and each edit keeps its history; what nobody edits in the browser (projects,
footnotes, ``x-`` extension fields) stays as JSON so that nothing is lost on the way
from a file to the database and back. Every figure is computed by the core from these
rows (see ``convert.core_plan``); nothing here knows how a rate is made.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ...core import model as core
from ...core.schema import names
from ..accounts.models import Organization
from .columns import add_columns


def new_revision() -> str:
    return uuid.uuid4().hex


class Plan(models.Model):
    """A plan of one organization; its key is unique within the organization (the URLs name both)."""

    organization = models.ForeignKey(Organization, verbose_name=_("団体"), on_delete=models.PROTECT, related_name="plans")
    key = models.CharField(_("ID"), max_length=100)
    name = models.CharField(_("計画名"), max_length=500)
    period_start = models.PositiveSmallIntegerField(_("計画期間（開始）"))
    period_end = models.PositiveSmallIntegerField(_("計画期間（終了）"))
    levels = models.JSONField(_("階層"), default=list)
    report = models.JSONField(default=dict, blank=True)  # the `hyoka/1` report object: layout and chapters
    extras = models.JSONField(default=dict, blank=True)
    # Renewed in the transaction of every change, so a computed plan can be reused until then
    # (a new token rather than a counter: a re-imported plan may get a deleted plan's id).
    revision = models.CharField(max_length=32, default=new_revision)

    class Meta:
        ordering = ["organization", "key"]
        verbose_name = _("計画")
        verbose_name_plural = _("計画")
        constraints = [models.UniqueConstraint(fields=["organization", "key"], name="unique_plan_key")]

    def __str__(self) -> str:
        return self.name

    @property
    def route(self) -> tuple[str, str]:
        """What the URLs name a plan by: its organization's code and its key."""
        return (self.organization.code, self.key)

    @property
    def years(self) -> list[int]:
        return list(range(self.period_start, self.period_end + 1))


add_columns(Plan, core.Plan)


class RuleSetVersion(models.Model):
    """The plan's rule set; a new version per change, the newest one applies."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rule_versions")
    version = models.PositiveIntegerField()
    spec = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "-version"]
        constraints = [models.UniqueConstraint(fields=["plan", "version"], name="unique_rule_version")]


def status_choices(name: str, labels: dict[str, str]) -> type[models.TextChoices]:
    """The codes of a closed list of the core as Django choices, with their labels in the user's language."""
    return models.TextChoices(name, [(code.upper(), (code, _(label))) for code, label in labels.items()])  # type: ignore[return-value]


CycleStatus = status_choices("CycleStatus", core.CYCLE_STATUS_LABELS)


class Cycle(models.Model):
    """The evaluation of one fiscal year of a plan: opened, closed and published by the planner.

    *published* (a plain column of ``core.Cycle``) and *corrections* are the public record
    as the plan file holds them (``hyoka1.cycle_to_dict``): the date of the 公表 and every
    訂正 since; ``Publication`` keeps each revision that led there.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="cycles")
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    corrections = models.JSONField(_("訂正"), default=list, blank=True)

    class Meta:
        ordering = ["plan", "-year"]
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="unique_cycle_year")]

    @property
    def is_open(self) -> bool:
        return self.status == CycleStatus.OPEN

    @property
    def is_published(self) -> bool:
        return self.status == CycleStatus.PUBLISHED


class PublicationKind(models.TextChoices):
    PUBLISHED = "published", _("公表")
    CORRECTED = "corrected", _("訂正")
    WITHDRAWN = "withdrawn", _("公表取消")


class Publication(models.Model):
    """One revision of a year's public record: a 公表, a 訂正 or a 公表取消, kept for good.

    *snapshot* is the plan's published copy (`hyoka/1`, as ``published_plan`` makes it)
    right after this revision, so what the public was shown on any day can be read back
    even after later corrections changed it.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="publications")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=PublicationKind.choices)
    on = models.DateField()  # the date printed: 「令和７年３月１日 訂正」
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(blank=True)
    snapshot = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["cycle", "number"]
        constraints = [models.UniqueConstraint(fields=["cycle", "number"], name="unique_publication_number")]


add_columns(Cycle, core.Cycle, choices={"status": CycleStatus.choices})


class Node(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="nodes")
    key = models.CharField(max_length=100)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    position = models.PositiveIntegerField()
    projects = models.JSONField(default=list, blank=True)
    extras = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="unique_node_key")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()


add_columns(Node, core.Node)


class NodeYear(models.Model):
    """A node's row for one year: at most one per node and year."""

    year = models.PositiveSmallIntegerField(db_index=True)

    class Meta:
        abstract = True
        ordering = ["node", "year"]


class NodeText(NodeYear):
    """一次評価 texts of a node for a year: 取組結果 and 課題と方向性, one bullet per item."""

    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="texts")

    class Meta(NodeYear.Meta):
        constraints = [models.UniqueConstraint(fields=["node", "year"], name="unique_node_text_year")]


add_columns(NodeText, core.NodeTexts)


class Review(NodeYear):
    """二次評価 of the council for a node and year, and the department's answer."""

    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="reviews")

    class Meta(NodeYear.Meta):
        constraints = [models.UniqueConstraint(fields=["node", "year"], name="unique_review_year")]


add_columns(Review, core.Review)


class Indicator(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="indicators")
    key = models.CharField(max_length=100)
    position = models.PositiveIntegerField()
    extras = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="unique_indicator_key")]

    def __str__(self) -> str:
        return self.key


add_columns(Indicator, core.Indicator, skip=names(core.Series))


class Series(models.Model):
    """What carries targets and values: the indicator itself (part "") or one of its parts ①②."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="series")
    part = models.CharField(max_length=100, blank=True)
    position = models.PositiveIntegerField()
    baseline_value = models.CharField(max_length=2000, null=True, blank=True)  # None: no baseline at all

    class Meta:
        ordering = ["indicator", "position"]
        constraints = [models.UniqueConstraint(fields=["indicator", "part"], name="unique_series_part")]


add_columns(Series, core.Series)
add_columns(Series, core.Baseline, prefix=core.BASELINE_PREFIX)


class Target(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(db_index=True)
    text = models.CharField(max_length=2000)

    class Meta:
        ordering = ["series", "year"]
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="unique_target_year")]


ValueStatus = status_choices("ValueStatus", {status.value: label for status, label in core.STATUS_LABELS.items()})


class Value(models.Model):
    """One year's actual as the department typed it; the core parses it every time it computes."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(db_index=True)
    text = models.CharField(max_length=2000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["series", "year"]
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="unique_value_year")]


add_columns(Value, core.Value, choices={"status": ValueStatus.choices})
