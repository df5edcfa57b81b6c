"""Stored XSS and formula injection: a hostile text in every field a user can write, read back from every output.

Each field gets its own payload (a script element, an attribute breaking out of a tag
with an event handler, a ``javascript:`` URL, template syntax and a leading
``=HYPERLINK(...)``), tagged with the field's name. Fields are written the ways users
write them: a `hyoka/1` plan imported through the web (names, descriptions, departments,
texts, reviews, value notes), the entry forms (value notes, reasons, texts, the council's
review and the answer, a return comment), the upload preview (its file name), the login
form (a failed user name, shown in the audit log) and the admin site (a department).

Then every page, public page, API answer and report is read back. HTML is parsed as a
browser would: no injected element or attribute, and the payload shown as literal text
(which proves the page showed the field at all). PDF text is extracted with pdftotext,
Word documents are read with python-docx, workbooks with openpyxl (no formula cell),
CSV files field by field (no field a spreadsheet would run).
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from docx import Document
from openpyxl import load_workbook
from reports import download

from hyoka.formats.hyoka1 import plan_to_dict
from hyoka.samples import load_sample
from hyoka.site import paths
from hyoka.web.accounts.models import Department, normal_username
from hyoka.web.plans import models as m
from hyoka.web.plans.convert import core_plan
from hyoka.web.workflow.models import Submission, SubmissionStatus

PLAN = "xss-plan"
YEAR = 2024
FORM_INDICATOR = 3  # s1-1-k1, of a measure with departments: its value note is entered through the form
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def payload(tag: str) -> str:
    """At most 150 characters for the longest tag, so that it fits a user name."""
    return f'=HYPERLINK("http://evil.example","x")<script>alert("{tag}")</script>"><img src=x onerror=alert("{tag}")>javascript:alert("{tag}"){{{{7*7}}}}'


def _squeeze(text: str) -> str:
    """The text without white space and hyphens: a PDF's extracted text breaks a long word at its hyphen."""
    return re.sub(r"[\s-]+", "", text)


def hostile_document() -> dict[str, Any]:
    """hiratsuka-juten with a hostile text in every field of the file format that a page or report shows."""
    doc = copy.deepcopy(plan_to_dict(load_sample("hiratsuka-juten")))
    doc["plan"] |= {"id": PLAN, "name": payload("plan-name"), "description": payload("plan-description")}
    doc["plan"]["organization"] = {"name": "神奈川県", "code": "140007"}  # the planner's organization, who imports it
    doc["plan"]["report"] = {"layout": "evaluation"}  # the 評価報告書 prints every text, review and answer
    doc["plan"]["cycles"] = {
        str(YEAR): {"status": "published", "due": "2025-06-30"},
        str(YEAR + 1): {"status": "open", "due": "2026-06-30"},
    }
    goal, measure = doc["nodes"][0], doc["nodes"][1]
    goal |= {"name": payload("goal-name"), "description": payload("goal-description")}
    goal["reviews"] = {str(YEAR): {"grade": "B", "comments": [payload("review")], "answer": payload("answer")}}
    measure |= {"name": payload("node-name"), "departments": [*measure["departments"], payload("department")]}
    leaf = next(n for n in doc["nodes"] if n.get("parent") == measure["id"])
    leaf["texts"] = {str(YEAR): {"results": [payload("results")], "issues": [payload("issues")]}}
    indicator = doc["indicators"][0]
    indicator |= {"name": payload("indicator-name")}
    indicator["targets"][str(YEAR)] = "0 人"
    indicator["values"] = {str(YEAR): {"value": "3 人", "note": payload("value-note")}}
    return doc


class _Page(HTMLParser):
    """What a browser would build from the page: injected elements and attributes, and the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.injected: list[str] = []
        self.text: list[str] = []
        self.values: list[str] = []  # what form fields show: attribute values, as the browser decodes them
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            self.values.append(value or "")
            if name.startswith("on"):
                self.injected.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and (value or "").strip().lower().startswith("javascript:"):
                self.injected.append(f"<{tag} {name}={value!r}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.injected.append("<img src=x>")
        if tag in ("script", "style"):
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script" and "alert(" in data:
            self.injected.append(f"<script>{data[:60]}")
        elif self._in is None:
            self.text.append(data)


def check_html(where: str, body: str, shown: set[str], *, fragment: str = "") -> set[str]:
    """Asserts nothing was injected; returns the tags whose payload the page shows as literal text or form value."""
    page = _Page()
    page.feed(body)
    assert page.injected == [], f"{where}: injected {page.injected}"
    text = "".join(page.text) + "\n".join(page.values)
    found = {tag for tag in TAGS if payload(tag) in text}
    print(f"{where}: escaped, shows {sorted(found)}{f', and {fragment!r}' if fragment else ''}")
    assert shown <= found, f"{where}: expected to show {sorted(shown - found)}"
    assert fragment in text
    return found


def _strings(doc: Any) -> Iterator[str]:
    if isinstance(doc, str):
        yield doc
    elif isinstance(doc, dict):
        for k, v in doc.items():
            yield k
            yield from _strings(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from _strings(v)


def check_json(where: str, response: Any, shown: set[str]) -> None:
    """JSON carries the text as data, exactly as written, and is served as JSON (never sniffed as HTML)."""
    assert response["Content-Type"].startswith("application/json") and response["X-Content-Type-Options"] == "nosniff"
    strings = list(_strings(json.loads(response.content)))
    found = {tag for tag in TAGS if any(payload(tag) in s for s in strings)}
    print(f"{where}: JSON data, holds {sorted(found)}")
    assert shown <= found, f"{where}: expected {sorted(shown - found)}"


def check_cells(where: str, cells: list[tuple[str, str, bool]], shown: set[str]) -> None:
    """Every cell holding a payload is text that a spreadsheet shows, never a formula it runs: (place, text, runs)."""
    hostile = [(place, text, runs) for place, text, runs in cells if "alert(" in text]
    formulas = [(place, text[:40]) for place, text, runs in hostile if runs]
    found = {tag for tag in TAGS if any(payload(tag) in text for _p, text, _r in hostile)}
    print(f"{where}: {len(hostile)} hostile cells, formulas: {formulas or 'none'}, holds {sorted(found)}")
    assert formulas == []
    assert shown <= found, f"{where}: expected {sorted(shown - found)}"


def xlsx_cells(content: bytes) -> list[tuple[str, str, bool]]:
    """Text cells, and whether Excel would run them: a formula cell, or a hyperlink to the attacker's site."""
    wb = load_workbook(io.BytesIO(content))  # formulas kept as formulas (data_type "f"), not evaluated
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                place = f"{ws.title}!{cell.coordinate}"
                if cell.value is not None:
                    out.append((place, str(cell.value), cell.data_type == "f"))
                if cell.hyperlink is not None and "evil.example" in str(cell.hyperlink.target):
                    out.append((place, f"link alert( {cell.hyperlink.target}", True))
    return out


def csv_cells(name: str, content: bytes) -> list[tuple[str, str, bool]]:
    """A CSV field runs as a formula in a spreadsheet when it begins with = + - @ (or a tab or carriage return)."""
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
    return [(f"{name}:{i}", field, field.startswith(FORMULA_STARTS)) for i, row in enumerate(rows) for field in row]


FORM_TAGS = {"form-note", "form-why", "form-results", "form-review", "form-answer", "decide-comment", "upload-name", "login"}
FILE_TAGS = {
    "plan-name",
    "plan-description",
    "goal-name",
    "goal-description",
    "review",
    "answer",
    "node-name",
    "department",
    "results",
    "issues",
    "indicator-name",
    "value-note",
}
TAGS = sorted(FILE_TAGS | FORM_TAGS | {"admin-dept"})


@pytest.fixture
def hostile(db: None, client_for: Callable[[str], Client]) -> Client:
    """The hostile plan imported through the web, and every form field filled with its payload; returns the planner's client."""
    cache.clear()
    planner = client_for("planner")
    f = io.BytesIO(json.dumps(hostile_document(), ensure_ascii=False).encode())
    f.name = "hostile.json"
    response = planner.post("/plans/import/", {"file": f})
    assert response.status_code == 302 and response["Location"].endswith(f"/plans/140007/{PLAN}/"), response
    url = f"/plans/140007/{PLAN}"
    plan = m.Plan.objects.get(organization__code="140007", key=PLAN)
    doc = hostile_document()
    indicator, goal = doc["indicators"][FORM_INDICATOR]["id"], doc["nodes"][0]["id"]
    leaf = next(n for n in doc["nodes"] if n.get("parent") == doc["nodes"][1]["id"])["id"]
    writes = [
        (
            f"{url}/indicators/{indicator}/value/",
            {"year": YEAR + 1, "value": "5", "status": "confirmed", "note": payload("form-note"), "why": payload("form-why")},
        ),
        (f"{url}/nodes/{leaf}/texts/", {"year": YEAR + 1, "results": payload("form-results"), "issues": "課題"}),
        (f"{url}/nodes/{goal}/review/", {"year": YEAR + 1, "grade": "順調", "comments": payload("form-review")}),
        (f"{url}/nodes/{goal}/answer/", {"year": YEAR + 1, "answer": payload("form-answer")}),
    ]
    m.Cycle.objects.update_or_create(plan=plan, year=YEAR + 1, defaults={"status": m.CycleStatus.CLOSED})  # the council's window
    for path, data in writes:
        response = planner.post(path, data)
        assert response.status_code == 302, (path, response.status_code)
    department = Department.objects.get(organization__code="140007", name="産業労働局")
    sub = Submission.objects.create(
        plan=plan, year=YEAR + 1, department=department, status=SubmissionStatus.SUBMITTED, submitted_at="2026-05-01T10:00+09:00"
    )
    assert (
        planner.post(f"{url}/submissions/{sub.pk}/decide/", {"action": "return", "comment": payload("decide-comment")}).status_code == 302
    )
    upload = io.BytesIO(json.dumps(hostile_document(), ensure_ascii=False).encode())
    upload.name = payload("upload-name") + ".json"
    assert planner.post(f"{url}/upload/", {"file": upload}).status_code in (200, 400)
    Client().post("/accounts/login/", {"username": payload("login"), "password": "wrong"})
    admin = client_for("admin")
    assert admin.post("/admin/accounts/department/add/", {"name": payload("admin-dept")}).status_code == 302
    return planner


def test_pages_show_every_hostile_text_escaped(hostile: Client, client_for: Callable[[str], Client]) -> None:
    url = f"/plans/140007/{PLAN}"
    doc = hostile_document()
    goal, measure, indicator = doc["nodes"][0]["id"], doc["nodes"][1]["id"], doc["indicators"][0]["id"]
    form_indicator = doc["indicators"][FORM_INDICATOR]["id"]
    pages = {
        "/": {"plan-name"},
        f"{url}/?year={YEAR}": {"plan-name", "goal-name", "node-name"},
        f"{url}/nodes/{goal}/?year={YEAR}": {"goal-name", "goal-description", "review", "answer"},
        f"{url}/nodes/{measure}/?year={YEAR}": {"node-name", "department", "results", "issues"},
        f"{url}/indicators/{indicator}/?year={YEAR}": {"indicator-name"},  # published: a 訂正 link, no entry field with the note
        f"{url}/indicators/{indicator}/correct/?year={YEAR}": {"indicator-name", "value-note"},  # the note in the correction form
        f"{url}/indicators/{form_indicator}/?year={YEAR + 1}": {"form-note", "form-why"},
        f"{url}/summary/?year={YEAR}": {"goal-name"},
        f"{url}/council/?year={YEAR}": {"goal-name", "review", "answer"},
        f"{url}/council/?year={YEAR + 1}": {"form-review", "form-answer"},
        f"{url}/history/": {"form-why"},
        f"{url}/inbox/?year={YEAR + 1}&department=産業労働局": {"decide-comment"},
        f"{url}/rules/": set(),
        f"{url}/nodes/{doc['nodes'][2]['id']}/texts/?year={YEAR + 1}": set(),
    }
    for path, shown in pages.items():
        response = hostile.get(path)
        assert response.status_code == 200, path
        check_html(path, response.content.decode(), shown)
    admin = client_for("admin")
    # A name nobody has belongs to no organization: its failed login is the system operator's to read.
    # The name tried is kept in its one spelling (NFKC, case folded), escaped like every text.
    audit = client_for("operator").get("/audit/").content.decode()
    check_html("/audit/", audit, set())
    shown = _Page()
    shown.feed(audit)
    assert normal_username(payload("login")) in "".join(shown.text)
    check_html("/admin/accounts/department/", admin.get("/admin/accounts/department/").content.decode(), {"admin-dept"})


def test_the_upload_preview_shows_the_file_name_escaped(hostile: Client) -> None:
    upload = io.BytesIO(json.dumps(hostile_document(), ensure_ascii=False).encode())
    upload.name = payload("upload-name") + ".json"
    response = hostile.post(f"/plans/140007/{PLAN}/upload/", {"file": upload})
    # Django keeps the base name of an uploaded file: what follows the last slash (of </script>)
    check_html("upload preview", response.content.decode(), set(), fragment=upload.name.rsplit("/", 1)[-1])


@override_settings(HYOKA_API_BURST=1000)
def test_public_site_and_api_show_the_published_texts_escaped(hostile: Client) -> None:
    cache.clear()
    anonymous = Client()
    doc = hostile_document()
    goal, measure, indicator = doc["nodes"][0]["id"], doc["nodes"][1]["id"], doc["indicators"][0]["id"]
    pages = {
        f"/public/140007/{PLAN}/index.html": {"plan-name"},
        f"/public/140007/{PLAN}/nodes/{goal}.html": {"goal-name", "review"},
        f"/public/140007/{PLAN}/nodes/{measure}.html": {"node-name", "results"},
        f"/public/140007/{PLAN}/indicators/{indicator}.html": {"indicator-name"},
    }
    for path, shown in pages.items():
        response = anonymous.get(path)
        assert response.status_code == 200, path
        check_html(path, response.content.decode(), shown)
    for path in ("/public/index.html", f"/public/en/140007/{PLAN}/index.html"):
        check_html(path, anonymous.get(path).content.decode(), set())
    check_json(
        "api plan",
        anonymous.get(f"/api/v1/plans/140007/{PLAN}"),
        {"plan-name", "plan-description", "goal-name", "node-name", "indicator-name"},
    )
    check_json("api indicator", anonymous.get(f"/api/v1/indicators/140007/{PLAN}:{indicator}"), {"indicator-name"})
    data = anonymous.get("/public/" + paths.indicator_data(f"140007/{PLAN}", indicator, "csv"))
    check_cells("public indicator CSV", csv_cells("indicator.csv", data.content), {"value-note"})
    package = zipfile.ZipFile(io.BytesIO(anonymous.get("/public/" + paths.package_zip(f"140007/{PLAN}")).content))
    cells = [cell for name in package.namelist() if name.endswith(".csv") for cell in csv_cells(name, package.read(name))]
    check_cells("public open data zip", cells, {"plan-name", "goal-name", "indicator-name", "value-note", "results"})
    forms = "".join(anonymous.get(p).content.decode() for p in pages)
    assert "form-review" not in forms and "form-note" not in forms, "the open year's texts are not public"


def test_reports_carry_the_texts_as_literal_text(hostile: Client) -> None:
    url = f"/plans/140007/{PLAN}"
    in_report = {"plan-name", "goal-name", "review", "answer", "node-name", "results", "issues", "indicator-name"}
    html = download(hostile, f"{url}/report.html?year={YEAR}")
    check_html("report.html", html.content.decode(), in_report)

    pdf = download(hostile, f"{url}/report.pdf?year={YEAR}").content
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    found = {tag for tag in TAGS if _squeeze(payload(tag)) in _squeeze(text)}
    active = [k for k in (b"/JavaScript", b"/JS ", b"/Launch", b"/OpenAction", b"evil.example") if k in pdf]
    print(f"report.pdf: literal text of {sorted(found)}, active content: {active or 'none'}")
    assert in_report <= found and active == []

    docx = Document(io.BytesIO(download(hostile, f"{url}/report.docx?year={YEAR}").content))
    texts = [p.text for p in docx.paragraphs] + [c.text for t in docx.tables for row in t.rows for c in row.cells]
    found = {tag for tag in TAGS if any(_squeeze(payload(tag)) in _squeeze(t) for t in texts)}
    xml = docx.element.xml
    fields = re.findall(r"<w:(?:instrText|fldSimple)[^>]*>[^<]*", xml)
    links = [r.target_ref for r in docx.part.rels.values() if "evil.example" in r.target_ref]
    print(f"report.docx: literal text of {sorted(found)}, fields: {fields or 'none'}, links: {links or 'none'}")
    assert in_report <= found and not any("evil" in f or "HYPERLINK" in f for f in fields) and links == []

    check_cells("report.xlsx", xlsx_cells(download(hostile, f"{url}/report.xlsx?year={YEAR}").content), in_report)


def test_workbooks_and_open_data_never_hold_a_formula(hostile: Client) -> None:
    url = f"/plans/140007/{PLAN}"
    in_files = {"plan-name", "goal-name", "node-name", "indicator-name", "value-note", "results", "review", "department"}
    check_cells("workbook.xlsx", xlsx_cells(hostile.get(f"{url}/workbook.xlsx").content), in_files)
    core = core_plan(m.Plan.objects.get(organization__code="140007", key=PLAN))
    department = core.departments_of(core.indicators[FORM_INDICATOR])[0]  # the indicator whose note was entered through the form
    cells = xlsx_cells(hostile.get(f"{url}/workbook.xlsx?year={YEAR + 1}&department={department}").content)
    check_cells("department workbook.xlsx", cells, {"form-note"})
    archive = zipfile.ZipFile(io.BytesIO(hostile.get(f"{url}/internal.zip").content))
    cells = [cell for name in archive.namelist() if name.endswith(".csv") for cell in csv_cells(name, archive.read(name))]
    check_cells("opendata.zip", cells, in_files - {"review", "department"} | {"answer"})
    export = hostile.get(f"{url}/export.json")
    check_json("export.json", export, in_files | {"form-note", "form-results", "form-review", "form-answer"})
