"""Benchmark incremental runs: full run vs no-change rerun vs one-new-file rerun (and one deleted file).

Builds a corpus of N articles (default 2,000) from the BBC News dataset in a temporary folder (never in
the repo), then runs the flow in this process against one Prefect test server:

    full         first run from scratch (full_refresh)
    no-change    rerun with nothing new: must do no stage work and leave every table byte-identical
    one-new      one more article copied in (three times, a different article each time: the median is the figure)
    one-deleted  the last one removed again

and prints wall and CPU seconds per scenario, the flow's seconds per stage, and each rerun's share of the full
run (CPU seconds are this process's, so a busy machine moves them less than wall time).
Every run here happens in one process: a served deployment starts each flow run in a fresh process,
which adds the import cost printed on the last line.

    .venv/bin/python bench/incremental.py ../shared/eval/bbc_news [--n 2000] [--keep]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

STAGES = ("ingest", "clean", "deduplicate", "extract_claims", "summarise")


def articles(bbc: Path) -> list[Path]:
    """Every article file of the BBC dataset, in a stable order (topic, then number)."""
    root = bbc / "News Articles"
    if not root.is_dir():
        raise SystemExit(f"{root} not found: pass the bbc_news folder (it holds 'News Articles/<topic>/NNN.txt')")
    return sorted(root.glob("*/*.txt"))


def build_corpus(sources: list[Path], seeds: Path) -> None:
    """Copy articles into a flat seeds folder as <topic>_<NNN>.txt."""
    seeds.mkdir(parents=True, exist_ok=True)
    for src in sources:
        shutil.copyfile(src, seeds / f"{src.parent.name}_{src.name}")


def table_bytes(data: Path) -> dict[str, bytes]:
    """The bytes of every published data file, each part of a partitioned table by its own path (the runs log
    excluded: it grows by one row per run)."""
    files = [p for p in (*data.glob("*.parquet"), *data.glob("*.parquet/*.parquet")) if p.is_file()]
    return {p.relative_to(data).as_posix(): p.read_bytes() for p in sorted(files) if p.name != "runs.parquet"}


def timed_run(seeds: Path, data: Path, **kwargs: object) -> tuple[object, float, float]:
    """Run the flow once as `newsflow run` does; return its summary, wall seconds and this process's CPU seconds."""
    from flows.pipeline import run_in_process

    t0, c0 = time.perf_counter(), time.process_time()
    summary = run_in_process(seeds=str(seeds), data=str(data), **kwargs)
    return summary, time.perf_counter() - t0, time.process_time() - c0


def import_seconds() -> float:
    """Wall time a fresh process needs to import the flow (what each served flow run pays first)."""
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import flows.pipeline, great_expectations"], cwd=REPO, check=True)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bbc", type=Path, help="the bbc_news folder (e.g. ../shared/eval/bbc_news)")
    parser.add_argument("--n", type=int, default=2000, help="articles in the corpus (default 2000)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print its path")
    args = parser.parse_args()

    found = articles(args.bbc)
    if len(found) < args.n + 3:
        raise SystemExit(f"only {len(found)} articles in {args.bbc}; need {args.n + 3}")
    work = Path(tempfile.mkdtemp(prefix="newsflow-bench-"))
    seeds, data = work / "seeds", work / "data"
    extras = found[args.n: args.n + 3]
    build_corpus(found[: args.n], seeds)
    print(f"corpus: {args.n} articles in {seeds}; added one at a time: "
          + ", ".join(f"{e.parent.name}/{e.name}" for e in extras), flush=True)

    from prefect.testing.utilities import prefect_test_harness

    results: list[tuple[str, object, float, float]] = []
    try:
        with prefect_test_harness(server_startup_timeout=180):
            results.append(("full", *timed_run(seeds, data, full_refresh=True)))
            before = table_bytes(data)
            results.append(("no-change", *timed_run(seeds, data)))
            identical = table_bytes(data) == before
            added: list[Path] = []
            for i, extra in enumerate(extras, 1):
                added.append(seeds / f"zz_new_{extra.parent.name}_{extra.name}")
                shutil.copyfile(extra, added[-1])
                results.append((f"one-new #{i}", *timed_run(seeds, data)))
            added[-1].unlink()
            results.append(("one-deleted", *timed_run(seeds, data)))
        full_wall, full_cpu = results[0][2], results[0][3]
        head = (f"{'scenario':<12} {'status':<10} {'wall s':>7} {'share':>6} {'CPU s':>7} {'share':>6} "
                + " ".join(f"{s:>14}" for s in STAGES))
        print(head)
        print("-" * len(head))
        for name, summary, wall, cpu in results:
            stage_s = {s.stage: s.seconds for s in summary.stages}
            cells = " ".join(f"{stage_s[s]:>14.2f}" if s in stage_s else f"{'-':>14}" for s in STAGES)
            print(f"{name:<12} {summary.status:<10} {wall:>7.2f} {wall / full_wall:>6.1%} {cpu:>7.2f} "
                  f"{cpu / full_cpu:>6.1%} {cells}")
        new_runs = [r for r in results if r[0].startswith("one-new")]
        wall_med = statistics.median(r[2] for r in new_runs)
        cpu_med = statistics.median(r[3] for r in new_runs)
        print(f"one-new median: {wall_med:.2f} s wall ({wall_med / full_wall:.1%} of the full run), "
              f"{cpu_med:.2f} s CPU ({cpu_med / full_cpu:.1%})")
        print(f"no-change rerun left every table byte-identical: {identical}")
        print(f"documents after the last one-new: {new_runs[-1][1].n_documents}; new or changed files it processed: "
              f"{new_runs[-1][1].n_new}")
        print(f"fresh-process import of the flow (paid by every served run): {import_seconds():.1f} s")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
