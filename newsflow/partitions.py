"""Partitions of a run's documents for the per-document steps: a stable key, a plan, and an order-restoring combine.

A document's partition key is a hash bucket of its doc_id (`BUCKETS` buckets, independent of the corpus and of
the run), so a document lands in the same bucket in every run. A run groups consecutive buckets into at most
`MAX_PARTITIONS` partitions of about `TARGET_ROWS` documents each; a per-document step runs once per partition
(never once per article), and `combine` puts the partitions' rows back in the order the whole batch had, so the
result is the same frame, byte for byte, as one call on the whole batch. No Prefect here: the flow only maps.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

BUCKETS = 256
MAX_PARTITIONS = BUCKETS
TARGET_ROWS = 500  # per partition: a task's fixed cost (~10-50 ms in Prefect, more on Dask) stays under 5 % of its work


@dataclass(frozen=True)
class Partition:
    """One partition of a batch: the buckets it covers [first, last] and the batch positions of its rows."""

    first_bucket: int
    last_bucket: int
    rows: tuple[int, ...]

    @property
    def label(self) -> str:
        """Return a short name for logs and task-run names, e.g. 'b000-031'."""
        return f"b{self.first_bucket:03d}-{self.last_bucket:03d}"


def bucket_of(doc_id: str) -> int:
    """Return the stable partition key of a document: a hash bucket of its doc_id in [0, BUCKETS)."""
    return int.from_bytes(hashlib.blake2b(doc_id.encode(), digest_size=4).digest(), "big") % BUCKETS


def partition_count(n_rows: int, workers: int = 1, target_rows: int | None = None) -> int:
    """Return how many partitions a batch of n_rows gets: about target_rows (default TARGET_ROWS) each, at least
    two per worker when there are several workers and rows enough, at most MAX_PARTITIONS (0 for an empty batch)."""
    if n_rows <= 0:
        return 0
    target_rows = target_rows or TARGET_ROWS
    wanted = max(math.ceil(n_rows / target_rows), 2 * workers if workers > 1 else 1)
    return max(1, min(wanted, n_rows, MAX_PARTITIONS))


def plan(doc_ids: Sequence[str], n_partitions: int) -> list[Partition]:
    """Split a batch into n_partitions ranges of consecutive buckets; return the non-empty ones in bucket order,
    each with its rows' batch positions in batch order. Every position is in exactly one partition."""
    if not len(doc_ids) or n_partitions <= 0:
        return []
    n = min(n_partitions, BUCKETS)
    buckets = np.fromiter((bucket_of(str(d)) for d in doc_ids), dtype=np.int64, count=len(doc_ids))
    edges = [round(i * BUCKETS / n) for i in range(n + 1)]
    which = np.searchsorted(np.asarray(edges[1:]), buckets, side="right")
    out = []
    for p in range(n):
        rows = np.flatnonzero(which == p)
        if len(rows):
            out.append(Partition(edges[p], edges[p + 1] - 1, tuple(rows.tolist())))
    return out


def take(frame: pd.DataFrame, partition: Partition) -> pd.DataFrame:
    """Return the partition's rows of the batch frame it was planned on (batch order, a fresh index)."""
    return frame.iloc[list(partition.rows)].reset_index(drop=True)


def combine(parts: Sequence[pd.DataFrame], key: str, order: Sequence[object]) -> pd.DataFrame:
    """Concatenate per-partition outputs and sort their rows by the position of `key` in `order` (the batch's
    order of that key; stable, so a key's own rows keep their order): what one call on the whole batch returns
    when each row depends on its own document only. Empty parts are left out so they cannot widen a dtype."""
    kept = [p for p in parts if len(p)]
    if not kept:
        return parts[0].iloc[0:0].reset_index(drop=True) if parts else pd.DataFrame()
    frame = pd.concat(kept, ignore_index=True) if len(kept) > 1 else kept[0].reset_index(drop=True)
    rank = pd.Index(list(order)).get_indexer(frame[key])
    if (rank < 0).any():
        raise ValueError(f"combine: {key} values not in the batch order: {frame[key][rank < 0].head(3).tolist()}")
    return frame.iloc[np.argsort(rank, kind="stable")].reset_index(drop=True)


def split_by(frame: pd.DataFrame, key: str, parts: Sequence[pd.DataFrame], part_key: str = "doc_id") -> list[pd.DataFrame]:
    """Return, for each part, the rows of `frame` whose `key` is one of that part's `part_key` values (frame order,
    a fresh index); rows of no part are left out. One pass over the frame, however many parts."""
    ids = [part[part_key].tolist() for part in parts]
    owner = np.repeat(np.arange(len(parts)), [len(i) for i in ids])
    pos = pd.Index([d for i in ids for d in i]).get_indexer(frame[key])
    which = np.where(pos >= 0, owner[np.maximum(pos, 0)] if len(owner) else -1, -1)
    order = np.argsort(which, kind="stable")
    bounds = np.searchsorted(which[order], np.arange(len(parts) + 1))
    return [frame.iloc[order[bounds[p]:bounds[p + 1]]].reset_index(drop=True) for p in range(len(parts))]
