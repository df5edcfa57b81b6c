"""Who is responsible for a node or an indicator: the nearest department named on the way up."""

from __future__ import annotations

from hyoka.core.model import Plan


def test_texts_of_a_main_initiative_belong_to_its_small_pillar(sousei_plan: Plan) -> None:
    assert sousei_plan.node_by_id["1-3-1"].departments == ["産業労働局"]
    assert sousei_plan.node_by_id["1-3-1-1"].departments == []
    assert sousei_plan.node_departments("1-3-1-1") == ["産業労働局"]


def test_an_indicator_takes_its_nodes_department(sousei_plan: Plan) -> None:
    assert sousei_plan.departments_of(sousei_plan.indicator_by_id["1-3-1-k1"]) == ["産業労働局"]
    assert sousei_plan.node_departments("1-3") == ["政策局"]  # 中柱 has none: 基本目標１ decides
