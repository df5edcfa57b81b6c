"""A field added to the plan in one place (core.model) reaches every form of the plan.

The test copies the package, adds one described attribute to ``Indicator`` and one to a
node's ``NodeTexts`` in the copy and runs, in a child process that imports the copy, a plan through the `hyoka/1` file,
the workbook, the CSV data package and the database (the migration is generated there
by ``makemigrations``, as a developer would). Nothing else is edited.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest
from checkout import ROOT

from hyoka.core.errors import InputError
from hyoka.core.model import Indicator, Node, Series, Value
from hyoka.core.schema import drop_empty, plain_fields, record
from hyoka.formats.hyoka1 import plan_from_dict
from hyoka.samples import sample_path

EDITS = {  # an existing line of core/model.py: the line added after it
    '    weight: Decimal | None = plain(None, "重み", "加重平均で使う重み（数値）。", DECIMAL, size=50)\n': (
        '    source: str = plain("", "出典", "統計の出典。", size=200)\n'
    ),
    '    funding: list[str] = plain([], "交付金等", "＜デジタル田園都市国家構想交付金活用＞などの注記。", LIST)\n': (
        '    evidence: list[str] = plain([], "根拠資料", "取組結果の根拠となる資料。", LIST)\n'
    ),
}
EVIDENCE = ["統計年報", "事業報告書"]

CHILD = textwrap.dedent(
    """
    import copy, json, os, sys
    from pathlib import Path

    import django
    from openpyxl import load_workbook

    out = Path(sys.argv[1])
    from hyoka.core.diff import diff_plans
    from hyoka.formats.csvpackage.read import read_package
    from hyoka.formats.csvpackage.write import write_package
    from hyoka.formats.hyoka1 import dumps, plan_from_dict
    from hyoka.formats.importing import import_file
    from hyoka.formats.xlsx.write import plan_workbook, save_workbook
    from hyoka.samples import sample_path

    doc = json.loads(sample_path("hiratsuka-juten").read_text(encoding="utf-8"))
    doc["indicators"][0]["source"] = "国勢調査"
    doc["nodes"][0]["texts"] = {"2024": {"summary": "概要", "evidence": ["統計年報", "事業報告書"]}}
    plan = plan_from_dict(doc)

    def added(p):
        return [p.indicators[0].source, p.nodes[0].texts[2024].evidence]

    written = json.loads(dumps(plan))
    found = {"json": [written["indicators"][0].get("source"), written["nodes"][0]["texts"]["2024"].get("evidence")]}

    save_workbook(plan_workbook(plan), out / "plan.xlsx")
    book = load_workbook(out / "plan.xlsx")
    headers = [c.value for c in book["指標"][1]] + [c.value for c in book["評価コメント"][1]]
    found["workbook"] = added(import_file(out / "plan.xlsx", None).plan) if {"出典", "根拠資料"} <= set(headers) else None

    write_package(plan, out / "package")
    header = (out / "package" / "indicators.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    sections = (out / "package" / "node_texts.csv").read_text(encoding="utf-8")
    found["csv"] = added(read_package(out / "package")) if "source" in header and ",evidence," in sections else None

    django.setup()
    from django.core.management import call_command
    call_command("makemigrations", "plans", verbosity=0)
    call_command("migrate", verbosity=0)
    from hyoka.web.plans import models as m
    from hyoka.web.plans.convert import core_plan, store_plan
    row = store_plan(plan)
    stored = [
        m.Indicator.objects.filter(plan=row, key=plan.indicators[0].id).values_list("source", flat=True).get(),
        m.NodeText.objects.filter(node__plan=row, year=2024).values_list("evidence", flat=True).get(),
    ]
    found["database"] = added(core_plan(row)) if stored == added(plan) else None

    changed = copy.deepcopy(plan)
    changed.indicators[0].source = "住民基本台帳"
    found["diff"] = [str(c) for c in diff_plans(plan, changed)]
    print(json.dumps(found, ensure_ascii=False))
    """
)


def test_a_field_declared_in_the_model_reaches_every_form(tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(ROOT / "hyoka", copy / "hyoka", ignore=shutil.ignore_patterns("__pycache__"))
    model = copy / "hyoka" / "core" / "model.py"
    text = model.read_text(encoding="utf-8")
    for anchor, line in EDITS.items():
        assert text.count(anchor) == 1, anchor
        text = text.replace(anchor, anchor + line)
    model.write_text(text, encoding="utf-8")

    doc = json.loads(sample_path("hiratsuka-juten").read_text(encoding="utf-8"))
    doc["indicators"][0]["source"] = "国勢調査"
    with pytest.raises(InputError, match="不明な項目「source」"):  # without the edit, the field is unknown
        plan_from_dict(doc)

    data = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HYOKA_")}
    env |= {"PYTHONPATH": str(copy), "DJANGO_SETTINGS_MODULE": "hyoka.web.settings", "HYOKA_DATA_DIR": str(data)}
    out = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path)], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout.strip().splitlines()[-1])
    forms = ("json", "workbook", "csv", "database")
    assert {k: found[k] for k in forms} == {key: ["国勢調査", EVIDENCE] for key in forms}
    assert any("出典" in line and "国勢調査" in line and "住民基本台帳" in line for line in found["diff"]), found["diff"]
    assert list((copy / "hyoka" / "web" / "plans" / "migrations").glob("0003_*.py")), "makemigrations wrote the new column's migration"


def test_every_plain_field_is_described_for_people():
    """Each described field has a Japanese name and a sentence; a closed list has labels."""
    for cls in (Node, Indicator, Series, Value):
        for f in plain_fields(cls):
            assert f.label and f.about.help.endswith("。"), (cls.__name__, f.name)
            if f.about.choices:
                assert all(isinstance(label, str) and label for label in f.about.choices.values()), f.name


def test_record_leaves_out_what_says_nothing(sousei_plan):
    node = sousei_plan.node_by_id["1-1-1"]
    assert record(node) == drop_empty({f.name: getattr(node, f.name) for f in plain_fields(Node)})
    assert "tags" not in record(node) and record(node)["name"] == node.name
