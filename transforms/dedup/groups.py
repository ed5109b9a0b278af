"""Duplicate groups (connected copies) and the canonical member of each group."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd


def short_id(prefix: str, members: list[str]) -> str:
    """Return a deterministic id: prefix + 12 hex of the hash of the sorted member ids."""
    digest = hashlib.blake2b("\n".join(sorted(members)).encode("utf-8"), digest_size=6).hexdigest()
    return f"{prefix}{digest}"


def connected_components(n: int, edges: np.ndarray) -> np.ndarray:
    """Return per node 0..n-1 the smallest node index of its connected component."""
    parent = np.arange(n)

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in edges.tolist():
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([find(i) for i in range(n)], dtype=np.int64)


def word_commonness(word_sets: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Return (sorted word hashes, log document frequency) over a batch of per-document word-hash sets."""
    if not word_sets or sum(len(w) for w in word_sets) == 0:
        return np.empty(0, dtype=np.uint64), np.empty(0)
    keys, counts = np.unique(np.concatenate(word_sets), return_counts=True)
    return keys, np.log(counts.astype(float))


def spun_side(words_a: np.ndarray, words_b: np.ndarray, vocab: tuple[np.ndarray, np.ndarray]) -> int:
    """Return 0 when a is the spun side of a pair, 1 when b is: the side whose own words are rarer in the batch."""
    keys, logdf = vocab

    def mean_logdf(own: np.ndarray) -> float:
        if len(own) == 0 or len(keys) == 0:
            return 0.0
        return float(logdf[np.searchsorted(keys, own)].mean())

    only_a = np.setdiff1d(words_a, words_b, assume_unique=True)
    only_b = np.setdiff1d(words_b, words_a, assume_unique=True)
    return 0 if mean_logdf(only_a) < mean_logdf(only_b) else 1


def canonical_flags(group_of: np.ndarray, n_words: np.ndarray, doc_ids: list[str], spun: np.ndarray) -> np.ndarray:
    """Return per document whether it is its group's canonical: not spun, then most words, then smallest doc_id."""
    frame = pd.DataFrame({"g": group_of, "spun": spun, "neg_words": -n_words, "doc_id": doc_ids,
                          "pos": np.arange(len(doc_ids))})
    best = frame.sort_values(["g", "spun", "neg_words", "doc_id"], kind="mergesort").drop_duplicates("g")["pos"]
    flags = np.zeros(len(doc_ids), dtype=bool)
    flags[best.to_numpy()] = True
    return flags
