"""The rule set as a form, and what a change of it would do to the grades (before → after).

A planner revising the rules should not have to write JSON, nor find out after saving that
half the 小柱 changed grade. The form holds what is usually revised (the rounding and cap
of rates, the bands of each grade and of the judgement, the display style, the
plausibility thresholds); the rest of the rule set is kept as it is. Bands are written one
a line, 「90 順調に進んでいます」 (the last without a lower bound: 「- 遅れています」), a
judgement band with its symbol, 「100 ◎ 達成」. The preview evaluates the plan under the
current and the proposed rules for the year shown and lists every grade that changes.

The public site, the API and the report evaluate a published year under the current rules,
so a new rule set would rewrite published grades without a word. ``published_shifts`` lists
what it would change in each published year: saving then needs a 訂正 reason and records
each such year as a 訂正 (``views.rules.save_rules``).
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ...core.display import percent_text
from ...core.engine import Evaluation, evaluate
from ...core.errors import InputError, Problem
from ...core.judgement import Judgement
from ...core.model import Plan as CorePlan
from ...core.rules import PERCENT_SIGNS, parse_rules, resolve_spec
from ...core.summary import ALL, summarize
from .forms import CoreForm, in_language, text_field, why_field

NO_MIN = ("-", "－", "―", "なし", "none")
ROUNDING_LABELS = {
    "truncate": _("切り捨て"),
    "half_up": _("四捨五入"),
    "half_even": _("偶数丸め"),
    "floor": _("切り下げ"),
    "ceiling": _("切り上げ"),
}
THRESHOLDS = ("percent_max", "share_max", "achievement_max", "jump")


def _decimal_text(value: Any) -> str:
    return "" if value is None else str(value)


def bands_text(bands: list[dict[str, Any]], symbols: bool) -> str:
    """Bands one a line as the form shows them: 「90 順調」, 「100 ◎ 達成」, 「- 遅れ」."""
    lines = []
    for b in bands:
        head = _decimal_text(b.get("min")) or "-"
        lines.append(" ".join(p for p in (head, b.get("symbol", "") if symbols else "", b.get("label", "")) if p))
    return "\n".join(lines)


def parse_bands(text: str, symbols: bool) -> list[dict[str, Any]]:
    """The lines of a bands box back into band objects; ValueError names the line that cannot be read."""
    bands = []
    for number, line in enumerate((line.strip() for line in text.splitlines() if line.strip()), start=1):
        parts = re.split(r"\s+", line, maxsplit=2 if symbols else 1)
        if len(parts) < (3 if symbols else 2):
            raise ValueError(number)
        band: dict[str, Any] = {"min": None if parts[0].lower() in NO_MIN else parts[0], "label": parts[-1]}
        if symbols:
            band["symbol"] = parts[1]
        bands.append(band)
    return bands


class RulesForm(CoreForm):
    """The usual revisions of a rule set; *spec* is the stored one, which the fields start from and the rest is kept of."""

    rate_rounding = forms.ChoiceField(label=_("達成率の丸め方"), choices=list(ROUNDING_LABELS.items()))
    rate_decimals = forms.IntegerField(label=_("達成率の小数桁数"), min_value=0, max_value=6)
    rate_cap = forms.CharField(
        label=_("達成率の上限（表示と平均）"), required=False, max_length=20, help_text=_("空欄で上限なし（例: 100）")
    )
    display_unit_space = forms.BooleanField(label=_("数値と単位の間に空白を入れる（「1,234 件」）"), required=False)
    display_percent = forms.ChoiceField(label=_("パーセントの記号"), choices=[(s, s) for s in PERCENT_SIGNS])
    plausibility_negative = forms.BooleanField(label=_("負の値を確認する"), required=False)
    plausibility_percent_max = forms.CharField(label=_("％の値の上限（割合以外）"), required=False, max_length=20)
    plausibility_share_max = forms.CharField(label=_("割合の上限（％）"), required=False, max_length=20)
    plausibility_share_words = forms.CharField(label=_("割合とみなす指標名の語（読点区切り）"), required=False, max_length=200)
    plausibility_achievement_max = forms.CharField(label=_("達成率の上限（確認する値、％）"), required=False, max_length=20)
    plausibility_jump = forms.CharField(label=_("前年度からの変化の上限（％）"), required=False, max_length=20)
    why = why_field()
    correction = text_field(
        _("訂正の理由（公表済みの年度の評価が変わるとき）"),
        limit=1000,
        help_text=_("公表済みの年度の評価・判定が変わる改定は、その年度の訂正として公表されます"),
    )

    def __init__(self, *args: Any, spec: dict[str, Any], **kwargs: Any) -> None:
        self.stored = resolve_spec(copy.deepcopy(spec))
        rules = parse_rules(self.stored)
        initial = {
            "rate_rounding": rules.rate.rounding.mode,
            "rate_decimals": rules.rate.rounding.decimals,
            "rate_cap": _decimal_text(rules.rate.cap),
            "display_unit_space": rules.display.unit_space,
            "display_percent": rules.display.percent,
            "plausibility_negative": rules.plausibility.negative,
            "plausibility_share_words": "、".join(rules.plausibility.share_words),
        } | {f"plausibility_{k}": _decimal_text(getattr(rules.plausibility, k)) for k in THRESHOLDS}
        for i, g in enumerate(self.stored.get("grades", [])):
            initial[f"grade_{i}_bands"] = bands_text(g.get("bands", []), symbols=False)
        if self.stored.get("judgement"):
            initial["judgement_bands"] = bands_text(self.stored["judgement"].get("bands", []), symbols=True)
        super().__init__(*args, initial=initial, **kwargs)
        for i, g in enumerate(self.stored.get("grades", [])):
            title = _("計画全体の評価の区分") if g.get("level") == "plan" else _("%(level)sの評価の区分") % {"level": g.get("level")}
            self.fields[f"grade_{i}_bands"] = forms.CharField(
                label=title, widget=forms.Textarea(attrs={"rows": 5}), help_text=_("1行に1区分: 下限 名称（最後の区分は「- 名称」）")
            )
        if self.stored.get("judgement"):
            self.fields["judgement_bands"] = forms.CharField(
                label=_("指標の判定の区分"), widget=forms.Textarea(attrs={"rows": 4}), help_text=_("1行に1区分: 下限 記号 名称")
            )
        self.spec: dict[str, Any] | None = None

    def grade_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("grade_") or name == "judgement_bands"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        spec = copy.deepcopy(self.stored)
        spec["rate"] = {"rounding": data["rate_rounding"], "decimals": data["rate_decimals"], "cap": data["rate_cap"] or None}
        spec["display"] = {"unit_space": data["display_unit_space"], "percent": data["display_percent"]}
        words = [w.strip() for w in re.split(r"[、,，]", data["plausibility_share_words"]) if w.strip()]
        spec["plausibility"] = {"negative": data["plausibility_negative"], "share_words": words} | {
            k: data[f"plausibility_{k}"] or None for k in THRESHOLDS
        }
        for i, grade in enumerate(spec.get("grades", [])):
            grade["bands"] = self._bands(f"grade_{i}_bands", symbols=False)
        if spec.get("judgement"):
            spec["judgement"]["bands"] = self._bands("judgement_bands", symbols=True)
        if self.errors:
            return data
        try:
            parse_rules(spec)
        except InputError as e:
            self.add_problems(e)
            return data
        self.spec = spec
        return data

    def _bands(self, name: str, symbols: bool) -> list[dict[str, Any]]:
        try:
            return parse_bands(self.cleaned_data[name], symbols)
        except ValueError as e:
            self.add_error(name, _("%(n)s行目を読めません（「下限 名称」の形で書いてください）") % {"n": e.args[0]})
            return []

    def add_problems(self, error: InputError) -> None:
        """A rule's problem (``rules.grades[0].bands[1].min``) beside the field that holds it."""
        for problem in error.problems:
            self.add_error(self._field_of(problem), in_language(problem))

    def _field_of(self, problem: Problem) -> str | None:
        where = problem.where
        if where in self.fields:  # the reason for the change
            return where
        grade = re.match(r"^rules\.grades\[(\d+)\]", where)
        if grade and f"grade_{grade.group(1)}_bands" in self.fields:
            return f"grade_{grade.group(1)}_bands"
        if where.startswith("rules.judgement") and "judgement_bands" in self.fields:
            return "judgement_bands"
        section = re.match(r"^rules\.(rate|display|plausibility)\.(\w+)", where)
        name = f"{section.group(1)}_{section.group(2)}" if section else ""
        return name if name in self.fields else None


RATE = "達成率"


@dataclass(frozen=True)
class Shift:
    """A grade (or an indicator's judgement) that a change of the rules would move: its grade now and under the proposal."""

    name: str
    level: str
    before: str
    after: str
    node: str = ""
    indicator: str = ""

    def subject(self, year: int) -> str:
        """How the 訂正 names it (in Japanese, like the change log): 「1-3 雇用 2024年度 評価（小柱）」."""
        if self.level == RATE:
            return f"{self.name} {year}年度 {RATE}"
        what = "判定" if self.indicator else "評価"
        return f"{self.name} {year}年度 {what}（{self.level}）"


def _proposed(core: CorePlan, spec: dict[str, Any]) -> CorePlan:
    return dataclasses.replace(core, rules=parse_rules(spec), rules_spec=spec)


def _grade_shifts(core: CorePlan, before: Evaluation, after: Evaluation) -> list[Shift]:
    return [
        Shift(f"{n.number} {n.name}", n.level, _label(before, n.id), _label(after, n.id), node=n.id)
        for n in core.nodes
        if _label(before, n.id) != _label(after, n.id)
    ]


def preview(core: CorePlan, spec: dict[str, Any], year: int) -> dict[str, Any]:
    """What the proposed rules would change in *year*: every grade that moves, the plan's grade, the judgement counts."""
    before = evaluate(core, year)
    after = evaluate(_proposed(core, spec), year)
    shifts = _grade_shifts(core, before, after)
    return {
        "year": year,
        "shifts": shifts,
        "plan": (_plan_label(before), _plan_label(after)),
        "judgements": _judgement_counts(before, after),
    }


def published_shifts(core: CorePlan, spec: dict[str, Any], years: Iterable[int]) -> dict[int, list[Shift]]:
    """Per published year in *years*, every grade, the plan's grade and every judgement the proposed rules would change
    (years where nothing changes are left out: their public record stays as it is)."""
    proposed = _proposed(core, spec)
    titles = {c.name: c.title for c in (*core.rules.judgements, *proposed.rules.judgements)}
    out: dict[int, list[Shift]] = {}
    for year in sorted(years):
        before, after = evaluate(core, year), evaluate(proposed, year)
        shifts = _grade_shifts(core, before, after)
        if _plan_label(before) != _plan_label(after):
            shifts.append(Shift(core.name, "計画全体", _plan_label(before), _plan_label(after)))
        for key, was in before.indicators.items():
            now = after.indicators[key]
            for (label, _s, old_rate), (_l, _n, new_rate) in zip(was.rates, now.rates, strict=True):
                old, new = percent_text(old_rate.value, core.rules.display), percent_text(new_rate.value, proposed.rules.display)
                if old != new:  # a published 達成率 (rounding, cap) is part of the record too
                    name = f"{key} {was.indicator.name}{f'（{label}）' if label else ''}"
                    shifts.append(Shift(name, RATE, old, new, indicator=key))
            for name in dict.fromkeys([None, *was.judgements, *now.judgements]):
                old, new = _judged(was.judgement_named(name)), _judged(now.judgement_named(name))
                if old != new:
                    shifts.append(Shift(f"{key} {was.indicator.name}", titles.get(name or "", "判定"), old, new, indicator=key))
        if shifts:
            out[year] = shifts
    return out


def _judged(judgement: Judgement | None) -> str:
    return "" if judgement is None else f"{judgement.symbol} {judgement.label}".strip()


def _label(ev: Evaluation, node: str) -> str:
    grade = ev.nodes[node].grade
    return "" if grade is None else grade.label


def _plan_label(ev: Evaluation) -> str:
    return "" if ev.plan_grade is None else ev.plan_grade.label


def _judgement_counts(before: Evaluation, after: Evaluation) -> list[tuple[str, int, int]]:
    was, now = summarize(before).judgements, summarize(after).judgements
    if not was or not now:
        return []
    symbols = list(dict.fromkeys([*was[ALL].symbols, *now[ALL].symbols]))
    return [(s, was[ALL].counts.get(s, 0), now[ALL].counts.get(s, 0)) for s in symbols]
