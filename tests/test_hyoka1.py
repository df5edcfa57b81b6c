"""The `hyoka/1` plan file: lossless round trips and errors with the JSON path."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from hyoka import dumps, loads, plan_from_dict, plan_to_dict
from hyoka.core.errors import InputError
from hyoka.formats.hyoka1 import valid_organization_code
from hyoka.samples import sample_names, sample_path


@pytest.mark.parametrize("name", sample_names())
def test_load_dump_load_is_lossless(name):
    raw = json.loads(sample_path(name).read_text(encoding="utf-8"))
    plan = plan_from_dict(raw)
    first = plan_to_dict(plan)
    again = plan_to_dict(loads(dumps(plan)))
    assert again == first
    # nothing of the source file is dropped: same ids, values, texts and extension fields
    assert [n["id"] for n in first["nodes"]] == [n["id"] for n in raw["nodes"]]
    assert first["x-source"] == raw["x-source"]
    for src, out in zip(raw["indicators"], first["indicators"], strict=True):
        assert out["targets"] == src["targets"]
        assert {y: v["value"] for y, v in out["values"].items()} == {y: v.get("value", "") for y, v in src["values"].items()}


def test_sample_counts(sousei_plan, dx_plan, city_plan):
    assert (len(sousei_plan.nodes), len(sousei_plan.indicators)) == (230, 121)
    assert sum(1 for n in sousei_plan.nodes if n.level == "主な取組") == 178
    assert sum(1 for i in sousei_plan.indicators if i.kind == "kpi") == 103
    assert (len(dx_plan.nodes), len(dx_plan.indicators)) == (249, 224)
    assert (len(city_plan.nodes), len(city_plan.indicators)) == (80, 49)


def test_json_numbers_are_accepted_exactly():
    doc = minimal()
    raw = json.dumps(doc).replace('"12.8"', "12.8")
    plan = loads(raw)
    assert str(plan.indicators[0].values[2024].entry.parsed.number) == "12.8"


def minimal() -> dict[str, Any]:
    return {
        "format": "hyoka/1",
        "plan": {
            "id": "p",
            "name": "計画",
            "organization": {"name": "神奈川県", "code": "140007"},
            "period": {"start": 2024, "end": 2027},
            "levels": ["小柱"],
        },
        "rules": {"preset": "kanagawa-sousei"},
        "nodes": [{"id": "n", "parent": None, "level": "小柱", "name": "小柱"}],
        "indicators": [
            {"id": "i", "node": "n", "name": "指標", "unit": "%", "targets": {"2024": "13"}, "values": {"2024": {"value": "12.8"}}}
        ],
    }


def broken(path: str, value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(minimal())
    target: Any = doc
    keys = path.split("/")
    for key in keys[:-1]:
        target = target[int(key)] if isinstance(target, list) else target[key]
    last = keys[-1]
    if value is DELETE:
        del target[last]
    elif isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return doc


DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "where", "fragment"),
    [
        ("format", "hyoka/2", "format", "hyoka/1"),
        ("plan/id", "日本語id", "plan.id", "英数字"),
        ("plan/organization/code", "140008", "plan.organization.code", "検査数字"),
        ("plan/period/end", 2020, "plan.period", "start が end より後"),
        ("plan/colour", "red", "plan.colour", "不明な項目"),
        ("rules", {"preset": "nope"}, "rules.preset", "プリセット"),
        ("rules", {"preset": "kanagawa-sousei", "rate": {"cap": "x"}}, "rules.rate.cap", "数値ではありません"),
        ("nodes/0/parent", "ghost", "nodes[0].parent", "親「ghost」がありません"),
        ("nodes/0/level", "中柱", "nodes[0].level", "plan.levels にありません"),
        ("indicators/0/node", "ghost", "indicators[0].node", "ノード「ghost」がありません"),
        ("indicators/0/targets/2024", "十三", "indicators[0].targets.2024", "数値として解釈できません"),
        ("indicators/0/targets/R6", "13", None, None),
        ("indicators/0/values/2024/value", "たくさん", "indicators[0].values.2024.value", "数値として解釈できません"),
        ("indicators/0/values/2024/status", "done", "indicators[0].values.2024.status", "status"),
        ("indicators/0/values/2024/expected", "9月頃", "indicators[0].values.2024.expected", "2026-09"),
        ("indicators/0/values/2024/judgement", "◎", "indicators[0].values.2024.judgement", "judgement ルール"),
        ("indicators/0/values/2025", {"value": "2026年９月頃把握予定", "status": "confirmed"}, "indicators[0].values.2025.status", "矛盾"),
        ("indicators/0/values/20x4", "1", "indicators[0].values.20x4", "年として解釈できません"),
        ("indicators/0/direction", "up", "indicators[0].direction", "direction"),
        ("indicators/0/formula", "mean", "indicators[0].formula", "formula"),
        ("indicators/0/name", DELETE, "indicators[0].name", "name"),
        ("nodes/0/texts", {"2024": {"summary": "s", "colour": "red"}}, "nodes[0].texts.2024.colour", "不明な項目"),
        ("nodes/0/reviews", {"20x4": {"grade": "A"}}, "nodes[0].reviews.20x4", "年として解釈できません"),
        ("nodes/0/reviews", {"2024": {"grade": "A", "score": 1}}, "nodes[0].reviews.2024.score", "不明な項目"),
        ("indicators/0/values/2024/value", 12.5, None, None),
    ],
)
def test_errors_name_the_json_path(path, value, where, fragment):
    doc = broken(path, value)
    if where is None:
        plan_from_dict(doc)  # accepted forms (wareki year keys, JSON numbers parsed as Decimal by loads)
        return
    with pytest.raises(InputError) as e:
        plan_from_dict(doc, "plan.json")
    assert any(p.where == f"plan.json:{where}" and fragment in p.message for p in e.value.problems), str(e.value)


def test_duplicate_ids_and_all_problems_at_once():
    doc = minimal()
    doc["indicators"].append(copy.deepcopy(doc["indicators"][0]))
    doc["indicators"][1]["targets"]["2024"] = "x"
    with pytest.raises(InputError) as e:
        plan_from_dict(doc)
    wheres = {p.where for p in e.value.problems}
    assert {"indicators[1].id", "indicators[1].targets.2024"} <= wheres


def test_syntax_errors_and_hostile_json():
    with pytest.raises(InputError, match="JSON の構文エラー"):
        loads('{"format": ', "bad.json")
    with pytest.raises(InputError, match="数値として使えません"):
        loads('{"format": NaN}')
    with pytest.raises(InputError, match="入れ子が深すぎます"):
        loads("[" * 100000 + "]" * 100000)
    with pytest.raises(InputError, match="UTF-8"):
        loads(b"\xff\xfe{}")


def test_extension_fields_are_kept_unknown_fields_rejected():
    doc = minimal()
    doc["x-city"] = {"note": "独自項目"}
    doc["nodes"][0]["x-owner"] = "企画課"
    out = plan_to_dict(plan_from_dict(doc))
    assert out["x-city"] == {"note": "独自項目"} and out["nodes"][0]["x-owner"] == "企画課"
    doc["nodes"][0]["owner"] = "企画課"
    with pytest.raises(InputError, match="x- で始めて"):
        plan_from_dict(doc)


def test_organization_codes():
    assert valid_organization_code("140007")  # 神奈川県
    assert valid_organization_code("142034")  # 平塚市
    assert valid_organization_code("131016")  # 千代田区
    assert not valid_organization_code("14000")


def test_parts_refuse_extension_fields_and_duplicate_ids():
    doc = minimal()
    part = {"id": "a", "label": "小", "targets": {"2024": "13"}, "values": {"2024": {"value": "12"}}}
    doc["indicators"][0]["parts"] = [part | {"x-source": "学校基本調査"}]
    doc["indicators"][0]["values"] = {}
    with pytest.raises(InputError) as e:
        plan_from_dict(doc)
    assert e.value.problems[0].where == "indicators[0].parts[0].x-source"
    doc["indicators"][0]["parts"] = [part, dict(part)]
    with pytest.raises(InputError, match="重複"):
        plan_from_dict(doc)


def test_a_published_cycle_keeps_its_date_and_corrections():
    doc = json.loads(sample_path("kanagawa-dx").read_text(encoding="utf-8"))
    correction = {
        "date": "2026-03-01",
        "reason": "集計誤り",
        "changes": [{"subject": "1 2024年度 実績値", "old": "10件（確定）", "new": "11件（確定）", "indicator": "1"}],
    }
    doc["plan"]["cycles"]["2024"] |= {"published": "2025-09-30", "corrections": [correction]}
    plan = plan_from_dict(doc)
    cycle = plan.cycles[2024]
    assert (cycle.published, cycle.corrections[0].date, cycle.corrections[0].changes[0].new) == ("2025-09-30", "2026-03-01", "11件（確定）")
    assert plan_to_dict(plan)["plan"]["cycles"]["2024"] == doc["plan"]["cycles"]["2024"]
    doc["plan"]["cycles"]["2024"] |= {"status": "closed", "published": "2025年9月"}
    doc["plan"]["cycles"]["2024"]["corrections"] = [{"reason": "", "changes": [{"old": "1"}]}]
    with pytest.raises(InputError) as e:
        plan_from_dict(doc, "dx.json")
    where = {p.where for p in e.value.problems}
    assert {
        "dx.json:plan.cycles.2024.published",
        "dx.json:plan.cycles.2024.status",
        "dx.json:plan.cycles.2024.corrections[0].date",
        "dx.json:plan.cycles.2024.corrections[0].changes[0].subject",
    } <= where
