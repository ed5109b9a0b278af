"""Partitions of a batch: a stable key, a plan covering every row once, and a combine that restores the batch order."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsflow import partitions

_ids = st.lists(st.text(alphabet="0123456789abcdef", min_size=1, max_size=16), unique=True, max_size=60)


def test_the_key_is_a_fixed_function_of_the_doc_id():
    # Pinned values: a changed key would move documents between the partitions of stored tables (issue 16).
    assert [partitions.bucket_of(d) for d in ("0d12fd25cb99f203", "a", "")] == [183, 85, 37]
    assert all(0 <= partitions.bucket_of(str(i)) < partitions.BUCKETS for i in range(1000))


@settings(max_examples=60, deadline=None)
@given(ids=_ids, n=st.integers(1, 300))
def test_a_plan_puts_every_row_in_exactly_one_partition_of_its_bucket_range(ids, n):
    plan = partitions.plan(ids, n)
    rows = [r for p in plan for r in p.rows]
    assert sorted(rows) == list(range(len(ids)))
    assert len(plan) <= min(n, partitions.BUCKETS)
    for p in plan:
        assert p.rows and list(p.rows) == sorted(p.rows)  # batch order inside a partition
        assert all(p.first_bucket <= partitions.bucket_of(ids[r]) <= p.last_bucket for r in p.rows)
    assert [p.first_bucket for p in plan] == sorted(p.first_bucket for p in plan)


@settings(max_examples=60, deadline=None)
@given(ids=_ids, n=st.integers(1, 40), per_doc=st.lists(st.integers(0, 3), min_size=60, max_size=60))
def test_combining_the_partitions_outputs_gives_the_whole_batchs_output(ids, n, per_doc):
    # A per-document function: each document gives 0-3 rows; its output on the batch is rows grouped by document.
    def rows_of(frame: pd.DataFrame) -> pd.DataFrame:
        out = [{"doc_id": d, "k": k} for d in frame["doc_id"] for k in range(per_doc[ids.index(d)])]
        return pd.DataFrame(out, columns=["doc_id", "k"])

    batch = pd.DataFrame({"doc_id": ids, "x": range(len(ids))})
    parts = [rows_of(partitions.take(batch, p)) for p in partitions.plan(ids, n)] or [rows_of(batch)]
    got = partitions.combine(parts, "doc_id", ids)
    pd.testing.assert_frame_equal(got, rows_of(batch), check_dtype=False)


@settings(max_examples=40, deadline=None)
@given(ids=_ids, n=st.integers(1, 20))
def test_split_by_gives_each_part_the_rows_of_its_documents_in_order(ids, n):
    batch = pd.DataFrame({"doc_id": ids})
    sentences = pd.DataFrame({"doc_id": [d for d in ids for _ in range(2)] + ["stray"],
                              "i": range(2 * len(ids) + 1)}).sample(frac=1.0, random_state=0)
    parts = [partitions.take(batch, p) for p in partitions.plan(ids, n)]
    split = partitions.split_by(sentences, "doc_id", parts)
    assert len(split) == len(parts)
    for part, rows in zip(parts, split):
        want = sentences[sentences["doc_id"].isin(set(part["doc_id"]))].reset_index(drop=True)
        pd.testing.assert_frame_equal(rows, want)


@pytest.mark.parametrize(("rows", "workers", "want"), [
    (0, 1, 0), (1, 1, 1), (5, 2, 4), (499, 1, 1), (501, 1, 2), (2000, 2, 4), (12_000, 2, 24), (10**7, 8, 256)])
def test_partition_count_targets_a_few_hundred_rows_and_two_per_worker(rows, workers, want):
    assert partitions.partition_count(rows, workers) == want


def test_combine_refuses_rows_of_no_document_in_the_batch():
    with pytest.raises(ValueError, match="not in the batch"):
        partitions.combine([pd.DataFrame({"doc_id": ["x"]})], "doc_id", ["a"])
