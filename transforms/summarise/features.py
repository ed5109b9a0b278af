"""Sentence features for extractive summaries: terms, similarity, eligibility and opener checks.

Every feature is computed inside one document (or one story), so a sentence's score never depends on
other documents of the batch.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_STOP = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "say", "mr", "mrs", "ms", "told", "added", "according"}
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_LOWER_WORD = re.compile(r"[^\W_]{2,}(?:['’][^\W_]+)*")
_CLOSERS = "\"'’”)]"
# Photo credits and captions: agency or "Images" at the end, or "Name/Agency" bylines.
_CREDIT = re.compile(
    r"(?:\b(?:Getty|Reuters|AFP|Sputnik|Shutterstock|EPA|Alamy|AP Photo|Associated Press|Bloomberg|Xinhua|TASS)\b"
    r"|\bImages?\b|\bPhoto(?:graph)?s?\b|\bby the use of\b|\bvia\b)[^.!?]*$"
)
_SLASH_CREDIT = re.compile(r"\b[A-Z][\w.-]+/[A-Z][\w.-]+")
_JUNK_START = re.compile(
    r"^\W*(?:related(?: article)?s?\b|read more\b|see also\b|advertisement\b|click\b|sign up\b|subscribe\b|follow (?:us|our)\b"
    r"|copyright\b|share this\b|watch:|listen:|you can also\b|your browser\b|join us\b|image caption\b|media caption\b)",
    re.IGNORECASE,
)
_JUNK_ANY = re.compile(r"https?://|www\.|[\w.-]+@[\w-]+\.\w", re.IGNORECASE)
# A first summary sentence must not lean on a referent the reader has not seen.
_DANGLING = re.compile(
    r"^\W*(?:he|she|it|they|his|her|hers|its|their|theirs|them|him|this|that|these|those|such|there"
    r"|but|and|or|so|also|however|meanwhile|still|yet|then|instead|indeed|moreover|furthermore|nevertheless"
    r"|nonetheless|besides|otherwise|thus|hence|therefore|likewise|similarly|rather|though|although)\b",
    re.IGNORECASE,
)
_LOWER_START = re.compile(r"^\W*[a-z]")
_DATELINE = re.compile(r"^\s*(?:[A-Z][A-Z.'’]+(?:[ ,]+(?:and\s+)?[A-Z][A-Z.'’]+)*\s*(?:\([^)]*\))?\s*(?:--|—|–|-)\s+)")


def words(text: str) -> list[str]:
    """Return the word tokens of a text (letters and digits, inner apostrophes kept)."""
    return _WORD.findall(text)


@lru_cache(maxsize=1 << 17)
def stem(token: str) -> str:
    """Return a light stem of a lower-case token (plural and common inflection suffixes stripped)."""
    t = token.replace("’", "'")
    if t.endswith("'s"):
        t = t[:-2]
    if len(t) > 4:
        if t.endswith("ies"):
            return t[:-3] + "y"
        for suffix in ("ing", "ed", "es", "s"):
            if t.endswith(suffix) and len(t) - len(suffix) >= 3 and not t.endswith("ss"):
                return t[: -len(suffix)]
    return t


def content_terms(text: str) -> list[str]:
    """Return the stemmed content terms of a text (stop words and one-letter tokens dropped)."""
    return [stem(w) for w in _LOWER_WORD.findall(text.lower()) if w not in _STOP]


def term_matrix(term_lists: Sequence[Sequence[str]]) -> np.ndarray:
    """Return L2-normalised tf-idf rows (idf over the given sentences only); all-zero rows stay zero."""
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for r, terms in enumerate(term_lists):
        for t in terms:
            rows.append(r)
            cols.append(vocab.setdefault(t, len(vocab)))
    n, width = len(term_lists), max(len(vocab), 1)
    matrix = np.zeros((n, width), dtype=np.float64)
    if rows:
        flat = np.asarray(rows) * width + np.asarray(cols)
        matrix = np.bincount(flat, minlength=n * width).astype(np.float64).reshape(n, width)
        df = np.count_nonzero(matrix, axis=0)
        matrix = np.log1p(matrix) * np.log((n + 1.0) / (df + 0.5) + 1.0)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def is_proper_sentence(text: str) -> bool:
    """Tell whether a sentence ends like running prose (terminal punctuation or a closing quote)."""
    stripped = text.rstrip()
    core = stripped.rstrip(_CLOSERS)
    return bool(core) and (core[-1] in ".!?…" or len(core) < len(stripped) and stripped[-1] in "\"'’”")


def is_junk(text: str) -> bool:
    """Tell whether a sentence is navigation, promotion, a link or a credit rather than article prose."""
    stripped = text.strip()
    if _JUNK_START.match(stripped):
        return True
    return ("http" in stripped or "www." in stripped or "@" in stripped) and bool(_JUNK_ANY.search(stripped))


def is_credit(text: str) -> bool:
    """Tell whether a sentence is a photo credit or caption tail ("Name/Agency via Getty Images")."""
    stripped = text.strip()
    if is_proper_sentence(stripped):
        return False
    return bool(_CREDIT.search(stripped) or _SLASH_CREDIT.search(stripped))


def opens_cleanly(text: str) -> bool:
    """Tell whether a sentence can open a summary (no leading pronoun, connective or lower-case start)."""
    return not (_DANGLING.match(text) or _LOWER_START.match(text))


def strip_dateline(text: str) -> str:
    """Return a sentence without a leading dateline such as "HONG KONG and LONDON -- "."""
    return _DATELINE.sub("", text, count=1)


def caption_paragraphs(paragraphs: Sequence[int], texts: Sequence[str]) -> set[int]:
    """Return the paragraphs that are photo captions: their last sentence is a credit line."""
    last: dict[int, str] = {}
    for p, t in zip(paragraphs, texts):
        last[p] = t
    return {p for p, t in last.items() if is_credit(t)}


def eligible_mask(
    texts: Sequence[str], paragraphs: Sequence[int], is_heading: Sequence[bool], n_words: Sequence[int], min_words: int
) -> np.ndarray:
    """Return which sentences may enter a summary: prose, not a heading, caption, credit or junk, long enough."""
    captions = caption_paragraphs(paragraphs, texts)
    return np.array(
        [
            not h and p not in captions and w >= min_words and is_proper_sentence(t) and not is_junk(t)
            for t, p, h, w in zip(texts, paragraphs, is_heading, n_words)
        ],
        dtype=bool,
    )
