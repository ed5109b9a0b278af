"""One-line story headlines cut from a title or a lead sentence."""

from __future__ import annotations

import re

from transforms.summarise.features import strip_dateline

# Clause starts where a long lead sentence can be cut without losing its main statement.
_CLAUSE = re.compile(
    r"\s*(?:,\s*(?:in which|which|who|whose|where|when|while|as|after|before|but|amid|despite|following|according to)\b"
    r"|\s+(?:--|—|–)\s+|;|:\s)"
)
_TRAILING = re.compile(r"[\s,;:.!?…\-–—]+$")
_DANGLING_END = re.compile(
    r"(?:\s+(?:the|a|an|of|on|in|to|with|and|or|for|at|by|from|as|that|his|her|its|their|this|after|over))+$", re.I
)


def headline(text: str, max_words: int) -> str:
    """Return a one-line headline: the text without dateline, cut at a clause boundary within max_words."""
    line = " ".join(strip_dateline(text).split())
    if len(line.split()) > max_words:
        line = _shorten(line, max_words)
    return _TRAILING.sub("", line) or " ".join(text.split()[:max_words])


def _shorten(line: str, max_words: int) -> str:
    min_words = min(6, max_words)
    cuts = [m.start() for m in _CLAUSE.finditer(line)] + [m.start() for m in re.finditer(r",", line)]
    fitting = [c for c in sorted(set(cuts)) if min_words <= len(line[:c].split()) <= max_words]
    if fitting:
        clause = [c for c in fitting if any(c == m.start() for m in _CLAUSE.finditer(line))]
        return line[: (clause or fitting)[0] if clause else fitting[-1]]
    return _DANGLING_END.sub("", " ".join(line.split()[:max_words]))
