from datetime import UTC, date, datetime

import pandas as pd
import pytest

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
