"""The learned pass of the boilerplate classifier: per-block feature rows and a keep-probability model.

The model reads only shape features (length, function-word share, case, punctuation, rule hits, the
heuristic passes' region and verdict, position) of a block, of its neighbours (±1, ±2) and of the
document, never its words, so it cannot memorise site strings. Weights ship as JSON (written by
scripts/train_boilerplate.py) and are evaluated with numpy: a logistic regression or a small
gradient-boosted tree ensemble, both linear in the number of blocks.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).with_name("boilerplate_model.json")

# Per-block columns; the neighbour and document columns are derived from them in feature_matrix.
BLOCK_COLUMNS = (
    "log_words", "stop_ratio", "ends_sentence", "title_ratio", "first_upper", "all_caps", "glued",
    "digit_ratio", "plain_words", "rule", "good", "inside", "heur_keep", "heur_heading", "log_distance",
    "repeated", "promo_terms", "addresses_reader", "author_bio", "headline_like", "link_like", "link_run",
    "ends_colon", "list_marker", "lower_start", "text_line", "starts_digit", "heur_outside", "heur_repeated",
    "heur_link_run", "heur_headline", "heur_promo", "heur_byline", "log_chars", "comma_share", "non_ascii",
    "protected", "body_overlap", "similar_shape", "periodic_shape", "cue",
    "duplicate", "short_run", "neighbour_overlap", "stamp", "since_label", "ellipsis",
)
NEIGHBOUR_COLUMNS = ("log_words", "good", "ends_sentence", "rule", "link_like", "heur_keep", "text_line",
                     "log_chars", "first_upper")
NEIGHBOUR_OFFSETS = (-2, -1, 1, 2)
DOC_COLUMNS = ("before_region", "after_region", "relative_position", "log_blocks", "doc_good_share",
               "doc_inside_share", "local_good", "local_keep", "local_words", "near_good", "near_keep",
               "wide_good", "wide_keep", "good_words_before", "good_words_after", "step_prev", "step_next",
               "local_protected", "near_protected", "before_protected", "after_protected", "log_protected_distance",
               "local_rule", "local_cue", "local_overlap", "local_stamp", "local_duplicate", "local_neighbour_overlap",
               "protected_words_after")
LOCAL_WINDOW = 5


def feature_names() -> list[str]:
    """The names of the model's input columns, in order."""
    names = list(BLOCK_COLUMNS)
    names += [f"{c}@{o:+d}" for o in NEIGHBOUR_OFFSETS for c in NEIGHBOUR_COLUMNS]
    return names + list(DOC_COLUMNS)


_COL = {c: i for i, c in enumerate(BLOCK_COLUMNS)}


def feature_matrix(base: np.ndarray) -> np.ndarray:
    """Model inputs (n × len(feature_names())) from the per-block columns (n × len(BLOCK_COLUMNS)).

    Blocks past either end of the document read as zeros; window sums use cumulative sums (linear).
    """
    n = base.shape[0]
    parts = [base]
    neigh = base[:, [_COL[c] for c in NEIGHBOUR_COLUMNS]]
    for o in NEIGHBOUR_OFFSETS:
        shifted = np.zeros_like(neigh)
        if o < 0 and n > -o:
            shifted[-o:] = neigh[:o]
        elif o > 0 and n > o:
            shifted[:-o] = neigh[o:]
        parts.append(shifted)
    inside = base[:, _COL["inside"]]
    idx = np.arange(n)
    where_in = np.flatnonzero(inside > 0)
    first, last = (where_in[0], where_in[-1]) if where_in.size else (n, -1)
    doc = np.zeros((n, len(DOC_COLUMNS)))
    doc[:, 0] = idx < first
    doc[:, 1] = idx > last
    doc[:, 2] = idx / max(n - 1, 1)
    doc[:, 3] = math.log1p(n)
    doc[:, 4] = base[:, _COL["good"]].mean() if n else 0.0
    doc[:, 5] = inside.mean() if n else 0.0
    good, keep, lw = base[:, _COL["good"]], base[:, _COL["heur_keep"]], base[:, _COL["log_words"]]
    doc[:, 6] = _window_mean(good, LOCAL_WINDOW)
    doc[:, 7] = _window_mean(keep, LOCAL_WINDOW)
    doc[:, 8] = _window_mean(lw, LOCAL_WINDOW)
    doc[:, 9] = _window_mean(good, 2)
    doc[:, 10] = _window_mean(keep, 2)
    doc[:, 11] = _window_mean(good, 4 * LOCAL_WINDOW)
    doc[:, 12] = _window_mean(keep, 4 * LOCAL_WINDOW)
    mass = good * np.expm1(lw)  # the words of running-text blocks: where the article's weight lies
    total = mass.sum() or 1.0
    before = np.cumsum(mass) - mass
    doc[:, 13] = before / total
    doc[:, 14] = (total - before - mass) / total
    if n > 1:
        doc[1:, 15] = np.abs(lw[1:] - lw[:-1])
        doc[:-1, 16] = np.abs(lw[:-1] - lw[1:])
    prot = base[:, _COL["protected"]]
    doc[:, 17] = _window_mean(prot, LOCAL_WINDOW)
    doc[:, 18] = _window_mean(prot, 2)
    where_p = np.flatnonzero(prot > 0)
    first_p, last_p = (where_p[0], where_p[-1]) if where_p.size else (n, -1)
    doc[:, 19] = idx < first_p
    doc[:, 20] = idx > last_p
    doc[:, 21] = np.log1p(np.minimum(_distance_to(prot > 0), 50))
    doc[:, 22] = _window_mean(base[:, _COL["rule"]], 3)
    doc[:, 23] = _window_mean(base[:, _COL["cue"]], 3)
    doc[:, 24] = _window_mean(base[:, _COL["body_overlap"]], 2)
    doc[:, 25] = _window_mean(base[:, _COL["stamp"]], 3)
    doc[:, 26] = _window_mean(base[:, _COL["duplicate"]], 3)
    doc[:, 27] = _window_mean(base[:, _COL["neighbour_overlap"]], 3)
    pmass = prot * np.expm1(lw)  # the article's own protected words: a block past all of them is past its end
    ptotal = pmass.sum() or 1.0
    doc[:, 28] = (ptotal - np.cumsum(pmass)) / ptotal
    parts.append(doc)
    return np.hstack(parts)


def _distance_to(flags: np.ndarray) -> np.ndarray:
    """For every row, how many rows away the nearest flagged row is (n + 1 when none is)."""
    n = flags.shape[0]
    where = np.flatnonzero(flags)
    if where.size == 0:
        return np.full(n, n + 1)
    pos = np.searchsorted(where, np.arange(n))
    after = np.abs(where[np.minimum(pos, where.size - 1)] - np.arange(n))
    before = np.abs(np.arange(n) - where[np.maximum(pos - 1, 0)])
    return np.minimum(after, before)


def _window_mean(values: np.ndarray, k: int) -> np.ndarray:
    """Mean of values[i-k .. i+k] (clipped at the ends), excluding i itself."""
    n = values.shape[0]
    c = np.concatenate(([0.0], np.cumsum(values)))
    lo = np.clip(np.arange(n) - k, 0, n)
    hi = np.clip(np.arange(n) + k + 1, 0, n)
    count = np.maximum(hi - lo - 1, 1)
    return (c[hi] - c[lo] - values) / count


@dataclass(frozen=True)
class KeepModel:
    """A fitted keep-probability model: 'logistic' (standardised linear) or 'trees' (boosted, log-odds sum)."""

    kind: str
    features: tuple[str, ...]
    threshold: float
    mean: np.ndarray | None = None
    scale: np.ndarray | None = None
    coef: np.ndarray | None = None
    intercept: float = 0.0
    # trees, flattened: node k of tree t is t * width + k; a leaf's children are itself and its column is 0
    roots: np.ndarray | None = None
    feature: np.ndarray | None = None  # split column
    split: np.ndarray | None = None  # split threshold (go left when value <= split)
    left: np.ndarray | None = None
    right: np.ndarray | None = None
    value: np.ndarray | None = None  # leaf contribution (learning rate applied), 0 at inner nodes
    depth: int = 0

    def keep_probability(self, x: np.ndarray) -> np.ndarray:
        """P(keep) for every row of x (rows = blocks, columns = feature_names())."""
        if x.shape[0] == 0:
            return np.zeros(0)
        if self.kind == "logistic":
            z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        else:
            z = self.intercept + self._tree_sum(x)
        return 1.0 / (1.0 + np.exp(-z))

    def _tree_sum(self, x: np.ndarray) -> np.ndarray:
        """Walk every tree for every row at once: `depth` steps of flat fancy indexing (leaves point to themselves)."""
        x = x.astype(np.float32)  # the trees were fitted on float32 inputs: compare the same values
        rows = np.arange(x.shape[0])[:, None]
        node = np.broadcast_to(self.roots, (x.shape[0], self.roots.shape[0]))
        for _ in range(self.depth):
            go_left = x[rows, self.feature[node]] <= self.split[node]
            node = np.where(go_left, self.left[node], self.right[node])
        return self.value[node].sum(axis=1)


def model_from_dict(d: dict) -> KeepModel:
    """Build a KeepModel from its JSON form (checks the feature list matches this code)."""
    features = tuple(d["features"])
    if list(features) != feature_names():
        raise ValueError("boilerplate model was trained on other features; retrain it")
    if d["kind"] == "logistic":
        return KeepModel("logistic", features, float(d["threshold"]), mean=np.asarray(d["mean"], float),
                         scale=np.asarray(d["scale"], float), coef=np.asarray(d["coef"], float),
                         intercept=float(d["intercept"]))
    feature = np.asarray(d["feature"], np.int64)  # (n_trees, width), -1 at leaves and padding
    n_trees, width = feature.shape
    offset = (np.arange(n_trees) * width)[:, None]
    local = np.arange(width)[None, :]
    leaf = feature < 0
    left = np.where(leaf, local, np.asarray(d["left"], np.int64)) + offset
    right = np.where(leaf, local, np.asarray(d["right"], np.int64)) + offset
    value = np.where(leaf, np.asarray(d["value"], float), 0.0)
    return KeepModel("trees", features, float(d["threshold"]), intercept=float(d["intercept"]),
                     roots=offset[:, 0].copy(), feature=np.where(leaf, 0, feature).ravel(),
                     split=np.asarray(d["split"], float).ravel(), left=left.ravel(), right=right.ravel(),
                     value=value.ravel(), depth=int(d["depth"]))


@lru_cache(maxsize=4)
def load_model(path: str = str(MODEL_PATH)) -> KeepModel | None:
    """The shipped model, or None when no model file exists (the heuristic verdicts then stand)."""
    p = Path(path)
    if not p.is_file():
        return None
    return model_from_dict(json.loads(p.read_text(encoding="utf-8")))
