"""Leave-one-task-out check of the sentence-meaning copy path (verify.meaning_aligned) on the Clough & Stevenson dev
tasks: its three knobs (meaning_sentence_cosine, meaning_min_weight, meaning_threshold) are picked on one task
(most answers paired with their source; no pair touching an independently written `non` answer; ties to the
strictest setting) and scored on the other, beside the defaults and the stage without the path. A pair counts
as found when the stage without the path verifies it (meaning_threshold above 1) or the path's rule holds on it.

Usage: bench/copies_meaning_cv.py --clough DIR   (DIR: written by `copies_eval.py --prepare-clough DIR`)
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

sys.path[:0] = [str(Path(__file__).resolve().parents[1])]

from transforms.dedup import DedupConfig, deduplicate  # noqa: E402
from transforms.dedup.candidates import meaning_candidates  # noqa: E402
from transforms.dedup.signatures import document_signatures  # noqa: E402
from transforms.dedup.verify import _EvidenceCache, meaning_aligned, novel_anchors  # noqa: E402

COSINES = (0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
WEIGHTS = (2.0, 3.0, 4.0, 5.0, 6.0)
THRESHOLDS = tuple(np.round(np.arange(0.3, 0.85, 0.05), 2).tolist())
Setting = tuple[float, float, float]


def main() -> None:
    """Print the picked setting per training task and its result on the other task."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clough", type=Path, required=True)
    a = ap.parse_args()
    truth = json.loads((a.clough / "truth.json").read_text())
    files = sorted((a.clough / "seeds").glob("*.txt"))
    names = [f.stem for f in files]
    texts = [f.read_text(encoding="utf-8") for f in files]
    docs = pd.DataFrame({"doc_id": names, "source_file": [f.name for f in files], "clean_text": texts,
                         "published_date": None, "date_source": "none", "title": "", "n_sentences": 0})
    cfg = DedupConfig()
    without = deduplicate(docs, replace(cfg, meaning_threshold=2.0)).duplicates
    found_without = {frozenset(p) for p in zip(without["doc_id_a"], without["doc_id_b"])}
    sig = document_signatures(docs, cfg)
    pairs = meaning_candidates(sig, np.arange(len(names)), cfg).tolist()
    cache = _EvidenceCache(sig, cfg, texts)
    cache.prepare_meaning(set(range(len(names))))
    novel = {(i, j): cache.evidence("novel_anchors", i, j) for i, j in pairs}
    vectors = {i: cache._vectors[i] for i in range(len(names))}
    stems = {i: cache._stems(i) for i in range(len(names))}
    grid = list(itertools.product(COSINES, WEIGHTS, THRESHOLDS))
    meaning = {(c, w, i, j): meaning_aligned(vectors[i], stems[i], vectors[j], stems[j], c, w,
                                                   cfg.meaning_min_sentences)
               for c, w in itertools.product(COSINES, WEIGHTS) for i, j in pairs}

    def score(task: str, s: Setting) -> tuple[int, int, dict[str, str]]:
        """(answers paired with their source, pairs touching a non answer, recall per class) on one task."""
        c, w, th = s
        kept = [(i, j) for i, j in pairs
                if th <= 1.0 and meaning[(c, w, i, j)] >= th and novel[(i, j)] <= cfg.meaning_max_novel]
        found = set(found_without) | {frozenset((names[i], names[j])) for i, j in kept}
        answers = {k: v for k, v in truth.items() if k.endswith(task)}
        hits = {k: frozenset((k, v["source"])) in found for k, v in answers.items() if v["category"] != "non"}
        non = {k for k, v in answers.items() if v["category"] == "non"}
        false = sum(bool(p & non) for p in found)
        per = {c: f"{sum(h for k, h in hits.items() if answers[k]['category'] == c)}/"
                  f"{sum(answers[k]['category'] == c for k in hits)}" for c in ("cut", "light", "heavy")}
        return sum(hits.values()), false, per

    tasks = sorted({k.rsplit("_", 1)[1] for k in truth})
    for train in tasks:
        feasible = [s for s in grid if score(train, s)[1] == 0]
        best = max(feasible, key=lambda s: (score(train, s)[0], s[2], s[0], s[1]))
        for test in (t for t in tasks if t != train):
            _, false, per = score(test, best)
            print(f"picked on {train}: sentence cosine {best[0]}, min weight {best[1]}, threshold {best[2]} "
                  f"(train {score(train, best)[2]}) -> {test}: {per}, pairs touching a non answer {false}")
        other = [t for t in tasks if t != train]
        ok = [s for s in feasible if all(score(t, s)[1] == 0 for t in other)]
        print(f"  settings with no false pair on {train}: {len(feasible)}/{len(grid)}; "
              f"also none on the other: {len(ok)}")
    default = (cfg.meaning_sentence_cosine, cfg.meaning_min_weight, cfg.meaning_threshold)
    for task in tasks:
        print(f"defaults {default} on {task}: {score(task, default)[2]}, false {score(task, default)[1]}; "
              f"without the path: {score(task, (*default[:2], 2.0))[2]}")
    band = [th for th in THRESHOLDS
            if all(score(t, (*default[:2], th)) == score(t, default) for t in tasks)]
    print(f"thresholds giving the defaults' result on every task (with their cosine and weight): {band}")


if __name__ == "__main__":
    main()
