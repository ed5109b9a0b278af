"""Average linkage of stories and the match-score event cue (stories.story_average_linkage, events.score_lines)."""

from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.dedup.config import DedupConfig
from transforms.dedup.events import score_conflicts, score_lines
from transforms.dedup.stories import story_average_linkage, story_similarities

CFG = DedupConfig(story_threshold=0.5, story_attach_threshold=0.4)


def test_a_chain_of_close_pairs_is_not_one_story():
    # 0-1 and 1-2 are close, 0-2 is not a candidate: single link made {0, 1, 2}; the mean over {0, 1} x {2} is
    # (0.6 + 0) / 2, below the threshold
    pairs = np.array([[0, 1], [1, 2]])
    label = story_average_linkage(3, pairs, np.array([0.9, 0.6]), [[], [], []], CFG)
    assert label.tolist() == [0, 0, 2]


def test_a_story_whose_members_are_all_close_stays_whole():
    pairs = np.array([[0, 1], [0, 2], [1, 2], [2, 3]])
    label = story_average_linkage(4, pairs, np.array([0.9, 0.7, 0.8, 0.95]), [[], [], [], []], CFG)
    # {2, 3} first (0.95), then {0, 1} (0.9); their mean (0.7 + 0.8) / 4 = 0.375 stays apart
    assert label.tolist() == [0, 0, 2, 2]
    whole = story_average_linkage(4, np.array([[0, 1], [0, 2], [1, 2], [2, 3], [0, 3], [1, 3]]),
                                  np.array([0.9, 0.7, 0.8, 0.95, 0.6, 0.6]), [[], [], [], []], CFG)
    assert whole.tolist() == [0, 0, 0, 0]


def test_dates_too_far_apart_never_merge_and_undated_stories_attach():
    pairs = np.array([[0, 1], [1, 2]])
    dates = [[date(2024, 1, 1)], [], [date(2024, 6, 1)]]
    label = story_average_linkage(3, pairs, np.array([0.45, 0.3]), dates, CFG)
    assert label.tolist() == [0, 0, 2]           # 1 (undated) joins 0 at the attach threshold; 2 is months away
    far = story_average_linkage(2, np.array([[0, 1]]), np.array([0.99]), [[date(2024, 1, 1)], [date(2024, 6, 1)]],
                                CFG)
    assert far.tolist() == [0, 1]


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 9).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=20, unique=True),
    st.randoms(use_true_random=False))))
def test_labels_are_a_partition_independent_of_pair_order(case):
    n, raw, rnd = case
    raw = [(a, b) for a, b in raw if a < b]
    pairs = np.array(raw, dtype=np.int64).reshape(-1, 2)
    sims = np.array([0.3 + 0.7 * ((37 * a + 11 * b) % 97) / 97 for a, b in raw])   # distinct per pair
    label = story_average_linkage(n, pairs, sims, [[] for _ in range(n)], CFG)
    order = list(range(len(raw)))
    rnd.shuffle(order)
    again = story_average_linkage(n, pairs[order].reshape(-1, 2), sims[order], [[] for _ in range(n)], CFG)
    assert label.tolist() == again.tolist()
    assert all(label[i] <= i and label[label[i]] == label[i] for i in range(n))   # smallest member names a story
    for a, b in raw:                              # every pair above the threshold with nothing else is merged
        if sims[raw.index((a, b))] >= CFG.story_threshold and sum(a in p or b in p for p in raw) == 1:
            assert label[a] == label[b]


def test_score_lines_read_match_results_not_dates_ranges_or_formations():
    assert score_lines("Italy 17-28 Ireland\n\nIreland won 28-17 in Rome.") == frozenset({(17, 28)})
    assert score_lines("Sales rose 10-15% in 2004-05, in a 4-3-3 system, on 12/03-04.") == frozenset()
    assert score_conflicts([score_lines("Scotland 18-10 Italy")], [score_lines("Italy 8-38 Wales")]).tolist() == [True]
    assert score_conflicts([score_lines("Italy 17-28 Ireland")], [score_lines("a 28-17 win")]).tolist() == [False]
    assert score_conflicts([score_lines("no score")], [score_lines("Italy 8-38 Wales")]).tolist() == [False]


def test_reports_of_two_matches_score_lower_than_two_reports_of_one():
    one = "Ireland beat Italy 28-17 in Rome on Saturday as Brian O'Driscoll scored twice for the visitors."
    same = "Italy 17-28 Ireland: Brian O'Driscoll scored twice as Ireland beat Italy in Rome on Saturday."
    other = "Wales beat Italy 38-8 in Rome on Saturday as Gavin Henson scored twice for the visitors."
    sims = story_similarities([one, one], [same, other])
    assert sims[0] > sims[1] + 0.1
