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


def test_a_copy_that_stalls_is_not_read_while_the_writer_holds_it_open(tmp_path):
    """A copy that stalls keeps its size and time for seconds: only the open writer tells it from a finished file."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    with open(seeds / "a.txt", "w", encoding="utf-8") as writer:
        writer.write("The first half of an article. The l")
        writer.flush()
        got = sources.read(sources.scan(seeds)[0])
        assert got.data is None and got.rejection.reason == "changed_while_read"
        assert "open for writing" in got.rejection.detail
    got = sources.read(sources.scan(seeds)[0])
    assert got.rejection is None and got.data.startswith(b"The first half")


def test_a_hard_link_to_a_file_outside_is_rejected_like_an_outside_symlink(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (tmp_path / "secret.txt").write_text("root only")
    (seeds / "a.txt").hardlink_to(tmp_path / "secret.txt")
    (seeds / "b.txt").write_text("mine")
    (seeds / "c.txt").hardlink_to(seeds / "b.txt")  # both names inside: an ordinary file
    found = {s.source_file: s.rejection for s in sources.scan(seeds)}
    assert found["a.txt"].reason == "symlink_outside" and "hard link" in found["a.txt"].detail
    assert found["b.txt"] is None and found["c.txt"] is None


def test_a_hard_link_made_after_the_listing_is_rejected_at_read(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("text")
    (seed,) = sources.scan(seeds)
    (tmp_path / "other.txt").hardlink_to(seeds / "a.txt")
    assert sources.read(seed).rejection.reason == "symlink_outside"


def test_folders_deeper_than_the_limit_are_rejected_not_walked(tmp_path):
    seeds = tmp_path / "seeds"
    deep = seeds.joinpath(*["d"] * 5)
    deep.mkdir(parents=True)
    (deep / "a.txt").write_text("text")
    (seeds / "top.txt").write_text("text")
    found = sources.scan(seeds, ingest.IngestConfig(max_depth=3))
    assert [s.source_file for s in found] == ["d/d/d/d", "top.txt"]
    assert "nested deeper than 3" in found[0].rejection.detail
