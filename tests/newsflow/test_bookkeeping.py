"""Incremental bookkeeping without Prefect: trusting unchanged files, reused rows, story-summary inputs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from newsflow import bookkeeping
from newsflow.sources import SeedFile
from transforms.ingest import Rejection

SECOND = 1_000_000_000


def _seed(size: int = 10, mtime: int = 100 * SECOND, rejection: Rejection | None = None) -> SeedFile:
    return SeedFile("a.txt", Path("a.txt"), size, rejection, mtime)


def _stat(seed: SeedFile, checked_ns: int) -> dict[str, object]:
    return bookkeeping.stat_row(seed, "sha-a", checked_ns)


def test_a_file_left_alone_since_it_was_read_is_trusted_by_its_hash():
    seed = _seed()
    stat = _stat(seed, checked_ns=seed.mtime_ns + 10 * SECOND)
    assert bookkeeping.unchanged_sha(seed, stat, {"a.txt": ("sha-a", "doc-a")}) == "sha-a"


def test_a_file_is_read_again_when_anything_says_it_may_have_changed():
    seed = _seed()
    known = {"a.txt": ("sha-a", "doc-a")}
    late = seed.mtime_ns + 10 * SECOND
    assert bookkeeping.unchanged_sha(seed, None, known) is None                                   # never read
    assert bookkeeping.unchanged_sha(_seed(size=11), _stat(seed, late), known) is None           # size differs
    assert bookkeeping.unchanged_sha(_seed(mtime=seed.mtime_ns + 1), _stat(seed, late), known) is None  # touched
    racy = _stat(seed, checked_ns=seed.mtime_ns + bookkeeping.RACY_NS - 1)                       # read within a tick
    assert bookkeeping.unchanged_sha(seed, racy, known) is None
    assert bookkeeping.unchanged_sha(seed, _stat(seed, late), {"a.txt": ("sha-b", "doc-b")}) is None  # not published so
    assert bookkeeping.unchanged_sha(_seed(rejection=Rejection("binary", "")), _stat(seed, late), known) is None


def test_file_stats_are_keyed_by_file_and_rows_of_keeps_the_named_documents():
    frame = pd.DataFrame([_stat(_seed(), 5), {**_stat(_seed(), 6), "source_file": "b.txt"}])
    assert set(bookkeeping.file_stats(frame)) == {"a.txt", "b.txt"}
    docs = pd.DataFrame({"doc_id": ["x", "y", "z"], "v": [1, 2, 3]})
    assert bookkeeping.rows_of(docs, frozenset({"x", "z"}))["v"].tolist() == [1, 3]


def test_a_story_summary_input_changes_with_its_label_members_or_their_annotations():
    documents = pd.DataFrame({"story_id": ["s1", "s1", None], "doc_id": ["a", "b", "c"],
                              "duplicate_group": ["g1", "g2", "g3"], "is_canonical": [True, True, True],
                              "title": ["A", "B", "C"]})
    stories = pd.DataFrame({"story_id": ["s1"], "label": ["floods"], "doc_ids": [["a", "b"]]})
    base = bookkeeping.story_inputs(documents, stories)
    assert set(base) == {"s1"}
    assert bookkeeping.story_inputs(documents.iloc[::-1], stories) == base  # row order is not an input
    assert bookkeeping.story_inputs(documents, stories.assign(label=["storms"])) != base
    assert bookkeeping.story_inputs(documents.assign(is_canonical=[True, False, True]), stories) != base
    assert bookkeeping.story_inputs(documents.assign(title=["A", "B2", "C"]), stories) != base
    assert bookkeeping.story_inputs(documents.assign(title=["A", "B", "C2"]), stories) == base  # not a member
