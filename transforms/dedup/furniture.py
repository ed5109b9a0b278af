"""Page furniture left inside article text, kept out of story features.

The clean stage removes boilerplate blocks (lines). A page pasted as one long line keeps its furniture inline:
paywall and sign-up prompts, cookie notices, "Related:" runs, copyright lines. Two pages of one site then share
that text and look like one story. Story bags and embeddings are built from the text without the sentences that
the clean stage's own rules call furniture out of context (boilerplate_rules.furniture_rule); copy detection
still reads the whole text (a copy copies the furniture too).
"""

from __future__ import annotations

import re

from transforms.boilerplate_rules import copyright_hint, furniture_rule, may_open_furniture

_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[\"\u201c'\u2018(\[]?[A-Z0-9])|\n+")
_MARK_RE = re.compile(r"[.!?\n]\s*")


def story_text(text: str) -> str:
    """Return text without its furniture sentences (joined by single spaces), or text itself, unchanged, when it
    has none or is nothing but furniture."""
    possible = copyright_hint(text)
    if not possible and not _may_hold_furniture(text):
        return text
    sentences = [s for s in _SENTENCE_RE.split(text) if s.strip()]
    kept = [s for s in sentences if furniture_rule(s, possible) is None]
    if len(kept) == len(sentences) or not kept:
        return text
    return " ".join(kept)


def _may_hold_furniture(text: str) -> bool:
    """Whether any sentence of text may open like furniture: tried after every sentence mark followed by
    space and every line break (a superset of _SENTENCE_RE's sentence starts), so most articles skip the split."""
    if may_open_furniture(text):
        return True
    for m in _MARK_RE.finditer(text):
        start, end = m.span()
        if (end - start > 1 or text[start] == "\n") and may_open_furniture(text, end):
            return True
    return False
