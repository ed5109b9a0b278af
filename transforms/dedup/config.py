"""Thresholds of the deduplicate stage, as one frozen dataclass."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DedupConfig:
    """Every knob of the deduplicate stage; defaults are the tuned values."""

    shingle_size: int = 5
    """Words per shingle for Jaccard and containment."""
    num_perm: int = 64
    """MinHash permutations for the near-copy LSH."""
    lsh_threshold: float = 0.5
    """Jaccard threshold the MinHash LSH is tuned to (candidates only; verified after)."""
    sample_rate: int = 8
    """Content-defined sampling of shingles for the containment index: keep 1 in `sample_rate`."""
    anchor_size: int = 3
    """Length of the n-grams over the anchor sequence (names, numbers, quoted words)."""
    max_posting: int = 64
    """Index keys held by more documents than this are ignored (boilerplate, common phrases)."""
    min_shared_keys: int = 2
    """A pair must share this many sampled shingles or anchor n-grams to become a candidate."""
    min_key_fraction: float = 0.4
    """... and at least this share of the smaller document's keys (estimated containment)."""
    near_threshold: float = 0.5
    """Verified word-shingle Jaccard at or above this is a near copy."""
    containment_threshold: float = 0.7
    """Verified containment of the shorter in the longer at or above this is a shortened copy ..."""
    shortened_ratio: float = 0.8
    """... when the shorter has under this share of the longer's shingles (else it is a near copy)."""
    spun_threshold: float = 0.8
    """Anchor evidence (names and numbers shared in order, shrunk when few) at or above this is a spun copy ..."""
    spun_min_wording: float = 0.2
    """... provided this share of the smaller's sentence skeletons or word shingles is shared too."""
    min_anchors: int = 6
    """A document needs this many anchor n-grams for the spun test to apply."""
    story_threshold: float = 0.41
    """Story similarity at or above this links two documents (or duplicate groups) into one story. It is the
    lexical threshold 0.3 carried onto the blended scale: 0.7 * 0.3 + 0.3 * 0.67, where 0.67 is the mean embedding
    cosine of BBC News candidate pairs with lexical similarity 0.3 (no labels used), so blending in the embedding
    reorders pairs near the threshold without linking more of them (single-link chains grow fast otherwise)."""
    story_event_weight: float = 0.25
    """Added to the story cosine times the event agreement in [-1, 1] (shared event place and lead actors add,
    conflicting event places subtract); see events.py."""
    story_embedding_weight: float = 0.3
    """Story similarity = (1 - this) * lexical + this * embedding cosine, where lexical is the TF-IDF cosine plus
    the event term and the embedding is static WordLlama vectors (embedding.py), which catch same-event paraphrase
    with little shared wording. 0.3 was picked by ROC-AUC on SemEval-2022 Task 8 dev pairs and is the weight
    most often picked on the training folds of 10-fold cross-validation (bench/dedup_semeval.py). 0 turns it off
    (then set the thresholds back to 0.3 and 0.2)."""
    story_attach_threshold: float = 0.31
    """An undated story joins its most similar dated story at or above this (lower) similarity: the lexical 0.2
    carried onto the blended scale as story_threshold is (0.7 * 0.2 + 0.3 * 0.575)."""
    story_drop_furniture: bool = True
    """Leave sentences that the clean stage's rules call page furniture (sign-up, paywall and cookie prompts,
    copyright notices, related-links and advertisement labels) out of story bags and embeddings (furniture.py):
    two pages of one site share them."""
    story_window_days: int = 10
    """Two dated groups further apart than this are never the same story."""
    story_max_posting: int = 32
    """Top terms shared by more groups than this do not propose story candidates (they still count in similarity)."""
    story_terms: int = 12
    """Top TF-IDF terms per document used to find story candidates."""
    seed: int = 1
    """Seed of the MinHash permutations."""
