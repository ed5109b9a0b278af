"""Semantic document embeddings for story similarity: WordLlama's static token embeddings (the `l2_supercat`
256-dimensional weights and Llama-2 tokenizer that ship inside the `wordllama` wheel), mean-pooled over a
document's words and L2-normalised.

Static embeddings cost a table look-up per token, so 12k documents embed in about a second (a transformer
encoder would take many minutes on a CPU). The whole text is embedded, as its TF-IDF bag is: the words are the
dedup stage's own lowercase word tokens (text.analyse), so case and punctuation changes between copies do not
move the vector. Each distinct word is tokenised once per BagEmbedder, and a batch of documents is pooled with
two sparse products. Pure: the packaged files are the only input besides the text; nothing is downloaded.
"""

from __future__ import annotations

import ctypes
import importlib.util
from collections.abc import Callable, Iterable
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sps

if TYPE_CHECKING:
    from tokenizers import Tokenizer

EMBEDDING_DIM = 256
_WEIGHTS = "weights/l2_supercat_256.safetensors"
_TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
_CHUNK = 4096
_SLAB = 64
_SENTENCE_BATCH = 4096


def _model() -> tuple[np.ndarray, Tokenizer]:
    """Return the (vocabulary, EMBEDDING_DIM) token table (float16, as stored) and the tokenizer, read from the
    wordllama package's own files (not cached: ~30 MB the deduplicate stage gets back once its signatures are done)."""
    from safetensors import safe_open
    from tokenizers import Tokenizer

    # find_spec locates the package without importing it: wordllama's __init__ calls logging.basicConfig,
    # which would reconfigure the host application's (Prefect's) root logger.
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the wordllama package (a newsflow dependency) is not installed")
    root = Path(next(iter(spec.submodule_search_locations)))
    with safe_open(str(root / _WEIGHTS), framework="np") as f:
        table = np.ascontiguousarray(f.get_tensor("embedding.weight"))
    if table.shape[1] != EMBEDDING_DIM:
        raise ValueError(f"{_WEIGHTS}: expected {EMBEDDING_DIM} dimensions, found {table.shape[1]}")
    tokenizer = Tokenizer.from_file(str(root / _TOKENIZER))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    resize = getattr(tokenizer.model, "_resize_cache", None)
    if resize is not None:
        resize(0)                       # each word is encoded once (BagEmbedder memoises): its cache only costs memory
    return table, tokenizer


def token_model() -> tuple[np.ndarray, Tokenizer]:
    """Return wordllama's packaged (vocabulary, EMBEDDING_DIM) float16 token table and its tokenizer (read anew)."""
    return _model()


class BagEmbedder:
    """Embeddings of documents given as word bags, in batches; each distinct word is tokenised once per instance."""

    def __init__(self) -> None:
        self._table, self._tokenizer = _model()
        self._known = np.empty(0, dtype=np.uint64)      # word hashes seen, sorted ...
        self._known_row = np.empty(0, dtype=np.int64)   # ... and their rows of the word-token matrix
        self._token_lens: list[np.ndarray] = []         # per row, in row order: number of tokens ...
        self._token_ids: list[np.ndarray] = []          # ... and the token ids, concatenated

    def __call__(self, keys: list[np.ndarray], counts: list[np.ndarray], word: Callable[[int], str]) -> np.ndarray:
        """Return the float32 (len(keys), EMBEDDING_DIM) mean token embedding of each bag (word hashes `keys[i]`
        with `counts[i]`; `word` maps a hash to its word), rows L2-normalised (all zeros for a bag with no token).

        A row depends on its own bag only (sums of integer counts are exact; each row's products run in token
        order), so a document embeds the same in any batch."""
        n = len(keys)
        out = np.zeros((n, EMBEDDING_DIM), dtype=np.float32)
        lens = np.fromiter(map(len, keys), dtype=np.int64, count=n)
        if n == 0 or lens.sum() == 0:
            return out
        flat = np.concatenate(keys).astype(np.uint64, copy=False)
        self._learn(np.unique(flat), word)
        doc_words = sps.csr_matrix(
            (np.concatenate(counts).astype(np.float32), self._known_row[np.searchsorted(self._known, flat)],
             np.r_[0, np.cumsum(lens)]), shape=(n, len(self._known)))
        token_lens = np.concatenate(self._token_lens)
        word_tokens = sps.csr_matrix(
            (np.ones(int(token_lens.sum()), dtype=np.float32), np.concatenate(self._token_ids),
             np.r_[0, np.cumsum(token_lens)]), shape=(len(self._known), self._table.shape[0]))
        doc_tokens = sps.csr_matrix(doc_words @ word_tokens)
        doc_tokens.sum_duplicates()
        doc_tokens.sort_indices()
        # Only the table rows of tokens these documents use (a few hundred for one article): the column
        # renumbering keeps each row's token order, so every product sums the same terms in the same order.
        used, columns = np.unique(doc_tokens.indices, return_inverse=True)
        doc_tokens = sps.csr_matrix((doc_tokens.data, columns.astype(doc_tokens.indices.dtype), doc_tokens.indptr),
                                    shape=(n, len(used)))
        rows = self._table[used]
        vecs = np.empty((n, EMBEDDING_DIM), dtype=np.float64)
        for lo in range(0, EMBEDDING_DIM, _SLAB):        # float32 copies of the float16 rows, a slab at a time
            vecs[:, lo:lo + _SLAB] = doc_tokens @ rows[:, lo:lo + _SLAB].astype(np.float32)
        norms = np.sqrt(np.einsum("ij,ij->i", vecs, vecs))
        nz = norms > 0
        out[nz] = (vecs[nz] / norms[nz, None]).astype(np.float32)
        return out

    def _learn(self, hashes: np.ndarray, word: Callable[[int], str]) -> None:
        """Tokenise the words of the (sorted, unique) hashes not seen yet and give each a row."""
        new = hashes[~np.isin(hashes, self._known, assume_unique=True)]
        if len(new) == 0:
            return
        # encode, not encode_batch: the batch form starts a thread pool, which breaks a later fork()
        ids = [self._tokenizer.encode(word(h), add_special_tokens=False).ids for h in new.tolist()]
        self._token_lens.append(np.fromiter(map(len, ids), dtype=np.int64, count=len(ids)))
        self._token_ids.append(np.fromiter(chain.from_iterable(ids), dtype=np.int64))
        known = np.concatenate([self._known, new])
        rows = np.concatenate([self._known_row, np.arange(len(self._known), len(known), dtype=np.int64)])
        order = np.argsort(known, kind="stable")
        self._known, self._known_row = known[order], rows[order]


def release_memory() -> None:
    """Hand freed heap memory back to the operating system (glibc only; a no-op elsewhere)."""
    # The tokenizer's many small allocations stay in the C heap after it is dropped (~30-60 MB of RSS over the
    # rest of the deduplicate stage, which has a memory budget); malloc_trim returns the free pages.
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def text_embeddings(texts: list[str]) -> np.ndarray:
    """Return the (len(texts), EMBEDDING_DIM) embeddings of texts' words (text.analyse) without inline page
    furniture (furniture.story_text), as the `embedding` column of document_signatures has them by default."""
    from transforms.dedup.furniture import story_text
    from transforms.dedup.text import TokenHasher, analyse, unique_counts

    hasher = TokenHasher()
    bags = [unique_counts(hasher(analyse(story_text(t)).words)) for t in texts]
    return BagEmbedder()([k for k, _ in bags], [c for _, c in bags], hasher.token)


def sentence_embeddings(documents: list[list[list[str]]]) -> list[np.ndarray]:
    """Return per document a float32 (sentences, EMBEDDING_DIM) matrix: each sentence's (a list of words) mean
    token embedding, L2-normalised, as BagEmbedder makes them for documents."""
    from transforms.dedup.text import TokenHasher

    hasher = TokenHasher()
    embedder = BagEmbedder()
    # a repeated word is a repeated key with count 1: the sparse products add them up as a count would
    keys = [hasher(words) for sentences in documents for words in sentences]
    parts = [np.zeros((0, EMBEDDING_DIM), dtype=np.float32)]
    for lo in range(0, len(keys), _SENTENCE_BATCH):     # batches bound the embedder's float64 work matrix
        batch = keys[lo:lo + _SENTENCE_BATCH]
        parts.append(embedder(batch, [np.ones(len(k), dtype=np.float32) for k in batch], hasher.token))
    flat = np.concatenate(parts)
    bounds = np.cumsum([0, *map(len, documents)])
    return [flat[lo:hi] for lo, hi in zip(bounds[:-1], bounds[1:])]


def pair_embedding_cosines(embeddings: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Return the cosine of each row pair of an (n, EMBEDDING_DIM) matrix of L2-normalised embeddings."""
    out = np.empty(len(pairs))
    for lo in range(0, len(pairs), _CHUNK):          # chunked: two row-gathers of a large pair list are big
        part = pairs[lo:lo + _CHUNK]
        out[lo:lo + len(part)] = np.einsum("ij,ij->i", embeddings[part[:, 0]], embeddings[part[:, 1]],
                                           dtype=np.float64)
    return out


def embedding_matrix(column: Iterable[object]) -> np.ndarray:
    """Return the (n, EMBEDDING_DIM) float32 matrix of an embedding column (arrays or lists, e.g. from Parquet)."""
    rows = list(column)
    if not rows:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    return np.stack([np.asarray(r, dtype=np.float32) for r in rows])
