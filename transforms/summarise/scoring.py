"""Sentence scores inside one document and redundancy-aware (MMR) selection under a length budget."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from transforms.summarise.config import SummariseConfig
from transforms.summarise.features import content_terms, dense_term_matrix, eligible_mask, opens_cleanly


@dataclass(frozen=True)
class DocSentences:
    """The sentences of one document in article order, with the features selection needs."""

    sentence_ids: tuple[str, ...]
    texts: tuple[str, ...]
    n_words: np.ndarray
    eligible: np.ndarray
    opener_ok: np.ndarray
    sims: np.ndarray
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
    """Score one document's sentences (given in article order) by position, centrality, title overlap and length."""
    n_words = np.array([len(t.split()) for t in texts], dtype=np.int64)
    eligible = eligible_mask(texts, paragraphs, is_heading, n_words, config.min_words)
    if not eligible.any():  # no prose-like sentence: relax to any non-heading sentence, then to anything
        eligible = ~np.asarray(is_heading, dtype=bool) & (n_words > 0)
        if not eligible.any():
            eligible = n_words > 0
    terms = tuple(content_terms(t) for t in texts)
    title_terms = content_terms(title) if title else ()
    matrix = dense_term_matrix([*terms, title_terms])
    vectors, title_vec = matrix[:-1], matrix[-1]
    score = _scores(vectors, title_vec, n_words, eligible, config)
    opener_ok = np.array([opens_cleanly(t) for t in texts], dtype=bool)
    sims = vectors @ vectors.T
    for array in (n_words, eligible, opener_ok, sims, score):
        array.setflags(write=False)  # shared through the cache: never modified
    return DocSentences(tuple(sentence_ids), tuple(texts), n_words, eligible, opener_ok, sims, score, terms)


def _scores(
    vectors: np.ndarray, title_vec: np.ndarray, n_words: np.ndarray, eligible: np.ndarray, config: SummariseConfig
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
    centroid = body.sum(axis=0)
    centrality = body @ centroid - 1.0 * (np.linalg.norm(body, axis=1) > 0)  # similarity to the other sentences
    top = centrality.max()
    centrality = centrality / top if top > 0 else np.zeros_like(centrality)
    title = body @ title_vec
    length = np.minimum(n_words[idx], 35) / 35.0
    score[idx] = (
        config.position_weight * position
        + config.centrality_weight * centrality
        + config.title_weight * title
        + config.length_weight * length
    )
    return score


def select(doc: DocSentences, config: SummariseConfig) -> list[int]:
    """Pick sentence positions by MMR under the sentence and word budget; returned in article order."""
    eligible = np.flatnonzero(doc.eligible)
    if not len(eligible):
        return []
    doc_words = int(doc.n_words[doc.eligible].sum())
    budget = min(config.max_words, max(config.max_share * doc_words, 1))
    k = max(1, min(config.target_sentences + config.sentence_slack, int(config.max_share * len(eligible) + 0.5)))
    any_opener = bool(doc.opener_ok[eligible].any())
    chosen: list[int] = []
    used = 0
    redundancy = np.zeros(len(doc.score))
    while len(chosen) < k:
        best, best_value = -1, -np.inf
        for i in eligible:
            if i in chosen:
                continue
            if chosen and used + doc.n_words[i] > budget:
                continue
            if any_opener and not doc.opener_ok[i] and (not chosen or i < min(chosen)):
                continue
            value = config.mmr_lambda * doc.score[i] - (1 - config.mmr_lambda) * redundancy[i]
            if value > best_value:
                best, best_value = int(i), value
        if best < 0:
            break
        chosen.append(best)
        used += int(doc.n_words[best])
        redundancy = np.maximum(redundancy, doc.sims[best])
    return sorted(chosen)
