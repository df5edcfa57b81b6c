"""Writing a plan as a CSV data package: tidy UTF-8 tables and a Frictionless ``datapackage.json``.

The tables hold everything of the plan (so the package reads back into the same plan)
and the computed evaluation of every year that has values: each rate and judgement
in ``observations.csv``, each grade in ``grades.csv``, as ``hyoka evaluate`` reports them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from ...core.engine import evaluate
from ...core.model import Baseline, Indicator, Plan, Series
from ..cells import neutralise, number_text
from ..evaluation import evaluation_dict
from ..files import write_atomic
from ..hyoka1 import FORMAT, plan_to_dict
from .schema import (
    GRADES,
    INDICATORS,
    NODE_TEXTS,
    NODES,
    OBSERVATIONS,
    PACKAGE_PROPERTY,
    PARTS,
    PLAN,
    PROJECTS,
    RESOURCES,
    REVIEWS,
    Resource,
)

Row = dict[str, Any]


def package_tables(plan: Plan) -> dict[str, list[Row]]:
    """Every table of the package, by resource name, before it is written."""
    lead = {"organization_code": plan.organization.code, "plan_id": plan.id}
    tables: dict[str, list[Row]] = {r.name: [] for r in RESOURCES}
    tables[PLAN.name].append(
        lead
        | {
            "organization_name": plan.organization.name,
            "plan_name": plan.name,
            "period_start": plan.period_start,
            "period_end": plan.period_end,
            "levels": plan.levels,
            "description": plan.description,
        }
    )
    for n in plan.nodes:
        node = lead | {"node_id": n.id}
        tables[NODES.name].append(
            node
            | {
                "parent_id": n.parent,
                "level": n.level,
                "number": n.number,
                "name": n.name,
                "description": n.description,
                "departments": n.departments,
                "tags": n.tags,
                "status": n.status,
                "note": n.note,
                "activities": n.activities,
                "extras": n.extras or None,
            }
        )
        for i, p in enumerate(n.projects):
            tables[PROJECTS.name].append(node | {"position": i, "name": p.name, "departments": p.departments, "tags": p.tags})
        for year, t in sorted(n.texts.items()):
            sections = {"results": t.results, "issues": t.issues, "summary": [t.summary] if t.summary else [], "funding": t.funding}
            for section, items in sections.items():
                for i, text in enumerate(items):
                    tables[NODE_TEXTS.name].append(node | {"year": year, "section": section, "position": i, "text": text})
        for year, r in sorted(n.reviews.items()):
            tables[REVIEWS.name].append(node | {"year": year, "grade": r.grade, "comments": r.comments, "answer": r.answer})
    for ind in plan.indicators:
        tables[INDICATORS.name].append(lead | _indicator_row(ind))
        for p in ind.parts:
            part = {"indicator_id": ind.id, "part_id": p.id, "label": p.label, "name": p.name, "unit": p.unit}
            tables[PARTS.name].append(lead | part | {"direction": p.direction, "formula": p.formula, "note": p.note} | _baseline(p))
        for part_id, s in [("", ind), *((p.id, p) for p in ind.parts)]:
            for row in _observations(s):
                tables[OBSERVATIONS.name].append(lead | {"indicator_id": ind.id, "part_id": part_id} | row)
    _evaluations(plan, lead, tables)
    return tables


def _indicator_row(ind: Indicator) -> Row:
    return {
        "indicator_id": ind.id,
        "node_id": ind.node,
        "kind": ind.kind,
        "name": ind.name,
        "label": ind.label,
        "unit": ind.unit,
        "aggregation": ind.aggregation,
        "period_basis": ind.period_basis,
        "direction": ind.direction,
        "formula": ind.formula,
        "final_target_year": ind.final_target_year,
        "departments": ind.departments,
        "footnotes": ind.footnotes,
        "added_in": ind.added_in,
        "weight": ind.weight,
        "note": ind.note,
        "extras": ind.extras or None,
    } | _baseline(ind)


def _baseline(s: Series) -> Row:
    b: Baseline | None = s.baseline
    if b is None:
        return {}
    number = b.entry.parsed.in_unit(s.unit_scale) if b.entry.parsed.is_number else None
    return {"baseline_year": b.year, "baseline_value": b.entry.text, "baseline_number": number, "baseline_note": b.note}


def _observations(s: Series) -> Iterator[Row]:
    """The entered measures of a series: targets, then each year's value and its fields."""
    for year, entry in sorted(s.targets.items()):
        yield _measure(year, "target", entry.text, entry.parsed.in_unit(s.unit_scale) if entry.parsed.is_number else None, s.unit)
    for year, v in sorted(s.values.items()):
        yield _measure(year, "actual", v.entry.text, v.number.scaleb(-s.unit_scale) if v.number is not None else None, s.unit)
        yield _measure(year, "status", v.status.value)
        for measure, text in (
            ("expected", v.expected),
            ("note", v.note),
            ("judgement_recorded", v.judgement),
            ("judgement_reason", v.judgement_reason),
        ):
            if text:
                yield _measure(year, measure, text)


def _measure(year: int, measure: str, value: str, number: Decimal | None = None, unit: str = "") -> Row:
    return {"year": year, "measure": measure, "value": value, "number": number, "unit": unit if number is not None else ""}


def _evaluations(plan: Plan, lead: Row, tables: dict[str, list[Row]]) -> None:
    """Rates, judgements and grades of every year with values, from the evaluation contract."""
    years = sorted({y for i in plan.indicators for s in [i, *i.parts] for y in s.values})
    for year in years:
        doc = evaluation_dict(evaluate(plan, year))
        for ind in doc["indicators"]:
            keys = lead | {"indicator_id": ind["id"]}
            rates = [("", ind["rate"])] if ind.get("parts") is None else [(p["id"], p["rate"]) for p in ind["parts"]]
            for part_id, rate in rates:
                if rate is not None:
                    tables[OBSERVATIONS.name].append(keys | {"part_id": part_id} | _measure(year, "rate", rate, Decimal(rate), "%"))
            if ind["judgement"] is not None:
                tables[OBSERVATIONS.name].append(keys | {"part_id": ""} | _measure(year, "judgement", ind["judgement"]["symbol"]))
        graded = [(n["id"], n["level"], n) for n in doc["nodes"] if n.get("explanation")]
        if doc["plan_grade"] is not None:
            graded.append(("", "plan", doc["plan_grade"]))
        for node_id, level, g in graded:
            symbol = (g.get("grade") or {}).get("symbol") or ""
            row = {"year": year, "node_id": node_id, "level": level, "label": g["label"], "symbol": symbol}
            tables[GRADES.name].append(lead | row | {"mean": g["mean"], "inputs": g["inputs"]})


def descriptor(plan: Plan) -> dict[str, Any]:
    doc = plan_to_dict(plan)
    kept = {k: v for k, v in doc.items() if k.startswith("x-")}
    kept_plan = {k: v for k, v in doc["plan"].items() if k in ("cycles", "report") or k.startswith("x-")}
    slug = re.sub(r"[^a-z0-9._-]+", "-", f"{plan.organization.code}-{plan.id}".lower()).strip("-")
    return {
        "profile": "tabular-data-package",
        "name": slug or "plan",
        "title": f"{plan.name}（{plan.organization.name}）",
        "description": f"{plan.organization.name}「{plan.name}」の体系・指標・目標値・実績値と、hyoka が計算した達成率・判定・評価。",
        "resources": [r.descriptor() for r in RESOURCES],
        PACKAGE_PROPERTY: {"format": FORMAT, "rules": plan.rules_spec, "plan": kept_plan, "document": kept},
    }


def package_files(plan: Plan, tables: dict[str, list[Row]] | None = None) -> dict[str, str]:
    """Every file of the package by its path in the folder, ``datapackage.json`` last.

    The public site serves them from memory and passes the *tables* it already computed.
    """
    tables = tables if tables is not None else package_tables(plan)
    files = {resource.path: table_text(resource, tables[resource.name]) for resource in RESOURCES}
    files["datapackage.json"] = json.dumps(descriptor(plan), ensure_ascii=False, indent=1, default=str) + "\n"
    return files


def write_package(plan: Plan, folder: str | Path) -> Path:
    """Write the package into *folder*; each file appears whole or not at all."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name, text in package_files(plan).items():
        _write_text(out / name, text)
    return out / "datapackage.json"


def _write_text(path: Path, text: str) -> None:
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline=""))


def table_text(resource: Resource, rows: list[Row]) -> str:
    """One table as CSV text with its header, cells written as the schema types them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(resource.names)
    types = {f.name: f.type for f in resource.fields}
    for row in rows:
        writer.writerow([_cell(types[name], row.get(name)) for name in resource.names])
    return buffer.getvalue()


def _cell(kind: str, value: Any) -> str:
    if value is None:
        return ""
    if kind in ("array", "object"):
        return json.dumps(value, ensure_ascii=False, default=str) if value else ""
    if kind == "number":
        return number_text(Decimal(value))
    if kind == "integer":
        return str(value)
    return neutralise(str(value))
