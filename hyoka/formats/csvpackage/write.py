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
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from ...core.engine import evaluate
from ...core.model import Baseline, NodeTexts, Plan, Series
from ...core.schema import LIST, is_empty, plain_dict, plain_fields
from ..cells import neutralise, number_text
from ..evaluation import evaluation_dict
from ..files import write_atomic
from ..hyoka1 import FORMAT, plan_to_dict
from .schema import (
    BASELINE_PREFIX,
    GRADES,
    INDICATORS,
    NODE_TEXTS,
    NODES,
    OBSERVATIONS,
    PACKAGE_PROPERTY,
    PARTS,
    PLAN,
    PROJECTS,
    RECORDED,
    RESOURCES,
    REVIEWS,
    Resource,
)

Row = dict[str, Any]


def package_tables(plan: Plan, evaluation: Callable[[int], dict[str, Any]] | None = None) -> dict[str, list[Row]]:
    """Every table of the package, by resource name, before it is written.

    *evaluation* gives the evaluation contract of a year when the caller has it already (the
    public site evaluates each year once for its pages, its downloads and this package)."""
    lead = {"organization_code": plan.organization.code, "plan_id": plan.id}
    tables: dict[str, list[Row]] = {r.name: [] for r in RESOURCES}
    head = {"organization_name": plan.organization.name, "plan_name": plan.name, "levels": plan.levels}
    tables[PLAN.name].append(lead | head | {"period_start": plan.period_start, "period_end": plan.period_end} | plain_dict(plan))
    for n in plan.nodes:
        node = lead | {"node_id": n.id}
        tables[NODES.name].append(node | {"parent_id": n.parent} | plain_dict(n) | {"extras": n.extras or None})
        for i, p in enumerate(n.projects):
            tables[PROJECTS.name].append(node | {"position": i} | plain_dict(p))
        for year, t in sorted(n.texts.items()):
            for f in plain_fields(NodeTexts):
                value = getattr(t, f.name)
                items = value if f.kind == LIST else [value] if value else []
                for i, text in enumerate(items):
                    tables[NODE_TEXTS.name].append(node | {"year": year, "section": f.name, "position": i, "text": text})
        for year, r in sorted(n.reviews.items()):
            tables[REVIEWS.name].append(node | {"year": year} | plain_dict(r))
    for ind in plan.indicators:
        row = {"indicator_id": ind.id, "node_id": ind.node} | plain_dict(ind) | {"extras": ind.extras or None}
        tables[INDICATORS.name].append(lead | row | _baseline(ind))
        for p in ind.parts:
            tables[PARTS.name].append(lead | {"indicator_id": ind.id, "part_id": p.id} | plain_dict(p) | _baseline(p))
        for part_id, s in [("", ind), *((p.id, p) for p in ind.parts)]:
            for row in _observations(s):
                tables[OBSERVATIONS.name].append(lead | {"indicator_id": ind.id, "part_id": part_id} | row)
    _evaluations(plan, lead, tables, evaluation)
    return tables


def _baseline(s: Series) -> Row:
    b: Baseline | None = s.baseline
    if b is None:
        return {}
    number = b.entry.parsed.in_unit(s.unit_scale) if b.entry.parsed.is_number else None
    own = {BASELINE_PREFIX + k: v for k, v in plain_dict(b).items()}
    return {"baseline_value": b.entry.text, "baseline_number": number} | own


def _observations(s: Series) -> Iterator[Row]:
    """The entered measures of a series: targets, then each year's value and its fields."""
    for year, entry in sorted(s.targets.items()):
        yield _measure(year, "target", entry.text, entry.parsed.in_unit(s.unit_scale) if entry.parsed.is_number else None, s.unit)
    for year, v in sorted(s.values.items()):
        yield _measure(year, "actual", v.entry.text, v.number.scaleb(-s.unit_scale) if v.number is not None else None, s.unit)
        for name, text in plain_dict(v).items():
            if not is_empty(text):
                yield _measure(year, RECORDED.get(name, name), text)


def _measure(year: int, measure: str, value: str, number: Decimal | None = None, unit: str = "") -> Row:
    return {"year": year, "measure": measure, "value": value, "number": number, "unit": unit if number is not None else ""}


def _computed(year: int, record: dict[str, Any], unit: str) -> Iterator[Row]:
    """The computed measures of one series in *year*: rate, the figure's year and target when the rules chose others, the change."""
    if record["rate"] is not None:
        yield _measure(year, "rate", record["rate"], Decimal(record["rate"]), "%")
    measures = record["measures"]
    if measures is None:  # the rules compare the year's own figure and target, and judge by bands only
        return
    if record["rate"] is not None and measures["data_year"] != year:
        yield _measure(year, "data_year", str(measures["data_year"]), Decimal(measures["data_year"]))
    reference = record["reference"]
    if record["rate"] is not None and reference["kind"] != "same_year" and reference["target_exact"] is not None:
        yield _measure(year, "reference_target", reference["target"], Decimal(reference["target_exact"]), unit)
    if measures["change"] is not None:
        yield _measure(year, "change", measures["change"], Decimal(measures["change"]), "%")
    if measures["change_points"] is not None:
        yield _measure(year, "change_points", measures["change_points"], Decimal(measures["change_points"]), unit)


def _evaluations(plan: Plan, lead: Row, tables: dict[str, list[Row]], evaluation: Callable[[int], dict[str, Any]] | None) -> None:
    """Rates, judgements and grades of every year with values or a cycle judging them, from the evaluation contract."""
    recorded = {y for i in plan.indicators for s in [i, *i.parts] for y in s.values}
    # and the cycles that judge an older figure (rules that look back for the newest value)
    window = plan.rules.measures.window
    years = sorted(recorded | {y for y in plan.cycles if any(y - window <= r <= y for r in recorded)})
    for year in years:
        doc = evaluation(year) if evaluation is not None else evaluation_dict(evaluate(plan, year))
        for ind in doc["indicators"]:
            keys = lead | {"indicator_id": ind["id"]}
            records = [("", ind)] if ind.get("parts") is None else [(p["id"], p) for p in ind["parts"]]
            for part_id, record in records:
                for row in _computed(year, record, ind["unit"] if not part_id else record.get("unit", ind["unit"])):
                    tables[OBSERVATIONS.name].append(keys | {"part_id": part_id} | row)
            if ind["judgement"] is not None:
                tables[OBSERVATIONS.name].append(keys | {"part_id": ""} | _measure(year, "judgement", ind["judgement"]["symbol"]))
            for name, j in ind["judgements"].items():
                points = Decimal(j["points"]) if j.get("points") else None
                tables[OBSERVATIONS.name].append(keys | {"part_id": ""} | _measure(year, f"judgement.{name}", j["symbol"], points, "点"))
        graded = [(n["id"], n["level"], n) for n in doc["nodes"] if n.get("explanation")]
        if doc["plan_grade"] is not None:
            graded.append(("", "plan", doc["plan_grade"]))
        for node_id, level, g in graded:
            symbol = (g.get("grade") or {}).get("symbol") or ""
            row = {"year": year, "node_id": node_id, "level": level, "label": g["label"], "symbol": symbol}
            tables[GRADES.name].append(lead | row | {"mean": g["mean"], "inputs": g["inputs"]})


def descriptor(plan: Plan, document: dict[str, Any] | None = None) -> dict[str, Any]:
    """The package's ``datapackage.json``; *document* is the plan's `hyoka/1` document when the caller has it."""
    doc = document if document is not None else plan_to_dict(plan)
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


DESCRIPTOR = "datapackage.json"
PACKAGE_NAMES = (*(resource.path for resource in RESOURCES), DESCRIPTOR)  # the package's files, in the order written


def package_files(plan: Plan, tables: dict[str, list[Row]] | None = None, document: dict[str, Any] | None = None) -> dict[str, str]:
    """Every file of the package by its path in the folder (``PACKAGE_NAMES``).

    The public site serves them from memory and passes the *tables* and the plan's *document* it already made.
    """
    tables = tables if tables is not None else package_tables(plan)
    files = {resource.path: table_text(resource, tables[resource.name]) for resource in RESOURCES}
    files[DESCRIPTOR] = json.dumps(descriptor(plan, document), ensure_ascii=False, indent=1, default=str) + "\n"
    return files


def write_package(plan: Plan, folder: str | Path) -> Path:
    """Write the package into *folder*; each file appears whole or not at all."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name, text in package_files(plan).items():
        _write_text(out / name, text)
    return out / DESCRIPTOR


def _write_text(path: Path, text: str) -> None:
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline=""))


def table_text(resource: Resource, rows: list[Row]) -> str:
    """One table as CSV text with its header, cells written as the schema types them."""
    return header_text(resource) + rows_text(resource, rows)


def header_text(resource: Resource) -> str:
    """The header line of *resource*'s CSV."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(resource.names)
    return buffer.getvalue()


def rows_text(resource: Resource, rows: Iterable[Row]) -> str:
    """*rows* as lines of *resource*'s CSV, without the header: the site writes an indicator's lines into
    its own CSV and into its node's, so they are made once for both."""
    buffer = io.StringIO()
    _write_rows(resource, rows, buffer)
    return buffer.getvalue()


def write_table(resource: Resource, rows: Iterable[Row], stream: TextIO) -> int:
    """Write the header and *rows* as CSV into *stream*, one row at a time; returns the number of rows."""
    stream.write(header_text(resource))
    return _write_rows(resource, rows, stream)


def _write_rows(resource: Resource, rows: Iterable[Row], stream: TextIO) -> int:
    writer = csv.writer(stream, lineterminator="\n")
    cells = _row_cells(resource)
    count = 0
    for row in rows:
        writer.writerow(cells(row))
        count += 1
    return count


def _json_cell(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str) if value else ""


CELLS: dict[str, Callable[[Any], str]] = {
    "array": _json_cell,
    "object": _json_cell,
    "number": lambda value: number_text(Decimal(value)),
    "integer": str,
}


def _text_cell(value: Any) -> str:
    return neutralise(str(value))


def _row_cells(resource: Resource) -> Callable[[Row], list[str]]:
    """A row's cells written as the schema types them (a package of a large plan writes a million): each
    field's writer is looked up once per table, not once per cell."""
    fields = [(f.name, CELLS.get(f.type, _text_cell)) for f in resource.fields]

    def cells(row: Row) -> list[str]:
        return ["" if (value := row.get(name)) is None else write(value) for name, write in fields]

    return cells
