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
