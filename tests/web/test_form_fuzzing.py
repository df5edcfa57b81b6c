"""Web forms fed random and hostile input (hypothesis): a clear error or a correct, complete save; never a 500.

Each form is posted as the planner (who may write everything, so refusals are about the
input, not about permissions). After each example the database is compared with its
state before: either nothing changed and the person was told why, or the save is whole,
with the field stored as it was typed and its history entry written in the same
transaction, and nothing else touched. The examples are bounded so that the file runs in
about a minute; the explicit examples add the huge, NaN/Infinity and control-character
cases every run.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from snapshot import changed, snapshot
from webforms import with_base

from hyoka.web.plans import models as m

PLAN = "kanagawa-sousei-3"
URL = f"/plans/140007/{PLAN}"
YEAR = 2025
COUNCIL_YEAR = 2026  # closed in the open_cycle fixture
INDICATOR = "1-3-1-k1"
LEAF = "1-3-1-1"
GOAL = "1"
TEN_MB = "９" * (10 * 1024 * 1024 // 3)  # 10 MB of UTF-8
OK_STATUSES = (200, 302, 400, 404, 409)

HOSTILE = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=300),
    st.sampled_from(
        [
            "NaN",
            "Infinity",
            "-Infinity",
            "1e309",
            "9" * 400,
            "-0",
            "０．０％",
            "\u202e50%",
            "\ufeff12",
            "50%\r\n51%",
            "\x07\x1b[31m",
            '=HYPERLINK("http://evil.example")',
            "<script>alert(1)</script>",
            "2026年９月頃把握予定",
            "",
            " ",
        ]
    ),
)
# Values the parser accepts, so that saves are exercised as much as refusals
PLAUSIBLE = st.builds(
    lambda d, unit: f"{d}{unit}",
    st.decimals(min_value=-(10**6), max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["%", "％", "", " 件", "人"]),
)
FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture
def planner(open_cycle: m.Plan, client_for: Callable[[str], Client]) -> Callable[[], Client]:
    """A fresh client per example, so that the messages read back are the ones this request left."""
    return lambda: client_for("planner")


def _post(new_client: Callable[[], Client], path: str, data: dict[str, object]) -> tuple[object, set[str], list[str]]:
    before = snapshot()
    if path.rstrip("/").endswith(("/value", "/target", "/texts", "/review", "/answer")) and "\x00" not in str(data.get("year", "")):
        data = with_base(path, data)  # as the form shows what is stored: the fuzzing is about the input
    response = new_client().post(path, data)
    told = [str(msg) for msg in get_messages(response.wsgi_request)]
    if response.status_code == 400:  # the page itself says why: beside the fields, the problems found, or that a NUL is not text
        context, page = response.context or {}, response.content.decode()
        told += [str(p) for p in context.get("problems", [])] + re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.+?)</ul>', page, re.S)
        told += [page] * ("NUL" in page)
    tables = changed(before, snapshot())
    shown = {k: (v[:30] + f"…({len(v)})" if isinstance(v, str) and len(v) > 30 else v) for k, v in data.items()}
    print(f"POST {path} {shown!r}: {response.status_code}, changed {sorted(tables) or 'nothing'}, told {[t[:60] for t in told]}")
    assert response.status_code in OK_STATUSES, response.status_code
    return response, tables, told


def _whole(tables: set[str], table: str, told: list[str]) -> None:
    """Nothing changed and the person was told something, or the row and its history changed together and nothing else."""
    if not tables:
        assert told, "nothing was saved and nobody was told why"
        return
    assert tables <= {"Plan", table, "Change"} and {table, "Change"} <= tables, f"a partial or stray write: {sorted(tables)}"


@FUZZ
@given(
    value=st.one_of(PLAUSIBLE, HOSTILE),
    note=st.one_of(st.just(""), HOSTILE),
    expected=st.one_of(st.just(""), st.just("2026-09"), HOSTILE),
    status=st.sampled_from(["confirmed", "confirmed", "estimate", "pending", "x", ""]),
)
@example(value=TEN_MB, note="", expected="", status="confirmed")
@example(value="50%", note=TEN_MB, expected="", status="confirmed")
@example(value="NaN", note="", expected="", status="confirmed")
@example(value="１２３．４％", note="全角", expected="", status="confirmed")
@example(value="", note="", expected="2026-09", status="pending")
@example(value="Infinity%", note="\x1b\x07", expected="", status="estimate")
@example(value="", note="", expected="2026-13", status="pending")
def test_value_entry(planner: Callable[[], Client], value: str, note: str, expected: str, status: str) -> None:
    data = {"year": YEAR, "value": value, "note": note, "expected": expected, "status": status, "why": "fuzz"}
    _response, tables, told = _post(planner, f"{URL}/indicators/{INDICATOR}/value/", data)
    _whole(tables, "Value", told)
    if "Value" in tables:
        row = m.Value.objects.filter(
            series__indicator__plan__organization__code="140007",
            series__indicator__plan__key=PLAN,
            series__indicator__key=INDICATOR,
            year=YEAR,
        ).first()
        if row is not None:
            assert row.text == value.strip() or row.text == value, (row.text[:40], value[:40])
            assert row.note == note.strip()


@FUZZ
@given(target=st.one_of(PLAUSIBLE, HOSTILE), why=HOSTILE, target_year=st.one_of(st.sampled_from(["2025", "令和7年度", "R7"]), HOSTILE))
@example(target=TEN_MB, why="x", target_year="2025")
@example(target="52%", why=TEN_MB, target_year="2025")
@example(target="NaN%", why="x", target_year="2025")
def test_target_revision(planner: Callable[[], Client], target: str, why: str, target_year: str) -> None:
    data = {"target_year": target_year, "target": target, "why": why}
    response, tables, told = _post(planner, f"{URL}/indicators/{INDICATOR}/target/", data)
    if response.status_code == 404:  # a target year nobody could have chosen
        assert not tables
    else:
        _whole(tables, "Target", told)


@FUZZ
@given(results=HOSTILE, issues=HOSTILE)
@example(results=TEN_MB, issues="")
@example(results="\r\n\r\n", issues="\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
def test_texts(planner: Callable[[], Client], results: str, issues: str) -> None:
    _response, tables, told = _post(planner, f"{URL}/nodes/{LEAF}/texts/", {"year": YEAR, "results": results, "issues": issues, "why": ""})
    _whole(tables, "NodeText", told)


@FUZZ
@given(grade=st.one_of(st.sampled_from(["順調に進んでいます", "概ね順調に進んでいます"]), HOSTILE), comments=HOSTILE, answer=HOSTILE)
@example(grade="順調に進んでいます", comments=TEN_MB, answer=TEN_MB)
def test_review_and_answer(planner: Callable[[], Client], grade: str, comments: str, answer: str) -> None:
    _response, tables, told = _post(planner, f"{URL}/nodes/{GOAL}/review/", {"year": COUNCIL_YEAR, "grade": grade, "comments": comments})
    _whole(tables, "Review", told)
    _response, tables, told = _post(planner, f"{URL}/nodes/{GOAL}/answer/", {"year": COUNCIL_YEAR, "answer": answer})
    _whole(tables, "Review", told)


@FUZZ
@given(
    spec=st.one_of(
        HOSTILE,
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=10), c, max_size=4),
            max_leaves=20,
        ).map(json.dumps),
    )
)
@example(spec="[" * 100_000 + "]" * 100_000)
@example(spec='{"preset": "kanagawa-sousei", "rate": {"rounding": "NaN"}}')
def test_rules(planner: Callable[[], Client], spec: str) -> None:
    _response, tables, _told = _post(planner, f"{URL}/rules/", {"spec": spec, "why": "fuzz"})
    assert not tables or (tables <= {"Plan", "RuleSetVersion", "Change"} and {"RuleSetVersion", "Change"} <= tables)


@FUZZ
@given(content=st.binary(max_size=4096), suffix=st.sampled_from([".xlsx", ".json", ".csv", ".zip", "", ".exe"]))
@example(content=b"PK\x03\x04" + b"\x00" * 1000, suffix=".xlsx")
@example(content=b"\xef\xbb\xbf{}", suffix=".json")
@example(content=b"[" * 100_000, suffix=".json")
def test_upload_preview(planner: Callable[[], Client], content: bytes, suffix: str) -> None:
    """A preview never writes; a file that cannot be read is a 400 with the problems listed."""
    f = io.BytesIO(content)
    f.name = f"fuzz{suffix}"
    response, tables, told = _post(planner, f"{URL}/upload/", {"file": f})
    assert tables == set()
    if response.status_code == 400:  # the file's problems listed, or the field's own reason (its kind, its size) beside it
        assert response.context.get("problems") or response.context["form"].errors, "refused without saying why"
    else:
        assert response.status_code in (200, 302) and (told or response.context.get("rows") is not None)
