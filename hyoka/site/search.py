"""The search index: one small record per indicator, searched in the browser without a server.

It is shipped as a script (``assets/search-index.js``) so that the search page works
from file:// too, where a browser refuses to fetch JSON, and as JSON for programs.
"""

from __future__ import annotations

from typing import Any

from ..core.notation import marked_name
from . import paths
from .plansite import PlanSite


def search_records(ps: PlanSite) -> list[dict[str, Any]]:
    """Per indicator of the plan: plan, id, name, the path of nodes above it, page, and the newest rate and judgement."""
    out = []
    for ind in ps.plan.indicators:
        chain = [*ps.plan.ancestors(ind.node), ps.plan.node_by_id[ind.node]]
        record: dict[str, Any] = {
            "plan": ps.plan.name,
            "organization": ps.plan.organization.name,
            "id": ind.id,
            "name": marked_name(ind),
            "path": " › ".join(f"{n.number} {n.name}".strip() for n in chain),
            "page": paths.indicator_page(ps.root, ind.id),
            "rate": None,
            "judgement": None,
        }
        if ps.latest is not None:
            doc = ps.indicator_doc(ps.latest, ind.id)
            record["rate"] = doc["rate"]
            record["judgement"] = (doc["judgement"] or {}).get("symbol")
            record["year"] = ps.latest
        out.append(record)
    return out
