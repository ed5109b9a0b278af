import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsflow import catalogue


def _documents() -> pd.DataFrame:
    return pd.DataFrame([{
        "doc_id": "d1", "source_file": "a.txt", "sha256": "0" * 64, "encoding": "utf-8",
        "published_date": date(2023, 3, 22), "date_source": "header", "date_issue": None, "title": None,
        "clean_text": "Text.", "n_sentences": 1, "n_paragraphs": 1, "n_boilerplate": 0,
        "duplicate_group": None, "is_canonical": None, "story_id": None,
        "ingested_at": datetime(2026, 1, 1, tzinfo=UTC), "run_id": "r1",
    }])


def test_write_then_read_round_trips_and_is_pandas_readable(tmp_path):
    target = catalogue.write_table(tmp_path, "documents", _documents())
    assert target == tmp_path / "documents.parquet"
    back = pd.read_parquet(target)
    assert back["doc_id"].tolist() == ["d1"]
    assert list(catalogue.read_table(tmp_path, "documents").columns) == catalogue.DOCUMENTS.schema.names
    assert not list(tmp_path.glob(".*tmp"))


def test_write_rejects_missing_or_extra_columns(tmp_path):
    with pytest.raises(ValueError, match="missing columns"):
        catalogue.write_table(tmp_path, "documents", _documents().drop(columns="title"))
    with pytest.raises(ValueError, match="unexpected columns"):
        catalogue.write_table(tmp_path, "documents", _documents().assign(extra=1))
    assert not (tmp_path / "documents.parquet").exists()


def test_failed_write_keeps_previous_table(tmp_path):
    catalogue.write_table(tmp_path, "documents", _documents())
    bad = _documents().assign(n_sentences="not a number")
    with pytest.raises(Exception):
        catalogue.write_table(tmp_path, "documents", bad)
    assert catalogue.read_table(tmp_path, "documents")["n_sentences"].tolist() == [1]
    assert not list(tmp_path.glob(".*tmp"))


def test_missing_table_reads_as_empty_frame_with_columns(tmp_path):
    frame = catalogue.read_table(tmp_path, "claims")
    assert frame.empty and list(frame.columns) == catalogue.CLAIMS.schema.names


def test_every_table_states_grain_and_key_in_its_schema():
    for spec in catalogue.TABLES.values():
        assert spec.grain.startswith("one row per")
        assert set(spec.key) <= set(spec.schema.names)


def test_a_reread_table_is_the_file_content_even_after_a_same_size_rewrite(tmp_path):
    catalogue.write_table(tmp_path, "documents", _documents())
    first = catalogue.read_table(tmp_path, "documents")
    catalogue.write_table(tmp_path, "documents", _documents().assign(doc_id="d2"))  # same size, new bytes
    assert catalogue.read_table(tmp_path, "documents")["doc_id"].tolist() == ["d2"]
    assert first["doc_id"].tolist() == ["d1"]


def test_each_read_is_its_own_frame(tmp_path):
    catalogue.write_table(tmp_path, "documents", _documents())
    one = catalogue.read_table(tmp_path, "documents")
    one.loc[0, "doc_id"] = "changed"
    one["n_sentences"] = 7
    again = catalogue.read_table(tmp_path, "documents")
    assert again["doc_id"].tolist() == ["d1"] and again["n_sentences"].tolist() == [1]


def test_hash_signature_cache_is_stored_uncompressed_and_tables_with_zstd(tmp_path):
    import pyarrow.parquet as pq

    assert catalogue.DEDUP_SIGNATURES.compression == "none" and catalogue.DOCUMENTS.compression == "zstd"
    catalogue.write_table(tmp_path, "documents", _documents())
    (part,) = catalogue.part_files(tmp_path, "documents").values()
    assert pq.ParquetFile(part).metadata.row_group(0).column(0).compression == "ZSTD"


def test_a_table_read_right_after_its_write_equals_a_fresh_decoding_of_the_file(tmp_path):
    """Writes leave their Arrow table in the decoded-table cache: what a read returns from it must be exactly
    what decoding the file gives (dates, timestamps, nulls, lists)."""
    import pyarrow.parquet as pq

    documents = pd.concat([_documents(), _documents().assign(doc_id="d2", published_date=None, title="T",
                                                               duplicate_group="g", is_canonical=True)])
    summaries = pd.DataFrame([{"scope": "document", "scope_id": "d1", "headline": None, "summary": "Text.",
                               "sentence_ids": ["d1-s0000"], "n_sentences": 1, "n_words": 1, "method": "lead"}])
    for name, frame in (("documents", documents), ("summaries", summaries)):
        target = catalogue.write_table(tmp_path, name, frame)
        cached = catalogue.read_table(tmp_path, name)
        fresh = pq.read_table(target, schema=catalogue.table(name).schema).to_pandas()
        pd.testing.assert_frame_equal(cached, fresh)


# -- partitioned tables ------------------------------------------------------------------------------------

def _docs(ids: list[str]) -> pd.DataFrame:
    return pd.concat([_documents().assign(doc_id=d, source_file=f"{d}.txt") for d in ids], ignore_index=True)


def _where(folder, name: str = "documents") -> dict[str, str]:
    return {d: part for part, f in catalogue.part_files(folder, name).items()
            for d in pd.read_parquet(f, columns=["doc_id"])["doc_id"]}


def test_the_partition_of_a_doc_id_is_pinned():
    # Changing the hash would move every published row to another file on the next run: it must never change.
    assert [catalogue.partition_of(d) for d in ("d1", "d2", "abc", "0123456789abcdef")] == [13, 15, 9, 5]
    assert catalogue.FILE_PARTS == 32


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=10), min_size=1, max_size=30, unique=True), st.data())
def test_a_document_lands_in_the_same_file_whatever_else_the_table_holds(ids, data):
    subset = data.draw(st.lists(st.sampled_from(ids), unique=True, min_size=1))
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as two:
        catalogue.write_table(Path(one), "documents", _docs(ids))
        catalogue.write_table(Path(two), "documents", _docs(list(reversed(subset))))
        everything, some = _where(Path(one)), _where(Path(two))
        assert {d: everything[d] for d in subset} == some
        assert all(part == f"part-{catalogue.partition_of(d):03d}.parquet" for d, part in everything.items())
        # rows inside a file are in the table's order, whatever order the frame had
        for f in catalogue.part_files(Path(two), "documents").values():
            files = pd.read_parquet(f, columns=["source_file"])["source_file"].tolist()
            assert files == sorted(files)


def test_a_partitioned_table_reads_whole_with_pandas_pyarrow_dataset_and_the_catalogue(tmp_path):
    import pyarrow.dataset as ds

    ids = [f"doc{i}" for i in range(40)]
    catalogue.write_table(tmp_path, "documents", _docs(ids))
    assert len(catalogue.part_files(tmp_path, "documents")) > 5
    ours = catalogue.read_table(tmp_path, "documents")
    assert sorted(ours["doc_id"]) == sorted(ids)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "documents.parquet"), ours)
    pd.testing.assert_frame_equal(ds.dataset(tmp_path / "documents.parquet").to_table().to_pandas(), ours)
    parts = [catalogue.partition_of(d) for d in ours["doc_id"]]
    assert parts == sorted(parts)  # the whole table: partition order, then the table's order in each
    assert catalogue.count_rows(tmp_path, "documents") == 40


def test_an_empty_partitioned_table_is_one_empty_part_that_still_has_its_columns(tmp_path):
    catalogue.write_table(tmp_path, "claims", catalogue.empty_frame("claims"))
    assert list(catalogue.part_files(tmp_path, "claims")) == ["part-000.parquet"]
    assert list(pd.read_parquet(tmp_path / "claims.parquet").columns) == catalogue.CLAIMS.schema.names


def test_rewriting_a_table_removes_the_parts_it_no_longer_has(tmp_path):
    catalogue.write_table(tmp_path, "documents", _docs(["d1", "d2"]))
    assert set(catalogue.part_files(tmp_path, "documents")) == {"part-013.parquet", "part-015.parquet"}
    catalogue.write_table(tmp_path, "documents", _docs(["d1"]))
    assert set(catalogue.part_files(tmp_path, "documents")) == {"part-013.parquet"}
    assert catalogue.read_table(tmp_path, "documents")["doc_id"].tolist() == ["d1"]


def test_a_staged_part_equal_to_the_published_one_is_not_written(tmp_path):
    published = catalogue.write_parts(tmp_path / "pub", "documents", catalogue.to_arrow("documents", _docs(["d1", "d2"])))
    index = catalogue.write_parts(tmp_path / "stage", "documents",
                                  catalogue.to_arrow("documents", _docs(["d1", "d2"]).assign(title=["x", None])),
                                  {p: e["digest"] for p, e in published.items()})
    assert set(catalogue.part_files(tmp_path / "stage", "documents")) == {"part-013.parquet"}  # d1's title changed
    assert index["part-015.parquet"] == published["part-015.parquet"]
    assert index["part-013.parquet"]["digest"] != published["part-013.parquet"]["digest"]


def test_a_one_file_table_of_the_older_layout_still_reads(tmp_path):
    (tmp_path / "documents.parquet").write_bytes(_documents().to_parquet())
    assert catalogue.read_table(tmp_path, "documents")["doc_id"].tolist() == ["d1"]
    catalogue.write_table(tmp_path, "documents", _documents())
    assert (tmp_path / "documents.parquet").is_dir()
