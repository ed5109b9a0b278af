"""Scale benchmark: throughput, memory and rerun costs of `newsflow run` on BBC-derived corpora, beside the I/O floor.

For each corpus size N (default 2,000 and 12,000 documents; `--n 2000 12000 48000 100000` for the big ones) it
builds a synthetic copy corpus from the BBC News articles with the eval tool (`dedup_eval.py --make-corpus`:
originals plus ~20 % injected exact, near, shortened and spun copies; built once under --work, never in the
repo), then, all in one invocation so the figures share the machine's load:

    floor        read + sha256 + one regex pass + syntok sentences + a Parquet write of every file, in this
                 process: the least any pipeline doing the same reading and splitting could cost
    full         `newsflow run --full-refresh` through the real CLI, for each engine (--workers 1 and 2: a local
                 Dask cluster of that many processes; 0: the plain single-process run)
    no-change    a rerun with nothing new (answered without Prefect)
    one-new      one new article copied in, rerun
    one-deleted  one article of the corpus removed, rerun (both files are put back afterwards)

CPU seconds are those of the `newsflow` process and every process it started (the temporary Prefect server
and the Dask workers included: getrusage of the reaped children); peak RSS is sampled every 0.2 s per process
of the run's tree (main process, largest Dask worker, Prefect server). Stage seconds are the run's own
wall-clock figures from the `runs` table. The full runs of the engines must publish the same tables (checked
here: digest of every table and cache, run metadata aside). On a shared machine quote CPU seconds, not wall.

    .venv/bin/python bench/scale.py --corpus-tool ../shared/eval/dedup_eval.py --bbc "../shared/eval/bbc_news/News Articles" \\
        --work /tmp/scale-bench [--n 2000 12000] [--workers 1 2] [--timeout 7200]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pyarrow as pa
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[1]
STAGES = ("ingest", "clean", "deduplicate", "extract_claims", "summarise")
COPY_SHARE = 0.2  # the corpus tool adds 100 copies per relation per 2,000 originals: N documents need N / 1.2 of them
_WORD = re.compile(r"\w+")
# Columns that say which run wrote a row or when a file was read, not what the row holds.
RUN_METADATA = {"documents": ("ingested_at", "run_id"), "rejects": ("run_id",), "_file_stats": ("mtime_ns", "checked_ns")}


@dataclass
class Measure:
    """One measured command: CPU and wall seconds, peak RSS per process role (bytes), the run's stage seconds."""

    cpu: float = 0.0
    wall: float = 0.0
    rss: dict[str, int] = field(default_factory=dict)
    cpu_by_role: dict[str, float] = field(default_factory=dict)
    stages: dict[str, float] = field(default_factory=dict)
    status: str = ""


def build_corpus(tool: Path, bbc: Path, n_docs: int, work: Path, seed: int) -> Path:
    """Return the seeds folder of a corpus of about n_docs documents, building it with the eval tool if absent."""
    out = work / f"corpus_{n_docs}"
    seeds = out / "seeds"
    if not seeds.is_dir():
        shutil.rmtree(out, ignore_errors=True)
        base = round(n_docs / (1 + COPY_SHARE))
        subprocess.run([sys.executable, str(tool), "--make-corpus", str(out), "--n", str(base), "--seed", str(seed),
                        "--bbc", str(bbc)], check=True, stdout=subprocess.DEVNULL)
    return seeds


def files_of(seeds: Path) -> list[Path]:
    """Every file under the seeds folder, sorted."""
    return sorted(p for p in seeds.rglob("*") if p.is_file())


def io_floor(seeds: Path, out: Path) -> Measure:
    """Read, hash, scan and sentence-split every file and write one Parquet table, in this process."""
    from syntok import segmenter

    c0, t0 = time.process_time(), time.perf_counter()
    names, shas, words, sentences, texts = [], [], [], [], []
    for f in files_of(seeds):
        data = f.read_bytes()
        text = data.decode("utf-8", errors="replace")
        names.append(f.name)
        shas.append(hashlib.sha256(data).hexdigest())
        words.append(len(_WORD.findall(text)))
        sentences.append(sum(1 for paragraph in segmenter.analyze(text) for _ in paragraph))
        texts.append(text)
    pq.write_table(pa.table({"file": names, "sha256": shas, "n_words": words, "n_sentences": sentences, "text": texts}),
                   out)
    return Measure(cpu=time.process_time() - c0, wall=time.perf_counter() - t0,
                   rss={"main": psutil.Process().memory_info().rss}, status=f"{len(names)} files")


def _role(proc: psutil.Process, root: psutil.Process) -> str:
    if proc.pid == root.pid:
        return "main"
    try:
        cmd = " ".join(proc.cmdline())
    except psutil.Error:
        return "other"
    if "spawn_main" in cmd or "multiprocessing" in cmd:
        return "worker"
    if "uvicorn" in cmd or "prefect" in cmd:
        return "server"
    return "other"


def _tree(root: psutil.Process) -> Iterator[psutil.Process]:
    # Level by level: a process that ends during the walk drops only its own subtree, not the whole sample.
    stack = [root]
    while stack:
        proc = stack.pop()
        yield proc
        try:
            stack.extend(proc.children())
        except psutil.Error:
            continue


def run_cli(args: list[str], cwd: Path, log: Path, timeout: float) -> Measure:
    """Run `newsflow ARGS` in cwd, sampling its process tree's RSS; return its CPU (process and reaped children),
    wall seconds, peak RSS per role and its exit status."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = {**os.environ, "PYTHONPATH": str(REPO), "PREFECT_LOGGING_LEVEL": "WARNING"}
    env.pop("PREFECT_API_URL", None)
    t0 = time.perf_counter()
    peaks: dict[str, int] = {}
    cpu_seen: dict[int, tuple[str, float]] = {}
    with log.open("a", encoding="utf-8") as out:
        out.write(f"$ newsflow {' '.join(args)}\n")
        out.flush()
        proc = psutil.Popen([sys.executable, "-m", "newsflow", *args], cwd=cwd, env=env, stdout=out,
                            stderr=subprocess.STDOUT)
        while proc.poll() is None:
            for p in _tree(proc):
                try:
                    role = _role(p, proc)
                    peaks[role] = max(peaks.get(role, 0), p.memory_info().rss)
                    times = p.cpu_times()
                    cpu_seen[p.pid] = (role, times.user + times.system)
                except psutil.Error:
                    continue
            if time.perf_counter() - t0 > timeout:
                proc.kill()
            time.sleep(0.2)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    by_role: dict[str, float] = {}
    for role, seconds in cpu_seen.values():  # last sample of each process: a lower bound of its CPU
        by_role[role] = by_role.get(role, 0.0) + seconds
    return Measure(cpu=cpu, wall=time.perf_counter() - t0, rss=peaks, cpu_by_role=by_role,
                   status=f"exit {proc.returncode}")


def last_run_stages(data: Path) -> tuple[dict[str, float], str]:
    """Return the last run's seconds per stage and status from the runs table."""
    runs = pq.read_table(data / "runs.parquet").to_pylist()
    last = runs[-1]
    return {s: float(last.get(f"seconds_{s}") or 0.0) for s in STAGES}, str(last["status"])


def digests(data: Path) -> dict[str, str]:
    """Digest of every published table and cache, run metadata aside."""
    out = {}
    for path in sorted(data.glob("*.parquet")):
        name = path.stem
        if name == "runs":
            continue
        table = pq.read_table(path)
        table = table.drop_columns([c for c in RUN_METADATA.get(name, ()) if c in table.column_names])
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        out[name] = hashlib.sha256(sink.getvalue().to_pybytes()).hexdigest()[:16]
    return out


def free_port() -> int:
    """A TCP port nobody listens on now: `newsflow run` then starts its own temporary Prefect server."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def engine_args(workers: int) -> list[str]:
    """The CLI flags of an engine (0: the plain single-process run)."""
    return ["--workers", str(workers)] if workers else []


def bench_size(n_docs: int, seeds: Path, work: Path, engines: list[int], extra: Path, timeout: float,
               log: Path) -> list[tuple[str, Measure, dict[str, Measure]]]:
    """Measure the floor and every engine's full run and reruns on one corpus; check the engines' tables agree."""
    rows: list[tuple[str, Measure, dict[str, Measure]]] = [("floor", io_floor(seeds, work / f"floor_{n_docs}.parquet"), {})]
    tables: dict[str, dict[str, str]] = {}
    victim = files_of(seeds)[0]
    for workers in engines:
        data = work / f"data_{n_docs}_w{workers}"
        shutil.rmtree(data, ignore_errors=True)
        common = ["run", "--seeds", str(seeds), "--data", str(data), *engine_args(workers)]
        full = run_cli([*common, "--full-refresh"], work, log, timeout)
        full.stages, full.status = last_run_stages(data)
        tables[str(workers)] = digests(data)
        reruns = {"no-change": run_cli(common, work, log, timeout)}
        new_file = seeds / "zz_scale_bench_new.txt"
        new_file.write_text(extra.read_text(encoding="utf-8", errors="replace") + f"\n\nScale bench {n_docs} {workers}.\n",
                            encoding="utf-8")
        reruns["one-new"] = run_cli(common, work, log, timeout)
        kept = victim.read_bytes()
        victim.unlink()
        try:
            reruns["one-deleted"] = run_cli(common, work, log, timeout)
        finally:
            victim.write_bytes(kept)
            new_file.unlink(missing_ok=True)
        for measure in reruns.values():
            measure.stages, measure.status = last_run_stages(data)
        rows.append((f"--workers {workers}" if workers else "plain", full, reruns))
    same = len({tuple(sorted(d.items())) for d in tables.values()}) == 1
    print(f"N={n_docs}: the engines' tables are {'identical' if same else 'DIFFERENT'} "
          f"({len(tables)} engines, {len(next(iter(tables.values()), {}))} tables and caches)", flush=True)
    return rows


def _gb(value: int | None) -> str:
    return f"{value / 2**30:.2f}" if value else "–"


def print_table(results: list[tuple[int, list[tuple[str, Measure, dict[str, Measure]]]]]) -> None:
    """Print every figure in one Markdown table."""
    head = ["N docs", "engine", "CPU-s", "wall-s", "docs/CPU-s", "docs/wall-s", "RSS main GB", "RSS worker GB",
            "RSS server GB", *[f"{s} s" for s in STAGES], "no-change CPU-s", "one-new CPU-s", "one-deleted CPU-s",
            "one-new stages s", "CPU-s main/workers/server", "status"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for n_docs, rows in results:
        for name, m, reruns in rows:
            stage = [f"{m.stages[s]:.1f}" if m.stages else "–" for s in STAGES]
            rerun = [f"{reruns[k].cpu:.1f}" if k in reruns else "–" for k in ("no-change", "one-new", "one-deleted")]
            new_stages = f"{sum(reruns['one-new'].stages.values()):.1f}" if "one-new" in reruns else "–"
            print("| " + " | ".join([
                f"{n_docs:,}", name, f"{m.cpu:.1f}", f"{m.wall:.1f}", f"{n_docs / m.cpu:.0f}" if m.cpu else "–",
                f"{n_docs / m.wall:.0f}" if m.wall else "–", _gb(m.rss.get("main")), _gb(m.rss.get("worker")),
                _gb(m.rss.get("server")), *stage, *rerun, new_stages,
                "/".join(f"{m.cpu_by_role.get(r, 0.0):.0f}" for r in ("main", "worker", "server")), m.status]) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus-tool", type=Path, required=True, help="the eval tool dedup_eval.py (builds the corpora)")
    ap.add_argument("--bbc", type=Path, required=True, help="the BBC News 'News Articles' folder")
    ap.add_argument("--work", type=Path, required=True, help="a scratch folder outside the repo (corpora, tables, logs)")
    ap.add_argument("--n", type=int, nargs="+", default=[2000, 12000], help="corpus sizes in documents")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="engines: Dask worker counts (0: plain)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=7200.0, help="seconds before a run is killed")
    a = ap.parse_args()
    a.work.mkdir(parents=True, exist_ok=True)
    if REPO in a.work.resolve().parents or a.work.resolve() == REPO:
        raise SystemExit("--work must be outside the repository")
    # A settings file of the bench's own: a port nobody serves on (a `newsflow serve` of someone else must not
    # receive these runs) and a Prefect home under --work.
    (a.work / "newsflow.toml").write_text(f'port = {free_port()}\nprefect_home = "prefect"\n', encoding="utf-8")
    extra = sorted(p for p in a.bbc.rglob("*.txt"))[-1]
    log = a.work / "runs.log"
    print(f"{os.cpu_count()} cores; load average at start {os.getloadavg()}; logs in {log}", flush=True)
    results = []
    for n_docs in a.n:
        seeds = build_corpus(a.corpus_tool, a.bbc, n_docs, a.work, a.seed)
        count = len(files_of(seeds))
        results.append((count, bench_size(count, seeds, a.work, a.workers, extra, a.timeout, log)))
        print(f"N={count} done; load average {os.getloadavg()}", flush=True)
    print(f"load average at end {os.getloadavg()}")
    print_table(results)


if __name__ == "__main__":
    main()
