"""Sentence features for extractive summaries: terms, similarity, eligibility and opener checks.

Every feature is computed inside one document (or one story), so a sentence's score never depends on
other documents of the batch.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy import sparse
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


@lru_cache(maxsize=1 << 16)
def content_terms(text: str) -> tuple[str, ...]:
    """Return the stemmed content terms of a text (stop words and one-letter tokens dropped)."""
    return tuple(stem(w) for w in _LOWER_WORD.findall(text.lower()) if w not in _STOP)


def term_matrix(term_lists: Sequence[Sequence[str]]) -> sparse.csr_matrix:
    """Return L2-normalised tf-idf rows as a sparse matrix (idf over the given sentences only); empty rows stay zero."""
    rows, cols, data, width = _tfidf(term_lists)
    indptr = np.zeros(len(term_lists) + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=len(term_lists)), out=indptr[1:])
    return sparse.csr_matrix((data, cols, indptr), shape=(len(term_lists), width))


def dense_term_matrix(term_lists: Sequence[Sequence[str]]) -> np.ndarray:
    """Return the same rows as `term_matrix` as a dense array (cheaper for one document's sentences)."""
    rows, cols, data, width = _tfidf(term_lists)
    out = np.zeros((len(term_lists), width))
    out[rows, cols] = data
    return out


def _tfidf(term_lists: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """(row, column, weight) triples sorted by row then column, and the vocabulary size."""
    flat = [t for terms in term_lists for t in terms]
    vocab = {t: i for i, t in enumerate(dict.fromkeys(flat))}
    n, width = len(term_lists), max(len(vocab), 1)
    flat_rows = np.repeat(np.arange(n, dtype=np.int64), [len(terms) for terms in term_lists])
    flat_cols = np.fromiter(map(vocab.__getitem__, flat), dtype=np.int64, count=len(flat))
    keys, counts = np.unique(flat_rows * width + flat_cols,
                             return_counts=True)
    rows, cols = keys // width, keys % width
    df = np.bincount(cols, minlength=width)
    data = np.log1p(counts) * np.log((n + 1.0) / (df[cols] + 0.5) + 1.0)
    norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=n))
    data = data / norms[rows] if len(data) else data.astype(np.float64)
    return rows, cols, data, width


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
