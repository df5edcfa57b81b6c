"""The CSV data package: tidy UTF-8 tables, a valid Frictionless descriptor, lossless round trips."""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from pathlib import Path

import frictionless
import pytest
from typer.testing import CliRunner

from hyoka.cli import app
from hyoka.core.engine import evaluate
from hyoka.core.errors import InputError
from hyoka.formats.csvpackage.read import read_package
from hyoka.formats.csvpackage.write import write_package
from hyoka.formats.hyoka1 import dump_path, plan_from_dict, plan_to_dict
from hyoka.samples import load_sample

SAMPLES = ["kanagawa-sousei-3", "kanagawa-dx", "hiratsuka-juten"]


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("packages")
    return {name: write_package(load_sample(name), root / name) for name in SAMPLES}


def rows(package: Path, name: str) -> list[dict[str, str]]:
    with (package.parent / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("name", SAMPLES)
def test_package_is_valid_frictionless(packages, name):
    report = frictionless.validate(str(packages[name]))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


@pytest.mark.parametrize("name", SAMPLES)
def test_round_trip_is_lossless(packages, name):
    assert plan_to_dict(read_package(packages[name])) == plan_to_dict(load_sample(name))


def test_every_column_is_described_and_every_row_has_the_organization_code(packages):
    path = packages["kanagawa-sousei-3"]
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    assert descriptor["hyoka"]["rules"] == {"preset": "kanagawa-sousei"}
    for resource in descriptor["resources"]:
        fields = resource["schema"]["fields"]
        assert all(f["type"] and f["description"] and f["title"] for f in fields)
        assert resource["encoding"] == "utf-8"
        with (path.parent / resource["path"]).open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            assert next(reader) == [f["name"] for f in fields]
            assert all(row[0] == "140007" for row in reader)
    indicators = next(r for r in descriptor["resources"] if r["name"] == "indicators")
    assert indicators["schema"]["primaryKey"] == ["organization_code", "plan_id", "indicator_id"]
    assert indicators["schema"]["foreignKeys"][0]["reference"]["resource"] == "nodes"


def test_observations_are_tidy_and_hold_the_computed_evaluation(packages, sousei_plan):
    table = rows(packages["kanagawa-sousei-3"], "observations")
    keys = Counter((r["indicator_id"], r["part_id"], r["year"], r["measure"]) for r in table)
    assert max(keys.values()) == 1
    ev = evaluate(sousei_plan, 2024)
    rate = next(r for r in table if r["indicator_id"] == "1-1-2-k1" and r["year"] == "2024" and r["measure"] == "rate")
    assert (rate["value"], rate["unit"]) == (str(ev.indicators["1-1-2-k1"].rate.value), "%")
    actual = next(r for r in table if r["indicator_id"] == "1-1-2-k1" and r["year"] == "2024" and r["measure"] == "actual")
    assert (actual["value"], actual["number"], actual["unit"]) == ("98 社", "98", "社")
    grades = rows(packages["kanagawa-sousei-3"], "grades")
    node = next(g for g in grades if g["node_id"] == "1-1-2" and g["year"] == "2024")
    assert node["label"] == ev.nodes["1-1-2"].grade.label


def test_dx_judgements_in_the_package_give_the_published_counts(packages):
    table = rows(packages["kanagawa-dx"], "observations")
    marks = Counter(r["value"] for r in table if r["measure"] == "judgement" and r["year"] == "2024")
    assert (marks["◎"], marks["○"], marks["△"], marks["■"]) == (126, 15, 28, 10)


def test_man_units_are_given_in_the_indicators_unit(packages):
    table = rows(packages["kanagawa-dx"], "observations")
    target = next(r for r in table if r["indicator_id"] == "1-1" and r["measure"] == "target")
    assert (target["value"], target["number"], target["unit"]) == ("５万人", "50000", "人")


def test_formula_like_text_is_neutralised_and_comes_back(tmp_path, city_plan):
    doc = plan_to_dict(city_plan)
    doc["indicators"][0]["note"] = "=cmd|' /C calc'!A0"
    doc["nodes"][0]["name"] = "@SUM(1+1)"
    doc["nodes"][1]["name"] = '＝HYPERLINK("http://x")'  # Japanese Excel reads the full-width sign as a formula too
    plan = plan_from_dict(doc)
    path = write_package(plan, tmp_path / "pkg")
    indicators = rows(path, "indicators")
    assert indicators[0]["note"] == "'=cmd|' /C calc'!A0"
    assert rows(path, "nodes")[0]["name"] == "'@SUM(1+1)"
    assert rows(path, "nodes")[1]["name"] == '\'＝HYPERLINK("http://x")'
    assert plan_to_dict(read_package(path)) == plan_to_dict(plan)


def test_broken_package_names_file_line_and_column(packages, tmp_path):
    folder = Path(shutil.copytree(packages["kanagawa-dx"].parent, tmp_path / "pkg"))
    obs = folder / "observations.csv"
    lines = obs.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1].replace(",2024,target,", ",R6x,target,")
    lines[2] = lines[2].replace(",2024,actual,", ",2024,actual,たくさん")
    obs.write_text("\n".join(lines), encoding="utf-8")
    nodes = folder / "nodes.csv"
    nodes.write_text(nodes.read_text(encoding="utf-8").replace("extras\n", "extras,memo\n", 1), encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_package(folder)
    found = [str(p) for p in e.value.problems]
    assert "pkg:observations.csv:2（year）: 「R6x」: 整数が必要です (an integer is required)" in found
    assert any(p.startswith("pkg:observations.csv:3: 列の数が見出しと違います") for p in found)
    assert any(p.startswith("pkg:nodes.csv:1: 「memo」: 不明な列「memo」") for p in found)


def test_cli_exports_and_imports_a_package(tmp_path):
    runner = CliRunner()
    folder = tmp_path / "open-data"
    result = runner.invoke(app, ["export", "hiratsuka-juten", "--format", "csv", "-o", str(folder)])
    assert result.exit_code == 0, result.output
    assert (folder / "datapackage.json").is_file() and (folder / "observations.csv").is_file()
    plan_file = tmp_path / "plan.json"
    dump_path(load_sample("hiratsuka-juten"), plan_file)
    result = runner.invoke(app, ["import", str(folder / "datapackage.json"), "--into", str(plan_file), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "追加 0、変更 0、削除 0" in result.output
    result = runner.invoke(app, ["import", str(folder), "--into", "kanagawa-dx", "--dry-run"])
    assert result.exit_code == 2 and "hiratsuka-juten" in result.output
