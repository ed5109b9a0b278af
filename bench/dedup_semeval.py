"""Same-story bench on SemEval-2022 Task 8 pairs: ROC-AUC for "same story" (Overall <= 2) and Pearson with
-Overall of newsflow's story similarity, beside the TF-IDF cosine baseline, newsflow's lexical similarity alone
(story_embedding_weight = 0) and the semantic embedding cosine alone, on the same pairs.

Then how well the blend weight generalises: stratified 10-fold cross-validation (20 repeats) and leave-one-out,
each picking story_embedding_weight on the training pairs only (best ROC-AUC on a 0.05 grid, ties to the smaller
weight) and scoring the held-out pairs; the lexical similarity is scored on the same folds.

Last, the same-story *decision* (two texts share a story of deduplicate()'s clustering over all texts): P/R/F1
per story_threshold on a grid, and the threshold cross-validated (picked on the training folds of stratified
10-fold x 20, best F1, scored on the held-out pairs, F1 pooled per repeat), beside a TF-IDF cosine threshold
cross-validated the same way. The clustering never sees a label, so only the threshold pick is fitted. Texts are
the cleaned documents of a newsflow run on `copies_eval.py --prepare-semeval DIR` seeds (`--data`), else the
raw CSV texts.

Usage: bench/dedup_semeval.py [--csv ../shared/eval/same_story_semeval2022_dev.csv] [--data DATA --pairs PAIRS]
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
    ap.add_argument("--data", type=Path, help="newsflow data folder of a run on copies_eval --prepare-semeval seeds")
    ap.add_argument("--pairs", type=Path, help="pairs.json written by copies_eval --prepare-semeval (with --data)")
    ap.add_argument("--decision-only", action="store_true", help="skip the similarity figures")
    a = ap.parse_args()
    if a.decision_only:
        decision(a.csv, a.data, a.pairs)
        return
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
    decision(a.csv, a.data, a.pairs)


THRESHOLDS = [round(0.2 + 0.02 * i, 2) for i in range(11)]     # story_threshold grid, 0.20 .. 0.40


def decision(csv: Path, data: Path | None, pairs_json: Path | None) -> None:
    """Print the same-story decision's P/R/F1 per story_threshold and its cross-validated F1 (see the module doc)."""
    import json
    import os
    from dataclasses import replace

    import numpy as np
    import pandas as pd
    from sklearn.model_selection import RepeatedStratifiedKFold

    from generalisation import best_threshold, f1_at, tfidf_baseline
    from transforms.dedup import DedupConfig, deduplicate, document_signatures

    if data is not None:
        docs = pd.read_parquet(data / "documents.parquet")
        own = docs["date_source"].isin(["header", "text"])
        docs = docs.drop(columns=["duplicate_group", "is_canonical", "story_id"]).assign(
            published_date=docs["published_date"].where(own, None), date_source=docs["date_source"].where(own, "none"))
        gold = {k: float(v) for k, v in json.loads(pairs_json.read_text()).items()} if pairs_json else None
    else:
        df = pd.read_csv(csv).drop_duplicates("pair_id")
        names, texts = [], []
        for pid, t1, t2 in zip(df["pair_id"], df["text1"], df["text2"]):
            for k, t in (("1", t1), ("2", t2)):
                names.append(f"{pid}_{k}.txt")
                texts.append(t if isinstance(t, str) else "")
        docs = pd.DataFrame({"doc_id": [f"{i:016x}" for i in range(len(names))], "source_file": names,
                             "clean_text": texts, "published_date": [None] * len(names),
                             "date_source": ["none"] * len(names), "title": [None] * len(names),
                             "n_sentences": [1] * len(names)})
        gold = None
    if gold is None:
        df = pd.read_csv(csv).drop_duplicates("pair_id")
        gold = {str(p): float(o) for p, o in zip(df["pair_id"], df["Overall"])}
    stem = [os.path.splitext(os.path.basename(str(f)))[0] for f in docs["source_file"]]
    kept = [p for p in gold if f"{p}_1" in stem and f"{p}_2" in stem]
    y = np.array([gold[p] <= 2 for p in kept])
    base = DedupConfig()
    sig = document_signatures(docs, base)
    same: dict[float, np.ndarray] = {}
    for t in THRESHOLDS:
        res = deduplicate(docs, replace(base, story_threshold=t, story_attach_threshold=t - 0.1), sig)
        story = dict(zip(stem, res.documents["story_id"]))
        same[t] = np.array([story[f"{p}_1"] == story[f"{p}_2"] for p in kept])

    def f1(tp: int, fp: int, fn: int) -> float:
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    print(f"same-story decision on {len(kept)} pairs ({len(gold) - len(kept)} lost in cleaning), "
          f"{int(y.sum())} same story:")
    for t in THRESHOLDS:
        tp, fp, fn = f1_at(same[t].astype(float), y, 0.5)
        mark = "  <- default" if abs(t - base.story_threshold) < 1e-9 else ""
        print(f"  story_threshold {t:.2f}: P {tp / max(tp + fp, 1):.3f} R {tp / max(tp + fn, 1):.3f} "
              f"F1 {f1(tp, fp, fn):.3f}{mark}")

    def pick(idx: np.ndarray) -> float:           # best training F1; ties to the threshold nearest the grid middle
        return max(THRESHOLDS, key=lambda t: (f1(*f1_at(same[t][idx].astype(float), y[idx], 0.5)),
                                              -abs(t - THRESHOLDS[len(THRESHOLDS) // 2])))

    splits = list(RepeatedStratifiedKFold(n_splits=10, n_repeats=20, random_state=0).split(y, y))
    rep_f1, rep_p, picks = [], [], []
    for r in range(20):
        counts = np.zeros(3, dtype=int)
        for train, test in splits[r * 10:(r + 1) * 10]:
            t = pick(train)
            picks.append(t)
            counts += f1_at(same[t][test].astype(float), y[test], 0.5)
        rep_f1.append(f1(*counts))
        rep_p.append(counts[0] / max(counts[0] + counts[1], 1))
    print(f"  story_threshold by CV (10-fold x 20, picked on the training folds): held-out F1 {np.mean(rep_f1):.3f} "
          f"+- {np.std(rep_f1):.3f}, P {np.mean(rep_p):.3f}; picked {dict(Counter(picks).most_common(4))}; "
          f"in-sample best {pick(np.arange(len(y))):.2f}")
    tf = tfidf_baseline(csv, set(kept))
    print(f"  TF-IDF cosine threshold on the same pairs: CV F1 {tf['f1_cv']:.3f} +- {tf['f1_cv_sd']:.3f}, "
          f"in-sample {tf['f1_in_sample']:.3f} (P {tf['p']:.3f} R {tf['r']:.3f} at {tf['threshold']:.3f})")


if __name__ == "__main__":
    main()
