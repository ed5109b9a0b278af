"""Headlines: one line, no dateline, cut at a clause boundary within the word limit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from transforms.summarise.headline import headline


def test_headline_cuts_dateline_and_relative_clause() -> None:
    text = ("HONG KONG and LONDON -- Chinese President Xi Jinping departed Moscow on Wednesday after two days of "
            "meetings with Russian President Vladimir Putin, in which the two presented a united front.")
    assert headline(text, 18) == ("Chinese President Xi Jinping departed Moscow on Wednesday after two days of meetings "
                                  "with Russian President Vladimir Putin")
    assert headline(text, 12) == "Chinese President Xi Jinping departed Moscow on Wednesday after two days"
    assert headline("Talks resume in Geneva.", 18) == "Talks resume in Geneva"


@given(st.text(min_size=1, max_size=300).filter(lambda t: t.strip()), st.integers(min_value=3, max_value=25))
def test_headline_is_one_nonempty_line_within_limit(text: str, limit: int) -> None:
    line = headline(text, limit)
    assert "\n" not in line and len(line.split()) <= limit
