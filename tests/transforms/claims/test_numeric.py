"""Numeric claims: values and units normalised; years, dates and ordinals skipped."""

from __future__ import annotations

import pytest

from transforms.claims.numeric import find_numbers


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("deliver 98 billion cubic meters of gas", 9.8e10, "cubic meters"),
    ("cuts of 500,000 barrels per day", 5e5, "barrels per day"),
    ("gas at a 70% discount", 70, "percent"),
    ("four and a half hours of talks", 4.5, "hours"),
    ("met more than 40 times", 40, "times"),
    ("just 24 percent of donors", 24, "percent"),
    ("gave $200 or less", 200, "dollars"),
    ("3.5 million people", 3.5e6, "people"),
])
def test_value_and_unit(text: str, value: float, unit: str) -> None:
    found = find_numbers(text)
    assert [(f.value, f.unit) for f in found][:1] == [(pytest.approx(value), unit)]
    assert text[found[0].start : found[0].end]


@pytest.mark.parametrize("text", [
    "in 2019 and by 2030", "on March 21, 2023", "the 75th anniversary", "the Power of Siberia 2 pipeline",
    "one of the best", "at 10:30 on Monday",
])
def test_not_numeric_claims(text: str) -> None:
    assert find_numbers(text) == []
