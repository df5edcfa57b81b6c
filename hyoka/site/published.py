"""The published-only copy of a plan: what residents may see, and nothing else.

A year is released when its cycle is published (``plan.cycles[year].status ==
"published"``). Figures of years before the plan period that have no cycle are the
history the plan was adopted with (seed 000 prints 2022 and 2023 beside the targets),
so they are released with the plan. So are the figures of years without a cycle that a
published evaluation judged because its rules look back for the newest figure
(``measures.window``: a 2022 evaluation of a 2019 survey): the published report prints
them. A year whose cycle exists but is not published stays out. For every other year the actual values, the
一次評価 texts (取組結果, 課題と方向性), the council's 二次評価 and the report chapters
written for the year (今後の取組, 推進会議の評価) are dropped whole:
a year whose cycle is open, submitted or closed is a draft. The plan itself (its
structure, targets and baselines) is public once adopted. ``x-`` extension fields are
dropped too: hyoka cannot know whether a government's own field is meant for the public;
so are the fields ``x-assumed`` names (a sample's illustrative departments).

The copy is made through the `hyoka/1` document and read back by the core, so it is
a valid plan that every renderer and every download uses in place of the original.
"""

from __future__ import annotations

from typing import Any

from ..core.model import ASSUMED, Plan, assumed
from ..formats.hyoka1 import is_extension, plan_from_dict, plan_to_dict

PUBLISHED = "published"


def released_years(plan: Plan) -> set[int]:
    """The years whose figures and texts may appear in public."""
    years = {y for y, c in plan.cycles.items() if c.status == PUBLISHED}
    recorded = {y for ind in plan.indicators for s in ind.series() for y in s.values}
    window = plan.rules.measures.window
    looked_back = {d for y in years for d in range(y - window, y)}
    return years | {y for y in recorded if (y < plan.period_start or y in looked_back) and y not in plan.cycles}


def evaluated_years(plan: Plan) -> list[int]:
    """The released years that were evaluated (a published cycle), newest last."""
    return sorted(y for y, c in plan.cycles.items() if c.status == PUBLISHED)


def _keep_years(mapping: dict[str, Any] | None, years: set[int]) -> dict[str, Any]:
    return {k: v for k, v in (mapping or {}).items() if int(k) in years}


def _public(obj: dict[str, Any]) -> dict[str, Any]:
    """Without extension fields, nor the fields a converter assumed (``x-assumed``): the public sees only the source's."""
    guessed = assumed(obj) | {ASSUMED}
    return {k: v for k, v in obj.items() if not is_extension(k) and k not in guessed}


def published_plan(plan: Plan) -> Plan:
    """A copy of *plan* without unreleased years' values, texts and reviews, nor extension fields."""
    return plan_from_dict(published_document(plan), plan.id)


def published_document(plan: Plan) -> dict[str, Any]:
    """The `hyoka/1` document of ``published_plan``: what ``hyoka publish`` fingerprints to find the plans that changed."""
    years = released_years(plan)
    doc = _public(plan_to_dict(plan))
    doc["plan"] = _public(doc["plan"])
    doc["plan"]["cycles"] = {k: v for k, v in doc["plan"].get("cycles", {}).items() if v.get("status") == PUBLISHED}
    for chapter in doc["plan"].get("report", {}).get("chapters", []):
        if "years" in chapter:
            chapter["years"] = _keep_years(chapter["years"], years)
    nodes = []
    for node in doc["nodes"]:
        node = _public(node)
        for key in ("texts", "reviews"):
            if key in node:
                node[key] = _keep_years(node[key], years)
        nodes.append(node)
    doc["nodes"] = nodes
    indicators = []
    for ind in doc["indicators"]:
        ind = _public(ind)
        ind["values"] = _keep_years(ind.get("values"), years)
        ind["parts"] = [part | {"values": _keep_years(part.get("values"), years)} for part in ind.get("parts", [])]
        if not ind["parts"]:
            del ind["parts"]
        indicators.append(ind)
    doc["indicators"] = indicators
    return doc
