"""The no-change answer: it holds only while the seeds listing, parameters, code and published files are as recorded."""

from __future__ import annotations

import json
import os
import time

from newsflow import fastpath
from newsflow.integrity import file_digest

PARAMS = {"max_file_mb": 5.0, "near_duplicate_jaccard": None, "spun_threshold": None, "story_threshold": None,
          "summary_sentences": None}


def _state(tmp_path):
    seeds, data = tmp_path / "seeds", tmp_path / "data"
    seeds.mkdir(parents=True)
    data.mkdir()
    old = time.time() - 60
    for name in ("a.txt", "b.txt"):
        (seeds / name).write_text(name)
        os.utime(seeds / name, (old, old))
    os.utime(seeds, (old, old))
    (data / "documents.parquet").write_bytes(b"x")
    manifest = {"run_id": "r1", "inputs": "i1", "tables": ["documents"],
                "digests": {"documents": file_digest(data / "documents.parquet")}}
    (data / "_manifest.json").write_text(json.dumps(manifest))
    fastpath.remember(data, fastpath.listing(seeds), PARAMS, manifest)
    return seeds, data


def test_nothing_changed_is_recognised(tmp_path):
    seeds, data = _state(tmp_path)
    assert fastpath.unchanged(seeds, data, PARAMS)


def test_a_touched_new_or_deleted_seed_file_is_a_change(tmp_path):
    seeds, data = _state(tmp_path)
    os.utime(seeds / "a.txt")
    assert not fastpath.unchanged(seeds, data, PARAMS)
    seeds, data = _state(tmp_path / "2")
    (seeds / ".hidden").write_text("x")
    assert not fastpath.unchanged(seeds, data, PARAMS)
    seeds, data = _state(tmp_path / "3")
    (seeds / "b.txt").unlink()
    assert not fastpath.unchanged(seeds, data, PARAMS)


def test_another_parameter_or_a_touched_table_is_a_change(tmp_path):
    seeds, data = _state(tmp_path)
    assert not fastpath.unchanged(seeds, data, PARAMS | {"story_threshold": 0.5})
    (data / "documents.parquet").write_bytes(b"xy")
    assert not fastpath.unchanged(seeds, data, PARAMS)


def test_an_interrupted_publish_or_another_manifest_is_a_change(tmp_path):
    seeds, data = _state(tmp_path)
    (data / ".staging" / "r2").mkdir(parents=True)
    assert not fastpath.unchanged(seeds, data, PARAMS)
    seeds, data = _state(tmp_path / "2")
    manifest = json.loads((data / "_manifest.json").read_text())
    (data / "_manifest.json").write_text(json.dumps(manifest | {"run_id": "r2"}))
    assert not fastpath.unchanged(seeds, data, PARAMS)


def test_files_modified_just_before_the_listing_are_not_trusted(tmp_path):
    seeds, data = tmp_path / "seeds", tmp_path / "data"
    seeds.mkdir()
    data.mkdir()
    (seeds / "a.txt").write_text("fresh")
    manifest = {"run_id": "r1", "inputs": "i1", "tables": []}
    (data / "_manifest.json").write_text(json.dumps(manifest))
    fastpath.remember(data, fastpath.listing(seeds), PARAMS, manifest)
    assert not (data / fastpath.FILE).exists() and not fastpath.unchanged(seeds, data, PARAMS)
