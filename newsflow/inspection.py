"""What the inspect commands read: the last runs, table sizes, what is pending in the seeds folder, rejects, any table's rows.

Each function reads the published tables only (never a run's staging folder) and returns frames or plain
values; the CLI renders them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from newsflow import catalogue


class UnknownTable(KeyError):
    """The named table is not in the catalogue."""


class BadQuery(ValueError):
    """A --where expression or column list that does not apply to the table."""


@dataclass(frozen=True)
class Pending:
    """What the next run would pick up: seed files new, changed or deleted since the published tables."""

    new: tuple[str, ...]
    changed: tuple[str, ...]
    deleted: tuple[str, ...]

    @property
    def nothing(self) -> bool:
        """Whether the next run would find nothing to do."""
        return not (self.new or self.changed or self.deleted)


def table_sizes(data_dir: Path) -> pd.DataFrame:
    """Return one row per published table: rows, size on disk and what a row is (from the Parquet footers only)."""
    rows = []
    for name, spec in catalogue.TABLES.items():
        if catalogue.exists(data_dir, name):
            rows.append({"table": name, "rows": catalogue.count_rows(data_dir, name),
                         "size_kb": round(catalogue.size_bytes(data_dir, name) / 1024, 1), "grain": spec.grain})
        else:
            rows.append({"table": name, "rows": None, "size_kb": None, "grain": spec.grain})
    return pd.DataFrame(rows)


def last_runs(data_dir: Path, n: int = 5) -> pd.DataFrame:
    """Return the last n runs, newest first: id, status, counts, total seconds and the Prefect flow-run id."""
    runs = catalogue.read_table(data_dir, "runs")
    seconds = runs.filter(like="seconds_").sum(axis=1).round(1)
    out = runs.assign(seconds=seconds).loc[:, ["run_id", "status", "mode", "n_inputs", "n_new", "n_documents",
                                                "n_rejects", "seconds", "flow_run_id"]]
    return out.iloc[::-1].head(n).reset_index(drop=True)


def pending(seeds: Path, data_dir: Path) -> Pending:
    """Compare the seeds folder with the published documents and rejects (by relative name and content hash)."""
    from newsflow import sources

    documents = catalogue.read_table(data_dir, "documents")
    rejects = catalogue.read_table(data_dir, "rejects")
    known = dict(zip(documents["source_file"], documents["sha256"]))
    known_rejects = dict(zip(rejects["source_file"], rejects["sha256"]))
    reject_sizes = dict(zip(rejects["source_file"], rejects["size_bytes"]))
    new, changed, seen = [], [], set()
    for seed in sources.scan(Path(seeds)):
        seen.add(seed.source_file)
        before = known.get(seed.source_file, known_rejects.get(seed.source_file))
        if seed.source_file not in known and seed.source_file not in known_rejects:
            new.append(seed.source_file)
        elif seed.rejection is not None:
            continue
        elif not pd.isna(before):
            if _sha256(seed.path) != before:
                changed.append(seed.source_file)
        elif _size(seed.path) != reject_sizes.get(seed.source_file):  # rejected before it was hashed (too large…)
            changed.append(seed.source_file)
    deleted = sorted((set(known) | set(known_rejects)) - seen)
    return Pending(tuple(new), tuple(changed), tuple(deleted))


def _size(file: Path) -> int | None:
    try:
        return file.stat().st_size
    except OSError:
        return None


def _sha256(file: Path) -> str | None:
    try:
        with open(file, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


def rejects(data_dir: Path, reason: str | None = None) -> pd.DataFrame:
    """Return the published rejects (file, reason, detail, size), optionally of one reason only."""
    frame = catalogue.read_table(data_dir, "rejects")
    if reason:
        frame = frame[frame["reason"] == reason]
    return frame.loc[:, ["source_file", "reason", "detail", "size_bytes", "run_id"]].reset_index(drop=True)


def show(data_dir: Path, name: str, where: str | None = None, columns: list[str] | None = None,
         limit: int | None = 20) -> tuple[pd.DataFrame, int]:
    """Return a published table's rows matching a pandas query expression (first `limit`), and how many matched."""
    if name not in catalogue.TABLES:
        raise UnknownTable(f"unknown table {name!r}; tables: {', '.join(catalogue.TABLES)}")
    frame = catalogue.read_table(data_dir, name)
    if where:
        try:
            frame = frame.query(where, engine="python")
        except Exception as exc:  # noqa: BLE001 - pandas raises many types for a bad expression: report it as such
            raise BadQuery(f"--where {where!r} does not apply to {name}: {exc}") from None
    if columns:
        unknown = [c for c in columns if c not in frame.columns]
        if unknown:
            raise BadQuery(f"{name} has no column(s) {', '.join(unknown)}; columns: {', '.join(frame.columns)}")
        frame = frame.loc[:, columns]
    matched = len(frame)
    return (frame.head(limit) if limit is not None else frame).reset_index(drop=True), matched
