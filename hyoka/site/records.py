"""The machine-readable form of what a page shows: JSON and CSV of a plan, a node, an indicator.

The downloads of the static site and the answers of the web API are these records, so
a program gets exactly the numbers a reader sees. Every figure comes from the evaluation
contract (``formats.evaluation``) and every table row from the CSV data package.
"""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal
from typing import Any

from ..core.model import Indicator
from ..formats.csvpackage.schema import OBSERVATIONS
from ..formats.csvpackage.write import PACKAGE_NAMES, header_text
from ..formats.hyoka1 import correction_to_dict, document_text
from . import paths
from .plansite import PlanSite

FORMAT = "hyoka-public/1"
ZIP_TIME = (2000, 1, 1, 0, 0, 0)  # fixed, so the same plan gives the same bytes


def to_json(doc: Any) -> bytes:
    """Compact JSON: without indentation Python's encoder runs in C, and a national site's downloads are a third smaller."""
    return (json.dumps(doc, ensure_ascii=False, separators=(",", ":"), default=str) + "\n").encode("utf-8")


def plan_summary(ps: PlanSite) -> dict[str, Any]:
    plan = ps.plan
    return summary(
        plan.id,
        plan.name,
        (plan.organization.name, plan.organization.code),
        (plan.period_start, plan.period_end),
        list(plan.levels),
        ps.years,
        (len(plan.indicators), len(plan.nodes)),
    )


def summary(
    plan_id: str,
    name: str,
    organization: tuple[str, str],
    period: tuple[int, int],
    levels: list[str],
    years: list[int],
    counts: tuple[int, int],
) -> dict[str, Any]:
    """A plan in a list of plans; also made from the plans' rows, so that listing a country's plans builds none of them."""
    return {
        "id": plan_id,
        "name": name,
        "organization": {"name": organization[0], "code": organization[1]},
        "period": {"start": period[0], "end": period[1]},
        "levels": levels,
        "published_years": years,
        "latest_year": years[-1] if years else None,
        "indicators": counts[0],
        "nodes": counts[1],
    }


def plan_record(ps: PlanSite, year: int | None) -> dict[str, Any]:
    """The plan with its structure, and the evaluation of *year* (a published year) or none."""
    doc = ps.document
    return {
        "format": FORMAT,
        "plan": plan_summary(ps) | {"description": ps.plan.description, "rules": doc["rules"]},
        "nodes": [{k: n.get(k) for k in ("id", "parent", "level", "number", "name")} for n in doc["nodes"]],
        "indicators": [{"id": i.id, "node": i.node, "kind": i.kind, "name": i.name, "unit": i.unit} for i in ps.plan.indicators],
        "year": year,
        "publication": publication(ps, year) if year is not None else None,
        "evaluation": ps.doc(year) if year is not None else None,
    }


def publication(ps: PlanSite, year: int) -> dict[str, Any]:
    """When *year* was published and every 訂正 since (oldest first), each with its date, reason and old → new."""
    cycle = ps.plan.cycles[year]
    return {"published": cycle.published or None, "corrections": [correction_to_dict(c) for c in cycle.corrections]}


def _outlook(ps: PlanSite, ind: Indicator) -> list[dict[str, Any]]:
    out = []
    for series in ind.series():
        p = ps.projection(ind, series)
        if p is None:
            continue
        out.append(
            {
                "part": "" if series is ind else series.id,
                "outlook": p.outlook.value,
                "label": p.outlook.label,
                "ratio": None if p.ratio is None else format(p.ratio.quantize(Decimal("0.0001")), "f"),
                "method": p.method,
                "year": p.year,
                "target_year": p.target_year,
                "projected": format(p.projected.quantize(Decimal("0.1")), "f"),
                "explanation": p.explanation(series.unit),
            }
        )
    return out


def _plan_head(ps: PlanSite) -> dict[str, Any]:
    org = ps.plan.organization
    return {"id": ps.id, "name": ps.plan.name, "organization": org.name, "organization_code": org.code}


def indicator_record(ps: PlanSite, ind: Indicator, year: int | None = None) -> dict[str, Any]:
    """The indicator as entered (hyoka/1), its evaluation in each published year (or in *year*), and its outlook."""
    years = ps.years if year is None else [year]
    return {
        "format": FORMAT,
        "id": f"{ps.root}:{ind.id}",
        "plan": _plan_head(ps),
        "indicator": ps.indicator_specs[ind.id],
        "evaluations": [{"year": y} | ps.indicator_doc(y, ind.id) for y in years],
        "corrections": [{"year": y} | correction_to_dict(c) for y, c in ps.corrections(indicator=ind.id) if y in years],
        "outlook": _outlook(ps, ind) if year is None or year == ps.latest else [],
    }


def node_record(ps: PlanSite, node_id: str) -> dict[str, Any]:
    """The node, its grade in each published year and its indicators, each with the path of its own record
    (``indicator_record``): every indicator's figures are in one file, not again in each node above it."""
    spec = next(n for n in ps.document["nodes"] if n["id"] == node_id)
    return {
        "format": FORMAT,
        "plan": _plan_head(ps),
        "node": spec,
        "grades": [{"year": y} | ps.node_doc(y, node_id) for y in ps.years],
        "indicators": [
            {"id": ind.id, "name": ind.name, "unit": ind.unit, "record": paths.indicator_data(ps.root, ind.id, "json")}
            for ind in ps.plan.indicators_of.get(node_id, [])
        ],
    }


def indicator_csv(ps: PlanSite, ind: Indicator) -> bytes:
    return (header_text(OBSERVATIONS) + ps.observation_lines(ind.id)).encode("utf-8")


def node_csv(ps: PlanSite, node_id: str) -> bytes:
    lines = [ps.observation_lines(ind.id) for ind in ps.plan.indicators_of.get(node_id, [])]
    return (header_text(OBSERVATIONS) + "".join(lines)).encode("utf-8")


def package_zip(ps: PlanSite) -> bytes:
    buffer = io.BytesIO()
    folder = f"{ps.id}-csv"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in ps.package_files.items():
            archive.writestr(zipfile.ZipInfo(f"{folder}/{name}", ZIP_TIME), text.encode("utf-8"), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def hyoka1(ps: PlanSite) -> bytes:
    return document_text(ps.document).encode("utf-8")  # the document the downloads already read


def downloads(ps: PlanSite) -> dict[str, Any]:
    """Every data file of a plan by its site path, each made only when asked for."""
    plan_id = ps.root
    files: dict[str, Any] = {
        paths.hyoka1_file(plan_id): lambda: hyoka1(ps),
        paths.package_zip(plan_id): lambda: package_zip(ps),
    }
    for name in PACKAGE_NAMES:  # named without making them: the process that writes them makes them
        files[paths.package_file(plan_id, name)] = lambda name=name: ps.package_files[name].encode("utf-8")
    for year in ps.years:
        files[paths.evaluation_file(plan_id, year)] = lambda year=year: to_json({"format": FORMAT} | ps.doc(year))
    for ind in ps.plan.indicators:
        files[paths.indicator_data(plan_id, ind.id, "json")] = lambda ind=ind: to_json(indicator_record(ps, ind))
        files[paths.indicator_data(plan_id, ind.id, "csv")] = lambda ind=ind: indicator_csv(ps, ind)
    for node in ps.plan.nodes:
        files[paths.node_data(plan_id, node.id, "json")] = lambda node=node: to_json(node_record(ps, node.id))
        files[paths.node_data(plan_id, node.id, "csv")] = lambda node=node: node_csv(ps, node.id)
    return files
