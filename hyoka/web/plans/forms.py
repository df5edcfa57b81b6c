"""The forms of data entry: every input a person types is read by a Django form that asks the core.

A form checks what Django can (lengths, choices) and then hands the value to the same
function an upload or a plan file goes through (``entry.check_value``, ``hyoka1``'s
readers), so that the browser accepts and refuses exactly what a file would. The core's
problems carry a place in the plan (``indicators[1-1-3-k2].values.2025.value``): the form
puts each message beside the field that place ends in, in the reader's language, and
never shows the place itself. A bound form keeps what was typed, so a refused entry is
shown again with its text and the reason beside it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ...core.errors import InputError, Problem
from ...core.model import NodeTexts, Review
from ...core.model import Series as CoreSeries
from ...core.model import Value as CoreValue
from ...core.plausibility import doubts
from ...core.rules import RuleSet
from ...core.schema import CHOICE, LIST, LONGEST_TEXT, Plain
from ...core.values import MAX_TEXT_LENGTH
from ...formats.hyoka1 import yearly_from_dict
from . import models as m
from .convert import core_plan
from .entry import ValueInput, check_value, core_series, lines
from .setup import INDICATOR_FIELDS, NODE_FIELDS
from .templatetags.hyoka_tags import wareki


def in_language(problem: Problem) -> str:
    """A problem's message in the reader's language (the English one when English is chosen)."""
    if (get_language() or "ja").startswith("en") and problem.message_en:
        return problem.message_en
    return problem.message


def subject_of(where: str) -> str:
    """A value's or a text's place as a person names it: 「1-3-1-k3（小） 2025年度」 for ``indicators[1-3-1-k3].parts[小].values.2025.value``."""
    found = re.match(r"^(?:indicators|nodes)\[([^\]]+)\](?:\.parts\[([^\]]+)\])?\.\w+\.(\d{4})", where)
    if found is None:
        return ""
    ident, part, year = found.groups()
    return f"{ident}{f'（{part}）' if part else ''} {year}年度"


def problem_line(problem: Problem) -> str:
    """A problem of a file as one line: its place (file, sheet, row, column), the cell's text and the message."""
    place = f"{problem.where}: " if problem.where else ""
    text = f"「{problem.text}」: " if problem.text is not None else ""
    return f"{place}{text}{in_language(problem)}"


class CoreForm(forms.Form):
    """A form whose values the core checks; *default_field* takes the problems that name no field of the form."""

    default_field: str | None = None

    def add_problems(self, error: InputError) -> None:
        for problem in error.problems:
            last = problem.where.rsplit(".", 1)[-1] if problem.where else ""
            self.add_error(last if last in self.fields else self.default_field, in_language(problem))

    @property
    def base(self) -> str:
        """The stamp of what the form was rendered over (``conflicts``): none sent is a form over nothing, ""."""
        return self.data.get("base", "") if self.is_bound else ""


def text_field(label: Any, *, required: bool = False, rows: int = 0, limit: int = LONGEST_TEXT, **extra: Any) -> forms.CharField:
    """A free text of at most *limit* characters (docs/format.md), one line or a box of *rows*.

    The limit is said as a plan file's reader says it (「10,000 文字まで」), not in Django's own words.
    """
    attrs = {"maxlength": limit, **({"rows": rows} if rows else {})}
    widget = forms.Textarea(attrs=attrs) if rows else forms.TextInput(attrs=attrs)
    return forms.CharField(label=label, required=required, strip=True, widget=widget, validators=[_at_most(limit)], **extra)


def _at_most(limit: int) -> Callable[[str], None]:
    def check(text: str) -> None:
        if len(text) > limit:
            message = _("長すぎます（%(length)s 文字。%(limit)s 文字まで）") % {"length": f"{len(text):,}", "limit": f"{limit:,}"}
            raise ValidationError(message, code="max_length")

    return check


def why_field(required: bool = False) -> forms.CharField:
    return text_field(_("変更理由"), required=required, limit=1000)


class ValueForm(CoreForm):
    """A value of one series and year: the figure as typed, its status and the words around it."""

    default_field = "value"
    value = forms.CharField(
        label=_("実績値"),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": _("例: 3,915件 ／ ５万人 ／ 82.5％")}),
        help_text=_("全角数字・カンマ・万/億・単位のまま入力できます。"),
    )
    status = forms.ChoiceField(label=_("状態"), choices=m.ValueStatus.choices, initial=m.ValueStatus.CONFIRMED, required=False)
    expected = forms.CharField(label=_("把握予定時期"), required=False, max_length=7, widget=forms.TextInput(attrs={"type": "month"}))
    note = text_field(_("備考"))
    shortfall = text_field(_("未達成の理由"), rows=2, help_text=_("目標に届かなかったときは、その理由と今後の対応を書いてください。"))
    why = why_field()
    confirm = forms.BooleanField(label=_("警告を確認しました（この値で保存します）"), required=False)

    def __init__(self, *args: Any, series: m.Series | None = None, year: int = 0, **kwargs: Any) -> None:
        """*series* and *year* are what a bound form is checked against; a form only shown needs neither."""
        super().__init__(*args, **kwargs)
        self.series, self.year = series, year
        self.checked: CoreValue | None = None
        self.warnings: list[Problem] = []

    def clean_status(self) -> str:
        """No status chosen is 確定: the text still decides (「2026年９月頃把握予定」 is pending whatever is chosen)."""
        return self.cleaned_data["status"] or m.ValueStatus.CONFIRMED

    @property
    def entered(self) -> ValueInput:
        d = self.cleaned_data
        return ValueInput(d["value"], d["status"], d["expected"].strip(), d["note"], d["shortfall"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        assert self.series is not None, "a bound value form is checked against its series"
        try:
            self.checked = check_value(self.series, self.year, self.entered)
        except InputError as e:
            self.add_problems(e)
            return data
        held = core_series(self.series)
        stored = held.values.get(self.year)
        trial = _with_value(held, self.year, self.checked)
        self.warnings = doubts(trial, self.year, _rules(self.series))
        figure_changed = stored is None or (stored.entry.text, stored.status) != (self.checked.entry.text, self.checked.status)
        if self.warnings and figure_changed and not data.get("confirm"):
            self.add_error("confirm", _("次の点を確かめてから、確認の欄にチェックして保存してください。"))
        return data

    def warning_texts(self) -> list[str]:
        return [in_language(w) for w in self.warnings]


def _rules(series: m.Series) -> RuleSet:
    return core_plan(series.indicator.plan).rules


def _with_value(held: CoreSeries, year: int, value: CoreValue) -> CoreSeries:
    """A copy of the series with *value* in *year*: what the plausibility check looks at before anything is saved."""
    trial = copy.copy(held)
    trial.values = {**held.values, year: value}
    return trial


class TargetForm(CoreForm):
    default_field = "target"
    target_year = forms.IntegerField(label=_("年度"), widget=forms.Select)
    target = forms.CharField(label=_("目標値"), required=False, max_length=MAX_TEXT_LENGTH, help_text=_("空欄で削除"))
    why = why_field(required=True)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_year"].widget.choices = [(y, str(y)) for y in years]


class TextsForm(CoreForm):
    """A node's 一次評価 of a year: one bullet a line."""

    default_field = "results"
    results = text_field(_("取組結果"), rows=8)
    issues = text_field(_("今後の取組に向けた課題と方向性"), rows=8)
    why = why_field()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors:
            try:
                yearly_from_dict({"results": lines(data["results"]), "issues": lines(data["issues"])}, NodeTexts)
            except InputError as e:
                self.add_problems(e)
        return data


class ReviewForm(CoreForm):
    default_field = "comments"
    grade = forms.ChoiceField(label=_("評価区分"))
    comments = text_field(_("意見（1行に1項目）"), rows=4)

    def __init__(self, *args: Any, grades: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = [("", _("選んでください")), *((g, g) for g in grades)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors:
            try:
                yearly_from_dict({"grade": data["grade"], "comments": lines(data["comments"])}, Review)
            except InputError as e:
                self.add_problems(e)
        return data


class AnswerForm(CoreForm):
    default_field = "answer"
    answer = text_field(_("対応・回答"), rows=4)


class CycleOpenForm(forms.Form):
    """年度を開始: the year and the due date of submissions.

    The chooser offers only the years that may open; a published year posted anyway is
    accepted here and refused as a record (403) where the cycle is opened, under its lock.
    """

    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    due = forms.DateField(
        label=_("提出期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("提出期限は日付（例: 2026-05-29）で入力してください。")},
    )

    def __init__(self, *args: Any, years: list[int], published: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose = [("", _("選んでください"))]
        self.fields["year"].choices = [*choose, *((y, wareki(y)) for y in years)]
        self.fields["year"].widget.choices = [c for c in self.fields["year"].choices if c[0] not in published]

    @property
    def openable(self) -> list[int]:
        """The years the chooser offers: never a published one."""
        return [y for y, _label in self.fields["year"].widget.choices if y != ""]


class ReasonForm(CoreForm):
    """The reason of 公表 or 公表取消, which the change log and the publication's record keep.

    Whether one is needed is the step's to say (公表 needs one only when something is unfinished).
    """

    default_field = "reason"
    reason = text_field(_("理由"), rows=2, limit=1000)

    def __init__(self, *args: Any, label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label


MAX_UPLOAD_BYTES = 20 * 1024 * 1024
UPLOAD_SUFFIXES = (".xlsx", ".json")


class UploadForm(forms.Form):
    """A workbook or a `hyoka/1` file, refused by its size or kind before anything reads it."""

    file = forms.FileField(
        label=_("記入したブック（.xlsx）または計画ファイル（hyoka/1 JSON）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.json"}),
    )

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("ファイルが大きすぎます（20MBまで）。"))
        if not f.name.lower().endswith(UPLOAD_SUFFIXES):
            raise forms.ValidationError(_("取り込めるのは .xlsx（ブック）と .json（hyoka/1 の計画ファイル）です。"))
        return f


def schema_field(f: Plain, choices: list[tuple[str, str]] | None = None) -> forms.Field:
    """The form field of a plan's plain field (core.schema): a list one item a line, a year as people write it."""
    if f.kind == CHOICE and (choices or f.about.choices):
        offered = choices or list(f.about.choices.items())
        if f.default is None:  # no choice is a choice too: the plan's default (a formula from the direction)
            offered = [("", "―"), *offered]
        return forms.ChoiceField(label=f.label, help_text=f.about.help, choices=offered, required=f.default is not None)
    if f.kind == LIST:
        return forms.CharField(
            label=f.label, help_text=f.about.help + _("１行に一つ。"), required=False, widget=forms.Textarea(attrs={"rows": 3})
        )
    return forms.CharField(label=f.label, help_text=f.about.help, required=f.about.required, max_length=f.about.size or LONGEST_TEXT)


def schema_initial(f: Plain, value: Any) -> Any:
    if isinstance(value, list):
        return "\n".join(value)
    return "" if value is None else str(getattr(value, "value", value))


class SchemaForm(CoreForm):
    """A form of a plan's plain fields; its cleaned values are what the plan file holds (a list, a year's text)."""

    described: tuple[Plain, ...] = ()

    def __init__(self, *args: Any, choices: dict[str, list[tuple[str, str]]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.described:
            self.fields[f.name] = schema_field(f, (choices or {}).get(f.name))
        self.fields["why"] = why_field(required=True)
        self.order_fields([f.name for f in self.described])

    def values(self) -> dict[str, Any]:
        kinds = {f.name: f.kind for f in self.described}
        return {name: lines(v) if kinds.get(name) == LIST else v for name, v in self.cleaned_data.items() if name in kinds}


class NodeForm(SchemaForm):
    described = NODE_FIELDS


class IndicatorForm(SchemaForm):
    """An indicator's own fields and its baseline (the parts, targets and values have their own forms)."""

    described = INDICATOR_FIELDS
    baseline = forms.CharField(
        label=_("基準値"), required=False, max_length=MAX_TEXT_LENGTH, help_text=_("印刷どおりに（例: 3,747件）。空欄で基準値なし。")
    )
    baseline_year = forms.CharField(label=_("基準年度"), required=False, max_length=20)
    baseline_note = text_field(_("基準値の注記"))

    def baseline_values(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"value": d["baseline"], "year": d["baseline_year"], "note": d["baseline_note"]}

    def add_problems(self, error: InputError) -> None:
        """A baseline's problems (``indicators[3].baseline.year``) go to the baseline's fields."""
        for problem in error.problems:
            head, _dot, last = problem.where.rpartition(".")
            if head.endswith(".baseline"):
                field = {"value": "baseline", "year": "baseline_year", "note": "baseline_note"}.get(last, "baseline")
                self.add_error(field, in_language(problem))
            else:
                super().add_problems(InputError([problem]))
