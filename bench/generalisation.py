"""One table, every development set beside its simple baseline, so a regression on any set shows at once:
newsflow's article summaries vs lead-3 (ROUGE-1/2) on BBC News, FRANK CNN/DM and FRANK XSum
(summaries_eval.py), and newsflow's same-story decision (documents.story_id) vs a TF-IDF cosine threshold on the
SemEval-2022 Task 8 dev pairs (copies_eval.py).

The TF-IDF baseline is made honest by cross-validation: its threshold is picked on the training folds (best F1)
and scored on the held-out pairs (stratified 10-fold x 20 repeats, F1 pooled per repeat, mean and sd); its
in-sample F1 (threshold tuned on all pairs, an upper bound) is printed beside it. newsflow runs through its real
CLI on corpora written to a temporary folder; its same-story threshold is a fixed default (its own CV figure:
bench/dedup_semeval.py).

Usage: bench/generalisation.py [--eval ../shared/eval] [--newsflow .venv/bin/newsflow] [--work DIR]
                               [--sets bbc,frank_cnndm,frank_xsum,same_story]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SUMMARY_SETS = ("bbc", "frank_cnndm", "frank_xsum")
ALL_SETS = (*SUMMARY_SETS, "same_story")


def _sh(cmd: list[object], cwd: Path | None = None) -> str:
    """Run a command; return stdout + stderr, raising with its tail on a non-zero exit."""
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    out = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(str(c) for c in cmd[:3])} exited {out.returncode}: "
                           f"{(out.stdout + out.stderr)[-800:]}")
    return out.stdout + out.stderr


def _run_newsflow(newsflow: Path, seeds: Path, data: Path) -> float:
    """Run the real CLI on a seeds folder; return its wall seconds."""
    t0 = time.perf_counter()
    _sh([newsflow, "run", "--seeds", seeds, "--data", data], cwd=seeds.parent)
    return time.perf_counter() - t0


def _last(pattern: str, text: str) -> re.Match[str]:
    found = list(re.finditer(pattern, text))
    if not found:
        raise RuntimeError(f"no line matching {pattern!r} in: {text[-400:]}")
    return found[-1]


def summaries_row(name: str, evaldir: Path, newsflow: Path, work: Path) -> tuple[str, str, str, str, bool]:
    """Prepare one summary set, run newsflow on it, score it and lead-3 on the same items."""
    script = evaldir / "summaries_eval.py"
    w = work / name
    _sh([sys.executable, script, "--prepare", w / "seeds", "--set", name])
    secs = _run_newsflow(newsflow, w / "seeds", w / "data")
    out = _sh([sys.executable, script, "--data", w / "data", "--refs", w / "refs.json", "--set", name], cwd=w / "seeds")
    m = _last(r"R1/R2/RLsum=([0-9.]+)/([0-9.]+)/([0-9.]+) .*lead-3_same_items=([0-9.]+)/([0-9.]+)/([0-9.]+)", out)
    r1, r2, l1, l2 = (float(m.group(i)) for i in (1, 2, 4, 5))
    return (f"summaries_{name}", "ROUGE-1/2", f"{r1:.2f}/{r2:.2f}", f"lead-3 {l1:.2f}/{l2:.2f} ({secs:.0f} s run)",
            r1 > l1 and r2 > l2)


def f1_at(sims: np.ndarray, y: np.ndarray, threshold: float) -> tuple[int, int, int]:
    """Return (tp, fp, fn) of the decision sims >= threshold."""
    pred = sims >= threshold
    return int((pred & y).sum()), int((pred & ~y).sum()), int((~pred & y).sum())


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def best_threshold(sims: np.ndarray, y: np.ndarray) -> float:
    """Return the threshold with the best F1 on (sims, y): one of the observed values (ties: the higher one)."""
    cands = sorted(set(sims.tolist()))
    return max(cands, key=lambda t: (_f1(*f1_at(sims, y, t)), t))


def tfidf_baseline(csv: Path, pair_ids: set[str] | None = None, seed: int = 0) -> dict[str, float]:
    """Score a TF-IDF cosine threshold on the SemEval dev pairs: in-sample (tuned on all pairs) and by
    stratified 10-fold x 20 cross-validation (threshold tuned on the training folds); restricted to `pair_ids`."""
    import pandas as pd
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.model_selection import RepeatedStratifiedKFold

    df = pd.read_csv(csv).drop_duplicates("pair_id")
    if pair_ids is not None:
        df = df[df["pair_id"].astype(str).isin(pair_ids)]
    t1, t2 = df["text1"].fillna("").astype(str).tolist(), df["text2"].fillna("").astype(str).tolist()
    y = (df["Overall"] <= 2).to_numpy()
    vec = TfidfVectorizer().fit(t1 + t2)
    sims = np.asarray(vec.transform(t1).multiply(vec.transform(t2)).sum(axis=1)).ravel()
    t_all = best_threshold(sims, y)
    tp, fp, fn = f1_at(sims, y, t_all)
    rep_f1: list[float] = []
    splits = list(RepeatedStratifiedKFold(n_splits=10, n_repeats=20, random_state=seed).split(sims, y))
    for r in range(20):
        counts = np.zeros(3, dtype=int)
        for train, test in splits[r * 10:(r + 1) * 10]:
            counts += f1_at(sims[test], y[test], best_threshold(sims[train], y[train]))
        rep_f1.append(_f1(*counts))
    return {"n": len(y), "threshold": t_all, "p": tp / max(tp + fp, 1), "r": tp / max(tp + fn, 1),
            "f1_in_sample": _f1(tp, fp, fn), "f1_cv": float(np.mean(rep_f1)), "f1_cv_sd": float(np.std(rep_f1))}


def same_story_row(evaldir: Path, newsflow: Path, work: Path) -> tuple[str, str, str, str, bool]:
    """Run newsflow on the SemEval dev texts; score its same-story decision beside the CV-tuned TF-IDF threshold."""
    script = evaldir / "copies_eval.py"
    w = work / "same_story"
    _sh([sys.executable, script, "--prepare-semeval", w])
    secs = _run_newsflow(newsflow, w / "seeds", w / "data")
    out = _sh([sys.executable, script, "--score-semeval", w / "data", "--pairs", w / "pairs.json"])
    m = _last(r"P ([0-9.]+) R ([0-9.]+) F1 ([0-9.]+) .*?(\d+) pairs missing", out)
    p, r, f1, missing = float(m.group(1)), float(m.group(2)), float(m.group(3)), int(m.group(4))
    base = tfidf_baseline(evaldir / "same_story_semeval2022_dev.csv")
    ours = f"P {p:.3f} R {r:.3f} F1 {f1:.3f} ({missing} of {len(json.loads((w / 'pairs.json').read_text()))} " \
           f"pairs lost in cleaning)"
    theirs = (f"TF-IDF CV F1 {base['f1_cv']:.3f} +- {base['f1_cv_sd']:.3f} (in-sample {base['f1_in_sample']:.3f} "
              f"at {base['threshold']:.3f}; {secs:.0f} s run)")
    return "same_story", "P/R/F1", ours, theirs, f1 > base["f1_cv"] and f1 > base["f1_in_sample"]


def main() -> int:
    """Run every chosen set through newsflow and its baseline; print one table; exit 1 when any set is below."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval", type=Path, default=(ROOT / "../shared/eval").resolve(), help="evaluation data folder")
    ap.add_argument("--newsflow", type=Path, default=ROOT / ".venv/bin/newsflow")
    ap.add_argument("--work", type=Path, help="a new or empty folder for corpora and tables (default: a temporary folder)")
    ap.add_argument("--sets", default=",".join(ALL_SETS), help=f"comma-separated subset of {','.join(ALL_SETS)}")
    a = ap.parse_args()
    sets = [s for s in a.sets.split(",") if s]
    unknown = set(sets) - set(ALL_SETS)
    if unknown:
        ap.error(f"unknown sets {sorted(unknown)}")
    if a.work is not None and a.work.exists() and any(a.work.iterdir()):
        ap.error(f"--work {a.work} is not empty (the set preparers write fresh folders)")
    with tempfile.TemporaryDirectory(prefix="newsflow-generalisation-") as tmp:
        work = a.work or Path(tmp)
        rows = []
        for name in sets:
            t0 = time.perf_counter()
            row = same_story_row(a.eval, a.newsflow, work) if name == "same_story" else \
                summaries_row(name, a.eval, a.newsflow, work)
            rows.append(row)
            print(f"done {name} ({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
    header = ("set", "metric", "newsflow", "baseline", "verdict")
    table = [header] + [(s, m, o, b, "beats baseline" if ok else "BELOW BASELINE") for s, m, o, b, ok in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for i, r in enumerate(table):
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    below = [r[0] for r in rows if not r[4]]
    print(f"{len(rows) - len(below)}/{len(rows)} sets beat their baseline"
          + (f"; below: {', '.join(below)}" if below else ""))
    return 1 if below else 0


if __name__ == "__main__":
    raise SystemExit(main())
