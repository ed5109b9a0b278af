"""Dedup bench on the synthetic copy corpus (BBC articles + injected exact/near/shortened/spun copies).

For each spin setting (the generator's default, and 0.6-0.8, closer to seed 001's spinner):
  1. build a corpus of N base articles (+20% copies) in a temp dir with shared/eval/dedup_eval.py;
  2. run the real CLI `newsflow run` on it (or, with --direct, the stage alone on the raw files);
  3. print precision/recall per relation (dedup_eval.py --data --truth);
  4. time the stage alone in a fresh process (wall, CPU, peak RSS) on the pipeline's documents.parquet;
  5. run the MinHash baselines on the same corpus side by side (dedup_eval.py --baselines), and time the
     LSH 0.8 worker alone (wall, CPU) so the stage/baseline ratio is fair on a busy machine.

Usage: bench/dedup_synthetic.py [--n 10000] [--seed 0] [--eval-dir ../shared/eval] [--direct] [--only default|spin]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parent)]

from dedup_common import ROOT, make_corpus, run, run_cli  # noqa: E402

SETTINGS = {"default": None, "spin": (0.6, 0.8)}


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def bench_one(name: str, spin: tuple[float, float] | None, a: argparse.Namespace, work: Path) -> None:
    """Build one corpus, run newsflow (or the stage), score it, time it, and run the baselines beside it."""
    script = a.eval_dir / "dedup_eval.py"
    corpus, data = work / f"corpus_{name}", work / f"data_{name}"
    print(f"\n######## setting {name}: spin rate {spin or 'generator default (0.2 0.4)'}; N = {a.n}", flush=True)
    make_corpus(corpus, a.n, a.seed, spin, script)
    stage = ROOT / "bench/dedup_stage.py"
    direct = a.direct
    if not direct:
        try:
            wall = run_cli(corpus / "seeds", data)
            print(f"newsflow run (whole pipeline) wall: {wall:.1f} s")
            res = run([sys.executable, stage, "--documents", data / "documents.parquet"])
            print(res.stdout.strip(), res.stderr.strip()[-800:], sep="\n")
        except RuntimeError as exc:
            print(f"!! {exc}: falling back to the stage alone on the raw files (--direct)")
            direct = True
    if direct:
        res = run([sys.executable, stage, "--seeds", corpus / "seeds", "--write", data])
        print(res.stdout.strip(), res.stderr.strip()[-800:], sep="\n")
    score = run([sys.executable, script, "--data", data, "--truth", corpus / "truth.json"])
    print(score.stdout.strip(), score.stderr.strip()[-800:], sep="\n")
    c0, t0 = _children_cpu(), time.perf_counter()
    worker = run([sys.executable, script, "--_worker", "lsh0.8", corpus, work / "lsh08.json"])
    wall, cpu = time.perf_counter() - t0, _children_cpu() - c0
    if worker.returncode == 0:
        w = json.loads((work / "lsh08.json").read_text())
        print(f"baseline MinHashLSH 0.8 alone: wall {wall:.1f} s (incl. interpreter start), CPU {cpu:.1f} s, "
              f"peak RSS {w['peak_rss_mb']:.0f} MB")
    base = run([sys.executable, script, "--baselines", corpus])
    print(base.stdout.strip(), base.stderr.strip()[-800:], sep="\n", flush=True)


def main() -> None:
    """Run the bench for the chosen settings, printing every figure."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000, help="base articles (the corpus adds 20%% copies)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--eval-dir", type=Path, default=(ROOT / "../shared/eval").resolve())
    ap.add_argument("--direct", action="store_true", help="run the stage on raw files instead of the CLI")
    ap.add_argument("--only", choices=sorted(SETTINGS), help="run one spin setting only")
    ap.add_argument("--keep", type=Path, help="work in this folder (kept) instead of a temp dir")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsflow_dedup_") as tmp:
        work = a.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for name, spin in SETTINGS.items():
            if a.only in (None, name):
                bench_one(name, spin, a, work)


if __name__ == "__main__":
    main()
