import json
import multiprocessing
import time

import pandas as pd
import pytest

from newsflow import catalogue
from newsflow.workspace import COMMIT, RunLocked, Workspace, read_manifest, recover, run_lock


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
    assert read_manifest(tmp_path) == {"run_id": "r1"}
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
