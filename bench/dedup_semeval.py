"""Same-story bench on SemEval-2022 Task 8 pairs: ROC-AUC for "same story" (Overall <= 2) and Pearson with
-Overall of newsflow's story similarity, beside the TF-IDF cosine baseline, newsflow's lexical similarity alone
(story_embedding_weight = 0) and the semantic embedding cosine alone, on the same pairs.

Then how well the blend weight generalises: stratified 10-fold cross-validation (20 repeats) and leave-one-out,
each picking story_embedding_weight on the training pairs only (best ROC-AUC on a 0.05 grid, ties to the smaller
weight) and scoring the held-out pairs; the lexical similarity is scored on the same folds.

Usage: bench/dedup_semeval.py [--csv ../shared/eval/same_story_semeval2022_dev.csv]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parent)]

from dedup_common import ROOT  # noqa: E402

GRID = [round(0.05 * i, 2) for i in range(15)]          # candidate story_embedding_weight values, 0 .. 0.7


def main() -> None:
    """Score the similarities on the pairs, then cross-validate the blend weight; print the figures."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--csv", type=Path, default=(ROOT / "../shared/eval/same_story_semeval2022_dev.csv").resolve())
    a = ap.parse_args()
    from dataclasses import replace

    import numpy as np
    import pandas as pd
    from scipy.stats import pearsonr, rankdata
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import RepeatedStratifiedKFold

    from transforms.dedup import DedupConfig, story_similarities
    from transforms.dedup.embedding import text_embeddings

    df = pd.read_csv(a.csv)
    t1, t2 = df["text1"].fillna("").astype(str).tolist(), df["text2"].fillna("").astype(str).tolist()
    y = (df["Overall"] <= 2).astype(int).to_numpy()
    overall = -df["Overall"].to_numpy()
    vec = TfidfVectorizer().fit(t1 + t2)
    base = np.asarray(vec.transform(t1).multiply(vec.transform(t2)).sum(axis=1)).ravel()
    config = DedupConfig()
    lexical = story_similarities(t1, t2, replace(config, story_embedding_weight=0.0))
    emb = np.einsum("ij,ij->i", text_embeddings(t1), text_embeddings(t2))
    ours = story_similarities(t1, t2, config)
    print(f"{a.csv.name}: {len(df)} pairs, {int(y.sum())} same story (Overall <= 2)")
    for name, sim in (("TF-IDF cosine (baseline)", base), ("newsflow lexical (TF-IDF+event)", lexical),
                      ("embedding cosine alone", emb),
                      (f"newsflow story_similarity (w={config.story_embedding_weight})", ours)):
        print(f"{name:46s} ROC-AUC {roc_auc_score(y, sim):.3f}  Pearson(sim, -Overall) {pearsonr(sim, overall)[0]:.3f}")

    def auc(idx: np.ndarray, s: np.ndarray) -> float:
        r, pos = rankdata(s[idx]), y[idx] == 1
        n1, n0 = int(pos.sum()), int((~pos).sum())
        return float((r[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))

    blends = {w: story_similarities(t1, t2, replace(config, story_embedding_weight=w)) for w in GRID}

    def pick(train: np.ndarray) -> float:
        return max(GRID, key=lambda w: (auc(train, blends[w]), -w))

    folds = RepeatedStratifiedKFold(n_splits=10, n_repeats=20, random_state=0).split(lexical, y)
    cv_blend, cv_lex, picks = [], [], []
    for train, test in folds:
        w = pick(train)
        picks.append(w)
        cv_blend.append(auc(test, blends[w]))
        cv_lex.append(auc(test, lexical))
    everything = np.arange(len(y))
    loo = np.array([blends[pick(np.delete(everything, i))][i] for i in everything])
    print(f"blend weight by CV (10-fold x 20, weight picked on training folds; grid 0..0.7): held-out ROC-AUC "
          f"{np.mean(cv_blend):.3f} +- {np.std(cv_blend):.3f} vs lexical {np.mean(cv_lex):.3f} +- {np.std(cv_lex):.3f}"
          f" on the same folds; weights picked {dict(Counter(picks).most_common(4))}")
    print(f"leave-one-out (weight picked without the pair): ROC-AUC {roc_auc_score(y, loo):.3f}  "
          f"Pearson {pearsonr(loo, overall)[0]:.3f}  (lexical {roc_auc_score(y, lexical):.3f} / "
          f"{pearsonr(lexical, overall)[0]:.3f}); weight picked on all pairs {pick(everything)}")


if __name__ == "__main__":
    main()
