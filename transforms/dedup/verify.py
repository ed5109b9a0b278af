"""Exact verification of candidate pairs: overlap evidence per pair, then the relation (or none)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from transforms.dedup.config import DedupConfig
from transforms.dedup.text import in_sorted

FEATURE_COLUMNS: tuple[str, ...] = (
    "row_a", "row_b", "jaccard", "containment_a_in_b", "containment_b_in_a", "anchor_containment",
    "skeleton_containment", "shared_quotes", "shared_numbers", "n_anchor_min",
)


def _overlap(x: np.ndarray, y: np.ndarray) -> int:
    """Size of the intersection of two sorted arrays of distinct values (binary search of the smaller)."""
    small, large = (x, y) if len(x) <= len(y) else (y, x)
    return int(np.count_nonzero(in_sorted(small, large)))


def pair_features(signatures: pd.DataFrame, pairs: np.ndarray) -> pd.DataFrame:
    """Return exact overlap evidence for each row pair (i, j) of the signature frame."""
    sh, an, sk = list(signatures["shingles"]), list(signatures["anchor_grams"]), list(signatures["skeletons"])
    qs, ns = list(signatures["quotes"]), list(signatures["numbers"])
    out: dict[str, list[float]] = {c: [] for c in FEATURE_COLUMNS}
    for i, j in pairs.tolist():
        inter = _overlap(sh[i], sh[j])
        la, lb = len(sh[i]), len(sh[j])
        a_min = min(len(an[i]), len(an[j]))
        s_min = min(len(sk[i]), len(sk[j]))
        out["row_a"].append(i)
        out["row_b"].append(j)
        out["jaccard"].append(inter / (la + lb - inter) if la + lb - inter else 0.0)
        out["containment_a_in_b"].append(inter / la if la else 0.0)
        out["containment_b_in_a"].append(inter / lb if lb else 0.0)
        out["anchor_containment"].append(_overlap(an[i], an[j]) / a_min if a_min else 0.0)
        out["skeleton_containment"].append(_overlap(sk[i], sk[j]) / s_min if s_min else 0.0)
        out["shared_quotes"].append(len(set(qs[i]) & set(qs[j])))
        out["shared_numbers"].append(len(set(ns[i]) & set(ns[j])))
        out["n_anchor_min"].append(a_min)
    frame = pd.DataFrame(out, columns=list(FEATURE_COLUMNS))
    return frame.astype({"row_a": "int64", "row_b": "int64", "shared_quotes": "int32", "shared_numbers": "int32",
                         "n_anchor_min": "int64"})


RELATIONS: tuple[str, ...] = ("exact", "near", "contained", "spun")


def anchor_evidence(features: pd.DataFrame, shrink: float = 2.0) -> pd.Series:
    """Return the share of the smaller document's anchor n-grams found in the other, shrunk when there are few."""
    n = features["n_anchor_min"].astype(float)
    return features["anchor_containment"] * n / (n + shrink)


def wording_evidence(features: pd.DataFrame) -> pd.Series:
    """Return how much wording is shared beyond names: sentence skeletons or word shingles (smaller side)."""
    return features[["skeleton_containment", "containment_a_in_b", "containment_b_in_a"]].max(axis=1)


def classify(features: pd.DataFrame, config: DedupConfig) -> pd.DataFrame:
    """Return the verified pairs: features plus relation, score and method; pairs below every threshold dropped.

    contained: shingle containment of the smaller >= containment_threshold and it is under shortened_ratio of the
    larger; near: shingle Jaccard >= near_threshold;
    spun: anchor evidence >= spun_threshold with wording evidence >= spun_min_wording (synonyms change neither).
    """
    cmax = features[["containment_a_in_b", "containment_b_in_a"]].max(axis=1)
    cmin = features[["containment_a_in_b", "containment_b_in_a"]].min(axis=1)
    size_ratio = (cmin / cmax.where(cmax > 0, 1.0)).where(cmax > 0, 1.0)     # |smaller| / |larger| shingle sets
    anchors = anchor_evidence(features)
    contained = (cmax >= config.containment_threshold) & (size_ratio < config.shortened_ratio)
    near = ~contained & (features["jaccard"] >= config.near_threshold)
    is_spun = (~near & ~contained & (anchors >= config.spun_threshold)
               & (wording_evidence(features) >= config.spun_min_wording)
               & (features["n_anchor_min"] >= config.min_anchors))
    out = features.assign(
        relation=np.select([near, contained, is_spun], ["near", "contained", "spun"], default=""),
        score=np.select([near, contained, is_spun], [features["jaccard"], cmax, anchors], default=0.0).clip(0, 1),
        method=np.select([near, contained, is_spun],
                         ["shingle-jaccard", "shingle-containment", "anchor+skeleton"], default=""),
    )
    return out[out["relation"] != ""].reset_index(drop=True)
