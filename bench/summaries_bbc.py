"""Benchmark newsflow's article summaries on the BBC News Summary dev set with the shared ROUGE scorer.

Default mode runs the real pipeline, exactly the scorer's workflow:
    summaries_eval.py --prepare WORK/seeds --set bbc
    newsflow run --seeds WORK/seeds --data WORK/data
    summaries_eval.py --data WORK/data --refs WORK/refs.json --set bbc
and reads the summarise stage's seconds from the runs table (documents/second of the stage alone).

`--baselines` prints lead-3, sumy's LexRank/TextRank/LSA/Luhn and the oracle on the same articles.
`--direct` skips the CLI: it loads the articles through the scorer module, cleans them with
`transforms.clean.clean_documents`, times `summarise_documents` alone and scores in-process (for tuning).
The articles and references stay in the shared folder: paths are arguments, nothing is copied.

    .venv/bin/python bench/summaries_bbc.py                  # pipeline, all 2,225 articles
    .venv/bin/python bench/summaries_bbc.py --baselines
    .venv/bin/python bench/summaries_bbc.py --direct [--limit 500]
    .venv/bin/python bench/summaries_bbc.py --direct --set frank_cnndm     # or frank_xsum: FRANK validation

The article-summary weights (SummariseConfig: lead prior, centrality 0.25, redundancy 0.5, 80 words, half the
article) were chosen on all three dev sets at once: the setting whose smallest margin over lead-3 (R1 and R2, on
BBC, CNN/DM and XSum) is largest. Leaving one set out and choosing on the other two picks the same setting when
CNN/DM or BBC is held out; with XSum held out it picks a heavier centrality weight that loses to lead-3 on XSum
R1 (18.05 vs 18.57), so XSum's margin is the thin one.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DEFAULT_EVAL = REPO.parent / "shared" / "eval" / "summaries_eval.py"


def load_scorer(path: Path) -> ModuleType:
    """Import the shared summaries_eval.py as a module (it stays where it is)."""
    spec = importlib.util.spec_from_file_location("summaries_eval", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def run_pipeline(args: argparse.Namespace) -> int:
    """prepare -> newsflow run -> score, then print the summarise stage's documents/second."""
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="newsflow-sum-"))
    seeds, data = work / "seeds", work / "data"
    if data.exists() and not args.keep_data:
        shutil.rmtree(data)
    py = sys.executable
    extra = ["--limit", str(args.limit)] if args.limit else []
    _run([py, str(args.eval), "--prepare", str(seeds), "--set", args.set, *extra])
    newsflow = Path(py).with_name("newsflow")
    t0 = time.perf_counter()
    _run([str(newsflow), "run", "--seeds", str(seeds), "--data", str(data)])
    wall = time.perf_counter() - t0
    _run([py, str(args.eval), "--data", str(data), "--refs", str(work / "refs.json"), "--set", args.set])
    import pandas as pd

    runs = pd.read_parquet(data / "runs.parquet")
    last = runs.iloc[-1]
    n = int(last["n_documents"])
    secs = float(last["seconds_summarise"])
    rate = n / secs if secs > 0 else float("inf")
    print(f"KEY stage summarise n_documents={n} seconds={secs:.2f} docs_per_s={rate:.0f} pipeline_wall_s={wall:.1f}")
    return 0


def run_direct(args: argparse.Namespace) -> int:
    """Clean and summarise in-process (no CLI), time the summarise call, score with the shared scorer."""
    import pandas as pd

    from transforms.clean import clean_documents
    from transforms.summarise import SummariseConfig, summarise_documents

    ev = load_scorer(args.eval)
    items = ev.load_set(args.set, args.limit, args.seed)
    raw = pd.DataFrame(
        {"doc_id": [it.id for it in items], "source_file": [f"{it.id}.txt" for it in items],
         "sha256": [it.id for it in items], "encoding": ["utf-8"] * len(items),
         "text": [it.seed_text() for it in items]}
    )
    cache = Path(args.cache) if args.cache else None
    if cache and (cache / "documents.parquet").exists():
        documents = pd.read_parquet(cache / "documents.parquet")
        sentences = pd.read_parquet(cache / "sentences.parquet")
    else:
        cleaned = clean_documents(raw, date(2100, 1, 1))
        documents, sentences = cleaned.documents, cleaned.sentences
        if cache:
            cache.mkdir(parents=True, exist_ok=True)
            documents.to_parquet(cache / "documents.parquet")
            sentences.to_parquet(cache / "sentences.parquet")
    docs = documents.assign(duplicate_group=None, is_canonical=True, story_id=None)
    config = SummariseConfig(**_overrides(args.set_param))
    t0 = time.perf_counter()
    summaries = summarise_documents(docs, sentences, config)
    secs = time.perf_counter() - t0
    got = dict(zip(summaries["scope_id"], summaries["summary"]))
    sc = ev.scorer()
    ids = [it.id for it in items if it.id in got]
    print(ev.HEADER)
    scores = ev.score_pairs(sc, [(it.ref, "\n".join(ev.split_sentences(got[it.id]))) for it in items if it.id in got])
    r = ev.row("newsflow(direct)", scores, len(docs) / secs)
    share = (summaries["n_words"] / docs["clean_text"].str.split().str.len().to_numpy()).mean()
    print(f"KEY direct n={len(ids)} R1/R2/RLsum={ev.fmt3(r)} words={r['words']:.1f} "
          f"share={share:.3f} docs_per_s={len(docs) / secs:.0f} config={_overrides(args.set_param)}")
    return 0


def _overrides(pairs: list[str]) -> dict[str, float | int]:
    out: dict[str, float | int] = {}
    for pair in pairs:
        key, value = pair.split("=", 1)
        out[key] = int(value) if value.lstrip("-").isdigit() else float(value)
    return out


def _run(cmd: list[str]) -> None:
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the chosen mode."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="path to summaries_eval.py")
    ap.add_argument("--work", help="working folder for seeds/, refs.json and data/ (default: a temp folder)")
    ap.add_argument("--keep-data", action="store_true", help="do not clear WORK/data before the run")
    ap.add_argument("--limit", type=int, help="random sample of N articles (scorer's --limit)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--set", default="bbc", choices=("bbc", "frank_cnndm", "frank_xsum"),
                    help="dev set (default bbc); the article summaries must beat lead-3 on every one")
    ap.add_argument("--baselines", action="store_true", help="print the scorer's baselines on the same articles")
    ap.add_argument("--direct", action="store_true", help="in-process clean + summarise, no CLI")
    ap.add_argument("--cache", help="--direct: keep the cleaned frames in this folder and reuse them")
    ap.add_argument("--set-param", action="append", default=[], metavar="NAME=VALUE",
                    help="SummariseConfig override for --direct (repeatable)")
    args = ap.parse_args(argv)
    if args.baselines:
        extra = ["--limit", str(args.limit), "--seed", str(args.seed)] if args.limit else []
        _run([sys.executable, str(args.eval), "--baselines", "--set", args.set, *extra])
        return 0
    return run_direct(args) if args.direct else run_pipeline(args)


if __name__ == "__main__":
    sys.exit(main())
