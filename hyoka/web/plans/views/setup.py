"""Setting up without JSON: a new plan from the Excel template, its nodes and indicators edited in forms.

A planner downloads the empty workbook for the plan's period, fills its sheets in Excel,
and uploads it here: the workbook is read exactly as `hyoka import` reads it, and every
problem comes back beside the file field with its sheet, row and column. Nodes and
indicators are then corrected field by field (``plans.setup``), each change in the history.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from ....core.errors import InputError
from ....core.wareki import parse_year
from ....formats.hyoka1 import loads
from ....formats.xlsx.importer import apply_update, read_update
from ....formats.xlsx.write import template_workbook
from ...accounts import access
from ...history.models import ChangeKind
from ...history.record import record
from .. import models as m
from ..convert import core_plan, store_plan
from ..forms import MAX_UPLOAD_BYTES, CoreForm, IndicatorForm, NodeForm, problem_line, schema_initial
from ..setup import BASELINE_FIELDS, INDICATOR_FIELDS, NODE_FIELDS, save_indicator, save_node
from .common import chosen_year, form_acted, plan_context, plan_view
from .downloads import XLSX, attachment


class PeriodForm(django_forms.Form):
    """The period of a new plan, written as people write years (2025, R7, 令和7年度)."""

    start = django_forms.CharField(label=gettext_lazy("計画開始年度"), max_length=20)
    end = django_forms.CharField(label=gettext_lazy("計画終了年度"), max_length=20)

    def clean(self) -> dict[str, object]:
        data = super().clean()
        years = {}
        for name in ("start", "end"):
            try:
                years[name] = parse_year(data.get(name, ""), name)
            except InputError:
                self.add_error(name, _("年度として読めません（例: 2025、R7、令和7年度）"))
        if len(years) == 2 and years["end"] < years["start"]:
            self.add_error("end", _("計画終了年度は開始年度以後にしてください"))
        return data | years


class NewPlanForm(django_forms.Form):
    file = django_forms.FileField(
        label=gettext_lazy("計画のブック（テンプレートに記入した .xlsx）または計画ファイル（hyoka/1 JSON）"),
        widget=django_forms.ClearableFileInput(attrs={"accept": ".xlsx,.json"}),
    )

    def clean_file(self) -> object:
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD_BYTES:
            raise django_forms.ValidationError(_("ファイルが大きすぎます（20MBまで）。"))
        if not f.name.lower().endswith((".xlsx", ".json")):
            raise django_forms.ValidationError(_("取り込めるのは .xlsx（ブック）と .json（hyoka/1 の計画ファイル）です。"))
        return f


def setup_page(
    request: HttpRequest, *, period: PeriodForm | None = None, upload: NewPlanForm | None = None, status: int = 200
) -> HttpResponse:
    access.require(access.may_manage(request.user))
    ctx = {"period": period or PeriodForm(initial={"start": "R7", "end": "R11"}), "upload": upload or NewPlanForm()}
    return render(request, "plans/setup.html", ctx, status=status)


@require_safe
def new_plan_page(request: HttpRequest) -> HttpResponse:
    return setup_page(request)


@require_safe
def template(request: HttpRequest) -> HttpResponse:
    """The empty workbook of a new plan, with a column for each year of its period."""
    access.require(access.may_manage(request.user))
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return setup_page(request, period=form, status=400)
    buffer = io.BytesIO()
    template_workbook(form.cleaned_data["start"], form.cleaned_data["end"]).save(buffer)
    return attachment(buffer.getvalue(), f"hyoka-template-{form.cleaned_data['start']}-{form.cleaned_data['end']}.xlsx", XLSX)


def new_plan(request: HttpRequest) -> HttpResponse:
    """A new plan from a filled template (or a `hyoka/1` file), all or nothing. A stored plan is never replaced here:
    its history would go with it; changes to it come through the upload preview and the edit forms instead."""
    access.require(access.may_manage(request.user))
    if request.method != "POST":
        return redirect("new_plan_page")
    form = NewPlanForm(request.POST, request.FILES)
    if not form.is_valid():
        return setup_page(request, upload=form, status=400)
    f = form.cleaned_data["file"]
    try:
        row = store_plan(_read_plan(f.name, f.read()), organization=request.user.organization)
    except InputError as e:
        for problem in e.problems[:50]:
            form.add_error("file", problem_line(problem))
        return setup_page(request, upload=form, status=400)
    record(row, request.user, ChangeKind.IMPORT, f"{row.name} 取込み", new=f.name)
    messages.success(request, _("計画を作成しました。体系と指標は各ページの「編集」で直せます。"))
    return redirect("tree", *row.route)


def _read_plan(name: str, data: bytes) -> object:
    if not name.lower().endswith(".xlsx"):
        return loads(data, where=name)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.xlsx"
        path.write_bytes(data)
        return apply_update(None, read_update(path, name))


@plan_view
def node_edit(request: HttpRequest, plan: m.Plan, node_key: str) -> HttpResponse:
    access.require(access.may_manage(request.user))
    row = get_object_or_404(m.Node.objects.select_related("plan"), plan=plan, key=node_key)
    node = core_plan(plan).node_by_id[node_key]
    if request.method == "POST":
        form = NodeForm(request.POST)
        done = _saved(request, form, lambda: save_node(row, form.values(), request.user, form.cleaned_data["why"]))
        if done:
            return redirect(reverse("node", args=[*plan.route, node_key]))
    else:
        form = NodeForm(initial={f.name: schema_initial(f, getattr(node, f.name)) for f in NODE_FIELDS})
    return _edit_page(request, plan, form, node=node, ancestors=core_plan(plan).ancestors(node_key), kind="node")


@plan_view
def indicator_edit(request: HttpRequest, plan: m.Plan, indicator_key: str) -> HttpResponse:
    access.require(access.may_manage(request.user))
    row = get_object_or_404(m.Indicator.objects.select_related("plan"), plan=plan, key=indicator_key)
    core = core_plan(plan)
    indicator = core.indicator_by_id[indicator_key]
    if request.method == "POST":
        form = IndicatorForm(request.POST)
        done = _saved(
            request, form, lambda: save_indicator(row, form.values(), form.baseline_values(), request.user, form.cleaned_data["why"])
        )
        if done:
            return redirect(reverse("indicator", args=[*plan.route, indicator_key]))
    else:
        initial = {f.name: schema_initial(f, getattr(indicator, f.name)) for f in INDICATOR_FIELDS}
        if indicator.baseline is not None:
            initial |= {"baseline": indicator.baseline.entry.text}
            initial |= {f"baseline_{f.name}": schema_initial(f, getattr(indicator.baseline, f.name)) for f in BASELINE_FIELDS}
        form = IndicatorForm(initial=initial)
    ancestors = [*core.ancestors(indicator.node), core.node_by_id[indicator.node]]
    return _edit_page(request, plan, form, indicator=indicator, ancestors=ancestors, kind="indicator")


def _saved(request: HttpRequest, form: CoreForm, save: Callable[[], bool]) -> bool:
    """Whether the posted *form* was saved by *save* (which says whether anything changed)."""
    return form_acted(request, form, lambda: _("保存しました。") if save() else _("変更はありません。"))


def _edit_page(request: HttpRequest, plan: m.Plan, form: CoreForm, **shown: Any) -> HttpResponse:
    ctx = plan_context(plan, chosen_year(request, plan), form=form, **shown)
    return render(request, "plans/edit.html", ctx, status=400 if form.errors else 200)
