"""Reading a CSV data package back into a plan (the computed rates and grades are left aside).

A package written by hyoka holds the whole plan, so it can move a plan between
systems as well as the `hyoka/1` file can. Problems name the file, the line and the
column, and the plan is checked by the same `hyoka1.plan_from_dict` as a plan file.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from ...core.errors import InputError, ProblemCollector
from ...core.model import Baseline, Indicator, Node, NodeTexts, Plan, Project, Review, Series
from ...core.schema import LIST, names, plain_field
from ..cells import restore
from ..hyoka1 import FORMAT, fields_doc, parse_json, plan_from_dict
from ..origins import Origins
from . import schema
from .schema import Resource

Row = tuple[int, dict[str, Any]]


class _Package:
    """The tables of a package, each cell converted by its field type, with every problem collected."""

    def __init__(self, folder: Path, descriptor: dict[str, Any]) -> None:
        self.folder = folder
        self.problems = ProblemCollector()
        self.origins = Origins(folder.name)
        self.paths = {r.get("name"): r.get("path") for r in descriptor.get("resources", []) if isinstance(r, dict)}

    def add(self, place: str, message: str, message_en: str, text: str | None = None) -> None:
        self.problems.add(self.origins.at(place), message, message_en, text)

    def rows(self, resource: Resource) -> list[Row]:
        name = self.paths.get(resource.name)
        if not isinstance(name, str) or Path(name).is_absolute() or ".." in Path(name).parts:
            self.add("datapackage.json", f"リソース「{resource.name}」がありません", f"resource {resource.name!r} is missing")
            return []
        try:
            text = (self.folder / name).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as e:
            self.add(name, f"読めません（UTF-8 の CSV が必要です）: {e}", f"cannot read (UTF-8 CSV needed): {e}")
            return []
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, [])
        for column in header:
            if column not in resource.names:
                self.add(f"{name}:1", f"不明な列「{column}」", f"unknown column {column!r}", column)
        for column in resource.names:
            if column not in header:
                self.add(f"{name}:1", f"列「{column}」がありません", f"column {column!r} is missing", column)
        out = []
        for cells in reader:
            line = reader.line_num
            if len(cells) != len(header):
                self.add(f"{name}:{line}", f"列の数が見出しと違います（{len(cells)} / {len(header)}）", "wrong number of cells")
                continue
            row = {}
            for column, text in zip(header, cells, strict=True):
                if column in resource.names:
                    row[column] = self.cell(resource, column, text, f"{name}:{line}（{column}）")
            out.append((line, row | {"_place": f"{name}:{line}"}))
        return out

    def cell(self, resource: Resource, column: str, text: str, place: str) -> Any:
        kind = resource.field(column).type
        if kind == "string":
            return restore(text)
        if text == "":
            return [] if kind == "array" else None
        if kind == "integer":
            if not text.lstrip("-").isdigit():
                self.add(place, "整数が必要です", "an integer is required", text)
                return None
            return int(text)
        if kind in ("array", "object"):
            try:
                value = json.loads(text)
            except json.JSONDecodeError:
                value = None
            if not isinstance(value, list if kind == "array" else dict):
                self.add(
                    place, f"JSON の{'配列' if kind == 'array' else 'オブジェクト'}が必要です", f"a JSON {kind} is required", text[:60]
                )
                return None
            return value
        return text  # numbers are kept as written; the plan check reads them


def read_package(path: str | Path) -> Plan:
    """The plan of a package folder (or of its ``datapackage.json``)."""
    given = Path(path)
    folder = given if given.is_dir() else given.parent
    descriptor_path = folder / "datapackage.json"
    try:
        descriptor = parse_json(descriptor_path.read_bytes(), str(descriptor_path))
    except OSError as e:
        raise InputError.one(str(descriptor_path), f"ファイルを読めません: {e.strerror}", f"cannot read file: {e.strerror}") from None
    kept = descriptor.get(schema.PACKAGE_PROPERTY) if isinstance(descriptor, dict) else None
    if not isinstance(kept, dict) or kept.get("format") != FORMAT:
        raise InputError.one(str(descriptor_path), "hyoka のデータパッケージではありません", "not a hyoka data package")
    pkg = _Package(folder, descriptor)
    doc = _document(pkg, kept)
    problems = list(pkg.problems.problems)
    try:
        plan = plan_from_dict(doc)
    except InputError as e:
        problems += pkg.origins.relocate(e)
    if problems:
        raise InputError(problems)
    return plan


def _document(pkg: _Package, kept: dict[str, Any]) -> dict[str, Any]:
    plan_rows = pkg.rows(schema.PLAN)
    row = plan_rows[0][1] if plan_rows else {}
    pkg.origins.add("plan", row.get("_place", "plan.csv"))
    plan = (
        {
            "id": row.get("plan_id"),
            "name": row.get("plan_name"),
            "organization": {"name": row.get("organization_name"), "code": row.get("organization_code") or ""},
            "period": {"start": row.get("period_start"), "end": row.get("period_end")},
            "levels": row.get("levels") or [],
        }
        | fields_doc(row, Plan)
        | (kept.get("plan") or {})
    )
    doc: dict[str, Any] = {"format": FORMAT, "plan": plan, "rules": kept.get("rules")} | (kept.get("document") or {})
    pkg.origins.add("rules", "datapackage.json")
    doc["nodes"] = _nodes(pkg)
    doc["indicators"] = _indicators(pkg)
    return doc


def _nodes(pkg: _Package) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for _, row in pkg.rows(schema.NODES):
        path = f"nodes[{len(nodes)}]"
        pkg.origins.add(path, row["_place"])
        node = {k: row[k] for k in names(Node)}
        nodes.append({"id": row["node_id"], "parent": row["parent_id"] or None} | node | (row["extras"] or {}))
        index.setdefault(row["node_id"], len(nodes) - 1)

    def owner(row: dict[str, Any], key: str) -> tuple[dict[str, Any], str] | None:
        i = index.get(row["node_id"])
        if i is None:
            pkg.add(row["_place"], f"ノード「{row['node_id']}」が nodes.csv にありません", "unknown node", row["node_id"])
            return None
        pkg.origins.add(f"nodes[{i}].{key}", row["_place"])
        return nodes[i], f"nodes[{i}].{key}"

    for _, row in sorted(pkg.rows(schema.PROJECTS), key=lambda r: r[1]["position"] or 0):
        found = owner(row, "projects")
        if found:
            found[0].setdefault("projects", []).append({k: row[k] for k in names(Project)})
    for _, row in sorted(pkg.rows(schema.NODE_TEXTS), key=lambda r: r[1]["position"] or 0):
        found = owner(row, "texts")
        if found:
            texts = found[0].setdefault("texts", {}).setdefault(str(row["year"]), {})
            if plain_field(NodeTexts, row["section"]).kind == LIST:
                texts.setdefault(row["section"], []).append(row["text"])
            else:
                texts[row["section"]] = row["text"]
    for _, row in pkg.rows(schema.REVIEWS):
        found = owner(row, "reviews")
        if found:
            found[0].setdefault("reviews", {})[str(row["year"])] = {k: row[k] for k in names(Review)}
    return nodes


def _indicators(pkg: _Package) -> list[dict[str, Any]]:
    indicators: list[dict[str, Any]] = []
    series: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    for _, row in pkg.rows(schema.INDICATORS):
        path = f"indicators[{len(indicators)}]"
        pkg.origins.add(path, row["_place"])
        ind = {"id": row["indicator_id"], "node": row["node_id"]} | fields_doc(row, Indicator) | _baseline(row) | (row["extras"] or {})
        indicators.append(ind)
        series.setdefault((row["indicator_id"], ""), (ind, path))
    for _, row in pkg.rows(schema.PARTS):
        parent = series.get((row["indicator_id"], ""))
        if parent is None:
            pkg.add(row["_place"], f"指標「{row['indicator_id']}」が indicators.csv にありません", "unknown indicator", row["indicator_id"])
            continue
        parts = parent[0].setdefault("parts", [])
        path = f"{parent[1]}.parts[{len(parts)}]"
        pkg.origins.add(path, row["_place"])
        part = {"id": row["part_id"]} | fields_doc(row, Series) | _baseline(row)
        parts.append(part)
        series[(row["indicator_id"], row["part_id"])] = (part, path)
    for _, row in pkg.rows(schema.OBSERVATIONS):
        found = series.get((row["indicator_id"], row["part_id"]))
        if found is None:
            shown = f"{row['indicator_id']} {row['part_id']}".strip()
            pkg.add(row["_place"], f"指標「{shown}」がありません", "unknown indicator", shown)
            continue
        obj, path = found
        year, measure = str(row["year"]), row["measure"]
        if measure == "target":
            obj.setdefault("targets", {})[year] = row["value"]
            pkg.origins.add(f"{path}.targets.{year}", row["_place"], row["value"])
        elif measure in schema.VALUE_MEASURES:
            value = obj.setdefault("values", {}).setdefault(year, {"value": ""})
            value[schema.VALUE_MEASURES[measure]] = row["value"]
            pkg.origins.add(f"{path}.values.{year}", row["_place"], row["value"])
    return indicators


def _baseline(row: dict[str, Any]) -> dict[str, Any]:
    baseline = fields_doc(row, Baseline, schema.BASELINE_PREFIX) | ({"value": row["baseline_value"]} if row.get("baseline_value") else {})
    return {"baseline": baseline} if baseline else {}
