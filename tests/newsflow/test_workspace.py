import json
import multiprocessing
import time

import pandas as pd
import pytest

from newsflow import catalogue
from newsflow.exitcodes import StateDamaged
from newsflow.integrity import file_digest
from newsflow.workspace import (COMMIT, LOCK, MANIFEST, STAGING, VERSIONS, RunLocked, Workspace, damaged_files,
                                fingerprint, published_documents, read_manifest, recover, rollback, run_lock, versions)


def _rejects(name: str) -> pd.DataFrame:
    return pd.DataFrame([{"source_file": name, "sha256": None, "size_bytes": 0, "reason": "empty",
                          "detail": "file has 0 bytes", "run_id": "r"}])


def test_publish_moves_staged_tables_and_writes_manifest(tmp_path):
    ws = Workspace(tmp_path, "r1")
    ws.write("rejects", _rejects("a.txt"))
    assert not catalogue.exists(tmp_path, "rejects")
    assert ws.read("rejects")["source_file"].tolist() == ["a.txt"]
    ws.publish({"run_id": "r1"})
    assert catalogue.read_table(tmp_path, "rejects")["source_file"].tolist() == ["a.txt"]
    manifest = read_manifest(tmp_path)
    assert manifest["run_id"] == "r1" and manifest["rows"] == {"rejects": 1}
    assert manifest["digests"] == {"rejects": file_digest(catalogue.path(tmp_path, "rejects"))}
    assert not ws.staging.exists()


def test_recover_rolls_a_journaled_publish_forward_and_drops_unjournaled(tmp_path):
    done = Workspace(tmp_path, "r1")
    done.write("rejects", _rejects("new.txt"))
    (done.staging / COMMIT).write_text(json.dumps({"run_id": "r1", "tables": ["rejects"], "manifest": {"run_id": "r1"}}))
    partial = Workspace(tmp_path, "r2")
    partial.write("rejects", _rejects("half.txt"))
    assert recover(tmp_path) == ["r1"]
    assert catalogue.read_table(tmp_path, "rejects")["source_file"].tolist() == ["new.txt"]
    assert not partial.staging.exists() and not done.staging.exists()


def test_discard_keeps_published_tables(tmp_path):
    catalogue.write_table(tmp_path, "rejects", _rejects("old.txt"))
    ws = Workspace(tmp_path, "r3")
    ws.write("rejects", _rejects("new.txt"))
    ws.discard()
    assert catalogue.read_table(tmp_path, "rejects")["source_file"].tolist() == ["old.txt"]


def _hold(path, seconds):
    with run_lock(path):
        time.sleep(seconds)


def test_second_run_on_same_folder_waits_or_fails_clearly(tmp_path):
    holder = multiprocessing.get_context("fork").Process(target=_hold, args=(tmp_path, 1.5))
    holder.start()
    time.sleep(0.5)
    with pytest.raises(RunLocked, match="another newsflow run"):
        with run_lock(tmp_path):
            pass
    with run_lock(tmp_path, wait_seconds=10):
        pass
    holder.join()


def _publish(data, run_id, name):
    ws = Workspace(data, run_id)
    ws.write("rejects", _rejects(name))
    ws.publish({"run_id": run_id, "tables": ws.staged()})
    return ws


def test_digests_name_every_missing_swapped_or_damaged_file(tmp_path):
    _publish(tmp_path, "r1", "a.txt")
    manifest = read_manifest(tmp_path)
    assert damaged_files(tmp_path, manifest) == {}
    target = catalogue.path(tmp_path, "rejects")
    good = target.read_bytes()
    target.write_bytes(good[:-1] + bytes([good[-1] ^ 1]))  # one flipped bit
    assert "rejects.parquet does not match" in damaged_files(tmp_path, manifest)["rejects"]
    target.unlink()
    assert "missing" in damaged_files(tmp_path, manifest)["rejects"]


@pytest.mark.parametrize("content", ["[1, 2]", "null", "", "{", '"text"', '{"tables": 3}'])
def test_a_damaged_manifest_reads_as_none_with_a_warning(tmp_path, content, caplog):
    (tmp_path / MANIFEST).write_text(content)
    assert read_manifest(tmp_path) == {}
    assert MANIFEST in caplog.text


@pytest.mark.parametrize("content", ["", "[1]", "null", '{"tables": ["../../x"], "manifest": {}}'])
def test_a_damaged_journal_is_named_and_its_staging_folder_dropped(tmp_path, content, caplog):
    _publish(tmp_path, "r1", "a.txt")
    staging = tmp_path / STAGING / "r2"
    staging.mkdir(parents=True)
    (staging / COMMIT).write_text(content)
    assert recover(tmp_path) == []
    assert not staging.exists() and "COMMIT.json" in caplog.text
    assert catalogue.read_table(tmp_path, "rejects")["source_file"].tolist() == ["a.txt"]


def test_a_hard_link_made_to_a_held_lock_keeps_the_exclusion(tmp_path):
    data = tmp_path / "data"
    with run_lock(data):
        (tmp_path / "backup.lock").hardlink_to(data / LOCK)  # e.g. `cp -al data backup` during a run
        with pytest.raises(RunLocked):
            with run_lock(data):
                pass


@pytest.mark.parametrize("link", ["symlink_to", "hardlink_to"])
def test_a_linked_lock_never_writes_the_other_name(tmp_path, link):
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me")
    data = tmp_path / "data"
    data.mkdir()
    getattr(data / LOCK, link)(outside)
    with run_lock(data):
        pass
    assert outside.read_text() == "keep me" and not (data / LOCK).is_symlink()


def test_a_symlinked_staging_folder_never_deletes_its_target(tmp_path):
    outside = tmp_path / "elsewhere"
    (outside / "important").mkdir(parents=True)
    (outside / "important" / "file.txt").write_text("keep me")
    data = tmp_path / "data"
    data.mkdir()
    (data / STAGING).symlink_to(outside, target_is_directory=True)
    recover(data)
    assert (outside / "important" / "file.txt").read_text() == "keep me"
    assert not (data / STAGING).is_symlink()
    (data / STAGING).mkdir()
    (data / STAGING / "r5").symlink_to(outside, target_is_directory=True)
    recover(data)
    assert (outside / "important" / "file.txt").read_text() == "keep me"


def test_the_last_versions_are_kept_and_rollback_restores_one(tmp_path):
    for i in range(1, 6):
        _publish(tmp_path, f"r{i}", f"{i}.txt")
    assert versions(tmp_path) == ["r3", "r4", "r5"]
    assert rollback(tmp_path) == "r4"
    assert catalogue.read_table(tmp_path, "rejects")["source_file"].tolist() == ["4.txt"]
    assert read_manifest(tmp_path)["run_id"] == "r4"
    assert damaged_files(tmp_path, read_manifest(tmp_path)) == {}
    assert rollback(tmp_path, "r5") == "r5"
    assert catalogue.read_table(tmp_path, "rejects")["source_file"].tolist() == ["5.txt"]
    with pytest.raises(StateDamaged, match="r1 is not kept"):
        rollback(tmp_path, "r1")
    # a kept version is a copy: damage written in place into the data folder never reaches it
    published = catalogue.path(tmp_path, "rejects")
    with open(published, "r+b") as fh:
        fh.truncate(10)
    assert rollback(tmp_path, "r4") == "r4"
    assert catalogue.read_table(tmp_path, "rejects")["source_file"].tolist() == ["4.txt"]
    assert not list((tmp_path / STAGING).iterdir())


def test_an_unchanged_file_is_kept_once_across_versions(tmp_path):
    for i in range(1, 3):
        _publish(tmp_path, f"r{i}", "same.txt")
    first, second = (tmp_path / VERSIONS / r / "rejects.parquet" for r in ("r1", "r2"))
    assert first.stat().st_ino == second.stat().st_ino
    assert first.stat().st_ino != catalogue.path(tmp_path, "rejects").stat().st_ino


def test_a_damaged_kept_version_is_never_restored(tmp_path):
    for i in range(1, 3):
        _publish(tmp_path, f"r{i}", f"{i}.txt")
    (tmp_path / VERSIONS / "r1" / "rejects.parquet").write_bytes(b"PAR1 broken")
    with pytest.raises(StateDamaged, match="does not match its digest"):
        rollback(tmp_path, "r1")
    (tmp_path / VERSIONS / "r1" / MANIFEST).write_text("[1, 2]")
    with pytest.raises(StateDamaged, match="missing or damaged"):
        rollback(tmp_path, "r1")
    assert catalogue.read_table(tmp_path, "rejects")["source_file"].tolist() == ["2.txt"]


def test_published_documents_counts_from_the_manifest_or_the_file(tmp_path):
    assert published_documents(tmp_path, {}) == 0
    assert published_documents(tmp_path, {"rows": {"documents": 7}}) == 7


def test_fingerprint_is_unambiguous_whatever_the_names_hold():
    sha = "a" * 64
    assert fingerprint([("zz1.txt\x1f" + sha + "\x1ezz2.txt", sha)]) != fingerprint([("zz1.txt", sha), ("zz2.txt", sha)])
    assert fingerprint([("ab", "c")]) != fingerprint([("a", "bc")])
    assert fingerprint([("a",), ("b",)]) != fingerprint([("a", "b")])


def test_a_carried_table_stays_in_place_and_is_listed_with_its_digest_and_kept_version(tmp_path):
    first = Workspace(tmp_path, "r1")
    first.write("rejects", _rejects("a.txt"))
    first.write("stories", catalogue.empty_frame("stories"))
    first.publish({"run_id": "r1"})
    before = read_manifest(tmp_path)
    rejects = catalogue.path(tmp_path, "rejects")
    inode, mtime = rejects.stat().st_ino, rejects.stat().st_mtime_ns
    second = Workspace(tmp_path, "r2")
    second.write("stories", catalogue.empty_frame("stories"))
    second.publish({"run_id": "r2"}, carried={"rejects": {"digest": before["digests"]["rejects"], "rows": 1}})
    after = read_manifest(tmp_path)
    assert after["tables"] == ["rejects", "stories"] and after["rows"]["rejects"] == 1
    assert after["digests"]["rejects"] == before["digests"]["rejects"]
    assert (rejects.stat().st_ino, rejects.stat().st_mtime_ns) == (inode, mtime)  # not rewritten
    assert damaged_files(tmp_path, after) == {}
    assert (tmp_path / VERSIONS / "r2" / rejects.name).is_file()


# -- partitioned tables ------------------------------------------------------------------------------------

def _sentences(docs: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame([{"sentence_id": f"{d}-s0", "doc_id": d, "sentence_index": 0, "paragraph": 0, "char_start": 0,
                          "char_end": len(text), "text": text, "is_heading": False} for d, text in docs.items()])


def _publish_sentences(data, run_id: str, docs: dict[str, str]) -> Workspace:
    ws = Workspace(data, run_id)
    ws.write("sentences", _sentences(docs))
    ws.publish({"run_id": run_id})
    return ws


def _stats(data) -> dict[str, tuple[int, int]]:
    return {p: (f.stat().st_ino, f.stat().st_mtime_ns) for p, f in catalogue.part_files(data, "sentences").items()}


DOCS = {f"doc{i}": f"Sentence {i}." for i in range(30)}


def test_a_publish_rewrites_only_the_partitions_whose_content_changed(tmp_path):
    _publish_sentences(tmp_path, "r1", DOCS)
    before = _stats(tmp_path)
    changed = catalogue.partition_of("doc7")
    ws = Workspace(tmp_path, "r2")
    ws.write("sentences", _sentences({**DOCS, "doc7": "Sentence seven, edited."}))
    assert list(catalogue.part_files(ws.staging, "sentences")) == [f"part-{changed:03d}.parquet"]  # only that one staged
    assert ws.read("sentences").set_index("doc_id")["text"]["doc7"] == "Sentence seven, edited."
    ws.publish({"run_id": "r2"})
    after = _stats(tmp_path)
    assert set(after) == set(before)
    assert {p for p in after if after[p] != before[p]} == {f"part-{changed:03d}.parquet"}
    manifest = read_manifest(tmp_path)
    assert set(manifest["parts"]["sentences"]) == set(after) and manifest["rows"]["sentences"] == 30
    assert damaged_files(tmp_path, manifest) == {}


def test_a_partition_whose_last_document_went_is_removed_in_the_same_publish(tmp_path):
    _publish_sentences(tmp_path, "r1", {"d1": "One.", "d2": "Two."})  # parts 013 and 015
    _publish_sentences(tmp_path, "r2", {"d1": "One."})
    assert list(catalogue.part_files(tmp_path, "sentences")) == ["part-013.parquet"]
    assert list(read_manifest(tmp_path)["parts"]["sentences"]) == ["part-013.parquet"]
    assert damaged_files(tmp_path, read_manifest(tmp_path)) == {}
    assert rollback(tmp_path) == "r1"  # and a kept version brings the part back
    assert sorted(catalogue.read_table(tmp_path, "sentences")["doc_id"]) == ["d1", "d2"]
    assert damaged_files(tmp_path, read_manifest(tmp_path)) == {}


def test_an_unchanged_part_is_kept_once_across_versions(tmp_path):
    _publish_sentences(tmp_path, "r1", {"d1": "One.", "d2": "Two."})
    _publish_sentences(tmp_path, "r2", {"d1": "One.", "d2": "Two, edited."})
    kept = tmp_path / VERSIONS
    same = [(kept / r / "sentences.parquet" / "part-013.parquet").stat().st_ino for r in ("r1", "r2")]
    other = [(kept / r / "sentences.parquet" / "part-015.parquet").stat().st_ino for r in ("r1", "r2")]
    assert same[0] == same[1] and other[0] != other[1]


def test_an_unexpected_or_damaged_part_is_named(tmp_path):
    _publish_sentences(tmp_path, "r1", {"d1": "One."})
    stray = catalogue.path(tmp_path, "sentences") / "part-031.parquet"
    stray.write_bytes((catalogue.path(tmp_path, "sentences") / "part-013.parquet").read_bytes())
    assert "unexpected part" in damaged_files(tmp_path, read_manifest(tmp_path))["sentences"]
    stray.unlink()
    part = catalogue.path(tmp_path, "sentences") / "part-013.parquet"
    part.write_bytes(part.read_bytes()[:-3])
    assert "part-013.parquet does not match" in damaged_files(tmp_path, read_manifest(tmp_path))["sentences"]


class _Killed(BaseException):
    pass


@pytest.mark.parametrize("point", ["publish:renamed@1", "publish:renamed@2", "publish:removed@1"])
def test_a_publish_cut_between_part_renames_is_rolled_forward_whole(tmp_path, monkeypatch, point):
    _publish_sentences(tmp_path, "r1", {**DOCS, "d9": "Nine."})
    new = {d: t + " Edited." for d, t in DOCS.items()}  # every part changes, and d9's part-007 (its alone) goes
    hits: dict[str, int] = {}

    def kill(at: str) -> None:
        hits[at] = hits.get(at, 0) + 1
        if point == f"{at}@{hits[at]}":
            raise _Killed(at)

    monkeypatch.setattr(catalogue, "kill_point", kill)
    ws = Workspace(tmp_path, "r2")
    ws.write("sentences", _sentences(new))
    with pytest.raises(_Killed):
        ws.publish({"run_id": "r2"})
    monkeypatch.undo()
    assert recover(tmp_path) == ["r2"]
    assert catalogue.read_table(tmp_path, "sentences").set_index("doc_id")["text"].to_dict() == new
    assert damaged_files(tmp_path, read_manifest(tmp_path)) == {}
