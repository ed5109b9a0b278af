"""Quotation mark pairing: straight/curly marks, stray closing marks, quotes over paragraphs, linear time."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.claims.quotes import QUOTE_JOINER, find_quotes, inner_text


def quotes(text: str) -> list[str]:
    return [inner_text(text, q) for q in find_quotes(text)]


def test_curly_and_straight_marks() -> None:
    assert quotes('“Curly one,” she said. "Straight one," he said.') == ["Curly one,", "Straight one,"]


def test_stray_closing_mark_does_not_swallow_following_text() -> None:
    text = "They signed aNo limits” partnership when Putin visited Xi. Later “Both sides agree,” Xi said."
    assert quotes(text) == ["Both sides agree,"]


def test_split_quote_gives_both_parts() -> None:
    assert quotes("“Look, plant seeds,” Putin said, “they give a harvest.”") == ["Look, plant seeds,", "they give a harvest."]


def test_quote_over_paragraphs_joins_segments() -> None:
    text = "“First paragraph of the quote.\n\n“Second paragraph,” she said."
    assert quotes(text) == ["First paragraph of the quote." + QUOTE_JOINER + "Second paragraph,"]


def test_unclosed_quote_is_dropped_at_paragraph_end() -> None:
    assert quotes("He said “this never closes.\n\nA new paragraph.") == []


def test_brackets_and_ellipsis_inside() -> None:
    assert quotes('"It is [for China] a plan ... at all," he said.') == ["It is [for China] a plan ... at all,"]


@given(st.text(alphabet=st.sampled_from(list('ab “”"\n.,')), max_size=300))
@settings(max_examples=200, deadline=None)
def test_spans_are_ordered_and_inside_text(text: str) -> None:
    found = find_quotes(text)
    assert all(0 <= q.open < q.close < len(text) for q in found)
    assert all(a.close < b.open for a, b in zip(found, found[1:]))
    assert all(text[s:e] for q in found for s, e in q.segments)


def test_linear_time_on_many_marks() -> None:
    started = time.perf_counter()
    for text in ("“" * 10_000, "”" * 10_000, '"' * 10_000, "“a” " * 10_000, "x “" * 10_000):
        find_quotes(text)
    assert time.perf_counter() - started < 2.0


def test_a_quotation_nested_in_another_stays_inside_it() -> None:
    assert quotes('"I will read the question: “Do you agree?” Sixty, yes."') == [
        "I will read the question: “Do you agree?” Sixty, yes."]
    assert quotes("“I’d sooner stay in what he calls “the swamp” than move.” ― Ada Cruz") == [
        "I’d sooner stay in what he calls “the swamp” than move."]
    # a second opening mark the paragraph does not close twice: the first quote was never closed
    assert quotes("“Unclosed start. He said “this” and left.") == ["this"]


def test_a_quote_continues_into_the_next_paragraph_only_in_its_own_style() -> None:
    text = '"Laura thought the whole plan was absurd.\n\n“It never crossed my mind,” she said.'
    assert quotes(text) == ["It never crossed my mind,"]
    assert quotes("“First part.\n\n“Second part,” she said.") == [f"First part.{QUOTE_JOINER}Second part,"]
