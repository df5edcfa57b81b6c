"""The plan's fields, described once, on the dataclass attributes that hold them.

A plan travels through many forms: the `hyoka/1` file, the workbook, the CSV data
package, the database rows, the list of changes of an import. Each of them used to
spell out the fields of a node or an indicator, so a new field had to be added in a
dozen places and could be forgotten in one. Here the description (its Japanese name,
a sentence for people who fill it in, its kind, its closed list) is metadata of the
``dataclasses.field`` of ``core.model``, and every form iterates over
:func:`plain_fields` instead of naming them: adding a field to the plan is one
attribute in ``core.model`` (and, for the database, the migration Django generates).

Metadata on the dataclass rather than a separate schema module, because the dataclass
is the plan in memory: a second list of fields would be the very duplicate this removes.

*Plain* fields are the ones every form holds as one cell, column or key: a text, a
list of texts, a year, a code of a closed list, a decimal. What has a shape of its own
(ids, the parent, targets and values by year, parts, texts by year, ``x-`` extras)
is not described here and each form writes it by hand, because each form shapes it
differently (a sheet per year, a row per bullet, a table per thing).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from functools import cache
from types import MappingProxyType
from typing import Any

TEXT, LIST, YEAR, CHOICE, DECIMAL = "text", "list", "year", "choice", "decimal"
KINDS_OF_FIELD = (TEXT, LIST, YEAR, CHOICE, DECIMAL)
ABOUT = "hyoka"  # the metadata key
# The longest free text (a note, a year's 取組結果 with its bullets one a line) without a size of
# its own: a workbook cell holds 32,767 characters, so every text an import accepts can be
# exported again and come back whole (docs/format.md).
LONGEST_TEXT = 10_000


@dataclass(frozen=True)
class About:
    """What a plain field is: the words people see and the kind every form converts it by."""

    label: str  # the Japanese name: a workbook header, a CSV title, a line of a change list
    help: str  # what goes in it, for the 説明 sheet and the CSV package's descriptions
    kind: str = TEXT
    # The closed list, code → Japanese label. Empty for a choice whose list is the plan's own
    # (levels, judgement symbols): those are checked where the plan is known.
    choices: Mapping[str, str] = dataclasses.field(default_factory=dict)
    required: bool = False
    size: int | None = None  # the longest text the database column holds; None: any length
    inherited: bool = False  # a part that does not say takes its indicator's


@dataclass(frozen=True)
class Plain:
    """One plain field of a dataclass: its attribute name (also its key in every form), description and default."""

    name: str
    about: About
    default: Any

    @property
    def label(self) -> str:
        return self.about.label

    @property
    def kind(self) -> str:
        return self.about.kind


def plain(
    default: Any,
    label: str,
    help: str,
    kind: str = TEXT,
    *,
    choices: Mapping[str, str] | None = None,
    required: bool = False,
    size: int | None = None,
    inherited: bool = False,
) -> Any:
    """A dataclass field described for every form of the plan (``default`` [] means a new list each time)."""
    assert kind in KINDS_OF_FIELD, kind
    about = About(label, help, kind, MappingProxyType(dict(choices or {})), required, size, inherited)
    metadata = {ABOUT: about}
    if isinstance(default, list):
        return dataclasses.field(default_factory=list, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


@cache
def gettext_noop(text: str) -> str:
    """Marks words people read (a label of a closed list) for the translation catalogue: makemessages
    finds the calls of this name. The core translates nothing; the web app, the site and the charts do."""
    return text


@cache
def plain_fields(cls: type) -> tuple[Plain, ...]:
    """The described fields of *cls* in the order they are declared (a subclass's after its base's)."""
    out = []
    for f in dataclasses.fields(cls):
        about = f.metadata.get(ABOUT)
        if about is None:
            continue
        default = [] if f.default_factory is list else f.default  # type: ignore[comparison-overlap]
        out.append(Plain(f.name, about, default))
    return tuple(out)


def names(cls: type, skip: tuple[str, ...] = ()) -> tuple[str, ...]:
    return tuple(f.name for f in plain_fields(cls) if f.name not in skip)


def plain_field(cls: type, name: str) -> Plain:
    return next(f for f in plain_fields(cls) if f.name == name)


def is_empty(value: Any) -> bool:
    return value in ("", None, [], {})


def drop_empty(d: Mapping[str, Any]) -> dict[str, Any]:
    """The entries that say something: what every form leaves out rather than write blank."""
    return {k: v for k, v in d.items() if not is_empty(v)}


def to_plain(value: Any) -> Any:
    """A field's value as JSON holds it: a decimal as its exact text, a code as its text."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return list(value)
    return value


def plain_dict(obj: Any, skip: tuple[str, ...] = (), convert: Callable[[Any], Any] = to_plain) -> dict[str, Any]:
    """Every plain field of *obj* by name, empty ones included (a row has a column for each)."""
    return {f.name: convert(getattr(obj, f.name)) for f in plain_fields(type(obj)) if f.name not in skip}


def record(obj: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """The plain fields of *obj* that say something, as a `hyoka/1` object writes them (a project, a year's texts)."""
    return drop_empty(plain_dict(obj, skip))
