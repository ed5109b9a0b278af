"""Per-document signatures: a content-only step (cacheable by text hash) that every later step reads."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from transforms.dedup.config import DedupConfig
from transforms.dedup.embedding import BagEmbedder, release_memory
from transforms.dedup.events import Event, event_signature
from transforms.dedup.furniture import story_text
from transforms.dedup.text import (TokenHasher, analyse, content_stems, content_trigram_mask, in_sorted,
                                   lead_stems, ngram_hashes, ngram_sequence, sorted_unique, text_hash, token_hash,
                                   unique_counts)

SIGNATURE_COLUMNS: tuple[str, ...] = (
    "doc_id", "text_hash", "n_words", "shingles", "sampled", "sentence_keys", "minhash", "anchor_grams", "skeletons",
    "quotes", "numbers", "bag_keys", "bag_counts", "event_places", "event_actors", "event_place_names",
    "event_actor_names", "embedding", "trigrams", "trigram_keys", "content_stems",
    "stem_sentence_ends", "trigram_seq", "lead_stems",
)
_EMPTY = np.uint64(2**58 - 1)
_EMBED_BATCH = 1024
# words left out of story bags: English stop words and one-character tokens
_STOP_HASHES = np.unique(np.array(
    [token_hash(w) for w in sorted(set(ENGLISH_STOP_WORDS) | set("abcdefghijklmnopqrstuvwxyz0123456789_"))],
    dtype=np.uint64))


def document_signatures(documents: pd.DataFrame, config: DedupConfig = DedupConfig(),
                        on_progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Return one row per document (input order) with its dedup signatures; reads doc_id and clean_text only.

    `trigram_seq` holds the hash of each content-bearing word 3-gram of the body (from the lead on) at its word
    position, 0 elsewhere; `lead_stems` the content stems of the lead sentence (text.lead_stems).
    `embedding` is the document's float32 semantic vector (embedding.BagEmbedder: unit norm, zeros when empty).
    The story bag and the embedding leave out inline page furniture (furniture.story_text) when
    config.story_drop_furniture is set; copy signatures read the whole text. on_progress, if given, is called
    with 1 after each document."""
    hasher = TokenHasher()
    embedder = BagEmbedder()
    bags: tuple[list[np.ndarray], list[np.ndarray]] = ([], [])      # word bags waiting for embedding
    rows: dict[str, list[object]] = {c: [] for c in SIGNATURE_COLUMNS}
    rate = np.uint64(config.sample_rate)
    for doc_id, raw in zip(documents["doc_id"], documents["clean_text"]):
        text = raw if isinstance(raw, str) else ""
        f = analyse(text)
        word_hashes = hasher(f.words)
        sh = ngram_hashes(word_hashes, config.shingle_size)
        rows["doc_id"].append(str(doc_id))
        rows["text_hash"].append(text_hash(f.words))
        rows["n_words"].append(len(f.words))
        rows["shingles"].append(sh)
        rows["sampled"].append(sh[(sh >> np.uint64(40)) % rate == 0])
        tri = _trigrams(word_hashes)
        content = content_trigram_mask(f.words)
        rows["trigrams"].append(sorted_unique(tri))
        rows["trigram_keys"].append(sorted_unique(tri[content]))
        lead_start, lead = lead_stems(text)
        seq = np.where(content, tri, np.uint64(0))
        seq[:lead_start] = 0        # passages are the body's: a headline shared by two pages is no passage
        rows["trigram_seq"].append(seq)
        rows["lead_stems"].append(hasher(lead))
        stems, ends = _sentence_stems(f.words, f.sentence_lengths)
        rows["content_stems"].append(hasher(stems))
        rows["stem_sentence_ends"].append(ends)
        rows["sentence_keys"].append(sorted_unique(hasher(f.sentence_starts, memoise=False)))
        rows["minhash"].append(one_permutation_minhash(sh, config.num_perm, config.seed))
        rows["anchor_grams"].append(ngram_hashes(hasher(f.anchors), config.anchor_size))
        rows["skeletons"].append(sorted_unique(hasher(f.skeletons, memoise=False)))
        rows["quotes"].append(tuple(sorted(set(f.quotes))))
        rows["numbers"].append(tuple(sorted({a for a in f.anchors if a[0].isdigit()})))
        story = story_text(text) if config.story_drop_furniture else text
        story_hashes = word_hashes if story is text else hasher(analyse(story).words)
        keys, counts = unique_counts(story_hashes)
        content = ~in_sorted(keys, _STOP_HASHES)
        rows["bag_keys"].append(keys[content])
        rows["bag_counts"].append(counts[content].astype(np.float32))
        bags[0].append(keys)
        bags[1].append(counts)
        if on_progress is not None:
            on_progress(1)
        if len(bags[0]) == _EMBED_BATCH:
            rows["embedding"].extend(embedder(*bags, hasher.token))
            bags = ([], [])
        event = event_signature(text, f.tokens)
        rows["event_places"].append(tuple(sorted(event.places)))
        rows["event_actors"].append(tuple(sorted(event.actors)))
        rows["event_place_names"].append(event.place_names)
        rows["event_actor_names"].append(event.actor_names)
    rows["embedding"].extend(embedder(*bags, hasher.token))
    del embedder, hasher
    release_memory()
    return pd.DataFrame(rows, columns=list(SIGNATURE_COLUMNS))


def _sentence_stems(words: list[str], lengths: list[int]) -> tuple[list[str], np.ndarray]:
    """Return the content stems of a text in order and, per sentence, the end of its stems in that list."""
    stems: list[str] = []
    ends: list[int] = []
    start = 0
    for n in lengths:
        stems.extend(content_stems(words[start:start + n]))
        start += n
        if not ends or ends[-1] != len(stems):     # sentences without content words add nothing
            ends.append(len(stems))
    return stems, np.array(ends[1:] if ends[:1] == [0] else ends, dtype=np.int32)


def _trigrams(word_hashes: np.ndarray) -> np.ndarray:
    """Return the hash of each word 3-gram, in text order (one hash of the whole text when it has under 3 words)."""
    return ngram_sequence(word_hashes, 3)


def signature_events(signatures: pd.DataFrame) -> list[Event]:
    """Return per row of document_signatures() output the event signature stored in it."""
    return [Event(frozenset(p), frozenset(a), tuple(pn), tuple(an)) for p, a, pn, an in zip(
        signatures["event_places"], signatures["event_actors"], signatures["event_place_names"],
        signatures["event_actor_names"])]


def one_permutation_minhash(shingles: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    """Return a densified one-permutation MinHash (num_perm bins) of a shingle-hash set.

    One hash per shingle instead of num_perm (Li et al. 2012); empty bins borrow the next non-empty bin's
    value (Shrivastava 2017), so two sets agree in a bin with probability about their Jaccard.
    """
    out = np.full(num_perm, _EMPTY, dtype=np.uint64)
    if len(shingles) == 0:
        return out
    with np.errstate(over="ignore"):
        h = (shingles ^ np.uint64(seed * 0x9E3779B97F4A7C15 % 2**64)) * np.uint64(0xD6E8FEB86659FD93)
        h ^= h >> np.uint64(32)
    np.minimum.at(out, (h % np.uint64(num_perm)).astype(np.int64), h >> np.uint64(6))
    empty = np.flatnonzero(out == _EMPTY)
    if len(empty):
        full = np.flatnonzero(out != _EMPTY)
        nxt = full[np.searchsorted(full, empty) % len(full)]
        out[empty] = out[nxt] + (empty.astype(np.uint64) << np.uint64(58)) % np.uint64(2**63)
    return out
