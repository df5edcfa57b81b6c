"""Reading the forms of a rendered page, so tests post exactly what a browser would (hidden fields included)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._option: list[str | bool] | None = None  # [value, selected, has its own value attribute]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", "")))
        elif not self.forms:
            return
        elif tag == "input" and "name" in a and a.get("type") not in ("submit", "file"):
            self.forms[-1].fields[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.forms[-1].fields[a["name"]] = ""
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select:
            self._option = [a.get("value", ""), "selected" in a, "value" in a]

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None and self._select:
            value, selected, _own = self._option
            if selected or self._select not in self.forms[-1].fields:
                self.forms[-1].fields[self._select] = str(value)
            self._option = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._option is not None and not self._option[2]:
            self._option[0] = str(self._option[0]) + data
        if self._textarea and self.forms:
            self.forms[-1].fields[self._textarea] += data.removeprefix("\n") if not self.forms[-1].fields[self._textarea] else data


def forms(html: str) -> list[Form]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form(html: str, action_ends: str, *, page: str = "", having: str = "base") -> Form:
    """The first form posting to …*action_ends* with a field *having*; a form without action posts to *page*."""
    found = [f for f in forms(html) if f.action.endswith(action_ends) and having in f.fields]
    assert found, f"no form posting to …{action_ends} with {having}"
    return Form(found[0].action or page, found[0].fields)


def stored_base(plan: object, indicator: str, year: int, part: str = "") -> str:
    """The ``base`` a value form rendered now carries: the token of what is stored (a save without it is refused over a value)."""
    from hyoka.web.plans import models as m
    from hyoka.web.plans.conflicts import row_value_token

    row = m.Value.objects.filter(series__indicator__plan=plan, series__indicator__key=indicator, series__part=part, year=year).first()
    return row_value_token(row)


def targets_base(plan: object, indicator: str, part: str = "") -> str:
    """The ``base`` of the target form: the token of all the series' targets."""
    from hyoka.web.plans import models as m
    from hyoka.web.plans.conflicts import targets_token

    rows = m.Target.objects.filter(series__indicator__plan=plan, series__indicator__key=indicator, series__part=part)
    return targets_token({t.year: t.text for t in rows})


def with_base(path: str, data: dict[str, object]) -> dict[str, object]:
    """*data* with the ``base`` the edit form at *path* would carry now (what is stored), as a browser posts it."""
    from hyoka.web.plans import models as m
    from hyoka.web.plans.conflicts import answer_token, review_token, texts_token

    parts = path.strip("/").split("/")  # plans/<org>/<key>/(indicators|nodes)/<id>/<form>/
    plan = m.Plan.objects.get(organization__code=parts[1], key=parts[2])
    kind, ident, form = parts[3], parts[4], parts[5]
    year = int(str(data.get("year", 0)) or 0)
    if kind == "indicators" and form == "value":
        base = stored_base(plan, ident, year, str(data.get("part", "")))
    elif kind == "indicators" and form == "target":
        base = targets_base(plan, ident, str(data.get("part", "")))
    else:
        node = m.Node.objects.get(plan=plan, key=ident)
        texts = m.NodeText.objects.filter(node=node, year=year).first()
        review = m.Review.objects.filter(node=node, year=year).first()
        base = {
            "texts": texts_token(texts.results, texts.issues) if texts else "",
            "review": review_token(review.grade, review.comments) if review else "",
            "answer": answer_token(review.answer) if review else "",
        }[form]
    return {"base": base, **data}
