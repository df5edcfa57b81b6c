"""A downloaded workbook against the plan as it is now: rows changed in both places are conflicts.

A department downloads its workbook, and meanwhile someone enters a value on the web.
Imported as it is, the workbook would put back the old value (or remove the new one).
So a workbook records, in its hidden sheet 出力時の記録, the stamp (``core.stamps``) of
every 実績値 and 評価コメント row's inputs at export, and an import compares three
versions of each value and year's texts: at export, in the file, in hyoka now.

- unchanged in the file (it still matches its stamp): hyoka's current content stays, so
  a value entered or corrected since the export is neither deleted nor put back;
- changed in the file only (hyoka still holds what was exported): the file's is applied,
  a row removed from a whole-plan workbook included;
- changed in both, differently: a conflict. hyoka's content stays, and the conflict is
  listed with both versions for a person to decide.

A workbook without the record (made from the template, or by hand) is applied as it is.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from ...core.errors import InputError, Problem
from ...core.model import NodeTexts, Value
from ...core.stamps import fields_stamp
from ...core.wareki import parse_year
from ..hyoka1 import value_to_dict
from .layout import DEPARTMENT_INPUT, STAMPS, TEXTS, VALUES, Sheet
from .read import RawWorkbook

VALUE_KEYS = DEPARTMENT_INPUT[VALUES.name]
TEXT_KEYS = DEPARTMENT_INPUT[TEXTS.name]


def value_row_stamp(value: Value | None) -> str:
    return fields_stamp(value_to_dict(value) if value is not None else None, VALUE_KEYS)


def texts_row_stamp(texts: NodeTexts | None) -> str:
    return fields_stamp(dataclasses.asdict(texts) if texts is not None else None, TEXT_KEYS)


@dataclass(frozen=True)
class Stale:
    """A row changed in the file and, since the export, in hyoka too: left as hyoka has it."""

    place: str  # 「実績値!12行」
    what: tuple[str, str, int]  # (indicator, part, year) or (node, "", year)
    sheet: str  # 実績値 or 評価コメント
    stored: dict[str, Any] | None  # what hyoka holds now (a `hyoka/1` value, or a year's texts)
    incoming: dict[str, Any] | None  # what the file says

    @property
    def subject(self) -> str:
        """「1-1-1-k1 2025年度 実績値」, as the change log names the row."""
        ident, part, year = self.what
        return f"{ident}{f'（{part}）' if part else ''} {year}年度 {self.sheet}"

    def problem(self) -> Problem:
        """The conflict as an import refuses it: where, and both versions side by side."""
        stored, incoming = shown(self.stored), shown(self.incoming)
        return Problem(
            self.place,
            f"{self.subject}は、ブックの出力の後に hyoka でも変更されています（hyoka: 「{stored}」／ブック: 「{incoming}」）。"
            "新しいブックを出力して入力し直すか、画面で直してください",
            f"{self.subject} was changed in hyoka after the workbook was exported (hyoka: {stored!r}, workbook: {incoming!r})",
            incoming,
        )


def shown(fields: dict[str, Any] | None) -> str:
    """A value or a year's texts on one line: 「1,234件 / estimate / 2026-09」, bullets on their lines."""
    parts = []
    for key, value in (fields or {}).items():
        if key == "status" and value == "confirmed":
            continue
        text = "\n".join(value) if isinstance(value, list) else str(value)
        if text:
            parts.append(text)
    return " / ".join(parts) or "（空欄）"


def reconcile(raw: RawWorkbook, current: dict[str, Any], understood: dict[str, Any], doc: dict[str, Any]) -> tuple[list[Stale], bool]:
    """Set each value and year's texts of *doc* (the plan the workbook makes) as it should be against *current*.

    *current* and *understood* are the `hyoka/1` documents of the plan now and of *doc* as
    the core reads it, so that what means the same compares the same (「―※」 says 測定不能
    whether or not the 状態 cell does). Returns the conflicts, and whether *doc* changed.
    A workbook without its 出力時の記録 (made from the template, or by hand) is left as it is.
    """
    bases = _bases(raw)
    if bases is None:
        return [], False
    stale: list[Stale] = []
    changed = False
    for sheet, keys, holders in ((VALUES, VALUE_KEYS, _value_holders), (TEXTS, TEXT_KEYS, _text_holders)):
        places = _row_places(raw, sheet)
        now, seen, new = holders(current), holders(understood), holders(doc)
        for owner, by_year in seen.items():
            held_by_year = now.get(owner, {})
            for year in sorted({*held_by_year, *by_year}):
                what = (*owner, int(year))
                base = bases.get((sheet.name, *what), "")
                held, incoming = held_by_year.get(year), by_year.get(year)
                if held == incoming:
                    continue  # the common case, without computing a stamp
                in_file, in_hyoka = fields_stamp(incoming, keys), fields_stamp(held, keys)
                if in_file == in_hyoka or (in_hyoka == base and in_file != base):
                    continue  # the same in both, or changed in the file only: the file's
                if in_file != base:  # changed in both since the export
                    stale.append(Stale(places.get(what, sheet.name), what, sheet.name, held, incoming))
                _put(new[owner], year, _merged(new[owner].get(year), held, keys))  # untouched in the file, or a conflict: hyoka's
                changed = True
    return stale, changed


def _bases(raw: RawWorkbook) -> dict[tuple[str, str, str, int], str] | None:
    """The stamps of 出力時の記録 by (sheet, id, part, year); None for a workbook without one."""
    table = raw.tables.get(STAMPS.name)
    if table is None:
        return None
    text = "".join(cells["json"].text or "" for _n, cells in table.rows if "json" in cells)
    try:
        return {(sheet, ident, part, int(year)): stamp for sheet, ident, part, year, stamp in json.loads(text or "[]")}
    except (ValueError, TypeError):
        raise InputError.one(
            STAMPS.name,
            "出力時の記録が壊れています。ブックを出力し直してください",
            "the export record is damaged: export the workbook again",
        ) from None


def _row_key(cells: dict[str, Any]) -> tuple[str, str, int] | None:
    """(id, part, year) of a row of 実績値, 評価コメント or 出力時の記録; None if the reader refused it."""
    ident = cells.get("id") or cells.get("node")
    year = cells.get("year")
    if ident is None or ident.text is None or year is None or year.text is None:
        return None
    try:
        return ident.text, cells["part"].text or "" if "part" in cells else "", parse_year(year.text)
    except InputError:
        return None


def _row_places(raw: RawWorkbook, sheet: Sheet) -> dict[tuple[str, str, int], str]:
    """Where each (id, part, year) of *sheet* is in the file, to name a conflict's row."""
    table = raw.tables.get(sheet.name)
    if table is None:
        return {}
    return {key: table.row_place(number) for number, cells in table.rows if (key := _row_key(cells)) is not None}


def _value_holders(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """Each series' year → value object, by (indicator, part)."""
    out = {}
    for ind in doc.get("indicators", []):
        out[(ind["id"], "")] = ind.setdefault("values", {})
        for part in ind.get("parts", []):
            out[(ind["id"], part["id"])] = part.setdefault("values", {})
    return out


def _text_holders(doc: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(node["id"], ""): node.setdefault("texts", {}) for node in doc.get("nodes", [])}


def _merged(incoming: dict[str, Any] | None, held: dict[str, Any] | None, keys: tuple[str, ...]) -> dict[str, Any] | None:
    """The file's object with the stamped *keys* as hyoka holds them (other fields, a planner's judgement say, as in the file)."""
    out = {k: v for k, v in (incoming or {}).items() if k not in keys}
    out |= {k: v for k, v in (held or {}).items() if k in keys}
    return out or None


def _put(holder: dict[str, Any], year: str, value: dict[str, Any] | None) -> None:
    if value is None:
        holder.pop(year, None)
    else:
        holder[year] = value
