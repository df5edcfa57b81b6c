"""The `hyoka/1` plan file: one JSON document with a plan, its rules, nodes and indicators.

Loading checks the whole document and reports every problem with its JSON path
(``indicators[12].values.2024.value``) before anything is built; dumping writes back
exactly what was loaded, so load → dump → load gives the same plan.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from ..core.errors import InputError, ProblemCollector
from ..core.model import (
    CHAPTER_PLACES,
    ERAS,
    REPORT_LAYOUTS,
    REPORT_PARTS,
    Baseline,
    Chapter,
    Corrected,
    Correction,
    Cycle,
    Entry,
    Indicator,
    Node,
    NodeTexts,
    Organization,
    Plan,
    Project,
    ReportSpec,
    Review,
    Series,
    Status,
    Value,
)
from ..core.rules import parse_rules
from ..core.schema import CHOICE, DECIMAL, LIST, LONGEST_TEXT, TEXT, YEAR, Plain, drop_empty, is_empty, plain_fields, record, to_plain
from ..core.units import check_entered_unit
from ..core.values import KNOWN_UNITS, Kind, parse_unit, parse_value
from ..core.wareki import parse_year
from .files import write_atomic

FORMAT = "hyoka/1"
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$")
EXPECTED_PATTERN = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")
MAX_DEPTH = 64
_MISSING = object()


def keys_of(cls: type, *structural: str) -> frozenset[str]:
    """The keys an object of *cls* may have: its plain fields (core.schema) and the *structural* ones written by hand."""
    return frozenset({*structural, *(f.name for f in plain_fields(cls))})


TOP_KEYS = frozenset({"format", "plan", "rules", "nodes", "indicators"})
PLAN_KEYS = keys_of(Plan, "id", "name", "organization", "period", "levels", "cycles", "report")
REPORT_KEYS = frozenset({"layout", "kind", "era", "parts", "unit_pages", "council", "chapters"})
CHAPTER_KEYS = frozenset({"id", "title", "place", "level", "text", "years"})
NODE_KEYS = keys_of(Node, "id", "parent", "texts", "reviews", "projects")
SERIES_KEYS = keys_of(Series, "id", "baseline", "targets", "values")
INDICATOR_KEYS = SERIES_KEYS | keys_of(Indicator, "node", "parts")
VALUE_KEYS = keys_of(Value, "value")
BASELINE_KEYS = keys_of(Baseline, "value")
SERIES_FIELDS = tuple(f.name for f in plain_fields(Series))
T = TypeVar("T")


def is_extension(key: str) -> bool:
    """Keys beginning with ``x-`` are kept as they are: room for a government's own fields."""
    return key.startswith("x-")


def load_path(path: str | Path) -> Plan:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise InputError.one(str(p), f"ファイルを読めません: {e.strerror}", f"cannot read file: {e.strerror}") from None
    return loads(raw, where=str(p))


def loads(raw: str | bytes, where: str = "") -> Plan:
    return plan_from_dict(parse_json(raw, where), where)


def parse_json(raw: str | bytes, where: str = "") -> Any:
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise InputError.one(where, f"UTF-8 ではありません（{e.start} バイト目）", f"not UTF-8 (byte {e.start})") from None
    try:
        return json.loads(raw, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as e:
        raise InputError.one(
            f"{where}:{e.lineno}:{e.colno}" if where else f"{e.lineno}:{e.colno}",
            f"JSON の構文エラー: {e.msg}",
            f"JSON syntax error: {e.msg}",
        ) from None
    except RecursionError:
        raise InputError.one(where, "JSON の入れ子が深すぎます", "JSON nested too deeply") from None
    except ValueError as e:
        raise InputError.one(where, str(e), str(e)) from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} は数値として使えません (not a number)")


class _Reader:
    """Walks the document, collecting every problem with its JSON path."""

    def __init__(self, where: str) -> None:
        self.c = ProblemCollector()
        self.file = where

    def path(self, p: str) -> str:
        return f"{self.file}:{p}" if self.file else p

    def add(self, p: str, message: str, message_en: str, text: str | None = None) -> None:
        self.c.add(self.path(p), message, message_en, text)

    def keys(self, obj: dict[str, Any], p: str, allowed: frozenset[str]) -> dict[str, Any]:
        extras = {}
        for key in obj:
            if is_extension(key):
                extras[key] = obj[key]
            elif key not in allowed:
                self.add(
                    f"{p}.{key}" if p else key,
                    f"不明な項目「{key}」（独自の項目は x- で始めてください）",
                    f"unknown field {key!r} (prefix your own fields with x-)",
                )
        return extras

    def obj(self, value: Any, p: str) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.add(p, "オブジェクトが必要です", "an object is required", _short(value))
            return None
        return value

    def str_(self, obj: dict[str, Any], key: str, p: str, *, required: bool = False, default: str = "") -> str:
        value = obj.get(key)
        if value is None:
            if required:
                self.add(f"{p}.{key}" if p else key, f"「{key}」が必要です", f"{key!r} is required")
            return default
        if not isinstance(value, str):
            self.add(f"{p}.{key}" if p else key, "文字列が必要です", "a string is required", _short(value))
            return default
        return value if self.fits(f"{p}.{key}" if p else key, value, LONGEST_TEXT) else default

    def fits(self, where: str, text: str, limit: int) -> bool:
        """Whether *text* is within *limit* characters; a problem naming its length if not."""
        if len(text) <= limit:
            return True
        self.add(
            where,
            f"長すぎます（{len(text):,} 文字。{limit:,} 文字まで）",
            f"too long ({len(text)} characters, at most {limit})",
            _short(text),
        )
        return False

    def str_list(self, obj: dict[str, Any], key: str, p: str) -> list[str]:
        value = obj.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(f"{p}.{key}", "文字列の配列が必要です", "a list of strings is required", _short(value))
            return []
        return list(value) if self.fits(f"{p}.{key}", "\n".join(value), LONGEST_TEXT) else []

    def choice(self, obj: dict[str, Any], key: str, p: str, allowed: Any, default: str) -> str:
        value = obj.get(key, default)
        if not isinstance(value, str) or value not in allowed:
            self.add(
                f"{p}.{key}",
                f"「{key}」は {', '.join(allowed)} のいずれかです",
                f"{key!r} must be one of {', '.join(allowed)}",
                _short(value),
            )
            return default
        return str(value)

    def year(self, key: Any, p: str) -> int | None:
        try:
            return parse_year(key, self.path(p))
        except InputError as e:
            self.c.extend(e)
            return None

    def plain(self, obj: dict[str, Any], f: Plain, p: str, default: Any) -> Any:
        """One plain field (core.schema) checked by its kind; a bad one is reported and gets *default*."""
        key = f.name
        where = f"{p}.{key}" if p else key
        if f.kind == LIST:
            return self.str_list(obj, key, p)
        value = obj.get(key, _MISSING)
        if value is _MISSING or (value is None and f.default is not None and f.kind != CHOICE):
            if f.about.required:
                self.add(where, f"「{key}」が必要です", f"{key!r} is required")
            return default
        if value is None and f.default is None:
            return None
        if f.kind == YEAR:
            return self.year(value, where)
        if f.kind == DECIMAL:
            try:
                return parse_value(value, where=self.path(where)).number
            except InputError as e:
                self.c.extend(e)
                return default
        if f.kind == CHOICE and f.about.choices:
            return self.choice(obj, key, p, f.about.choices, default)
        if not isinstance(value, str):
            self.add(where, "文字列が必要です", "a string is required", _short(value))
            return default
        if not self.fits(where, value, f.about.size or LONGEST_TEXT):
            return default
        if f.about.required and not value:
            self.add(where, f"「{key}」が必要です", f"{key!r} is required")
        return value

    def fields(self, obj: dict[str, Any], p: str, cls: type, *, skip: tuple[str, ...] = (), parent: Any = None) -> dict[str, Any]:
        """The plain fields of *cls* in *obj*; a part's inherited field defaults to its indicator's (*parent*)."""
        return {
            f.name: self.plain(obj, f, p, getattr(parent, f.name) if parent is not None and f.about.inherited else f.default)
            for f in plain_fields(cls)
            if f.name not in skip
        }


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "…"


def check_digit(five: str) -> str:
    """The sixth digit of a 全国地方公共団体コード (JIS X 0401) from its first five."""
    total = sum(int(d) * w for d, w in zip(five, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def valid_organization_code(code: str) -> bool:
    """全国地方公共団体コード: five digits and a check digit (JIS X 0401)."""
    return re.fullmatch(r"\d{6}", code) is not None and check_digit(code[:5]) == code[5]


def plan_from_dict(doc: Any, where: str = "") -> Plan:
    """Validate a `hyoka/1` document and build the plan; every problem is reported at once."""
    r = _Reader(where)
    if _depth(doc) > MAX_DEPTH:
        raise InputError.one(where, "JSON の入れ子が深すぎます", "JSON nested too deeply")
    top = r.obj(doc, "$")
    if top is None:
        r.c.raise_if_any()
        raise AssertionError  # unreachable: raise_if_any raised
    extras = r.keys(top, "", TOP_KEYS)
    if top.get("format") != FORMAT:
        r.add("format", f'format は "{FORMAT}" です', f"format must be {FORMAT!r}", _short(top.get("format")))
    plan_obj = r.obj(top.get("plan"), "plan") or {}
    plan_extras = r.keys(plan_obj, "plan", PLAN_KEYS)
    plan_id = r.str_(plan_obj, "id", "plan", required=True)
    if plan_id and not ID_PATTERN.match(plan_id):
        r.add("plan.id", "id は英数字と _ . - で書いてください", "id: letters, digits, _ . - only", plan_id)
    name = r.str_(plan_obj, "name", "plan", required=True)
    org_obj = r.obj(plan_obj.get("organization", {}), "plan.organization") or {}
    r.keys(org_obj, "plan.organization", {"name", "code"})
    code = r.str_(org_obj, "code", "plan.organization")
    if code and not valid_organization_code(code):
        r.add(
            "plan.organization.code",
            "全国地方公共団体コード（6桁、検査数字付き）が正しくありません",
            "invalid local government code (6 digits with check digit)",
            code,
        )
    organization = Organization(r.str_(org_obj, "name", "plan.organization", required=True), code)
    period = r.obj(plan_obj.get("period", {}), "plan.period") or {}
    r.keys(period, "plan.period", {"start", "end"})
    start = r.year(period.get("start"), "plan.period.start") if "start" in period else None
    end = r.year(period.get("end"), "plan.period.end") if "end" in period else None
    if start is None or end is None:
        r.add("plan.period", "計画期間の start と end が必要です", "period needs start and end")
    elif start > end:
        r.add("plan.period", "計画期間の start が end より後です", "period start is after end")
    levels = r.str_list(plan_obj, "levels", "plan")
    if not levels:
        r.add("plan.levels", '階層の名前（例: ["基本目標", "中柱", "小柱"]）が必要です', "levels are required")
    cycles = _cycles(r, plan_obj.get("cycles", {}))
    report = _report(r, plan_obj.get("report", {}))
    own = r.fields(plan_obj, "plan", Plan)
    rules_spec = top.get("rules")
    rules = None
    if rules_spec is None:
        r.add("rules", '評価ルール（rules）が必要です（例: {"preset": "kanagawa-sousei"}）', "rules are required")
    else:
        try:
            rules = parse_rules(rules_spec, "rules")
        except InputError as e:
            for problem in e.problems:
                r.add(problem.where, problem.message, problem.message_en, problem.text)
        else:
            for i, g in enumerate(rules.grades):
                for key, level in (("level", g.level), ("of_level", g.of_level)):
                    if level and level != "plan" and levels and level not in levels:
                        r.add(
                            f"rules.grades[{i}].{key}",
                            f"階層「{level}」は plan.levels にありません",
                            f"level {level!r} is not in plan.levels",
                        )
    nodes = _nodes(r, top.get("nodes", []), levels)
    node_ids = {n.id for n in nodes}
    indicators = _indicators(r, top.get("indicators", []), node_ids, rules)
    r.c.raise_if_any()
    assert rules is not None and start is not None and end is not None
    plan = Plan(
        id=plan_id,
        name=name,
        organization=organization,
        period_start=start,
        period_end=end,
        levels=levels,
        rules=rules,
        rules_spec=rules_spec,
        nodes=nodes,
        indicators=indicators,
        cycles=cycles,
        report=report,
        **own,
        extras={**extras, **{f"plan.{k}": v for k, v in plan_extras.items()}},
    )
    return plan


def _depth(value: Any, limit: int = MAX_DEPTH + 1) -> int:
    """How deeply *value* nests (a scalar 1, a list of scalars 2 …), counted up to *limit*.

    Only containers are walked: a plan's scalars are most of its values."""
    depth = 0
    stack = [(value, 1)]
    while stack:
        item, d = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        depth = max(depth, d + 1 if children else d)
        if depth >= limit:
            return depth
        stack.extend((v, d + 1) for v in children if isinstance(v, dict | list))
    return depth


def _report(r: _Reader, spec: Any) -> ReportSpec:
    p = "plan.report"
    obj = r.obj(spec, p) or {}
    r.keys(obj, p, REPORT_KEYS)
    parts = r.str_list(obj, "parts", p)
    for i, part in enumerate(parts):
        if part not in REPORT_PARTS:
            r.add(f"{p}.parts[{i}]", f"部分「{part}」はありません（{', '.join(REPORT_PARTS)}）", f"unknown part {part!r}", part)
    unit_pages = obj.get("unit_pages", False)
    if not isinstance(unit_pages, bool):
        r.add(f"{p}.unit_pages", "true か false です", "must be true or false", _short(unit_pages))
        unit_pages = False
    chapters = []
    for q, c, _extras, chapter_id in _objects(r, obj.get("chapters", []), f"{p}.chapters", CHAPTER_KEYS):
        level = c.get("level", 2)
        if level not in (2, 3) or isinstance(level, bool):
            r.add(f"{q}.level", "level は 2 か 3 です", "level must be 2 or 3", _short(level))
            level = 2
        years = {}
        for key, value in (r.obj(c.get("years", {}), f"{q}.years") or {}).items():
            year = r.year(key, f"{q}.years.{key}")
            if year is not None:
                years[year] = r.str_list({key: value}, key, f"{q}.years")
        chapters.append(
            Chapter(
                id=chapter_id,
                title=r.str_(c, "title", q, required=True),
                place=r.choice(c, "place", q, CHAPTER_PLACES, "opening"),
                level=level,
                text=r.str_list(c, "text", q),
                years=years,
            )
        )
    return ReportSpec(
        layout=r.choice(obj, "layout", p, tuple(REPORT_LAYOUTS), "evaluation"),
        kind=r.str_(obj, "kind", p),
        era=r.choice(obj, "era", p, tuple(ERAS), "western"),
        parts=parts,
        unit_pages=unit_pages,
        council=r.str_(obj, "council", p),
        chapters=chapters,
    )


def report_to_dict(spec: ReportSpec) -> dict[str, Any]:
    """The plan's ``report`` object; what is left at its default is not written."""
    chapters = [
        {"id": c.id, "title": c.title, "place": c.place}
        | drop_empty({"level": c.level if c.level != 2 else None, "text": c.text, "years": {str(y): t for y, t in sorted(c.years.items())}})
        for c in spec.chapters
    ]
    return drop_empty(
        {
            "layout": spec.layout if spec.layout != "evaluation" else None,
            "kind": spec.kind,
            "era": spec.era if spec.era != "western" else None,
            "parts": spec.parts,
            "unit_pages": spec.unit_pages or None,
            "council": spec.council,
            "chapters": chapters,
        }
    )


def _objects(r: _Reader, spec: Any, name: str, allowed: frozenset[str]) -> Iterator[tuple[str, dict[str, Any], dict[str, Any], str]]:
    """The objects of the list *name*: (JSON path, object, its x- fields, its id), ids checked unique."""
    if not isinstance(spec, list):
        r.add(name, f"{name} は配列です", f"{name} must be a list")
        return
    seen: set[str] = set()
    for i, item in enumerate(spec):
        p = f"{name}[{i}]"
        obj = r.obj(item, p)
        if obj is None:
            continue
        extras = r.keys(obj, p, allowed)
        item_id = r.str_(obj, "id", p, required=True)
        if item_id in seen:
            r.add(f"{p}.id", f"id「{item_id}」が重複しています", f"duplicate id {item_id!r}")
        seen.add(item_id)
        yield p, obj, extras, item_id


def _nodes(r: _Reader, spec: Any, levels: list[str]) -> list[Node]:
    nodes: list[Node] = []
    for p, obj, extras, node_id in _objects(r, spec, "nodes", NODE_KEYS):
        fields = r.fields(obj, p, Node)
        level = fields["level"]
        if level and levels and level not in levels:
            r.add(f"{p}.level", f"階層「{level}」は plan.levels にありません", f"level {level!r} is not in plan.levels")
        parent = obj.get("parent")
        if parent is not None and not isinstance(parent, str):
            r.add(f"{p}.parent", "parent は id（文字列）か null です", "parent must be an id or null")
            parent = None
        nodes.append(
            Node(
                id=node_id,
                parent=parent,
                **fields,
                texts=_yearly(r, obj.get("texts", {}), f"{p}.texts", NodeTexts),
                reviews=_yearly(r, obj.get("reviews", {}), f"{p}.reviews", Review),
                projects=_projects(r, obj.get("projects", []), f"{p}.projects"),
                extras=extras,
            )
        )
    by_id = {n.id: n for n in nodes}
    for i, n in enumerate(nodes):
        if n.parent is not None and n.parent not in by_id:
            r.add(f"nodes[{i}].parent", f"親「{n.parent}」がありません", f"parent {n.parent!r} does not exist")
    for i, n in enumerate(nodes):
        seen_chain = {n.id}
        current = n.parent
        while current is not None and current in by_id:
            if current in seen_chain:
                r.add(f"nodes[{i}].parent", "親子関係が循環しています", "the parent chain is a cycle")
                break
            seen_chain.add(current)
            current = by_id[current].parent
    return nodes


def _yearly(
    r: _Reader, spec: Any, p: str, cls: type[T], structural: Mapping[str, Callable[[_Reader, Any, str], Any]] | None = None
) -> dict[int, T]:
    """Year-keyed objects (a plan's cycles, a node's texts and reviews): one year check and key check for all.

    *structural* reads the keys that are not plain fields (a cycle's corrections), each by its own reader.
    """
    structural = structural or {}
    out: dict[int, T] = {}
    for key, value in (r.obj(spec, p) or {}).items():
        q = f"{p}.{key}"
        year = r.year(key, q)
        obj = r.obj(value, q)
        if year is None or obj is None:
            continue
        r.keys(obj, q, keys_of(cls, *structural))
        extra = {name: read(r, obj[name], f"{q}.{name}") for name, read in structural.items() if name in obj}
        out[year] = cls(**r.fields(obj, q, cls), **extra)
    return out


def _cycles(r: _Reader, spec: Any) -> dict[int, Cycle]:
    """The years' cycles; a publication date and corrections belong to a published year only."""
    cycles = _yearly(r, spec, "plan.cycles", Cycle, {"corrections": _corrections})
    for year, c in cycles.items():
        p = f"plan.cycles.{year}"
        _check_date(r, c.published, f"{p}.published")
        if c.status != "published" and (c.published or c.corrections):
            r.add(f"{p}.status", "公表日・訂正は公表済みの年度にだけ書けます", "a publication date and corrections need status published")
    return cycles


def _check_date(r: _Reader, text: str, p: str) -> bool:
    """An ISO date (2026-03-01), or a problem named at *p*."""
    if text:
        try:
            date.fromisoformat(text)
        except ValueError:
            r.add(p, "日付は 2026-03-01 の形で書いてください", "a date is written 2026-03-01", _short(text))
            return False
    return True


def _corrections(r: _Reader, spec: Any, p: str) -> list[Correction]:
    if not isinstance(spec, list):
        r.add(p, "配列が必要です", "a list is required", _short(spec))
        return []
    out = []
    for i, item in enumerate(spec):
        q = f"{p}[{i}]"
        c = r.obj(item, q)
        if c is None:
            continue
        r.keys(c, q, {"date", "reason", "changes"})
        changes = []
        listed = c.get("changes", [])
        if not isinstance(listed, list):
            r.add(f"{q}.changes", "配列が必要です", "a list is required", _short(listed))
            listed = []
        for k, change in enumerate(listed):
            cq = f"{q}.changes[{k}]"
            ch = r.obj(change, cq)
            if ch is not None:
                r.keys(ch, cq, {"subject", "old", "new", "indicator", "node"})
                text = {key: r.str_(ch, key, cq, required=key == "subject") for key in ("subject", "old", "new", "indicator", "node")}
                changes.append(Corrected(**text))
        when = r.str_(c, "date", q, required=True)
        _check_date(r, when, f"{q}.date")
        out.append(Correction(when, r.str_(c, "reason", q, required=True), changes))
    return out


def corrections_from_list(spec: Any, where: str) -> list[Correction]:
    """Stored corrections read back (the database keeps them as the plan file writes them)."""
    r = _Reader(where)
    out = _corrections(r, spec, "corrections")
    r.c.raise_if_any()
    return out


def cycle_to_dict(c: Cycle) -> dict[str, Any]:
    """A cycle as the plan file writes it: its plain fields, and its corrections when it has any."""
    return record(c) | ({"corrections": corrections_to_list(c.corrections)} if c.corrections else {})


def corrections_to_list(corrections: list[Correction]) -> list[dict[str, Any]]:
    return [correction_to_dict(c) for c in corrections]


def correction_to_dict(c: Correction) -> dict[str, Any]:
    return {
        "date": c.date,
        "reason": c.reason,
        "changes": [
            {"subject": x.subject, "old": x.old, "new": x.new} | drop_empty({"indicator": x.indicator, "node": x.node}) for x in c.changes
        ],
    }


def _projects(r: _Reader, spec: Any, p: str) -> list[Project]:
    if not isinstance(spec, list):
        r.add(p, "projects は配列です", "projects must be a list")
        return []
    out = []
    for i, item in enumerate(spec):
        q = f"{p}[{i}]"
        obj = r.obj(item, q)
        if obj is None:
            continue
        r.keys(obj, q, keys_of(Project))
        out.append(Project(**r.fields(obj, q, Project)))
    return out


def _entry(r: _Reader, value: Any, p: str, qualitative: bool) -> Entry | None:
    if isinstance(value, (dict, list)):
        r.add(p, "値は文字列か数値です", "a value must be a string or a number", _short(value))
        return None
    try:
        parsed = parse_value(value, where=r.path(p), qualitative=qualitative)
    except InputError as e:
        r.c.extend(e)
        return None
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    return Entry(text, parsed)


def _series_fields(r: _Reader, obj: dict[str, Any], p: str, parent: Series | None, rules: Any) -> dict[str, Any]:
    fields = r.fields(obj, p, Series, parent=parent)
    qualitative = fields["direction"] == "qualitative"
    baseline = None
    if "baseline" in obj and obj["baseline"] is not None:
        b = r.obj(obj["baseline"], f"{p}.baseline")
        if b is not None:
            r.keys(b, f"{p}.baseline", BASELINE_KEYS)
            entry = _entry(r, b.get("value"), f"{p}.baseline.value", qualitative)
            own = r.fields(b, f"{p}.baseline", Baseline)
            if entry is not None:
                baseline = Baseline(entry, **own)
    targets: dict[int, Entry] = {}
    for key, value in (r.obj(obj.get("targets", {}), f"{p}.targets") or {}).items():
        year = r.year(key, f"{p}.targets.{key}")
        if value is None:
            r.add(f"{p}.targets.{key}", "目標値がありません（目標がない年は書かないか「―」）", "missing target (omit the year or write ―)")
            continue
        entry = _entry(r, value, f"{p}.targets.{key}", qualitative)
        if year is not None and entry is not None:
            if entry.parsed.kind in (Kind.PENDING, Kind.UNMEASURABLE, Kind.NO_RESULT):
                r.add(f"{p}.targets.{key}", "目標値として使えない値です", "not usable as a target", entry.text)
            targets[year] = entry
    values: dict[int, Value] = {}
    for key, value in (r.obj(obj.get("values", {}), f"{p}.values") or {}).items():
        year = r.year(key, f"{p}.values.{key}")
        v = _value(r, value, f"{p}.values.{key}", qualitative, rules)
        if year is not None and v is not None:
            values[year] = v
    _check_units(r, p, fields["unit"], targets, values, baseline)
    if fields["formula"] == "progress" and baseline is None and targets:
        r.add(f"{p}.baseline", "formula が progress の指標には基準値（baseline）が必要です", "formula 'progress' needs a baseline")
    return fields | {"baseline": baseline, "targets": targets, "values": values}


def _check_units(r: _Reader, p: str, unit: str, targets: dict[int, Entry], values: dict[int, Value], baseline: Baseline | None) -> None:
    """A unit word that is neither the indicator's unit nor a known unit is an error (「12 ぐらい」)."""
    own = parse_unit(unit)[1]
    entries = [(f"{p}.targets.{y}", e) for y, e in targets.items()]
    entries += [(f"{p}.values.{y}.value", v.entry) for y, v in values.items()]
    if baseline is not None:
        entries.append((f"{p}.baseline.value", baseline.entry))
    for where, entry in entries:
        if foreign_unit(own, entry):
            r.add(where, *_unit_words(entry.parsed.unit, unit), entry.text)


def foreign_unit(own: str, entry: Entry) -> bool:
    """A number whose unit word is neither the series' own unit word *own* nor a known unit."""
    word = entry.parsed.unit
    return entry.parsed.kind is Kind.NUMBER and bool(word) and word != own and word not in KNOWN_UNITS


def _unit_words(word: str | None, unit: str) -> tuple[str, str]:
    return f"単位「{word}」が指標の単位「{unit}」と違い、既知の単位でもありません", f"unknown unit word {word!r} (indicator unit {unit!r})"


def check_unit(value: Value, unit: str, where: str) -> None:
    """The unit check of one value entered alone (a form, an upload): InputError at *where*.

    Stricter than a plan file's: a known unit word that contradicts the indicator's
    (「45.6％」 for 施設) is refused too, where a plan file only warns (``core.checks``).
    """
    if foreign_unit(parse_unit(unit)[1], value.entry):
        raise InputError.one(where, *_unit_words(value.entry.parsed.unit, unit), value.entry.text)
    check_entered_unit(unit, value.entry.parsed, where)


def _value(r: _Reader, spec: Any, p: str, qualitative: bool, rules: Any) -> Value | None:
    if not isinstance(spec, dict):
        spec = {"value": spec}
        vp = p
    else:
        r.keys(spec, p, VALUE_KEYS)
        vp = f"{p}.value"
    entry = _entry(r, spec.get("value"), vp, qualitative)
    if entry is None:
        return None
    kind = entry.parsed.kind
    implied = {
        Kind.PENDING: Status.PENDING,
        Kind.UNMEASURABLE: Status.UNMEASURABLE,
    }.get(kind, Status.ESTIMATE if entry.parsed.estimate or entry.parsed.provisional else None)
    status_text = spec.get("status")
    status = implied or Status.CONFIRMED
    if status_text is not None:
        try:
            status = Status(status_text)
        except ValueError:
            r.add(f"{p}.status", f"status は {', '.join(s.value for s in Status)} のいずれかです", "unknown status", _short(status_text))
            return None
        if implied is not None and implied is not status and not (implied is Status.ESTIMATE and status is Status.CONFIRMED):
            r.add(f"{p}.status", f"値「{entry.text}」と status「{status.value}」が矛盾しています", "value and status disagree", entry.text)
        if implied is Status.ESTIMATE and status is Status.CONFIRMED:
            r.add(
                f"{p}.status",
                f"値「{entry.text}」は見込値ですが status が confirmed です",
                "the value says 見込値 but status is confirmed",
                entry.text,
            )
    if status in (Status.CONFIRMED, Status.ESTIMATE) and kind is Kind.EMPTY and spec.get("judgement") is None and status_text is not None:
        r.add(vp, "実績値がありません（未把握なら status: pending）", "no value (use status pending if not known yet)")
    if status is Status.PENDING and kind not in (Kind.PENDING, Kind.EMPTY):
        r.add(vp, "把握予定の値に数値が書かれています", "a pending value holds a figure", entry.text)
    expected = spec.get("expected")
    if expected is not None and (not isinstance(expected, str) or not EXPECTED_PATTERN.match(expected)):
        r.add(
            f"{p}.expected",
            '把握予定時期は "2026-09" または "2026" の形で書いてください',
            "expected must look like 2026-09 or 2026",
            _short(expected),
        )
        expected = None
    if entry.parsed.expected and expected and entry.parsed.expected != expected:
        r.add(
            f"{p}.expected",
            f"値の把握予定時期（{entry.parsed.expected}）と expected が違います",
            "expected disagrees with the value's date",
            expected,
        )
    expected = expected or entry.parsed.expected
    if expected and status is not Status.PENDING and status is not Status.ESTIMATE:
        r.add(
            f"{p}.expected",
            "expected は把握予定・見込値の値にだけ書けます",
            "expected only applies to pending or estimate values",
            expected,
        )
    judgement = spec.get("judgement")
    if judgement is not None:
        allowed = _judgement_symbols(rules)
        if not isinstance(judgement, str) or (allowed is not None and judgement not in allowed):
            shown = "、".join(sorted(allowed)) if allowed else "（judgement ルールがありません）"
            r.add(f"{p}.judgement", f"判定は {shown} のいずれかです", "unknown judgement symbol", _short(judgement))
            judgement = None
    own = r.fields(spec, p, Value, skip=("status", "expected", "judgement"))
    return Value(entry=entry, status=status, expected=expected, judgement=judgement, **own)


def value_from_dict(spec: Any, where: str = "", *, qualitative: bool = False, rules: Any = None) -> Value:
    """One year's value written as in a plan file (``{"value": "...", "status": ...}``), checked the same way.

    Forms and uploads enter values one at a time; they must accept and refuse exactly
    what a plan file would, with the problems named at *where*.
    """
    r = _Reader("")
    value = _value(r, spec, where, qualitative, rules)
    r.c.raise_if_any()
    assert value is not None  # _value returns None only after adding a problem
    return value


def yearly_from_dict(spec: Any, cls: type[T], where: str = "") -> T:
    """One year's texts or review (``{"results": [...], ...}``) entered alone, checked as a plan file would be, at *where*."""
    r = _Reader("")
    obj = r.obj(spec, where)
    out = cls(**r.fields(obj or {}, where, cls))
    if obj is not None:
        r.keys(obj, where, keys_of(cls))
    r.c.raise_if_any()
    return out


def _judgement_symbols(rules: Any) -> set[str] | None:
    if rules is None:
        return None
    if rules.judgement is None:
        return set()
    rule = rules.judgement
    return {b.symbol for b in rule.bands} | {b.label for b in rule.bands} | {rule.pending.symbol, rule.pending.label}


def _indicators(r: _Reader, spec: Any, node_ids: set[str], rules: Any) -> list[Indicator]:
    out: list[Indicator] = []
    for p, obj, extras, ind_id in _objects(r, spec, "indicators", INDICATOR_KEYS):
        node = r.str_(obj, "node", p, required=True)
        if node and node not in node_ids:
            r.add(f"{p}.node", f"ノード「{node}」がありません", f"node {node!r} does not exist")
        fields = _series_fields(r, obj, p, None, rules)
        if not fields["name"]:
            r.add(f"{p}.name", "「name」が必要です", "'name' is required")
        indicator = Indicator(id=ind_id, node=node, extras=extras, **fields, **r.fields(obj, p, Indicator, skip=SERIES_FIELDS))
        indicator.parts = _parts(r, obj.get("parts", []), f"{p}.parts", indicator, rules)
        if indicator.parts and any(v.entry.parsed.kind is not Kind.EMPTY for v in indicator.values.values()):
            r.add(
                f"{p}.values",
                "部分（parts）のある指標の値は各部分に書いてください",
                "an indicator with parts keeps its values in the parts",
            )
        out.append(indicator)
    return out


def _parts(r: _Reader, spec: Any, p: str, parent: Indicator, rules: Any) -> list[Series]:
    if spec is None:
        return []
    parts: list[Series] = []
    for q, obj, extras, part_id in _objects(r, spec, p, SERIES_KEYS):
        for key in extras:  # the workbook and the CSV package have no place for them: refused, not lost
            r.add(
                f"{q}.{key}",
                "部分（parts）には独自項目（x-）を付けられません。指標に付けてください",
                "x- fields are kept on indicators, not on parts",
            )
        fields = _series_fields(r, obj, q, parent, rules)
        parts.append(Series(id=part_id, **fields))
    return parts


# --- writing -------------------------------------------------------------------------------


def _series_out(s: Series, parent: Series | None = None) -> dict[str, Any]:
    """A series' keys: a part writes an inherited field only where it differs from its indicator's."""
    out: dict[str, Any] = {}
    for f in plain_fields(Series):
        value = getattr(s, f.name)
        if parent is not None and f.about.inherited:
            if value != getattr(parent, f.name):
                out[f.name] = to_plain(value)
        elif not is_empty(value):
            out[f.name] = to_plain(value)
    if s.baseline is not None:
        out["baseline"] = {"value": s.baseline.entry.text} | record(s.baseline)
    out["targets"] = {str(y): e.text for y, e in sorted(s.targets.items())}
    out["values"] = {str(y): value_to_dict(v) for y, v in sorted(s.values.items())}
    return out


def fields_doc(row: Mapping[str, Any], cls: type, prefix: str = "") -> dict[str, Any]:
    """The `hyoka/1` keys of the plain fields of *cls* found in a table's *row* (a CSV line, a database row).

    What says something is kept, and an inherited text even when blank: the tables hold what
    a part has, so a part's blank unit is no unit, not its indicator's.
    """
    out = {}
    for f in plain_fields(cls):
        value = row.get(prefix + f.name, _MISSING)
        if value is not _MISSING and (not is_empty(value) or (f.about.inherited and f.kind == TEXT and value == "")):
            out[f.name] = value
    return out


def value_to_dict(v: Value) -> dict[str, Any]:
    """One year's value as the plan file writes it."""
    return {"value": v.entry.text} | record(v)


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The `hyoka/1` document of *plan*; load(dump(plan)) is the same plan."""
    doc: dict[str, Any] = {
        "format": FORMAT,
        "plan": drop_empty(
            {
                "id": plan.id,
                "name": plan.name,
                "organization": drop_empty({"name": plan.organization.name, "code": plan.organization.code}),
                "period": {"start": plan.period_start, "end": plan.period_end},
                "levels": list(plan.levels),
                "cycles": {str(y): cycle_to_dict(c) for y, c in sorted(plan.cycles.items())},
                "report": report_to_dict(plan.report),
            }
            | record(plan)
        ),
        "rules": plan.rules_spec,
        "nodes": [_node_out(n) for n in plan.nodes],
        "indicators": [_indicator_out(i) for i in plan.indicators],
    }
    for key, value in plan.extras.items():
        if key.startswith("plan."):
            doc["plan"][key[len("plan.") :]] = value
        else:
            doc[key] = value
    return doc


def _node_out(n: Node) -> dict[str, Any]:
    nested = {
        "texts": {str(y): record(t) for y, t in sorted(n.texts.items())},
        "reviews": {str(y): record(rv) for y, rv in sorted(n.reviews.items())},
        "projects": [record(pr) for pr in n.projects],
    }
    return {"id": n.id, "parent": n.parent} | record(n) | drop_empty(nested) | n.extras


def _indicator_out(i: Indicator) -> dict[str, Any]:
    parts = {"parts": [{"id": p.id, **_series_out(p, i)} for p in i.parts]} if i.parts else {}
    return {"id": i.id, "node": i.node} | _series_out(i) | record(i, skip=SERIES_FIELDS) | parts | i.extras


def dumps(plan: Plan) -> str:
    return document_text(plan_to_dict(plan))


def document_text(doc: dict[str, Any]) -> str:
    """A `hyoka/1` document as the text of its file (``dumps`` for a plan whose document is already made)."""
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def dump_path(plan: Plan, path: str | Path) -> None:
    """Write atomically: a reader never sees half a plan file."""
    text = dumps(plan)
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
