"""A changed setting reruns its stage and the stages reading its output; the others keep their tables byte for byte.

Seeds unchanged between runs: a new summary length reruns summarise only (every other table and cache is the same
file, its digest unchanged), a new story threshold reruns from deduplicate on; either way the tables equal those a
full run with the new settings publishes (run metadata aside).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from newsflow import catalogue, progress, rerun
from newsflow.integrity import file_digest
from tests.reliability.support import parquet_files, without_run_metadata

DATA_TABLES = tuple(n for n in catalogue.TABLES if n != "runs")


def _run(seeds: Path, data: Path, **parameters: object) -> tuple[object, list[str]]:
    from flows.pipeline import pipeline

    notes: list[str] = []
    with progress.listening(lambda line, result: notes.append(line) if result is None else None):
        summary = pipeline(seeds=str(seeds), data=str(data), **parameters)
    return summary, notes


def _digests(data: Path) -> dict[str, str]:
    return {name: file_digest(data / name) for name in parquet_files(data, skip=("runs",))}


def _tables(data: Path) -> dict[str, pd.DataFrame]:
    return {n: without_run_metadata(n, catalogue.read_table(data, n)) for n in DATA_TABLES}


@pytest.fixture(scope="module")
def first(prefect_harness, tmp_path_factory):
    """The seeds (dated an hour back, so their listing is trusted) run once with the default settings."""
    root = tmp_path_factory.mktemp("reruns")
    seeds = root / "seeds"
    shutil.copytree(Path(__file__).resolve().parents[2] / "seeds", seeds)
    past = time.time() - 3600
    for f in seeds.iterdir():
        os.utime(f, (past, past))
    data = root / "data"
    _run(seeds, data)
    return root, seeds, data


def test_a_new_summary_length_reruns_summarise_only(first):
    root, seeds, data = first
    before = _digests(data)
    summary, notes = _run(seeds, data, summary_sentences=1)
    after = _digests(data)
    assert {s.stage: s.kept for s in summary.stages} == {"ingest": False, "clean": True, "deduplicate": True,
                                                        "extract_claims": True, "summarise": False}
    others = lambda digests: {n: d for n, d in digests.items() if not n.startswith("summaries.parquet")}  # noqa: E731
    assert others(after) == others(before)
    assert {n: d for n, d in after.items() if n not in others(after)} != {n: d for n, d in before.items() if n not in others(before)}
    assert notes == ["settings changed since the last run: summary_sentences None → 1 (summarise): reruns summarise; "
                     "clean, deduplicate, extract_claims keep their tables"]
    full = root / "full-summary"
    _run(seeds, full, summary_sentences=1)
    assert all(_tables(data)[n].equals(_tables(full)[n]) for n in DATA_TABLES), "differs from a full run"
    again, _ = _run(seeds, data, summary_sentences=1)
    assert again.status == "unchanged"


def test_a_new_story_threshold_reruns_from_deduplicate_on(first):
    root, seeds, data = first
    before = _digests(data)
    summary, notes = _run(seeds, data, summary_sentences=1, story_threshold=0.05)
    ran = {s.stage: s.counts for s in summary.stages if not s.kept}
    # clean keeps its tables: documents is deduplicate's own table, so there are no carried dates to reset
    assert set(ran) == {"ingest", "deduplicate", "extract_claims", "summarise"}
    clean_files = [n for n in before if n.split(".parquet")[0] in rerun.WRITES["clean"]]
    assert clean_files and all(_digests(data)[n] == before[n] for n in clean_files)
    assert ran["extract_claims"]["extracted"] == 0  # per-document work is reused
    assert ran["deduplicate"]["signatures_computed"] == len(catalogue.read_table(data, "documents"))
    assert any("story_threshold None → 0.05 (deduplicate): reruns deduplicate, extract_claims, summarise" in n for n in notes)
    full = root / "full-story"
    _run(seeds, full, summary_sentences=1, story_threshold=0.05)
    mine, theirs = _tables(data), _tables(full)
    assert all(mine[n].equals(theirs[n]) for n in DATA_TABLES), [n for n in DATA_TABLES if not mine[n].equals(theirs[n])]
