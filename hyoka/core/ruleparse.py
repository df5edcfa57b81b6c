"""The small pieces every part of a rule object is checked with.

Rates, grades, judgements and measures are validated by different modules, but a
rounding, a number or a {symbol, label} marker is spelled the same everywhere and
gets the same message with its JSON path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import ProblemCollector

# 五捨六入 (half_down) is how 健康日本21 rounds a mean of points: the first digit cut off decides,
# 5 or less down and 6 or more up (4.5 → 4, 4.57 → 4, 4.6 → 5).
ROUNDINGS = ("truncate", "half_up", "half_down", "half_even", "floor", "ceiling")


@dataclass(frozen=True)
class Rounding:
    """How a computed percentage is cut for display and averaging."""

    mode: str = "truncate"
    decimals: int = 1


@dataclass(frozen=True)
class Marker:
    symbol: str
    label: str


def is_object(c: ProblemCollector, spec: Any, where: str, message: str, message_en: str) -> bool:
    """Whether *spec* is a JSON object; if not, the problem is noted at *where* (the caller then gives up on it)."""
    if isinstance(spec, dict):
        return True
    c.add(where, message, message_en)
    return False


def check_keys(c: ProblemCollector, obj: dict[str, Any], where: str, allowed: set[str]) -> None:
    for key in obj:
        if key not in allowed:
            c.add(
                f"{where}.{key}",
                f"不明なオプション「{key}」（使えるもの: {', '.join(sorted(allowed))}）",
                f"unknown option {key!r}; allowed: {', '.join(sorted(allowed))}",
            )


def check_unique(c: ProblemCollector, names: list[str], place: Callable[[int], str], what: str, what_en: str) -> None:
    """Each repeated name (a band, a symbol, a judgement's name) is a problem at its own place."""
    for i, name in enumerate(names):
        if name and names.index(name) != i:
            c.add(place(i), f"{what}「{name}」が重複しています", f"duplicate {what_en} {name!r}")


def decimal_option(c: ProblemCollector, value: Any, where: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, (bool, float)):
        c.add(where, '数値は文字列または整数で指定してください（例: "90"）', "give numbers as strings or integers", repr(value))
        return None
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        c.add(where, "数値ではありません", "not a number", str(value))
        return None
    if not d.is_finite():
        c.add(where, "有限の数値を指定してください", "must be finite", str(value))
        return None
    return d


def rounding_option(c: ProblemCollector, spec: dict[str, Any], where: str, mode_key: str, decimals_key: str, default: Rounding) -> Rounding:
    mode = spec.get(mode_key, default.mode)
    if not isinstance(mode, str) or mode not in ROUNDINGS:
        c.add(
            f"{where}.{mode_key}",
            f"丸め方は {', '.join(ROUNDINGS)} のいずれかです",
            f"rounding must be one of {', '.join(ROUNDINGS)}",
            str(mode),
        )
        mode = default.mode
    decimals = spec.get(decimals_key, default.decimals)
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 6:
        c.add(f"{where}.{decimals_key}", "小数桁数は0〜6の整数です", "decimals must be an integer 0-6", str(decimals))
        decimals = default.decimals
    return Rounding(mode, decimals)


def marker_option(c: ProblemCollector, spec: Any, where: str, default: Marker) -> Marker:
    if spec is None:
        return default
    if not is_object(c, spec, where, "{symbol, label} のオブジェクトで指定してください", "must be {symbol, label}"):
        return default
    check_keys(c, spec, where, {"symbol", "label"})
    return Marker(str(spec.get("symbol", default.symbol)), str(spec.get("label", default.label)))


def choice_option(c: ProblemCollector, spec: dict[str, Any], key: str, where: str, choices: tuple[str, ...], default: str) -> str:
    """An option that must be one of *choices*; the default when it is missing or wrong."""
    value = spec.get(key, default)
    if not isinstance(value, str) or value not in choices:
        c.add(
            f"{where}.{key}",
            f"{key} は {', '.join(choices)} のいずれかです",
            f"{key} must be one of {', '.join(choices)}",
            str(value),
        )
        return default
    return value
