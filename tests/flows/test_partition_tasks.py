"""The per-partition steps, combined, return what one call of each transform on the whole batch returns."""

from __future__ import annotations

import hashlib
from datetime import date

import pandas as pd
import pytest

from flows import partition_tasks as pt
from newsflow import partitions
from tests.conftest import SEEDS
from transforms.claims import ClaimsConfig, extract_claims
from transforms.clean import CleanConfig, clean_documents
from transforms.dedup import document_signatures
from transforms.dedup.config import DedupConfig
from transforms.summarise import SummariseConfig, summarise_documents

RUN_DATE = date(2026, 1, 1)


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """The seeds three times under other names, plus a file that cleans to nothing (a reject of the clean step)."""
    rows = []
    for copy in range(3):
        for f in sorted(SEEDS.iterdir()):
            text = f.read_text(encoding="utf-8")
            sha = hashlib.sha256(text.encode()).hexdigest()
            name = f"c{copy}/{f.name}"
            rows.append({"doc_id": hashlib.sha256(f"{sha}\0{name}".encode()).hexdigest()[:16], "source_file": name,
                         "sha256": sha, "encoding": "utf-8", "text": text})
    rows.append({"doc_id": "e" * 16, "source_file": "empty.txt", "sha256": "0" * 64, "encoding": "utf-8", "text": "\n \n"})
    return pd.DataFrame(rows)


@pytest.fixture(autouse=True)
def small_partitions(monkeypatch):
    monkeypatch.setattr(partitions, "TARGET_ROWS", 3)  # 16 rows: several partitions, some holding one document


def _same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_partitions_are_several(raw):
    assert len(partitions.plan(raw["doc_id"].tolist(), partitions.partition_count(len(raw)))) > 3


def test_clean_by_partition_equals_cleaning_the_batch(raw):
    got, want = pt.clean_batch(raw, RUN_DATE, CleanConfig()), clean_documents(raw, RUN_DATE, CleanConfig())
    assert len(want.rejects) == 1
    for name in ("documents", "sentences", "boilerplate", "rejects"):
        _same(getattr(got, name), getattr(want, name))


def test_the_later_steps_by_partition_equal_the_batch_calls(raw):
    cleaned = clean_documents(raw, RUN_DATE, CleanConfig())
    docs, sents = cleaned.documents.iloc[::-1].reset_index(drop=True), cleaned.sentences  # any batch order
    _same(pt.claims_batch(docs, sents, ClaimsConfig()), extract_claims(docs, sents, ClaimsConfig()))
    _same(pt.summaries_batch(docs, sents, SummariseConfig()), summarise_documents(docs, sents, SummariseConfig()))
    got, want = pt.signatures_batch(docs, DedupConfig()), document_signatures(docs, DedupConfig())
    assert list(got.columns) == list(want.columns) and len(got) == len(want)
    for column in want.columns:  # arrays in cells: compare cell by cell
        assert [repr(v.tolist() if hasattr(v, "tolist") else v) for v in got[column]] == \
               [repr(v.tolist() if hasattr(v, "tolist") else v) for v in want[column]], column


def test_an_empty_batch_gives_the_transforms_empty_frames(raw):
    empty = raw.iloc[0:0]
    got, want = pt.clean_batch(empty, RUN_DATE, CleanConfig()), clean_documents(empty, RUN_DATE, CleanConfig())
    _same(got.documents, want.documents)
    docs, sents = want.documents, want.sentences
    _same(pt.claims_batch(docs, sents, ClaimsConfig()), extract_claims(docs, sents, ClaimsConfig()))
    _same(pt.summaries_batch(docs, sents, SummariseConfig()), summarise_documents(docs, sents, SummariseConfig()))
