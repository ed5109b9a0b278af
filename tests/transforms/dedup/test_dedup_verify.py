import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from transforms.dedup.config import DedupConfig
from transforms.dedup.verify import FEATURE_COLUMNS, classify


def _features(**over):
    row = {"row_a": 0, "row_b": 1, "jaccard": 0.02, "containment_a_in_b": 0.03, "containment_b_in_a": 0.03,
           "anchor_containment": 0.1, "skeleton_containment": 0.0, "shared_quotes": 0, "shared_numbers": 1,
           "n_anchor_min": 40, "trigram_containment": 0.02, "ordered_words": 0.2,
           "aligned_share": 0.1, "lead_kept": 0.2, "other_passages": 0.0, "meaning_aligned": 0.0,
           "novel_anchors": 0.0}
    return pd.DataFrame([{**row, **over}], columns=list(FEATURE_COLUMNS))


def test_relations_follow_the_thresholds_in_order():
    cfg = DedupConfig()
    assert classify(_features(), cfg).empty
    assert classify(_features(jaccard=0.8, containment_a_in_b=0.9, containment_b_in_a=0.88), cfg)["relation"].tolist() == ["near"]
    assert classify(_features(jaccard=0.3, containment_a_in_b=0.95), cfg)["relation"].tolist() == ["contained"]
    spun = classify(_features(jaccard=0.2, containment_a_in_b=0.4, anchor_containment=1.0), cfg)
    assert spun["relation"].tolist() == ["spun"] and 0.9 < spun["score"].iat[0] <= 1.0


def test_spun_needs_many_anchors_and_some_shared_wording():
    cfg = DedupConfig()
    assert classify(_features(anchor_containment=1.0, n_anchor_min=4, containment_a_in_b=0.4), cfg).empty
    assert classify(_features(anchor_containment=1.0, containment_a_in_b=0.05, skeleton_containment=0.1), cfg).empty


@given(st.lists(st.integers(1, 6), max_size=30), st.lists(st.integers(1, 6), max_size=50))
def test_present_share_bounds_the_ordered_share(x, y):
    from transforms.dedup.verify import _present_share, ordered_share

    stems = pd.Series([np.array(x, dtype=np.uint64), np.array(y, dtype=np.uint64)], dtype=object)
    bound = _present_share(stems, np.array([[0, 1], [1, 0]]))
    assert bound[0] == bound[1] and ordered_share(x, y) <= bound[0] <= 1.0


@given(st.lists(st.lists(st.integers(0, 30), max_size=20), min_size=1, max_size=6), st.data())
def test_pair_overlaps_count_the_intersection_of_sorted_sets(sets, data):
    from transforms.dedup.verify import _pair_overlaps

    arrays = [np.unique(np.array(x, dtype=np.uint64)) for x in sets]
    rows = st.integers(0, len(arrays) - 1)
    pairs = np.array(data.draw(st.lists(st.tuples(rows, rows), max_size=10)), dtype=np.int64).reshape(-1, 2)
    got, sizes = _pair_overlaps(pd.Series(arrays, dtype=object), pairs)
    assert got.tolist() == [len(np.intersect1d(arrays[a], arrays[b])) for a, b in pairs.tolist()]
    assert sizes.tolist() == [len(a) for a in arrays]


def test_edited_copies_need_shared_phrases_and_shared_order():
    cfg = DedupConfig()
    reworded = classify(_features(trigram_containment=0.2, ordered_words=0.5, aligned_share=0.6), cfg)
    assert reworded["relation"].tolist() == ["spun"] and reworded["method"].tolist() == ["trigram+order"]
    kept = classify(_features(trigram_containment=0.6, ordered_words=0.7, aligned_share=0.9, containment_a_in_b=0.5,
                              containment_b_in_a=0.1), cfg)
    assert kept["relation"].tolist() == ["contained"]
    assert classify(_features(trigram_containment=0.2, ordered_words=0.3, aligned_share=0.6), cfg).empty  # no order
    assert classify(_features(trigram_containment=0.05, ordered_words=0.6, aligned_share=0.6), cfg).empty  # no phrase
    assert classify(_features(trigram_containment=0.3, ordered_words=0.5, aligned_share=0.3), cfg).empty  # one block


def test_an_edited_copy_out_of_order_counts_when_it_keeps_the_lead_and_more_than_one_passage():
    cfg = DedupConfig()
    base = {"trigram_containment": 0.3, "ordered_words": 0.4, "aligned_share": 0.35}
    found = classify(_features(**base, lead_kept=0.9, other_passages=0.1), cfg)
    assert found["relation"].tolist() == ["spun"] and found["method"].tolist() == ["trigram+lead"]
    assert abs(found["score"].iat[0] - (0.3 * 0.9) ** 0.5) < 1e-12
    assert classify(_features(**base, lead_kept=0.9, other_passages=0.0), cfg).empty    # one block: the opening
    assert classify(_features(**base, lead_kept=0.6, other_passages=0.1), cfg).empty    # its own lead
    assert classify(_features(**{**base, "trigram_containment": 0.05}, lead_kept=1.0, other_passages=0.1), cfg).empty
    conflict = _features(**base, lead_kept=0.9, other_passages=0.1, anchor_containment=0.0, n_anchor_min=9)
    assert classify(conflict, cfg).empty                                                 # other names, other story


def _seq(tokens: list[int]) -> np.ndarray:
    return np.array(tokens, dtype=np.uint64)


def test_other_passages_is_zero_for_one_borrowed_block_and_counts_the_rest():
    from transforms.dedup.verify import other_passages

    source = _seq(list(range(1, 41)))
    block = _seq([0, 90, 91, *range(10, 20), 92, 93, 94, 95, 96])                # one run of ten, then its own words
    assert other_passages(block, source) == 0.0
    drifted = _seq([*range(1, 6), 97, 98, *range(6, 11), 99])                    # a run with two words inserted
    assert other_passages(drifted, source) == 0.0
    two = _seq([*range(1, 6), 90, 91, *range(30, 35), 92])                       # the opening and a later passage
    assert other_passages(two, source) == 5 / 13
    assert other_passages(_seq([0, 0]), source) == 0.0


@given(st.lists(st.integers(0, 8), max_size=40), st.lists(st.integers(0, 8), max_size=40))
def test_other_passages_is_a_symmetric_share(xs, ys):
    from transforms.dedup.verify import other_passages

    x, y = _seq(xs), _seq(ys)
    value = other_passages(x, y)
    assert 0.0 <= value <= 1.0 and value == other_passages(y, x)


def test_lead_kept_weighs_rare_words_and_takes_the_better_direction():
    from transforms.dedup.verify import lead_kept, sentence_frequencies

    other = sentence_frequencies(_seq([1, 2, 3, 1, 4, 5, 1, 6, 7]), np.array([3, 6, 9], dtype=np.int32))
    assert other[1] == 3 and other[0][1] == 3 and other[0][2] == 1
    lead = _seq([1, 2, 3])
    assert lead_kept(lead, _seq([1, 2, 3, 8]), other, other) == 1.0                # the shorter lead is kept whole
    topic_only = lead_kept(_seq([1, 2]), _seq([1, 9]), other, other)
    rare_only = lead_kept(_seq([1, 2]), _seq([2, 9]), other, other)
    assert 0.0 < topic_only < 0.5 < rare_only < 1.0                               # the topic word counts little
    assert lead_kept(_seq([]), lead, other, other) == 0.0


def test_aligned_share_counts_words_in_sentences_found_in_a_window_of_the_other():
    from transforms.dedup.verify import aligned_share

    y = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], dtype=np.uint64)
    y_ends = np.array([4, 8, 12], dtype=np.int32)
    merged = np.array([3, 4, 5, 6, 99, 98, 97, 96], dtype=np.uint64)     # two sentences merged, then new text
    assert aligned_share(merged, np.array([4, 8], dtype=np.int32), y, y_ends) == 0.5
    assert aligned_share(y, y_ends, merged, np.array([4, 8], dtype=np.int32)) == 0.5      # symmetric: the shorter
    assert aligned_share(np.array([1, 50, 51, 52], dtype=np.uint64), np.array([4], dtype=np.int32), y, y_ends) == 0.0
    assert aligned_share(np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int32), y, y_ends) == 0.0


def _lcs(x: list[int], y: list[int]) -> int:
    table = [[0] * (len(y) + 1) for _ in range(len(x) + 1)]
    for i, a in enumerate(x):
        for j, b in enumerate(y):
            table[i + 1][j + 1] = table[i][j] + 1 if a == b else max(table[i][j + 1], table[i + 1][j])
    return table[-1][-1]


@given(st.lists(st.integers(0, 6), max_size=30), st.lists(st.integers(0, 6), max_size=80))
def test_ordered_share_is_the_lcs_over_the_shorter_and_symmetric(x, y):
    from transforms.dedup.verify import ordered_share

    want = _lcs(x, y) / min(len(x), len(y)) if x and y else 0.0
    assert abs(ordered_share(x, y) - want) < 1e-12 and ordered_share(y, x) == ordered_share(x, y)


@given(st.lists(st.lists(st.integers(1, 9), min_size=1, max_size=6), min_size=1, max_size=5),
       st.lists(st.lists(st.integers(1, 9), min_size=1, max_size=6), min_size=1, max_size=5))
def test_aligned_share_is_symmetric_and_a_share(xs, ys):
    from transforms.dedup.verify import aligned_share

    def flat(sents):
        return (np.array([w for s in sents for w in s], dtype=np.uint64),
                np.cumsum([len(s) for s in sents]).astype(np.int32))

    x, y = flat(xs), flat(ys)
    share = aligned_share(*x, *y)
    assert share == aligned_share(*y, *x) and 0.0 <= share <= 1.0


def test_a_reworded_copy_needs_sentences_matched_in_meaning_no_names_of_its_own_and_no_conflict():
    cfg = DedupConfig()
    found = classify(_features(meaning_aligned=0.6, trigram_containment=0.03), cfg)
    assert found["method"].tolist() == ["sentence-meaning"] and found["relation"].tolist() == ["spun"]
    assert found["score"].iat[0] == 0.6
    assert classify(_features(meaning_aligned=0.4, trigram_containment=0.03), cfg).empty
    assert classify(_features(meaning_aligned=0.9, novel_anchors=0.3), cfg).empty       # a later report
    assert classify(_features(meaning_aligned=0.9, anchor_containment=0.0, n_anchor_min=9), cfg).empty


def _unit(*rows: list[float]) -> np.ndarray:
    m = np.array(rows, dtype=np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_meaning_aligned_counts_matched_sentences_in_order_with_rare_shared_words():
    from transforms.dedup.verify import meaning_aligned

    topic = [0.0, 0.0, 0.0, 5.0]        # what every sentence says: taken out before matching
    source = _unit(*[[1.0 * (k == 0), 1.0 * (k == 1), 1.0 * (k == 2), 5.0] for k in range(3)])
    stems = [["topic", "alpha", "one"], ["topic", "beta", "two"], ["topic", "gamma", "three"], ["topic", "delta", "x"]]
    source = np.vstack([source, _unit(topic)])
    copy = source[:3].copy()
    copy_stems = [["topic", "alpha", "one"], ["topic", "beta", "two"], ["topic", "gamma", "three"]]
    assert meaning_aligned(copy, copy_stems, source, stems, 0.3, 1.0) == 1.0
    reversed_copy = copy[::-1].copy()
    assert meaning_aligned(reversed_copy, copy_stems[::-1], source, stems, 0.3, 1.0) == 1 / 3   # one in order
    only_topic = [["topic", "mine", "own"]] * 3                   # close in meaning, only the topic word shared
    assert meaning_aligned(copy, only_topic, source, stems, 0.3, 1.0) == 0.0
    assert meaning_aligned(copy, copy_stems, source, stems, 0.3, 1.0) == meaning_aligned(
        source, stems, copy, copy_stems, 0.3, 1.0)
    assert meaning_aligned(copy[:0], [], source, stems, 0.3, 1.0) == 0.0
    assert meaning_aligned(copy, copy_stems, source, stems, 0.3, 1.0, min_sentences=3) == 1.0
    assert meaning_aligned(copy[:2], copy_stems[:2], source, stems, 0.3, 1.0, min_sentences=3) == 0.0   # too few


@given(st.lists(st.integers(0, 6), max_size=12))
def test_longest_run_is_a_longest_non_decreasing_subsequence(values):
    from transforms.dedup.verify import _longest_run

    run = _longest_run(values)
    best = [1] * len(values)        # quadratic reference: longest non-decreasing run ending at each position
    for k in range(len(values)):
        for i in range(k):
            if values[i] <= values[k]:
                best[k] = max(best[k], best[i] + 1)
    assert len(run) == max(best, default=0)
    assert run == sorted(run) and all(values[a] <= values[b] for a, b in zip(run, run[1:]))


@given(st.lists(st.lists(st.sampled_from("abcdef"), min_size=1, max_size=5), min_size=1, max_size=5),
       st.lists(st.lists(st.sampled_from("abcdefgh"), min_size=1, max_size=5), min_size=1, max_size=5), st.data())
def test_meaning_aligned_is_a_share_and_symmetric(stems_x, stems_y, data):
    from transforms.dedup.verify import meaning_aligned

    vec = st.lists(st.floats(-1, 1, allow_nan=False), min_size=4, max_size=4).filter(lambda v: np.linalg.norm(v) > 0.1)
    vx = _unit(*data.draw(st.lists(vec, min_size=len(stems_x), max_size=len(stems_x))))
    vy = _unit(*data.draw(st.lists(vec, min_size=len(stems_y), max_size=len(stems_y))))
    value = meaning_aligned(vx, stems_x, vy, stems_y, 0.3, 1.0)
    assert 0.0 <= value <= 1.0 and value == meaning_aligned(vy, stems_y, vx, stems_x, 0.3, 1.0)


def test_novel_anchors_is_the_shorter_texts_share_of_names_the_other_never_mentions():
    from transforms.dedup.verify import novel_anchors

    source_known = {"brennan", "portmere", "2025", "the", "council"}
    assert novel_anchors({"brennan", "portmere"}, 10, source_known, {"brennan"}, 30, {"x"}) == 0.0
    assert novel_anchors({"brennan", "hollins"}, 10, source_known, {"brennan"}, 30, {"x"}) == 0.5
    assert novel_anchors(set(), 10, source_known, {"brennan"}, 30, set()) == 0.0
    # the longer side is never judged for what it adds; as long: the smaller share of both ways
    assert novel_anchors({"a"}, 30, {"b"}, {"b"}, 10, {"a", "b"}) == 0.0
    assert novel_anchors({"a"}, 10, {"b"}, {"b", "c"}, 10, {"b"}) == 0.5
