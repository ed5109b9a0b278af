import pandas as pd

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
