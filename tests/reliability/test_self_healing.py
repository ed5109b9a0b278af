"""Issue 18's red-team reproductions on the flow: damaged, missing or swapped published state heals itself, accidents
are refused, nothing lands outside the data folder, and bad parameters are named.

One good run makes the reference data folder (module fixture). Each test copies it, damages the copy the way the
red team did, runs the flow again on the same seeds and checks the result equals the reference (run metadata aside)
or that the run was refused with the published tables untouched.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from newsflow import catalogue
from newsflow.config import SERVED_FOLDERS_ENV, build_config
from newsflow.exitcodes import InvalidParameter, ShrinkRefused
from newsflow.workspace import COMMIT, MANIFEST, STAGING, read_manifest, versions
from tests.reliability.support import (SEEDS, a_file_of, parquet_files, remove_table, table_files, article, read_tables, run_flow, stray_files, validate_published,
                                       without_run_metadata)

ANALYST = ("documents", "claims", "summaries", "sentences", "boilerplate")


@pytest.fixture(scope="module")
def reference(prefect_harness, tmp_path_factory) -> dict[str, Path]:
    """Seeds (the five good ones plus three generated articles) and the data folder of one good run on them."""
    root = tmp_path_factory.mktemp("healing")
    seeds = root / "seeds"
    shutil.copytree(SEEDS, seeds, ignore=shutil.ignore_patterns("README*"))
    for n in range(3):
        (seeds / f"town_{n}.txt").write_text(article(n), encoding="utf-8")
    summary, _ = run_flow(seeds, root / "data")
    assert summary.status == "completed"
    return {"root": root, "seeds": seeds, "data": root / "data"}


def _copy(reference: dict[str, Path], tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(reference["data"], data, symlinks=True)
    return data


def _published(data: Path) -> dict[str, bytes]:
    return parquet_files(data, skip=("runs",))


def _assert_equals_reference(data: Path, reference: dict[str, Path]) -> None:
    tables, expected = read_tables(data), read_tables(reference["data"])
    assert set(tables) == set(expected)
    for name in expected:
        if name != "runs":
            pd.testing.assert_frame_equal(without_run_metadata(name, tables[name]),
                                          without_run_metadata(name, expected[name]), obj=name)
    assert stray_files(data) == []


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x10
    path.write_bytes(bytes(raw))


# -- damaged published tables -------------------------------------------------------------------------

@pytest.mark.parametrize("damage", ["truncate", "flip"])
@pytest.mark.parametrize("name", ANALYST)
def test_a_damaged_table_is_named_and_recomputed_even_with_nothing_new(reference, tmp_path, name, damage):
    data = _copy(reference, tmp_path)
    (_truncate if damage == "truncate" else _flip)(a_file_of(data, name))
    summary, _ = run_flow(reference["seeds"], data)
    assert summary.status == "completed"  # never "nothing to do" over a damaged table
    assert f"{name}.parquet" in summary.message
    _assert_equals_reference(data, reference)
    assert validate_published(data) == []


def test_full_refresh_never_reads_the_damaged_tables(reference, tmp_path):
    data = _copy(reference, tmp_path)
    for name in ANALYST:
        _truncate(a_file_of(data, name))
    summary, _ = run_flow(reference["seeds"], data, full_refresh=True)
    assert summary.status == "completed"
    _assert_equals_reference(data, reference)


@pytest.mark.parametrize("full_refresh", [False, True])
def test_a_truncated_runs_log_is_set_aside_and_the_run_succeeds(reference, tmp_path, full_refresh, caplog):
    data = _copy(reference, tmp_path)
    _truncate(catalogue.path(data, "runs"))
    summary, _ = run_flow(reference["seeds"], data, full_refresh=full_refresh)
    assert summary.status in ("completed", "unchanged")
    assert len(catalogue.read_table(data, "runs")) == 1
    assert list(data.glob("runs.parquet.damaged-*")) and "runs.parquet" in caplog.text
    summary, _ = run_flow(reference["seeds"], data)  # and the next run is fine too: no failure forever
    assert summary.status == "unchanged"


# -- lost data ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["claims", "boilerplate", "summaries"])
def test_a_removed_table_comes_back_whole(reference, tmp_path, name):
    data = _copy(reference, tmp_path)
    remove_table(data, name)
    summary, _ = run_flow(reference["seeds"], data)
    assert summary.status == "completed"
    _assert_equals_reference(data, reference)
    assert len(catalogue.read_table(data, name)) > 0


@pytest.mark.parametrize("seeds_state", ["empty", "missing"])
def test_an_empty_or_missing_seeds_folder_is_refused_unless_allowed(reference, tmp_path, seeds_state):
    data = _copy(reference, tmp_path)
    before = _published(data)
    seeds = tmp_path / "seeds"
    if seeds_state == "empty":
        seeds.mkdir()
    with pytest.raises(ShrinkRefused, match="remove all .* published documents.*--allow-shrink"):
        run_flow(seeds, data)
    assert _published(data) == before
    assert catalogue.read_table(data, "runs")["status"].iloc[-1] == "failed"
    if seeds_state == "empty":
        summary, _ = run_flow(seeds, data, allow_shrink=True)
        assert summary.status == "completed" and summary.n_documents == 0


def test_removing_more_than_half_of_the_documents_is_refused_unless_allowed(reference, tmp_path):
    data = _copy(reference, tmp_path)
    seeds = tmp_path / "seeds"
    shutil.copytree(reference["seeds"], seeds)
    files = sorted(seeds.glob("*.txt"))
    for f in files[: len(files) // 2 + 1]:
        f.unlink()
    before = _published(data)
    with pytest.raises(ShrinkRefused, match="more than 50%"):
        run_flow(seeds, data)
    assert _published(data) == before
    summary, _ = run_flow(seeds, data, allow_shrink=True)
    assert summary.status == "completed" and summary.n_documents == len(files) - (len(files) // 2 + 1)


@pytest.mark.parametrize("value", [0, -1, math.nan, math.inf, -math.inf, 1e12])
def test_max_file_mb_out_of_range_is_a_clear_error(value):
    with pytest.raises(InvalidParameter, match="max_file_mb must be a finite number"):
        build_config(max_file_mb=value)


@pytest.mark.parametrize("parameter, value", [("near_duplicate_jaccard", 1.5), ("spun_threshold", -0.1),
                                              ("story_threshold", math.nan), ("summary_sentences", 0),
                                              ("summary_sentences", 10_000), ("max_file_mb", "five")])
def test_thresholds_out_of_range_are_clear_errors(parameter, value):
    with pytest.raises(InvalidParameter, match=parameter):
        build_config(**{parameter: value})


def test_a_bad_parameter_from_the_ui_fails_the_run_before_it_touches_anything(reference, tmp_path):
    data = _copy(reference, tmp_path)
    before = _published(data)
    with pytest.raises(InvalidParameter):
        run_flow(reference["seeds"], data, max_file_mb=0)
    assert _published(data) == before


# -- wrong results published with exit 0 -----------------------------------------------------------------

def test_a_damaged_cache_that_still_decodes_is_recomputed(reference, tmp_path):
    data = _copy(reference, tmp_path)
    signatures = catalogue.read_table(data, "_dedup_signatures")
    signatures["minhash"] = [[(int(v) + 1) % 2**64 for v in row] for row in signatures["minhash"]]
    catalogue.write_table(data, "_dedup_signatures", signatures)  # a valid Parquet file with wrong contents
    summary, _ = run_flow(reference["seeds"], data)
    assert summary.status == "completed" and "_dedup_signatures.parquet" in summary.message
    _assert_equals_reference(data, reference)
    pd.testing.assert_frame_equal(catalogue.read_table(data, "_dedup_signatures"),
                                  catalogue.read_table(reference["data"], "_dedup_signatures"))


def test_older_tables_restored_under_a_newer_manifest_are_recomputed(reference, tmp_path):
    data = _copy(reference, tmp_path)
    old = {name: table_files(data, name) for name in ANALYST}
    seeds = tmp_path / "seeds"
    shutil.copytree(reference["seeds"], seeds)
    (seeds / "town_9.txt").write_text(article(9), encoding="utf-8")
    assert run_flow(seeds, data)[0].status == "completed"
    newer = read_tables(data)
    for name, files in old.items():  # a backup restore of the analyst tables only
        remove_table(data, name)
        for rel, raw in files.items():
            (data / rel).parent.mkdir(exist_ok=True)
            (data / rel).write_bytes(raw)
    summary, _ = run_flow(seeds, data)
    assert summary.status == "completed" and summary.n_documents == len(newer["documents"])
    for name in ANALYST:
        pd.testing.assert_frame_equal(without_run_metadata(name, read_tables(data)[name]),
                                      without_run_metadata(name, newer[name]), obj=name)


def test_a_file_name_holding_separators_cannot_collide_with_the_input_fingerprint(prefect_harness, tmp_path):
    import hashlib

    seeds, data = tmp_path / "seeds", tmp_path / "data"
    seeds.mkdir()
    text = article(4).encode()
    sha = hashlib.sha256(text).hexdigest()
    (seeds / "zz1.txt").write_bytes(text)
    (seeds / "zz2.txt").write_bytes(text)
    assert run_flow(seeds, data)[0].n_documents == 2
    (seeds / "zz1.txt").unlink()
    (seeds / "zz2.txt").unlink()
    (seeds / f"zz1.txt\x1f{sha}\x1ezz2.txt").write_bytes(text)  # the old fingerprint of the two files above
    summary, _ = run_flow(seeds, data)
    assert summary.status == "completed" and summary.n_inputs == 1 and summary.n_documents == 1


# -- manifest or journal damaged --------------------------------------------------------------------------

@pytest.mark.parametrize("content", ["[1, 2]", "null", "", "{\"tables\": 3}"])
def test_a_damaged_manifest_is_named_and_the_run_recomputes(reference, tmp_path, content, caplog):
    data = _copy(reference, tmp_path)
    (data / MANIFEST).write_text(content)
    summary, _ = run_flow(reference["seeds"], data)
    assert summary.status == "completed" and MANIFEST in caplog.text
    _assert_equals_reference(data, reference)
    assert read_manifest(data)["run_id"] == summary.run_id


@pytest.mark.parametrize("content", ["", "{", "[]"])
def test_a_damaged_publish_journal_is_named_and_the_run_goes_on(reference, tmp_path, content, caplog):
    data = _copy(reference, tmp_path)
    staging = data / STAGING / "20990101T000000000000Z"
    staging.mkdir(parents=True)
    shutil.copytree(catalogue.path(data, "documents"), staging / "documents.parquet")
    (staging / COMMIT).write_text(content)
    summary, _ = run_flow(reference["seeds"], data)
    assert summary.status == "unchanged" and COMMIT in caplog.text
    assert not staging.exists()
    _assert_equals_reference(data, reference)


# -- nothing outside the data folder ------------------------------------------------------------------------

def test_symlinked_lock_and_staging_never_touch_their_targets(reference, tmp_path):
    data = _copy(reference, tmp_path)
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "sub").mkdir(parents=True)
    (elsewhere / "sub" / "f.txt").write_text("keep me")
    (data / ".newsflow.lock").unlink(missing_ok=True)
    (data / ".newsflow.lock").symlink_to(precious)
    shutil.rmtree(data / STAGING, ignore_errors=True)
    (data / STAGING).symlink_to(elsewhere, target_is_directory=True)
    seeds = tmp_path / "seeds"
    shutil.copytree(reference["seeds"], seeds)
    (seeds / "town_8.txt").write_text(article(8), encoding="utf-8")  # a real run: stages and publishes
    assert run_flow(seeds, data)[0].status == "completed"
    assert precious.read_text() == "keep me" and (elsewhere / "sub" / "f.txt").read_text() == "keep me"
    assert not (data / STAGING).is_symlink() and not (data / ".newsflow.lock").is_symlink()


def test_a_hard_link_to_a_file_outside_is_rejected(prefect_harness, tmp_path):
    seeds, data = tmp_path / "seeds", tmp_path / "data"
    seeds.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text(article(5), encoding="utf-8")
    (seeds / "linked.txt").hardlink_to(secret)
    (seeds / "real.txt").write_text(article(6), encoding="utf-8")
    summary, _ = run_flow(seeds, data)
    rejects = catalogue.read_table(data, "rejects").set_index("source_file")
    assert rejects.loc["linked.txt", "reason"] == "symlink_outside"
    assert catalogue.read_table(data, "documents")["source_file"].tolist() == ["real.txt"]


def test_a_data_folder_inside_the_seeds_folder_is_refused(tmp_path):
    with pytest.raises(InvalidParameter, match="inside the seeds folder"):
        build_config(tmp_path / "seeds", tmp_path / "seeds" / "data")
    with pytest.raises(InvalidParameter, match="inside the seeds folder"):
        build_config(tmp_path / "seeds", tmp_path / "seeds")


def test_a_served_flow_run_only_accepts_the_served_folders(tmp_path, monkeypatch):
    seeds, data = (tmp_path / "seeds").resolve(), (tmp_path / "data").resolve()
    monkeypatch.setenv(SERVED_FOLDERS_ENV, json.dumps({"seeds": str(seeds), "data": str(data)}))
    build_config(seeds, data)
    with pytest.raises(InvalidParameter, match="only runs"):
        build_config("/etc", data)
    with pytest.raises(InvalidParameter, match="only runs"):
        build_config(seeds, tmp_path / "elsewhere")


# -- crashes on input within the limits ----------------------------------------------------------------------

def test_folders_nested_1000_deep_are_a_reject_not_a_recursion_error(prefect_harness, tmp_path):
    seeds, data = tmp_path / "seeds", tmp_path / "data"
    seeds.mkdir()
    (seeds / "top.txt").write_text(article(1), encoding="utf-8")
    fd = os.open(seeds, os.O_RDONLY)
    try:
        for _ in range(1000):  # relative to a folder descriptor: the path itself is too long for the OS
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        os.close(os.open("deep.txt", os.O_WRONLY | os.O_CREAT, dir_fd=fd))
    finally:
        os.close(fd)
    try:
        summary, _ = run_flow(seeds, data)
        assert summary.status == "completed" and summary.n_documents == 1
        rejects = catalogue.read_table(data, "rejects")
        assert rejects["detail"].str.contains("nested deeper than").sum() == 1
    finally:
        _remove_nested(seeds)  # shutil.rmtree (and pytest's clean-up of old temporary folders) recurses per level


def _remove_nested(top: Path) -> None:
    """Remove a chain of folders named d under top one level at a time, without recursion."""
    while (top / "d").exists():
        if (top / "d" / "d").exists():
            os.rename(top / "d" / "d", top / "d.next")
        shutil.rmtree(top / "d")
        if (top / "d.next").exists():
            os.rename(top / "d.next", top / "d")


# -- versions and rollback ------------------------------------------------------------------------------------

def test_the_last_three_versions_are_kept_and_rollback_restores_the_previous(reference, tmp_path):
    from newsflow.workspace import rollback

    data = _copy(reference, tmp_path)
    first = read_manifest(data)["run_id"]
    seeds = tmp_path / "seeds"
    shutil.copytree(reference["seeds"], seeds)
    (seeds / "town_7.txt").write_text(article(7), encoding="utf-8")
    assert run_flow(seeds, data)[0].status == "completed"
    assert versions(data)[-2:] == [first, read_manifest(data)["run_id"]]
    assert rollback(data) == first
    _assert_equals_reference(data, reference)
    assert pq.read_table(catalogue.path(data, "documents")).num_rows == len(read_tables(reference["data"])["documents"])
