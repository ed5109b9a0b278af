"""The summaries suite passes the stage's own output and fails frames that break its rules."""

from __future__ import annotations

from datetime import date

import pandas as pd

from newsflow.validation import SuiteContext, Validator
from tests.transforms.summarise.frames import frames, stories_frame
from transforms.summarise import summarise_documents, summarise_stories

TEXTS = {
    "a": "Russia agreed on Tuesday to sell more gas to China, officials said.\n\nThe deal makes China the largest buyer.",
    "b": "Xi Jinping promised closer ties with Russia at a Kremlin summit on Monday.\n\nPutin praised the talks.",
    "c": "Floods closed roads across northern Italy on Sunday after heavy rain.",
}


def _context_and_summaries() -> tuple[SuiteContext, pd.DataFrame]:
    story = {"a": "S1", "b": "S1", "c": "S2"}
    docs, sents = frames(TEXTS, story=story)
    stories = stories_frame(story)
    summaries = pd.concat([summarise_documents(docs, sents), summarise_stories(docs, sents, stories)],
                          ignore_index=True)
    return SuiteContext(date(2026, 11, 22), {"documents": docs, "sentences": sents, "stories": stories}), summaries


def test_summaries_suite_passes_good_and_fails_bad(validator: Validator) -> None:
    ctx, summaries = _context_and_summaries()
    assert validator.validate("summaries", summaries, ctx).success
    bad = summaries.copy()
    bad.at[0, "sentence_ids"] = ["b-s0000"]  # cites another document's sentence
    bad.at[1, "summary"] = " "
    bad.at[len(bad) - 1, "headline"] = None
    report = validator.validate("summaries", bad, ctx)
    assert not report.success
    failed = " ".join(f.describe() for f in report.failures)
    assert "check_cited_in_scope" in failed and "check_summary_not_blank" in failed and "check_story_headline" in failed
    missing = validator.validate("summaries", summaries.iloc[1:], ctx)
    assert not missing.success  # a document without a summary
