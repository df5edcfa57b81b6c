"""The 訂正 of a published year at the front of its report, as governments print 【訂正版】.

Each correction is listed with its date, its reason and every item's old and new text,
so the corrected report says itself what changed since the first publication.
"""

from __future__ import annotations

from ..core.model import Cycle
from ..core.wareki import wareki_date
from .document import Cell, Paragraph, Section, Table

MARK = "【訂正版】"


def corrections_section(cycle: Cycle | None) -> Section | None:
    """The section listing *cycle*'s corrections, None when the year has none."""
    if cycle is None or not cycle.corrections:
        return None
    section = Section("訂正について", "corrections", "訂正")
    if cycle.published:
        section.add(Paragraph(f"{wareki_date(cycle.published)}に公表した本報告書を、次のとおり訂正しました。", css="lead"))
    for c in cycle.corrections:
        head = f"{wareki_date(c.date)} 訂正"
        section.add(Paragraph(f"{head}（理由: {c.reason}）", css="label"))
        body = tuple((Cell(x.subject), Cell(x.old or "―"), Cell(x.new or "―")) for x in c.changes)
        section.add(Table(head, ((Cell("訂正した項目"), Cell("訂正前"), Cell("訂正後")),), body, css="list", widths=(40, 30, 30)))
    return section
