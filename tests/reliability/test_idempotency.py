"""Idempotency: a second full run over the same inputs (good seeds + every bad input) gives identical tables."""

from __future__ import annotations

import pandas as pd

from newsflow import catalogue, sources
from tests.reliability.support import RUN_METADATA, VANISHING, article, read_tables, run_flow, table_files, without_run_metadata


def test_two_consecutive_full_runs_give_identical_tables(matrix_run, timings):
    first_tables, first_files = matrix_run.tables, matrix_run.files
    # Same conditions as the first run: the vanishing file is listed, then deleted before it is read.
    (matrix_run.seeds / VANISHING).write_text(article(9), encoding="utf-8")
    real_read = sources.read

    def read_after_delete(seed, config=None):
        if seed.source_file == VANISHING:
            (matrix_run.seeds / VANISHING).unlink(missing_ok=True)
        return real_read(seed) if config is None else real_read(seed, config)

    sources.read = read_after_delete
    try:
        summary, seconds = run_flow(matrix_run.seeds, matrix_run.data, full_refresh=True)
    finally:
        sources.read = real_read
    timings["second full run (idempotency)"] = seconds
    assert summary.status == "completed"
    second = read_tables(matrix_run.data)
    assert set(second) == set(first_tables)
    for name in first_tables:
        if name == "runs":
            continue
        pd.testing.assert_frame_equal(without_run_metadata(name, second[name]),
                                      without_run_metadata(name, first_tables[name]), obj=name)
        if name not in RUN_METADATA:  # tables without run metadata are byte-identical files
            assert table_files(matrix_run.data, name) == {rel: raw for rel, raw in first_files.items()
                                                          if rel.split("/")[0] == f"{name}.parquet"}, name
    runs = second["runs"]
    assert runs["status"].tolist() == ["completed", "completed"] and runs["mode"].tolist()[-1] == "full"
