"""The same claim across documents: blocking on rare tokens or (value, unit), rapidfuzz verification, union-find.

Named steps: signatures (normalised text per claim) and contexts (the words around it) → candidates (pairs
sharing a rare block key) → verification → groups (union-find). Each block's verified pairs can be kept and
reused while the block holds the same claims.

A short quote ("historic") or a bare number is not by itself evidence of the same claim: two claims match only
when they also agree on what the claim is about (shared words around the quote or the number, and the counted
thing: "98 billion cubic meters of gas") and do not name different sources (two named speakers that differ,
neither named near the other's claim). Numbers must also agree on their qualifier ("at least" vs "less than").
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations

from rapidfuzz import fuzz

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "the a an of to in on and or but is are was were be been has have had will would that this it its for "
    "with as at by from not no they their he she his her we our you i said says than more".split()
)
_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def normalise(text: str) -> str:
    """Lower-case, fold quote marks and dashes, keep words and numbers only."""
    return " ".join(_WORD.findall(text.translate(_FOLD).lower()))


def content_words(text: str) -> set[str]:
    """Normalised words that are not stop words."""
    return {w for w in normalise(text).split() if w not in _STOP and len(w) > 1}


_COUNTED = re.compile(r"\s+of\s+(?:the\s+|a\s+|an\s+|their\s+|its\s+)?((?:[A-Za-z][\w-]*\s+){0,2}[A-Za-z][\w-]*)")
COUNTED_MARK = "@"  # context words marked so are the counted thing ("of gas"), not the surroundings
NAME_MARK = "^"  # context words marked so are names (capitalised words) near the claim
KEYS_VERSION = "~k2"  # first token of every context string: cached keys without it predate these contexts
SHORT_QUOTE_WORDS = 6  # a quote with fewer words needs agreeing context to match another


def claim_context(kind: str, text: str | None, claim_text: str, start: int, end: int, window: int) -> set[str]:
    """Context words of a claim minus its own words: for a quote, its sentence; for a numeric claim (start:end
    is the number's span) the clause stating it (claim_text), plus the words after "of" marked as the counted
    thing; empty for reported statements (their own text is long enough to compare)."""
    if kind == "reported":
        return set()
    if not isinstance(text, str):
        return content_words(claim_text) if kind == "numeric" else set()
    own = text[start:end]
    if kind == "numeric":
        around = text[max(0, start - window) : end + window]
    else:  # a quote's own sentence: the words that say what the quoted words are about
        a, b = _sentence_around(text, start, end)
        around = text[a:start] + " " + text[end:b]
    words = content_words(around) - content_words(own)
    if kind == "numeric":
        counted = _COUNTED.match(text, end)
        if counted:
            words |= {COUNTED_MARK + w for w in content_words(counted.group(1))}
        words |= {NAME_MARK + w for w in _names(around)}
    return words


_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z]+")


def _names(text: str) -> set[str]:
    """Lower-cased capitalised words not opening a sentence: the names a passage is about."""
    return {w for w in (m.group(0).lower() for m in _NAME.finditer(text.replace("\n", " ")))
            if w not in _STOP and w not in _GENERIC}


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass(frozen=True)
class BlockMatches:
    """One block's verified pairs: a digest of the claim ids it held and the pairs of them that match
    (each pair and the pairs in claim-id order)."""

    members: str
    pairs: tuple[tuple[str, str], ...]


def block_keys(kind: str, signature: str, value: float | None, unit: str | None, rare: int,
               rank: Mapping[str, int]) -> list[str]:
    """Block keys of a claim: its `rare` words rarest by `rank` (rarity_rank()), or its (value, unit)."""
    if kind == "numeric":  # a bare number (no unit) says nothing about what it counts: never grouped
        return [f"n|{value:.6g}|{unit}"] if unit else []
    words = sorted(set(signature.split()) - _STOP, key=rank.__getitem__)
    return [f"{kind}|{w}" for w in words[:rare]]


def rarity_rank(signatures: list[str], docs: list[str]) -> dict[str, int]:
    """Rank every signature word: fewest documents first, then longer, then alphabetical (0 = rarest)."""
    df: dict[str, int] = defaultdict(int)
    for doc_words in _words_per_doc(signatures, docs).values():
        for w in doc_words:
            df[w] += 1
    return {w: r for r, w in enumerate(sorted(df, key=lambda w: (df[w], -len(w), w)))}


def members_digest(claim_ids: list[str]) -> str:
    """Digest of a set of claim ids (order-free): a block whose digest is unchanged holds the same claims."""
    # Salted with KEYS_VERSION: blocks matched under older rules are compared again.
    return hashlib.blake2b("\n".join([KEYS_VERSION, *sorted(claim_ids)]).encode("utf-8"), digest_size=16).hexdigest()


def assign_groups(
    ids: list[str], kinds: list[str], signatures: list[str], contexts: list[str], docs: list[str],
    values: list[float | None], units: list[str | None], threshold: float, rare: int, max_block: int,
    min_shared_context: int, known: Mapping[str, BlockMatches] | None = None,
    qualifiers: list[str | None] | None = None, sources: list[str | None] | None = None,
) -> tuple[list[int], dict[str, BlockMatches]]:
    """Return a group representative index per claim and every comparable block's matches (block key ->
    BlockMatches, for blocks of 2..max_block claims); claims of one document never merge with each other.
    `contexts` holds each claim's context words (claim_context()), space-separated; `qualifiers` the numeric
    qualifiers and `sources` each claim's named source (a person or organisation), None when unnamed.

    A block in `known` whose member digest is unchanged reuses its pairs instead of comparing its claims
    again: whether two claims match depends on the two claims alone (their ids fix their text and context
    under one configuration), so the groups are the same as without `known`."""
    uf = _UnionFind(len(ids))
    rank = rarity_rank(signatures, docs)
    blocks: dict[str, list[int]] = defaultdict(list)
    for i in range(len(ids)):
        for key in block_keys(kinds[i], signatures[i], values[i], units[i], rare, rank):
            blocks[key].append(i)
    index = {cid: i for i, cid in enumerate(ids)} if known else {}
    context_sets: dict[int, set[str]] = {}  # built on first use: reused blocks never need them
    decided: dict[tuple[int, int], bool] = {}  # a pair shared by several blocks is compared once (bounded memo)
    quals = qualifiers or [None] * len(ids)
    named = sources or [None] * len(ids)

    def context(i: int) -> set[str]:
        found = context_sets.get(i)
        if found is None:
            found = context_sets[i] = set(contexts[i].split()) - {KEYS_VERSION}
        return found

    def same(i: int, j: int) -> bool:
        if kinds[i] == "numeric" and kinds[j] == "numeric":
            ci, cj = context(i), context(j)
            return (units[i] is not None and _qualifiers_agree(quals[i], quals[j]) and _counted_agree(ci, cj)
                    and _contexts_agree(ci, cj, NUMERIC_MIN_SHARED, NUMERIC_MIN_OVERLAP)
                    and len({w for w in ci & cj if w.startswith(NAME_MARK)}) >= NUMERIC_MIN_NAMES)
        if not _same_text(kinds[i], kinds[j], signatures[i], signatures[j], threshold):
            return False
        if _sources_conflict(named[i], named[j], context(i), context(j)):
            return False
        words = min(len(signatures[i].split()), len(signatures[j].split()))
        if kinds[i] == "quote" and words < 2:
            return False  # a one-word quote ("historic", "New") is a word, not a claim
        short = words < SHORT_QUOTE_WORDS
        return not (kinds[i] == "quote" and short) or len(context(i) & context(j)) >= min_shared_context

    matches: dict[str, BlockMatches] = {}
    for key, members in blocks.items():
        if len(members) < 2 or len(members) > max_block:
            continue
        digest = members_digest([ids[i] for i in members])
        cached = known.get(key) if known else None
        if cached is not None and cached.members == digest:
            for a, b in cached.pairs:
                uf.union(index[a], index[b])
            matches[key] = cached
            continue
        found: list[tuple[str, str]] = []
        for i, j in combinations(members, 2):
            if docs[i] == docs[j]:
                continue
            verdict = decided.get((i, j))
            if verdict is None:
                if len(decided) >= _MEMO_PAIRS:
                    decided.clear()
                verdict = decided[(i, j)] = same(i, j)
            if verdict:
                uf.union(i, j)
                found.append((ids[i], ids[j]) if ids[i] < ids[j] else (ids[j], ids[i]))
        matches[key] = BlockMatches(digest, tuple(sorted(found)))  # canonical: the same whatever the claims' order
    return [uf.find(i) for i in range(len(ids))], matches


_SENTENCE_END = re.compile(r"[.!?][\"”’')]*(?=\s)|\n\s*\n")
_SENTENCE_SPAN = 400


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding text[start:end], found from end punctuation (at most _SENTENCE_SPAN chars each way)."""
    lo = max(0, start - _SENTENCE_SPAN)
    ends_before = [m.end() for m in _SENTENCE_END.finditer(text, lo, start)]
    after = _SENTENCE_END.search(text, end, min(len(text), end + _SENTENCE_SPAN))
    return (ends_before[-1] if ends_before else lo), (after.start() if after else min(len(text), end + _SENTENCE_SPAN))


_MEMO_PAIRS = 1_000_000
# A number is common ("14%", "£20"): two mentions are one claim only when much of what surrounds them agrees.
NUMERIC_MIN_SHARED = 3
NUMERIC_MIN_OVERLAP = 0.1
NUMERIC_MIN_NAMES = 2  # ... and name the same people, places or organisations
# Words of any news story that say nothing about what a number or quote is about.
_GENERIC = frozenset(
    "also which what who when where there then just only about after before during over into up down out year "
    "years month months week weeks day days time times last first new one two three per cent percent million "
    "billion thousand some many most much other such can could may might should must do does did being made make "
    "while since still even now so very well like because if how all any each both".split())


def _contexts_agree(a: set[str], b: set[str], min_shared: int, min_overlap: float) -> bool:
    """At least min_shared non-generic context words shared, making at least min_overlap of the smaller context."""
    a = {w for w in a if w[:1] not in (COUNTED_MARK, NAME_MARK)} - _GENERIC
    b = {w for w in b if w[:1] not in (COUNTED_MARK, NAME_MARK)} - _GENERIC
    shared = len(a & b)
    return shared >= min_shared and shared >= min_overlap * min(len(a), len(b))


_OPPOSITE = {("at_least", "less_than"), ("more_than", "less_than"), ("at_least", "at_most"), ("more_than", "at_most"),
             ("more_than", "up_to"), ("at_least", "up_to")}


def _qualifiers_agree(a: str | None, b: str | None) -> bool:
    """"at least 98 billion" and "less than 98 billion" state different claims; "about" agrees with anything."""
    return (a, b) not in _OPPOSITE and (b, a) not in _OPPOSITE


def _counted_agree(a: set[str], b: set[str]) -> bool:
    """When both numbers say what they count ("of gas"), they count the same thing (a shared word)."""
    ca = {w for w in a if w.startswith(COUNTED_MARK)}
    cb = {w for w in b if w.startswith(COUNTED_MARK)}
    return not ca or not cb or bool(ca & cb)


def _sources_conflict(a: str | None, b: str | None, context_a: set[str], context_b: set[str]) -> bool:
    """Two named sources conflict when they share no word and neither is named in the other's context."""
    if not a or not b:
        return False
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb or wa & wb:
        return False
    return not (wa & context_b) and not (wb & context_a)


def _words_per_doc(signatures: list[str], docs: list[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for sig, doc in zip(signatures, docs):
        out[doc].update(sig.split())
    return out


def _same_text(kind_i: str, kind_j: str, sig_i: str, sig_j: str, threshold: float) -> bool:
    if kind_i != kind_j or kind_i == "numeric" or not sig_i or not sig_j:
        return False
    if sig_i == sig_j:
        return True
    short, long_ = sorted((sig_i, sig_j), key=len)
    if len(short.split()) >= 4 and short in long_:
        return True
    return fuzz.ratio(sig_i, sig_j, score_cutoff=threshold) >= threshold


def group_id(member_claim_ids: list[str]) -> str:
    """A group's id: a hash of its earliest member's claim_id (stable under added members' order)."""
    return "cg-" + hashlib.sha1(min(member_claim_ids).encode("utf-8")).hexdigest()[:16]
