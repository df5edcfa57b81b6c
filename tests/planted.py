"""A plan with drafts planted in it: unique strings and figures that must never be published.

kanagawa-dx has FY2024 published. Here FY2025 is opened (a draft year) and every place
a draft can hide gets a unique marker: an actual, a value note, 一次評価 texts, the
council's review, a report chapter written for the year and an ``x-`` extension field. FY2024 gets a released review as the
control, which must appear, so a test that finds no marker proves it looked.
"""

from __future__ import annotations

import copy
from typing import Any

from hyoka.core.model import Plan
from hyoka.formats.hyoka1 import plan_from_dict, plan_to_dict
from hyoka.samples import load_sample

DRAFT_TEXT = "DRAFT-MARKER-7Q3ZK"  # in texts, notes, reviews and extensions of the open year
DRAFT_VALUE = "8642975"  # an actual of the open year, written nowhere else in any plan
RELEASED_TEXT = "RELEASED-MARKER-4WX9"  # the council's review of the published year
DRAFT_PLACES = ("value", "note", "results", "issues", "review", "answer", "chapter", "extension")


def planted_document() -> dict[str, Any]:
    doc = copy.deepcopy(plan_to_dict(load_sample("kanagawa-dx")))
    doc["plan"]["id"] = "planted-dx"
    doc["plan"]["cycles"]["2025"] = {"status": "closed", "due": "2026-05-29"}
    doc["x-internal"] = {"memo": f"{DRAFT_TEXT} extension"}
    indicator = next(i for i in doc["indicators"] if not i.get("parts") and i["direction"] == "higher" and "2024" in i["targets"])
    indicator["targets"]["2025"] = indicator["targets"]["2024"]
    indicator["values"]["2025"] = {"value": DRAFT_VALUE, "status": "estimate", "note": f"{DRAFT_TEXT} note"}
    node = next(n for n in doc["nodes"] if n["id"] == indicator["node"])
    node.setdefault("texts", {})["2025"] = {"results": [f"{DRAFT_TEXT} results"], "issues": [f"{DRAFT_TEXT} issues"]}
    node.setdefault("reviews", {})["2025"] = {"grade": "B", "comments": [f"{DRAFT_TEXT} review"], "answer": f"{DRAFT_TEXT} answer"}
    node["reviews"]["2024"] = {"grade": "A", "comments": [f"{RELEASED_TEXT} review"]}
    outlook = {
        "id": "planted-outlook",
        "title": "今後の取組",
        "place": "outlook",
        "years": {"2024": ["公表済み"], "2025": [f"{DRAFT_TEXT} chapter"]},
    }
    doc["plan"].setdefault("report", {}).setdefault("chapters", []).append(outlook)
    return doc


def planted_plan() -> Plan:
    return plan_from_dict(planted_document(), "planted")


def planted_indicator(plan: Plan) -> str:
    """The id of the indicator that holds the draft actual."""
    return next(i.id for i in plan.indicators for y, v in i.values.items() if y == 2025 and v.entry.text == DRAFT_VALUE)
