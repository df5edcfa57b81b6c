"""The database columns of the plan's plain fields (core.schema), added to the models that hold them.

A field declared in ``core.model`` gets its column here without being named again, and
``makemigrations`` writes the migration that adds it. The rows are written and read
through ``bulk_rows.db_row`` and ``formats.hyoka1.fields_doc``, which iterate the same fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models

from ...core.schema import LIST, YEAR, Plain, plain_fields


def add_columns(
    model: type[models.Model],
    cls: type,
    *,
    prefix: str = "",
    skip: Sequence[str] = (),
    choices: dict[str, Any] | None = None,
) -> None:
    """Give *model* a column for each plain field of *cls*; *choices* gives a field the web's translated labels."""
    for f in plain_fields(cls):
        if f.name not in skip:
            model.add_to_class(prefix + f.name, column(f, (choices or {}).get(f.name)))


def column(f: Plain, choices: Any = None) -> models.Field:
    """Texts are never NULL (an empty text is ""), years and lists are what they are; a size makes a varchar."""
    about = f.about
    if f.kind == LIST:
        return models.JSONField(about.label, default=list, blank=True)
    if f.kind == YEAR:
        return models.PositiveSmallIntegerField(about.label, null=True, blank=True)
    options: dict[str, Any] = {"blank": not about.required}
    if f.default not in (None, ""):
        options["default"] = str(getattr(f.default, "value", f.default))
    if choices is not None:
        options["choices"] = choices
    if about.size is not None:
        return models.CharField(about.label, max_length=about.size, **options)
    return models.TextField(about.label, **options)
