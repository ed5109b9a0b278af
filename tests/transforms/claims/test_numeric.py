"""Numeric claims: values, canonical units and qualifiers; the clause that states them; non-claims skipped."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.transforms.claims.frames import frames
from transforms.claims import extract_claims
from transforms.claims.numeric import QUALIFIERS, UNITS, canonical_unit, claim_clause, find_numbers, singular


@pytest.mark.parametrize(("text", "value", "unit", "span"), [
    ("deliver 98 billion cubic meters of gas", 9.8e10, "cubic meter", "98 billion cubic meters"),
    ("cuts of 500,000 barrels per day", 5e5, "barrel per day", "500,000 barrels per day"),
    ("gas at a 70% discount", 70, "percent", "70%"),
    ("four and a half hours of talks", 4.5, "hour", "four and a half hours"),
    ("met more than 40 times", 40, "times", "40 times"),
    ("just 24 percent of donors", 24, "percent", "24 percent"),
    ("just 24 per cent of donors", 24, "percent", "24 per cent"),
    ("gave $200 or less", 200, "dollar", "$200"),
    ("3.5 million people", 3.5e6, "person", "3.5 million people"),
    ("the firm lost £5m in a year", 5e6, "pound", "£5m"),
    ("ran for 5 secs", 5, "second", "5 secs"),
    ("sold 300,000 homes", 3e5, "home", "300,000 homes"),
    ("a 2,000-mile pipeline", 2000, "mile", "2,000-mile"),
    ("a 12-point peace plan", 12, "point", "12-point"),
])
def test_value_unit_and_span(text: str, value: float, unit: str, span: str) -> None:
    found = find_numbers(text)
    assert [(f.value, f.unit) for f in found][:1] == [(pytest.approx(value), unit)]
    assert text[found[0].start : found[0].end] == span


@pytest.mark.parametrize(("text", "qualifier"), [
    ("committed to at least 98 billion cubic meters", "at_least"),
    ("committed to no less than 98 billion cubic meters", "at_least"),
    ("sold less than 98 billion cubic meters", "less_than"),
    ("met more than 40 times", "more_than"),
    ("no more than 40 times", "at_most"),
    ("about 500 jobs", "about"),
    ("up to 500 jobs", "up_to"),
    ("500 jobs", None),
])
def test_qualifier(text: str, qualifier: str | None) -> None:
    assert [f.qualifier for f in find_numbers(text)] == [qualifier]


@pytest.mark.parametrize("text", [
    "in 2019 and by 2030", "on March 21, 2023", "the 75th anniversary", "the Power of Siberia 2 pipeline",
    "one of the best", "at 10:30 on Monday", "an interview for the 60 Minutes show",
    "during a two-day official visit", "greeted by a 21-gun salute", "Xi's three-day visit began",
    "a 45-year-old man", "the man, aged 45, said", "John Smith, 45, said", "he is 70 years old",
    "after two days of meetings", "three weeks after the talks", "amid two years of war",
    "over the 2 days of conferences", "the two countries' trade", "in addition to the 2 countries' alignment",
])
def test_not_numeric_claims(text: str) -> None:
    assert find_numbers(text) == []


def test_units_are_canonical_and_singular() -> None:
    assert canonical_unit("Barrels a day") == "barrel per day"
    assert {canonical_unit(u) for u in ("years", "year", "yrs")} == {"year"}
    assert {canonical_unit(u) for u in ("secs", "seconds", "second")} == {"second"}
    assert {canonical_unit(u) for u in ("per cent", "percent")} == {"percent"}
    assert singular("companies") == "company" and singular("boxes") == "box" and singular("people") == "person"
    # one canonical spelling per unit: no canonical unit is another's plural
    canon = set(UNITS.values())
    assert not {u for u in canon if u != "times" and singular(u) != u and singular(u) in canon}


def test_qualifier_values_are_the_documented_set() -> None:
    assert set(QUALIFIERS.values()) == {"at_least", "more_than", "less_than", "at_most", "about", "up_to"}


def test_numeric_claim_text_is_its_sentence_with_the_number_apart() -> None:
    text = "Putin committed to deliver at least 98 billion cubic meters of gas a year to China by 2030."
    docs, sents = frames({"a": text})
    num = extract_claims(docs, sents).query("claim_type == 'numeric'")
    assert len(num) == 1
    row = num.iloc[0]
    assert row["text"] == text and text[row["char_start"] : row["char_end"]] == row["text"]
    assert row["value_text"] == "98 billion cubic meters" == text[row["value_start"] : row["value_end"]]
    assert (row["value"], row["unit"], row["qualifier"]) == (9.8e10, "cubic meter", "at_least")


def test_two_numbers_in_one_sentence_are_two_claims() -> None:
    docs, sents = frames({"a": "Sales rose 5% to 300,000 cars."})
    num = extract_claims(docs, sents).query("claim_type == 'numeric'")
    assert num["value_text"].tolist() == ["5%", "300,000 cars"] and num["claim_id"].is_unique


def test_long_sentence_gives_the_clause_holding_the_number() -> None:
    text = ("The government, which has faced criticism from unions and opposition parties for months over its "
            "handling of the economy and the health service, said on Monday that it would spend an extra "
            "£2bn on hospitals; the opposition said the money came too late and would not reach patients "
            "before the winter, when waiting lists are at their longest.")
    a, b = claim_clause(text, 0, len(text), text.index("£2bn"), text.index("£2bn") + 4)
    assert "£2bn on hospitals" in text[a:b] and len(text[a:b]) < len(text) and "opposition said" not in text[a:b]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.%$£-abcdefmnorstuyABC;:")), max_size=120))
def test_spans_are_inside_the_clause_and_the_clause_inside_the_text(text: str) -> None:
    for f in find_numbers(text):
        assert 0 <= f.start < f.end <= len(text)
        a, b = claim_clause(text, 0, len(text), f.start, f.end)
        assert a <= f.start and f.end <= b
