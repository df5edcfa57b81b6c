"""Review aids of 提出状況: every series of the year with its department's submission, its 達成率 or
judgement, the change from last year and what looks wrong, filtered by a form and downloaded for the
部長会議 (``review_xlsx``).

The flags are the entry form's own doubts (``core.plausibility``), shown again to the planner, and
the values saved *despite* a warning: their latest save in the change log carries the warnings the
person confirmed. A department sees its own rows only; planners and reviewers see every department's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...core.engine import Evaluation
from ...core.review import Reviewed, reviewed
from ...core.rules import RuleSet
from ..accounts import access
from ..accounts.models import User
from ..history.models import Change, ChangeKind
from ..plans import models as m
from ..plans.entry import subject_of_series
from ..plans.forms import in_language
from .models import Submission
from .work import plan_departments


def visible_departments(user: User, names: list[str]) -> list[str]:
    """Whose rows *user* reads: a department its own, planners and reviewers all; anyone else no page."""
    if user.is_department:
        return [d for d in names if d == user.department.name]
    if access.may_manage(user) or user.is_reviewer:
        return names
    raise Http404


@dataclass(frozen=True)
class Row:
    """One series of one department's indicator, as the planner reviews it."""

    department: str
    submission: Submission | None
    item: Reviewed
    warned: str  # the warnings confirmed at the value's latest save, one a line ("" when none)

    @property
    def missing(self) -> bool:
        return self.item.value is None

    @property
    def flags(self) -> list[str]:
        """What to ask about, in the reader's language: the doubts, then a save that confirmed a warning."""
        found = [in_language(p) for p in self.item.doubts]
        if self.warned:
            found.append(_("警告を確認して保存: %(w)s") % {"w": " / ".join(self.warned.splitlines())})
        return found


def _warned(plan: m.Plan, year: int) -> dict[str, str]:
    """The confirmed warnings of each value's latest save in *year*, by the change log's subject (one query)."""
    latest: dict[str, str] = {}
    for subject, warnings in Change.objects.filter(plan=plan, year=year, kind=ChangeKind.VALUE).values_list("subject", "warnings"):
        latest.setdefault(subject, warnings)  # newest first (the model's ordering)
    return latest


def review_rows(plan: m.Plan, ev: Evaluation, departments: list[str], submissions: dict[str, Submission]) -> list[Row]:
    """Every series of *ev*'s year that belongs to one of *departments*, per department, in the plan's order."""
    core, wanted, rows = ev.plan, set(departments), []
    warned = _warned(plan, ev.year)
    for item in reviewed(ev):
        subject = subject_of_series(item.indicator.id, item.label, ev.year, ChangeKind.VALUE)
        for department in core.departments_of(item.indicator):
            if department in wanted:
                rows.append(Row(department, submissions.get(department), item, warned.get(subject, "")))
    return rows


def judgement_choices(rules: RuleSet) -> list[tuple[str, str]]:
    """The ◎○△ of the rule set and its markers (■ 集計中, ― 指標未設定); none without a judgement rule."""
    j = rules.judgement
    if j is None:
        return []
    marks = [(b.symbol, b.label) for b in j.bands] + [(j.pending.symbol, j.pending.label), (j.none.symbol, j.none.label)]
    return [(symbol, f"{symbol} {label}") for symbol, label in dict(marks).items()]


class ReviewFilter(forms.Form):
    """The filters of the list (GET): one department, flagged rows only, missing values only, one judgement."""

    department = forms.ChoiceField(label=gettext_lazy("担当"), required=False)
    flagged = forms.BooleanField(label=gettext_lazy("確認事項のある値だけ"), required=False)
    missing = forms.BooleanField(label=gettext_lazy("未入力だけ"), required=False)
    judgement = forms.ChoiceField(label=gettext_lazy("判定"), required=False)

    def __init__(self, data: Any, *, departments: list[str], judgements: list[tuple[str, str]]) -> None:
        super().__init__(data)
        everyone = [("", _("すべて"))] if len(departments) > 1 else []
        self.fields["department"].choices = everyone + [(d, d) for d in departments]
        if judgements:
            self.fields["judgement"].choices = [("", _("すべて")), *judgements]
        else:
            del self.fields["judgement"]

    def apply(self, rows: list[Row]) -> list[Row]:
        """The rows the valid filters keep (a filter that is not valid keeps every row, with its error shown)."""
        self.is_valid()
        chosen = self.cleaned_data
        department, judgement = chosen.get("department"), chosen.get("judgement")
        return [
            r
            for r in rows
            if (not department or r.department == department)
            and (not chosen.get("flagged") or r.flags)
            and (not chosen.get("missing") or r.missing)
            and (not judgement or (r.item.judgement is not None and r.item.judgement.symbol == judgement))
        ]


def year_submissions(plan: m.Plan, year: int) -> dict[str, Submission]:
    """The year's submissions by department name (one query)."""
    found = Submission.objects.filter(plan=plan, year=year).select_related("department", "submitted_by", "decided_by")
    return {s.department.name: s for s in found}


def review_list(user: User, plan: m.Plan, ev: Evaluation, data: Any, submissions: dict[str, Submission]) -> tuple[ReviewFilter, list[Row]]:
    """The filter form over *data* (the GET parameters) and the rows *user* may read that it keeps."""
    departments = visible_departments(user, plan_departments(ev.plan))
    form = ReviewFilter(data, departments=departments, judgements=judgement_choices(ev.rules))
    return form, form.apply(review_rows(plan, ev, departments, submissions))
