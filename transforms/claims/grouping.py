"""The same claim across documents: blocking on rare tokens or (value, unit), rapidfuzz verification, union-find.

Named steps: signatures (normalised text per claim) → candidates (pairs sharing a rare block key)
→ verification (fuzzy ratio, or equal value/unit with shared context words) → groups (union-find).
Each block's verified pairs can be kept and reused while the block holds the same claims.
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
    if kind == "numeric":
        return [f"n|{value:.6g}|{unit or ''}"]
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
    return hashlib.blake2b("\n".join(sorted(claim_ids)).encode("utf-8"), digest_size=16).hexdigest()


def assign_groups(
    ids: list[str], kinds: list[str], signatures: list[str], contexts: list[str], docs: list[str],
    values: list[float | None], units: list[str | None], threshold: float, rare: int, max_block: int,
    min_shared_context: int, known: Mapping[str, BlockMatches] | None = None,
) -> tuple[list[int], dict[str, BlockMatches]]:
    """Return a group representative index per claim and every comparable block's matches (block key ->
    BlockMatches, for blocks of 2..max_block claims); claims of one document never merge with each other.
    `contexts` holds each claim's context words, space-separated (used for numeric claims).

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
    decided: dict[tuple[int, int], bool] = {}  # a pair shared by several blocks is compared once

    def context(i: int) -> set[str]:
        found = context_sets.get(i)
        if found is None:
            found = context_sets[i] = set(contexts[i].split())
        return found

    def same(i: int, j: int) -> bool:
        if kinds[i] == "numeric" and kinds[j] == "numeric":
            return len(context(i) & context(j)) >= min_shared_context
        return _same_text(kinds[i], kinds[j], signatures[i], signatures[j], threshold)

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
                verdict = decided[(i, j)] = same(i, j)
            if verdict:
                uf.union(i, j)
                found.append((ids[i], ids[j]) if ids[i] < ids[j] else (ids[j], ids[i]))
        matches[key] = BlockMatches(digest, tuple(sorted(found)))  # canonical: the same whatever the claims' order
    return [uf.find(i) for i in range(len(ids))], matches


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
