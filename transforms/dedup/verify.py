"""Exact verification of candidate pairs: overlap evidence per pair, then the relation (or none)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from transforms.dedup.config import DedupConfig
from transforms.dedup.text import in_sorted

_ALIGN_SHARE = 0.5      # a sentence is aligned when half its (rarity-weighted) content words are in one window
_ALIGN_MIN_SHARED = 2   # ... and at least two of them

FEATURE_COLUMNS: tuple[str, ...] = (
    "row_a", "row_b", "jaccard", "containment_a_in_b", "containment_b_in_a", "anchor_containment",
    "skeleton_containment", "shared_quotes", "shared_numbers", "n_anchor_min", "trigram_containment",
    "ordered_words", "aligned_share",
)


def _overlap(x: np.ndarray, y: np.ndarray) -> int:
    """Size of the intersection of two sorted arrays of distinct values (binary search of the smaller)."""
    small, large = (x, y) if len(x) <= len(y) else (y, x)
    return int(np.count_nonzero(in_sorted(small, large)))


def ordered_share(x: list[int], y: list[int]) -> float:
    """Return the length of the longest common subsequence of two token sequences over the length of the shorter
    (bit-parallel LCS, Hyyro 2004: one pass over the shorter, the longer as bits of one integer)."""
    if len(x) > len(y):
        x, y = y, x
    if not x:
        return 0.0
    where: dict[int, int] = {}
    for pos, token in enumerate(y):
        where[token] = where.get(token, 0) | (1 << pos)
    full = (1 << len(y)) - 1
    v = full
    for token in x:
        u = v & where.get(token, 0)
        v = ((v + u) | (v - u)) & full
    return (len(y) - v.bit_count()) / len(x)


def _sentences(stems: np.ndarray, ends: np.ndarray) -> list[list[int]]:
    """Split a text's content-stem hashes into its sentences (ends: where each sentence's stems end)."""
    values, bounds = stems.tolist(), [0, *ends.tolist()]
    if bounds[-1] != len(values):
        bounds.append(len(values))
    return [values[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


def aligned_share(stems_x: np.ndarray, ends_x: np.ndarray, stems_y: np.ndarray, ends_y: np.ndarray) -> float:
    """Return the share of the shorter text's content words that stand in sentences aligned with the other text.

    A sentence is aligned when a window of one or two consecutive sentences of the longer text holds at least
    half of its content stems, each weighted by its rarity among the longer text's sentences (a word found in
    every sentence, the topic, counts little), and at least two of them: trimmed, merged, split and reworded
    sentences keep that much; sentences an author wrote alone on the same subject do not.
    """
    if len(stems_x) > len(stems_y):
        stems_x, ends_x, stems_y, ends_y = stems_y, ends_y, stems_x, ends_x
    if len(stems_x) == 0 or len(stems_y) == 0:
        return 0.0
    if len(stems_x) == len(stems_y):     # either is "the shorter": take both ways, so the order never matters
        return max(_aligned_in(stems_x, ends_x, stems_y, ends_y), _aligned_in(stems_y, ends_y, stems_x, ends_x))
    return _aligned_in(stems_x, ends_x, stems_y, ends_y)


def _aligned_in(stems_x: np.ndarray, ends_x: np.ndarray, stems_y: np.ndarray, ends_y: np.ndarray) -> float:
    """aligned_share with x taken as the shorter text."""
    longer = [set(part) for part in _sentences(stems_y, ends_y)]
    n = len(longer)
    freq: dict[int, int] = {}
    for sent in longer:
        for w in sent:
            freq[w] = freq.get(w, 0) + 1
    windows: dict[int, list[int]] = {}      # stem -> the windows (sentence k with sentence k + 1) holding it
    for k, sent in enumerate(longer):
        for w in sent:
            windows.setdefault(w, []).append(k)
            if k:
                windows[w].append(k - 1)
    aligned = 0
    for part in _sentences(stems_x, ends_x):
        sent = set(part)
        weight = {w: math.log((n + 1) / (freq.get(w, 0) + 0.5)) for w in sent}
        gained: dict[int, float] = {}
        hits: dict[int, int] = {}
        for w in sent:
            for k in set(windows.get(w, ())):
                gained[k] = gained.get(k, 0.0) + weight[w]
                hits[k] = hits.get(k, 0) + 1
        need = min(_ALIGN_MIN_SHARED, len(sent))
        best = max((g for k, g in gained.items() if hits[k] >= need), default=0.0) / sum(weight.values())
        if best >= _ALIGN_SHARE:
            aligned += len(part)
    return aligned / len(stems_x)


def verify_pairs(signatures: pd.DataFrame, pairs: np.ndarray, config: DedupConfig) -> pd.DataFrame:
    """Return the verified pairs among candidate row pairs: classify() of their pair_features(), with the word
    order and sentence alignment evidence computed where it decides (each only when the cheaper evidence before
    it passed) or explains (a pair verified by another signal)."""
    features = pair_features(signatures, pairs, with_order=False)
    gated = (features["trigram_containment"] >= config.edited_trigram_threshold).to_numpy()
    features = _with_evidence(signatures, features, gated, aligned=False)
    ordered = gated & (features["ordered_words"] >= config.edited_order_threshold).to_numpy()
    features = _with_evidence(signatures, features, ordered, order=False)
    verified = classify(features, config)
    no_order = (verified["trigram_containment"] < config.edited_trigram_threshold).to_numpy()
    verified = _with_evidence(signatures, verified, no_order, aligned=False)
    no_aligned = no_order | (verified["ordered_words"] < config.edited_order_threshold).to_numpy()
    return _with_evidence(signatures, verified, no_aligned, order=False)


def _with_evidence(signatures: pd.DataFrame, features: pd.DataFrame, rows: np.ndarray, order: bool = True,
                   aligned: bool = True) -> pd.DataFrame:
    """Return features with ordered_words and/or aligned_share computed for the selected rows (others kept)."""
    if not rows.any():
        return features
    stems, ends = list(signatures["content_stems"]), list(signatures["stem_sentence_ends"])
    ordered, share = features["ordered_words"].to_numpy(copy=True), features["aligned_share"].to_numpy(copy=True)
    row_a, row_b = features["row_a"].to_numpy(), features["row_b"].to_numpy()
    for k in np.flatnonzero(rows).tolist():
        i, j = int(row_a[k]), int(row_b[k])
        if order:
            ordered[k] = ordered_share(stems[i].tolist(), stems[j].tolist())
        if aligned:
            share[k] = aligned_share(stems[i], ends[i], stems[j], ends[j])
    return features.assign(ordered_words=ordered, aligned_share=share)


def pair_features(signatures: pd.DataFrame, pairs: np.ndarray, with_order: bool = True) -> pd.DataFrame:
    """Return exact overlap evidence for each row pair (i, j) of the signature frame (word order and sentence
    alignment left at 0 unless with_order)."""
    sh, an, sk = list(signatures["shingles"]), list(signatures["anchor_grams"]), list(signatures["skeletons"])
    tri, stems = list(signatures["trigrams"]), list(signatures["content_stems"])
    ends = list(signatures["stem_sentence_ends"])
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
        t_min = min(len(tri[i]), len(tri[j]))
        out["trigram_containment"].append(_overlap(tri[i], tri[j]) / t_min if t_min else 0.0)
        out["ordered_words"].append(ordered_share(stems[i].tolist(), stems[j].tolist()) if with_order else 0.0)
        out["aligned_share"].append(aligned_share(stems[i], ends[i], stems[j], ends[j]) if with_order else 0.0)
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
    spun: anchor evidence >= spun_threshold with wording evidence >= spun_min_wording (synonyms change neither);
    otherwise an edited copy (method `trigram+order`): the smaller keeps >= edited_trigram_threshold of its word
    3-grams in the larger, >= edited_order_threshold of its content words in the larger's order, and
    >= edited_aligned_threshold of them in sentences aligned with the larger (aligned_share), and no conflict on
    names (both with >= edited_anchor_conflict anchor n-grams and none shared); `contained`
    (`near` when similar in size) if it keeps edited_kept_wording of its 3-grams, else `spun` (reworded).
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
    tri, order = features["trigram_containment"], features["ordered_words"]
    edited = (~near & ~contained & ~is_spun & (tri >= config.edited_trigram_threshold)
              & (order >= config.edited_order_threshold) & (features["aligned_share"] >= config.edited_aligned_threshold)
              & ~((features["n_anchor_min"] >= config.edited_anchor_conflict) & (features["anchor_containment"] == 0)))
    kept = tri >= config.edited_kept_wording
    edited_relation = np.where(kept, np.where(size_ratio < config.shortened_ratio, "contained", "near"), "spun")
    out = features.assign(
        relation=np.select([near, contained, is_spun, edited], ["near", "contained", "spun", edited_relation],
                           default=""),
        score=np.select([near, contained, is_spun, edited],
                        [features["jaccard"], cmax, anchors, np.sqrt(tri * order)], default=0.0).clip(0, 1),
        method=np.select([near, contained, is_spun, edited],
                         ["shingle-jaccard", "shingle-containment", "anchor+skeleton", "trigram+order"], default=""),
    )
    return out[out["relation"] != ""].reset_index(drop=True)
