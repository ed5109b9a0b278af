"""Sentence scores inside one document and lead-backed, redundancy-aware selection under a length budget.

Everything here is linear in the document's sentences: tf-idf rows are sparse for a long document (dense,
which is faster, only below _DENSE_CELLS sentence x term cells), no sentences x sentences matrix is built (redundancy is checked against the few sentences already chosen), so a 200,000-sentence
article costs time and memory in proportion to its size.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse

from transforms.summarise.config import SummariseConfig
from transforms.summarise.features import content_terms, dense_term_matrix, eligible_mask, opens_cleanly, term_matrix

_DENSE_CELLS = 400_000  # above this many sentence x term cells a document's vectors are kept sparse
_MAX_EXAMINED = 1000  # best-scored sentences selection looks at: a document of repeats cannot make it quadratic
Vectors = np.ndarray | sparse.csr_matrix


@dataclass(frozen=True)
class DocSentences:
    """The sentences of one document in article order, with the features selection needs."""

    sentence_ids: tuple[str, ...]
    texts: tuple[str, ...]
    n_words: np.ndarray
    eligible: np.ndarray
    opener_ok: np.ndarray
    vectors: sparse.csr_matrix  # kept sparse in the cache: its size is the document's, not sentences x terms
    score: np.ndarray
    terms: tuple[tuple[str, ...], ...]


@lru_cache(maxsize=4096)  # the flow scores every document twice (article, then story summaries)
def prepare(
    sentence_ids: tuple[str, ...],
    texts: tuple[str, ...],
    paragraphs: tuple[int, ...],
    is_heading: tuple[bool, ...],
    title: str | None,
    config: SummariseConfig,
) -> DocSentences:
    """Score one document's sentences (given in article order) by lead position, centrality and title overlap."""
    n_words = np.array([len(t.split()) for t in texts], dtype=np.int64)
    eligible = eligible_mask(texts, paragraphs, is_heading, n_words, config.min_words)
    if not eligible.any():  # no prose-like sentence: relax to any non-heading sentence, then to anything
        eligible = ~np.asarray(is_heading, dtype=bool) & (n_words > 0)
        if not eligible.any():
            eligible = n_words > 0
    terms = tuple(content_terms(t) for t in texts)
    title_terms = content_terms(title) if title else ()
    rows = [*terms, title_terms]
    width = len({t for r in rows for t in r})
    matrix = dense_term_matrix(rows) if len(rows) * width <= _DENSE_CELLS else term_matrix(rows)
    vectors, title_vec = matrix[:-1], matrix[-1]
    score = _scores(vectors, title_vec, n_words, eligible, config)
    vectors = sparse.csr_matrix(vectors)
    opener_ok = np.array([opens_cleanly(t) for t in texts], dtype=bool)
    for array in (n_words, eligible, opener_ok, score):
        array.setflags(write=False)  # shared through the cache: never modified
    return DocSentences(tuple(sentence_ids), tuple(texts), n_words, eligible, opener_ok, vectors, score, terms)


def _scores(
    vectors: Vectors, title_vec: Vectors, n_words: np.ndarray, eligible: np.ndarray,
    config: SummariseConfig,
) -> np.ndarray:
    n = len(n_words)
    score = np.full(n, -np.inf)
    idx = np.flatnonzero(eligible)
    if not len(idx):
        return score
    body = vectors[idx]
    rank = np.arange(len(idx), dtype=np.float64)
    position = 1.0 / (1.0 + rank / config.position_decay)
    position[0] += config.lead_bonus
    centroid = np.asarray(body.sum(axis=0)).ravel()
    self_sim = np.asarray(_rows_dot(body, body)).ravel()
    centrality = np.asarray(body @ centroid).ravel() - self_sim  # similarity to the other sentences
    top = centrality.max()
    centrality = centrality / top if top > 0 else np.zeros_like(centrality)
    title = _dense(body @ title_vec.T).ravel()
    length = np.minimum(n_words[idx], 35) / 35.0
    score[idx] = (
        config.position_weight * position
        + config.centrality_weight * centrality
        + config.title_weight * title
        + config.length_weight * length
    )
    return score


def select(doc: DocSentences, config: SummariseConfig) -> list[int]:
    """Pick sentence positions by score under the sentence and word budget; returned in article order.

    Best score first; a sentence that restates a chosen one is skipped; the summary stops at the first
    sentence that no longer fits the word budget, so it never swaps a strong lead sentence for a short filler.
    """
    eligible = np.flatnonzero(doc.eligible)
    if not len(eligible):
        return []
    doc_words = int(doc.n_words[doc.eligible].sum())
    budget = min(config.max_words, max(config.max_share * doc_words, 1))
    k = max(1, min(config.target_sentences + config.sentence_slack, int(config.max_share * len(eligible) + 0.5)))
    any_opener = bool(doc.opener_ok[eligible].any())
    order = eligible[np.lexsort((eligible, -doc.score[eligible]))]  # best first, earlier sentence on ties
    vectors = _working(doc.vectors)
    chosen: list[int] = []
    used = 0
    for i in order[:_MAX_EXAMINED].tolist():
        if len(chosen) >= k:
            break
        if any_opener and not doc.opener_ok[i] and (not chosen or i < min(chosen)):
            continue  # the summary's first sentence must not lean on a referent the reader has not seen
        if chosen and _overlap(vectors, i, chosen) >= config.max_overlap:
            continue
        if chosen and used + doc.n_words[i] > budget:
            break
        chosen.append(i)
        used += int(doc.n_words[i])
    return sorted(chosen)


def _overlap(vectors: Vectors, i: int, chosen: list[int]) -> float:
    """Highest cosine between sentence i and the chosen sentences (rows are L2-normalised)."""
    return float(_dense(vectors[chosen] @ vectors[i].T).max())


def _working(vectors: sparse.csr_matrix) -> Vectors:
    """Dense rows for a small document (faster to index), the sparse ones for a long document."""
    return vectors.toarray() if vectors.shape[0] * vectors.shape[1] <= _DENSE_CELLS else vectors


def _rows_dot(a: Vectors, b: Vectors) -> np.ndarray:
    """Row-wise dot products of two matrices of the same shape."""
    return np.asarray(a.multiply(b).sum(axis=1)) if sparse.issparse(a) else np.einsum("ij,ij->i", a, b)


def _dense(matrix: Vectors) -> np.ndarray:
    return matrix.toarray() if sparse.issparse(matrix) else np.asarray(matrix)
