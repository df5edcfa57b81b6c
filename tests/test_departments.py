"""Who answers for a node or an indicator: the nearest departments up the plan's tree."""

from __future__ import annotations

from hyoka.core.model import Plan
from hyoka.formats.hyoka1 import plan_from_dict, plan_to_dict


def test_texts_of_a_main_initiative_belong_to_its_small_pillar(sousei_plan: Plan) -> None:
    assert sousei_plan.node_by_id["1-3-1"].departments == ["産業労働局"]
    assert sousei_plan.node_by_id["1-3-1-1"].departments == []
    assert sousei_plan.node_departments("1-3-1-1") == ["産業労働局"]


def test_an_indicator_takes_its_nodes_department(sousei_plan: Plan) -> None:
    assert sousei_plan.departments_of(sousei_plan.indicator_by_id["1-3-1-k1"]) == ["産業労働局"]
    assert sousei_plan.node_departments("1-3") == ["政策局"]  # 中柱 has none: 基本目標１ decides


def test_node_departments_come_from_the_nearest_ancestor(sousei_plan):
    leaf = next(n for n in sousei_plan.nodes if n.level == "主な取組" and not n.departments)
    owner = next(a for a in reversed(sousei_plan.ancestors(leaf.id)) if a.departments)
    assert sousei_plan.node_departments(leaf.id) == owner.departments
    top = sousei_plan.roots[0]
    assert sousei_plan.node_departments(top.id) == top.departments


def test_an_indicators_own_departments_win(city_plan):
    doc = plan_to_dict(city_plan)
    ind = doc["indicators"][0]
    assert city_plan.departments_of(city_plan.indicators[0]) == city_plan.node_departments(ind["node"])
    ind["departments"] = ["デジタル推進課"]
    assert plan_from_dict(doc).departments_of(plan_from_dict(doc).indicators[0]) == ["デジタル推進課"]
