"""Incremental-run bookkeeping, without Prefect: which files need reading, which rows are reused, which story
summaries still hold. The flow (flows/pipeline.py) calls these; tests/newsflow/test_bookkeeping.py checks them alone.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from newsflow import catalogue, sources
from newsflow.frames import isin
from newsflow.limits import RACY_NS


def file_stats(cached: pd.DataFrame) -> dict[str, dict[str, object]]:
    """Return the `_file_stats` cache as a mapping of source_file to its row."""
    return {row["source_file"]: row for row in cached.to_dict("records")}


def stat_row(seed: sources.SeedFile, sha: str, checked_ns: int) -> dict[str, object]:
    """Return the `_file_stats` row of a file read (or trusted) at checked_ns with content hash sha."""
    return {"source_file": seed.source_file, "size_bytes": seed.size_bytes, "mtime_ns": seed.mtime_ns,
            "sha256": sha, "checked_ns": checked_ns}


def unchanged_sha(seed: sources.SeedFile, stat: dict[str, object] | None, known: dict[str, tuple[str, str]]) -> str | None:
    """Return the content hash of a file left alone since a run read it (same size and mtime, not racy, still
    a document), else None: then it must be read."""
    if stat is None or seed.rejection is not None or seed.mtime_ns is None:
        return None
    if stat["size_bytes"] != seed.size_bytes or stat["mtime_ns"] != seed.mtime_ns:
        return None
    if int(stat["mtime_ns"]) + RACY_NS > int(stat["checked_ns"]):
        return None
    sha = str(stat["sha256"])
    return sha if known.get(seed.source_file, (None,))[0] == sha else None


def story_inputs(documents: pd.DataFrame, stories: pd.DataFrame) -> dict[str, str]:
    """Return per story_id what its summary is computed from besides its members' text: label and member annotations."""
    columns = [documents[c].tolist() for c in ("story_id", "doc_id", "duplicate_group", "is_canonical", "title")]
    members: dict[str, list[str]] = {}
    for story_id, *annotations in zip(*columns):  # tolist and plain loops: a frame pipeline took 5x longer
        members.setdefault(_text(story_id), []).append("\x1f".join(map(_text, annotations)))
    return {str(sid): "\x1d".join((str(label), ",".join(sorted(map(str, ids))), "\x1e".join(sorted(members.get(str(sid), [])))))
            for sid, label, ids in zip(stories["story_id"].tolist(), stories["label"].tolist(), stories["doc_ids"].tolist())}


def _text(value: object) -> str:
    return "<NA>" if pd.isna(value) else str(value)


def as_signatures(cached: pd.DataFrame) -> pd.DataFrame:
    """Turn cached signature rows back into document_signatures() form (string lists as tuples)."""
    out = cached.reset_index(drop=True)
    if out.empty:
        return out
    for f in catalogue.DEDUP_SIGNATURES.schema:
        if f.type == pa.list_(pa.string()):
            out[f.name] = [tuple(v.tolist()) for v in out[f.name].tolist()]  # tolist: Python str, not numpy scalars
    return out


def rows_of(frame: pd.DataFrame, doc_ids: frozenset[str]) -> pd.DataFrame:
    """Return the rows of a document-grained frame whose doc_id is one of doc_ids."""
    return frame[isin(frame["doc_id"], doc_ids)]
