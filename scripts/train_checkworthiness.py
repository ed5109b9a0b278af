#!/usr/bin/env python3
"""Train the check-worthiness model on ClaimBuster sentences and write it as JSON (no pickle).

Usage: train_checkworthiness.py [DATA] [--out transforms/claims/checkworthiness_model.json] [--folds 5]
                                [--baseline] [--no-write]
DATA defaults to ../shared/eval/checkworthy_claimbuster_train.json. Prints the cross-validated F1 of the
check-worthy class (at the model's threshold, 0.5) and ROC-AUC; folds are grouped so that near-identical
sentences (character 3-gram TF-IDF cosine >= 0.8, digits folded) stay in one fold. `--baseline` also prints
a balanced TF-IDF (word unigrams) + logistic regression on the same folds. Then fits on all data and writes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.claims.checkworthiness import MODEL_PATH, model_to_json, preprocess, vectorizers  # noqa: E402

C = 2.0
NEAR_DUPLICATE_COSINE = 0.8


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


def fit(texts: list[str], y: np.ndarray) -> tuple[object, object, LogisticRegression]:
    """Fit the vectorizers and the balanced logistic regression on texts."""
    word, char = vectorizers()
    x = sparse.hstack([word.fit_transform(texts), char.fit_transform(texts)], format="csr")
    return word, char, LogisticRegression(C=C, class_weight="balanced", max_iter=3000).fit(x, y)


def cross_validate(texts: list[str], y: np.ndarray, groups: np.ndarray, folds: int, baseline: bool) -> np.ndarray:
    """Out-of-fold probabilities of the model (or of the plain TF-IDF + LR baseline)."""
    oof = np.zeros(len(y))
    split = StratifiedGroupKFold(folds, shuffle=True, random_state=0).split(texts, y, groups)
    for train, test in split:
        tr, te = [texts[i] for i in train], [texts[i] for i in test]
        if baseline:
            vec = TfidfVectorizer()
            clf = LogisticRegression(class_weight="balanced", max_iter=3000).fit(vec.fit_transform(tr), y[train])
            oof[test] = clf.predict_proba(vec.transform(te))[:, 1]
        else:
            word, char, clf = fit(tr, y[train])
            oof[test] = clf.predict_proba(sparse.hstack([word.transform(te), char.transform(te)], format="csr"))[:, 1]
    return oof


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", type=Path, nargs="?", default=ROOT.parent / "shared/eval/checkworthy_claimbuster_train.json")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--baseline", action="store_true", help="also print a balanced TF-IDF + LR baseline")
    ap.add_argument("--no-write", action="store_true", help="only cross-validate")
    a = ap.parse_args()
    items = json.loads(a.data.read_text(encoding="utf-8"))
    texts = [str(d["text"]) for d in items]
    y = np.asarray([int(d["label"]) for d in items])
    groups = near_duplicate_groups(texts)
    print(f"{len(y)} sentences ({int(y.sum())} check-worthy) in {len(set(groups.tolist()))} near-duplicate groups")
    runs = [("baseline TF-IDF+LR", True)] if a.baseline else []
    for name, base in [*runs, ("model", False)]:
        t0 = time.process_time()
        oof = cross_validate(texts, y, groups, a.folds, base)
        f1, auc = f1_score(y, oof >= 0.5), roc_auc_score(y, oof)
        print(f"{name}: {a.folds}-fold grouped CV F1(check-worthy)@0.5={f1:.4f} ROC-AUC={auc:.4f} "
              f"({time.process_time() - t0:.0f} CPU s)")
    if a.no_write:
        return 0
    word, char, clf = fit(texts, y)
    meta = {"trained_on": a.data.name, "n": int(len(y)), "n_positive": int(y.sum()), "C": C,
            "features": "TF-IDF word 1-2-grams + char_wb 2-5-grams (min_df 2, sublinear tf, digits folded)",
            "cv": f"{a.folds}-fold StratifiedGroupKFold, near-duplicates (char-3 cosine >= 0.8) in one fold",
            "cv_f1_checkworthy": round(float(f1), 4), "cv_roc_auc": round(float(auc), 4)}
    a.out.write_text(model_to_json(word, char, clf.coef_[0], float(clf.intercept_[0]), meta), encoding="utf-8")
    print(f"wrote {a.out} ({a.out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
