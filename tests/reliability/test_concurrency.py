"""Concurrency: runs started together on one data folder never interleave; one without --wait exits 3 clearly."""

from __future__ import annotations

import subprocess
import time

import pandas as pd
import pytest

from newsflow.workspace import run_lock
from tests.reliability.support import (
    article, cli_env, key_duplicates, newsflow_cmd, read_tables, stray_files, validate_published,
)


def test_simultaneous_runs_are_serialised_and_an_impatient_one_exits_3(tmp_path, api_url, timings):
    seeds, data = tmp_path / "seeds", tmp_path / "data"
    seeds.mkdir()
    for n in (51, 52):
        (seeds / f"article_{n}.txt").write_text(article(n), encoding="utf-8")
    (seeds / "blank.txt").write_text("  \n")
    t0 = time.perf_counter()
    with run_lock(data):  # a run is "in progress" while three more are triggered at once
        procs = {
            "impatient": subprocess.Popen(newsflow_cmd(seeds, data), env=cli_env(api_url), stdout=subprocess.PIPE,
                                          stderr=subprocess.STDOUT, text=True),
            "waiting_a": subprocess.Popen(newsflow_cmd(seeds, data, "--wait", "300"), env=cli_env(api_url),
                                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True),
            "waiting_b": subprocess.Popen(newsflow_cmd(seeds, data, "--wait", "300"), env=cli_env(api_url),
                                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True),
        }
        out_impatient, _ = procs["impatient"].communicate(timeout=300)
        assert procs["impatient"].returncode == 3, out_impatient
        assert "another newsflow run holds" in " ".join(out_impatient.split())
        assert not list(data.glob("*.parquet")), "a locked-out run wrote tables"
        assert procs["waiting_a"].poll() is None and procs["waiting_b"].poll() is None, "a run did not wait for the lock"
        released = pd.Timestamp.now(tz="UTC")
    outs = {k: p.communicate(timeout=600)[0] for k, p in procs.items() if k != "impatient"}
    timings["concurrency: 3 subprocess runs"] = time.perf_counter() - t0
    for k in outs:
        assert procs[k].returncode == 0, outs[k]

    runs = read_tables(data)["runs"].sort_values("started_at")
    assert runs["status"].tolist() == ["completed", "unchanged"]
    assert (runs["started_at"] >= released).all(), "a run started while the lock was held"
    assert runs["started_at"].iloc[1] >= runs["finished_at"].iloc[0], "the two runs overlapped"
    assert stray_files(data) == [] and validate_published(data) == []
    tables = read_tables(data)
    assert key_duplicates(tables) == {}
    assert len(tables["documents"]) == 2 and tables["rejects"]["source_file"].tolist() == ["blank.txt"]
