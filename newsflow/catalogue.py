"""The table catalogue: every table's name, grain, key, producing stage, pyarrow schema, on-disk layout, and atomic
Parquet I/O.

This is the only module that reads or writes Parquet. A corpus-wide table is one file, `<table>.parquet`. A
document-grained table (`Table.partition_by` set) is a Parquet dataset: a folder `<table>.parquet/` holding one
file per on-disk partition, `part-NNN.parquet`, where NNN = partition_of(value of the partition_by column), a
stable hash of the row's doc_id (scope_id for summaries): the same document lands in the same file in every run,
whatever the corpus. Only non-empty partitions have a file (an empty table is one zero-row `part-000.parquet`, so
readers still get its columns). Inside a file, rows are in the table's `order`; the whole table reads as its
partitions in partition order, each in that order. Every file is written to a temporary name in its folder and
renamed into place, so a reader never sees a half-written file; a partition whose bytes equal the published ones
is not written at all.
"""

from __future__ import annotations

import json
import os
import signal
import secrets
from collections import Counter, OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from newsflow.integrity import PART_GLOB, new_hasher, part_name
from newsflow.partitions import BUCKETS, bucket_of

_UTC = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True)
class Table:
    """One table of the catalogue: its name, grain, key and schema."""

    name: str
    grain: str
    key: tuple[str, ...]
    schema: pa.Schema
    stage: str
    compression: str = "zstd"
    """Parquet compression codec ("none" for content that does not compress, such as hash signatures)."""
    dictionary: bool = True
    """Try Parquet dictionary encoding (off for columns of distinct values, such as hash signatures)."""
    partition_by: str | None = None
    """Column whose hash picks each row's partition file (None: the table is one file)."""
    order: tuple[str, ...] = ()
    """Row order inside a partition file (partitioned tables; default: the key)."""

    def filename(self) -> str:
        """Return the table's file name (a folder of part files when partitioned) inside a data folder."""
        return f"{self.name}.parquet"

    @property
    def partitioned(self) -> bool:
        """Whether the table is a folder of partition files."""
        return self.partition_by is not None

    @property
    def row_order(self) -> tuple[str, ...]:
        """Columns a partition file's rows are sorted by."""
        return self.order or self.key


FILE_PARTS = 32
"""On-disk partitions of a partitioned table: fixed, so a document's file never depends on the corpus or the run."""


def partition_of(value: str) -> int:
    """Return the on-disk partition (0..FILE_PARTS-1) of a partition_by value: a stable hash bucket of it."""
    return bucket_of(value) // (BUCKETS // FILE_PARTS)


def _schema(*fields: tuple[str, pa.DataType, bool]) -> pa.Schema:
    return pa.schema([pa.field(name, typ, nullable=nullable) for name, typ, nullable in fields])


DOCUMENTS = Table(
    name="documents",
    grain="one row per accepted input file (article)",
    key=("doc_id",),
    stage="deduplicate",  # assembled once: clean's _clean_documents rows with their copy, story and date annotations
    partition_by="doc_id",
    order=("source_file",),
    schema=_schema(
        ("doc_id", pa.string(), False),
        ("source_file", pa.string(), False),
        ("sha256", pa.string(), False),
        ("encoding", pa.string(), False),
        ("published_date", pa.date32(), True),
        ("date_source", pa.string(), False),
        ("date_issue", pa.string(), True),
        ("title", pa.string(), True),
        ("clean_text", pa.string(), False),
        ("n_sentences", pa.int32(), False),
        ("n_paragraphs", pa.int32(), False),
        ("n_boilerplate", pa.int32(), False),
        ("duplicate_group", pa.string(), True),
        ("is_canonical", pa.bool_(), True),
        ("story_id", pa.string(), True),
        ("ingested_at", _UTC, False),
        ("run_id", pa.string(), False),
    ),
)

REJECTS = Table(
    name="rejects",
    grain="one row per input file that did not become a document",
    key=("source_file",),
    stage="clean",  # ingest's rejects and clean's (too large once cleaned) are staged together by clean
    schema=_schema(
        ("source_file", pa.string(), False),
        ("sha256", pa.string(), True),
        ("size_bytes", pa.int64(), True),
        ("reason", pa.string(), False),
        ("detail", pa.string(), False),
        ("run_id", pa.string(), False),
    ),
)

BOILERPLATE = Table(
    name="boilerplate",
    grain="one row per removed block (line or unwrapped group of lines) of a document",
    key=("doc_id", "line_no"),
    stage="clean",
    partition_by="doc_id",
    schema=_schema(
        ("doc_id", pa.string(), False),
        ("line_no", pa.int32(), False),
        ("line", pa.string(), False),
        ("rule", pa.string(), False),
    ),
)

SENTENCES = Table(
    name="sentences",
    grain="one row per sentence (or heading) of a document's clean_text",
    key=("sentence_id",),
    stage="clean",
    partition_by="doc_id",
    order=("doc_id", "sentence_index"),
    schema=_schema(
        ("sentence_id", pa.string(), False),
        ("doc_id", pa.string(), False),
        ("sentence_index", pa.int32(), False),
        ("paragraph", pa.int32(), False),
        ("char_start", pa.int32(), False),
        ("char_end", pa.int32(), False),
        ("text", pa.string(), False),
        ("is_heading", pa.bool_(), False),
    ),
)

DUPLICATES = Table(
    name="duplicates",
    grain="one row per related document pair (doc_id_a < doc_id_b)",
    key=("doc_id_a", "doc_id_b"),
    stage="deduplicate",
    schema=_schema(
        ("doc_id_a", pa.string(), False),
        ("doc_id_b", pa.string(), False),
        ("relation", pa.string(), False),
        ("score", pa.float64(), False),
        ("method", pa.string(), False),
        ("jaccard", pa.float64(), False),
        ("containment_a_in_b", pa.float64(), False),
        ("containment_b_in_a", pa.float64(), False),
        ("shared_quotes", pa.int32(), False),
        ("shared_numbers", pa.int32(), False),
        ("aligned_sentences", pa.float64(), False),
        ("trigram_containment", pa.float64(), False),
        ("ordered_words", pa.float64(), False),
        ("lead_kept", pa.float64(), False),
        ("other_passages", pa.float64(), False),
        ("meaning_aligned", pa.float64(), False),
        ("novel_anchors", pa.float64(), False),
    ),
)

STORIES = Table(
    name="stories",
    grain="one row per story (documents about the same event)",
    key=("story_id",),
    stage="deduplicate",
    schema=_schema(
        ("story_id", pa.string(), False),
        ("label", pa.string(), False),
        ("n_documents", pa.int32(), False),
        ("n_distinct", pa.int32(), False),
        ("first_date", pa.date32(), True),
        ("last_date", pa.date32(), True),
        ("doc_ids", pa.list_(pa.string()), False),
    ),
)

CLAIMS = Table(
    name="claims",
    grain="one row per claim (quote, reported statement or numeric claim) in a document",
    key=("claim_id",),
    stage="extract_claims",
    partition_by="doc_id",
    order=("doc_id", "char_start", "claim_type", "claim_id"),
    schema=_schema(
        ("claim_id", pa.string(), False),
        ("doc_id", pa.string(), False),
        ("sentence_id", pa.string(), False),
        ("claim_type", pa.string(), False),
        ("text", pa.string(), False),
        ("char_start", pa.int32(), False),
        ("char_end", pa.int32(), False),
        ("quote", pa.string(), True),
        ("speaker", pa.string(), True),
        ("speaker_type", pa.string(), True),
        ("speaker_mention", pa.string(), True),
        ("speaker_role", pa.string(), True),
        ("cue", pa.string(), True),
        ("value", pa.float64(), True),
        ("unit", pa.string(), True),
        ("qualifier", pa.string(), True),
        ("value_text", pa.string(), True),
        ("value_start", pa.int32(), True),
        ("value_end", pa.int32(), True),
        ("checkworthiness", pa.float64(), False),
        ("claim_group_id", pa.string(), False),
        ("n_sources", pa.int32(), False),
    ),
)

SUMMARIES = Table(
    name="summaries",
    grain="one row per document and one per story",
    key=("scope", "scope_id"),
    stage="summarise",
    partition_by="scope_id",
    schema=_schema(
        ("scope", pa.string(), False),
        ("scope_id", pa.string(), False),
        ("headline", pa.string(), True),
        ("summary", pa.string(), False),
        ("sentence_ids", pa.list_(pa.string()), False),
        ("n_sentences", pa.int32(), False),
        ("n_words", pa.int32(), False),
        ("method", pa.string(), False),
    ),
)

RUNS = Table(
    name="runs",
    grain="one row per pipeline run",
    key=("run_id",),
    stage="run",
    schema=_schema(
        ("run_id", pa.string(), False),
        ("started_at", _UTC, False),
        ("finished_at", _UTC, False),
        ("status", pa.string(), False),
        ("mode", pa.string(), False),
        ("n_inputs", pa.int32(), False),
        ("n_new", pa.int32(), False),
        ("n_documents", pa.int32(), False),
        ("n_rejects", pa.int32(), False),
        ("seconds_ingest", pa.float64(), False),
        ("seconds_clean", pa.float64(), False),
        ("seconds_deduplicate", pa.float64(), False),
        ("seconds_extract_claims", pa.float64(), False),
        ("seconds_summarise", pa.float64(), False),
        ("message", pa.string(), True),
        ("flow_run_id", pa.string(), True),
        ("parameters", pa.string(), True),
        ("config_hash", pa.string(), True),
    ),
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (DOCUMENTS, REJECTS, BOILERPLATE, SENTENCES, DUPLICATES, STORIES, CLAIMS, SUMMARIES, RUNS)
}


_ANNOTATIONS = ("duplicate_group", "is_canonical", "story_id")

# Internal tables: what one stage hands the next, needed to reuse rows (so not a cache: a damaged one means
# recomputing every document). No GX suite: their content is checked as part of the public table built from them.
CLEAN_DOCUMENTS = Table(
    name="_clean_documents",
    grain="one row per accepted input file (article) as clean left it: its own date only, no copy or story annotations",
    key=("doc_id",),
    stage="clean",
    partition_by="doc_id",
    order=("source_file",),
    schema=pa.schema([f for f in DOCUMENTS.schema if f.name not in _ANNOTATIONS]),
)

INTERNAL: dict[str, Table] = {t.name: t for t in (CLEAN_DOCUMENTS,)}

LAYOUT = 2
"""The data folder's layout, recorded in the manifest: a folder published under another one is recomputed whole
(2: partitioned document-grained tables, documents assembled by deduplicate from _clean_documents)."""

_U64S = pa.list_(pa.uint64())
_STRS = pa.list_(pa.string())

# Caches: content-only intermediate results that let a run redo only new documents' share of corpus-wide
# work. Staged and published with the tables (so always from the same good run), but not analyst tables:
# their files start with "_", which pyarrow/pandas dataset discovery skips, and they carry no GX suite.
# A missing or unreadable cache only costs time (the flow recomputes).
DEDUP_SIGNATURES = Table(
    name="_dedup_signatures",
    grain="one row per document: its copy-detection and story signatures (cache)",
    key=("doc_id",),
    stage="deduplicate",
    partition_by="doc_id",
    compression="none",  # 64-bit hashes: zstd saved 6 % of the size for three times the write time
    dictionary=False,  # hashes seldom repeat: building dictionaries only to drop them took 2/3 of the write
    schema=_schema(
        ("doc_id", pa.string(), False),
        ("text_hash", pa.string(), False),
        ("n_words", pa.int64(), False),
        ("shingles", _U64S, False),
        ("sampled", _U64S, False),
        ("sentence_keys", _U64S, False),
        ("minhash", _U64S, False),
        ("anchor_grams", _U64S, False),
        ("skeletons", _U64S, False),
        ("quotes", _STRS, False),
        ("numbers", _STRS, False),
        ("bag_keys", _U64S, False),
        ("bag_counts", pa.list_(pa.float32()), False),
        ("event_places", _STRS, False),
        ("event_actors", _STRS, False),
        ("event_place_names", _STRS, False),
        ("event_actor_names", _STRS, False),
        ("embedding", pa.list_(pa.float32()), False),
        ("trigrams", _U64S, False),
        ("trigram_keys", _U64S, False),
        ("content_stems", _U64S, False),
        ("stem_sentence_ends", pa.list_(pa.int32()), False),
        ("trigram_seq", _U64S, False),
        ("lead_stems", _U64S, False),
    ),
)

CLAIM_KEYS = Table(
    name="_claim_keys",
    grain="one row per claim: the normalised text and context words it is matched on across sources (cache)",
    key=("claim_id",),
    stage="extract_claims",
    partition_by="doc_id",
    schema=_schema(
        ("claim_id", pa.string(), False),
        ("doc_id", pa.string(), False),
        ("signature", pa.string(), False),
        ("context", pa.string(), False),  # space-separated words: a list column cost 3x to write and read
    ),
)

CLAIM_BLOCKS = Table(
    name="_claim_blocks",
    grain="one row per block of claims sharing a block key (2 to group_max_block of them): a digest of its claims and their matching pairs (cache)",
    key=("block",),
    stage="extract_claims",
    schema=_schema(
        ("block", pa.string(), False),
        ("members", pa.string(), False),
        ("left", _STRS, False),
        ("right", _STRS, False),
    ),
)

FILE_STATS = Table(
    name="_file_stats",
    grain="one row per seed file that is a document: its size, modification time and content hash when read (cache)",
    key=("source_file",),
    stage="ingest",
    schema=_schema(
        ("source_file", pa.string(), False),
        ("size_bytes", pa.int64(), False),
        ("mtime_ns", pa.int64(), False),
        ("sha256", pa.string(), False),
        ("checked_ns", pa.int64(), False),
    ),
)

CACHES: dict[str, Table] = {t.name: t for t in (FILE_STATS, DEDUP_SIGNATURES, CLAIM_KEYS, CLAIM_BLOCKS)}


def table(name: str) -> Table:
    """Return the catalogue entry for a table or cache name; KeyError names the known ones."""
    found = TABLES.get(name) or INTERNAL.get(name) or CACHES.get(name)
    if found is None:
        raise KeyError(f"unknown table {name!r}; known: {sorted(TABLES) + sorted(INTERNAL) + sorted(CACHES)}")
    return found


def empty_frame(name: str) -> pd.DataFrame:
    """Return an empty DataFrame with the table's columns and dtypes."""
    return table(name).schema.empty_table().to_pandas()


def to_arrow(name: str, frame: pd.DataFrame) -> pa.Table:
    """Conform a frame to the table's schema: exactly its columns, in order, cast to its types."""
    spec = table(name)
    missing = [c for c in spec.schema.names if c not in frame.columns]
    extra = [c for c in frame.columns if c not in spec.schema.names]
    if missing or extra:
        raise ValueError(f"table {name}: missing columns {missing}, unexpected columns {extra}")
    ordered = frame.loc[:, list(spec.schema.names)].reset_index(drop=True)
    arrays = [_column_array(ordered[f.name], f.type) for f in spec.schema]
    out = pa.Table.from_arrays(arrays, schema=described_schema(name))
    out.validate(full=True)
    return out


def described_schema(name: str) -> pa.Schema:
    """Return the table's schema with each column's meaning (`description`) and the table's grain and key as metadata."""
    from newsflow.columns import described

    return described(table(name))


def _column_array(series: pd.Series, typ: pa.DataType) -> pa.Array:
    # Fast path: Arrow converts a whole column at once; odd inputs (dates as strings, naive timestamps,
    # tuples for lists) fall back to a per-value conversion. Lossy casts raise on both paths.
    try:
        return pa.array(series, type=typ, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, ValueError):
        return pa.array(_column_values(series, typ), type=typ, from_pandas=True)


def _column_values(series: pd.Series, typ: pa.DataType) -> list[object]:
    if pa.types.is_date32(typ):
        return [None if pd.isna(v) else pd.Timestamp(v).date() for v in series]
    if pa.types.is_timestamp(typ):
        return [None if pd.isna(v) else pd.Timestamp(v).tz_convert("UTC") if pd.Timestamp(v).tzinfo else pd.Timestamp(v, tz="UTC") for v in series]
    if pa.types.is_list(typ):
        as_item = str if pa.types.is_string(typ.value_type) else (lambda x: x)
        return [None if _is_missing(v) else [as_item(x) for x in v] for v in series]
    return [None if _is_missing(v) else v for v in series]


def _is_missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and v != v) or v is pd.NA or v is pd.NaT


def path(data_dir: Path, name: str) -> Path:
    """Return where a table lives inside a data folder."""
    return Path(data_dir) / table(name).filename()


KILL_AT_ENV = "NEWSFLOW_TEST_KILL_AT"
_kill_hits: Counter[str] = Counter()


def kill_point(point: str) -> None:
    """Crash-test hook, inert unless NEWSFLOW_TEST_KILL_AT is set: SIGKILL this process at `point` (or its Nth visit, `point@N`)."""
    wanted = os.environ.get(KILL_AT_ENV)
    if not wanted:
        return
    _kill_hits[point] += 1
    if wanted in (point, f"{point}@{_kill_hits[point]}"):
        os.kill(os.getpid(), signal.SIGKILL)


PartIndex = dict[str, dict[str, Any]]
"""A partitioned table's files: part file name -> {"digest": hex digest of its bytes, "rows": row count}."""


def write_table(data_dir: Path, name: str, frame: pd.DataFrame, published: dict[str, str] | None = None) -> Path:
    """Atomically write a frame as the named table (temp file in the same folder, fsync, rename); return its path.

    A partitioned table is written partition by partition (see write_parts); `published` is only for those."""
    arrow = to_arrow(name, frame)
    if table(name).partitioned:
        write_parts(data_dir, name, arrow, published)
        return path(data_dir, name)
    target = path(data_dir, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_file(target, name, _encode(name, arrow), arrow, f"write:{name}")
    return target


def write_parts(data_dir: Path, name: str, arrow: pa.Table, published: dict[str, str] | None = None) -> PartIndex:
    """Write a partitioned table's rows as one file per non-empty partition (rows in the table's order) into
    data_dir/<table>.parquet/ and return the index of all its parts. Without `published` the folder ends up holding
    exactly those parts (stale ones removed). With `published` (part name -> digest of the published part) the
    folder is a staging folder: a part whose bytes equal the published one is not written (the published file
    stays the table's part), so the folder holds only the parts that changed."""
    target = path(data_dir, name)
    if target.is_file() or target.is_symlink():
        target.unlink()  # a table of the one-file layout (or a link standing in for the folder)
    target.mkdir(parents=True, exist_ok=True)
    index: PartIndex = {}
    for part, rows in _split(name, arrow):
        data = _encode(name, rows)
        digest = _digest(data)
        index[part] = {"digest": digest.hex(), "rows": rows.num_rows}
        if published is not None and published.get(part) == digest.hex():
            if name not in CACHES:
                _keep((name, digest), rows)  # the run reads it back from the published file
            continue
        _write_file(target / part, name, data, rows, f"write:{name}", sync_dir=False, digest=digest)
    for stale in target.glob(PART_GLOB):
        if stale.name not in index or (published is not None and published.get(stale.name) == index[stale.name]["digest"]):
            stale.unlink()
    fsync_dir(target)
    return index


def _split(name: str, arrow: pa.Table) -> list[tuple[str, pa.Table]]:
    """Return (part file name, rows) of each non-empty partition in partition order, rows sorted by the table's order
    (stable); a table without rows is one empty part-000."""
    spec = table(name)
    if arrow.num_rows == 0:
        return [(part_name(0), arrow)]
    codes, uniques = pd.factorize(arrow.column(spec.partition_by).to_pandas(), sort=False)
    parts = np.asarray([partition_of(str(u)) for u in uniques], dtype=np.int32)[codes]
    keyed = arrow.append_column("__part", pa.array(parts))
    order = pc.sort_indices(keyed, sort_keys=[("__part", "ascending")] + [(c, "ascending") for c in spec.row_order])
    ordered = arrow.take(order)
    sorted_parts = parts[order.to_numpy()]
    bounds = np.flatnonzero(np.diff(sorted_parts)) + 1
    starts = np.concatenate([[0], bounds])
    ends = np.concatenate([bounds, [len(sorted_parts)]])
    return [(part_name(int(sorted_parts[s])), ordered.slice(int(s), int(e - s))) for s, e in zip(starts, ends)]


def _encode(name: str, arrow: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    pq.write_table(arrow, sink, compression=table(name).compression, use_dictionary=table(name).dictionary)
    return sink.getvalue().to_pybytes()


def _write_file(target: Path, name: str, data: bytes, arrow: pa.Table, point: str, sync_dir: bool = True,
                digest: bytes | None = None) -> None:
    tmp = _temp_name(target.parent, f".{target.name.removesuffix('.parquet')}.", ".parquet.tmp")
    try:
        with open(tmp, "xb") as fh:
            fh.write(data)
            fh.flush()
            kill_point(point)
            os.fsync(fh.fileno())
        # Later stages of the run read the tables it writes: keep them as decoded. Not caches: only the next
        # run reads those, and a served run is a fresh process.
        if name not in CACHES and arrow.nbytes <= _DECODED_MAX_BYTES:
            _keep((name, digest if digest is not None else _digest(data)), arrow)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if sync_dir:
        fsync_dir(target.parent)


def write_json(target: Path, payload: dict[str, Any]) -> Path:
    """Atomically write a JSON document (temp file in the same folder, fsync, rename, folder fsync)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_name(target.parent, f".{target.name}.", ".tmp")
    try:
        with open(tmp, "x", encoding="utf-8") as fh:
            json.dump(payload, fh, indent=1, sort_keys=True, default=str)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)
    return target


def _temp_name(folder: Path, prefix: str, suffix: str) -> Path:
    # Not mkstemp: its files are 0600, and a renamed table must get the umask's usual permissions so other
    # users' analysts can read it. Exclusive creation ("x") still refuses an existing name.
    return folder / f"{prefix}{secrets.token_hex(8)}{suffix}"


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (renames, new files) to disk."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def part_files(data_dir: Path, name: str) -> dict[str, Path]:
    """Return a partitioned table's part files in a folder, in partition order (empty when it has none)."""
    folder = path(data_dir, name)
    if not folder.is_dir():
        return {}
    return {p.name: p for p in sorted(folder.glob(PART_GLOB))}


def read_table(data_dir: Path, name: str, parts: dict[str, tuple[Path, str | None]] | None = None) -> pd.DataFrame:
    """Read the named table (a partitioned one as its parts in partition order), or an empty frame with its columns
    when it does not exist yet; a file that does not decode as the table raises StateDamaged naming the file.
    `parts` (part name -> (file, expected digest or None)) reads those files as the table instead of the folder's."""
    file = path(data_dir, name)
    if parts is None and file.is_dir():
        parts = {part: (f, None) for part, f in part_files(data_dir, name).items()}
        if not parts:
            return empty_frame(name)
    if parts is None:
        try:
            data = file.read_bytes()
        except FileNotFoundError:
            return empty_frame(name)
        return _decoded_or_damaged(name, file, data).to_pandas()
    pieces = []
    for part, (source, expected) in parts.items():
        try:
            data = source.read_bytes()
        except FileNotFoundError:
            from newsflow.exitcodes import StateDamaged

            raise StateDamaged(f"{source} is missing: part {part} of the {name} table") from None
        digest = _digest(data)
        if expected is not None and digest.hex() != expected:
            from newsflow.exitcodes import StateDamaged

            raise StateDamaged(f"{source} changed since it was written: part {part} of the {name} table")
        pieces.append(_decoded_or_damaged(name, source, data, digest))
    if not pieces:
        return empty_frame(name)
    return (pa.concat_tables(pieces) if len(pieces) > 1 else pieces[0]).to_pandas()


def _decoded_or_damaged(name: str, file: Path, data: bytes, digest: bytes | None = None) -> pa.Table:
    try:
        return _decoded(name, data, digest)
    except (pa.ArrowException, OSError, ValueError, TypeError) as exc:
        from newsflow.exitcodes import StateDamaged

        raise StateDamaged(f"{file} is damaged and cannot be read as the {name} table ({type(exc).__name__}: {exc})") from exc


def table_files(data_dir: Path, name: str) -> list[Path]:
    """Return a table's files in a folder: its part files (partition order) or its one file; none when absent."""
    file = path(data_dir, name)
    return list(part_files(data_dir, name).values()) if file.is_dir() else [file] if file.exists() else []


def count_rows(data_dir: Path, name: str) -> int:
    """Return a table's row count from its Parquet footers (every part of a partitioned table); 0 when absent."""
    return sum(pq.ParquetFile(f).metadata.num_rows for f in table_files(data_dir, name))


def size_bytes(data_dir: Path, name: str) -> int:
    """Return a table's size on disk (every part of a partitioned table); 0 when absent."""
    return sum(f.stat().st_size for f in table_files(data_dir, name))


# A run reads the same few tables many times (each stage re-reads documents and sentences, staged or published).
# Decoded Arrow tables are kept by the hash of the file's bytes, so a hit is exactly the file's content whatever
# renames or rewrites happened; Arrow tables are immutable and every read gets its own DataFrame.
_DECODED: OrderedDict[tuple[str, bytes], pa.Table] = OrderedDict()
_DECODED_BYTES = 0
_DECODED_MAX_BYTES = 256 * 2**20


def _decoded(name: str, data: bytes, digest: bytes | None = None) -> pa.Table:
    key = (name, digest if digest is not None else _digest(data))
    found = _DECODED.get(key)
    if found is not None:
        _DECODED.move_to_end(key)
        return found
    decoded = pq.read_table(pa.BufferReader(data), schema=table(name).schema)
    _keep(key, decoded)
    return decoded


def _digest(data: bytes) -> bytes:
    h = new_hasher()
    h.update(data)
    return h.digest()


def _keep(key: tuple[str, bytes], decoded: pa.Table) -> None:
    """Keep a decoded table (or one just written: Parquet round-trips the schema's types exactly) by its file's digest."""
    global _DECODED_BYTES
    old = _DECODED.pop(key, None)
    _DECODED_BYTES -= old.nbytes if old is not None else 0
    _DECODED[key] = decoded
    _DECODED_BYTES += decoded.nbytes
    # A running total: summing every kept table on each call was quadratic in the number of part files.
    while len(_DECODED) > 1 and _DECODED_BYTES > _DECODED_MAX_BYTES:
        _DECODED_BYTES -= _DECODED.popitem(last=False)[1].nbytes


def exists(data_dir: Path, name: str) -> bool:
    """Tell whether the named table has been written in a data folder."""
    return path(data_dir, name).exists()
