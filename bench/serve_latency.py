"""Benchmark the file-arrival trigger: how long after a new seed file lands a served run is created, starts and ends.

Starts `newsflow serve` (its own local Prefect server on a free loopback port, SQLite in a temporary folder) on a
temporary seeds folder of N BBC articles, waits for the catch-up run, then copies new articles in one at a time
and polls the Prefect API for the run each one triggers. Prints, per file, the seconds from the copy to the run's
creation (watcher debounce + event + trigger), to its start (Running: the runner's poll and the flow process's
imports) and to its end. Nothing is written in the repository.

    .venv/bin/python bench/serve_latency.py ../shared/eval/bbc_news [--n 20] [--files 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _runs(api: str) -> list[dict[str, object]]:
    """The newest flow runs on the server."""
    r = httpx.post(f"{api}/flow_runs/filter", json={"sort": "EXPECTED_START_TIME_DESC", "limit": 50}, timeout=10)
    r.raise_for_status()
    return list(r.json())


def _seconds(stamp: object, since: float) -> float | None:
    return datetime.fromisoformat(str(stamp)).timestamp() - since if stamp else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bbc", type=Path, help="the bbc_news folder (e.g. ../shared/eval/bbc_news)")
    parser.add_argument("--n", type=int, default=20, help="articles in the seeds folder before the drops")
    parser.add_argument("--files", type=int, default=3, help="new articles dropped, one at a time")
    args = parser.parse_args()
    articles = sorted((args.bbc / "News Articles").glob("*/*.txt"))
    if len(articles) < args.n + args.files:
        raise SystemExit(f"need {args.n + args.files} articles under {args.bbc / 'News Articles'}")
    work = Path(tempfile.mkdtemp(prefix="newsflow-serve-bench-"))
    seeds, data, home = work / "seeds", work / "data", work / "prefect"
    seeds.mkdir()
    for src in articles[: args.n]:
        shutil.copyfile(src, seeds / f"{src.parent.name}_{src.name}")
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    log = (work / "serve.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "newsflow", "serve", "--seeds", str(seeds), "--data", str(data),
                             "--port", str(port), "--prefect-home", str(home)],
                            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        t0 = time.time()
        while not any(r["state_type"] == "COMPLETED" for r in _safe_runs(api)):
            if time.time() - t0 > 300 or proc.poll() is not None:
                raise SystemExit(f"the catch-up run did not complete; see {work / 'serve.log'}")
            time.sleep(0.5)
        print(f"server up and catch-up run completed {time.time() - t0:.1f} s after `newsflow serve` started "
              f"({args.n} articles)", flush=True)
        for k, src in enumerate(articles[args.n: args.n + args.files]):
            time.sleep(3)
            known = {r["id"] for r in _runs(api)}
            landed = time.time()
            shutil.copyfile(src, seeds / f"zz_new_{k}_{src.name}")
            run = None
            while run is None and time.time() - landed < 180:
                done = [r for r in _runs(api) if r["id"] not in known
                        and r["state_type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")]
                run = done[0] if done else None
                time.sleep(0.2)
            if run is None:
                print(f"file {k + 1}: no finished run within 180 s", flush=True)
                continue
            created, started, ended = (_seconds(run.get(f), landed) for f in ("created", "start_time", "end_time"))
            print(f"file {k + 1}: run {run['state_type'].lower()}: created {created:.1f} s, started {started:.1f} s, "
                  f"finished {ended:.1f} s after the file landed", flush=True)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        shutil.rmtree(work, ignore_errors=True)


def _safe_runs(api: str) -> list[dict[str, object]]:
    try:
        return _runs(api)
    except httpx.HTTPError:
        return []  # the server is still starting


if __name__ == "__main__":
    main()
