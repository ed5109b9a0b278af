"""Candidate pairs, sub-quadratic: MinHash LSH (near), indexes on sampled shingles and on sentence starts
(shortened), on anchor n-grams and sentence skeletons (spun), on rare content-bearing word 3-grams (edited), on
top TF-IDF terms with close document embeddings (reworded). Candidates are row-index pairs (i < j) into the signature frame; verify.py decides."""

from __future__ import annotations

import numpy as np
import pandas as pd
from datasketch import MinHashLSH

from transforms.dedup.config import DedupConfig
from transforms.dedup.embedding import embedding_matrix, pair_embedding_cosines
from transforms.dedup.stories import story_candidates, tfidf_matrix

_PAIR_CHUNK = 1 << 18


def exact_representatives(signatures: pd.DataFrame) -> np.ndarray:
    """Return per row the row index of the first row with the same text hash (itself when first)."""
    first = signatures.reset_index(drop=True).groupby("text_hash", sort=False).cumcount() == 0
    pos = pd.Series(np.arange(len(signatures)), index=signatures["text_hash"].to_numpy())
    return pos[first.to_numpy()].reindex(signatures["text_hash"].to_numpy()).to_numpy()


def lsh_candidates(minhashes: list[np.ndarray], rows: np.ndarray, config: DedupConfig) -> np.ndarray:
    """Return (k, 2) row pairs that agree on a whole band of their MinHash, with the bands datasketch's
    MinHashLSH picks for config.lsh_threshold: its candidates exactly, without its ~60 MB of hash tables."""
    if len(rows) == 0:
        return np.empty((0, 2), dtype=np.int64)
    lsh = MinHashLSH(threshold=config.lsh_threshold, num_perm=config.num_perm)
    sketch = np.stack([minhashes[r] for r in rows]).astype(np.uint64, copy=False)
    rows = rows.astype(np.int64)
    parts: list[np.ndarray] = []
    for lo, hi in lsh.hashranges:
        band = np.ascontiguousarray(sketch[:, lo:hi])
        _, label = np.unique(band.view(np.dtype((np.void, band.itemsize * (hi - lo)))).ravel(), return_inverse=True)
        order = np.argsort(label.ravel(), kind="stable")
        bucket = label.ravel()[order]
        starts = np.flatnonzero(np.r_[True, bucket[1:] != bucket[:-1]])
        sizes = np.diff(np.r_[starts, len(bucket)])
        for start, size in zip(starts[sizes >= 2].tolist(), sizes[sizes >= 2].tolist()):
            members = rows[order[start:start + size]]
            ii, jj = np.triu_indices(size, 1)
            parts.append(np.stack([members[ii], members[jj]], axis=1))
    if not parts:
        return np.empty((0, 2), dtype=np.int64)
    arr = np.concatenate(parts)
    return np.unique(np.stack([arr.min(1), arr.max(1)], axis=1), axis=0)


def index_candidates(keys: list[np.ndarray], rows: np.ndarray, config: DedupConfig,
                     bounds: tuple[int, int, float] | None = None) -> np.ndarray:
    """Return (k, 2) row pairs sharing at least min_shared_keys keys and at least min_key_fraction of the
    smaller key set (an estimate of containment); keys held by more than max_posting rows are ignored.
    `bounds` = (max_posting, min_shared_keys, min_key_fraction) overrides the config's three."""
    max_posting, min_shared, min_fraction = bounds or (config.max_posting, config.min_shared_keys,
                                                       config.min_key_fraction)
    lens = np.array([len(keys[r]) for r in rows], dtype=np.int64)
    if lens.sum() == 0:
        return np.empty((0, 2), dtype=np.int64)
    flat = np.concatenate([keys[r] for r in rows])
    owner = np.repeat(rows.astype(np.int64), lens)
    order = np.lexsort((owner, flat))
    flat, owner = flat[order], owner[order]
    starts = np.flatnonzero(np.r_[True, flat[1:] != flat[:-1]])
    sizes = np.diff(np.r_[starts, len(flat)])
    keep = (sizes >= 2) & (sizes <= max_posting)
    counted: list[tuple[np.ndarray, np.ndarray]] = []
    for size in np.unique(sizes[keep]).tolist():
        ii, jj = np.triu_indices(size, 1)
        st_all = starts[keep & (sizes == size)]
        step = max(1, _PAIR_CHUNK // len(ii))
        for lo in range(0, len(st_all), step):     # bounded memory: reduce each chunk of keys to pair counts
            block = owner[st_all[lo:lo + step, None] + np.arange(size)[None, :]]   # owners sorted per key
            a, b = block[:, ii].ravel(), block[:, jj].ravel()
            ok = a != b
            counted.append(np.unique(a[ok] * (1 << 32) + b[ok], return_counts=True))
    if not counted:
        return np.empty((0, 2), dtype=np.int64)
    codes = np.concatenate([c for c, _ in counted])
    code, inverse = np.unique(codes, return_inverse=True)
    counts = np.bincount(inverse, weights=np.concatenate([n for _, n in counted])).astype(np.int64)
    a, b = code >> 32, code & ((1 << 32) - 1)
    n_keys = np.array([len(k) for k in keys], dtype=np.int64)
    smaller = np.minimum(n_keys[a], n_keys[b])
    keep = (counts >= np.minimum(min_shared, smaller)) & (counts >= min_fraction * smaller)
    return np.stack([a[keep], b[keep]], axis=1)


def _as_pairs(pairs: list[tuple[int, int]]) -> np.ndarray:
    if not pairs:
        return np.empty((0, 2), dtype=np.int64)
    arr = np.array(pairs, dtype=np.int64)
    return np.unique(np.stack([arr.min(1), arr.max(1)], axis=1), axis=0)


def meaning_candidates(signatures: pd.DataFrame, rows: np.ndarray, config: DedupConfig) -> np.ndarray:
    """Return (k, 2) row pairs among `rows` sharing two of their top TF-IDF terms (stories.story_candidates, an
    index: sub-quadratic) whose document embeddings have a cosine >= meaning_min_cosine: reworded copies keep
    their subject's rare words and meaning, not their phrases."""
    rows = np.asarray(rows, dtype=np.int64)
    if len(rows) < 2:
        return np.empty((0, 2), dtype=np.int64)
    keys, counts = signatures["bag_keys"], signatures["bag_counts"]
    matrix = tfidf_matrix([keys.iat[r] for r in rows], [counts.iat[r] for r in rows])
    local = story_candidates(matrix, config)
    if len(local) == 0:
        return np.empty((0, 2), dtype=np.int64)
    close = pair_embedding_cosines(embedding_matrix(signatures["embedding"].iloc[rows]), local)
    pairs = rows[local[close >= config.meaning_min_cosine]]
    return np.stack([pairs.min(1), pairs.max(1)], axis=1) if len(pairs) else np.empty((0, 2), dtype=np.int64)


def candidate_pairs(signatures: pd.DataFrame, rows: np.ndarray, config: DedupConfig) -> np.ndarray:
    """Return the sorted unique union of every method's candidate row pairs among `rows` (exact-copy heads)."""
    parts = [
        lsh_candidates(list(signatures["minhash"]), rows, config),
        index_candidates(list(signatures["sampled"]), rows, config),
        index_candidates(list(signatures["sentence_keys"]), rows, config),
        index_candidates(list(signatures["anchor_grams"]), rows, config),
        index_candidates(list(signatures["skeletons"]), rows, config),
        # edited copies (trimmed, reordered, reworded) keep a few rare phrases whatever the length ratio
        index_candidates(list(signatures["trigram_keys"]), rows, config,
                         (config.trigram_max_posting, config.trigram_min_shared, config.trigram_min_fraction)),
        meaning_candidates(signatures, rows, config),
    ]
    allp = np.concatenate(parts)
    return np.unique(allp, axis=0) if len(allp) else allp
