"""Check-worthiness: a logistic regression over hashed word n-grams, loaded from a JSON model with numpy.

The model file is written by scripts/train_checkworthiness.py; `featurize` is shared by training and
scoring so that both see the same features.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).with_name("checkworthiness_model.json")
_DIGITS = str.maketrans("123456789", "000000000")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|\d+(?:[.,]\d+)*|[%$€£]")


@dataclass(frozen=True)
class CheckworthinessModel:
    """Hashed-feature logistic regression: bucket count, weights and intercept."""

    n_buckets: int
    weights: np.ndarray
    intercept: float

    def score(self, texts: list[str]) -> np.ndarray:
        """Probability that each text is a check-worthy factual claim, in [0, 1]."""
        out = np.empty(len(texts), dtype=np.float64)
        for i, text in enumerate(texts):
            idx, vals = featurize(text, self.n_buckets)
            z = self.intercept + float(np.dot(self.weights[idx], vals)) if len(idx) else self.intercept
            out[i] = 1.0 / (1.0 + np.exp(-z))
        return out


def tokens(text: str) -> list[str]:
    """Lower-cased words with digits folded to '0' (numbers matter, their values do not)."""
    return _WORD.findall(text.lower().replace("’", "'").translate(_DIGITS))


def featurize(text: str, n_buckets: int) -> tuple[np.ndarray, np.ndarray]:
    """Hashed unigram+bigram counts (crc32), l2-normalised: (bucket indices, values)."""
    toks = tokens(text)
    grams = toks + [a + " " + b for a, b in zip(toks, toks[1:])] + ["<has_number>" for t in toks if t[:1] == "0"][:1]
    counts: dict[int, float] = {}
    for g in grams:
        h = zlib.crc32(g.encode("utf-8")) % n_buckets
        counts[h] = counts.get(h, 0.0) + 1.0
    if not counts:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    vals = np.sqrt(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
    return idx, vals / np.linalg.norm(vals)


def model_to_json(n_buckets: int, weights: np.ndarray, intercept: float, meta: dict[str, object]) -> str:
    """Serialise a model as JSON (non-zero weights only)."""
    nz = np.flatnonzero(np.abs(weights) > 1e-6)
    return json.dumps({
        "format": "newsflow-checkworthiness-v1", "n_buckets": n_buckets, "intercept": float(intercept),
        "indices": nz.tolist(), "weights": [round(float(w), 6) for w in weights[nz]], "meta": meta,
    }, indent=None, sort_keys=True)


def model_from_json(payload: str) -> CheckworthinessModel:
    """Parse a JSON model written by model_to_json."""
    d = json.loads(payload)
    if d.get("format") != "newsflow-checkworthiness-v1":
        raise ValueError("not a newsflow check-worthiness model")
    weights = np.zeros(int(d["n_buckets"]), dtype=np.float64)
    weights[np.asarray(d["indices"], dtype=np.int64)] = np.asarray(d["weights"], dtype=np.float64)
    return CheckworthinessModel(int(d["n_buckets"]), weights, float(d["intercept"]))


@lru_cache(maxsize=4)
def load_model(path: str = str(MODEL_PATH)) -> CheckworthinessModel:
    """Load (once per process) the shipped model file."""
    return model_from_json(Path(path).read_text(encoding="utf-8"))
