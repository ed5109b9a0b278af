"""Story summaries: multi-document, redundancy-aware (MMR), canonical wording first, one-line headline.

A story's candidates are the best eligible sentences of its documents. Inside a duplicate group the canonical
document speaks for the group: a sentence of another member is dropped when the canonical one has a
counterpart of it (a spun or shortened copy says the same thing in worse words), and kept with a
penalty otherwise. Selection spreads the summary over the story's duplicate groups.

Memory stays bounded whatever the story's size: each document offers at most `_DOC_POOL` sentences, the story
at most `story_max_candidates` (each document's best sentence first; the method notes when the cap bites), and
copy-vs-canonical similarities are computed in blocks, so no candidates x candidates matrix grows with the story.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from transforms.summarise.config import SummariseConfig
from transforms.summarise.features import dense_term_matrix, strip_dateline, term_matrix
from transforms.summarise.frames import (
    DocRows,
    is_missing,
    sentences_by_doc,
    single_threaded_blas,
    summary_frame,
    summary_row,
)
from transforms.summarise.headline import headline
from transforms.summarise.scoring import prepare

STORY_METHOD = "multi-document/canonical-wording+centrality+mmr/v1"
FALLBACK_METHOD = "fallback/label/v1"
_DENSE_CELLS = 400_000  # above this many sentence x term cells a story's vectors are kept sparse
_DOC_POOL = 64  # sentences per document that may enter a story (its best by within-document score)
_BLOCK = 1024  # rows per block of a similarity product


@dataclass(frozen=True)
class Member:
    """One document of a story: its duplicate group and whether it speaks for that group."""

    doc_id: str
    group: str
    canonical: bool
    title: str | None


@dataclass(frozen=True)
class Candidate:
    """A sentence that may enter the story summary."""

    sentence_id: str
    text: str
    doc_id: str
    group: str
    canonical: bool
    n_words: int
    doc_score: float
    opener_ok: bool
    terms: tuple[str, ...]


def summarise_stories(
    documents: pd.DataFrame, sentences: pd.DataFrame, stories: pd.DataFrame, config: SummariseConfig = SummariseConfig(),
    on_progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """Return one summaries row per story (scope 'story') with a headline and the cited sentence_ids.
    on_progress, if given, is called with 1 after each story."""
    by_doc = sentences_by_doc(sentences)
    members = _members(documents)
    story_docs = _story_docs(documents, stories)
    labels = stories["label"] if "label" in stories else [None] * len(stories)
    rows = []
    with single_threaded_blas():
        for story_id, label in zip(stories["story_id"], labels):
            story = [members[d] for d in story_docs.get(str(story_id), []) if d in members]
            rows.append(_summarise_story(str(story_id), None if is_missing(label) else str(label), story, by_doc, config))
            if on_progress is not None:
                on_progress(1)
    return summary_frame(rows)


def _members(documents: pd.DataFrame) -> dict[str, Member]:
    out: dict[str, Member] = {}
    n = len(documents)
    groups = documents["duplicate_group"] if "duplicate_group" in documents else pd.Series([None] * n)
    canon = documents["is_canonical"] if "is_canonical" in documents else pd.Series([None] * n)
    titles = documents["title"] if "title" in documents else pd.Series([None] * n)
    for doc_id, group, is_canonical, title in zip(documents["doc_id"], groups, canon, titles):
        doc = str(doc_id)
        out[doc] = Member(
            doc_id=doc,
            group=doc if is_missing(group) else str(group),
            canonical=True if is_missing(is_canonical) else bool(is_canonical),
            title=None if is_missing(title) or not str(title).strip() else str(title).strip(),
        )
    return out


def _story_docs(documents: pd.DataFrame, stories: pd.DataFrame) -> dict[str, list[str]]:
    """Documents of each story: its doc_ids list united with documents whose story_id points at it."""
    out: dict[str, set[str]] = {}
    doc_lists = stories["doc_ids"] if "doc_ids" in stories else [None] * len(stories)
    for story_id, doc_ids in zip(stories["story_id"], doc_lists):
        out.setdefault(str(story_id), set()).update(str(d) for d in (() if doc_ids is None else list(doc_ids)))
    if "story_id" in documents:
        for doc_id, story_id in zip(documents["doc_id"], documents["story_id"]):
            if not is_missing(story_id) and str(story_id) in out:
                out[str(story_id)].add(str(doc_id))
    return {k: sorted(v) for k, v in out.items()}


def _summarise_story(
    story_id: str, label: str | None, story: list[Member], by_doc: dict[str, DocRows], config: SummariseConfig
) -> dict[str, object]:
    candidates = _candidates(story, by_doc, config)
    if not candidates:
        text = label or story_id
        return summary_row("story", story_id, headline(text, config.headline_max_words), [text], [], FALLBACK_METHOD)
    vectors = _vectors([c.terms for c in candidates])
    keep = _drop_covered_copies(candidates, vectors, config.counterpart_similarity)
    keep &= _top_per_document(candidates, config.story_doc_candidates)
    offered = int(np.count_nonzero(keep))
    keep = _cap_story(candidates, keep, config.story_max_candidates)
    candidates = [c for c, k in zip(candidates, keep) if k]
    vectors = vectors[np.flatnonzero(keep)]
    sims = _dense(vectors @ vectors.T)
    score = _story_scores(candidates, vectors, sims, config)
    picked = _select(candidates, sims, score, config)
    if not picked:
        text = label or story_id
        return summary_row("story", story_id, headline(text, config.headline_max_words), [text], [], FALLBACK_METHOD)
    chosen = [candidates[i] for i in picked]
    titles = {m.doc_id: m.title for m in story}
    first = chosen[0]
    line = titles.get(first.doc_id) or strip_dateline(first.text)
    return summary_row(
        "story", story_id, headline(line, config.headline_max_words),
        [c.text for c in chosen], [c.sentence_id for c in chosen],
        f"{STORY_METHOD} (candidates capped at {config.story_max_candidates} of {offered})"
        if offered > config.story_max_candidates else STORY_METHOD,
    )


def _candidates(story: list[Member], by_doc: dict[str, DocRows], config: SummariseConfig) -> list[Candidate]:
    """Eligible sentences of the story's documents, each with its within-document score scaled to [0, 1]."""
    canonical_of = _canonical_members(story, by_doc)
    out: list[Candidate] = []
    for member in story:
        rows = by_doc.get(member.doc_id)
        if rows is None or not rows.sentence_ids:
            continue
        doc = prepare(rows.sentence_ids, rows.texts, rows.paragraphs, rows.is_heading, member.title, config)
        finite = doc.score[np.isfinite(doc.score)]
        low, high = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
        span = high - low if high > low else 1.0
        is_canonical = canonical_of.get(member.group) == member.doc_id
        eligible = np.flatnonzero(doc.eligible)
        pool = eligible[np.lexsort((eligible, -doc.score[eligible]))[:_DOC_POOL]]
        for i in np.sort(pool).tolist():
            out.append(Candidate(
                sentence_id=rows.sentence_ids[i], text=rows.texts[i], doc_id=member.doc_id, group=member.group,
                canonical=is_canonical, n_words=int(doc.n_words[i]),
                doc_score=(float(doc.score[i]) - low) / span, opener_ok=bool(doc.opener_ok[i]), terms=doc.terms[i],
            ))
    return out


def _canonical_members(story: Sequence[Member], by_doc: dict[str, DocRows]) -> dict[str, str]:
    """The document that speaks for each group: the flagged canonical one, else the one with most sentences."""
    by_group: dict[str, list[Member]] = {}
    for m in story:
        by_group.setdefault(m.group, []).append(m)
    out: dict[str, str] = {}
    for group in sorted(by_group):
        members = sorted(by_group[group], key=lambda m: m.doc_id)
        flagged = [m for m in members if m.canonical]
        pool = flagged or members
        size = {m.doc_id: len(by_doc[m.doc_id].sentence_ids) if m.doc_id in by_doc else 0 for m in pool}
        out[group] = min(pool, key=lambda m: (-size[m.doc_id], m.doc_id)).doc_id
    return out


def _drop_covered_copies(
    candidates: list[Candidate], vectors: np.ndarray | sparse.csr_matrix, threshold: float
) -> np.ndarray:
    """Keep a non-canonical sentence only when no canonical sentence of its group says the same thing."""
    keep = np.ones(len(candidates), dtype=bool)
    canonical_rows: dict[str, list[int]] = {}
    copy_rows: dict[str, list[int]] = {}
    for i, c in enumerate(candidates):
        (canonical_rows if c.canonical else copy_rows).setdefault(c.group, []).append(i)
    for group, rows in copy_rows.items():
        originals = canonical_rows.get(group)
        if not originals:
            continue
        best = _max_similarity(vectors[rows], vectors[originals])
        keep[np.asarray(rows)[best >= threshold]] = False
    return keep


def _max_similarity(left: np.ndarray | sparse.csr_matrix, right: np.ndarray | sparse.csr_matrix) -> np.ndarray:
    """Each left row's highest dot product with any right row, computed in blocks of at most _BLOCK x _BLOCK."""
    best = np.full(left.shape[0], -np.inf)
    for start in range(0, left.shape[0], _BLOCK):
        block = left[start:start + _BLOCK]
        for other in range(0, right.shape[0], _BLOCK):
            sims = _dense(block @ right[other:other + _BLOCK].T)
            best[start:start + _BLOCK] = np.maximum(best[start:start + _BLOCK], sims.max(axis=1))
    return best


def _cap_story(candidates: list[Candidate], keep: np.ndarray, limit: int) -> np.ndarray:
    """Keep at most `limit` candidates: every document's best sentence before any document's second, canonical first."""
    rows = np.flatnonzero(keep)
    if len(rows) <= limit:
        return keep
    rank_in_doc: dict[int, int] = {}
    seen: dict[str, int] = {}
    for i in sorted(rows.tolist(), key=lambda i: (-candidates[i].doc_score, i)):
        rank_in_doc[i] = seen.get(candidates[i].doc_id, 0)
        seen[candidates[i].doc_id] = rank_in_doc[i] + 1
    ranked = sorted(rows.tolist(), key=lambda i: (rank_in_doc[i], not candidates[i].canonical,
                                                  -candidates[i].doc_score, candidates[i].sentence_id))
    out = np.zeros(len(candidates), dtype=bool)
    out[ranked[:limit]] = True
    return out


def _vectors(term_lists: list[tuple[str, ...]]) -> np.ndarray | sparse.csr_matrix:
    """Sentence tf-idf rows: dense for a small story, sparse for a large one (same values either way)."""
    n_terms = len({t for terms in term_lists for t in terms})
    if len(term_lists) * n_terms <= _DENSE_CELLS:
        return dense_term_matrix(term_lists)
    return term_matrix(term_lists)


def _dense(matrix: np.ndarray | sparse.spmatrix) -> np.ndarray:
    return matrix.toarray() if sparse.issparse(matrix) else np.asarray(matrix)


def _top_per_document(candidates: list[Candidate], limit: int) -> np.ndarray:
    """Keep each document's `limit` best sentences (by within-document score) so large stories stay cheap."""
    by_doc: dict[str, list[int]] = {}
    for i, c in enumerate(candidates):
        by_doc.setdefault(c.doc_id, []).append(i)
    keep = np.zeros(len(candidates), dtype=bool)
    for rows in by_doc.values():
        ranked = sorted(rows, key=lambda i: (-candidates[i].doc_score, i))
        keep[ranked[:limit]] = True
    return keep


def _story_scores(
    candidates: list[Candidate], vectors: np.ndarray | sparse.csr_matrix, sims: np.ndarray, config: SummariseConfig
) -> np.ndarray:
    """Within-document importance + closeness to the story's centre + support from the other groups."""
    members: dict[str, list[int]] = {}
    for i, c in enumerate(candidates):
        members.setdefault(c.group, []).append(i)
    groups = sorted(members)
    index = {g: np.array(members[g]) for g in groups}
    centre = np.mean([np.asarray(vectors[rows].mean(axis=0)).ravel() for rows in index.values()], axis=0)
    norm = float(np.linalg.norm(centre))
    centrality = np.asarray(vectors @ centre).ravel() / norm if norm > 0 else np.zeros(len(candidates))
    top = float(centrality.max()) if len(centrality) else 0.0
    centrality = centrality / top if top > 0 else centrality
    support = np.zeros(len(candidates))
    if len(groups) > 1:
        for rows in index.values():
            best = sims[:, rows].max(axis=1)
            best[rows] = 0.0
            support += best
        support /= len(groups) - 1
    copy_penalty = np.array([0.0 if c.canonical else config.story_copy_penalty for c in candidates])
    doc_score = np.array([c.doc_score for c in candidates])
    return doc_score + centrality + config.story_support_weight * support - copy_penalty


def _select(candidates: list[Candidate], sims: np.ndarray, score: np.ndarray, config: SummariseConfig) -> list[int]:
    """MMR over the candidates, discounting groups already cited; the first pick must open cleanly."""
    any_opener = any(c.opener_ok for c in candidates)
    chosen: list[int] = []
    used_words = 0
    per_group: dict[str, int] = {}
    redundancy = np.zeros(len(candidates))
    order = sorted(range(len(candidates)), key=lambda i: candidates[i].sentence_id)  # deterministic ties
    while len(chosen) < config.story_sentences:
        best, best_value = -1, -np.inf
        for i in order:
            c = candidates[i]
            if i in chosen or (chosen and used_words + c.n_words > config.story_max_words):
                continue
            if redundancy[i] >= config.story_max_overlap:  # says what a chosen sentence already says
                continue
            if not chosen and any_opener and not c.opener_ok:
                continue
            value = (config.mmr_lambda * score[i] - (1 - config.mmr_lambda) * redundancy[i]
                     - config.story_group_penalty * per_group.get(c.group, 0))
            if value > best_value:
                best, best_value = i, value
        if best < 0:
            break
        chosen.append(best)
        used_words += candidates[best].n_words
        per_group[candidates[best].group] = per_group.get(candidates[best].group, 0) + 1
        redundancy = np.maximum(redundancy, sims[best])
    return chosen
