from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.transforms.dedup.conftest import ORIGINAL, UNRELATED, frame
from transforms.dedup.config import DedupConfig
from transforms.dedup.furniture import story_text
from transforms.dedup.signatures import document_signatures
from transforms.dedup.stories import story_similarities

PAYWALL = ("Subscribe today for unlimited access to our journalism. Sign up for our newsletter and never miss a "
           "story. We use cookies to improve your experience on our website. Copyright 2024 Portmere Gazette. "
           "All rights reserved.")


def test_inline_sign_up_cookie_and_copyright_sentences_are_left_out():
    body = "The council voted on Tuesday to approve the bridge. Work will start in 2025."
    assert story_text(f"{body} {PAYWALL}") == body


def test_news_sentences_that_name_writers_videos_or_photos_are_kept():
    text = ("The song was written by Lionel Ritchie and produced by Quincy Jones. Portable video players were "
            "a niche product, the analyst said. The photo was taken in Vienna.")
    assert story_text(text) is text


def test_a_text_that_is_only_furniture_is_returned_unchanged():
    assert story_text(PAYWALL) is PAYWALL


def test_shared_furniture_does_not_make_two_stories_one():
    a, b = f"{ORIGINAL}\n{PAYWALL}", f"{UNRELATED}\n{PAYWALL}"
    with_furniture = story_similarities([a], [b], replace(DedupConfig(), story_drop_furniture=False))[0]
    without = story_similarities([a], [b])[0]
    assert without < with_furniture
    assert abs(without - story_similarities([ORIGINAL], [UNRELATED])[0]) < 0.05


def test_copy_signatures_still_read_the_furniture():
    sig = document_signatures(frame({"a": f"{ORIGINAL}\n{PAYWALL}", "b": ORIGINAL}))
    assert sig["text_hash"].iat[0] != sig["text_hash"].iat[1]
    assert np.array_equal(sig["bag_keys"].iat[0], sig["bag_keys"].iat[1])


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="abcAB .!?\n©:|", max_size=120))
def test_story_text_only_removes_whole_sentences(text):
    out = story_text(text)
    assert out is text or set(out.split()) <= set(text.split())


_WORDS = ["Sign", "up", "Subscribe", "Related", "Read", "more", "the", "council", "voted", "We", "use", "cookies",
          "Advertisement", "Follow", "us", "on", "Copyright", "2024", "\u00a9", "said", "Tuesday", ":", "|"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8),
                          st.sampled_from([". ", "! ", "\n", " ", ".\n"])), max_size=8))
def test_the_quick_gate_never_skips_a_text_with_furniture(parts):
    from transforms.boilerplate_rules import furniture_rule
    from transforms.dedup.furniture import _SENTENCE_RE

    text = "".join(" ".join(words) + end for words, end in parts)
    sentences = [s for s in _SENTENCE_RE.split(text) if s.strip()]
    kept = [s for s in sentences if furniture_rule(s) is None]
    slow = text if len(kept) == len(sentences) or not kept else " ".join(kept)
    assert story_text(text) == slow


def test_a_label_alone_on_its_line_is_seen_by_the_quick_gate():
    assert story_text("Related\nSign. ") == "Sign. "
    assert story_text("The council voted.\nRelated\nThe mayor said so.") == "The council voted. The mayor said so."
