"""A run's view of the data folder: staged writes, an all-or-nothing publish, the run lock and the manifest.

A run writes every table into `data/.staging/<run_id>/`. Only when every stage has passed its suite
does it write a COMMIT journal there and rename each staged table into `data/` (each rename is
atomic). A run killed during those renames leaves the journal behind, and the next run rolls the
publish forward before doing anything else; a staging folder without a journal is discarded. So
the published tables always come from one fully validated run, and a reader never sees a partial file.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from newsflow import catalogue

STAGING = ".staging"
COMMIT = "COMMIT.json"
MANIFEST = "_manifest.json"
LOCK = ".newsflow.lock"


class RunLocked(RuntimeError):
    """Another run holds the data folder's lock."""


@dataclass(frozen=True)
class Workspace:
    """Where one run reads and writes: staged tables first, else the published ones."""

    data_dir: Path
    run_id: str

    @property
    def staging(self) -> Path:
        """The run's staging folder."""
        return self.data_dir / STAGING / self.run_id

    @property
    def reports(self) -> Path:
        """Where validation results (JSON) and Data Docs (HTML) go."""
        return self.data_dir / "validation"

    def read(self, name: str) -> pd.DataFrame:
        """Read a table as this run sees it: its staged version if written, else the published one."""
        if catalogue.exists(self.staging, name):
            return catalogue.read_table(self.staging, name)
        return catalogue.read_table(self.data_dir, name)

    def read_published(self, name: str) -> pd.DataFrame:
        """Read the table as the previous good run published it."""
        return catalogue.read_table(self.data_dir, name)

    def write(self, name: str, frame: pd.DataFrame) -> None:
        """Stage a table (atomic write inside the staging folder)."""
        catalogue.write_table(self.staging, name, frame)

    def staged(self) -> list[str]:
        """Names of the tables this run has staged."""
        if not self.staging.exists():
            return []
        return sorted(p.name.removesuffix(".parquet") for p in self.staging.glob("*.parquet"))

    def publish(self, manifest: dict[str, Any]) -> None:
        """Journal the staged tables, rename each into the data folder, then write the manifest."""
        names = self.staged()
        catalogue.write_json(self.staging / COMMIT, {"run_id": self.run_id, "tables": names, "manifest": manifest})
        catalogue.kill_point("publish:journaled")
        _roll_forward(self.data_dir, self.staging)

    def discard(self) -> None:
        """Remove the staging folder after a failed run; once journaled the publish is committed, so it is kept for recover()."""
        if (self.staging / COMMIT).exists():
            return  # deleting it now would leave the data folder half old, half new for good
        shutil.rmtree(self.staging, ignore_errors=True)


def recover(data_dir: Path) -> list[str]:
    """Finish publishes interrupted after their journal was written; drop staging folders without one."""
    root = Path(data_dir) / STAGING
    done: list[str] = []
    if not root.exists():
        return done
    for staging in sorted(p for p in root.iterdir() if p.is_dir()):
        if (staging / COMMIT).exists():
            _roll_forward(Path(data_dir), staging)
            done.append(staging.name)
        else:
            shutil.rmtree(staging, ignore_errors=True)
    # Temporary files of writes cut short (tables, manifest, validation reports) are never tables: remove them.
    for pattern in (".*.parquet.tmp", f".{MANIFEST}.*.tmp", "validation/.*.tmp"):
        for stray in Path(data_dir).glob(pattern):
            stray.unlink(missing_ok=True)
    return done


def _roll_forward(data_dir: Path, staging: Path) -> None:
    journal = json.loads((staging / COMMIT).read_text(encoding="utf-8"))
    for name in journal["tables"]:
        src = catalogue.path(staging, name)
        if src.exists():
            os.replace(src, catalogue.path(data_dir, name))
            catalogue.kill_point("publish:renamed")
    # Renaming the manifest into place also makes the table renames before it durable (folder fsync).
    catalogue.write_json(data_dir / MANIFEST, journal["manifest"])
    catalogue.kill_point("publish:manifest")
    shutil.rmtree(staging, ignore_errors=True)


def read_manifest(data_dir: Path) -> dict[str, Any]:
    """Return the manifest of the last published run ({} when there is none or it is unreadable)."""
    try:
        return json.loads((Path(data_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def fingerprint(parts: list[tuple[str, ...]]) -> str:
    """Return a stable hash of a list of string tuples."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update("\x1f".join(part).encode())
        digest.update(b"\x1e")
    return digest.hexdigest()


@contextmanager
def run_lock(data_dir: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the data folder's exclusive lock; wait up to wait_seconds, then raise RunLocked naming the holder."""
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    lock_path = Path(data_dir) / LOCK
    fh = open(lock_path, "a+", encoding="utf-8")
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    fh.seek(0)
                    holder = fh.read().strip() or "unknown"
                    raise RunLocked(f"another newsflow run holds {lock_path} ({holder}); try again when it ends") from None
                time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%dT%H:%M:%S')}")
        fh.flush()
        yield
    finally:
        fh.close()
