"""Exact verification of candidate pairs: overlap evidence per pair, then the relation (or none)."""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from typing import TypeVar

import numpy as np
import pandas as pd
import scipy.sparse as sp

from transforms.dedup.config import DedupConfig
from transforms.dedup.embedding import embedding_matrix, pair_embedding_cosines, sentence_embeddings
from transforms.dedup.text import analyse, content_sentences, light_stem

T = TypeVar("T")

_ALIGN_SHARE = 0.5      # a sentence is aligned when half its (rarity-weighted) content words are in one window
_ALIGN_MIN_SHARED = 2   # ... and at least two of them

FEATURE_COLUMNS: tuple[str, ...] = (
    "row_a", "row_b", "jaccard", "containment_a_in_b", "containment_b_in_a", "anchor_containment",
    "skeleton_containment", "shared_quotes", "shared_numbers", "n_anchor_min", "trigram_containment",
    "ordered_words", "aligned_share", "lead_kept", "other_passages", "meaning_aligned", "novel_anchors",
)
_EVIDENCE = ("ordered_words", "aligned_share", "lead_kept", "other_passages", "meaning_aligned", "novel_anchors")
_TEXT_EVIDENCE = ("meaning_aligned", "novel_anchors")     # computed from the texts: 0 without them
_TEXT_BLOCK = 2048       # pairs whose texts' analyses and sentence vectors are held at once
_PASSAGE_DRIFT = 10      # a shared 3-gram continues a passage when its offset moved at most this many words ...
_PASSAGE_SLOPE = 0.2     # ... plus this share of the distance from the passage's last shared 3-gram
_PAIR_BLOCK = 1 << 14    # pairs per sparse product in _pair_overlaps (bounds its memory)


def ordered_share(x: list[int], y: list[int]) -> float:
    """Return the length of the longest common subsequence of two token sequences over the length of the shorter
    (bit-parallel LCS, Hyyro 2004: one pass over the shorter, the longer as bits of one integer)."""
    if len(x) > len(y):
        x, y = y, x
    if not x:
        return 0.0
    where: dict[int, int] = {}
    for pos, token in enumerate(y):
        where[token] = where.get(token, 0) | (1 << pos)
    full = (1 << len(y)) - 1
    v = full
    for token in x:
        u = v & where.get(token, 0)
        v = ((v + u) | (v - u)) & full
    return (len(y) - v.bit_count()) / len(x)


def _sentences(stems: np.ndarray, ends: np.ndarray) -> list[list[int]]:
    """Split a text's content-stem hashes into its sentences (ends: where each sentence's stems end)."""
    values, bounds = stems.tolist(), [0, *ends.tolist()]
    if bounds[-1] != len(values):
        bounds.append(len(values))
    return [values[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


def aligned_share(stems_x: np.ndarray, ends_x: np.ndarray, stems_y: np.ndarray, ends_y: np.ndarray) -> float:
    """Return the share of the shorter text's content words that stand in sentences aligned with the other text.

    A sentence is aligned when a window of one or two consecutive sentences of the longer text holds at least
    half of its content stems, each weighted by its rarity among the longer text's sentences (a word found in
    every sentence, the topic, counts little), and at least two of them: trimmed, merged, split and reworded
    sentences keep that much; sentences an author wrote alone on the same subject do not.
    """
    if len(stems_x) > len(stems_y):
        stems_x, ends_x, stems_y, ends_y = stems_y, ends_y, stems_x, ends_x
    if len(stems_x) == 0 or len(stems_y) == 0:
        return 0.0
    if len(stems_x) == len(stems_y):     # either is "the shorter": take both ways, so the order never matters
        return max(_aligned_in(stems_x, ends_x, stems_y, ends_y), _aligned_in(stems_y, ends_y, stems_x, ends_x))
    return _aligned_in(stems_x, ends_x, stems_y, ends_y)


def _aligned_in(stems_x: np.ndarray, ends_x: np.ndarray, stems_y: np.ndarray, ends_y: np.ndarray) -> float:
    """aligned_share with x taken as the shorter text."""
    longer = [set(part) for part in _sentences(stems_y, ends_y)]
    freq = sentence_frequencies(stems_y, ends_y)
    windows: dict[int, list[int]] = {}      # stem -> the windows (sentence k with sentence k + 1) holding it
    for k, sent in enumerate(longer):
        for w in sent:
            windows.setdefault(w, []).append(k)
            if k:
                windows[w].append(k - 1)
    aligned = 0
    for part in _sentences(stems_x, ends_x):
        sent = set(part)
        weight = _rarity_weights(sent, freq)
        gained: dict[int, float] = {}
        hits: dict[int, int] = {}
        for w in sent:
            for k in set(windows.get(w, ())):
                gained[k] = gained.get(k, 0.0) + weight[w]
                hits[k] = hits.get(k, 0) + 1
        need = min(_ALIGN_MIN_SHARED, len(sent))
        best = max((g for k, g in gained.items() if hits[k] >= need), default=0.0) / sum(weight.values())
        if best >= _ALIGN_SHARE:
            aligned += len(part)
    return aligned / len(stems_x)


def meaning_aligned(vectors_x: np.ndarray, stems_x: Sequence[Sequence[str]], vectors_y: np.ndarray,
                    stems_y: Sequence[Sequence[str]], min_cosine: float, min_weight: float,
                    min_sentences: int = 1) -> float:
    """Return the share of the shorter text's content words (stems_x/stems_y: per sentence its content stems,
    vectors: per sentence its unit meaning vector) in sentences matched, in the other text's order, to a sentence
    of the other.

    A sentence is matched to the other's sentence nearest in meaning once the shared topic is taken out (cosine of
    the vectors minus the pair's mean sentence vector >= min_cosine) when they also share content stems of rarity
    weight >= min_weight (rarity among the other's sentences, as aligned_share): a reworded sentence keeps its
    fact's names, numbers and specific words. Matches out of the other's order (outside one longest
    non-decreasing run of matched sentence numbers) do not count: a retelling follows its source's order. Fewer
    than min_sentences matched in order give 0: one or two sentences on one fact make no retelling."""
    n_x, n_y = sum(map(len, stems_x)), sum(map(len, stems_y))
    if n_x == 0 or n_y == 0:
        return 0.0
    if n_x == n_y:      # either is "the shorter": take both ways, so the order never matters
        return max(_meaning_in(vectors_x, stems_x, vectors_y, stems_y, min_cosine, min_weight, min_sentences),
                   _meaning_in(vectors_y, stems_y, vectors_x, stems_x, min_cosine, min_weight, min_sentences))
    if n_x > n_y:
        vectors_x, stems_x, vectors_y, stems_y = vectors_y, stems_y, vectors_x, stems_x
    return _meaning_in(vectors_x, stems_x, vectors_y, stems_y, min_cosine, min_weight, min_sentences)


def _meaning_in(vectors_x: np.ndarray, stems_x: Sequence[Sequence[str]], vectors_y: np.ndarray,
                stems_y: Sequence[Sequence[str]], min_cosine: float, min_weight: float, min_sentences: int) -> float:
    """meaning_aligned with x taken as the shorter text."""
    # the pair's mean sentence vector is what every sentence of both says (the subject): without it, any two
    # sentences on one subject look alike
    centre = np.vstack([vectors_x, vectors_y]).astype(np.float64).mean(axis=0)
    x, y = vectors_x - centre, vectors_y - centre
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    y /= np.maximum(np.linalg.norm(y, axis=1, keepdims=True), 1e-12)
    cosine = x @ y.T
    sets_y = [set(part) for part in stems_y]
    freq_y = _sentence_counts(sets_y)
    matched: list[tuple[int, int]] = []         # (words of the sentence of x, matched sentence of y)
    for i, part in enumerate(stems_x):
        j = int(np.argmax(cosine[i]))
        # summed in sorted order: the same float whatever the set order
        shared = sorted(_rarity_weights(set(part) & sets_y[j], freq_y).values())
        if cosine[i, j] >= min_cosine and sum(shared) >= min_weight:
            matched.append((len(part), j))
    in_order = _longest_run([j for _, j in matched])
    if len(in_order) < min_sentences:
        return 0.0
    return sum(matched[k][0] for k in in_order) / sum(map(len, stems_x))


def novel_anchors(anchors_x: set[str], size_x: int, known_y: set[str], anchors_y: set[str], size_y: int,
                  known_x: set[str]) -> float:
    """Return the share of the shorter text's names and numbers (lowercase anchors; size: its content words) that
    the other text never mentions (known: its words and anchors); the smaller of both ways when as long, 0 when
    it has none. A retelling keeps its source's people, places and figures and adds none; a follow-up report of
    one event brings its own."""
    def share(anchors: set[str], known: set[str]) -> float:
        return len(anchors - known) / len(anchors) if anchors else 0.0
    if size_x == size_y:
        return min(share(anchors_x, known_y), share(anchors_y, known_x))
    return share(anchors_x, known_y) if size_x < size_y else share(anchors_y, known_x)


def _longest_run(values: list[int]) -> list[int]:
    """Return the positions of one longest non-decreasing subsequence of values (patience sorting)."""
    tails: list[int] = []           # smallest tail value of a run of each length ...
    tail_at: list[int] = []         # ... and its position
    before = [-1] * len(values)
    for k, v in enumerate(values):
        length = bisect.bisect_right(tails, v)
        if length == len(tails):
            tails.append(v)
            tail_at.append(k)
        else:
            tails[length], tail_at[length] = v, k
        before[k] = tail_at[length - 1] if length else -1
    out: list[int] = []
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        out.append(k)
        k = before[k]
    return out[::-1]


def sentence_frequencies(stems: np.ndarray, ends: np.ndarray) -> tuple[dict[int, int], int]:
    """Return per content stem the number of a text's sentences holding it, and the number of sentences."""
    return _sentence_counts(_sentences(stems, ends))


def _sentence_counts(parts: Sequence[Iterable[T]]) -> tuple[dict[T, int], int]:
    """Return per item the number of parts (sentences) holding it, and the number of parts."""
    freq: dict[T, int] = {}
    for part in parts:
        for w in set(part):
            freq[w] = freq.get(w, 0) + 1
    return freq, len(parts)


def lead_kept(lead_x: np.ndarray, lead_y: np.ndarray, freq_x: tuple[dict[int, int], int],
              freq_y: tuple[dict[int, int], int]) -> float:
    """Return the larger share of one lead's content stems found in the other's lead, each stem weighted by its
    rarity among the other text's sentences (sentence_frequencies; the topic, found everywhere, counts little).

    A copy, however edited, keeps its source's lead (the news, or the definition an answer opens with); reports
    of one event, or answers to one question, each open in their own words."""
    x, y = set(lead_x.tolist()), set(lead_y.tolist())
    if not x or not y:
        return 0.0
    return max(_weighted_share(x, y, freq_y), _weighted_share(y, x, freq_x))


def _weighted_share(x: set[int], y: set[int], freq: tuple[dict[int, int], int]) -> float:
    """Rarity-weighted share of the stems of x found in y (rarity among the sentences of y's text)."""
    weight = _rarity_weights(x, freq)
    total = sum(weight.values())
    return sum(weight[w] for w in x & y) / total if total > 0 else 0.0


def _rarity_weights(stems: set[T], freq: tuple[dict[T, int], int]) -> dict[T, float]:
    """Weight each stem by its rarity among a text's sentences (sentence_frequencies): log((n + 1) / (count + 0.5))."""
    counts, n = freq
    return {w: math.log((n + 1) / (counts.get(w, 0) + 0.5)) for w in stems}


def other_passages(seq_x: np.ndarray, seq_y: np.ndarray) -> float:
    """Return the share of the shorter text's content 3-grams shared with the other outside the largest shared
    passage (signatures' trigram_seq: a hash per word position, 0 where the 3-gram says nothing).

    A passage chains shared 3-grams whose offset between the texts drifts little (trimmed words, a synonym);
    a text that took one block from another (a quoted paragraph, one shared section) has one passage and 0 here;
    a copy trimmed, reordered and reworded throughout has several."""
    nx, ny = np.count_nonzero(seq_x), np.count_nonzero(seq_y)
    if nx == ny:        # either is "the shorter": take both ways, so the order never matters
        return max(_other_passages(seq_x, seq_y, nx), _other_passages(seq_y, seq_x, ny))
    return _other_passages(seq_x, seq_y, nx) if nx < ny else _other_passages(seq_y, seq_x, ny)


def _other_passages(seq_x: np.ndarray, seq_y: np.ndarray, n: int) -> float:
    """other_passages with x taken as the shorter text (n: its content 3-grams)."""
    if n == 0:
        return 0.0
    where: dict[int, list[int]] = {}
    for q in np.flatnonzero(seq_y).tolist():
        where.setdefault(int(seq_y[q]), []).append(q)
    passages: list[list[int]] = []      # [last position in x, last position in y, shared 3-grams]
    for p in np.flatnonzero(seq_x).tolist():
        qs = where.get(int(seq_x[p]))
        if not qs:
            continue
        for passage in passages:
            step = p - passage[0]
            q = next((q for q in qs if abs(q - passage[1] - step) <= _PASSAGE_DRIFT + _PASSAGE_SLOPE * step), None)
            if q is not None:
                passage[0], passage[1], passage[2] = p, q, passage[2] + 1
                break
        else:
            passages.append([p, qs[0], 1])
    sizes = [c for _, _, c in passages]
    return (sum(sizes) - max(sizes, default=0)) / n


def verify_pairs(signatures: pd.DataFrame, pairs: np.ndarray, config: DedupConfig,
                 texts: Sequence[str] | None = None) -> pd.DataFrame:
    """Return the verified pairs among candidate row pairs: classify() of their pair_features(). The costlier
    evidence of edited copies is computed only where it can decide (word order where the share of the shorter's
    content words found in the other at all reaches the order threshold, sentence alignment where the order
    passed, passages where the lead was kept, sentence meaning where the document embeddings are close and the
    shorter adds few names), then exactly for every verified pair, which it explains (the text evidence, sentence
    meaning and novel names, only where it was examined: 0 elsewhere). `texts` (per signature row) feed it;
    without them both are 0 and that path finds nothing."""
    features = pair_features(signatures, pairs)
    gated = (features["trigram_containment"] >= config.edited_trigram_threshold).to_numpy()
    cache = _EvidenceCache(signatures, config, texts)
    reach = gated.copy()
    reach[gated] = _present_share(signatures["content_stems"], pairs[gated]) >= config.edited_order_threshold
    features = _with_evidence(features, reach, ("ordered_words",), cache)
    ordered = reach & (features["ordered_words"] >= config.edited_order_threshold).to_numpy()
    features = _with_evidence(features, ordered, ("aligned_share",), cache)
    features = _with_evidence(features, gated, ("lead_kept",), cache)
    led = gated & (features["lead_kept"] >= config.edited_lead_threshold).to_numpy()
    features = _with_evidence(features, led, ("other_passages",), cache)
    if texts is not None and len(features):
        # the sentence-meaning path only for close pairs that no other path verifies (it can add nothing to those)
        found = classify(features, config)
        taken = np.zeros(len(features), dtype=bool)
        taken[_positions(features, found)] = True
        close = pair_embedding_cosines(embedding_matrix(signatures["embedding"]),
                                       features[["row_a", "row_b"]].to_numpy(dtype=np.int64))
        close = (close >= config.meaning_min_cosine) & ~taken
        features = _with_evidence(features, close, ("novel_anchors",), cache)
        few_new = close & (features["novel_anchors"] <= config.meaning_max_novel).to_numpy()
        features = _with_evidence(features, few_new, ("meaning_aligned",), cache)
    verified = classify(features, config)
    # the text evidence stays where the sentence-meaning path examined the pair (0 elsewhere): analysing and
    # embedding the texts of every verified pair would cost more than the rest of verification
    names = tuple(n for n in _EVIDENCE if n not in _TEXT_EVIDENCE)
    return _with_evidence(verified, np.ones(len(verified), dtype=bool), names, cache)


def _positions(features: pd.DataFrame, subset: pd.DataFrame) -> np.ndarray:
    """Return the positions in features of the row pairs of subset (each pair is in features once)."""
    code = features["row_a"].to_numpy(dtype=np.int64) * (1 << 32) + features["row_b"].to_numpy(dtype=np.int64)
    wanted = subset["row_a"].to_numpy(dtype=np.int64) * (1 << 32) + subset["row_b"].to_numpy(dtype=np.int64)
    return np.flatnonzero(np.isin(code, wanted))


class _EvidenceCache:
    """Per-document inputs of the edited-copy evidence, built once per document that needs them."""

    def __init__(self, signatures: pd.DataFrame, config: DedupConfig, texts: Sequence[str] | None = None) -> None:
        self.stems, self.ends = list(signatures["content_stems"]), list(signatures["stem_sentence_ends"])
        self.leads, self.seqs = list(signatures["lead_stems"]), list(signatures["trigram_seq"])
        self.texts = texts
        self.config = config
        self._freq: dict[int, tuple[dict[int, int], int]] = {}
        self._analysed: dict[int, tuple[set[str], set[str], list[list[str]]]] = {}
        self._stemmed: dict[int, list[list[str]]] = {}
        self._vectors: dict[int, np.ndarray] = {}

    def freq(self, i: int) -> tuple[dict[int, int], int]:
        """sentence_frequencies of row i."""
        if i not in self._freq:
            self._freq[i] = sentence_frequencies(self.stems[i], self.ends[i])
        return self._freq[i]

    def _names(self, i: int) -> tuple[set[str], set[str], list[list[str]]]:
        """Row i's lowercase anchors, its words and its content sentences (words per sentence)."""
        if i not in self._analysed:
            f = analyse(str(self.texts[i]) if self.texts is not None else "")
            self._analysed[i] = ({a.lower() for a in f.anchors}, set(f.words), content_sentences(f))
        return self._analysed[i]

    def _stems(self, i: int) -> list[list[str]]:
        """Row i's content stems per content sentence."""
        if i not in self._stemmed:
            self._stemmed[i] = [[light_stem(w) for w in words] for words in self._names(i)[2]]
        return self._stemmed[i]

    def prepare_meaning(self, rows: set[int]) -> None:
        """Embed the sentences of the rows not embedded yet, in one batch."""
        new = sorted(rows.difference(self._vectors))
        if new:
            self._vectors.update(zip(new, sentence_embeddings([self._names(i)[2] for i in new])))

    def forget_texts(self) -> None:
        """Drop the analyses and sentence vectors held so far."""
        self._analysed.clear()
        self._stemmed.clear()
        self._vectors.clear()

    def evidence(self, name: str, i: int, j: int) -> float:
        """One evidence column's value for the row pair (i, j)."""
        if name == "ordered_words":
            return ordered_share(self.stems[i].tolist(), self.stems[j].tolist())
        if name == "aligned_share":
            return aligned_share(self.stems[i], self.ends[i], self.stems[j], self.ends[j])
        if name == "lead_kept":
            return lead_kept(self.leads[i], self.leads[j], self.freq(i), self.freq(j))
        if name == "novel_anchors":
            (ax, wx, sx), (ay, wy, sy) = self._names(i), self._names(j)
            return novel_anchors(ax, sum(map(len, sx)), ay | wy, ay, sum(map(len, sy)), ax | wx)
        if name == "meaning_aligned":
            self.prepare_meaning({i, j})
            return meaning_aligned(self._vectors[i], self._stems(i), self._vectors[j], self._stems(j),
                                   self.config.meaning_sentence_cosine, self.config.meaning_min_weight,
                                   self.config.meaning_min_sentences)
        return other_passages(self.seqs[i], self.seqs[j])


def _with_evidence(features: pd.DataFrame, rows: np.ndarray, names: tuple[str, ...],
                   cache: _EvidenceCache) -> pd.DataFrame:
    """Return features with the named evidence columns computed for the selected rows (others kept)."""
    if not rows.any():
        return features
    values = {name: features[name].to_numpy(dtype=float, copy=True) for name in names}
    row_a, row_b = features["row_a"].to_numpy(), features["row_b"].to_numpy()
    selected = np.flatnonzero(rows)
    texts = any(name in _TEXT_EVIDENCE for name in names)
    # the texts' analyses and sentence vectors are kept for one block of pairs at a time (bounded memory)
    step = _TEXT_BLOCK if texts else max(1, len(selected))
    for lo in range(0, len(selected), step):
        block = selected[lo:lo + step]
        if "meaning_aligned" in names:
            cache.prepare_meaning(set(row_a[block].tolist()) | set(row_b[block].tolist()))
        for k in block.tolist():
            i, j = int(row_a[k]), int(row_b[k])
            for name in names:
                values[name][k] = cache.evidence(name, i, j)
        if texts:
            cache.forget_texts()
    return features.assign(**values)


def pair_features(signatures: pd.DataFrame, pairs: np.ndarray) -> pd.DataFrame:
    """Return the cheap exact overlap evidence for each row pair (i, j) of the signature frame; the costlier
    evidence columns (word order, sentence alignment, lead, passages, sentence meaning, novel names) are 0 here and
    filled by verify_pairs only for the pairs that need them."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    i, j = pairs[:, 0], pairs[:, 1]
    sh, n_sh = _pair_overlaps(signatures["shingles"], pairs)
    an, n_an = _pair_overlaps(signatures["anchor_grams"], pairs)
    sk, n_sk = _pair_overlaps(signatures["skeletons"], pairs)
    tri, n_tri = _pair_overlaps(signatures["trigrams"], pairs)
    la, lb = n_sh[i], n_sh[j]
    union = la + lb - sh
    a_min, s_min, t_min = np.minimum(n_an[i], n_an[j]), np.minimum(n_sk[i], n_sk[j]), np.minimum(n_tri[i], n_tri[j])
    qs, ns = list(signatures["quotes"]), list(signatures["numbers"])
    frame = pd.DataFrame({
        "row_a": i, "row_b": j,
        "jaccard": _ratio(sh, union), "containment_a_in_b": _ratio(sh, la), "containment_b_in_a": _ratio(sh, lb),
        "anchor_containment": _ratio(an, a_min), "skeleton_containment": _ratio(sk, s_min),
        "shared_quotes": np.array([len(set(qs[a]) & set(qs[b])) for a, b in pairs.tolist()], dtype=np.int32),
        "shared_numbers": np.array([len(set(ns[a]) & set(ns[b])) for a, b in pairs.tolist()], dtype=np.int32),
        "n_anchor_min": a_min, "trigram_containment": _ratio(tri, t_min),
        **{name: np.zeros(len(pairs)) for name in _EVIDENCE},
    }, columns=list(FEATURE_COLUMNS))
    return frame


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den as floats, 0 where den is 0."""
    num, den = num.astype(float), den.astype(float)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def _pair_overlaps(sets: pd.Series, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return per row pair the size of the intersection of the two rows' sorted distinct hash arrays, and per row
    the size of its array (one sparse row-by-row product per block of pairs instead of a search per pair)."""
    arrays = list(sets)
    sizes = np.fromiter(map(len, arrays), dtype=np.int64, count=len(arrays))
    if len(pairs) == 0 or sizes.sum() == 0:
        return np.zeros(len(pairs), dtype=np.int64), sizes
    _, column = np.unique(np.concatenate(arrays), return_inverse=True)
    indptr = np.r_[0, np.cumsum(sizes)]
    matrix = sp.csr_matrix((np.ones(len(column), dtype=np.float32), column.ravel(), indptr),
                           shape=(len(arrays), int(column.max()) + 1))
    out = np.empty(len(pairs), dtype=np.int64)
    for lo in range(0, len(pairs), _PAIR_BLOCK):
        block = pairs[lo:lo + _PAIR_BLOCK]
        out[lo:lo + len(block)] = np.asarray(matrix[block[:, 0]].multiply(matrix[block[:, 1]]).sum(axis=1)).ravel()
    return out, sizes


def _present_share(stems: pd.Series, pairs: np.ndarray) -> np.ndarray:
    """Return per row pair the share of the shorter text's content words (with repeats) found anywhere in the
    other: an upper bound on ordered_share, which only counts them in order."""
    arrays = list(stems)
    sizes = np.fromiter(map(len, arrays), dtype=np.int64, count=len(arrays))
    out = np.zeros(len(pairs))
    if len(pairs) == 0 or sizes.sum() == 0:
        return out
    _, column = np.unique(np.concatenate(arrays), return_inverse=True)
    shape = (len(arrays), int(column.max()) + 1)
    counts = sp.csr_matrix((np.ones(len(column), dtype=np.float32), column.ravel(), np.r_[0, np.cumsum(sizes)]),
                           shape=shape)
    counts.sum_duplicates()
    present = counts.astype(bool).astype(np.float32)
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    for lo in range(0, len(pairs), _PAIR_BLOCK):
        a, b = pairs[lo:lo + _PAIR_BLOCK, 0], pairs[lo:lo + _PAIR_BLOCK, 1]
        a_in_b = _ratio(np.asarray(counts[a].multiply(present[b]).sum(axis=1)).ravel(), sizes[a])
        b_in_a = _ratio(np.asarray(counts[b].multiply(present[a]).sum(axis=1)).ravel(), sizes[b])
        # the shorter text's share; either is "the shorter" when both are as long
        out[lo:lo + len(a)] = np.where(sizes[a] < sizes[b], a_in_b,
                                       np.where(sizes[a] > sizes[b], b_in_a, np.maximum(a_in_b, b_in_a)))
    return out


RELATIONS: tuple[str, ...] = ("exact", "near", "contained", "spun")


def anchor_evidence(features: pd.DataFrame, shrink: float = 2.0) -> pd.Series:
    """Return the share of the smaller document's anchor n-grams found in the other, shrunk when there are few."""
    n = features["n_anchor_min"].astype(float)
    return features["anchor_containment"] * n / (n + shrink)


def wording_evidence(features: pd.DataFrame) -> pd.Series:
    """Return how much wording is shared beyond names: sentence skeletons or word shingles (smaller side)."""
    return features[["skeleton_containment", "containment_a_in_b", "containment_b_in_a"]].max(axis=1)


def classify(features: pd.DataFrame, config: DedupConfig) -> pd.DataFrame:
    """Return the verified pairs: features plus relation, score and method; pairs below every threshold dropped.

    contained: shingle containment of the smaller >= containment_threshold and it is under shortened_ratio of the
    larger; near: shingle Jaccard >= near_threshold;
    spun: anchor evidence >= spun_threshold with wording evidence >= spun_min_wording (synonyms change neither);
    otherwise an edited copy (method `trigram+order`): the smaller keeps >= edited_trigram_threshold of its word
    3-grams in the larger, >= edited_order_threshold of its content words in the larger's order, and
    >= edited_aligned_threshold of them in sentences aligned with the larger (aligned_share), and no conflict on
    names (both with >= edited_anchor_conflict anchor n-grams and none shared); or (method `trigram+lead`) it
    keeps >= edited_trigram_threshold of its word 3-grams, the lead (lead_kept >= edited_lead_threshold) and
    more than one passage (other_passages >= edited_other_passages), with no conflict on names; or (method
    `sentence-meaning`, a reworded copy, whatever its shared 3-grams) >= meaning_threshold of its content words
    stand in sentences matched in meaning and in order to the other's (meaning_aligned), it adds at most
    meaning_max_novel of its names and numbers (novel_anchors), and no conflict on names; `contained` (`near`
    when similar in size) if it keeps edited_kept_wording of its 3-grams, else `spun`.
    """
    cmax = features[["containment_a_in_b", "containment_b_in_a"]].max(axis=1)
    cmin = features[["containment_a_in_b", "containment_b_in_a"]].min(axis=1)
    size_ratio = (cmin / cmax.where(cmax > 0, 1.0)).where(cmax > 0, 1.0)     # |smaller| / |larger| shingle sets
    anchors = anchor_evidence(features)
    contained = (cmax >= config.containment_threshold) & (size_ratio < config.shortened_ratio)
    near = ~contained & (features["jaccard"] >= config.near_threshold)
    is_spun = (~near & ~contained & (anchors >= config.spun_threshold)
               & (wording_evidence(features) >= config.spun_min_wording)
               & (features["n_anchor_min"] >= config.min_anchors))
    tri, order, lead = features["trigram_containment"], features["ordered_words"], features["lead_kept"]
    meaning = features["meaning_aligned"]
    no_conflict = ~((features["n_anchor_min"] >= config.edited_anchor_conflict) & (features["anchor_containment"] == 0))
    may_edit = ~near & ~contained & ~is_spun & (tri >= config.edited_trigram_threshold) & no_conflict
    by_order = may_edit & (order >= config.edited_order_threshold) \
        & (features["aligned_share"] >= config.edited_aligned_threshold)
    by_lead = may_edit & ~by_order & (lead >= config.edited_lead_threshold) \
        & (features["other_passages"] >= config.edited_other_passages)
    by_meaning = (~near & ~contained & ~is_spun & ~by_order & ~by_lead & no_conflict
                  & (meaning >= config.meaning_threshold) & (features["novel_anchors"] <= config.meaning_max_novel))
    edited = by_order | by_lead | by_meaning
    kept = tri >= config.edited_kept_wording
    edited_relation = np.where(kept, np.where(size_ratio < config.shortened_ratio, "contained", "near"), "spun")
    out = features.assign(
        relation=np.select([near, contained, is_spun, edited], ["near", "contained", "spun", edited_relation],
                           default=""),
        score=np.select([near, contained, is_spun, by_meaning, edited],
                        [features["jaccard"], cmax, anchors, meaning, np.sqrt(tri * np.where(by_lead, lead, order))],
                        default=0.0).clip(0, 1),
        method=np.select([near, contained, is_spun, by_order, by_lead, by_meaning],
                         ["shingle-jaccard", "shingle-containment", "anchor+skeleton", "trigram+order", "trigram+lead",
                          "sentence-meaning"], default=""),
    )
    return out[out["relation"] != ""].reset_index(drop=True)
