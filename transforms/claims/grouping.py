"""The same claim across documents: blocking on rare tokens or (value, unit), rapidfuzz verification, union-find.

Named steps: signatures (normalised text per claim) → candidates (pairs sharing a rare block key)
→ verification (fuzzy ratio, or equal value/unit with shared context words) → groups (union-find).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict

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


def block_keys(kind: str, signature: str, value: float | None, unit: str | None, rare: int,
               df: dict[str, int]) -> list[str]:
    """Block keys of a claim: its `rare` words of lowest document frequency, or its (value, unit)."""
    if kind == "numeric":
        return [f"n|{value:.6g}|{unit or ''}"]
    words = sorted(set(signature.split()) - _STOP, key=lambda w: (df.get(w, 0), -len(w), w))
    return [f"{kind}|{w}" for w in words[:rare]]


def assign_groups(
    kinds: list[str], signatures: list[str], contexts: list[set[str]], docs: list[str],
    values: list[float | None], units: list[str | None], threshold: float, rare: int, max_block: int,
    min_shared_context: int,
) -> list[int]:
    """Return a group representative index per claim; claims of one document never merge with each other."""
    n = len(kinds)
    uf = _UnionFind(n)
    df: dict[str, int] = defaultdict(int)
    for doc_words in _words_per_doc(signatures, docs).values():
        for w in doc_words:
            df[w] += 1
    blocks: dict[str, list[int]] = defaultdict(list)
    for i in range(n):
        for key in block_keys(kinds[i], signatures[i], values[i], units[i], rare, df):
            blocks[key].append(i)
    seen: set[tuple[int, int]] = set()
    for key in sorted(blocks):
        members = blocks[key]
        if len(members) < 2 or len(members) > max_block:
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if docs[i] == docs[j] or (i, j) in seen:
                    continue
                seen.add((i, j))
                if _same(i, j, kinds, signatures, contexts, threshold, min_shared_context):
                    uf.union(i, j)
    return [uf.find(i) for i in range(n)]


def _words_per_doc(signatures: list[str], docs: list[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for sig, doc in zip(signatures, docs):
        out[doc].update(sig.split())
    return out


def _same(i: int, j: int, kinds: list[str], sigs: list[str], ctx: list[set[str]], threshold: float,
          min_shared: int) -> bool:
    if kinds[i] != kinds[j]:
        return False
    if kinds[i] == "numeric":
        return len(ctx[i] & ctx[j]) >= min_shared
    if not sigs[i] or not sigs[j]:
        return False
    if sigs[i] == sigs[j]:
        return True
    short, long_ = sorted((sigs[i], sigs[j]), key=len)
    if len(short.split()) >= 4 and short in long_:
        return True
    return fuzz.ratio(sigs[i], sigs[j]) >= threshold


def group_id(member_claim_ids: list[str]) -> str:
    """A group's id: a hash of its earliest member's claim_id (stable under added members' order)."""
    return "cg-" + hashlib.sha1(min(member_claim_ids).encode("utf-8")).hexdigest()[:16]
