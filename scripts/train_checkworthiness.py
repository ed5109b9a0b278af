#!/usr/bin/env python3
"""Train the check-worthiness model on ClaimBuster sentences and write it as JSON (no pickle).

Usage: train_checkworthiness.py [--data ../shared/eval/checkworthy_claimbuster_train.json]
                                [--out transforms/claims/checkworthiness_model.json] [--folds 5]
Prints the cross-validated F1 of the check-worthy class and ROC-AUC, then fits on all data.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.claims.checkworthiness import MODEL_PATH, featurize, model_to_json  # noqa: E402

N_BUCKETS = 2**18
C = 4.0


def matrix(texts: list[str]) -> sparse.csr_matrix:
    """Hashed features of texts as a CSR matrix (same featurizer as run time)."""
    rows, cols, vals = [], [], []
    for r, text in enumerate(texts):
        idx, v = featurize(text, N_BUCKETS)
        rows.extend([r] * len(idx))
        cols.extend(idx.tolist())
        vals.extend(v.tolist())
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), N_BUCKETS))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared/eval/checkworthy_claimbuster_train.json")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--folds", type=int, default=5)
    a = ap.parse_args()
    items = json.loads(a.data.read_text(encoding="utf-8"))
    texts = [str(d["text"]) for d in items]
    y = np.asarray([int(d["label"]) for d in items])
    X = matrix(texts)
    oof = np.zeros(len(y))
    for train, test in StratifiedKFold(a.folds, shuffle=True, random_state=0).split(X, y):
        clf = LogisticRegression(C=C, class_weight="balanced", max_iter=2000)
        clf.fit(X[train], y[train])
        oof[test] = clf.predict_proba(X[test])[:, 1]
    f1 = f1_score(y, oof >= 0.5)
    auc = roc_auc_score(y, oof)
    print(f"{a.folds}-fold CV on {len(y)} sentences ({int(y.sum())} check-worthy): F1(check-worthy)={f1:.4f} ROC-AUC={auc:.4f}")
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=2000).fit(X, y)
    meta = {"trained_on": a.data.name, "n": int(len(y)), "n_positive": int(y.sum()), "C": C,
            "features": "crc32-hashed unigrams+bigrams, digits folded, sqrt-tf l2", "cv_folds": a.folds,
            "cv_f1_checkworthy": round(float(f1), 4), "cv_roc_auc": round(float(auc), 4)}
    a.out.write_text(model_to_json(N_BUCKETS, clf.coef_[0], float(clf.intercept_[0]), meta), encoding="utf-8")
    print(f"wrote {a.out} ({a.out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
