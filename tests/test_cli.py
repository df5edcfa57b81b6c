"""The `hyoka` command: exit codes, the JSON contract, the table, and error messages naming the place."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hyoka.samples import sample_path


def hyoka(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hyoka.cli", *args], capture_output=True, text=True, cwd=cwd)


def test_json_contract_fields():
    out = hyoka("evaluate", "kanagawa-sousei-3", "--year", "2024", "--format", "json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["plan"] == "kanagawa-sousei-3" and doc["year"] == 2024
    ind = next(i for i in doc["indicators"] if i["id"] == "1-1-2-k1")
    assert {"id", "node", "rate", "rate_uncapped", "rate_exact", "judgement", "explanation"} <= ind.keys()
    assert (ind["rate"], ind["rate_uncapped"], ind["rate_exact"]) == ("178.1", "178.1", "178.181818181818")
    assert ind["rate_fraction"] == "1960/11"
    node = next(n for n in doc["nodes"] if n["id"] == "3-2-1")
    assert node["grade"] == {"label": "概ね順調に進んでいます", "symbol": None}
    assert (node["mean"], node["inputs"]) == ("79.2", 3)
    assert doc["plan_grade"] is None and "grades" in doc["summary"]


def test_table_for_people():
    out = hyoka("evaluate", "kanagawa-dx", "--year", "令和6年度")
    assert out.returncode == 0
    assert "◎126（74.6％） ○15（8.9％） △28（16.6％） 計169 集計中10" in out.stdout
    out = hyoka("evaluate", "kanagawa-sousei-3", "-y", "R6", "-f", "table")
    assert "178.1％" in out.stdout and "概ね順調に進んでいます" in out.stdout


def test_user_defined_rules_without_code(tmp_path):
    rules = {
        "rate": {"rounding": "half_up", "decimals": 1, "cap": "100"},
        "grades": [
            {
                "level": "小柱",
                "bands": [
                    {"min": "100", "label": "順調"},
                    {"min": "80", "label": "おおむね順調"},
                    {"min": "60", "label": "やや遅れ"},
                    {"min": None, "label": "遅れ"},
                ],
                "no_data": "未把握",
            },
            {
                "level": "基本目標",
                "source": "grades",
                "of_level": "小柱",
                "bands": [{"min": "90", "label": "A"}, {"min": "70", "label": "B"}, {"min": None, "label": "C"}],
            },
            {
                "level": "plan",
                "source": "grades",
                "of_level": "基本目標",
                "bands": [{"min": "95", "label": "S"}, {"min": None, "label": "T"}],
            },
        ],
    }
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(rules, ensure_ascii=False), encoding="utf-8")
    out = hyoka("evaluate", "kanagawa-sousei-3", "--year", "2024", "--format", "json", "--rules", str(path))
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    kpis = {i["id"]: i for i in doc["indicators"]}
    assert (kpis["1-1-2-k1"]["rate"], kpis["1-1-2-k1"]["rate_uncapped"]) == ("100.0", "178.2")  # half-up, capped
    nodes = {n["id"]: n for n in doc["nodes"]}
    # 4-3-2: 83.1, −250.0, 101.2→100, 94.6, 104.4→100, 100, 91.3, 100 without a clamp at 0 → mean 52.4 → 遅れ
    assert (nodes["4-3-2"]["mean"], nodes["4-3-2"]["label"]) == ("52.4", "遅れ")
    small = [n for n in doc["nodes"] if n["level"] == "小柱" and n["mean"] is not None]
    goal1 = [n for n in small if n["id"].startswith("1-")]
    from decimal import ROUND_HALF_UP, Decimal

    expected = (sum(Decimal(n["mean"]) for n in goal1) / len(goal1)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    assert nodes["1"]["mean"] == str(expected)
    goals = [nodes[g]["mean"] for g in "1234"]
    plan_mean = (sum(Decimal(m) for m in goals) / 4).quantize(Decimal("0.1"), ROUND_HALF_UP)
    assert doc["plan_grade"]["mean"] == str(plan_mean)
    assert doc["plan_grade"]["label"] == ("S" if plan_mean >= 95 else "T")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["evaluate", "missing.json", "--year", "2024"], "missing.json: ファイルがありません"),
        (["evaluate", "kanagawa-dx", "--year", "にせん"], "--year"),
    ],
)
def test_bad_input_exits_2_naming_the_place(args, fragment):
    out = hyoka(*args)
    assert out.returncode == 2
    assert fragment in out.stderr


def test_bad_plan_file_lists_every_problem(tmp_path):
    doc = json.loads(sample_path("kanagawa-sousei-3").read_text(encoding="utf-8"))
    doc["indicators"][5]["targets"]["2024"] = "百件"
    doc["indicators"][7]["unknown"] = 1
    doc["rules"] = {"preset": "kanagawa-sousei", "rate": {"rounding": "round"}}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = hyoka("validate", str(path))
    assert out.returncode == 2
    assert f"{path}:indicators[5].targets.2024: 「百件」: 数値として解釈できません" in out.stderr
    assert f"{path}:indicators[7].unknown" in out.stderr
    assert f"{path}:rules.rate.rounding" in out.stderr
    bad_rules = tmp_path / "r.json"
    bad_rules.write_text('{"grades": [{"level": "小柱", "bands": []}]}', encoding="utf-8")
    out = hyoka("evaluate", "kanagawa-sousei-3", "--year", "2024", "--rules", str(bad_rules))
    assert out.returncode == 2 and "rules.grades[0].bands" in out.stderr


def test_usage_errors_exit_2():
    assert hyoka("evaluate").returncode == 2
    assert hyoka("evaluate", "kanagawa-dx", "--year", "2024", "--format", "xml").returncode == 2


def test_validate_and_rules_commands():
    out = hyoka("validate", "kanagawa-dx")
    assert out.returncode == 0 and "ノード 249、指標 224" in out.stdout
    out = hyoka("rules", "kanagawa-dx")
    assert json.loads(out.stdout)["judgement"]["bands"][0]["symbol"] == "◎"


def test_validate_warns_about_the_typos_of_the_published_report():
    out = hyoka("validate", "kanagawa-sousei-3")
    assert out.returncode == 0
    warnings = [line for line in out.stdout.splitlines() if line.startswith("注意")]
    assert len(warnings) == 2
    assert "「100,000 人」: 累計の目標値が前年（900,000 人）より減っています" in warnings[0]  # 未病指標利用者数 2027
    assert "「5,661 件」: 単位「件」は指標の単位「回」と合いません" in warnings[1]  # 交通安全教育 2022


def _plan_file(tmp_path: Path, change) -> Path:
    doc = json.loads(sample_path("kanagawa-sousei-3").read_text(encoding="utf-8"))
    change(doc)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _kpi(doc, ind_id):
    return next(i for i in doc["indicators"] if i["id"] == ind_id)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (
            lambda d: _kpi(d, "1-1-1-k1")["values"].__setitem__("2024", {"value": "216 ぐらい"}),
            "indicators[4].values.2024.value: 「216 ぐらい」: 単位「ぐらい」",
        ),
        (
            lambda d: _kpi(d, "1-1-1-k1")["values"].__setitem__("2024", {"value": "二百十六件"}),
            "indicators[4].values.2024.value: 「二百十六件」: 数値として解釈できません",
        ),
        (lambda d: _kpi(d, "1-1-1-k1")["targets"].__setitem__("2024", None), "indicators[4].targets.2024: 目標値がありません"),
        (lambda d: _kpi(d, "3-2-1-k2").pop("baseline"), "baseline: formula が progress の指標には基準値"),
        (
            lambda d: d["rules"].__setitem__("grades", [{"level": "小柱", "bands": [{"min": None, "label": "x"}], "weights": 1}]),
            "rules.grades[0].weights: 不明なオプション",
        ),
        (lambda d: d["nodes"][3].__setitem__("parent", "9-9"), "nodes[3].parent: 親「9-9」がありません"),
    ],
)
def test_error_paths_exit_2_with_the_json_path(tmp_path, change, fragment):
    path = _plan_file(tmp_path, change)
    out = hyoka("evaluate", str(path), "--year", "2024")
    assert out.returncode == 2, out.stdout
    assert f"{path}:" in out.stderr and fragment in out.stderr, out.stderr


def test_a_year_without_data_is_refused():
    out = hyoka("evaluate", "kanagawa-sousei-3", "--year", "2035")
    assert out.returncode == 2 and "2035年度の目標値・実績値がありません" in out.stderr


def test_a_plan_file_imports_like_a_workbook(tmp_path):
    """The kind of an imported file is told by its name; a `hyoka/1` file shows its changes and must be for the same plan."""
    doc = json.loads(sample_path("hiratsuka-juten").read_text(encoding="utf-8"))
    doc["indicators"][0]["name"] = "新しい指標名"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = hyoka("import", str(changed), "--into", "hiratsuka-juten", "--dry-run")
    assert out.returncode == 0, out.stderr
    assert f"変更 指標 {doc['indicators'][0]['id']} 指標名:" in out.stdout and "「新しい指標名」" in out.stdout
    out = hyoka("import", str(changed), "--into", "kanagawa-dx", "--dry-run")
    assert out.returncode == 2 and "このファイルは計画「hiratsuka-juten」のものです" in out.stderr
