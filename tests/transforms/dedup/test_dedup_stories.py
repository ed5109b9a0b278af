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
