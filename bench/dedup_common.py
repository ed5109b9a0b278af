"""Shared helpers of the dedup benches: run the real CLI, load a corpus directly, measure a stage in a subprocess."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
EVAL = (ROOT / "../shared/eval").resolve()
DEDUP_EVAL = EVAL / "dedup_eval.py"


def run(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    """Run a command, echo it, return the completed process (text output captured)."""
    print("$ " + " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], text=True, capture_output=True, **kw)  # type: ignore[call-overload]


def make_corpus(out: Path, n: int, seed: int, spin: tuple[float, float] | None, eval_script: Path) -> None:
    """Build a synthetic copy corpus with the shared generator (BBC articles + injected copies)."""
    cmd = [sys.executable, eval_script, "--make-corpus", out, "--n", str(n), "--seed", str(seed)]
    if spin:
        cmd += ["--spin-rate", str(spin[0]), str(spin[1])]
    res = run(cmd)
    print(res.stdout.strip()[-600:], res.stderr.strip()[-400:], sep="\n")
    res.check_returncode()


def run_cli(seeds: Path, data: Path) -> float:
    """Run `newsflow run` on a seeds folder; return its wall time in seconds (raises on failure)."""
    exe = ROOT / ".venv/bin/newsflow"
    env = dict(os.environ, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180",
               PREFECT_SERVER_ANALYTICS_ENABLED="false")
    t0 = time.perf_counter()
    res = run([exe if exe.exists() else "newsflow", "run", "--seeds", seeds, "--data", data, "--full-refresh"],
              env=env)
    wall = time.perf_counter() - t0
    print(res.stdout.strip()[-1500:])
    if res.returncode != 0:
        print(res.stderr.strip()[-1500:])
        raise RuntimeError(f"newsflow run failed ({res.returncode})")
    return wall


def raw_documents(seeds: Path) -> pd.DataFrame:
    """Return a documents frame straight from raw files (no cleaning): the stage's input columns."""
    files = sorted(seeds.glob("*.txt"))
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    return pd.DataFrame({
        "doc_id": [f.stem for f in files], "source_file": [f.name for f in files], "clean_text": texts,
        "published_date": [None] * len(files), "date_source": ["none"] * len(files),
        "title": [t.split("\n", 1)[0] for t in texts], "n_sentences": [max(1, t.count(". ")) for t in texts],
    })


def peak_rss_mb() -> float:
    """Return this process's peak resident memory in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
