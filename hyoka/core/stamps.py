"""Stamps of what an edited thing held when someone started editing it.

A form, or a row of a downloaded workbook, carries the stamp of the content it was
made from. When it comes back, the stamp tells whether the person changed it (their
content is no longer what was stamped) and whether it changed in hyoka meanwhile (the
stored content's stamp differs): only when both did is there a conflict to show.

A stamp is a digest of the content rather than a version counter, so that nothing needs
a counter, a thing deleted and entered again cannot reuse an old number, and an edit
that ends where it started (A → B → A) is no conflict. Empty content has the empty stamp.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

CONFIRMED = "confirmed"  # a value's default status: stamped as no status at all


def stamp(*state: object) -> str:
    """The digest of an edited thing's content; "" when there is no content at all."""
    if not any(state):
        return ""
    return hashlib.sha256(json.dumps(state, ensure_ascii=False).encode()).hexdigest()[:20]


def fields_stamp(fields: Mapping[str, Any] | None, keys: Sequence[str]) -> str:
    """The stamp of *keys* of a `hyoka/1` object (a value, a year's texts): missing is empty (whatever its type), 確定 is no status."""
    got = fields or {}
    return stamp(*(_plain(key, got.get(key)) for key in keys))


def _plain(key: str, value: Any) -> Any:
    if not value or (key == "status" and value == CONFIRMED):
        return ""
    return value
