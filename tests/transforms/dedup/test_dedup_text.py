import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tests.transforms.dedup.conftest import ORIGINAL, spin
from transforms.dedup.text import TokenHasher, analyse, ngram_hashes, text_hash, token_hash


def test_anchors_are_names_and_numbers_not_sentence_initial_words():
    f = analyse("Officials in Portmere said on Tuesday that 45 people left. Residents stayed with Ana Ruiz.")
    assert f.anchors == ["Portmere", "Tuesday", "45", "Ana", "Ruiz"]


def test_spinning_keeps_anchors_and_most_skeletons():
    a, b = analyse(ORIGINAL), analyse(spin(ORIGINAL))
    assert a.anchors == b.anchors
    assert len(set(a.skeletons) & set(b.skeletons)) >= len(a.skeletons) // 2
    assert a.quotes == b.quotes and len(a.quotes) == 2


def test_words_and_text_hash_ignore_case_and_spacing():
    assert text_hash(analyse("The  cat, sat.").words) == text_hash(analyse("the cat sat").words)
    assert text_hash(analyse("the cat sat").words) != text_hash(analyse("the cat sat down").words)


def test_token_hash_is_content_only_and_stable():
    assert token_hash("bridge") == token_hash("bridge") == TokenHasher()(["x", "bridge"])[1]
    assert token_hash("bridge") == 2793564478624239598  # pinned: no per-process salt, so signatures can be cached


@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=12), st.integers(1, 5))
def test_ngram_hashes_are_sorted_unique_and_deterministic(tokens, n):
    h = TokenHasher()(tokens)
    g = ngram_hashes(h, n)
    assert np.all(g[1:] > g[:-1])
    assert np.array_equal(g, ngram_hashes(TokenHasher()(tokens), n))
    assert len(g) <= max(1, len(tokens) - n + 1) if tokens else len(g) == 0


@given(st.lists(st.integers(0, 40), max_size=60))
def test_sorted_unique_and_unique_counts_equal_numpy_unique(values):
    from transforms.dedup.text import sorted_unique, unique_counts

    a = np.array(values, dtype=np.uint64)
    assert np.array_equal(sorted_unique(a), np.unique(a))
    keys, counts = unique_counts(a)
    want_keys, want_counts = np.unique(a, return_counts=True)
    assert np.array_equal(keys, want_keys) and np.array_equal(counts, want_counts)


@given(st.text(alphabet="ab XyZ Putin Xi Moscow visit to in said.\n-", max_size=300))
def test_event_signature_from_analysed_tokens_equals_the_text_pass(text):
    from transforms.dedup.events import event_signature

    assert event_signature(text, analyse(text).tokens) == event_signature(text)


@given(st.lists(st.integers(0, 30), max_size=40), st.lists(st.integers(0, 30), max_size=40))
def test_in_sorted_equals_numpy_isin(values, members):
    from transforms.dedup.text import in_sorted

    a, b = np.array(values, dtype=np.uint64), np.unique(np.array(members, dtype=np.uint64))
    assert np.array_equal(in_sorted(a, b), np.isin(a, b))


def test_light_stems_join_inflections_and_content_stems_drop_stop_words():
    from transforms.dedup.text import content_stems, content_trigram_mask, light_stem

    assert light_stem("links") == light_stem("linked") == light_stem("link") == "link"
    assert light_stem("weighting") == light_stem("weight") and light_stem("class") == "class"
    assert content_stems(["the", "pages", "were", "ranked", "a", "x"]) == ["page", "rank"]
    assert content_trigram_mask(["one", "of", "the", "new", "bridge", "plans"]).tolist() == [False, False, True, True]
    assert content_trigram_mask(["bridge"]).tolist() == [True] and content_trigram_mask([]).tolist() == []


def test_lead_stems_pass_over_headlines_and_short_lines():
    from transforms.dedup.text import analyse, content_stems, lead_stems

    text = ("Bridge plan approved\nBy Ann Lee. Portmere.\nThe council voted on Tuesday to approve a bridge across the "
            "estuary. Work starts in May.")
    start, stems = lead_stems(text)
    assert stems == content_stems("the council voted on tuesday to approve a bridge across the estuary".split())
    assert analyse(text).words[start:start + 3] == ["the", "council", "voted"]
    assert lead_stems("A headline without a full stop\nno sentence mark here either") == (0, [])


def test_content_sentences_keep_the_content_words_of_sentences_with_enough_of_them():
    from transforms.dedup.text import content_sentences

    text = "The council voted for the bridge in 2025. It was late. Residents of Eastbank were divided!"
    assert content_sentences(analyse(text)) == [["council", "voted", "bridge", "2025"],
                                                 ["residents", "eastbank", "divided"]]
    assert content_sentences(analyse(text), min_words=4) == [["council", "voted", "bridge", "2025"]]
    assert content_sentences(analyse("")) == []
