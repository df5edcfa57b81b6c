"""The plan diff behind the import dry run: added, changed (old → new) and removed."""

from __future__ import annotations

import copy
from typing import Any

from hyoka.core.diff import Action, diff_plans
from hyoka.formats.hyoka1 import plan_from_dict, plan_to_dict
from hyoka.samples import load_sample


def _edited(doc: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(doc)


def _indicator(doc: dict[str, Any], ident: str) -> dict[str, Any]:
    return next(i for i in doc["indicators"] if i["id"] == ident)


def test_same_plan_has_no_changes(sousei_plan):
    assert diff_plans(sousei_plan, load_sample("kanagawa-sousei-3")) == []


def test_value_target_and_text_changes_are_named_with_old_and_new(sousei_plan):
    doc = _edited(plan_to_dict(sousei_plan))
    ind = _indicator(doc, "1-1-2-k1")
    ind["values"]["2024"]["value"] = "99 社"
    ind["targets"]["2025"] = "70 社"
    del ind["values"]["2023"]
    ind["values"]["2025"] = {"value": "2026年９月頃把握予定"}
    node = next(n for n in doc["nodes"] if n["id"] == "1-1-2-1")
    node["texts"]["2024"]["results"] = ["新しい取組結果"]
    changes = diff_plans(sousei_plan, plan_from_dict(doc))
    shown = [str(c) for c in changes]
    assert "変更 実績値 1-1-2-k1 2024 値: 「98 社」 → 「99 社」" in shown
    assert any(s.startswith("変更 目標値 1-1-2-k1 2025: 「") and s.endswith("→ 「70 社」") for s in shown)
    assert "削除 実績値 1-1-2-k1 2023: 「10 社」" in shown
    assert "追加 実績値 1-1-2-k1 2025: 「2026年９月頃把握予定（把握予定）」" in shown
    text = next(c for c in changes if c.subject == "texts")
    assert (text.action, text.key, text.field, text.new) == (Action.CHANGED, ("1-1-2-1", "2024"), "取組結果", "新しい取組結果")
    assert len(changes) == 5


def test_whole_things_are_one_change_each(dx_plan):
    doc = _edited(plan_to_dict(dx_plan))
    removed = doc["indicators"].pop(0)
    doc["nodes"].append({"id": "new-node", "parent": None, "level": doc["plan"]["levels"][0], "name": "新しいノード"})
    changes = diff_plans(dx_plan, plan_from_dict(doc))
    assert [(c.action, c.subject, c.key) for c in changes] == [
        (Action.ADDED, "node", ("new-node",)),
        (Action.REMOVED, "indicator", (removed["id"],)),
    ]
    assert changes[0].new == "新しいノード"


def test_rules_and_plan_fields(city_plan):
    doc = _edited(plan_to_dict(city_plan))
    doc["rules"] = {"preset": "kanagawa-dx"}
    doc["plan"]["name"] = "新しい名前"
    changes = diff_plans(city_plan, plan_from_dict(doc))
    assert {(c.subject, c.field) for c in changes} == {("plan", "名称"), ("rules", "")}
    assert next(c for c in changes if c.subject == "plan").old == city_plan.name


def test_a_changed_report_chapter_is_a_change_of_the_plan(dx_plan):
    """An import that would change the report's layout or a chapter is seen (the web app refuses it as structural)."""
    doc = _edited(plan_to_dict(dx_plan))
    outlook = next(c for c in doc["plan"]["report"]["chapters"] if c["id"] == "outlook")
    outlook["years"]["2024"] = ["新しい今後の取組"]
    (change,) = diff_plans(dx_plan, plan_from_dict(doc))
    assert (change.subject, change.field) == ("plan", "報告書")
    assert "新しい今後の取組" in change.new and "新しい今後の取組" not in change.old
