"""What is still to do in a year: per department the values and texts not entered, and the
submissions not decided. The inbox, the confirmations (「未入力 3 件、未記入 25 件」), the
publication check, the to-do panel and `hyoka remind` all count with these functions,
so each of them says the same number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...core.model import Plan as CorePlan


def plan_departments(core: CorePlan) -> list[str]:
    """Every department named in the plan: the ones that have something to enter and submit."""
    return sorted({d for n in core.nodes for d in n.departments} | {d for i in core.indicators for d in i.departments})


@dataclass
class Work:
    """One department's entries for one year, and the counts a person scans for."""

    department: str
    values: list[dict[str, Any]] = field(default_factory=list)
    texts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def missing_values(self) -> int:
        return sum(1 for v in self.values if v["state"] == "missing")

    @property
    def pending_values(self) -> int:
        return sum(1 for v in self.values if v["state"] == "pending")

    @property
    def missing_texts(self) -> int:
        return sum(1 for t in self.texts if t["texts"] is None)

    @property
    def complete(self) -> bool:
        return not self.missing_values and not self.missing_texts

    def counts(self) -> str:
        """「未入力 3 件、未記入 25 件」 as the confirmations say it (always in Japanese, like the log)."""
        return f"未入力 {self.missing_values} 件、未記入 {self.missing_texts} 件"


def department_work(core: CorePlan, department: str, year: int) -> Work:
    """What *department* has to enter for *year*: values per series and texts per initiative."""
    work = Work(department)
    for ind in core.indicators:
        if department not in core.departments_of(ind):
            continue
        for series in ind.series():
            v = series.values.get(year)
            state = "missing" if v is None else v.status.value
            work.values.append({"indicator": ind, "series": series, "value": v, "state": state, "target": series.targets.get(year)})
    leaf_level = core.levels[-1]
    work.texts = [
        {"node": n, "texts": n.texts.get(year)}
        for n in core.nodes
        if n.level == leaf_level and not core.children.get(n.id) and department in core.node_departments(n.id)
    ]
    return work


def all_work(core: CorePlan, year: int) -> list[Work]:
    return [department_work(core, d, year) for d in plan_departments(core)]
