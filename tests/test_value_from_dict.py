"""A single value is checked exactly as in a plan file, with the place named."""

from __future__ import annotations

from decimal import Decimal

import pytest

from hyoka.core.errors import InputError
from hyoka.core.model import Status
from hyoka.formats.hyoka1 import value_from_dict


def test_full_width_digits_and_units_are_understood() -> None:
    v = value_from_dict({"value": "３，７９７ 施設"}, "x")
    assert v.number == Decimal(3797) and v.status is Status.CONFIRMED


def test_the_text_decides_the_status_when_none_is_given() -> None:
    v = value_from_dict({"value": "2026年９月頃把握予定"}, "x")
    assert v.status is Status.PENDING and v.expected == "2026-09"


def test_bad_values_name_the_place() -> None:
    with pytest.raises(InputError) as e:
        value_from_dict({"value": "たくさん", "status": "confirmed"}, "1-3-1-k1.values.2025")
    assert e.value.problems[0].where == "1-3-1-k1.values.2025.value"


def test_a_pending_value_with_a_figure_is_refused() -> None:
    with pytest.raises(InputError):
        value_from_dict({"value": "120", "status": "pending", "expected": "2026-09"}, "x")
