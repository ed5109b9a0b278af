"""Every column of every table has a meaning, written into the Parquet schema with the table's grain and key."""

from __future__ import annotations

import json

import pyarrow.parquet as pq

from newsflow import catalogue
from newsflow.columns import DESCRIPTIONS


def test_every_column_of_every_table_is_described():
    missing = {t.name: [c for c in t.schema.names if c not in DESCRIPTIONS.get(t.name, {})] for t in catalogue.TABLES.values()}
    assert {k: v for k, v in missing.items() if v} == {}


def test_a_written_table_carries_the_descriptions_grain_and_key(tmp_path):
    frame = catalogue.empty_frame("rejects")
    catalogue.write_table(tmp_path, "rejects", frame)
    schema = pq.read_schema(catalogue.path(tmp_path, "rejects"))
    assert schema.field("reason").metadata[b"description"].startswith(b"why the file is not a document")
    assert schema.metadata[b"grain"] == catalogue.REJECTS.grain.encode()
    assert json.loads(schema.metadata[b"key"]) == ["source_file"]
    assert catalogue.read_table(tmp_path, "rejects").columns.tolist() == catalogue.REJECTS.schema.names
