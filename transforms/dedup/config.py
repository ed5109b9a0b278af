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
    edited_trigram_threshold: float = 0.1
    """An edited copy (trimmed, reordered, merged, reworded: a desk's rewrite of a wire story) keeps at least this
    share of the shorter document's word 3-grams (independent texts on one topic keep .00-.06 on Clough & Stevenson
    dev; 0.1 is the plain containment baseline's threshold) ..."""
    edited_order_threshold: float = 0.45
    """... at least this share of its content words in the longer one's order (independent answers on one topic
    reach .37 on Clough dev; texts sharing one pasted paragraph among unrelated ones .40-.45) ..."""
    edited_aligned_threshold: float = 0.45
    """... and at least this share of its content words in sentences aligned with the longer (verify.aligned_share):
    a copy is derived throughout, a text sharing one paragraph with another is not (synthetic composites: .38
    median, .42 at the 90th percentile)."""
    edited_lead_threshold: float = 0.8
    """An edited copy that fails the order and alignment tests still counts when it keeps the other's lead: this
    share of the rarity-weighted content stems of one text's lead sentence found in the other's (verify.lead_kept;
    a desk's rewrite keeps the news, a student's answer the source's opening definition) ... Same-event BBC
    reports sharing 10-37 % of their 3-grams reach .77 (synthetic corpus, n=2000); 0.8 is the round value above."""
    edited_other_passages: float = 0.05
    """... and shares at least this share of the shorter's content 3-grams outside its largest shared passage
    (verify.other_passages): more than one borrowed block, since two pages that open with one shared paragraph
    and go on apart are not copies. Half the 0.1 of the plain containment baseline."""
    meaning_min_cosine: float = 0.7
    """A pair is compared sentence by sentence (verify.meaning_aligned) only when the cosine of its two document
    embeddings reaches this: one subject (Clough & Stevenson dev copies .82-.98 when not found otherwise)."""
    meaning_sentence_cosine: float = 0.3
    """A sentence of the shorter text is matched to the other's sentence nearest in meaning (static WordLlama
    vectors of its content words, minus the pair's mean sentence vector, i.e. the shared topic) when their
    cosine reaches this ..."""
    meaning_min_weight: float = 5.0
    """... and the content stems they share weigh at least this (each log((n + 1) / (k + 0.5)) for a stem in k of
    the other text's n sentences): about two words found in one sentence of ten there, i.e. names, numbers and
    the specific words of one fact, not the topic, which is in every sentence."""
    meaning_min_sentences: int = 3
    """... and at least this many sentences are matched in order (fewer: meaning_aligned is 0): one or two
    sentences on one fact make no retelling (a one-sentence brief matches one sentence of a longer report) ..."""
    meaning_threshold: float = 0.5
    """A reworded copy (method `sentence-meaning`) has at least this share of the shorter text's content words in
    matched sentences whose matches keep the order of the other text (verify.meaning_aligned): half of it retells
    the other, fact by fact, in order ..."""
    meaning_max_novel: float = 0.0
    """... and at most this share of its names and numbers is missing from the other (verify.novel_anchors): a
    retelling adds no people, places or figures of its own; a later report of the same event does (BBC News
    same-event reports that retell a story's background: .06-.5; every Clough dev answer the path finds: 0)."""
    edited_anchor_conflict: int = 5
    """An edited copy keeps names and numbers: when both documents carry at least this many anchor n-grams and share
    none of them, they report on other people, places or figures (one template filled twice), not a copy."""
    edited_kept_wording: float = 0.5
    """An edited copy keeping at least this share of its 3-grams is `contained` (or `near`); less is `spun`."""
    trigram_max_posting: int = 16
    """Content-bearing word 3-grams held by more documents than this do not propose edited-copy candidates."""
    trigram_min_shared: int = 3
    """An edited-copy candidate shares this many content-bearing 3-grams ..."""
    trigram_min_fraction: float = 0.04
    """... and at least this share of the smaller document's."""
    story_threshold: float = 0.28
    """Two stories merge while the mean story similarity over all their member pairs is at or above this (average
    linkage, stories.story_average_linkage). Picked on SemEval-2022 Task 8 dev pairs (same story = Overall <= 2):
    the grid value picked most often on the training folds of 10-fold cross-validation and best in-sample;
    checked on BBC News (no chained giant stories) and the seeds (bench/dedup_semeval.py)."""
    story_event_weight: float = 0.25
    """Added to the story cosine times the event agreement in [-1, 1] (shared event place and lead actors add,
    conflicting event places or match scores subtract); see events.py."""
    story_embedding_weight: float = 0.3
    """Story similarity = (1 - this) * lexical + this * embedding cosine, where lexical is the TF-IDF cosine plus
    the event term and the embedding is static WordLlama vectors (embedding.py), which catch same-event paraphrase
    with little shared wording. 0.3 was picked by ROC-AUC on SemEval-2022 Task 8 dev pairs and is the weight
    most often picked on the training folds of 10-fold cross-validation (bench/dedup_semeval.py). 0 turns it off
    (then re-pick story_threshold with bench/dedup_semeval.py)."""
    story_attach_threshold: float = 0.18
    """An undated story joins the dated story of highest mean similarity at or above this (lower) value, so it
    inherits its date; story_threshold minus the 0.1 gap the two thresholds have always had (no labelled data
    has dated and undated reports of one story to tune it on)."""
    story_drop_furniture: bool = True
    """Leave sentences that the clean stage's rules call page furniture (sign-up, paywall and cookie prompts,
    copyright notices, related-links and advertisement labels) out of story bags and embeddings (furniture.py):
    two pages of one site share them."""
    story_window_days: int = 10
    """Two dated groups further apart than this are never the same story."""
    story_max_posting: int = 32
    """Top terms shared by more groups than this do not propose story candidates (they still count in similarity)."""
    story_terms: int = 30
    """Top TF-IDF terms per document used to find story candidates (two shared make a candidate). 12 missed 8 of
    51 same-story SemEval dev pairs (truncated texts of ~80 content words); 30 misses 4, at 3x the BBC pairs."""
    seed: int = 1
    """Seed of the MinHash permutations."""
