"""Same-story bench on SemEval-2022 Task 8 pairs: ROC-AUC for "same story" (Overall <= 2) and Pearson with
-Overall of newsflow's story similarity, beside the TF-IDF cosine baseline on the same pairs.

Usage: bench/dedup_semeval.py [--csv ../shared/eval/same_story_semeval2022_dev.csv]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parent)]

from dedup_common import ROOT  # noqa: E402


def main() -> None:
    """Score newsflow's story similarity and the TF-IDF baseline on the pairs; print both."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--csv", type=Path, default=(ROOT / "../shared/eval/same_story_semeval2022_dev.csv").resolve())
    a = ap.parse_args()
    import numpy as np
    import pandas as pd
    from scipy.stats import pearsonr
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import roc_auc_score

    from transforms.dedup import story_similarities

    df = pd.read_csv(a.csv)
    t1, t2 = df["text1"].fillna("").astype(str).tolist(), df["text2"].fillna("").astype(str).tolist()
    y = (df["Overall"] <= 2).astype(int)
    vec = TfidfVectorizer().fit(t1 + t2)
    base = np.asarray(vec.transform(t1).multiply(vec.transform(t2)).sum(axis=1)).ravel()
    ours = story_similarities(t1, t2)
    print(f"{a.csv.name}: {len(df)} pairs, {int(y.sum())} same story (Overall <= 2)")
    for name, sim in (("TF-IDF cosine (baseline)", base), ("newsflow story_similarity", ours)):
        print(f"{name:28s} ROC-AUC {roc_auc_score(y, sim):.3f}  Pearson(sim, -Overall) {pearsonr(sim, -df['Overall'])[0]:.3f}")


if __name__ == "__main__":
    main()
