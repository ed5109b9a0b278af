from datetime import date

import numpy as np
import scipy.sparse as sps
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.transforms.dedup.conftest import ORIGINAL, UNRELATED
from transforms.dedup.config import DedupConfig
from transforms.dedup.stories import cluster_stories, story_label, story_similarities, story_similarity


def test_story_similarity_is_one_for_same_text_and_low_for_unrelated():
    assert story_similarity(ORIGINAL, ORIGINAL) > 0.99
    sims = story_similarities([ORIGINAL, ORIGINAL], [ORIGINAL.replace("Tuesday", "Monday"), UNRELATED])
    assert sims[0] > 0.8 and sims[1] < 0.1


@settings(max_examples=20, deadline=None)
@given(st.text(alphabet="abc de\n.", max_size=60), st.text(alphabet="abc de\n.", max_size=60))
def test_story_similarity_is_symmetric_and_bounded(a, b):
    s = story_similarity(a, b)
    assert 0.0 <= s <= 1.0 and abs(s - story_similarity(b, a)) < 1e-9


def test_dates_too_far_apart_keep_stories_apart():
    rows = np.array([[1.0, 1.0], [1.0, 1.0], [1.0, 1.0]])
    matrix = sps.csr_matrix(rows / np.linalg.norm(rows, axis=1, keepdims=True))
    cfg = DedupConfig(story_threshold=0.5, story_terms=2)
    near = cluster_stories(matrix, [[date(2023, 3, 1)], [date(2023, 3, 3)], []], cfg)
    far = cluster_stories(matrix, [[date(2023, 3, 1)], [date(2024, 5, 1)], []], cfg)
    assert near.tolist() == [0, 0, 0]
    assert far[0] != far[1]


def test_label_names_the_distinctive_entities():
    from collections import Counter
    label = story_label([ORIGINAL], Counter({"Harbour Council": 1}), 3)
    assert "Aisha Brennan" in label or "Weald" in label


def test_event_signature_reads_datelines_cues_and_lead_actors():
    from transforms.dedup.events import event_signature
    ev = event_signature("PARIS -- Prime Minister Anna Kowalczyk arrived in Brussels on Monday for talks with "
                         "Chancellor Jonas Brandt. Kowalczyk said the talks were useful. Brandt agreed.")
    assert {"paris", "brussels"} <= ev.places
    assert {"kowalczyk", "brandt"} <= ev.actors
    assert "Anna Kowalczyk" in ev.actor_names


def test_event_scores_reward_shared_place_and_actors_and_punish_conflicts():
    from transforms.dedup.events import Event, event_scores
    a = Event(frozenset({"moscow"}), frozenset({"putin", "jinping"}))
    same = Event(frozenset({"moscow", "kremlin"}), frozenset({"putin", "jinping"}))
    other = Event(frozenset({"beijing"}), frozenset({"putin", "jinping"}))
    unknown = Event(frozenset(), frozenset({"putin"}))
    assert event_scores([a, a, a], [same, other, unknown]).tolist() == [1.0, -1.0, 0.0]


def test_undated_story_attaches_to_its_most_similar_dated_story():
    rows = np.array([[1.0, 0.0, 0.0], [0.8, 0.6, 0.0], [0.0, 0.0, 1.0]])
    matrix = sps.csr_matrix(rows)
    cfg = DedupConfig(story_threshold=0.9, story_attach_threshold=0.5, story_terms=3)
    label = cluster_stories(matrix, [[date(2023, 3, 1)], [], [date(2023, 3, 2)]], cfg)
    assert label[1] == label[0] and label[2] != label[0]
    both_undated = cluster_stories(matrix, [[], [], []], cfg)
    assert both_undated[1] != both_undated[0]        # undated with undated still needs story_threshold


def test_event_label_reads_actors_and_place():
    from transforms.dedup.events import Event, event_label
    ev = Event(frozenset({"moscow"}), frozenset({"putin", "jinping"}), ("Moscow",), ("Xi Jinping", "Vladimir Putin"))
    assert event_label([ev, ev]) == "Xi Jinping, Vladimir Putin \u2014 Moscow"
    assert event_label([Event(frozenset(), frozenset())]) is None
