#!/usr/bin/env python3
"""Train the check-worthiness model on ClaimBuster sentences and write it as JSON (no pickle).

Usage: train_checkworthiness.py [DATA] [--out transforms/claims/checkworthiness_model.json] [--folds 5]
                                [--baseline] [--blocked] [--no-write]
DATA defaults to ../shared/eval/checkworthy_claimbuster_train.json. Prints the cross-validated F1 of the
check-worthy class at 0.5 and ROC-AUC; folds are grouped so that near-identical sentences (character 3-gram
TF-IDF cosine >= 0.8, digits folded) stay in one fold (`--blocked`: folds are contiguous sentence_id ranges
instead, i.e. whole debates, a harder shift). It also prints F1 at a threshold chosen for each test fold on
out-of-fold scores of its training folds only: that tuning did not beat 0.5 (class-balanced weights already
place the boundary), so the shipped model keeps 0.5. `--baseline` also prints a balanced TF-IDF (word
unigrams) + logistic regression on the same folds. Then fits on all data and writes the model.
Deterministic: fixed fold seed, lbfgs, no sampling.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from itertools import combinations
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import GroupKFold, StratifiedGroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.claims.checkworthiness import (  # noqa: E402
    CUE_NAMES, EMBEDDING_NAMES, MODEL_PATH, cue_features, embedding_features, model_to_json, preprocess, vectorizers,
)

C = 2.0
# Each dense block is standardised, then scaled so that its squared norm per row is about WEIGHT² (TF-IDF rows
# have norm 1): the blocks enter on the n-gram blocks' footing rather than overwhelming the L2 penalty.
CUE_WEIGHT = 1.0
EMBEDDING_WEIGHT = 0.6
NEAR_DUPLICATE_COSINE = 0.8
THRESHOLDS = np.round(np.arange(0.30, 0.701, 0.01), 2)

Split = list[tuple[np.ndarray, np.ndarray]]
Scorer = Callable[[np.ndarray], np.ndarray]


def near_duplicate_groups(texts: list[str]) -> np.ndarray:
    """A group id per text: texts whose character 3-gram TF-IDF cosine is >= NEAR_DUPLICATE_COSINE share one."""
    x = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3), preprocessor=preprocess).fit_transform(texts)
    sim = sparse.triu(x @ x.T, k=1).tocoo()
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(sim.row[sim.data >= NEAR_DUPLICATE_COSINE], sim.col[sim.data >= NEAR_DUPLICATE_COSINE]):
        a, b = find(int(i)), find(int(j))
        if a != b:
            parent[max(a, b)] = min(a, b)
    return np.asarray([find(i) for i in range(len(texts))])


def dense_weights() -> np.ndarray:
    """Per-column multipliers of the standardised dense block (cues, then embeddings)."""
    return np.r_[np.full(len(CUE_NAMES), CUE_WEIGHT / np.sqrt(len(CUE_NAMES))),
                 np.full(len(EMBEDDING_NAMES), EMBEDDING_WEIGHT / np.sqrt(len(EMBEDDING_NAMES)))]


def fit(texts: list[str], dense: np.ndarray, y: np.ndarray, idx: np.ndarray
        ) -> tuple[TfidfVectorizer, TfidfVectorizer, np.ndarray, float]:
    """Fit vectorizers and the balanced LR on texts[idx]; coefficients apply to raw features (`features` order)."""
    word, char = vectorizers()
    chosen = [texts[i] for i in idx]
    xw, xc = word.fit_transform(chosen), char.fit_transform(chosen)
    d = dense[idx]
    mean, scale = d.mean(axis=0), d.std(axis=0)
    scale[scale == 0] = 1.0
    weights = dense_weights()
    x = sparse.hstack([xw, xc, sparse.csr_matrix((d - mean) / scale * weights)], format="csr")
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=5000).fit(x, y[idx])
    coef, n_sparse = clf.coef_[0], xw.shape[1] + xc.shape[1]
    dense_coef = coef[n_sparse:] * weights / scale   # standardisation folded into the coefficients ...
    intercept = float(clf.intercept_[0] - dense_coef @ mean)   # ... and the intercept
    return word, char, np.r_[coef[:n_sparse], dense_coef], intercept


def model_scorer(texts: list[str], dense: np.ndarray, y: np.ndarray, idx: np.ndarray) -> Scorer:
    """Fit on idx; return a function giving the logit of rows (by index) as the shipped model computes it."""
    word, char, coef, intercept = fit(texts, dense, y, idx)
    return lambda rows: logits(word, char, coef, intercept, [texts[i] for i in rows], dense[rows])


def logits(word: TfidfVectorizer, char: TfidfVectorizer, coef: np.ndarray, intercept: float, texts: list[str],
           dense: np.ndarray) -> np.ndarray:
    """The fitted model's logits of texts whose dense features are given (precomputed once for all rows)."""
    n_sparse = len(word.vocabulary_) + len(char.vocabulary_)
    x = sparse.hstack([word.transform(texts), char.transform(texts)], format="csr")
    return np.asarray(x @ coef[:n_sparse]) + dense @ coef[n_sparse:] + intercept


def baseline_scorer(texts: list[str], y: np.ndarray, idx: np.ndarray) -> Scorer:
    """Fit the balanced TF-IDF (word unigrams) + LR baseline on idx; return its logit of rows."""
    vec = TfidfVectorizer()
    x = vec.fit_transform([texts[i] for i in idx])
    clf = LogisticRegression(class_weight="balanced", max_iter=3000).fit(x, y[idx])
    return lambda rows: clf.decision_function(vec.transform([texts[i] for i in rows]))


def best_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The threshold in THRESHOLDS with the best F1 of the positive class (ties: nearest 0.5)."""
    f1 = np.asarray([f1_score(y, p >= t) for t in THRESHOLDS])
    best = np.flatnonzero(f1 >= f1.max() - 1e-12)
    return float(THRESHOLDS[best[np.argmin(np.abs(THRESHOLDS[best] - 0.5))]])


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Logistic function."""
    return 1.0 / (1.0 + np.exp(-z))


def cross_validate(fitter: Callable[[np.ndarray], Scorer], y: np.ndarray, split: Split
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold probabilities, raw and shifted so that 0.5 is each test fold's threshold.

    The threshold of test fold k is chosen on the out-of-fold scores of the other folds, fold j scored by a
    model fitted on the folds other than j and k: fold k's labels never touch its threshold."""
    k = len(split)
    raw, shifted = np.zeros(len(y)), np.zeros(len(y))
    inner: dict[tuple[int, int], np.ndarray] = {}
    for a, b in combinations(range(k), 2):
        score = fitter(np.concatenate([split[i][1] for i in range(k) if i not in (a, b)]))
        inner[(a, b)], inner[(b, a)] = score(split[b][1]), score(split[a][1])   # (test fold, scored fold)
    for f, (train, test) in enumerate(split):
        others = [j for j in range(k) if j != f]
        threshold = best_threshold(np.concatenate([y[split[j][1]] for j in others]),
                                   sigmoid(np.concatenate([inner[(f, j)] for j in others])))
        z = fitter(train)(test)
        raw[test] = sigmoid(z)
        shifted[test] = sigmoid(z - np.log(threshold / (1 - threshold)))
    return raw, shifted


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", type=Path, nargs="?", default=ROOT.parent / "shared/eval/checkworthy_claimbuster_train.json")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--baseline", action="store_true", help="also print a balanced TF-IDF + LR baseline")
    ap.add_argument("--blocked", action="store_true", help="folds of contiguous sentence ids (whole debates)")
    ap.add_argument("--no-write", action="store_true", help="only cross-validate")
    a = ap.parse_args()
    items = json.loads(a.data.read_text(encoding="utf-8"))
    texts = [str(d["text"]) for d in items]
    y = np.asarray([int(d["label"]) for d in items])
    groups = near_duplicate_groups(texts)
    print(f"{len(y)} sentences ({int(y.sum())} check-worthy) in {len(set(groups.tolist()))} near-duplicate groups")
    if a.blocked:
        rank = np.argsort(np.argsort([int(d["sentence_id"]) for d in items], kind="stable"), kind="stable")
        split = list(GroupKFold(a.folds).split(texts, y, rank * a.folds // len(y)))
    else:
        split = list(StratifiedGroupKFold(a.folds, shuffle=True, random_state=0).split(texts, y, groups))
    t0 = time.process_time()
    dense = np.hstack([cue_features(texts), embedding_features(texts)])
    print(f"dense features: {time.process_time() - t0:.1f} CPU s")
    runs: list[tuple[str, Callable[[np.ndarray], Scorer]]] = [("model", lambda idx: model_scorer(texts, dense, y, idx))]
    if a.baseline:
        runs.insert(0, ("baseline TF-IDF+LR", lambda idx: baseline_scorer(texts, y, idx)))
    kind = "blocked (contiguous ids)" if a.blocked else "grouped"
    for name, fitter in runs:
        t0 = time.process_time()
        raw, shifted = cross_validate(fitter, y, split)
        f1_half, f1, auc = f1_score(y, raw >= 0.5), f1_score(y, shifted >= 0.5), roc_auc_score(y, shifted)
        print(f"{name}: {a.folds}-fold {kind} CV F1(check-worthy)@0.5={f1_half:.4f} "
              f"F1@threshold-from-training-folds={f1:.4f} ROC-AUC={auc:.4f} ({time.process_time() - t0:.0f} CPU s)")
    if a.no_write:
        return 0
    word, char, coef, intercept = fit(texts, dense, y, np.arange(len(y)))
    z_in = logits(word, char, coef, intercept, texts, dense)
    print(f"in-sample: F1@0.5={f1_score(y, z_in >= 0):.4f} ROC-AUC={roc_auc_score(y, z_in):.4f}")
    meta = {"trained_on": a.data.name, "n": int(len(y)), "n_positive": int(y.sum()), "C": C,
            "features": "TF-IDF word 1-3-grams + char_wb 2-5-grams (min_df 2, sublinear tf, digits folded), "
                        f"claim cues (weight {CUE_WEIGHT}), "
                        f"WordLlama mean+max token embeddings (weight {EMBEDDING_WEIGHT})",
            "cv": f"{a.folds}-fold {kind}, near-duplicates (char-3 cosine >= 0.8) in one fold",
            "cv_f1_checkworthy": round(float(f1_half), 4), "cv_roc_auc": round(float(roc_auc_score(y, raw)), 4)}
    a.out.write_text(model_to_json(word, char, coef, intercept, meta), encoding="utf-8")
    print(f"wrote {a.out} ({a.out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
