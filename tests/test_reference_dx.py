"""Acceptance: seed 001's 169 marks, the ■ rows, the counts and the printed shares."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "hyoka.cli", "evaluate", "kanagawa-dx", "--year", "R6", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def printed_marks(ref: dict[str, Any]) -> dict[str, str]:
    return {m["id"]: m["mark"].replace("◯", "○") for m in ref["measures"] if m["mark"]}


def test_every_printed_mark(dx_ref, doc):
    printed = printed_marks(dx_ref)
    computed = {i["id"]: i["judgement"]["symbol"] for i in doc["indicators"]}
    assert sum(1 for m in printed.values() if m in "◎○△") == 169
    assert sum(1 for m in printed.values() if m == "■") == 10
    assert {k: computed[k] for k in printed} == printed
    assert sum(1 for k, v in computed.items() if v == "―") == 45


def test_counts_and_shares_as_printed(dx_ref, doc):
    j = doc["summary"]["judgements"]
    table = dx_ref["summary_reported"]["table"]
    for key, printed in (("overall", table["合計"]), ("kurashi", table["くらし"]), ("gyosei", table["行政"])):
        c = j["overall"] if key == "overall" else j["by_node"][key]
        assert c["counts"] == {"◎": printed["達成"], "○": printed["概ね達成"], "△": printed["未達成"]}
        assert c["checked"] == printed["計"] and c["pending"] == printed["集計中"]
        assert c["shares"]["◎"] == f"{printed['達成率']:.1f}"
        assert c["shares"]["○"] == f"{printed['概ね達成率']:.1f}"
        assert c["at_least"]["○"] == f"{printed['達成+概ね達成率']:.1f}"
    assert j["overall"]["shares"] == {"◎": "74.6", "○": "8.9", "△": "16.6"}
    assert j["by_node"]["gyosei"]["shares"]["○"] == "6.3"  # 4/64 = 6.25, half-up
    assert j["overall"]["at_least"]["○"] == "83.4"  # from counts, not 74.6 + 8.9


def test_judgement_details(doc):
    by_id = {i["id"]: i for i in doc["indicators"]}
    assert by_id["11-6"]["judgement"]["symbol"] == "○"  # 89.85 / 90: no rounding before comparing
    assert by_id["22-17"]["judgement"]["symbol"] == "○"  # 99.4 %
    assert by_id["22-2"]["judgement"]["symbol"] == "◎"  # lower is better: 600 → 353 ページ
    assert by_id["16-6"]["judgement"]["symbol"] == "◎"  # ０件 → ０件
    assert by_id["9-5"]["judgement"]["symbol"] == "△"  # worst part, not the mean
    assert by_id["3-10"]["judgement"]["symbol"] == "■"  # one part pending
    recorded = by_id["22-29"]["judgement"]
    assert recorded["symbol"] == "○" and recorded["basis"] == "recorded" and recorded["computed"]["symbol"] == "△"
    assert "評価者が記録した判定" in by_id["22-29"]["explanation"]
    assert "一致しない" in by_id["13-10"]["explanation"]
