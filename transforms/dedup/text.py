"""Text features shared by the dedup steps: words, anchors, quotes and sentence skeletons, in two regex passes.

Anchors are the tokens a synonym spinner never touches: names (capitalised, not sentence-initial) and numbers.
A sentence skeleton keeps its function words and anchors in order: synonym substitution changes neither.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

STOPWORDS = frozenset("""a about above after again against all also although am among an and another any are as at
be because been before being below between both but by can could did do does doing down during each either
even ever every few for from further had has have having he her here hers him his how however i if in into is it
its just may me might more most much must my no nor not now of off on once only or other our out over own same
she should since so some such than that the their them then there these they this those though through to too
under until up upon very was we were what when where whether which while who whom whose why will with within
without would yet you your mr mrs ms said says""".split())
_WORD_RE = re.compile(r"\w+", re.ASCII)
_CASED_RE = re.compile(r"\w+|[.!?](?=[\"')\u201d\u2019]?\s)|\n", re.ASCII)
_QUOTE_RE = re.compile(r"[\"\u201c]([^\"\u201c\u201d\n]{12,}?)[\"\u201d]")
_KEEP = STOPWORDS | {w.capitalize() for w in STOPWORDS}
_ANCHOR_FIRST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_BOUNDARY = frozenset(".!?\n")
_SPLIT_RE = re.compile(r"(?:^|\s)[.!?\n](?=\s|$)")
_CONTENT_STOP = STOPWORDS | ENGLISH_STOP_WORDS
# a sentence as written: up to a full stop, question or exclamation mark (a closing quote may follow) and a space
_TERMINATED_RE = re.compile(r"[^.!?\n]*?[.!?](?=[\"')\u201d\u2019]?(?:\s|$))")


@dataclass(frozen=True)
class TextFeatures:
    """What the dedup steps need from one text."""

    words: list[str]
    """Lowercase word tokens."""
    anchors: list[str]
    """Names and numbers in order, sentence-initial words excluded."""
    skeletons: list[str]
    """Per sentence with at least one anchor and six tokens: its function words and anchors, lowercase."""
    quotes: list[str]
    """Direct quotations of at least four words, lowercase words joined by spaces."""
    sentence_starts: list[str]
    """Per sentence of at least four words: its first ten words, lowercase (exact-sentence keys)."""
    tokens: list[str]
    """Word tokens as written (case kept) and sentence marks, in order."""
    sentence_lengths: list[int]
    """Words per sentence, in order (they add up to len(words))."""


def analyse(text: str, min_skeleton: int = 6) -> TextFeatures:
    """Return the words, anchors, sentence skeletons and quotes of a text."""
    ws: list[str] = []
    anchor_list: list[str] = []
    skeletons: list[str] = []
    starts: list[str] = []
    lengths: list[int] = []
    tokens = _CASED_RE.findall(text)
    for sent in _SPLIT_RE.split(" ".join(tokens)):
        toks = sent.split()
        if not toks:
            continue
        low = sent.lower().split()
        ws.extend(low)
        lengths.append(len(low))
        if len(low) >= 4:
            starts.append(" ".join(low[:10]))
        kept = [t for t in toks if t in _KEEP or t[0] in _ANCHOR_FIRST]
        if kept and toks[0] not in _KEEP and kept[0] is toks[0]:
            kept = kept[1:]                     # a sentence-initial content word is capitalised anyway
        names = [x for x in kept if x not in _KEEP]
        if names:
            anchor_list.extend(names)
            if len(kept) >= min_skeleton:
                skeletons.append(" ".join(kept).lower())
    qs = [" ".join(_WORD_RE.findall(q.lower())) for q in _QUOTE_RE.findall(text)]
    return TextFeatures(ws, anchor_list, skeletons, [q for q in qs if q.count(" ") >= 3], starts, tokens, lengths)


def light_stem(word: str) -> str:
    """Return a crude stem of a lowercase word: plural -s, then -ing/-ed, stripped; the first five letters kept
    (so "links"/"linked"/"link" and "weighting"/"weight" agree, as reworded copies inflect differently)."""
    if len(word) > 3 and word[-1] == "s" and word[-2] != "s":
        word = word[:-1]
    if len(word) > 6 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 5 and word.endswith("ed"):
        word = word[:-2]
    return word[:5]


def content_stems(word_list: list[str]) -> list[str]:
    """Return the light stems of the content words (no stop word, two characters or more) of a word list, in order."""
    return [stem for stem in map(_content_stem, word_list) if stem is not None]


@lru_cache(maxsize=1 << 16)
def _content_stem(word: str) -> str | None:
    """light_stem of a content word, None for a stop word or a single character (memoised: words recur)."""
    return None if len(word) < 2 or word in _CONTENT_STOP else light_stem(word)


def content_sentences(features: TextFeatures, min_words: int = 3) -> list[list[str]]:
    """Return the content words (no stop word, two characters or more; lowercase, in order) of each sentence of an
    analysed text that has at least min_words of them."""
    out: list[list[str]] = []
    start = 0
    for n in features.sentence_lengths:
        words = [w for w in features.words[start:start + n] if _content_stem(w) is not None]
        start += n
        if len(words) >= min_words:
            out.append(words)
    return out


def lead_stems(text: str, min_content: int = 4) -> tuple[int, list[str]]:
    """Return where a text's lead starts (words before it) and its content stems (content_stems): the lead is the
    first sentence that ends in a full stop, question or exclamation mark and holds at least min_content distinct
    content stems, so headlines, bylines and datelines before it are passed over; (0, []) when there is none."""
    before = 0
    for line in text.split("\n"):
        start = 0
        for sentence in _TERMINATED_RE.finditer(line):
            words = _WORD_RE.findall(sentence.group(0).lower())
            stems = content_stems(words)
            if len(set(stems)) >= min_content:
                return before + len(_WORD_RE.findall(line[start:sentence.start()])), stems
            before, start = before + len(_WORD_RE.findall(line[start:sentence.end()])), sentence.end()
        before += len(_WORD_RE.findall(line[start:]))
    return 0, []


def content_trigram_mask(word_list: list[str]) -> np.ndarray:
    """Return per word 3-gram (position i: words i..i+2) whether at most one of its words is a stop word: the
    phrases that say something ("one of the", "as well as" say nothing)."""
    stop = np.fromiter((w in _CONTENT_STOP for w in word_list), dtype=np.int8, count=len(word_list))
    if len(stop) < 3:
        return np.ones(min(1, len(stop)), dtype=bool)
    return (stop[:-2] + stop[1:-1] + stop[2:]) <= 1


def text_hash(word_list: list[str]) -> str:
    """Return a hash of a word sequence: equal for copies differing only in spacing, case or punctuation."""
    return hashlib.blake2b(" ".join(word_list).encode("utf-8"), digest_size=12).hexdigest()


def token_hash(token: str) -> int:
    """Return the deterministic 64-bit hash of one token (blake2b, content-only)."""
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


class TokenHasher:
    """Deterministic 64-bit hashes of tokens (token_hash), memoised across calls."""

    def __init__(self) -> None:
        self._memo: dict[str, int] = {}
        self._tokens: dict[int, str] = {}

    def __call__(self, tokens: list[str], memoise: bool = True) -> np.ndarray:
        """Return the hash of each token, in order (memoise=False for tokens unlikely to recur)."""
        if not memoise:
            return np.fromiter(map(token_hash, tokens), dtype=np.uint64, count=len(tokens))
        memo, back = self._memo, self._tokens
        for t in set(tokens).difference(memo):
            memo[t] = h = token_hash(t)
            back[h] = t
        return np.fromiter(map(memo.__getitem__, tokens), dtype=np.uint64, count=len(tokens))

    def token(self, h: int) -> str:
        """Return the memoised token whose hash is h (KeyError for a hash this hasher has not memoised)."""
        return self._tokens[h]


def ngram_hashes(token_hashes: np.ndarray, n: int) -> np.ndarray:
    """Return the sorted unique hashes of the n-grams of a token-hash sequence (the whole sequence if shorter)."""
    return sorted_unique(ngram_sequence(token_hashes, n))


def ngram_sequence(token_hashes: np.ndarray, n: int) -> np.ndarray:
    """Return the hash of each n-gram of a token-hash sequence in text order (one hash of the whole sequence if
    shorter)."""
    m = len(token_hashes)
    if m == 0:
        return np.empty(0, dtype=np.uint64)
    k = min(n, m)
    g = token_hashes[: m - k + 1].copy()
    with np.errstate(over="ignore"):
        for j in range(1, k):
            g = g * np.uint64(0x9E3779B97F4A7C15) + token_hashes[j: m - k + 1 + j]
        g ^= g >> np.uint64(31)
        g *= np.uint64(0xBF58476D1CE4E5B9)
        g ^= g >> np.uint64(29)
    return g


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """Return the sorted distinct values of a 1-d array (np.unique's result, without its per-call overhead,
    which dominates on the few hundred values of one document)."""
    ordered = np.sort(values)
    return ordered[_run_starts(ordered)]


def unique_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the sorted distinct values of a 1-d array and how often each occurs (np.unique(return_counts=True))."""
    ordered = np.sort(values)
    starts = np.flatnonzero(_run_starts(ordered))
    return ordered[starts], np.diff(np.append(starts, len(ordered)))


def in_sorted(values: np.ndarray, ordered: np.ndarray) -> np.ndarray:
    """Return, per value, whether it occurs in a sorted array (binary search; np.isin's result)."""
    if len(ordered) == 0:
        return np.zeros(len(values), dtype=bool)
    return ordered[np.minimum(np.searchsorted(ordered, values), len(ordered) - 1)] == values


def _run_starts(ordered: np.ndarray) -> np.ndarray:
    """Mask of the positions of a sorted array where a new value begins."""
    first = np.empty(len(ordered), dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return first
