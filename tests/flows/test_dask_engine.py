"""`--workers N`: the per-partition steps on a local Dask cluster publish the same tables as a plain run."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from flows import runners
from newsflow import catalogue, partitions

# Columns that say which run wrote a row or when a file was read, not what the row holds.
RUN_METADATA = {"documents": ("ingested_at", "run_id"), "rejects": ("run_id",), "_file_stats": ("mtime_ns", "checked_ns")}


def _digests(data: Path) -> dict[str, str]:
    """Return a digest of every published table and cache, run metadata aside."""
    out = {}
    for name in (*catalogue.TABLES, *catalogue.CACHES):
        if name == "runs":
            continue
        table = pq.read_table(catalogue.path(data, name))
        table = table.drop_columns([c for c in RUN_METADATA.get(name, ()) if c in table.column_names])
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        out[name] = hashlib.sha256(sink.getvalue().to_pybytes()).hexdigest()
    return out


def test_a_two_worker_local_cluster_publishes_the_same_tables_as_a_plain_run(prefect_harness, seeds_copy, tmp_path,
                                                                             monkeypatch):
    from flows import partition_tasks
    from flows.pipeline import run_in_process

    plain = run_in_process(seeds=str(seeds_copy), data=str(tmp_path / "plain"))
    seen: list[int] = []
    parallelism = partition_tasks.parallelism

    def spy() -> int:
        seen.append(parallelism())
        return seen[-1]

    monkeypatch.setattr(partition_tasks, "parallelism", spy)
    import prefect_dask.client

    shipped: list[object] = []
    serialize = prefect_dask.client.serialize_context

    def watch(*args: object, **kwargs: object) -> dict:
        context = serialize(*args, **kwargs)
        shipped.append(context["task_run_context"].get("parameters"))
        return context

    monkeypatch.setattr(prefect_dask.client, "serialize_context", watch)
    engine = runners.Engine(workers=2, cluster_options={"memory_limit": "1GiB"})
    on_dask = run_in_process(engine=engine, seeds=str(seeds_copy), data=str(tmp_path / "dask"))
    assert seen == [2, 2, 2, 2]  # each of the four steps was split for the run's cluster of two workers
    assert len(shipped) >= 4 and not any(shipped)  # no partition carried its stage's arguments along
    assert partitions.partition_count(plain.n_documents, 2) > 1  # so the seeds were split among them
    assert (plain.status, on_dask.status) == ("completed", "completed")
    assert _digests(tmp_path / "dask") == _digests(tmp_path / "plain")


def test_a_plain_run_does_not_import_dask():
    code = ("import sys, flows.pipeline, newsflow.cli; from flows import runners; runners.task_runner(runners.Engine()); "
            "print(sorted(m for m in ('dask', 'distributed', 'prefect_dask') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "[]"


def test_an_engine_names_where_the_steps_run():
    assert not runners.Engine().uses_dask
    assert runners.Engine(workers=2).uses_dask and "2 worker" in runners.Engine(workers=2).describe()
    assert "tcp://h:8786" in runners.Engine(dask_address="tcp://h:8786").describe()
    with pytest.raises(ValueError):
        runners.Engine(workers=-1)


def test_served_runs_take_their_engine_from_the_environment():
    assert runners.served_engine({}) == runners.Engine()
    for engine in (runners.Engine(), runners.Engine(workers=3), runners.Engine(dask_address="tcp://h:8786")):
        assert runners.served_engine(runners.served_environment(engine)) == engine
    for bad in ("two", "-1", "100000"):
        with pytest.raises(ValueError, match="NEWSFLOW_WORKERS"):
            runners.served_engine({"NEWSFLOW_WORKERS": bad})


def test_a_served_run_imports_the_flow_with_the_engine_serve_chose():
    code = ("import flows.pipeline as p; print(type(p.pipeline.task_runner).__name__, "
            "getattr(p.pipeline.task_runner, 'parallelism', 1))")
    env = {**os.environ, **runners.served_environment(runners.Engine(workers=2))}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2], env=env)
    assert out.stdout.split() == ["NewsflowDaskTaskRunner", "2"]
