"""A department's workbook: its actuals and 一次評価 texts of one year, and nothing else.

Reading gives the rows the department filled (:class:`DepartmentUpdate`); applying
them to the plan changes only those values and texts, and refuses a row for an
indicator or a node of another department, so that a returned sheet can never
overwrite what belongs to someone else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...core.errors import InputError
from ...core.model import Plan, Series, Value
from ...core.schema import names
from ...core.units import check_entered_unit
from ...core.values import Kind, parse_value
from ..hyoka1 import plan_to_dict
from ..origins import Origins
from .fields import Fields
from .layout import DEPARTMENT_INPUT, STAMPS, VALUES
from .read import Cell, RawWorkbook, Table


@dataclass
class RowUpdate:
    """One filled row: what it is about, the fields of its input columns, and its cells."""

    ids: tuple[str, str]  # (indicator, part) or (node, "")
    year: int
    fields: dict[str, Any]
    place: str
    cells: dict[str, Cell]


@dataclass
class DepartmentUpdate:
    plan_id: str
    department: str
    year: int
    id_place: str
    values: list[RowUpdate] = field(default_factory=list)
    texts: list[RowUpdate] = field(default_factory=list)


def department_update(raw: RawWorkbook) -> DepartmentUpdate | None:
    """The rows of a department's workbook; None when the 計画 sheet does not say whose it is."""
    f = Fields(raw)
    items = raw.plan
    department = items["department"].text if "department" in items else None
    year = f.year(items.get("year"))
    plan_id = items["id"].text if "id" in items else None
    for key, label in (("id", "計画ID"), ("department", "担当部局"), ("year", "年度")):
        if key not in items or items[key].text is None:
            raw.add("計画", f"計画シートに「{label}」がありません", f"the 計画 sheet has no {key}")
    if department is None or year is None or plan_id is None:
        return None
    update = DepartmentUpdate(plan_id, department, year, items["id"].place)
    for name, table in raw.tables.items():
        if name == STAMPS.name:  # read by stamps.reconcile
            continue
        if name not in DEPARTMENT_INPUT:
            raw.add(
                name,
                f"担当部局用のブックに「{name}」シートは入れられません",
                f"sheet {name!r} is not part of a department's workbook",
                name,
            )
            continue
        for column in table.columns:
            if not (column.key_column or column.reference or column.key in DEPARTMENT_INPUT[name]):
                raw.add(
                    name,
                    f"担当部局用のブックでは列「{column.header}」は変更できません",
                    f"column {column.header!r} cannot be changed here",
                    column.header,
                )
        rows = _rows(f, table, "id" if table.sheet is VALUES else "node")
        (update.values if table.sheet is VALUES else update.texts).extend(rows)
    return update


def _rows(f: Fields, table: Table, id_key: str) -> list[RowUpdate]:
    inputs = DEPARTMENT_INPUT[table.sheet.name]
    out = []
    for number, cells in table.rows:
        place = table.row_place(number)
        ident = cells[id_key].text if id_key in cells else None
        year = f.year(cells.get("year"))
        if ident is None or "year" not in cells:
            f.problem(place, "ID と年度が必要です", "the row needs an id and a year")
            continue
        if year is None:
            continue
        present = [c for c in table.columns if c.key in inputs]
        fields = {c.key: f.value(c, cells.get(c.key)) for c in present}
        part = cells["part"].text if "part" in cells else ""
        out.append(RowUpdate((ident, part or ""), year, fields, place, cells))
    return out


def apply_department(plan: Plan, update: DepartmentUpdate, origins: Origins, f: Fields) -> dict[str, Any]:
    """The `hyoka/1` document of *plan* with the department's rows applied; refusals go to *f*."""
    if update.plan_id != plan.id:
        f.problem(
            update.id_place,
            f"このブックは計画「{update.plan_id}」のものです（取り込み先: {plan.id}）",
            "the workbook is for another plan",
            update.plan_id,
        )
    doc = plan_to_dict(plan)
    positions = {ind.id: i for i, ind in enumerate(plan.indicators)}
    seen: set[tuple[str, str, int]] = set()
    for row in update.values:
        ind_id, part_id = row.ids
        ind = plan.indicator_by_id.get(ind_id)
        if ind is None:
            f.problem(row.place, f"指標「{ind_id}」は計画にありません", f"indicator {ind_id!r} is not in the plan", ind_id)
            continue
        if not _mine(f, row, update, plan.departments_of(ind), f"指標「{ind_id}」"):
            continue
        path = f"indicators[{positions[ind_id]}]"
        obj = doc["indicators"][positions[ind_id]]
        series: Series = ind
        if part_id or ind.parts:
            j = next((j for j, p in enumerate(ind.parts) if p.id == part_id), None)
            if j is None:
                shown = "、".join(p.id for p in ind.parts) or "なし"
                f.problem(row.place, f"指標「{ind_id}」の部分ID「{part_id}」がありません（部分: {shown}）", "unknown part id", part_id)
                continue
            path, obj, series = f"{path}.parts[{j}]", obj["parts"][j], ind.parts[j]
        if _duplicate(f, row, seen, (ind_id, part_id, row.year)):
            continue
        values = obj.setdefault("values", {})
        old = values.get(str(row.year))
        merged = _merge_value(old, row.fields)
        _check_unit(f, row, series, old, merged)
        _place(origins, f"{path}.values.{row.year}", row)
        if merged is None:
            values.pop(str(row.year), None)
        else:
            values[str(row.year)] = merged
    node_positions = {n.id: i for i, n in enumerate(plan.nodes)}
    for row in update.texts:
        node_id = row.ids[0]
        if node_id not in plan.node_by_id:
            f.problem(row.place, f"ノード「{node_id}」は計画にありません", f"node {node_id!r} is not in the plan", node_id)
            continue
        if not _mine(f, row, update, plan.node_departments(node_id), f"ノード「{node_id}」") or _duplicate(
            f, row, seen, (node_id, "", row.year)
        ):
            continue
        obj = doc["nodes"][node_positions[node_id]]
        texts = obj.setdefault("texts", {})
        merged_texts = {k: v for k, v in (texts.get(str(row.year), {}) | row.fields).items() if v not in (None, "", [])}
        _place(origins, f"nodes[{node_positions[node_id]}].texts.{row.year}", row)
        if merged_texts:
            texts[str(row.year)] = merged_texts
        else:
            texts.pop(str(row.year), None)
    return doc


def _check_unit(f: Fields, row: RowUpdate, series: Series, old: dict[str, Any] | None, new: dict[str, Any] | None) -> None:
    """A figure the department typed must be in its indicator's unit (``core.units``); a figure it left as exported may keep a slip."""
    text = (new or {}).get("value", "")
    if not text or text == (old or {}).get("value"):
        return
    try:
        parsed = parse_value(text, qualitative=series.qualitative)
    except InputError:
        return  # the plan check names what cannot be read
    try:
        check_entered_unit(series.unit, parsed, "")
    except InputError as e:
        cell = row.cells.get("value")
        for p in e.problems:
            f.problem(cell.place if cell else row.place, p.message, p.message_en, text)


def _mine(f: Fields, row: RowUpdate, update: DepartmentUpdate, departments: list[str], what: str) -> bool:
    if update.department not in departments:
        f.problem(
            row.place,
            f"{what}は「{update.department}」の担当ではありません（担当: {'、'.join(departments) or 'なし'}）",
            f"{what} belongs to another department",
            row.ids[0],
        )
        return False
    if row.year != update.year:
        cell = row.cells["year"]
        f.problem(cell.place, f"このブックは{update.year}年度の分です", f"this workbook is for {update.year}", cell.text)
        return False
    return True


def _duplicate(f: Fields, row: RowUpdate, seen: set[tuple[str, str, int]], key: tuple[str, str, int]) -> bool:
    if key in seen:
        f.problem(row.place, "同じ指標（ノード）と年度の行が重複しています", "duplicate row", " ".join(str(k) for k in key if k))
        return True
    seen.add(key)
    return False


def _merge_value(old: dict[str, Any] | None, fields: dict[str, Any]) -> dict[str, Any] | None:
    """The value after the row: its columns replace the old fields, blanks clear them.

    The 状態 and 把握予定時期 cells still show what the export wrote; when the typed value
    says otherwise (a figure over a 把握予定, 「2026年９月頃把握予定」 over a figure, a
    （見込値） mark), the value decides, so that importing the same sheet again gives the same.
    """
    value = dict(old or {})
    for key, new in fields.items():
        if new in (None, ""):
            value.pop(key, None)
        else:
            value[key] = new
    if _contradicts(value):
        value.pop("status", None)
        value.pop("expected", None)
    if not any(value.get(k) for k in ("value", *names(Value))):
        return None
    return {"value": value.pop("value", "")} | value


def _contradicts(value: dict[str, Any]) -> bool:
    """Whether the text of *value* says another status or date than its fields (見込値, 把握予定 dates, ―※)."""
    try:
        parsed = parse_value(value.get("value", ""))
    except InputError:
        return False  # the plan check reports the text itself
    status = value.get("status")
    implied = {Kind.PENDING: "pending", Kind.UNMEASURABLE: "unmeasurable"}.get(parsed.kind)
    if implied is None and (parsed.estimate or parsed.provisional):
        implied = "estimate"
    if implied is None:
        return parsed.kind is not Kind.EMPTY and status in ("pending", "unmeasurable")
    if implied == "estimate" and status == "estimate":
        return False
    return implied != status or (parsed.expected is not None and parsed.expected != value.get("expected"))


def _place(origins: Origins, path: str, row: RowUpdate) -> None:
    origins.add(path, row.place)
    for key, cell in row.cells.items():
        origins.add(f"{path}.{key}", cell.place, cell.text)
