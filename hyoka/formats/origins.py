"""Where each part of a built `hyoka/1` document came from: a workbook cell or a CSV row.

Imports build the plan document from sheets and tables and let `hyoka1.plan_from_dict`
check it, so that a workbook is held to exactly the rules of the plan file. Its
problems name JSON paths (``indicators[3].values.2024.value``); a planner needs the
cell (``実績値!H12``) and what it says, so each path is traced back to its origin.
"""

from __future__ import annotations

import re

from ..core.errors import InputError, Problem

_LAST_STEP = re.compile(r"(\.[^.\[]*|\[\d+\])$")


class Origins:
    """JSON paths of a built document → the place (and text) they were read from."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.places: dict[str, tuple[str, str | None]] = {}

    def add(self, path: str, place: str, text: str | None = None) -> None:
        self.places[path] = (place, text)

    def at(self, place: str) -> str:
        return f"{self.file}:{place}" if self.file else place

    def relocate(self, error: InputError) -> list[Problem]:
        """The problems of *error* with each JSON path replaced by the nearest known origin."""
        out = []
        for p in error.problems:
            path = p.where
            while path and path not in self.places:
                shorter = _LAST_STEP.sub("", path)
                path = "" if shorter == path else shorter
            if not path:
                out.append(Problem(self.at(p.where), p.message, p.message_en, p.text))
                continue
            place, text = self.places[path]
            out.append(Problem(self.at(place), p.message, p.message_en, p.text if p.text is not None else text))
        return out
