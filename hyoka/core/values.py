"""Reading values the way people type them and reports print them.

「2,609万人泊」「35 兆 3,716 億円」「21,000 件 以下」「2026 年９月頃把握予定」「―※」 all
have to become exact numbers with their unit and qualifiers, or a clear status.
Anything that cannot be understood is an error naming the text; it never becomes 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache

from .errors import InputError
from .text import compact, has_control_characters, is_dash, nfkc
from .wareki import era_to_year

MULTIPLIERS: dict[str, int] = {"兆": 12, "億": 8, "万": 4}
MAX_INTEGER_DIGITS = 30
MAX_TEXT_LENGTH = 2000


class Kind(StrEnum):
    """What a cell holds."""

    NUMBER = "number"
    TEXT = "text"  # a qualitative value: 「実施」「運用開始」
    PENDING = "pending"  # 把握予定 / 集計中 / ※: the figure is not known yet
    UNMEASURABLE = "unmeasurable"  # ―※ / 測定不能: there will be no figure
    NO_RESULT = "no_result"  # 実績なし: nothing was achieved (counts as zero)
    RELATIVE = "relative"  # 策定時実績値以上 / 前年度比5%向上: a target defined by another value
    EMPTY = "empty"  # blank or ―


class Bound(StrEnum):
    """Target kinds beyond a plain point: 以上, 以下, 超, 未満."""

    MIN = "以上"
    MAX = "以下"
    ABOVE = "超"
    BELOW = "未満"


@dataclass(frozen=True)
class Parsed:
    """A cell understood: exact number in base units, the unit, and what was said about it."""

    raw: str
    kind: Kind
    number: Decimal | None = None
    unit: str = ""
    scale: int = 0  # power of ten applied from 万/億/兆
    places: int = 0  # decimals typed before that multiplier (「176.0万」 → 1), to print it in 万 again
    bound: Bound | None = None
    approx: bool = False
    per_year: bool = False
    cumulative: bool = False
    estimate: bool = False
    provisional: bool = False  # 概数
    marks: tuple[str, ...] = ()
    expected: str | None = None  # "2026-09" or "2026" for a pending value
    text: str | None = None
    relative_to: str | None = None  # "baseline", "previous" or a year ("2008" for 平成20年度比25%減)
    relative_change: Decimal | None = None  # percent for 前年度比N%向上
    trend: str | None = None  # "increase" or "decrease" for a target that names only a direction (「減少傾向へ」)
    labels: tuple[str, ...] = field(default=())

    @property
    def is_number(self) -> bool:
        return self.kind in (Kind.NUMBER, Kind.NO_RESULT)

    def in_unit(self, unit_scale: int) -> Decimal | None:
        """The number expressed in a unit that carries *unit_scale* (万人 → 4)."""
        if self.number is None:
            return None
        return self.number.scaleb(-unit_scale)


_SUFFIXES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p + r"$"), name)
    for p, name in (
        (r"※\d*", "mark"),
        (r"\*\d*", "mark"),
        (r"\((?:見込値?|見込み値?)\)", "estimate"),
        (r"(?:見込値|見込み)", "estimate"),
        (r"\(概数※?\d*\)", "provisional"),
        (r"\(速報値?※?\d*\)", "provisional"),
        (r"(?:\(累計\)|〔累計〕|【累計】|\[累計\])", "cumulative"),
        (r"以上", "min"),
        (r"以下", "max"),
        (r"未満", "below"),
        (r"超", "above"),
        (r"程度", "approx"),
        (r"削減", "label"),  # 「50％削減」: the figure of a 削減割合 as printed
        (r"/年(?:度)?", "per_year"),
    )
)
_PREFIXES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile("^" + p), name)
    for p, name in (
        (r"(?:約|およそ|概ね)", "approx"),
        (r"年間", "per_year"),
        (r"(?:\(累計\)|〔累計〕|【累計】|累計)", "cumulative"),
    )
)
_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?|\d*\.\d+"
_AMOUNT = re.compile(rf"^(?P<sign>[+\-▲△])?(?P<groups>(?:(?:{_NUMBER})[兆億万])*(?:{_NUMBER})?)(?P<unit>.*)$")
_GROUP = re.compile(rf"({_NUMBER})([兆億万]?)")
_PLAIN_NUMBER = re.compile(r"^\s*(-?\d{1,30}(?:\.\d+)?)\s*$", re.ASCII)
_WHITESPACE = re.compile(r"\s+")
_SPACED_DIGITS = re.compile(r"\d[ \t\u3000]+\d")
_EXPONENT = re.compile(r"^[eE][+\-]?\d")
_LOOSE_DIGITS = re.compile(r"^[+\-]?[\d,]+(?:\.\d+)?")
_UNIT = re.compile(r"^[^\d\s().,:;!?\"'<>=+\-*/\\][^\s()<>=;!?\"'\\]{0,9}$")
_UNIT_DIGIT_AFTER_LETTER = re.compile(r"^[A-Za-z%\u3040-\u30ff\u3400-\u9fff]+\d*$|^[^\d]+$")

_YEAR_MONTH = r"(?P<y>\d{4})年(?:(?P<m>\d{1,2})月)?"
_ERA_YEAR_MONTH = r"(?P<era>令和|平成|R)(?P<n>\d{1,2}|元)年(?:度)?(?:(?P<em>\d{1,2})月)?"
_PENDING = re.compile(rf"^(?:※?実績は)?(?:(?:{_YEAR_MONTH}|{_ERA_YEAR_MONTH})(?:度)?(?:頃|ごろ|中に?|末)?)?(?:把握予定|公表予定|判明予定)$")
_PENDING_WORDS = {"集計中", "未把握", "把握中", "※", "調査中"}
_UNMEASURABLE = re.compile(r"^(?:[-―—]※\d*|測定不能|測定不可|把握不可|把握不能|算出不能|実績把握不可)$")
_NO_RESULT = {"実績なし", "実績無し", "なし"}
_CHANGE = r"(?P<pct>\d+(?:\.\d+)?)%"
_DIRECTION = r"(?P<dir>以上|以下|向上|増加|増|減少|削減|減)$"
_RELATIVE = re.compile(
    rf"^(?P<ref>策定時実績値|計画策定時|策定時|基準値|現状値|前年度|前年)(?:(?:比|と比べて|と比較して){_CHANGE})?{_DIRECTION}"
)
# 「平成20年度と比べて25%減少」「2008年度比25%減」: a named year's figure (its actual, or the baseline of that year).
_YEAR_RELATIVE = re.compile(
    rf"^(?:(?P<era>令和|平成|R|H)(?P<n>\d{{1,2}}|元)|(?P<y>\d{{4}}))年度?(?:比|と比べて|と比較して){_CHANGE}?{_DIRECTION}"
)
# 「現状維持」: the baseline is the target. 「増加」「減少傾向へ」: only a direction, judged by the change from the baseline.
_MAINTAIN = re.compile(r"^(?:現状|現状値|基準値|策定時)?(?:を|の)?維持$")
_TREND = re.compile(r"^(?:基準値から|現状から|策定時から)?(?P<dir>増加|上昇|減少|低下)(?:傾向)?(?:へ|に|を目指す)?$")


def parse_value(text: str | int | float | Decimal | None, *, where: str = "", qualitative: bool = False) -> Parsed:
    """Understand one cell.

    For a *qualitative* indicator every statement (「運用開始」「10月から電子申告開始」)
    is a text value; for a numeric one the same text is an error. Statuses (把握予定,
    ―※, blank) are understood in both. JSON numbers are accepted as they are.
    """
    if text is None:
        return Parsed(raw="", kind=Kind.EMPTY)
    if isinstance(text, bool):
        raise InputError.one(where, "真偽値は値として使えません", "a boolean is not a value", str(text))
    if isinstance(text, (int, Decimal)):
        number = Decimal(text)
        if not number.is_finite():
            raise _not_understood(where, str(text))
        return Parsed(raw=str(text), kind=Kind.NUMBER, number=number)
    if isinstance(text, float):
        # A JSON or Excel number: its shortest repr is the decimal the user wrote (0.1, not 0.1000000000000000055…).
        if text != text or text in (float("inf"), float("-inf")):
            raise _not_understood(where, repr(text))
        return Parsed(raw=repr(text), kind=Kind.NUMBER, number=Decimal(repr(text)))
    raw = str(text)
    try:
        return _text_parsed(raw, qualitative)
    except InputError:  # said again with its place: a refused text is not kept
        return _parse_text(raw, where, qualitative)


@lru_cache(maxsize=1 << 16)
def _text_parsed(raw: str, qualitative: bool) -> Parsed:
    """The same cell text is read many times (a plan's published copy is read back from its document,
    every year a target repeats): a ``Parsed`` is immutable, so one reading serves them all."""
    return _parse_text(raw, "", qualitative)


def _parse_text(raw: str, where: str, qualitative: bool) -> Parsed:
    if len(raw) > MAX_TEXT_LENGTH:
        raise InputError.one(
            where, f"値が長すぎます（{MAX_TEXT_LENGTH}文字まで）", f"value too long (max {MAX_TEXT_LENGTH})", raw[:40] + "…"
        )
    if has_control_characters(raw):
        raise InputError.one(where, "制御文字が含まれています", "contains control characters", raw[:40])
    plain = _PLAIN_NUMBER.match(raw)
    if plain and not qualitative:  # the common case, 「3797」 or 「12.8」, without the general grammar
        return Parsed(raw=raw, kind=Kind.NUMBER, number=Decimal(plain.group(1)))
    normal = nfkc(raw)
    if _SPACED_DIGITS.search(normal):
        raise InputError.one(where, "数字の間に空白があります", "spaces between digits", raw)
    s = _WHITESPACE.sub("", normal)
    if s == "" or is_dash(s):
        return Parsed(raw=raw, kind=Kind.EMPTY)
    if s in _PENDING_WORDS:
        return Parsed(raw=raw, kind=Kind.PENDING)
    pending = _PENDING.match(s)
    if pending:
        return Parsed(raw=raw, kind=Kind.PENDING, expected=_expected(pending))
    if _UNMEASURABLE.match(s):
        return Parsed(raw=raw, kind=Kind.UNMEASURABLE)
    if s in _NO_RESULT:
        return Parsed(raw=raw, kind=Kind.NO_RESULT, number=Decimal(0))
    relative = _RELATIVE.match(s) or _YEAR_RELATIVE.match(s)
    if relative:
        return _relative(raw, relative)
    if _MAINTAIN.match(s):
        return Parsed(raw=raw, kind=Kind.RELATIVE, relative_to="baseline")
    trend = _TREND.match(s)
    if trend:
        way = "increase" if trend.group("dir") in ("増加", "上昇") else "decrease"
        return Parsed(raw=raw, kind=Kind.RELATIVE, relative_to="baseline", trend=way)
    if qualitative:
        return Parsed(raw=raw, kind=Kind.TEXT, text=raw.strip())
    return _number(raw, s, where)


def _expected(m: re.Match[str]) -> str | None:
    if m.group("y"):
        year, month = int(m.group("y")), m.group("m")
    elif m.group("era"):
        n = 1 if m.group("n") == "元" else int(m.group("n"))
        year, month = era_to_year(m.group("era"), n), m.group("em")
    else:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= int(month) <= 12:
        return None
    return f"{year:04d}-{int(month):02d}"


def _relative(raw: str, m: re.Match[str]) -> Parsed:
    groups = m.groupdict()
    if groups.get("y"):
        ref = m.group("y")
    elif groups.get("era"):
        ref = str(era_to_year(m.group("era"), 1 if m.group("n") == "元" else int(m.group("n"))))
    else:
        ref = "previous" if m.group("ref") in ("前年度", "前年") else "baseline"
    direction = m.group("dir")
    bound = Bound.MAX if direction in ("以下", "減", "減少", "削減") else Bound.MIN
    pct = Decimal(m.group("pct")) if m.group("pct") else None
    if pct is not None and bound is Bound.MAX:
        pct = -pct
    return Parsed(raw=raw, kind=Kind.RELATIVE, bound=bound, relative_to=ref, relative_change=pct)


def _number(raw: str, s: str, where: str) -> Parsed:
    flags: dict[str, object] = {}
    marks: list[str] = []
    labels: list[str] = []
    changed = True
    while changed and s:
        changed = False
        for pattern, name in _SUFFIXES:
            m = pattern.search(s)
            if m and m.start() > 0:
                if name == "mark":
                    marks.insert(0, m.group(0).replace("*", "※"))
                elif name == "label":
                    labels.insert(0, m.group(0))
                else:
                    flags[name] = True
                s = s[: m.start()]
                changed = True
                break
    changed = True
    while changed and s:
        changed = False
        for pattern, name in _PREFIXES:
            m = pattern.match(s)
            if m and m.end() < len(s):
                flags[name] = True
                s = s[m.end() :]
                changed = True
                break
    m = _AMOUNT.match(s)
    if not m or not m.group("groups"):
        raise _not_understood(where, raw)
    groups = m.group("groups")
    unit = m.group("unit")
    total = Decimal(0)
    scale = 0
    position = 0
    last_multiplier = 99
    places = 0
    for g in _GROUP.finditer(groups):
        if g.start() != position:
            raise _not_understood(where, raw)
        position = g.end()
        digits, multiplier = g.group(1), g.group(2)
        exponent = MULTIPLIERS.get(multiplier, 0)
        if exponent >= last_multiplier:
            raise InputError.one(where, "万・億・兆の順序が正しくありません", "万/億/兆 out of order", raw)
        last_multiplier = exponent
        integer_part = digits.split(".")[0].replace(",", "")
        if len(integer_part) > MAX_INTEGER_DIGITS:
            raise InputError.one(where, "数値が大きすぎます", "number too large", raw[:40])
        try:
            total += Decimal(digits.replace(",", "")).scaleb(exponent)
        except InvalidOperation:  # pragma: no cover - the regex admits only digits
            raise _not_understood(where, raw) from None
        if multiplier:
            scale = exponent
        places = len(digits.partition(".")[2])
    if position != len(groups):
        raise _not_understood(where, raw)
    if unit[:1] in (",", "."):
        raise InputError.one(
            where,
            "桁区切りのカンマまたは小数点の位置が正しくありません（例: 1,234.5）",
            "misplaced thousands separator or decimal point",
            raw,
        )
    if unit and (_EXPONENT.match(unit) or not (_UNIT.match(unit) and _UNIT_DIGIT_AFTER_LETTER.match(unit))):
        raise InputError.one(
            where,
            f"単位「{unit}」を解釈できません",
            f"unit '{unit}' not understood",
            raw,
        )
    if unit in MULTIPLIERS:
        raise _not_understood(where, raw)
    sign = m.group("sign")
    if sign in ("-", "▲", "△"):
        total = -total
    return Parsed(
        raw=raw,
        kind=Kind.NUMBER,
        number=total,
        unit=unit,
        scale=scale,
        places=places,
        bound=_bound(flags),
        approx=bool(flags.get("approx")),
        per_year=bool(flags.get("per_year")),
        cumulative=bool(flags.get("cumulative")),
        estimate=bool(flags.get("estimate")),
        provisional=bool(flags.get("provisional")),
        marks=tuple(marks),
        labels=tuple(labels),
    )


def _bound(flags: dict[str, object]) -> Bound | None:
    for name, bound in (("min", Bound.MIN), ("max", Bound.MAX), ("above", Bound.ABOVE), ("below", Bound.BELOW)):
        if flags.get(name):
            return bound
    return None


def _not_understood(where: str, raw: str) -> InputError:
    hint = ""
    if _LOOSE_DIGITS.match(compact(raw)) is None and not re.search(r"\d", compact(raw)):
        hint = "（数値がありません）"
    return InputError.one(
        where,
        f"数値として解釈できません{hint}。例: 「3,797」「５万人」「35兆3,716億円」「90％以上」「2026年９月頃把握予定」「―※」",
        "not understood as a number",
        raw,
    )


# Units and counter words (助数詞) that values may carry besides their indicator's own unit.
# A unit outside this list that differs from the indicator's unit is an error: 「12 ぐらい」
# must not pass as the number 12 in a unit called 「ぐらい」.
KNOWN_UNITS = frozenset(
    [
        "%",
        "件",
        "人",
        "名",
        "者",
        "回",
        "度",
        "円",
        "社",
        "団体",
        "企業",
        "法人",
        "事業所",
        "事業者",
        "経営体",
        "店舗",
        "施設",
        "拠点",
        "箇所",
        "か所",
        "カ所",
        "ヶ所",
        "個所",
        "地区",
        "団地",
        "公園",
        "駅",
        "路線",
        "河川",
        "海岸",
        "市町村",
        "自治体",
        "校",
        "園",
        "人泊",
        "人日",
        "世帯",
        "戸",
        "棟",
        "軒",
        "床",
        "席",
        "組",
        "チーム",
        "台",
        "本",
        "枚",
        "冊",
        "部",
        "点",
        "倍",
        "日",
        "週",
        "月",
        "年",
        "歳",
        "時間",
        "分",
        "秒",
        "ページ",
        "PV",
        "クリック",
        "フォロワー",
        "帳票",
        "手続",
        "産地",
        "件数",
        "人数",
        "回数",
        "品目",
        "種",
        "種類",
        "品",
        "頭",
        "匹",
        "羽",
        "隻",
        "機",
        "基",
        "区間",
        "区画",
        "ha",
        "a",
        "km",
        "m",
        "m2",
        "m3",
        "km2",
        "L",
        "kL",
        "t",
        "トン",
        "kg",
        "g",
        "kW",
        "kWh",
        "MW",
        "MWh",
        "GWh",
        "トンCO2",
        "t-CO2",
        "tCO2",
        "ポイント",
        "pt",
        "位",
        "割",
        "％",
    ]
)


@lru_cache(maxsize=4096)  # a plan has a few dozen units, read for every figure printed or compared
def parse_unit(unit: str | None) -> tuple[int, str]:
    """An indicator's unit split into its multiplier and base unit: 「万人」 → (4, 「人」)."""
    if not unit:
        return 0, ""
    u = compact(unit)
    for multiplier, exponent in MULTIPLIERS.items():
        if u.startswith(multiplier) and len(u) > 1:
            return exponent, u[1:]
    if u in MULTIPLIERS:
        return MULTIPLIERS[u], ""
    return 0, u


def with_status_removed(parsed: Parsed) -> Parsed:
    """The same value without its 見込値/概数 qualifiers (they live in the status)."""
    return replace(parsed, estimate=False, provisional=False)
