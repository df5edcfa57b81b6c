"""The plan's rule set: shown in plain words, revised by planners as a new version with its reason."""

from __future__ import annotations

import json
from contextlib import ExitStack
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
from ....site.published import evaluated_years
from ...accounts import access
from ...accounts.models import User
from ...history.models import ChangeKind
from ...history.record import record
from .. import models as m
from ..conflicts import writing
from ..convert import core_plan, document, touch
from ..entry import bounded
from ..forms import problem_line
from ..publication import correcting
from ..rules_form import RulesForm, Shift, preview, published_shifts
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


def save_rules(plan: m.Plan, spec: dict[str, Any], user: User | None, why: str, correction: str = "") -> m.RuleSetVersion:
    """A new version of the rule set, after the core has checked the whole plan under it.

    A published year is evaluated under the current rules wherever it is shown, so a version that
    moves a grade or a judgement of a published year is saved only with a 訂正 reason (*correction*),
    and each such year gets its 訂正 with every old → new: the public record says what changed and why.
    """
    bounded("why", why)
    bounded("correction", correction)
    with writing(plan):
        doc = document(plan)
        doc["rules"] = spec
        plan_from_dict(doc)
        core = core_plan(plan)
        shifts = published_shifts(core, spec, evaluated_years(core))
        if shifts and not correction.strip():
            raise InputError.one(
                "correction",
                "公表済みの年度の評価が変わります。訂正の理由を書いてください",
                "grades of a published year change: give the reason for the correction",
            )
        with ExitStack() as stack:
            corrections = {year: stack.enter_context(correcting(plan, year, user, correction)) for year in shifts}
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
            for year, corrected in corrections.items():
                for s in shifts[year]:
                    corrected.add(s.subject(year), s.before or "―", s.after or "―", node=s.node, indicator=s.indicator)
        return version


@plan_view
def rules(request: HttpRequest, plan: m.Plan) -> HttpResponse:
    """The rules in words; for planners the form (or, for what it does not hold, the JSON) with a preview before saving.

    The preview and a refused save also list what the proposed rules would change in each published year
    (the 訂正 that saving them makes)."""
    year = chosen_year(request, plan)
    may_manage = access.may_manage(request.user)
    versions = list(m.RuleSetVersion.objects.filter(plan=plan).select_related("created_by"))
    stored = versions[0].spec if versions else core_plan(plan).rules_spec
    form, text, problems, shown, status = RulesForm(spec=stored), json.dumps(stored, ensure_ascii=False, indent=1), [], None, 200
    corrected: dict[int, list[Shift]] = {}
    if request.method == "POST":
        access.require(may_manage)
        spec, why, correction = None, request.POST.get("why", "").strip(), request.POST.get("correction", "").strip()
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
            core = core_plan(plan)
            shown, corrected = preview(core, spec, year), published_shifts(core, spec, evaluated_years(core))
        elif spec is not None:
            try:
                if not why:
                    raise InputError.one(
                        "why", _("評価ルールを変えるときは変更理由を書いてください"), "give a reason for changing the rules"
                    )
                save_rules(plan, spec, request.user, why, correction)
            except InputError as e:
                if "spec" in request.POST:
                    problems += [problem_line(p) for p in e.problems]
                else:
                    form.add_problems(e)
                core = core_plan(plan)
                corrected = published_shifts(core, spec, evaluated_years(core))
            else:
                messages.success(request, _("評価ルールを更新しました。"))
                return redirect("rules", *plan.route)
        status = 400 if problems or form.errors else 200
    ctx = plan_context(
        plan,
        year,
        versions=versions,
        spec_text=text,
        problems=problems,
        may_manage=may_manage,
        form=form,
        preview=shown,
        corrected=sorted(corrected.items()),
        correction=request.POST.get("correction", ""),
    )
    rule_set = ctx["ev"].rules
    ctx |= {
        "words": rule_words(rule_set),
        "rounding": rounding_words(rule_set.rate.rounding),
        "measures": measure_sentences(rule_set.measures),
    }
    return render(request, "plans/rules.html", ctx, status=status)
