"""Story clustering (same event, not same topic): TF-IDF cosine between duplicate groups plus an event agreement
(shared event place and lead actors add, conflicting event places subtract: events.py), blended with the cosine of
semantic embeddings (embedding.py; catches paraphrase that shares few words), candidates from indexes on
each group's top terms and on its event keys, then time-constrained average-linkage merging over those candidate
pairs (single link chained a topic's events into one story); last, stories without a known date anchor on their
most similar dated story at a lower threshold (so they inherit its date)."""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import scipy.sparse as sps

from transforms.dedup.config import DedupConfig
from transforms.dedup.embedding import embedding_matrix, pair_embedding_cosines
from transforms.dedup.events import Event, event_scores, score_conflicts, score_lines

_COSINE_CHUNK = 4096
_BUCKETS = 1 << 20
_NAME_RE = re.compile(r"(?<=[a-z0-9,;] )(?:[A-Z][a-z]+|[A-Z]{2,})(?: (?:[A-Z][a-z]+|[A-Z]{2,}))*")


def tfidf_matrix(bag_keys: list[np.ndarray], bag_counts: list[np.ndarray]) -> sps.csr_matrix:
    """Return the l2-normalised TF-IDF rows of word-hash bags: raw counts times idf = ln((n + 1) / df), fitted on
    these rows (a word in every row keeps a small weight; no +1, so shared rare words dominate).

    Columns are the low bits of the word hashes (2**20 buckets, as a hashing vectoriser): no vocabulary to build.
    """
    n = len(bag_keys)
    lens = np.array([len(k) for k in bag_keys], dtype=np.int64)
    indptr = np.r_[0, np.cumsum(lens)]
    if indptr[-1] == 0:
        return sps.csr_matrix((n, _BUCKETS), dtype=np.float32)
    matrix = sps.csr_matrix(
        (np.concatenate(bag_counts).astype(np.float32),
         (np.concatenate(bag_keys) & np.uint64(_BUCKETS - 1)).astype(np.int32), indptr), shape=(n, _BUCKETS))
    matrix.sum_duplicates()                          # two words of one row may share a bucket
    df = np.bincount(matrix.indices, minlength=_BUCKETS).astype(np.float32)
    matrix.data *= np.log((1 + n) / np.maximum(df, 1)).astype(np.float32)[matrix.indices]
    row_len = np.diff(matrix.indptr)
    norms = np.ones(n, dtype=np.float32)
    norms[row_len > 0] = np.sqrt(np.add.reduceat(matrix.data * matrix.data, matrix.indptr[:-1][row_len > 0]))
    matrix.data /= np.repeat(np.where(norms > 0, norms, 1.0).astype(np.float32), row_len)
    return matrix


def pair_cosines(matrix: sps.csr_matrix, pairs: np.ndarray) -> np.ndarray:
    """Return the cosine of each row pair (rows are l2-normalised)."""
    out = np.empty(len(pairs))
    for lo in range(0, len(pairs), _COSINE_CHUNK):     # chunked: two row-gathers of a large pair list are big
        part = pairs[lo:lo + _COSINE_CHUNK]
        out[lo:lo + len(part)] = np.asarray(matrix[part[:, 0]].multiply(matrix[part[:, 1]]).sum(axis=1)).ravel()
    return out


def story_candidates(matrix: sps.csr_matrix, config: DedupConfig) -> np.ndarray:
    """Return (k, 2) row pairs sharing at least two of their top-weighted terms (common terms ignored)."""
    from transforms.dedup.candidates import index_candidates

    tops: list[np.ndarray] = []
    for r in range(matrix.shape[0]):
        lo, hi = matrix.indptr[r], matrix.indptr[r + 1]
        top = np.argsort(-matrix.data[lo:hi], kind="stable")[: config.story_terms]
        tops.append(np.sort(matrix.indices[lo:hi][top]).astype(np.uint64))
    rows = np.arange(matrix.shape[0])
    return index_candidates(tops, rows, replace(config, min_shared_keys=2, min_key_fraction=0.0,
                                                max_posting=config.story_max_posting))


def event_candidates(events: list[Event], config: DedupConfig) -> np.ndarray:
    """Return (k, 2) row pairs sharing an event key (an event place with a lead actor); keys held by more than
    story_max_posting rows are ignored."""
    from transforms.dedup.candidates import index_candidates
    from transforms.dedup.text import token_hash

    keys = [np.unique(np.array([token_hash(f"{p}\x1f{a}") for p in e.places for a in e.actors], dtype=np.uint64))
            for e in events]
    return index_candidates(keys, np.arange(len(events)), replace(
        config, min_shared_keys=1, min_key_fraction=0.0, max_posting=config.story_max_posting))


def story_pair_similarities(matrix: sps.csr_matrix, events: list[Event] | None, pairs: np.ndarray,
                            config: DedupConfig, embeddings: np.ndarray | None = None,
                            scores: list[frozenset[tuple[int, int]]] | None = None) -> np.ndarray:
    """Return the story similarity in [0, 1] of row pairs: TF-IDF cosine plus story_event_weight times event
    agreement (-1 when `scores`, per row the lead's match scores, conflict: events.score_conflicts), and with
    `embeddings` ((n, dim) unit rows) that blended with their cosine by story_embedding_weight."""
    sims = pair_cosines(matrix, pairs)
    agreement = np.zeros(len(pairs))
    if events is not None and len(pairs):
        agreement = event_scores([events[a] for a in pairs[:, 0]], [events[b] for b in pairs[:, 1]])
    if scores is not None and len(pairs):
        conflict = score_conflicts([scores[a] for a in pairs[:, 0]], [scores[b] for b in pairs[:, 1]])
        agreement = np.where(conflict, -1.0, agreement)
    sims = sims + config.story_event_weight * agreement
    if embeddings is not None and config.story_embedding_weight > 0:
        w = config.story_embedding_weight
        sims = (1.0 - w) * sims + w * pair_embedding_cosines(embeddings, pairs)
    return np.clip(sims, 0.0, 1.0)


def cluster_stories(matrix: sps.csr_matrix, dates: list[list[date]], config: DedupConfig,
                    events: list[Event] | None = None, embeddings: np.ndarray | None = None,
                    scores: list[frozenset[tuple[int, int]]] | None = None) -> np.ndarray:
    """Return per row a story label (smallest member row): average-linkage clustering over the candidate pairs
    (story_average_linkage at story_threshold), then each story with no known date joins the dated story it
    is most similar to on average, at or above story_attach_threshold; no story's known dates span more than
    story_window_days.

    `events` (optional, per row) adds the event agreement to the cosine and proposes event candidates;
    `embeddings` (optional, (n, dim) unit rows) blends in the semantic cosine and `scores` (optional, per row
    events.score_lines of its text) keeps reports of different matches apart (story_pair_similarities)."""
    n = matrix.shape[0]
    pairs = story_candidates(matrix, config)
    if events is not None:
        more = event_candidates(events, config)
        if len(more):
            pairs = np.unique(np.concatenate([pairs.reshape(-1, 2), more]), axis=0)
    sims = story_pair_similarities(matrix, events, pairs, config, embeddings, scores)
    keep = sims >= min(config.story_threshold, config.story_attach_threshold)   # weaker pairs barely move a mean
    return story_average_linkage(n, pairs[keep], sims[keep], dates, config)


def story_average_linkage(n: int, pairs: np.ndarray, sims: np.ndarray, dates: list[list[date]],
                          config: DedupConfig) -> np.ndarray:
    """Return per row a story label (smallest member row) from sparse average linkage over (k, 2) row `pairs`
    with similarities `sims`: the two stories with the highest mean similarity over all their member pairs
    merge while that mean is at or above story_threshold (pairs not listed count as 0), unless their known
    dates would span more than story_window_days. Then each undated story joins its dated story of highest
    mean similarity at or above story_attach_threshold.

    Single link chains one topic's events into one story through a path of close pairs; the mean over all
    member pairs needs a newcomer to be close to most of the story. Work is over the listed pairs only: a merge
    costs the smaller story's links, and nothing is ever n x n or story x story."""
    size = [1] * n
    parent = list(range(n))
    links: list[dict[int, float]] = [{} for _ in range(n)]     # per live story: other story -> sum of pair sims
    for (a, b), s in zip(pairs.tolist(), sims.tolist()):
        if a != b:                                     # a pair listed twice counts once, at its higher value
            links[a][b] = links[b][a] = max(s, links[a].get(b, s))
    lo: list[date | None] = [min(d) if d else None for d in dates]
    hi: list[date | None] = [max(d) if d else None for d in dates]
    version = [0] * n

    def mean(a: int, b: int) -> float:
        return links[a][b] / (size[a] * size[b])

    def span_ok(a: int, b: int) -> tuple[bool, date | None, date | None]:
        span_lo = min((d for d in (lo[a], lo[b]) if d is not None), default=None)
        span_hi = max((d for d in (hi[a], hi[b]) if d is not None), default=None)
        ok = span_lo is None or span_hi is None or (span_hi - span_lo).days <= config.story_window_days
        return ok, span_lo, span_hi

    def merge(a: int, b: int, span_lo: date | None, span_hi: date | None) -> int:
        if len(links[a]) < len(links[b]):
            a, b = b, a
        for other, s in links[b].items():              # fold the smaller story's links into the larger's
            if other != a:
                total = links[a].get(other, 0.0) + s
                links[a][other] = total
                links[other][a] = total
                del links[other][b]
        links[a].pop(b, None)
        links[b] = {}
        size[a] += size[b]
        parent[b] = a
        lo[a], hi[a] = span_lo, span_hi
        version[a] += 1
        return a

    def run(threshold: float, allowed: Callable[[int, int], bool]) -> None:
        heap = [(-mean(a, b), a, b, 0, 0) for a in range(n) for b in links[a]
                if a < b and allowed(a, b) and mean(a, b) >= threshold]
        heapq.heapify(heap)
        while heap:
            _, a, b, va, vb = heapq.heappop(heap)
            if parent[a] != a or parent[b] != b or version[a] != va or version[b] != vb:
                continue                               # stale: a side has merged since this entry was pushed
            ok, span_lo, span_hi = span_ok(a, b)
            if not ok:
                continue
            root = merge(a, b, span_lo, span_hi)
            for other in links[root]:
                s = mean(root, other)
                if s >= threshold and allowed(root, other):
                    x, y = min(root, other), max(root, other)
                    heapq.heappush(heap, (-s, x, y, version[x], version[y]))

    run(config.story_threshold, lambda a, b: True)
    # undated stories anchor on the dated story they are closest to (so they inherit its date)
    run(config.story_attach_threshold, lambda a, b: (lo[a] is None) != (lo[b] is None))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]  # path halving: long merge chains stay cheap to walk
            x = parent[x]
        return x

    roots = [find(i) for i in range(n)]
    smallest: dict[int, int] = {}
    for row, root in enumerate(roots):
        smallest.setdefault(root, row)
    return np.array([smallest[r] for r in roots], dtype=np.int64)


def story_label(texts: list[str], other_texts_df: Counter[str], n_stories: int, top: int = 3) -> str:
    """Return a short label: the story's most distinctive names (frequent here, rare in other stories)."""
    counts: Counter[str] = Counter()
    for t in texts:
        counts.update(_NAME_RE.findall(t))
    if not counts:
        words = Counter(w for t in texts for w in re.findall(r"[A-Za-z]{4,}", t))
        return ", ".join(w for w, _ in words.most_common(top)) or "untitled"
    scored = sorted(counts, key=lambda k: (-counts[k] * np.log((1 + n_stories) / (1 + other_texts_df[k])), k))
    chosen: list[str] = []
    for name in scored:
        if not any(name in c or c in name for c in chosen):
            chosen.append(name)
        if len(chosen) == top:
            break
    return ", ".join(chosen)


def story_names(texts: list[str]) -> set[str]:
    """Return the distinct capitalised names (not sentence-initial) of some texts."""
    return {m for t in texts for m in _NAME_RE.findall(t)}


def story_similarities(texts_a: list[str], texts_b: list[str], config: DedupConfig = DedupConfig()) -> np.ndarray:
    """Return the story similarity in [0, 1] of each pair (texts_a[i], texts_b[i]); idf is fitted on all texts."""
    from transforms.dedup.signatures import document_signatures, signature_events

    docs = pd.DataFrame({"doc_id": [str(i) for i in range(len(texts_a) + len(texts_b))],
                         "clean_text": list(texts_a) + list(texts_b)})
    sig = document_signatures(docs, config)
    matrix = tfidf_matrix(list(sig["bag_keys"]), list(sig["bag_counts"]))
    n = len(texts_a)
    pairs = np.stack([np.arange(n), np.arange(n) + n], axis=1)
    return story_pair_similarities(matrix, signature_events(sig), pairs, config, embedding_matrix(sig["embedding"]),
                                   [score_lines(t) for t in docs["clean_text"]])


def story_similarity(text_a: str, text_b: str) -> float:
    """Return the story similarity in [0, 1] of two texts (idf from the two texts alone: prefer the batch form)."""
    return float(story_similarities([text_a], [text_b])[0])
