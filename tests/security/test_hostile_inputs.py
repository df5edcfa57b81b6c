"""Hostile and random input: every reader answers with a result or a clear error, never a crash or a hang.

Each test prints what it tried, so the CI log shows the ground covered.
"""

from __future__ import annotations

import copy
import json
import random
import shutil
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from hyoka.core.errors import InputError
from hyoka.core.schema import LONGEST_TEXT
from hyoka.core.values import Kind, parse_value
from hyoka.formats.hyoka1 import dump_path, loads, plan_from_dict, plan_to_dict
from hyoka.formats.importing import import_file
from hyoka.formats.xlsx.write import department_workbook, save_workbook
from hyoka.samples import sample_path

HOSTILE = st.text(
    alphabet=st.sampled_from(
        list("0123456789０１２３,.，．-−+＋%％万億兆約以上下※―() \t\n\r\x00\x07\x1b\u202e\ufeff件人円=@" + "NaInfity" + "年月頃把握予定")
    ),
    max_size=60,
)


@settings(max_examples=400, deadline=None)  # speed is bench/parse.py's to measure, not a test's
@given(HOSTILE)
def test_value_parser_on_hostile_text(text):
    try:
        parsed = parse_value(text, where="x")
    except InputError as e:
        assert e.problems[0].where == "x" and e.problems[0].message
        return
    if parsed.kind is Kind.NUMBER:
        assert parsed.number is not None and parsed.number.is_finite()


@pytest.mark.parametrize(
    "text",
    [
        "NaN",
        "Infinity",
        "-Infinity",
        "1e309",
        "9" * 31,
        "9" * 30,
        "１" * 5000,
        "x" * 10_000_000,
        "\x00",
        "‮123",
        '=HYPERLINK("http://x","y")',
        "@SUM(1)",
    ],
)
def test_value_parser_limits(text):
    """A result or a clear error for each; how long each takes is printed by bench/parse.py."""
    try:
        parsed = parse_value(text)
    except InputError as e:
        assert e.problems[0].message and e.problems[0].message_en
        print(f"parse_value({text[:20]!r}…{len(text)} chars) → error: {e.problems[0].message[:40]}")
        return
    print(f"parse_value({text[:20]!r}…{len(text)} chars) → {parsed.kind.value} {parsed.number}")
    assert parsed.kind is not Kind.NUMBER or (parsed.number is not None and parsed.number.is_finite())


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON_VALUES)
def test_plan_loader_on_random_json(doc):
    try:
        plan_from_dict(doc)
    except InputError as e:
        assert all(p.message for p in e.problems)


def _sample_doc() -> dict[str, Any]:
    return json.loads(sample_path("kanagawa-sousei-3").read_text(encoding="utf-8"))


def _paths(obj: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj[:3]):
            out += _paths(v, (*prefix, i))
    return out


REPLACEMENTS: list[Any] = [None, "", "―", 0, -1, 10**40, 1.5, True, [], {}, "x" * 3000, {"value": "=1+1"}, [[[[]]]], "\x00", "NaN"]


def test_plan_loader_on_mutated_samples():
    """Replace 600 random fields of a real plan with hostile values: an error naming a place, or a plan."""
    base = _sample_doc()
    paths = [p for p in _paths(base) if p]
    rng = random.Random(2024)
    accepted = refused = 0
    for _ in range(600):
        doc = copy.deepcopy(base)
        path = rng.choice(paths)
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = rng.choice(REPLACEMENTS)
        try:
            plan_from_dict(doc)
            accepted += 1
        except InputError as e:
            refused += 1
            assert all(p.where for p in e.problems), e
    print(f"mutated plans: {accepted} accepted, {refused} refused with a place")
    assert refused > 100


def test_deeply_nested_and_huge_json():
    for raw in ("[" * 200_000 + "]" * 200_000, '{"a":' * 50_000 + "1" + "}" * 50_000):
        with pytest.raises(InputError):
            loads(raw)
    doc = _sample_doc()
    doc["indicators"][0]["note"] = "長" * 5_000_000  # refused with its place: no text is longer than LONGEST_TEXT
    with pytest.raises(InputError) as refused:
        plan_from_dict(doc)
    assert refused.value.problems[0].where.endswith("indicators[0].note")
    doc["indicators"][0]["note"] = "長" * LONGEST_TEXT
    assert len(plan_from_dict(doc).indicators[0].note) == LONGEST_TEXT  # as long as allowed: kept as written


@pytest.fixture(scope="module")
def department_book(tmp_path_factory, sousei_plan) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "dept.xlsx"
    save_workbook(department_workbook(sousei_plan, "産業労働局", 2024), path)
    return path


def _set_first_value(src: Path, dst: Path, value: Any) -> None:
    shutil.copy(src, dst)
    wb = load_workbook(dst)
    ws = wb["実績値"]
    col = next(c.column for c in ws[1] if c.value == "実績値")
    ws.cell(row=2, column=col).value = value
    wb.save(dst)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://example.invalid","x")', "数式は使えません"),
        ("=1+1", "数式は使えません"),
        ("@SUM(A1)", "数値として解釈できません"),
        ("x" * 32_000, "値が長すぎます"),
        (float("inf"), "実績値がありません"),  # Excel has no infinity: the cell is saved empty
        (10**30, "数値が大きすぎます"),
        (10**20, None),
    ],
)
def test_workbook_cells(department_book, tmp_path, sousei_plan, value, expected):
    book = tmp_path / "book.xlsx"
    try:
        _set_first_value(department_book, book, value)
    except ValueError:
        pytest.skip("openpyxl itself refuses to write this cell")
    try:
        result = import_file(book, sousei_plan)
        outcome = f"accepted, {len(result.changes)} change(s)"
        assert expected is None
    except InputError as e:
        outcome = str(e.problems[0])[:80]
        assert expected is not None and any(expected in p.message for p in e.problems), str(e)
    print(f"workbook cell {str(value)[:30]!r} → {outcome}")


def test_zip_bomb_workbook_is_refused_at_the_cap(department_book, tmp_path, sousei_plan):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(department_book) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/media/padding.bin", b"\0" * (600 * 2**20))  # 600 MiB of zeros, under 1 MiB packed
    assert bomb.stat().st_size < 5 * 2**20
    started = time.perf_counter()
    with pytest.raises(InputError, match="大きすぎます"):
        import_file(bomb, sousei_plan)
    print(f"zip bomb of {bomb.stat().st_size // 1024} KiB (600 MiB unpacked) refused in {time.perf_counter() - started:.2f} s")


def test_a_refused_import_leaves_the_plan_file_as_it_was(department_book, tmp_path, sousei_plan):
    plan_file = tmp_path / "plan.json"
    dump_path(sousei_plan, plan_file)
    before = plan_file.read_bytes()
    book = tmp_path / "book.xlsx"
    _set_first_value(department_book, book, "=1+1")
    from typer.testing import CliRunner

    from hyoka.cli import app

    result = CliRunner().invoke(app, ["import", str(book), "--into", str(plan_file)])
    assert result.exit_code == 2
    assert plan_file.read_bytes() == before
    assert plan_to_dict(sousei_plan) == plan_to_dict(plan_from_dict(json.loads(before)))


def _lie_about_sizes(path, member: str, size: int) -> None:
    """Write *size* as the member's unpacked size in its local header and in the central directory (a zip bomb's lie)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := data.find(signature, start)) != -1:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                data[at + offset : at + offset + 4] = size.to_bytes(4, "little")
            start = at + 4
    path.write_bytes(bytes(data))


def test_a_workbook_that_lies_about_its_sizes_is_refused_after_reading_at_most_the_cap(department_book, tmp_path, sousei_plan):
    """A 2 MB workbook declaring small sizes made the server inflate about 2 GB before refusing it. The sizes are not
    believed: every byte inflated is counted, and reading stops at the cap (measured: bytes inflated, not declared)."""
    from hyoka.formats.xlsx import read

    bomb = tmp_path / "liar.xlsx"
    with zipfile.ZipFile(department_book) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/media/padding.bin", b"\0" * (1024 * 2**20))  # 1 GiB of zeros, about 1 MiB packed
    _lie_about_sizes(bomb, "xl/media/padding.bin", 1000)
    assert zipfile.ZipFile(bomb).getinfo("xl/media/padding.bin").file_size == 1000  # what the archive declares
    inflated = []
    original = read._inflated

    def counted(archive, info):
        for piece in original(archive, info):
            inflated.append(len(piece))
            yield piece

    read._inflated = counted
    try:
        with pytest.raises(InputError, match="大きすぎます"):
            import_file(bomb, sousei_plan)
    finally:
        read._inflated = original
    print(
        f"a workbook of {bomb.stat().st_size // 1024} KiB declaring 1000 bytes for 1 GiB: refused after inflating {sum(inflated):,} bytes"
    )
    assert read.MAX_UNPACKED < sum(inflated) <= read.MAX_UNPACKED + read.CHUNK
