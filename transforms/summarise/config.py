"""Parameters of the summarise stage."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SummariseConfig:
    """Summary lengths, sentence-score weights and redundancy settings (one frozen value per run)."""

    # article summaries: about `target_sentences`, at most max_share of the article's words and max_words
    target_sentences: int = 3
    sentence_slack: int = 1  # "about" target: one more sentence when the word budget has room
    max_share: float = 0.25
    max_words: int = 100
    min_words: int = 6
    # sentence score = position + centrality + title overlap + length (weights), lead sentence bonus
    position_weight: float = 1.0
    centrality_weight: float = 1.25
    title_weight: float = 0.5
    length_weight: float = 0.3
    position_decay: float = 3.0
    lead_bonus: float = 0.5
    mmr_lambda: float = 0.7  # MMR: share of importance vs redundancy with sentences already chosen
    # story summaries: MMR over the documents' best sentences, spread over duplicate groups
    # (penalty per sentence already taken from a group), canonical wording first
    story_sentences: int = 5
    story_max_words: int = 160
    story_group_penalty: float = 0.35
    story_support_weight: float = 0.6
    story_doc_candidates: int = 8
    story_copy_penalty: float = 0.3
    story_max_overlap: float = 0.5
    counterpart_similarity: float = 0.3  # cosine at which a copy's sentence restates a canonical one
    headline_max_words: int = 18
