"""The plan's rule set: shown in plain words, revised by planners as a new version with its reason."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ....core.arithmetic import rounding_words
from ....core.errors import InputError
from ....core.explain import AGGREGATE_WORDS, band_range_words
from ....core.explain_conditions import condition_words
from ....core.method import measure_sentences
from ....core.rules import RuleSet, parse_rules
from ....formats.hyoka1 import parse_json, plan_from_dict
from ...accounts import access
from ...history.models import ChangeKind
from ...history.record import record
from .. import models as m
from ..conflicts import writing
from ..convert import core_plan, document, touch
from ..entry import bounded
from ..forms import problem_line
from ..rules_form import RulesForm, preview
from .common import chosen_year, plan_context, plan_view


def rule_words(rules: RuleSet) -> list[dict[str, object]]:
    """Each grade rule and the judgement rule as a reader checks them: bands with their ranges."""
    out: list[dict[str, object]] = []
    for g in rules.grades:
        out.append(
            {
                "title": _("計画全体の評価") if g.is_plan else _("%(level)sの評価") % {"level": g.level},
                "how": AGGREGATE_WORDS[g.aggregate],
                "clamp": g.clamp,
                "bands": [(band_range_words(g.bands, i), b.symbol, b.label) for i, b in enumerate(g.bands)],
                "no_data": g.no_data,
            }
        )
    if rules.judgement is not None:
        j = rules.judgement
        out.append(
            {
                "title": _("指標ごとの判定"),
                "how": "",
                "clamp": None,
                "bands": [(band_range_words(j.bands, i), b.symbol, b.label) for i, b in enumerate(j.bands)]
                + [("", j.pending.symbol, j.pending.label), ("", j.none.symbol, j.none.label)],
                "no_data": "",
            }
        )
    for c in rules.judgements:  # named judgements: their conditions, read from the top
        markers = [("", c.pending.symbol, c.pending.label)] + ([("", c.none.symbol, c.none.label)] if c.none != c.pending else [])
        out.append(
            {
                "title": c.title,
                "how": _("上から順に判断"),
                "clamp": None,
                "bands": [(condition_words(x), x.symbol, x.label) for x in c.conditions] + markers,
                "no_data": "",
            }
        )
    return out


def save_rules(plan: m.Plan, spec: dict[str, Any], user: object, why: str) -> m.RuleSetVersion:
    """A new version of the rule set, after the core has checked the whole plan under it."""
    bounded("why", why)
    with writing(plan):
        doc = document(plan)
        doc["rules"] = spec
        plan_from_dict(doc)
        current = m.RuleSetVersion.objects.filter(plan=plan).aggregate(n=Max("version"))["n"] or 0
        old = m.RuleSetVersion.objects.get(plan=plan, version=current).spec if current else None
        version = m.RuleSetVersion.objects.create(plan=plan, version=current + 1, spec=spec, created_by=user, note=why)
        record(
            plan,
            user,
            ChangeKind.RULES,
            f"評価ルール 第{current + 1}版",
            old=json.dumps(old, ensure_ascii=False),
            new=json.dumps(spec, ensure_ascii=False),
            why=why,
        )
        touch(plan)
        return version


@plan_view
def rules(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    """The rules in words; for planners the form (or, for what it does not hold, the JSON) with a preview before saving."""
    year = chosen_year(request, plan)
    may_manage = access.may_manage(request.user)
    versions = list(m.RuleSetVersion.objects.filter(plan=plan).select_related("created_by"))
    stored = versions[0].spec if versions else core_plan(plan).rules_spec
    form, text, problems, shown, status = RulesForm(spec=stored), json.dumps(stored, ensure_ascii=False, indent=1), [], None, 200
    if request.method == "POST":
        access.require(may_manage)
        spec, why = None, request.POST.get("why", "").strip()
        if "spec" in request.POST:  # the JSON, for what the form does not hold
            text = request.POST.get("spec", "")
            try:
                spec = parse_json(text, "rules")
                parse_rules(spec)
            except InputError as e:
                problems, spec = [problem_line(p) for p in e.problems], None
        else:
            form = RulesForm(request.POST, spec=stored)
            spec = form.spec if form.is_valid() else None
        if spec is not None and request.POST.get("action") == "preview":
            shown = preview(core_plan(plan), spec, year)
        elif spec is not None:
            try:
                if not why:
                    raise InputError.one(
                        "why", _("評価ルールを変えるときは変更理由を書いてください"), "give a reason for changing the rules"
                    )
                save_rules(plan, spec, request.user, why)
            except InputError as e:
                if "spec" in request.POST:
                    problems += [problem_line(p) for p in e.problems]
                else:
                    form.add_problems(e)
            else:
                messages.success(request, _("評価ルールを更新しました。"))
                return redirect("rules", *plan.route)
        status = 400 if problems or form.errors else 200
    ctx = plan_context(plan, year, versions=versions, spec_text=text, problems=problems, may_manage=may_manage, form=form, preview=shown)
    rule_set = ctx["ev"].rules
    ctx |= {
        "words": rule_words(rule_set),
        "rounding": rounding_words(rule_set.rate.rounding),
        "measures": measure_sentences(rule_set.measures),
    }
    return render(request, "plans/rules.html", ctx, status=status)
