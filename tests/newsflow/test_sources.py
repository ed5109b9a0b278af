import os

from newsflow import sources
from transforms import ingest


def test_scan_lists_regular_files_and_prejects_what_must_not_be_read(tmp_path):
    seeds = tmp_path / "seeds"
    (seeds / "sub").mkdir(parents=True)
    (seeds / "a.txt").write_text("Body.")
    (seeds / "sub" / "b name ü.txt").write_text("Body.")
    (seeds / "-dash.txt").write_text("Body.")
    (seeds / "x.txt").mkdir()
    (seeds / "x.txt" / "inner.txt").write_text("Body.")
    (seeds / "notes.md").write_text("Body.")
    (seeds / ".hidden.txt").write_text("Body.")
    (seeds / "draft.txt.swp").write_text("Body.")
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    os.symlink(outside, seeds / "link.txt")
    os.symlink(seeds / "a.txt", seeds / "inside-link.txt")
    found = {s.source_file: s for s in sources.scan(seeds)}
    assert sorted(found) == ["-dash.txt", "a.txt", "inside-link.txt", "link.txt", "notes.md", "sub/b name ü.txt", "x.txt/inner.txt"]
    assert found["link.txt"].rejection.reason == ingest.SYMLINK_OUTSIDE
    assert found["notes.md"].rejection.reason == ingest.UNSUPPORTED_EXTENSION
    assert found["inside-link.txt"].rejection is None


def test_read_of_a_vanished_file_is_a_rejection(tmp_path):
    (tmp_path / "a.txt").write_text("Body.")
    seed = sources.scan(tmp_path)[0]
    (tmp_path / "a.txt").unlink()
    got = sources.read(seed)
    assert got.data is None and got.rejection.reason == ingest.UNREADABLE


def test_oversized_file_is_rejected_without_reading_it(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"a" * 2048)
    seed = sources.scan(tmp_path, ingest.IngestConfig(max_bytes=1024))[0]
    assert seed.rejection.reason == ingest.TOO_LARGE


def test_a_file_still_being_written_is_not_read_half_and_is_read_once_finished(tmp_path):
    (tmp_path / "copying.txt").write_text("The first half of an article")
    (tmp_path / "linked.txt").symlink_to(tmp_path / "copying.txt")
    seeds = {s.source_file: s for s in sources.scan(tmp_path)}
    with open(tmp_path / "copying.txt", "a") as fh:  # the copy goes on after the scan
        fh.write(", and its second half.")
    for name in ("copying.txt", "linked.txt"):
        got = sources.read(seeds[name])
        assert got.data is None and got.rejection.reason == ingest.CHANGED_WHILE_READ

    again = {s.source_file: s for s in sources.scan(tmp_path)}
    finished = sources.read(again["copying.txt"])
    assert finished.rejection is None and finished.data.endswith(b"its second half.")


def test_a_file_touched_without_a_size_change_is_read_again_next_run(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("Same size.")
    seed = sources.scan(tmp_path)[0]
    os.utime(target, ns=(seed.mtime_ns + 10**9, seed.mtime_ns + 10**9))
    assert sources.read(seed).rejection.reason == ingest.CHANGED_WHILE_READ
    assert sources.read(sources.scan(tmp_path)[0]).rejection is None
