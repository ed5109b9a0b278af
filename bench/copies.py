"""Copy detection: newsflow beside a word-3-gram containment baseline, on the Clough & Stevenson dev tasks, a
synthetic copy corpus and the seeds, in one table.

Each set is written to a temporary folder, run through the real CLI (`newsflow run`), and scored by the shared
scorers (copies_eval.py --score-clough, dedup_eval.py --data); the baseline's pairs are written as a duplicates
table beside it and scored by the same scorers. Baseline: a pair is a copy when the word 3-grams of the shorter
text (lowercase [a-z0-9']+ tokens) are at least --threshold contained in the longer one's, over all pairs.

Usage: bench/copies.py [--eval-dir ../shared/eval] [--seeds seeds] [--n 2000] [--seed 0] [--spin-rate LO HI]
                       [--threshold 0.1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parent)]

from dedup_common import ROOT, make_corpus, run, run_cli  # noqa: E402

_TOKEN = re.compile(r"[a-z0-9']+")


def containment_pairs(texts: list[str], threshold: float) -> list[tuple[int, int, float]]:
    """Return every pair (i < j) whose shorter 3-gram set is >= threshold contained in the other (exact)."""
    vocab: dict[tuple[str, ...], int] = {}
    rows, cols = [], []
    for i, text in enumerate(texts):
        words = _TOKEN.findall(text.lower())
        for g in set(zip(words, words[1:], words[2:])):
            rows.append(i)
            cols.append(vocab.setdefault(g, len(vocab)))
    x = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(texts), max(1, len(vocab))))
    size = np.asarray(x.sum(axis=1)).ravel()
    shared = sp.triu(x @ x.T, k=1).tocoo()
    smaller = np.minimum(size[shared.row], size[shared.col])
    score = np.divide(shared.data, smaller, out=np.zeros_like(shared.data), where=smaller > 0)
    keep = score >= threshold
    return [(int(a), int(b), float(s)) for a, b, s in zip(shared.row[keep], shared.col[keep], score[keep])]


def write_baseline(seeds: Path, out: Path, threshold: float) -> int:
    """Write documents/duplicates Parquet files holding the baseline's pairs (file stems as doc ids)."""
    files = sorted(seeds.glob("*.txt"))
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    pairs = containment_pairs(texts, threshold)
    out.mkdir(parents=True, exist_ok=True)
    ids = [f.stem for f in files]
    pd.DataFrame({"doc_id": ids, "source_file": [f.name for f in files]}).to_parquet(out / "documents.parquet")
    pd.DataFrame({"doc_id_a": [ids[a] for a, _, _ in pairs], "doc_id_b": [ids[b] for _, b, _ in pairs],
                  "relation": ["contained"] * len(pairs), "score": [s for _, _, s in pairs]}
                 ).to_parquet(out / "duplicates.parquet")
    return len(pairs)


def clough(a: argparse.Namespace, work: Path) -> list[tuple[str, str, str, str]]:
    """Clough dev tasks: recall per class (answer paired with its source) and false pairs on `non` answers."""
    script = a.eval_dir / "copies_eval.py"
    prep = work / "clough"
    run([sys.executable, script, "--prepare-clough", prep]).check_returncode()
    run_cli(prep / "seeds", work / "clough_data")
    write_baseline(prep / "seeds", work / "clough_base", a.threshold)
    got = {}
    for name in ("clough_data", "clough_base"):
        res = run([sys.executable, script, "--score-clough", work / name, "--truth", prep / "truth.json"])
        line = re.search(r"clough copies found: .*", res.stdout)
        print(res.stdout.strip(), res.stderr.strip()[-400:], sep="\n")
        got[name] = dict(re.findall(r"(\w+) (\d+/\d+)", line.group(0))) if line else {}
    anywhere = {name: _pairs_touching_non(work / name, prep / "truth.json") for name in got}
    rows = [("clough dev", f"{c} recall", got["clough_data"].get(c, "?"), got["clough_base"].get(c, "?"))
            for c in ("cut", "light", "heavy")]
    rows.append(("clough dev", "non answer paired with its source", got["clough_data"].get("non", "?"),
                 got["clough_base"].get("non", "?")))
    rows.append(("clough dev", "pairs touching a non answer", str(anywhere["clough_data"]),
                 str(anywhere["clough_base"])))
    return rows


def _pairs_touching_non(data: Path, truth_json: Path) -> int:
    """Count duplicate pairs with an independently written (`non`) answer on either side."""
    truth = json.loads(truth_json.read_text())
    docs = pd.read_parquet(data / "documents.parquet")
    name = dict(zip(docs["doc_id"], docs["source_file"].str.replace(".txt", "", regex=False)))
    dup = pd.read_parquet(data / "duplicates.parquet")
    non = {k for k, t in truth.items() if t["category"] == "non"}
    return int(sum(name.get(x) in non or name.get(y) in non for x, y in zip(dup["doc_id_a"], dup["doc_id_b"])))


def synthetic(a: argparse.Namespace, work: Path) -> list[tuple[str, str, str, str]]:
    """Synthetic copy corpus (BBC articles + injected copies): recall per relation and precision."""
    script = a.eval_dir / "dedup_eval.py"
    corpus = work / "synthetic"
    make_corpus(corpus, a.n, a.seed, tuple(a.spin_rate) if a.spin_rate else None, script)
    run_cli(corpus / "seeds", work / "synthetic_data")
    write_baseline(corpus / "seeds", work / "synthetic_base", a.threshold)
    got = {}
    for name in ("synthetic_data", "synthetic_base"):
        res = run([sys.executable, script, "--data", work / name, "--truth", corpus / "truth.json"])
        print(res.stdout.strip()[-1500:], res.stderr.strip()[-400:], sep="\n")
        got[name] = json.loads(res.stdout.strip().splitlines()[-1])
    label = f"synthetic n={a.n} spin={a.spin_rate or 'default'}"
    pct = lambda x: "n/a" if x is None else f"{x:.3f}"  # noqa: E731
    rows = [(label, f"{r} recall", pct(got["synthetic_data"]["recall"][r]), pct(got["synthetic_base"]["recall"][r]))
            for r in ("exact", "near", "shortened", "spun")]
    rows.append((label, "precision (pairs predicted)",
                 f"{pct(got['synthetic_data']['precision'])} ({got['synthetic_data']['n_pred']})",
                 f"{pct(got['synthetic_base']['precision'])} ({got['synthetic_base']['n_pred']})"))
    return rows


def seeds(a: argparse.Namespace, work: Path) -> list[tuple[str, str, str, str]]:
    """The seeds: the pairs found (gold: exactly one, 000-001)."""
    run_cli(a.seeds, work / "seeds_data")
    write_baseline(a.seeds, work / "seeds_base", a.threshold)
    out = []
    for name in ("seeds_data", "seeds_base"):
        docs = pd.read_parquet(work / name / "documents.parquet")
        stem = dict(zip(docs["doc_id"], docs["source_file"].str[:3]))
        dup = pd.read_parquet(work / name / "duplicates.parquet")
        out.append(" ".join(sorted(f"{stem[x]}-{stem[y]}" if stem[x] < stem[y] else f"{stem[y]}-{stem[x]}"
                                   for x, y in zip(dup["doc_id_a"], dup["doc_id_b"]))) or "none")
    return [("seeds", "pairs (gold: 000-001)", out[0], out[1])]


def main() -> None:
    """Run the three sets and print one table."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval-dir", type=Path, default=(ROOT / "../shared/eval").resolve())
    ap.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    ap.add_argument("--n", type=int, default=2000, help="base articles of the synthetic corpus (+20%% copies)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--spin-rate", type=float, nargs=2, metavar=("LO", "HI"))
    ap.add_argument("--threshold", type=float, default=0.1, help="the baseline's containment threshold")
    ap.add_argument("--only", choices=("clough", "synthetic", "seeds"), action="append")
    ap.add_argument("--keep", type=Path, help="work in this folder (kept) instead of a temp dir")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsflow_copies_") as tmp:
        work = a.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        rows: list[tuple[str, str, str, str]] = []
        for name, fn in (("clough", clough), ("synthetic", synthetic), ("seeds", seeds)):
            if not a.only or name in a.only:
                rows += fn(a, work)
    head = ("set", "measure", "newsflow", f"3-gram containment@{a.threshold:g}")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(4)]
    for r in [head, tuple("-" * w for w in widths), *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))


if __name__ == "__main__":
    main()
