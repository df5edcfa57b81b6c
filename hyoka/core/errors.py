"""Errors that name the place of the problem.

Every input problem in hyoka is reported with *where* it happened (a file, a JSON
path, a sheet/row/column) so that a planner can fix the cell without guessing.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One problem in the input: where it is, what is wrong (Japanese and English)."""

    where: str
    message: str
    message_en: str = ""
    text: str | None = None

    def __str__(self) -> str:
        shown = f"「{self.text}」: " if self.text is not None else ""
        english = f" ({self.message_en})" if self.message_en else ""
        place = f"{self.where}: " if self.where else ""
        return f"{place}{shown}{self.message}{english}"


class HyokaError(Exception):
    """Base of every error hyoka raises on purpose."""


@dataclass
class InputError(HyokaError):
    """Bad input: one or more problems, each with its place. Exit code 2 in the CLI."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @classmethod
    def one(cls, where: str, message: str, message_en: str = "", text: str | None = None) -> InputError:
        return cls([Problem(where, message, message_en, text)])

    def located(self, prefix: str) -> InputError:
        """The same problems with *prefix* put in front of each place."""
        return InputError([Problem(join_path(prefix, p.where), p.message, p.message_en, p.text) for p in self.problems])


def join_path(prefix: str, where: str) -> str:
    if not prefix:
        return where
    if not where:
        return prefix
    if where.startswith("[") or where.startswith("."):
        return prefix + where
    return f"{prefix}.{where}"


class ProblemCollector:
    """Collects problems so that a whole input is checked before anything is reported."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: str, message: str, message_en: str = "", text: str | None = None) -> None:
        self.problems.append(Problem(where, message, message_en, text))

    def extend(self, error: InputError, prefix: str = "") -> None:
        self.problems.extend(error.located(prefix).problems if prefix else error.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(list(self.problems))
