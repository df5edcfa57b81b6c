"""A whole plan read from a workbook, as a `hyoka/1` document with the cell of each part.

The document is then checked by `hyoka1.plan_from_dict`, the same check as for a
plan file, so a workbook can hold exactly what a plan file can, no more and no less.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...core.errors import InputError
from ...core.model import Baseline, Indicator, NodeTexts, Plan, Project, Review, Series, Value
from ...core.schema import names
from ..hyoka1 import FORMAT, parse_json
from ..origins import Origins
from .fields import Fields
from .layout import BASELINE_PREFIX, EXTRA_TARGETS, INDICATORS, NODES, PLAN, PROJECTS, REVIEWS, TARGETS, TEXTS, VALUES
from .read import Cell, RawWorkbook, Table

VALUE_FIELDS = ("value", *names(Value))
PART_FIELDS = names(Series)
INDICATOR_FIELDS = ("node", *names(Indicator))
BASELINE_FIELDS = (("baseline", "value"), *((BASELINE_PREFIX + name, name) for name in names(Baseline)))


@dataclass
class FullUpdate:
    """A whole plan: what replaces the plan on import."""

    doc: dict[str, Any]
    origins: Origins
    id_place: str


def plan_object(f: Fields, items: dict[str, Cell], origins: Origins) -> dict[str, Any]:
    """The ``plan`` object of the document from the 計画 sheet."""
    values = {key: f.value(PLAN.column(key), cell) for key, cell in items.items()}
    for key, path in (
        ("id", "plan.id"),
        ("name", "plan.name"),
        ("organization", "plan.organization.name"),
        ("code", "plan.organization.code"),
        ("start", "plan.period"),
        ("end", "plan.period.end"),
        ("levels", "plan.levels"),
        *((name, f"plan.{name}") for name in names(Plan)),
    ):
        if key in items:
            origins.add(path, items[key].place, items[key].text)
    code = values.get("code") or ""
    if len(code) == 5 and code.isdigit():
        code = "0" + code  # Excel drops the leading zero of 011002 typed as a number
    period = {k: values[v] for k, v in (("start", "start"), ("end", "end")) if values.get(v) is not None}
    return {
        "id": values.get("id"),
        "name": values.get("name"),
        "organization": {"name": values.get("organization"), "code": code},
        "period": period,
        "levels": values.get("levels") or [],
    } | {name: values[name] for name in names(Plan) if values.get(name) not in (None, "", [])}


def full_update(raw: RawWorkbook) -> FullUpdate:
    """Every sheet of a complete workbook turned into one `hyoka/1` document."""
    f = Fields(raw)
    origins = Origins(raw.where)
    origins.add("plan", "計画")
    doc: dict[str, Any] = {"format": FORMAT, "plan": plan_object(f, raw.plan, origins)}
    doc["rules"] = _rules(raw, origins)
    nodes = _nodes(f, raw.tables.get(NODES.name), origins)
    doc["nodes"] = nodes
    _projects(f, raw.tables.get(PROJECTS.name), nodes, origins)
    _yearly(f, raw.tables.get(TEXTS.name), nodes, origins, "texts", names(NodeTexts))
    _yearly(f, raw.tables.get(REVIEWS.name), nodes, origins, "reviews", names(Review))
    indicators, series = _indicators(f, raw.tables.get(INDICATORS.name), origins)
    doc["indicators"] = indicators
    _targets(f, raw.tables.get(TARGETS.name), series, origins)
    _values(f, raw.tables.get(VALUES.name), series, origins)
    _extras(f, raw, doc, origins)
    id_place = raw.plan["id"].place if "id" in raw.plan else "計画"
    return FullUpdate(doc, origins, id_place)


def _rules(raw: RawWorkbook, origins: Origins) -> Any:
    table = raw.tables.get("評価ルール")
    if table is None or not table.rows:
        origins.add("rules", "評価ルール")
        return None
    first = table.rows[0][1]["json"].place
    origins.add("rules", first)
    text = "\n".join(cells["json"].text or "" for _, cells in table.rows if "json" in cells)
    try:
        return parse_json(text)
    except InputError as e:
        for p in e.problems:
            raw.add(first, p.message, p.message_en, p.text)
        return None


def _fields(f: Fields, table: Table, cells: dict[str, Cell], keys: tuple[str, ...], path: str, origins: Origins) -> dict[str, Any]:
    """The fields *keys* of a row that has a cell, each with its origin."""
    out: dict[str, Any] = {}
    for key in keys:
        cell = cells.get(key)
        if cell is None:
            continue
        value = f.value(table.sheet.column(key), cell)
        origins.add(f"{path}.{key}", cell.place, cell.text)
        if value is not None:
            out[key] = value
    return out


def _nodes(f: Fields, table: Table | None, origins: Origins) -> list[dict[str, Any]]:
    """Nodes in row order; a duplicate id stays, so that the plan check names both rows."""
    nodes: list[dict[str, Any]] = []
    if table is None:
        return nodes
    keys = tuple(c.key for c in NODES.columns)
    for i, (number, cells) in enumerate(table.rows):
        path = f"nodes[{i}]"
        origins.add(path, table.row_place(number))
        nodes.append({"parent": None} | _fields(f, table, cells, keys, path, origins))
    return nodes


def index_of(items: list[dict[str, Any]]) -> dict[str, int]:
    """Position of each id (its first row)."""
    out: dict[str, int] = {}
    for i, item in enumerate(items):
        out.setdefault(item.get("id") or "", i)
    return out


def _node_of(f: Fields, index: dict[str, int], cells: dict[str, Cell], table: Table, number: int) -> int | None:
    cell = cells.get("node")
    if cell is None or cell.text is None:
        f.problem(table.row_place(number), "ノードIDがありません", "no node id")
        return None
    if cell.text not in index:
        f.problem(cell.place, f"ノード「{cell.text}」が体系シートにありません", f"node {cell.text!r} is not in the 体系 sheet", cell.text)
        return None
    return index[cell.text]


def _row_year(f: Fields, table: Table, number: int, cells: dict[str, Cell]) -> int | None:
    if "year" not in cells:
        f.problem(table.row_place(number), "年度がありません", "no year")
    return f.year(cells.get("year"))


def _projects(f: Fields, table: Table | None, nodes: list[dict[str, Any]], origins: Origins) -> None:
    if table is None:
        return
    index = index_of(nodes)
    for number, cells in table.rows:
        i = _node_of(f, index, cells, table, number)
        if i is None:
            continue
        projects = nodes[i].setdefault("projects", [])
        path = f"nodes[{i}].projects[{len(projects)}]"
        origins.add(path, table.row_place(number))
        projects.append(_fields(f, table, cells, names(Project), path, origins))


def _yearly(
    f: Fields,
    table: Table | None,
    nodes: list[dict[str, Any]],
    origins: Origins,
    name: str,
    keys: tuple[str, ...],
) -> None:
    """評価コメント and 二次評価: one row per node and year."""
    if table is None:
        return
    index = index_of(nodes)
    for number, cells in table.rows:
        i = _node_of(f, index, cells, table, number)
        year = _row_year(f, table, number, cells)
        if i is None or year is None:
            continue
        by_year = nodes[i].setdefault(name, {})
        if str(year) in by_year:
            f.problem(
                table.row_place(number),
                f"ノード「{nodes[i]['id']}」の{year}年度の行が重複しています",
                "duplicate row for this node and year",
            )
            continue
        path = f"nodes[{i}].{name}.{year}"
        origins.add(path, table.row_place(number))
        by_year[str(year)] = _fields(f, table, cells, keys, path, origins)


def _indicators(
    f: Fields, table: Table | None, origins: Origins
) -> tuple[list[dict[str, Any]], dict[tuple[str, str], tuple[dict[str, Any], str]]]:
    """Indicators in row order, and each series (indicator or part) by (indicator id, part id)."""
    indicators: list[dict[str, Any]] = []
    series: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    if table is None:
        return indicators, series
    parts: list[tuple[int, dict[str, Cell]]] = []
    for number, cells in table.rows:
        if cells.get("part") is not None:
            parts.append((number, cells))
            continue
        path = f"indicators[{len(indicators)}]"
        origins.add(path, table.row_place(number))
        ind = _fields(f, table, cells, ("id", *INDICATOR_FIELDS), path, origins)
        ind.setdefault("unit", "")
        indicators.append(ind)
        series.setdefault((ind.get("id", ""), ""), (ind, path))
    for number, cells in parts:
        ind_id = (cells.get("id") or Cell(None, "")).text or ""
        parent = series.get((ind_id, ""))
        if parent is None:
            f.problem(
                table.row_place(number), f"部分の行の指標「{ind_id}」がありません", f"the part's indicator {ind_id!r} has no row", ind_id
            )
            continue
        ind, ind_path = parent
        plist = ind.setdefault("parts", [])
        path = f"{ind_path}.parts[{len(plist)}]"
        origins.add(path, table.row_place(number))
        part = {"id": cells["part"].text} | _fields(f, table, cells, PART_FIELDS, path, origins)
        part.setdefault("unit", "")  # a blank unit is no unit, not the indicator's
        plist.append(part)
        series.setdefault((ind_id, part["id"]), (part, path))
    return indicators, series


def _series_of(f: Fields, table: Table, cells: dict[str, Cell], number: int, series: dict[tuple[str, str], Any]) -> tuple[Any, str] | None:
    ind_id = cells["id"].text if "id" in cells else None
    part_id = cells["part"].text if "part" in cells else ""
    if ind_id is None:
        f.problem(table.row_place(number), "指標IDがありません", "no indicator id")
        return None
    found = series.get((ind_id, part_id or ""))
    if found is None:
        shown = f"{ind_id} {part_id}".strip()
        f.problem(
            table.row_place(number), f"指標「{shown}」が指標シートにありません", f"indicator {shown!r} is not in the 指標 sheet", shown
        )
    return found


def _targets(f: Fields, table: Table | None, series: dict[tuple[str, str], Any], origins: Origins) -> None:
    if table is None:
        return
    seen: set[int] = set()
    for number, cells in table.rows:
        found = _series_of(f, table, cells, number, series)
        if found is None:
            continue
        obj, path = found
        if id(obj) in seen:
            f.problem(table.row_place(number), "同じ指標の行が重複しています", "duplicate row for this indicator")
            continue
        seen.add(id(obj))
        baseline = {}
        for key, name in BASELINE_FIELDS:
            cell = cells.get(key)
            if cell is not None:
                origins.add(f"{path}.baseline.{name}", cell.place, cell.text)
                value = f.value(TARGETS.column(key), cell)
                if value is not None:
                    baseline[name] = value
        if baseline:
            origins.add(f"{path}.baseline", table.row_place(number))
            obj["baseline"] = baseline
        targets = {}
        for key, year in table.years.items():
            cell = cells.get(key)
            if cell is not None:
                origins.add(f"{path}.targets.{year}", cell.place, cell.text)
                targets[str(year)] = cell.text
        obj["targets"] = targets


def _values(f: Fields, table: Table | None, series: dict[tuple[str, str], Any], origins: Origins) -> None:
    if table is None:
        return
    for number, cells in table.rows:
        found = _series_of(f, table, cells, number, series)
        year = _row_year(f, table, number, cells)
        if found is None or year is None:
            continue
        obj, path = found
        values = obj.setdefault("values", {})
        if str(year) in values:
            f.problem(table.row_place(number), f"{year}年度の行が重複しています", "duplicate row for this indicator and year")
            continue
        vpath = f"{path}.values.{year}"
        origins.add(vpath, table.row_place(number))
        value = _fields(f, table, cells, VALUE_FIELDS, vpath, origins)
        if value:
            values[str(year)] = {"value": ""} | value


def _extras(f: Fields, raw: RawWorkbook, doc: dict[str, Any], origins: Origins) -> None:
    """その他: JSON for what the tables cannot hold; a long value continues on the next rows."""
    table = raw.tables.get("その他")
    if table is None:
        return
    merged: list[tuple[int, tuple[str, str, str], str]] = []
    for number, cells in table.rows:
        target, ident, name = ((cells[k].text or "") if k in cells else "" for k in ("target", "id", "field"))
        text = cells["json"].text or "" if "json" in cells else ""
        if merged and merged[-1][1] == (target, ident, name):
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + text)
        else:
            merged.append((number, (target, ident, name), text))
    codes = {label: code for code, label in EXTRA_TARGETS.items()} | {code: code for code in EXTRA_TARGETS}
    indexes = {"node": ("nodes", index_of(doc["nodes"])), "indicator": ("indicators", index_of(doc["indicators"]))}
    for number, (target, ident, name), text in merged:
        place = table.row_place(number)
        kind = codes.get(target, "")
        owner: dict[str, Any] | None = {"document": doc, "plan": doc["plan"]}.get(kind)
        path = {"document": name, "plan": f"plan.{name}"}.get(kind, "")
        if kind in indexes:
            key, index = indexes[kind]
            owner = doc[key][index[ident]] if ident in index else None
            path = f"{key}[{index.get(ident)}].{name}"
        if owner is None or not name or (kind == "document" and not name.startswith("x-")):
            f.problem(
                place,
                f"対象「{target}」「{ident}」の項目「{name}」は使えません",
                "unknown target or field",
                f"{target} {ident} {name}".strip(),
            )
            continue
        try:
            owner[name] = parse_json(text)
        except InputError as e:
            for p in e.problems:
                f.problem(place, p.message, p.message_en, text[:60])
            continue
        origins.add(path, place)
