"""訂正 of a published value (SPEC 2.5–2.6): late figures (把握予定) and errors found after 公表.

Only planners correct, always with a reason; the change is published at once as a new
revision of the year's record (``publication.correcting``) which the public page, the
report and the API print with its date and old → new. Workbooks and `hyoka/1` files
correct many values at once through the upload preview, with the same reason field.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ...core.errors import InputError
from ..accounts import access
from ..plans import models as m
from ..plans.entry import ValueInput, save_value
from ..plans.locks import YearLocked, published_years
from ..plans.publication import correcting
from ..plans.views.common import chosen_year, plan_context, plan_view, year_or_404


class CorrectionForm(forms.Form):
    value = forms.CharField(label=gettext_lazy("訂正後の実績値"), max_length=2000, required=False)
    status = forms.ChoiceField(label=gettext_lazy("状態"), choices=m.ValueStatus.choices, initial=m.ValueStatus.CONFIRMED)
    expected = forms.CharField(label=gettext_lazy("把握予定（年-月）"), max_length=7, required=False)
    note = forms.CharField(label=gettext_lazy("備考"), max_length=2000, required=False)
    reason = forms.CharField(label=gettext_lazy("訂正の理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def entered(self) -> ValueInput:
        d = self.cleaned_data
        return ValueInput(d["value"], d["status"], d["expected"].strip(), d["note"].strip())


@plan_view
@require_http_methods(["GET", "HEAD", "POST"])
def correct_value(request: HttpRequest, plan: m.Plan, indicator_key: str) -> HttpResponse:
    access.require(access.may_manage(request.user))
    series = get_object_or_404(
        m.Series.objects.select_related("indicator__plan", "indicator__node"),
        indicator__plan=plan,
        indicator__key=indicator_key,
        part=request.POST.get("part", request.GET.get("part", "")),
    )
    year = year_or_404(request.POST.get("year", "")) if request.method == "POST" else chosen_year(request, plan)
    if year not in published_years(plan):
        raise YearLocked(f"{plan.key}:{year}", f"{year}年度は公表されていません（訂正は公表済みの年度に）", f"{year} is not published")
    stored = m.Value.objects.filter(series=series, year=year).first()
    form = CorrectionForm(
        request.POST or None, initial={"value": stored.text, "status": stored.status, "note": stored.note} if stored else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            with correcting(plan, year, request.user, form.cleaned_data["reason"]) as correction:
                changed = save_value(series, year, form.entered(), request.user, correction=correction)
        except InputError as e:
            for problem in e.problems:
                form.add_error("value", problem.message)
        else:
            messages.success(request, _("訂正して公表しました。") if changed else _("変更はありません。"))
            return redirect(reverse("indicator", args=[*plan.route, indicator_key]) + f"?year={year}")
    ctx = plan_context(plan, year, form=form, series=series, indicator=series.indicator, stored=stored)
    return render(request, "workflow/correct.html", ctx, status=400 if request.method == "POST" else 200)
