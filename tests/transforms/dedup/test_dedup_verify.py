import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from transforms.dedup.config import DedupConfig
from transforms.dedup.verify import FEATURE_COLUMNS, classify


def _features(**over):
    row = {"row_a": 0, "row_b": 1, "jaccard": 0.02, "containment_a_in_b": 0.03, "containment_b_in_a": 0.03,
           "anchor_containment": 0.1, "skeleton_containment": 0.0, "shared_quotes": 0, "shared_numbers": 1,
           "n_anchor_min": 40}
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


@given(st.lists(st.integers(0, 50), max_size=40), st.lists(st.integers(0, 50), max_size=40))
def test_overlap_counts_the_intersection_of_sorted_sets(x, y):
    from transforms.dedup.verify import _overlap

    a, b = np.unique(np.array(x, dtype=np.uint64)), np.unique(np.array(y, dtype=np.uint64))
    assert _overlap(a, b) == len(np.intersect1d(a, b)) == _overlap(b, a)
