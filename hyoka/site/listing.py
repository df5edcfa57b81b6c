"""What the pages above the plans (the list of plans, the search) show of each plan.

A ``Listing`` is plain JSON data, so ``hyoka publish`` keeps it in the site's manifest and
an incremental publish lists the plans it did not rebuild without reading, publishing or
evaluating them again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .pages import grade_class
from .plansite import PlanSite
from .search import search_records


@dataclass(frozen=True)
class Listing:
    root: str  # the plan's folder (``PlanSite.root``)
    card: dict[str, Any]  # its card on the list of plans
    search: list[dict[str, Any]]  # its rows of the search index

    @classmethod
    def of(cls, ps: PlanSite) -> Listing:
        return cls(ps.root, card(ps), search_records(ps))

    def to_dict(self) -> dict[str, Any]:
        return {"root": self.root, "card": self.card, "search": self.search}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Listing:
        return cls(data["root"], data["card"], data["search"])


def card(ps: PlanSite) -> dict[str, Any]:
    """The plan's name, organization, period, size, newest year and the plan's grade in it."""
    plan = ps.plan
    grade = ps.evaluation(ps.latest).plan_grade if ps.latest is not None else None
    return {
        "id": ps.id,
        "name": plan.name,
        "organization": {"name": plan.organization.name, "code": plan.organization.code},
        "period": [plan.period_start, plan.period_end],
        "indicators": len(plan.indicators),
        "latest": ps.latest,
        "grade": None if grade is None else {"css": grade_class(grade), "symbol": grade.symbol, "label": grade.label},
    }
