"""The value parser: what people type and what reports print, as exact numbers or clear errors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hyoka.core.errors import InputError
from hyoka.core.text import fullwidth_digits
from hyoka.core.values import Bound, Kind, parse_unit, parse_value

EXAMPLES = [
    # text, number, unit, extra checks
    ("2,609万人泊", "26090000", "人泊", {"scale": 4}),
    ("35 兆 3,716 億円", "35371600000000", "円", {"scale": 8}),
    ("１兆 1,896 億円", "1189600000000", "円", {}),
    ("4.31億円", "431000000", "円", {}),
    ("５万人", "50000", "人", {}),
    ("３,７９７ 施設", "3797", "施設", {}),
    ("１，２３４件", "1234", "件", {}),
    ("21,000 件 以下", "21000", "件", {"bound": Bound.MAX}),
    ("90％以上", "90", "%", {"bound": Bound.MIN}),
    ("500件以上", "500", "件", {"bound": Bound.MIN}),
    ("約1,700件", "1700", "件", {"approx": True}),
    ("約19万件", "190000", "件", {"approx": True}),
    ("年間12,500時間", "12500", "時間", {"per_year": True}),
    ("75,000件/年", "75000", "件", {"per_year": True}),
    ("10,000人(累計)", "10000", "人", {"cumulative": True}),
    ("０件", "0", "件", {}),
    ("0.0%", "0.0", "%", {}),
    ("99.90%", "99.90", "%", {}),
    ("＋495 人", "495", "人", {}),
    ("-436 人", "-436", "人", {}),
    ("−250.0％", "-250.0", "%", {}),
    ("△436人", "-436", "人", {}),
    ("176.0 万 kW", "1760000", "kW", {}),
    ("117 トン CO２", "117", "トンCO2", {}),
    ("5,357 人 (見込値)※", "5357", "人", {"estimate": True, "marks": ("※",)}),
    ("548,646 件 (見込値）※1", "548646", "件", {"estimate": True, "marks": ("※1",)}),
    ("1.08（概数※）", "1.08", "", {"provisional": True}),
    ("１公園※", "1", "公園", {"marks": ("※",)}),
    ("242,000 \nフォロワー", "242000", "フォロワー", {}),
]


@pytest.mark.parametrize(("text", "number", "unit", "extra"), EXAMPLES)
def test_printed_values(text, number, unit, extra):
    p = parse_value(text)
    assert p.kind is Kind.NUMBER
    assert p.number == Decimal(number) and str(p.number) == str(Decimal(number))
    assert p.unit == unit
    for key, value in extra.items():
        assert getattr(p, key) == value, key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026 年９月頃把握予定", "2026-09"),
        ("2025 年 10 月 頃把握予定", "2025-10"),
        ("2027 年３月頃 把握予定", "2027-03"),
        ("令和８年９月頃把握予定", "2026-09"),
        ("※実績は令和８年度中に把握予定", "2026"),
        ("把握予定", None),
        ("集計中", None),
        ("※", None),
    ],
)
def test_pending_with_expected_date(text, expected):
    p = parse_value(text)
    assert p.kind is Kind.PENDING and p.expected == expected and p.number is None


@pytest.mark.parametrize("text", ["―※", "-※", "―※1", "測定不能", "把握不可"])
def test_unmeasurable(text):
    assert parse_value(text).kind is Kind.UNMEASURABLE


@pytest.mark.parametrize("text", ["", "   ", "―", "-", "－", "—"])
def test_empty_cells(text):
    assert parse_value(text).kind is Kind.EMPTY


def test_no_result_counts_as_zero_but_says_so():
    p = parse_value("実績なし")
    assert p.kind is Kind.NO_RESULT and p.number == 0


def test_qualitative_values_are_text():
    for text in ("実施", "運用開始", "次期システム調達完了", "10月から軽油引取税電子申告開始"):
        p = parse_value(text, qualitative=True)
        assert p.kind is Kind.TEXT and p.text == text
    assert parse_value("2026年９月頃把握予定", qualitative=True).kind is Kind.PENDING


def test_relative_targets():
    p = parse_value("策定時実績値以上")
    assert p.kind is Kind.RELATIVE and p.relative_to == "baseline" and p.bound is Bound.MIN
    p = parse_value("前年度比5%向上")
    assert p.relative_to == "previous" and p.relative_change == Decimal(5)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("実施", "数値として解釈できません"),
        ("abc", "数値として解釈できません"),
        ("NaN", "数値として解釈できません"),
        ("Infinity", "数値として解釈できません"),
        ("1e5", "単位「e5」を解釈できません"),
        ("1,23", "カンマ"),
        ("12.3.4", "カンマまたは小数点"),
        ("1 2 3", "数字の間に空白"),
        ("３兆５億万", "数値として解釈できません"),
        ("５億３兆円", "万・億・兆の順序"),
        ("10月から軽油引取税電子申告開始", "単位"),
        ("1" * 40, "大きすぎます"),
        ("12\x00", "制御文字"),
    ],
)
def test_errors_name_the_text(text, fragment):
    with pytest.raises(InputError) as e:
        parse_value(text, where="Sheet1!C7")
    message = str(e.value)
    assert fragment in message
    assert message.startswith("Sheet1!C7")


def test_floats_become_the_decimal_that_was_written_and_bools_are_refused():
    assert str(parse_value(0.1).number) == "0.1"
    assert str(parse_value(1e-7).number) == "1E-7"
    with pytest.raises(InputError):
        parse_value(float("nan"))
    with pytest.raises(InputError):
        parse_value(True)


def test_units_with_multipliers():
    assert parse_unit("万人") == (4, "人")
    assert parse_unit("億円") == (8, "円")
    assert parse_unit("件") == (0, "件")
    assert parse_unit("万") == (4, "")


# --- properties ---------------------------------------------------------------------------------

amounts = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=3, allow_nan=False, allow_infinity=False)
units = st.sampled_from(["", "件", "人", "%", "施設", "人泊", "PV", "kW", "事業者"])


def grouped(value: Decimal) -> str:
    text = f"{abs(value):,f}"
    return ("-" if value < 0 else "") + text


@given(amounts, units, st.booleans(), st.booleans())
def test_any_printed_number_round_trips_exactly(value, unit, full_width, spaced):
    text = grouped(value) + (" " if spaced and unit else "") + unit
    if full_width:
        text = fullwidth_digits(text).replace(",", "，")
    p = parse_value(text)
    assert p.number == value
    assert p.unit == (unit.replace("％", "%"))


@given(st.integers(min_value=0, max_value=9999), st.integers(min_value=0, max_value=9999), st.integers(min_value=1, max_value=99))
def test_japanese_multipliers_add_up(man, oku, cho):
    text = f"{cho}兆{oku:,}億{man:,}万円"
    assert parse_value(text).number == cho * 10**12 + oku * 10**8 + man * 10**4


@given(st.text(max_size=30))
def test_arbitrary_text_is_a_result_or_a_clear_error_never_a_silent_zero(text):
    try:
        p = parse_value(text, where="x")
    except InputError as e:
        assert e.problems and e.problems[0].where == "x"
        return
    if p.kind is Kind.NUMBER and p.number == 0:
        assert any(ch in "0０" for ch in text)


@pytest.mark.parametrize("text", ["abc", "12 34件", "１万２億"])
def test_a_text_read_before_names_the_place_of_each_reading(text: str) -> None:
    """A cell's reading is kept for the next cell with the same text: a refusal still names each cell's own place."""
    for where in ("indicators[k1].values.2024.value", "Sheet1!C7"):
        with pytest.raises(InputError) as e:
            parse_value(text, where=where)
        assert e.value.problems[0].where == where


def test_a_text_read_again_is_understood_the_same_way() -> None:
    first = parse_value("約1,234件以上", where="a")
    assert parse_value("約1,234件以上", where="b") == first
    assert first.kind is Kind.NUMBER and parse_value("約1,234件以上", qualitative=True).kind is Kind.TEXT  # a statement there
    assert parse_value("運用開始", qualitative=True).kind is Kind.TEXT
    with pytest.raises(InputError):
        parse_value("運用開始")  # the same text on a numeric indicator is not a number
