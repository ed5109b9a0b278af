"""Page furniture left inside article text, kept out of story features.

The clean stage removes boilerplate blocks (lines). A page pasted as one long line keeps its furniture inline:
paywall and sign-up prompts, cookie notices, "Related:" runs, copyright lines. Two pages of one site then share
that text and look like one story. Story bags and embeddings are built from the text without the sentences that
the clean stage's own context-free rules (transforms/boilerplate_rules.py) call furniture; copy detection still
reads the whole text (a copy copies the furniture too).
"""

from __future__ import annotations

import re

from transforms.boilerplate_features import block_features
from transforms.boilerplate_rules import match_rule

# Only the rules whose vocabulary is the site's own voice. The caption, credit, byline and player rules match
# ordinary news sentences when a sentence is taken out of its block ("The song was written by ...",
# "... video players ..."), and a caption is still about the story.
FURNITURE_RULES = frozenset({"promo", "copyright_footer", "navigation", "advertisement", "related_link"})
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[\"\u201c'\u2018(\[]?[A-Z0-9])|\n+")


def story_text(text: str) -> str:
    """Return text without its furniture sentences (joined by single spaces), or text itself, unchanged, when it
    has none or is nothing but furniture."""
    sentences = [s for s in _SENTENCE_RE.split(text) if s.strip()]
    kept = [s for s in sentences if match_rule(s, block_features(s)) not in FURNITURE_RULES]
    if len(kept) == len(sentences) or not kept:
        return text
    return " ".join(kept)
