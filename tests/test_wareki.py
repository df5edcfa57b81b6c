"""Japanese era years: 令和6年度 ⇄ 2024."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hyoka.core.errors import InputError
from hyoka.core.wareki import parse_year, short_wareki, to_wareki


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2024", 2024),
        ("2024年度", 2024),
        ("２０２４年度", 2024),
        ("令和6年度", 2024),
        ("令和６年度", 2024),
        ("R6", 2024),
        ("r6", 2024),
        ("令和元年", 2019),
        ("平成31年度", 2019),
        ("H30", 2018),
        ("FY2025", 2025),
        (2031, 2031),
    ],
)
def test_parse_year(text, year):
    assert parse_year(text) == year


@pytest.mark.parametrize("text", ["20x", "令和", "R0", "1800", "二〇二四", ""])
def test_bad_years_name_the_place(text):
    with pytest.raises(InputError) as e:
        parse_year(text, "実績値!B1")
    assert str(e.value).startswith("実績値!B1")


def test_to_wareki():
    assert to_wareki(2024) == "令和６年度"
    assert to_wareki(2019, fiscal=False) == "令和元年"
    assert to_wareki(2018, full_width=False) == "平成30年度"
    assert short_wareki(2024) == "R6"


@given(st.integers(min_value=1927, max_value=2100))
def test_round_trip(year):
    assert parse_year(to_wareki(year)) == year
    assert parse_year(short_wareki(year)) == year
