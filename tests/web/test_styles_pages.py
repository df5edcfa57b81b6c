"""The web pages of a plan judged in another government's style: data year, compared target, named judgements."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from opencycle import ORG

from hyoka import plan_from_dict
from hyoka.web.plans.convert import store_plan

KEY = "kenko-web"
URL = f"/plans/{ORG}/{KEY}"


def _doc() -> dict[str, Any]:
    def kenko(ident: str, value: str) -> dict[str, Any]:
        return {
            "id": ident,
            "node": "n",
            "name": f"指標{ident}",
            "unit": "%",
            "baseline": {"year": 2012, "value": "20.0"},
            "targets": {"2022": "30.0"},
            "values": {"2019": {"value": value}},
        }

    return {
        "format": "hyoka/1",
        "plan": {
            "id": KEY,
            "name": "健康増進計画",
            "organization": {"name": "神奈川県", "code": ORG},
            "period": {"start": 2013, "end": 2022},
            "levels": ["分野"],
        },
        "rules": {"preset": "kenko-nippon21"},
        "nodes": [{"id": "n", "parent": None, "level": "分野", "name": "栄養・食生活"}],
        "indicators": [kenko("a", "30.5"), kenko("b", "26.0")],
    }


@pytest.fixture
def kenko_plan(db: None) -> None:
    store_plan(plan_from_dict(_doc()))


def test_node_and_indicator_pages_show_the_named_judgement_and_the_figure_judged(kenko_plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("planner")
    node = c.get(f"{URL}/nodes/n/?year=2022").content.decode()
    assert "<th>目標に対する評価</th>" in node and 'title="改善傾向にあるが、目標年度までに目標到達が危ぶまれる: ' in node
    assert "最終目標値 30.0（2022）" in node and "の値）" in node
    page = c.get(f"{URL}/indicators/b/?year=2022").content.decode()
    assert "<b>目標に対する評価</b>" in page and "B*" in page and "線より下" in page
    assert "2022年度の評価には、最新の2019年度の実績値を用います。" in page


def test_the_preview_of_a_typed_value_gives_the_named_judgements(kenko_plan, client_for: Callable[[str], Client]) -> None:
    c = client_for("planner")
    answer = c.get(f"{URL}/indicators/b/preview/", {"year": "2022", "value": "27.5", "part": ""}).json()
    assert answer["ok"] and answer["rate"] == "91.7"  # 27.5 ÷ 30.0: the typed 2022 value is judged, not 2019's
    [named] = answer["judgements"]
    assert (named["title"], named["symbol"]) == ("目標に対する評価", "B*")  # +37.5 %, but below the line, which is 30.0 in 2022
    reached = c.get(f"{URL}/indicators/b/preview/", {"year": "2022", "value": "30.0", "part": ""}).json()
    assert reached["judgements"][0]["symbol"] == "A" and "目標値に達した" in reached["judgements"][0]["label"]


def test_the_rules_page_lists_the_conditions_of_each_named_judgement(kenko_plan, client_for: Callable[[str], Client]) -> None:
    page = client_for("reviewer").get(f"{URL}/rules/").content.decode()
    assert "目標に対する評価" in page and "基準値からの変化率が 5% 以上、かつ" in page and "B*" in page
    assert "基準の出典" in page and "健康日本21" in page and "5年前までの最新の実績値" in page
