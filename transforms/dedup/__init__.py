"""Deduplicate stage: exact, near, shortened and spun copies; duplicate groups; stories; dates across copies.

Input columns: doc_id, source_file, clean_text, published_date, date_source, title, n_sentences (others kept).
Adds or fills on documents: duplicate_group, is_canonical, story_id, and published_date/date_source for
documents without their own date. Pure: no I/O, no clock, seeded hashing; the input frame is not modified.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from transforms.dedup.candidates import candidate_pairs, exact_representatives
from transforms.dedup.config import DedupConfig
from transforms.dedup.dates import fill_dates, own_dates
from transforms.dedup.embedding import embedding_matrix
from transforms.dedup.events import Event, event_label, score_lines
from transforms.dedup.groups import (canonical_flags, connected_components, short_id, spun_side,
                                     word_commonness)
from transforms.dedup.signatures import document_signatures, signature_events
from transforms.dedup.stories import (cluster_stories, story_label, story_names, story_similarities,
                                      story_similarity, tfidf_matrix)
from transforms.dedup.verify import verify_pairs

__all__ = ["DedupConfig", "DedupResult", "deduplicate", "document_signatures", "story_similarities",
           "story_similarity", "DUPLICATE_COLUMNS", "STORY_COLUMNS", "ADDED_COLUMNS"]

DUPLICATE_COLUMNS: tuple[str, ...] = (
    "doc_id_a", "doc_id_b", "relation", "score", "method", "jaccard", "containment_a_in_b", "containment_b_in_a",
    "shared_quotes", "shared_numbers", "aligned_sentences", "trigram_containment", "ordered_words", "lead_kept",
    "other_passages", "meaning_aligned", "novel_anchors",
)
STORY_COLUMNS: tuple[str, ...] = ("story_id", "label", "n_documents", "n_distinct", "first_date", "last_date",
                                  "doc_ids")
ADDED_COLUMNS: tuple[str, ...] = ("duplicate_group", "is_canonical", "story_id")
_EVENT_COLUMNS = ("event_places", "event_actors", "event_place_names", "event_actor_names")
_LABEL_CHARS = 1500
_LABEL_DOCS = 5


@dataclass(frozen=True)
class DedupResult:
    """The stage's output: documents with groups/stories/dates, the duplicates table and the stories table."""

    documents: pd.DataFrame
    duplicates: pd.DataFrame
    stories: pd.DataFrame


def deduplicate(documents: pd.DataFrame, config: DedupConfig = DedupConfig(),
                signatures: pd.DataFrame | None = None) -> DedupResult:
    """Find copies and stories among documents; return them with the documents (input row order) annotated.

    `signatures` (optional) is document_signatures() output for these documents, e.g. from a cache keyed by
    text hash; rows are matched by doc_id. Work is done in doc_id order, so row order never changes a result.
    """
    order = np.argsort(documents["doc_id"].astype(str).to_numpy(), kind="stable")
    meta = documents.loc[:, ["doc_id", "published_date", "date_source"]].iloc[order].reset_index(drop=True)
    doc_ids = meta["doc_id"].astype(str).tolist()
    if signatures is None:
        sig = document_signatures(documents, config).iloc[order].reset_index(drop=True)
    else:
        sig = signatures.set_index("doc_id", drop=False).loc[doc_ids].reset_index(drop=True)
    pairs = _verified_pairs(sig, config, [documents["clean_text"].iat[i] for i in order])
    # release the copy-detection signatures
    sig = sig.loc[:, ["doc_id", "n_words", "bag_keys", "bag_counts", "embedding", *_EVENT_COLUMNS]]
    n = len(meta)
    comp = connected_components(n, pairs[["row_a", "row_b"]].to_numpy(dtype=np.int64).reshape(-1, 2))
    members: dict[int, list[int]] = {}
    for row, root in enumerate(comp.tolist()):
        members.setdefault(root, []).append(row)
    group_ids = {root: short_id("g", [doc_ids[r] for r in rows]) for root, rows in members.items()}
    groups = [group_ids[r] for r in comp.tolist()]
    canonical = canonical_flags(comp, sig["n_words"].to_numpy(), doc_ids, _spun_rows(sig, pairs, n))

    own = own_dates(meta)
    texts = documents["clean_text"]
    story_of_row = _stories(own, sig, comp, canonical, config, [texts.iat[i] for i in order])
    story_members: dict[int, list[int]] = {}
    for row, root in enumerate(story_of_row.tolist()):
        story_members.setdefault(root, []).append(row)
    story_ids = {root: short_id("s", [doc_ids[r] for r in rows]) for root, rows in story_members.items()}
    stories = [story_ids[r] for r in story_of_row.tolist()]
    dates, sources = fill_dates(own, groups, stories)
    date_source = [src if new == "own" else new for src, new in zip(meta["date_source"], sources)]

    undo = np.empty(n, dtype=np.int64)
    undo[order] = np.arange(n)

    def back(values: list[object] | np.ndarray) -> list[object]:
        arr = np.empty(n, dtype=object)
        arr[:] = list(values)
        return arr[undo].tolist()

    out_docs = documents.assign(
        duplicate_group=back(groups), is_canonical=np.asarray(canonical, dtype=bool)[undo],
        story_id=back(stories), published_date=pd.Series(back(dates), index=documents.index, dtype=object),
        date_source=back(date_source))
    label_rows = {root: [r for r in rows if canonical[r]][:_LABEL_DOCS] for root, rows in story_members.items()}
    label_texts = {root: [str(texts.iat[order[r]])[:_LABEL_CHARS] for r in rows] for root, rows in label_rows.items()}
    events = signature_events(sig)
    label_events = {root: [events[r] for r in rows] for root, rows in label_rows.items()}
    stories_frame = _stories_frame(doc_ids, groups, dates, label_texts, label_events, story_members, story_ids)
    return DedupResult(documents=out_docs, duplicates=_duplicates_frame(pairs, doc_ids), stories=stories_frame)


def _verified_pairs(sig: pd.DataFrame, config: DedupConfig, texts: list[object]) -> pd.DataFrame:
    """Verified pairs over all rows (texts: per row its clean text): exact copies, and every member pair of two
    verified exact-copy heads."""
    rep = exact_representatives(sig)
    heads = np.flatnonzero(rep == np.arange(len(sig)))
    verified = verify_pairs(sig, candidate_pairs(sig, heads, config), config,
                            ["" if not isinstance(t, str) else t for t in texts])
    copies: dict[int, list[int]] = {}
    for row, head in enumerate(rep.tolist()):
        copies.setdefault(head, []).append(row)
    rows: list[dict[str, object]] = []
    for head, rs in copies.items():
        for i, a in enumerate(rs):
            for b in rs[i + 1:]:
                rows.append({"row_a": a, "row_b": b, "relation": "exact", "score": 1.0, "method": "text-hash",
                             "jaccard": 1.0, "containment_a_in_b": 1.0, "containment_b_in_a": 1.0,
                             "skeleton_containment": 1.0, "shared_quotes": len(sig["quotes"].iat[a]),
                             "shared_numbers": len(sig["numbers"].iat[a]), "trigram_containment": 1.0,
                             "ordered_words": 1.0, "aligned_share": 1.0, "lead_kept": 1.0, "other_passages": 0.0,
                             "meaning_aligned": 1.0, "novel_anchors": 0.0})
    for rec in verified.to_dict("records"):
        for a in copies[rec["row_a"]]:
            for b in copies[rec["row_b"]]:
                lo, hi = (a, b) if a < b else (b, a)
                swap = a > b
                rows.append({**rec, "row_a": lo, "row_b": hi,
                             "containment_a_in_b": rec["containment_b_in_a"] if swap else rec["containment_a_in_b"],
                             "containment_b_in_a": rec["containment_a_in_b"] if swap else rec["containment_b_in_a"]})
    cols = ["row_a", "row_b", "relation", "score", "method", "jaccard", "containment_a_in_b", "containment_b_in_a",
            "skeleton_containment", "shared_quotes", "shared_numbers", "trigram_containment", "ordered_words",
            "aligned_share", "lead_kept", "other_passages", "meaning_aligned", "novel_anchors"]
    frame = pd.DataFrame(rows, columns=cols)
    return frame.sort_values(["row_a", "row_b"], kind="mergesort").reset_index(drop=True)


def _spun_rows(sig: pd.DataFrame, pairs: pd.DataFrame, n: int) -> np.ndarray:
    """Return per row whether it is the spun side of one of its spun pairs."""
    spun = np.zeros(n, dtype=bool)
    spun_pairs = pairs[pairs["relation"] == "spun"]
    if spun_pairs.empty:
        return spun
    words = list(sig["bag_keys"])
    vocab = word_commonness(words)
    for a, b in zip(spun_pairs["row_a"].tolist(), spun_pairs["row_b"].tolist()):
        spun[(a, b)[spun_side(words[a], words[b], vocab)]] = True
    return spun


def _stories(own: list[date | None], sig: pd.DataFrame, comp: np.ndarray, canonical: np.ndarray,
             config: DedupConfig, texts: list[object]) -> np.ndarray:
    """Return per row the smallest row of its story; stories are clustered over duplicate groups (each group by
    its canonical text's TF-IDF, embedding, event signature and lead match scores, and every member's own date)."""
    heads = np.flatnonzero(canonical)
    head_of_root = {int(comp[h]): i for i, h in enumerate(heads)}
    group_dates: list[list[date]] = [[] for _ in heads]
    for row, root in enumerate(comp.tolist()):
        if own[row] is not None:
            group_dates[head_of_root[root]].append(own[row])
    bag_keys, bag_counts = sig["bag_keys"].tolist(), sig["bag_counts"].tolist()
    matrix = tfidf_matrix([bag_keys[h] for h in heads], [bag_counts[h] for h in heads])
    events = signature_events(sig.iloc[heads])
    embeddings = embedding_matrix(sig["embedding"].iloc[heads])
    scores = [score_lines(str(texts[h])) for h in heads]
    label = cluster_stories(matrix, group_dates, config, events, embeddings, scores)
    story_row = {i: int(heads[label[i]]) for i in range(len(heads))}
    first_row: dict[int, int] = {}
    for row, root in enumerate(comp.tolist()):
        first_row.setdefault(story_row[head_of_root[root]], row)
    return np.array([first_row[story_row[head_of_root[r]]] for r in comp.tolist()], dtype=np.int64)


def _duplicates_frame(pairs: pd.DataFrame, doc_ids: list[str]) -> pd.DataFrame:
    """Return the DUPLICATES table (rows already ordered by doc_id, so doc_id_a < doc_id_b)."""
    ids = np.array(doc_ids, dtype=object)
    frame = pd.DataFrame({
        "doc_id_a": ids[pairs["row_a"].to_numpy(dtype=np.int64)] if len(pairs) else [],
        "doc_id_b": ids[pairs["row_b"].to_numpy(dtype=np.int64)] if len(pairs) else [],
        "relation": pairs["relation"].astype(str).to_numpy(),
        "score": pairs["score"].astype(float).round(6).to_numpy(),
        "method": pairs["method"].astype(str).to_numpy(),
        "jaccard": pairs["jaccard"].astype(float).round(6).to_numpy(),
        "containment_a_in_b": pairs["containment_a_in_b"].astype(float).round(6).to_numpy(),
        "containment_b_in_a": pairs["containment_b_in_a"].astype(float).round(6).to_numpy(),
        "shared_quotes": pairs["shared_quotes"].astype("int32").to_numpy(),
        "shared_numbers": pairs["shared_numbers"].astype("int32").to_numpy(),
        "aligned_sentences": pairs["aligned_share"].astype(float).round(6).to_numpy(),
        "trigram_containment": pairs["trigram_containment"].astype(float).round(6).to_numpy(),
        "ordered_words": pairs["ordered_words"].astype(float).round(6).to_numpy(),
        "lead_kept": pairs["lead_kept"].astype(float).round(6).to_numpy(),
        "other_passages": pairs["other_passages"].astype(float).round(6).to_numpy(),
        "meaning_aligned": pairs["meaning_aligned"].astype(float).round(6).to_numpy(),
        "novel_anchors": pairs["novel_anchors"].astype(float).round(6).to_numpy(),
    }, columns=list(DUPLICATE_COLUMNS))
    return frame.astype({"doc_id_a": object, "doc_id_b": object, "relation": object, "method": object})


def _stories_frame(doc_ids: list[str], groups: list[str], dates: list[date | None],
                   label_texts: dict[int, list[str]], label_events: dict[int, list[Event]],
                   story_members: dict[int, list[int]], story_ids: dict[int, str]) -> pd.DataFrame:
    """Return the STORIES table, one row per story, ordered by story_id."""
    labels = {root: event_label(events) for root, events in label_events.items()}
    name_df: Counter[str] = Counter()
    if any(label is None for label in labels.values()):   # the names fallback needs every story's names
        name_df.update(n for texts in label_texts.values() for n in story_names(texts))
    records = []
    for root, rows in story_members.items():
        known = [dates[r] for r in rows if dates[r] is not None]
        records.append({
            "story_id": story_ids[root],
            "label": labels[root] or story_label(label_texts[root], name_df, len(story_members)),
            "n_documents": len(rows),
            "n_distinct": len({groups[r] for r in rows}),
            "first_date": min(known) if known else None,
            "last_date": max(known) if known else None,
            "doc_ids": sorted(doc_ids[r] for r in rows),
        })
    frame = pd.DataFrame(records, columns=list(STORY_COLUMNS))
    return frame.sort_values("story_id", kind="mergesort").reset_index(drop=True).astype(
        {"n_documents": "int32", "n_distinct": "int32"})
