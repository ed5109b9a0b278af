"""Partitioned tables through real runs: a new file rewrites only its documents' partitions (every other part file
keeps its inode and modification time), a deleted file's emptied partitions go in the same publish, the tables
read whole with pandas and pyarrow.dataset, and each table is staged by exactly one stage."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds
import pytest

from newsflow import catalogue
from newsflow.integrity import damaged_files
from newsflow.workspace import Workspace, read_manifest
from tests.reliability.support import article

PER_DOCUMENT = tuple(n for n, t in {**catalogue.TABLES, **catalogue.INTERNAL, **catalogue.CACHES}.items()
                     if t.partitioned and t.partition_by == "doc_id")


def _stats(data: Path, name: str) -> dict[str, tuple[int, int]]:
    return {part: (f.stat().st_ino, f.stat().st_mtime_ns) for part, f in catalogue.part_files(data, name).items()}


def _part_of_each_document(data: Path, name: str) -> dict[str, str]:
    return {d: part for part, f in catalogue.part_files(data, name).items()
            for d in pd.read_parquet(f, columns=["doc_id"])["doc_id"]}


@pytest.fixture(scope="module")
def runs(prefect_harness, tmp_path_factory):
    """The seeds run once (recording which stage stages each table), then with one new file, then with one deleted."""
    from prefect.context import TaskRunContext

    from flows.pipeline import pipeline

    root = tmp_path_factory.mktemp("partitioned")
    seeds, data = root / "seeds", root / "data"
    shutil.copytree(Path(__file__).resolve().parents[2] / "seeds", seeds)
    past = time.time() - 3600
    for f in seeds.iterdir():
        os.utime(f, (past, past))
    writers: dict[str, set[str]] = {}
    real_write = Workspace.write

    def recording_write(self: Workspace, name: str, frame: pd.DataFrame) -> None:
        context = TaskRunContext.get()
        writers.setdefault(name, set()).add(context.task.name if context is not None else "<flow>")
        real_write(self, name, frame)

    mp = pytest.MonkeyPatch()
    mp.setattr(Workspace, "write", recording_write)
    try:
        assert pipeline(seeds=str(seeds), data=str(data)).status == "completed"
    finally:
        mp.undo()
    first = {name: _stats(data, name) for name in PER_DOCUMENT}
    first_parts = {name: _part_of_each_document(data, name) for name in PER_DOCUMENT}
    time.sleep(0.01)
    new = seeds / "zz_new_article.txt"
    new.write_text(article(11), encoding="utf-8")
    os.utime(new, (past, past))
    assert pipeline(seeds=str(seeds), data=str(data)).status == "completed"
    second = {name: _stats(data, name) for name in PER_DOCUMENT}
    second_parts = {name: _part_of_each_document(data, name) for name in PER_DOCUMENT}
    return {"seeds": seeds, "data": data, "writers": writers, "first": first, "second": second,
            "first_parts": first_parts, "second_parts": second_parts}


def test_each_table_is_staged_by_exactly_the_stage_the_catalogue_names(runs):
    for name, stages in runs["writers"].items():
        assert stages == {catalogue.table(name).stage}, name
    assert set(runs["writers"]) == {n for n in catalogue.TABLES if n != "runs"} | set(catalogue.INTERNAL) | set(catalogue.CACHES)


def test_a_new_file_rewrites_only_the_partitions_holding_its_rows(runs):
    for name in ("_clean_documents", "sentences", "_dedup_signatures", "_claim_keys"):
        before, after = runs["first"][name], runs["second"][name]
        new_doc = set(runs["second_parts"][name]) - set(runs["first_parts"][name])
        touched = {runs["second_parts"][name][d] for d in new_doc}
        assert len(new_doc) == 1 and len(touched) == 1, name
        for part, stat in before.items():
            if part not in touched:
                assert after[part] == stat, f"{name}/{part} was rewritten though none of its rows changed"
        assert all(after[p] != before.get(p) for p in touched), name


def test_a_document_stays_in_its_partition_file_run_after_run(runs):
    for name in PER_DOCUMENT:
        first, second = runs["first_parts"][name], runs["second_parts"][name]
        assert first and all(second[d] == part for d, part in first.items()), name
        assert all(part == f"part-{catalogue.partition_of(d):03d}.parquet" for d, part in second.items()), name


def test_pandas_and_pyarrow_dataset_read_each_partitioned_table_whole(runs):
    data = runs["data"]
    for name, spec in catalogue.TABLES.items():
        if not spec.partitioned:
            continue
        ours = catalogue.read_table(data, name)
        pd.testing.assert_frame_equal(pd.read_parquet(data / f"{name}.parquet"), ours, obj=name)
        pd.testing.assert_frame_equal(ds.dataset(data / f"{name}.parquet").to_table().to_pandas(), ours, obj=name)
        assert sorted(p.name for p in (data / f"{name}.parquet").iterdir()) == sorted(catalogue.part_files(data, name))


def test_a_deleted_file_takes_its_emptied_partitions_with_it_in_the_same_publish(runs):
    from flows.pipeline import pipeline

    seeds, data = runs["seeds"], runs["data"]
    gone = catalogue.read_table(data, "documents").set_index("source_file")["doc_id"]["zz_new_article.txt"]
    part = f"part-{catalogue.partition_of(gone):03d}.parquet"
    alone = [name for name in PER_DOCUMENT if list(runs["second_parts"][name].values()).count(part) == 1
             and runs["second_parts"][name].get(gone) == part]
    assert alone, "the new document should have a partition of its own in some table"
    (seeds / "zz_new_article.txt").unlink()
    assert pipeline(seeds=str(seeds), data=str(data)).status == "completed"
    manifest = read_manifest(data)
    for name in alone:
        assert part not in catalogue.part_files(data, name), name
        assert part not in manifest["parts"][name], name
    assert damaged_files(data, manifest) == {}
    assert gone not in set(catalogue.read_table(data, "documents")["doc_id"])
