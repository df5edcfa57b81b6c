"""One plan as the public site sees it: the published copy and everything computed from it once.

Pages, downloads and API answers all read from a ``PlanSite``. It holds nothing but
the published copy (``published.published_plan``), so none of them can reach a draft.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from ..core.engine import Evaluation, evaluate
from ..core.model import Correction, Indicator, Plan, Series
from ..core.projection import Projection, project
from ..core.summary import summarize
from ..formats.csvpackage.schema import OBSERVATIONS
from ..formats.csvpackage.write import package_files, package_tables, rows_text
from ..formats.evaluation import evaluation_dict, indicator_dict, node_dict, summary_dict
from ..formats.hyoka1 import plan_to_dict
from . import paths
from .published import evaluated_years, published_plan

T = TypeVar("T")


@dataclass
class PlanSite:
    plan: Plan  # the published copy, never the original
    _evaluations: dict[int, Evaluation] = field(default_factory=dict, init=False, repr=False)
    _made: dict[Any, Any] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def of(cls, plan: Plan) -> PlanSite:
        return cls(published_plan(plan))

    @property
    def id(self) -> str:
        return self.plan.id

    @property
    def root(self) -> str:
        """The plan's folder on the site, under its organization's (``paths.plan_root``)."""
        return paths.of_plan(self.plan)

    @cached_property
    def years(self) -> list[int]:
        """The evaluated (published) years, oldest first."""
        return evaluated_years(self.plan)

    @property
    def latest(self) -> int | None:
        return self.years[-1] if self.years else None

    def published_on(self, year: int) -> str:
        """The date *year* was published (ISO), "" when the plan file did not say."""
        return self.plan.cycles[year].published

    def corrections(self, *, indicator: str = "", node: str = "") -> list[tuple[int, Correction]]:
        """Every 訂正 of the published years, newest first; with *indicator* or *node*, only what touched it."""
        out = []
        for year in reversed(self.years):
            for c in reversed(self.plan.cycles[year].corrections):
                changes = [x for x in c.changes if (not indicator or x.indicator == indicator) and (not node or x.node == node)]
                if changes:
                    out.append((year, Correction(c.date, c.reason, changes)))
        return out

    def evaluation(self, year: int) -> Evaluation:
        if year not in self._evaluations:
            self._evaluations[year] = evaluate(self.plan, year)
        return self._evaluations[year]

    def doc(self, year: int) -> dict[str, Any]:
        """The evaluation contract (``hyoka evaluate --format json``) of a published year, from the parts already made."""
        return self.once(
            ("doc", year),
            lambda: evaluation_dict(
                self.evaluation(year),
                indicator=lambda i: self.indicator_doc(year, i),
                node=lambda n: self.node_doc(year, n),
                summary=self.summary(year),
            ),
        )

    def indicator_doc(self, year: int, indicator_id: str) -> dict[str, Any]:
        """The indicator's part of the year's contract, made on its own: each process of a publication
        makes the parts of the pages it writes, and an API answer about one indicator only that one."""
        ev = self.evaluation(year)
        return self.once(("indicator-doc", year, indicator_id), lambda: indicator_dict(ev.indicators[indicator_id], ev))

    def node_doc(self, year: int, node_id: str) -> dict[str, Any]:
        """The node's part of the year's contract (its grade), made on its own as an indicator's is."""
        ev = self.evaluation(year)
        return self.once(("node-doc", year, node_id), lambda: node_dict(ev.nodes[node_id], ev))

    def summary(self, year: int) -> dict[str, Any]:
        """The contract's counts (grades, judgements, rates) of a published year."""
        return self.once(("summary", year), lambda: summary_dict(summarize(self.evaluation(year))))

    @cached_property
    def document(self) -> dict[str, Any]:
        """The published `hyoka/1` document."""
        return plan_to_dict(self.plan)

    @cached_property
    def indicator_specs(self) -> dict[str, dict[str, Any]]:
        return {spec["id"]: spec for spec in self.document["indicators"]}

    @cached_property
    def tables(self) -> dict[str, list[dict[str, Any]]]:
        """The tables of the CSV data package, computed once for the package and every indicator's CSV."""
        return package_tables(self.plan, self.doc)

    @cached_property
    def package_files(self) -> dict[str, str]:
        """The CSV data package of the published plan, by file name."""
        return package_files(self.plan, self.tables, self.document)

    @cached_property
    def observations(self) -> dict[str, list[dict[str, Any]]]:
        by_indicator: dict[str, list[dict[str, Any]]] = {}
        for row in self.tables["observations"]:
            by_indicator.setdefault(row["indicator_id"], []).append(row)
        return by_indicator

    def observation_lines(self, indicator_id: str) -> str:
        """The indicator's rows of the package's observations as CSV lines, made once for its own CSV and its node's."""
        return self.once(("observation-lines", indicator_id), lambda: rows_text(OBSERVATIONS, self.observations.get(indicator_id, [])))

    def prepare(self) -> None:
        """Evaluate the published years, which pages and downloads alike read, before ``hyoka publish``
        shares the plan's files among processes that would each evaluate them. The contract's parts
        are left to the process that writes a page or file that shows them."""
        for year in self.years:
            self.evaluation(year)

    def once(self, key: Any, make: Callable[[], T]) -> T:
        """What *make* makes, made once for all the pages of the plan that show it (its pages in each language)."""
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]

    def projection(self, indicator: Indicator, series: Series) -> Projection | None:
        """The series' outlook from the newest published year, made once for its pages and its record."""
        if self.latest is None:
            return None
        latest = self.latest
        return self.once(
            ("projection", indicator.id, "" if series is indicator else series.id),
            lambda: project(series, latest, indicator.final_target_year, self.plan.rules.measures),
        )
