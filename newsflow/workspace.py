"""A run's view of the data folder: staged writes, an all-or-nothing publish, the run lock, the manifest and versions.

A run writes every table into `data/.staging/<run_id>/`. Only when every stage has passed its suite
does it write a COMMIT journal there and rename each staged table into `data/` (each rename is
atomic). A run killed during those renames leaves the journal behind, and the next run rolls the
publish forward before doing anything else; a staging folder without a journal is discarded. So
the published tables always come from one fully validated run, and a reader never sees a partial file.

The manifest records each published file's digest and row count, so a run can tell a damaged, missing
or swapped file from the one it published. Each publish is also kept, as copies (a file unchanged since the
previous version is a hard link to that version's copy), under `data/.versions/<run_id>/` (the last
`keep_versions`), which `rollback()` restores. Every internal path
(the lock, `.staging`, `.versions`, `validation`) must be a real file or folder inside the data folder:
a symlink there is removed (its target is never touched), and the lock is opened with O_NOFOLLOW.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import logging
import os
import shutil
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from newsflow import catalogue
from newsflow.exitcodes import ExitCode, NewsflowError, StateDamaged
from newsflow.integrity import (MANIFEST, PART_GLOB, STAGING, damaged_files, file_digest, load_manifest,
                                 published_files, table_digest, table_of)

VERSIONS = ".versions"
REPORTS = "validation"
COMMIT = "COMMIT.json"
LOCK = ".newsflow.lock"
PARTS_INDEX = "_parts.json"
"""In a staged partitioned table's folder: every part of the new table (digest, rows, staged or published)."""
KEEP_VERSIONS = 3

log = logging.getLogger("newsflow")


class RunLocked(NewsflowError):
    """Another run holds the data folder's lock."""

    exit_code = ExitCode.LOCKED


@dataclass(frozen=True)
class Workspace:
    """Where one run reads and writes: staged tables first, else the published ones (only when the run reuses them)."""

    data_dir: Path
    run_id: str
    reuse: bool = True
    """False: the published tables are never read (a full refresh, or published state that failed its check)."""
    untrusted: frozenset[str] = frozenset()
    """Published tables or caches that failed their digest check: read as empty (recomputed), never trusted."""
    checked: bool = True
    """The published files were checked against the manifest at the start of the run (not on a full refresh): only
    then may a staged partition equal to a published one stay unwritten."""

    @property
    def staging(self) -> Path:
        """The run's staging folder."""
        return self.data_dir / STAGING / self.run_id

    @property
    def reports(self) -> Path:
        """Where validation results (JSON) and Data Docs (HTML) go."""
        return self.data_dir / REPORTS

    def read(self, name: str) -> pd.DataFrame:
        """Read a table as this run sees it: its staged version if written, else the published one."""
        if catalogue.exists(self.staging, name):
            parts = self._staged_parts(name)
            if parts is None:
                return catalogue.read_table(self.staging, name)
            return catalogue.read_table(self.staging, name, {
                part: (catalogue.path(self.staging if entry["staged"] else self.data_dir, name) / part, entry["digest"])
                for part, entry in parts.items()})
        return self.read_published(name)

    def read_published(self, name: str) -> pd.DataFrame:
        """Read the table as the previous good run published it (empty when this run does not reuse published state)."""
        if not self.reuse or name in self.untrusted:
            return catalogue.empty_frame(name)
        try:
            return catalogue.read_table(self.data_dir, name)
        except Exception as exc:  # noqa: BLE001 - checked at the start of the run; a change since then is damage
            raise StateDamaged(f"{catalogue.path(self.data_dir, name)} changed or became unreadable during the run "
                               f"({type(exc).__name__}: {exc}); rerun to recompute it") from exc

    def write(self, name: str, frame: pd.DataFrame) -> None:
        """Stage a table (atomic writes inside the staging folder); of a partitioned table only the parts whose bytes
        differ from the published ones are written, and its index lists every part of the new table."""
        if not catalogue.table(name).partitioned:
            catalogue.write_table(self.staging, name, frame)
            return
        published = self._published_parts(name)
        index = catalogue.write_parts(self.staging, name, catalogue.to_arrow(name, frame),
                                      {part: entry["digest"] for part, entry in published.items()})
        staged = {p for p in catalogue.part_files(self.staging, name)}
        catalogue.write_json(catalogue.path(self.staging, name) / PARTS_INDEX,
                             {"parts": {part: {**entry, "staged": part in staged} for part, entry in index.items()}})

    def _published_parts(self, name: str) -> dict[str, dict[str, Any]]:
        """Return the published parts of a table as the manifest lists them, when they may stand in for staged ones."""
        if not self.checked or name in self.untrusted:
            return {}
        parts = (read_manifest(self.data_dir).get("parts") or {}).get(name)
        return parts if isinstance(parts, dict) else {}

    def _staged_parts(self, name: str) -> dict[str, dict[str, Any]] | None:
        """Return the index of a staged partitioned table (None for a one-file table)."""
        if not catalogue.table(name).partitioned:
            return None
        index = catalogue.path(self.staging, name) / PARTS_INDEX
        try:
            return json.loads(index.read_text(encoding="utf-8"))["parts"]
        except (OSError, ValueError, KeyError) as exc:
            raise StateDamaged(f"the staged index {index} is missing or damaged ({exc})") from exc

    def staged(self) -> list[str]:
        """Names of the tables this run has staged."""
        if not self.staging.exists():
            return []
        return sorted(p.name.removesuffix(".parquet") for p in self.staging.glob("*.parquet"))

    def publish(self, manifest: dict[str, Any], keep_versions: int = KEEP_VERSIONS,
                carried: dict[str, dict[str, Any]] | None = None) -> None:
        """Journal the staged tables (with each file's digest and row count in the manifest), rename each into the
        data folder, write the manifest, then keep the version for rollback. `carried` names published tables
        this run leaves in place (with their digest and rows): listed in the manifest and kept version as they are."""
        staged = self.staged()
        carried = {name: c for name, c in (carried or {}).items() if name not in staged}
        names = sorted({*staged, *carried})
        parts = {n: c["parts"] for n, c in carried.items() if isinstance(c.get("parts"), dict)}
        digests = {n: c["digest"] for n, c in carried.items()}
        rows = {n: c["rows"] for n, c in carried.items()}
        for name in staged:
            index = self._staged_parts(name)
            if index is None:
                file = catalogue.path(self.staging, name)
                digests[name], rows[name] = file_digest(file), pq.ParquetFile(file).metadata.num_rows
                continue
            parts[name] = {part: {"digest": e["digest"], "rows": e["rows"]} for part, e in sorted(index.items())}
            digests[name], rows[name] = table_digest(parts[name]), sum(e["rows"] for e in index.values())
        manifest = {**manifest, "tables": names, "digests": digests, "rows": rows, "parts": parts}
        catalogue.write_json(self.staging / COMMIT, {"run_id": self.run_id, "tables": names, "manifest": manifest,
                                                     "keep_versions": keep_versions})
        catalogue.kill_point("publish:journaled")
        _roll_forward(self.data_dir, self.staging)

    def discard(self) -> None:
        """Remove the staging folder after a failed run; once journaled the publish is committed, so it is kept for recover()."""
        if (self.staging / COMMIT).exists():
            return  # deleting it now would leave the data folder half old, half new for good
        shutil.rmtree(self.staging, ignore_errors=True)


def internal_dir(data_dir: Path, name: str) -> Path:
    """Return data_dir/name as a real folder inside the data folder: a symlink or file in its place is removed (never
    its target), so nothing the run writes or deletes there can land outside the data folder."""
    folder = Path(data_dir) / name
    try:
        st = folder.lstat()
    except FileNotFoundError:
        return folder
    if not stat.S_ISDIR(st.st_mode):
        kind = "symlink" if stat.S_ISLNK(st.st_mode) else "file"
        log.warning("%s is a %s, not a folder: removed it (its target, if any, is left alone)", folder, kind)
        folder.unlink()
    return folder


def recover(data_dir: Path) -> list[str]:
    """Finish publishes interrupted after their journal was written; drop staging folders without one (or with a
    damaged one); remove temporary files and symlinks standing in for internal folders."""
    data_dir = Path(data_dir)
    for name in (STAGING, VERSIONS, REPORTS):
        internal_dir(data_dir, name)
    root = data_dir / STAGING
    done: list[str] = []
    if root.exists():
        for staging in sorted(root.iterdir()):
            if staging.is_symlink() or not staging.is_dir():
                staging.unlink()  # never followed: a symlink here could lead anywhere
                continue
            journal = _journal(staging)
            if journal is not None:
                _roll_forward(data_dir, staging, journal)
                done.append(staging.name)
            else:
                shutil.rmtree(staging, ignore_errors=True)
    # Temporary files of writes cut short (tables, manifest, validation reports) are never tables: remove them.
    for pattern in (".*.parquet.tmp", "*.parquet/.*.parquet.tmp", f".{MANIFEST}.*.tmp", f"{REPORTS}/.*.tmp"):
        for stray in data_dir.glob(pattern):
            stray.unlink(missing_ok=True)
    return done


def _journal(staging: Path) -> dict[str, Any] | None:
    """Return a staging folder's COMMIT journal; None when it has none or it is damaged (then the publish never
    committed as far as anyone can tell: the folder is discarded and the published files are checked by digest)."""
    path = staging / COMMIT
    if not path.exists():
        return None
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("damaged publish journal %s (%s): discarding that staging folder", path, exc)
        return None
    if (not isinstance(journal, dict) or not isinstance(journal.get("tables"), list)
            or not all(isinstance(t, str) and t in catalogue.TABLES | catalogue.INTERNAL | catalogue.CACHES for t in journal["tables"])
            or not isinstance(journal.get("manifest"), dict)):
        log.warning("damaged publish journal %s (not a journal newsflow wrote): discarding that staging folder", path)
        return None
    return journal


def _roll_forward(data_dir: Path, staging: Path, journal: dict[str, Any] | None = None) -> None:
    journal = journal if journal is not None else _journal(staging)
    if journal is None:
        raise StateDamaged(f"the publish journal {staging / COMMIT} is damaged")
    parts = journal["manifest"].get("parts") if isinstance(journal["manifest"].get("parts"), dict) else {}
    for name in journal["tables"]:
        src = catalogue.path(staging, name)
        if isinstance(parts.get(name), dict):
            _roll_parts_forward(src, catalogue.path(data_dir, name), set(parts[name]))
        elif os.path.lexists(src) and not src.is_symlink() and src.is_file():
            dst = catalogue.path(data_dir, name)
            if dst.is_dir() and not dst.is_symlink():
                shutil.rmtree(dst)  # a partitioned table rolled back to a one-file version
            os.replace(src, dst)
            catalogue.kill_point("publish:renamed")
    # Renaming the manifest into place also makes the table renames before it durable (folder fsync).
    catalogue.write_json(data_dir / MANIFEST, journal["manifest"])
    catalogue.kill_point("publish:manifest")
    _keep_version(data_dir, journal)
    shutil.rmtree(staging, ignore_errors=True)


def _roll_parts_forward(src: Path, dst: Path, keep: set[str]) -> None:
    """Move a staged partitioned table's part files into the published folder, then remove the published parts the
    new table does not have (a partition whose last document went). Repeatable: a part already moved is not in the
    staging folder any more, and removing is idempotent."""
    if dst.is_symlink() or (dst.exists() and not dst.is_dir()):
        dst.unlink()  # a table of the one-file layout: the new table's parts are all staged (no published parts)
    dst.mkdir(exist_ok=True)
    if src.is_dir() and not src.is_symlink():
        for part in sorted(src.glob(PART_GLOB)):
            if part.name in keep and not part.is_symlink():
                os.replace(part, dst / part.name)
                catalogue.kill_point("publish:renamed")
    for stale in dst.glob(PART_GLOB):
        if stale.name not in keep:
            stale.unlink()
            catalogue.kill_point("publish:removed")
    catalogue.fsync_dir(dst)


def _keep_version(data_dir: Path, journal: dict[str, Any]) -> None:
    """Copy the files just published to .versions/<run_id>/ and keep the newest keep_versions. Copies, not links to
    the data folder's files: damage written in place there (a truncation, a flipped bit) must not reach the kept
    version. A file identical to the previous version's (same digest) is a hard link to that kept copy instead."""
    manifest = journal["manifest"]
    run_id = str(manifest.get("run_id") or journal.get("run_id") or "")
    keep = journal.get("keep_versions", KEEP_VERSIONS)
    if not run_id or "/" in run_id or run_id.startswith(".") or not isinstance(keep, int) or keep < 1:
        return
    root = internal_dir(data_dir, VERSIONS)
    root.mkdir(exist_ok=True)
    final = root / run_id
    if not final.exists():
        kept = versions(data_dir)
        previous = root / kept[-1] if kept else None
        before = published_files(load_manifest(previous) or {}) if previous is not None else {}
        tmp = root / f".{run_id}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        for rel, digest in published_files(manifest).items():
            src, dst = data_dir / rel, tmp / rel
            dst.parent.mkdir(exist_ok=True)
            same = previous is not None and digest is not None and before.get(rel) == digest
            if same and (previous / rel).is_file():
                _link_or_copy(previous / rel, dst)
            elif src.is_file():
                shutil.copyfile(src, dst, follow_symlinks=False)
        catalogue.write_json(tmp / MANIFEST, manifest)
        os.replace(tmp, final)
    for old in versions(data_dir)[:-keep]:
        shutil.rmtree(root / old, ignore_errors=True)


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:  # a file system without hard links: a copy costs space, not correctness
        shutil.copy2(src, dst, follow_symlinks=False)


def versions(data_dir: Path) -> list[str]:
    """Run ids of the kept published versions, oldest first."""
    root = Path(data_dir) / VERSIONS
    if root.is_symlink() or not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if not p.name.startswith(".") and p.is_dir() and not p.is_symlink()
                  and (p / MANIFEST).is_file())


def rollback(data_dir: Path, run_id: str | None = None, keep_versions: int = KEEP_VERSIONS) -> str:
    """Publish a kept version again (run_id, else the one before the current version) through the same journaled
    publish a run uses, keeping keep_versions versions as a run does; return the run id restored. The caller holds
    the run lock."""
    data_dir = Path(data_dir)
    recover(data_dir)
    kept = versions(data_dir)
    current = read_manifest(data_dir).get("run_id")
    if run_id is None:
        older = [v for v in kept if current is None or v < str(current)]
        if not older:
            raise StateDamaged(f"no earlier version is kept in {data_dir / VERSIONS} (kept: {', '.join(kept) or 'none'})")
        run_id = older[-1]
    if run_id not in kept:
        raise StateDamaged(f"version {run_id} is not kept in {data_dir / VERSIONS} (kept: {', '.join(kept) or 'none'})")
    source = data_dir / VERSIONS / run_id
    manifest = load_manifest(source)
    if not manifest:
        raise StateDamaged(f"the kept manifest {source / MANIFEST} is missing or damaged: version {run_id} cannot be restored")
    tables = [t for t in manifest.get("tables", []) if catalogue.path(source, t).exists()]
    files = {rel: digest for rel, digest in published_files(manifest).items()
             if table_of(rel) in tables}
    for rel, digest in files.items():  # a damaged kept file must not be restored as if it were good
        if not (source / rel).is_file():
            raise StateDamaged(f"the kept file {source / rel} is missing")
        if digest is not None and file_digest(source / rel) != digest:
            raise StateDamaged(f"the kept file {source / rel} does not match its digest")
    staging = internal_dir(data_dir, STAGING) / f"rollback-{time.strftime('%Y%m%dT%H%M%S')}-{run_id}"
    staging.mkdir(parents=True)
    for rel in files:  # copies: the kept version must stay intact whatever is later done to the data folder
        (staging / rel).parent.mkdir(exist_ok=True)
        shutil.copyfile(source / rel, staging / rel)
    catalogue.write_json(staging / COMMIT, {"run_id": run_id, "tables": tables, "manifest": manifest,
                                            "keep_versions": keep_versions})
    _roll_forward(data_dir, staging)
    return run_id


def read_manifest(data_dir: Path) -> dict[str, Any]:
    """Return the manifest of the last published run; {} when there is none, and {} with a warning naming the file
    when it is damaged (then the run recomputes every document instead of trusting the published tables)."""
    manifest = load_manifest(data_dir)
    if manifest is None:
        log.warning("damaged manifest %s (not a JSON object newsflow wrote): recomputing every document from the "
                    "inputs", Path(data_dir) / MANIFEST)
        return {}
    return manifest


def published_documents(data_dir: Path, manifest: dict[str, Any]) -> int:
    """Return how many documents are published (the manifest's count, else the documents file's, else 0)."""
    rows = manifest.get("rows")
    if isinstance(rows, dict) and isinstance(rows.get("documents"), int):
        return rows["documents"]
    try:
        return catalogue.count_rows(data_dir, "documents")
    except Exception:  # noqa: BLE001 - missing or unreadable: nothing to guard
        return 0


def read_runs(data_dir: Path) -> pd.DataFrame:
    """Read the runs log; a damaged one is set aside as runs.parquet.damaged-<time> (named in a warning) and a new
    log begins, so one bad file never fails every later run."""
    try:
        return catalogue.read_table(data_dir, "runs")
    except StateDamaged as exc:
        aside = catalogue.path(data_dir, "runs").with_name(f"runs.parquet.damaged-{time.strftime('%Y%m%dT%H%M%S')}")
        os.replace(catalogue.path(data_dir, "runs"), aside)
        log.warning("%s; set it aside as %s and started a new runs log", exc, aside.name)
        return catalogue.empty_frame("runs")


def shrink_refusal(published: int, remaining: int, max_share: float) -> str | None:
    """Return why a run leaving `remaining` of `published` documents must be refused (None when it may go on): it would
    remove every document, or more than max_share of them."""
    if published <= 0 or remaining >= published:
        return None
    removed = published - remaining
    if remaining == 0:
        why = f"it would remove all {published} published documents (is the seeds folder empty or not mounted?)"
    elif removed > max_share * published:
        why = f"it would remove {removed} of the {published} published documents (more than {max_share:.0%})"
    else:
        return None
    return f"run refused: {why}; the published tables are unchanged. If that is intended, rerun with --allow-shrink " \
           f"(flow parameter allow_shrink=true)"


def fingerprint(parts: list[tuple[str, ...]]) -> str:
    """Return a stable hash of a list of string tuples; every field is length-prefixed, so no two lists collide
    whatever characters their strings hold."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        for item in part:
            raw = item.encode("utf-8", "surrogatepass")
            digest.update(len(raw).to_bytes(8, "big"))
            digest.update(raw)
    return digest.hexdigest()


def _open_lock(lock_path: Path) -> int:
    """Open the lock file without following a symlink (a symlink in its place is replaced, its target never written);
    a hard-linked lock file is locked as it is, never replaced, so a run holding it keeps excluding every other."""
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    for _ in range(3):
        try:
            fd = os.open(lock_path, flags, 0o644)
        except OSError as exc:
            if exc.errno != errno.ELOOP:
                raise
            # A symlink cannot be what a running holder locked (it holds the inode that stood there), so replacing
            # it keeps the exclusion.
            log.warning("%s is a symlink: replaced by a lock file (its target is left alone)", lock_path)
            lock_path.unlink(missing_ok=True)
            continue
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise StateDamaged(f"{lock_path} is not a regular file: remove it")
        return fd
    raise StateDamaged(f"cannot create the lock file {lock_path}: something keeps replacing it")


@contextmanager
def run_lock(data_dir: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the data folder's exclusive lock; wait up to wait_seconds, then raise RunLocked naming the holder."""
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    lock_path = Path(data_dir) / LOCK
    fh = os.fdopen(_open_lock(lock_path), "r+", encoding="utf-8")
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
                    holder = fh.read(200).strip() or "unknown"
                    raise RunLocked(f"another newsflow run holds {lock_path} ({holder}); try again when it ends") from None
                time.sleep(0.2)
        # The holder's note is written only to a lock file of one name: another name (a hard-linked backup, say)
        # is never written through.
        if os.fstat(fh.fileno()).st_nlink == 1:
            fh.seek(0)
            fh.truncate()
            fh.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%dT%H:%M:%S')}")
            fh.flush()
        yield
    finally:
        fh.close()
