"""Writing a plan into the hyoka workbook: the whole plan, one department's year, or an empty template.

Everything of the `hyoka/1` file goes into a sheet, so that reading the workbook back
gives the same plan: the table sheets hold what people edit, 評価ルール holds the
rule set as JSON and その他 holds whatever a table cannot hold without loss.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ...core.display import entry_text
from ...core.errors import InputError, Problem
from ...core.model import Indicator, Node, NodeTexts, Plan, Series
from ...core.notation import value_text
from ...core.rules import Display
from ...core.schema import CHOICE, LIST, plain_fields, record, to_plain
from ...core.wareki import short_wareki
from ..cells import ESCAPE, FORMULA_STARTS, number_text
from ..evaluation import width
from ..files import write_atomic
from ..hyoka1 import plan_to_dict
from .layout import (
    BASELINE_PREFIX,
    DEPARTMENT_INPUT,
    EXTRA_TARGETS,
    EXTRAS,
    FULL_SHEETS,
    GUIDE,
    INDICATORS,
    KIND_DEPARTMENT,
    KIND_FULL,
    NODES,
    PLAN,
    PROJECTS,
    REVIEWS,
    RULES,
    STAMPS,
    TARGETS,
    TEXTS,
    VALUES,
    WORKBOOK_FORMAT,
    YEAR,
    Column,
    Sheet,
    department_columns,
)
from .stamps import texts_row_stamp, value_row_stamp

MAX_WIDTH = 60
EXCEL_CELL_LIMIT = 32_767  # the characters an Excel cell holds
JSON_CHUNK = 30000  # a long JSON value is split over rows to fit the cells
# A new plan's levels are not known yet, so the template's rules only say how rates are
# rounded; the planner adds grades for the levels of the plan (docs/rules.md).
TEMPLATE_RULES = {"rate": {"rounding": "truncate", "decimals": 1, "cap": None}, "grades": []}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REFERENCE_FILL = PatternFill("solid", fgColor="F2F2F2")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
UNLOCKED = Protection(locked=False)
# Columns of figures: a plain number there is written as a number, so that Excel can compute with it.
FIGURE_COLUMNS = ("value", "baseline")
_PLAIN_FIGURE = re.compile(r"^-?\d{1,15}(?:\.\d{1,15})?$")

Row = dict[str, Any]


@dataclass
class Table:
    """The rows of one sheet, with the columns they use and the drop-down lists of this plan."""

    sheet: Sheet
    columns: Sequence[Column]
    rows: list[Row] = field(default_factory=list)
    choices: dict[str, Sequence[str]] = field(default_factory=dict)


def year_header(year: int) -> str:
    return f"{short_wareki(year)}({year})"


def year_column(year: int) -> Column:
    return Column(f"y{year}", year_header(year), f"{year}年度の目標値。", width=12)


def list_cell(items: Sequence[str]) -> str | None:
    """Items one per line, or None when a line break could not tell them apart again."""
    if any(not item or "\n" in item or "\r" in item for item in items):
        return None
    return "\n".join(items)


class _Extras:
    """Fields that go to the その他 sheet as JSON, in the order they are met."""

    def __init__(self) -> None:
        self.rows: list[Row] = []

    def add(self, target: str, ident: str, key: str, value: Any) -> None:
        text = json.dumps(value, ensure_ascii=False, default=str)
        for start in range(0, max(len(text), 1), JSON_CHUNK):
            self.rows.append({"target": EXTRA_TARGETS[target], "id": ident, "field": key, "json": text[start : start + JSON_CHUNK]})


def cells(
    obj: Any, extras: _Extras | None = None, target: str = "", ident: str = "", *, skip: tuple[str, ...] = (), prefix: str = ""
) -> Row:
    """The plain fields of *obj* (core.schema) as cells: a code shown as its label, a list one item per line.

    A list that one line per item would not give back goes to その他 as JSON (given *extras*),
    else its cell is None and the caller decides.
    """
    row: Row = {}
    for f in plain_fields(type(obj)):
        if f.name in skip:
            continue
        value = to_plain(getattr(obj, f.name))
        if f.kind == LIST:
            cell = list_cell(value)
            if cell is None and extras is not None:
                extras.add(target, ident, f.name, value)
                cell = ""
        elif f.kind == CHOICE and f.about.choices and value is not None:
            cell = f.about.choices[value]
        else:
            cell = "" if value is None else value
        row[prefix + f.name] = cell
    return row


def plan_workbook(plan: Plan, revision: str | None = None) -> Workbook:
    """The whole plan, for the planning division: reading it back gives the same plan."""
    extras = _Extras()
    doc = plan_to_dict(plan)
    for key, value in doc.items():
        if key.startswith("x-"):
            extras.add("document", "", key, value)
    for key, value in doc["plan"].items():
        if key in ("cycles", "report") or key.startswith("x-"):
            extras.add("plan", "", key, value)
    nodes = [_node_row(n, extras) for n in plan.nodes]
    indicator_rows: list[Row] = []
    for ind in plan.indicators:
        indicator_rows += _indicator_rows(ind, extras)
    years = sorted({*plan.years, *(y for i in plan.indicators for s in i.series() for y in s.targets)})
    tables = [
        Table(PLAN, PLAN.columns, _plan_rows(plan, KIND_FULL, revision)),
        Table(NODES, NODES.columns, nodes, {"level": plan.levels}),
        Table(PROJECTS, PROJECTS.columns, [r for n in plan.nodes for r in _project_rows(n, extras)]),
        Table(INDICATORS, INDICATORS.columns, indicator_rows),
        Table(TARGETS, [*TARGETS.columns, *map(year_column, years)], [_target_row(i, s) for i in plan.indicators for s in _series(i)]),
        Table(VALUES, VALUES.columns, _value_rows(plan, None), {"judgement": _judgement_symbols(plan)}),
        Table(TEXTS, TEXTS.columns, [r for n in plan.nodes for r in _text_rows(n, None, extras)]),
        Table(REVIEWS, REVIEWS.columns, [r for n in plan.nodes for r in _review_rows(n, extras)]),
        Table(RULES, RULES.columns, _rules_rows(plan.rules_spec)),
        Table(EXTRAS, EXTRAS.columns, extras.rows),
    ]
    return _workbook(_stamped(tables), department=False)


def department_workbook(plan: Plan, department: str, year: int, revision: str | None = None) -> Workbook:
    """One department's indicators and nodes for one year: only the inputs can be changed.

    *revision* is the stored plan's (the web's): the 計画 sheet records it for the person reading.
    """
    indicators = [i for i in plan.indicators if department in plan.departments_of(i)]
    nodes = text_nodes(plan, department)
    if not indicators and not nodes:
        known = sorted({d for n in plan.nodes for d in n.departments} | {d for i in plan.indicators for d in i.departments})
        raise InputError.one(
            "--department",
            f"担当部局「{department}」の指標もノードもありません（{'、'.join(known)}）",
            f"department {department!r} has no indicators or nodes",
            department,
        )
    rows = [*_plan_rows(plan, KIND_DEPARTMENT, revision), {"key": "担当部局", "value": department}, {"key": "年度", "value": year}]
    tables = [
        Table(PLAN, PLAN.columns, rows),
        Table(VALUES, department_columns(VALUES), _value_rows(plan, year, indicators)),
        Table(TEXTS, department_columns(TEXTS), [r for n in nodes for r in _text_rows(n, year, None)]),
    ]
    return _workbook(_stamped(tables), department=True)


def text_nodes(plan: Plan, department: str) -> list[Node]:
    """The department's nodes that take 一次評価 texts: at the levels that have texts, else all."""
    levels = {n.level for n in plan.nodes if n.texts}
    return [n for n in plan.nodes if department in plan.node_departments(n.id) and (not levels or n.level in levels)]


def template_workbook(start: int, end: int) -> Workbook:
    """An empty workbook for a new plan, with a column for each year of the period."""
    filled = {"形式": WORKBOOK_FORMAT, "種類": KIND_FULL, "計画開始年度": start, "計画終了年度": end}
    rows = [{"key": c.header, "value": filled.get(c.header, "")} for c in PLAN.columns if c.key not in ("department", "year")]
    years = [year_column(y) for y in range(start, end + 1)]
    tables = [Table(PLAN, PLAN.columns, rows)]
    for sheet in FULL_SHEETS[1:]:
        columns = [*sheet.columns, *years] if sheet.year_columns else sheet.columns
        tables.append(Table(sheet, columns, _rules_rows(TEMPLATE_RULES) if sheet is RULES else []))
    return _workbook(tables, department=False)


def save_workbook(workbook: Workbook, path: str | Path) -> None:
    """Write atomically: a reader never sees half a workbook."""
    write_atomic(path, workbook.save)


# --- rows -------------------------------------------------------------------------------------


def _plan_rows(plan: Plan, kind: str, revision: str | None = None) -> list[Row]:
    values = {
        "形式": WORKBOOK_FORMAT,
        "種類": kind,
        "計画ID": plan.id,
        "計画名": plan.name,
        "団体名": plan.organization.name,
        "団体コード": plan.organization.code,
        "計画開始年度": plan.period_start,
        "計画終了年度": plan.period_end,
        "階層": "\n".join(plan.levels),
        "計画の説明": plan.description,
    }
    if revision is not None:
        values[PLAN.column("revision").header] = revision
    return [{"key": k, "value": v} for k, v in values.items()]


def _node_row(n: Node, extras: _Extras) -> Row:
    for key, value in n.extras.items():
        extras.add("node", n.id, key, value)
    return {"id": n.id, "parent": n.parent or ""} | cells(n, extras, "node", n.id)


def _project_rows(n: Node, extras: _Extras) -> list[Row]:
    rows = [{"node": n.id} | cells(p) for p in n.projects]
    if any(cell is None for r in rows for cell in r.values()):
        extras.add("node", n.id, "projects", [record(p) for p in n.projects])
        return []
    return rows


def _text_rows(n: Node, year: int | None, extras: _Extras | None) -> list[Row]:
    """一次評価 rows of a node: every year it has, or one row for *year* (filled or empty)."""
    texts = n.texts if year is None else {year: n.texts.get(year) or NodeTexts()}
    return [row | {"base": texts_row_stamp(texts[row["year"]])} for row in _yearly_rows(n, "texts", texts, extras)]


def _yearly_rows(n: Node, key: str, by_year: dict[int, Any], extras: _Extras | None) -> list[Row]:
    """Rows of a node's texts or reviews, one per year; all of them to その他 if a list cell would lose something."""
    rows = [{"node": n.id, "name": n.name, "year": y} | cells(t) for y, t in sorted(by_year.items())]
    if extras is not None and any(cell is None for r in rows for cell in r.values()):
        extras.add("node", n.id, key, {str(y): record(t) for y, t in sorted(by_year.items())})
        return []
    return [{k: "" if v is None else v for k, v in r.items()} for r in rows]


def _review_rows(n: Node, extras: _Extras) -> list[Row]:
    return _yearly_rows(n, "reviews", n.reviews, extras)


def _series(ind: Indicator) -> list[tuple[str, Series]]:
    """The indicator's rows: the indicator itself and each part ("" for the indicator)."""
    return [("", ind), *((p.id, p) for p in ind.parts)]


def _indicator_rows(ind: Indicator, extras: _Extras) -> list[Row]:
    for key, value in ind.extras.items():
        extras.add("indicator", ind.id, key, value)
    rows = [{"id": ind.id, "part": "", "node": ind.node} | cells(ind, extras, "indicator", ind.id)]
    return rows + [{"id": ind.id, "part": p.id} | cells(p) for p in ind.parts]


def _target_row(ind: Indicator, entry: tuple[str, Series]) -> Row:
    part, s = entry
    row: Row = {"id": ind.id, "part": part, "name": s.name, "unit": s.unit}
    if s.baseline is not None:
        row |= {"baseline": s.baseline.entry.text} | cells(s.baseline, prefix=BASELINE_PREFIX)
    return row | {f"y{y}": e.text for y, e in s.targets.items()}


def _value_rows(plan: Plan, year: int | None, indicators: Iterable[Indicator] | None = None) -> list[Row]:
    """Rows of actuals: every value of the plan, or one row per series for *year*."""
    rows = []
    for ind in indicators if indicators is not None else plan.indicators:
        for part, s in _series(ind):
            years = sorted(s.values) if year is None else [year]
            if part == "" and ind.parts:  # the indicator itself only holds a recorded judgement
                years = [y for y in years if y in s.values]
            for y in years:
                rows.append(_value_row(ind, part, s, y, plan.rules.display))
    return rows


def _value_row(ind: Indicator, part: str, s: Series, year: int, style: Display) -> Row:
    """A 実績値 row: what is typed as it was typed, the target and last year's figure for reference in the plan's style."""
    target = s.targets.get(year)
    previous = s.values.get(year - 1)
    row: Row = {
        "id": ind.id,
        "part": part,
        "name": s.name,
        "unit": s.unit,
        "year": year,
        "target": entry_text(target.parsed, s.unit, style) if target else "",
        "previous": value_text(previous, s.unit, style) if previous else "",
    }
    v = s.values.get(year)
    row["base"] = value_row_stamp(v)
    if v is not None:
        row |= {"value": v.entry.text} | cells(v)
    return row


def _judgement_symbols(plan: Plan) -> list[str]:
    rule = plan.rules.judgement
    return [] if rule is None else [*(b.symbol for b in rule.bands), rule.pending.symbol]


def _rules_rows(spec: Any) -> list[Row]:
    return [{"json": line} for line in json.dumps(spec, ensure_ascii=False, indent=1, default=str).split("\n")]


# --- sheets -----------------------------------------------------------------------------------


def _stamped(tables: list[Table]) -> list[Table]:
    """*tables* and the hidden 出力時の記録: each 実績値 and 評価コメント row's stamp at export (``stamps``)."""
    record = [
        [t.sheet.name, row.get("id") or row.get("node"), row.get("part", ""), row["year"], row["base"]]
        for t in tables
        if t.sheet in (VALUES, TEXTS)
        for row in t.rows
        if row["base"]
    ]
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))  # a few long cells: quick to read back
    return [*tables, Table(STAMPS, STAMPS.columns, [{"json": text[i : i + JSON_CHUNK]} for i in range(0, len(text), JSON_CHUNK)])]


def _workbook(tables: list[Table], *, department: bool) -> Workbook:
    _check_lengths(tables)
    wb = Workbook()
    guide = wb.active
    assert guide is not None
    guide.title = GUIDE.name
    _write_guide(guide, tables, department)
    for table in tables:
        ws = wb.create_sheet(table.sheet.name)
        if table.sheet is PLAN:
            _write_plan(ws, table, department)
        else:
            _write_table(ws, table, department)
        if table.sheet is STAMPS:
            ws.sheet_state = "hidden"
            _protect(ws)
    return wb


def _check_lengths(tables: list[Table]) -> None:
    """Refuse, naming each, the texts an Excel cell cannot hold: Excel would cut them, and importing the cut text would store it."""
    problems = []
    for table in tables:
        for number, row in enumerate(table.rows, start=2):
            if table.sheet is PLAN:  # one item a row: its name, then its value
                what, cells = row["key"], [("値", row["value"])]
            else:
                what = " ".join(str(row[k]) for k in ("id", "node", "part", "year") if row.get(k))
                cells = [(c.header, row.get(c.key)) for c in table.columns]
            problems += [
                Problem(
                    f"{table.sheet.name}!{number}行 {header}",
                    f"{what} の文章が {len(value):,} 文字あり、Excel のセル（{EXCEL_CELL_LIMIT:,} 文字まで）に入りません。"
                    "短くしてから出力してください",
                    f"{what}: {len(value)} characters do not fit an Excel cell ({EXCEL_CELL_LIMIT})",
                    value[:40] + "…",
                )
                for header, value in cells
                if isinstance(value, str) and len(value) > EXCEL_CELL_LIMIT
            ]
    if problems:
        raise InputError(problems)


def _write_plan(ws: Worksheet, table: Table, department: bool) -> None:
    ws.append(["項目", "値"])
    for row in table.rows:
        ws.append([row["key"], _cell(ws, row["value"])])
    _header(ws, 2)
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = MAX_WIDTH
    for (cell,) in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    kind = DataValidation(type="list", formula1=f'"{KIND_FULL},{KIND_DEPARTMENT}"', allow_blank=False)
    ws.add_data_validation(kind)
    kind.add("B3")
    if department:
        _protect(ws)


def _write_table(ws: Worksheet, table: Table, department: bool) -> None:
    columns = table.columns
    ws.append([c.header for c in columns])
    figures = [c.key in FIGURE_COLUMNS or _is_year_column(c) for c in columns]
    for row in table.rows:
        ws.append([_cell(ws, row.get(c.key), figure) for c, figure in zip(columns, figures, strict=True)])
    _header(ws, len(columns))
    inputs = DEPARTMENT_INPUT.get(table.sheet.name, ()) if department else None
    keys = sum(1 for c in columns if c.key_column)
    ws.freeze_panes = ws.cell(row=2, column=keys + 1)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        texts = [str(row.get(column.key) or "") for row in table.rows]
        widest = max((width(line) for t in texts for line in t.split("\n")), default=0)
        ws.column_dimensions[letter].width = min(MAX_WIDTH, max(column.width, width(column.header) + 2, widest + 2))
        editable = not column.reference and (inputs is None or column.key in inputs)
        wrap = any("\n" in t for t in texts) or widest + 2 > MAX_WIDTH
        for (cell,) in ws.iter_rows(min_row=2, max_row=len(table.rows) + 1, min_col=index, max_col=index) if table.rows else ():
            if wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column.reference:
                cell.fill = REFERENCE_FILL
            elif editable:
                cell.protection = UNLOCKED
                if inputs is not None:
                    cell.fill = INPUT_FILL
        if editable:
            ws.column_dimensions[letter].protection = UNLOCKED
            if column.kind != YEAR:
                ws.column_dimensions[letter].number_format = "@"
        _validation(ws, letter, table.choices.get(column.key) or list(column.choices.values()))
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions
    if department:
        _protect(ws)


def _write_guide(ws: Worksheet, tables: list[Table], department: bool) -> None:
    ws.append([c.header for c in GUIDE.columns])
    what = "担当部局用（黄色の列だけ入力できます）" if department else "計画全体"
    ws.append(["全体", "", "", f"hyoka のブック（{WORKBOOK_FORMAT}、{what}）。取り込み: hyoka import このファイル.xlsx --into 計画.json"])
    for table in tables:
        inputs = DEPARTMENT_INPUT.get(table.sheet.name, ()) if department else None
        ws.append([table.sheet.name, "", "", table.sheet.help])
        for column in table.columns if table.sheet is not PLAN else PLAN.columns:
            if _is_year_column(column):
                continue
            ws.append([table.sheet.name, column.header, _input_label(column, inputs), column.help])
    _header(ws, len(GUIDE.columns))
    for letter, size in zip("ABCD", (14, 16, 10, 90), strict=True):
        ws.column_dimensions[letter].width = size
    for (cell,) in ws.iter_rows(min_row=2, min_col=4, max_col=4):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    _protect(ws)


def _input_label(column: Column, inputs: Sequence[str] | None) -> str:
    if column.reference:
        return "参照"
    if inputs is not None and column.key not in inputs:
        return "変更不可"
    if column.key_column:
        return "必須"
    return "選択" if column.choices else "入力"


def _header(ws: Worksheet, count: int) -> None:
    for cell in ws[1][:count]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _validation(ws: Worksheet, letter: str, labels: Sequence[str]) -> None:
    """A drop-down of the closed list, when Excel can hold it (no commas, at most 255 characters)."""
    if not labels or any("," in label or '"' in label for label in labels):
        return
    formula = '"' + ",".join(labels) + '"'
    if len(formula) > 257:
        return
    dv = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="選択肢にない値",
        error="一覧から選んでください。",
    )
    ws.add_data_validation(dv)
    dv.add(f"{letter}2:{letter}1048576")


def _protect(ws: Worksheet) -> None:
    """Locked cells cannot be changed; columns can still be widened and rows filtered."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.autoFilter = False
    p.sort = False


def _is_year_column(column: Column) -> bool:
    return column.key.startswith("y") and column.key[1:].isdigit()


def _cell(ws: Worksheet, value: Any, figure: bool = False) -> Any:
    """What a cell holds: a plain figure as a number (「-5」, not the text 「'-5」), a text never run as a formula.

    A text that begins like a formula (「-5％」, 「=HYPERLINK(…)」) is a text cell marked
    with Excel's quote prefix: shown as typed, without a visible apostrophe, and still a
    text when someone edits the cell. Only a text that itself begins with an apostrophe
    gets one more, which the reader takes away again (``cells.restore``).
    """
    if not isinstance(value, str):
        return value
    if value.startswith(ESCAPE):
        return ESCAPE + value
    if figure and _PLAIN_FIGURE.match(value) and number_text(float(value)) == value:
        return Decimal(value)
    if value.startswith(FORMULA_STARTS):
        cell = Cell(ws, value=value)
        cell.data_type = "s"  # openpyxl takes a text beginning with = for a formula
        cell.quotePrefix = True
        return cell
    return value
