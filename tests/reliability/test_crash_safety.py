"""Crash safety: SIGKILL a real `newsflow run` at each stage boundary, inside table writes and inside the publish.

Each kill point is a deterministic hook (`NEWSFLOW_TEST_KILL_AT=<point>`, see `catalogue.kill_point`). Every run
starts from the same published state (the flow run on two articles) and finds one more article and an empty file. Right after the kill,
the published tables must still be whole and either all old or journaled for roll-forward; after a rerun, every
suite passes, no temporary or staged file is left, no key is duplicated, and the tables equal those of an
uninterrupted run from the same state.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from newsflow import catalogue
from newsflow.workspace import COMMIT, MANIFEST, STAGING
from tests.reliability.support import (parquet_files, 
    article, cli_env, key_duplicates, newsflow_cmd, read_tables, run_flow, stray_files, validate_published,
    without_run_metadata,
)

# (kill point, what it interrupts). Stage points fire after the stage staged its tables; write points fire
# inside Catalogue.write_table (temp file written, not yet renamed); publish points fire inside the publish.
KILL_POINTS = [
    ("stage:ingest", "after ingest, nothing staged"),
    ("stage:clean", "after clean staged _clean_documents/sentences/boilerplate/rejects"),
    ("stage:deduplicate", "after deduplicate"),
    ("stage:extract_claims", "after extract_claims"),
    ("stage:summarise", "after every stage, before the publish"),
    ("write:_clean_documents", "inside clean's staged write of its changed part of _clean_documents"),
    ("write:documents", "inside deduplicate's staged write of the first changed part of documents"),
    ("publish:journaled", "COMMIT journal written, no table renamed yet"),
    ("publish:renamed", "one part file renamed into its table's folder, the rest not"),
    ("publish:renamed@3", "three files (parts or tables) renamed into data/, the rest not"),
    ("publish:manifest", "all renamed and manifest written, staging folder not yet removed"),
    ("write:runs", "inside the runs-table write after the publish"),
]
BEFORE_COMMIT = {"stage:", "write:documents", "write:_clean_documents"}


def _before_commit(point: str) -> bool:
    return any(point.startswith(p) for p in BEFORE_COMMIT)


@pytest.fixture(scope="module")
def states(prefect_harness, tmp_path_factory) -> dict[str, Path]:
    """The starting state (flow on two articles), the seeds folder grown by an article and a reject, and an uninterrupted run from that state."""
    root = tmp_path_factory.mktemp("crash")
    seeds = root / "seeds"
    seeds.mkdir()
    for n in (41, 42):
        (seeds / f"article_{n}.txt").write_text(article(n), encoding="utf-8")
    run_flow(seeds, root / "start")
    (seeds / "article_43.txt").write_text(article(43), encoding="utf-8")
    (seeds / "empty.txt").write_bytes(b"")
    shutil.copytree(root / "start", root / "reference")
    summary, _ = run_flow(seeds, root / "reference")
    assert summary.status == "completed" and summary.n_documents == 3 and summary.n_rejects == 1
    return {"root": root, "seeds": seeds, "start": root / "start", "reference": root / "reference"}


@pytest.fixture(scope="module")
def killed(states, api_url, timings) -> dict[str, tuple[Path, subprocess.CompletedProcess]]:
    """Run `newsflow run` once per kill point (two at a time), each on its own copy of the starting state."""
    def one(point: str) -> tuple[str, Path, subprocess.CompletedProcess]:
        data = states["root"] / f"killed-{point.replace(':', '_').replace('@', '_')}"
        shutil.copytree(states["start"], data)
        proc = subprocess.run(newsflow_cmd(states["seeds"], data), env=cli_env(api_url, NEWSFLOW_TEST_KILL_AT=point),
                              capture_output=True, text=True, timeout=600)
        return point, data, proc

    import time

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        out = {point: (data, proc) for point, data, proc in pool.map(one, [p for p, _ in KILL_POINTS])}
    timings[f"{len(KILL_POINTS)} killed subprocess runs (2 at a time)"] = time.perf_counter() - t0
    return out


def _published_files(data: Path) -> dict[str, bytes]:
    return parquet_files(data, skip=("runs",))


@pytest.mark.parametrize("point", [p for p, _ in KILL_POINTS], ids=[p for p, _ in KILL_POINTS])
def test_kill_then_rerun_loses_and_duplicates_nothing(point, killed, states):
    killed_data, proc = killed[point]
    assert proc.returncode == -signal.SIGKILL, f"not killed at {point}: rc={proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    # Every rerun uses one path, so the in-process runs share one GX context (its set-up costs seconds).
    data = states["root"] / "rerun"
    shutil.rmtree(data, ignore_errors=True)
    killed_data.rename(data)

    # Right after the kill: every published file is a whole Parquet table ...
    for p in data.glob("*.parquet"):
        pq.read_table(p)  # a partitioned table's folder reads as one table of all its parts
    staged = [d for d in (data / STAGING).glob("*") if d.is_dir()] if (data / STAGING).exists() else []
    if _before_commit(point):
        # ... and a run killed before its COMMIT journal changed nothing a reader can see.
        assert _published_files(data) == _published_files(states["start"])
        assert (data / MANIFEST).read_bytes() == (states["start"] / MANIFEST).read_bytes()
        assert not any((d / COMMIT).exists() for d in staged)
    elif point.startswith("publish:"):
        # ... or the publish is journaled, so the next run finishes it.
        assert [d.name for d in staged if (d / COMMIT).exists()], "interrupted publish left no journal"

    summary, _ = run_flow(states["seeds"], data)
    assert summary.status in ("completed", "unchanged")

    assert stray_files(data) == [], "temporary or staged files left behind"
    if summary.status != "completed":  # a completed rerun has just validated every table it published
        assert validate_published(data) == []
    tables, reference = read_tables(data), read_tables(states["reference"])
    assert key_duplicates(tables) == {}
    assert set(tables) == set(reference)
    for name in reference:
        if name == "runs":
            continue
        pd.testing.assert_frame_equal(without_run_metadata(name, tables[name]), without_run_metadata(name, reference[name]),
                                      obj=f"{name} after kill at {point}")
    runs = tables["runs"]
    assert runs["run_id"].is_unique and runs["status"].iloc[-1] in ("completed", "unchanged")
    assert json.loads((data / MANIFEST).read_text())["tables"] == json.loads((states["reference"] / MANIFEST).read_text())["tables"]


def test_kill_points_are_inert_without_the_variable(monkeypatch):
    monkeypatch.delenv(catalogue.KILL_AT_ENV, raising=False)
    catalogue.kill_point("stage:clean")  # would SIGKILL the test process if it were not inert


def test_failed_rename_during_publish_keeps_the_journal_and_recover_finishes_it(tmp_path, monkeypatch):
    """A publish that raises after its journal (disk full, Ctrl-C) must not be discarded half done."""
    import os

    from newsflow import workspace

    def frame(name: str) -> pd.DataFrame:
        return pd.DataFrame([{"source_file": name, "sha256": None, "size_bytes": 0, "reason": "empty",
                              "detail": "file has 0 bytes", "run_id": "r"}])

    old = workspace.Workspace(tmp_path, "r1")
    old.write("rejects", frame("old.txt"))
    old.write("documents", catalogue.empty_frame("documents"))
    old.publish({"run_id": "r1"})
    ws = workspace.Workspace(tmp_path, "r2")
    ws.write("rejects", frame("new.txt"))
    ws.write("documents", catalogue.empty_frame("documents"))
    real_replace, calls = os.replace, []

    def flaky_replace(src, dst):
        calls.append(dst)
        if str(dst).endswith("rejects.parquet"):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(workspace.os, "replace", flaky_replace)
    with pytest.raises(OSError):
        ws.publish({"run_id": "r2"})
    ws.discard()  # what the flow does on any exception
    monkeypatch.setattr(workspace.os, "replace", real_replace)
    assert (ws.staging / COMMIT).exists(), "the committed publish was thrown away half done"
    assert workspace.recover(tmp_path) == ["r2"]
    assert catalogue.read_table(tmp_path, "rejects")["source_file"].tolist() == ["new.txt"]
    assert workspace.read_manifest(tmp_path)["run_id"] == "r2"


def test_recover_removes_temporary_files_of_interrupted_writes(tmp_path):
    from newsflow import workspace

    (tmp_path / "validation").mkdir()
    leftovers = [tmp_path / ".documents.abc.parquet.tmp", tmp_path / f".{MANIFEST}.xyz.tmp",
                 tmp_path / "validation" / ".claims.q1.json.tmp"]
    for p in leftovers:
        p.write_bytes(b"partial")
    (tmp_path / STAGING / "r9").mkdir(parents=True)
    (tmp_path / STAGING / "r9" / ".documents.x.parquet.tmp").write_bytes(b"partial")
    workspace.recover(tmp_path)
    assert stray_files(tmp_path) == [] and not any(p.exists() for p in leftovers)
