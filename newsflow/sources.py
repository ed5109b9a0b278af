"""Listing and reading the seeds folder: every regular file becomes an input, symlinks never lead outside."""

from __future__ import annotations

import errno
import fcntl
import os
import stat
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from transforms import ingest

# Linux file leases: a read lease is refused (EAGAIN) while any process has the file open for writing.
_F_SETLEASE = getattr(fcntl, "F_SETLEASE", 1024)


@dataclass(frozen=True)
class SeedFile:
    """One entry of the seeds folder: its relative name and, when it cannot be read, why."""

    source_file: str
    path: Path
    size_bytes: int | None
    rejection: ingest.Rejection | None = None
    mtime_ns: int | None = None
    inode: tuple[int, int] | None = None
    """(device, inode) of a regular file, to count its hard links inside the seeds folder."""
    n_links: int = 1


@dataclass(frozen=True)
class SeedRead:
    """A seed file's bytes (None when unreadable) and the rejection, if any."""

    seed: SeedFile
    data: bytes | None
    rejection: ingest.Rejection | None


def scan(seeds_dir: Path, config: ingest.IngestConfig = ingest.IngestConfig()) -> list[SeedFile]:
    """List every file under the seeds folder, sorted by relative name; pre-reject what must not be read."""
    root = Path(seeds_dir).resolve()
    found: list[SeedFile] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        linked = [d for d in dirs if not is_hidden(d) and (Path(folder) / d).is_symlink()]
        dirs[:] = sorted(d for d in dirs if not is_hidden(d) and d not in linked)
        if dirs and len(Path(folder).relative_to(root).parts) >= config.max_depth:
            # os.walk recurses: a folder nested 1,000 deep must be a reject, not a RecursionError for the whole run.
            found.extend(_too_deep(root, Path(folder) / d, config) for d in dirs)
            dirs[:] = []
        # A symlinked folder is never walked, but it is reported: no input vanishes silently.
        found.extend(_linked_folder(root, Path(folder) / d) for d in linked)
        for name in sorted(files):
            if is_hidden(name) or is_editor_temp(name):
                continue
            full = Path(folder) / name
            found.append(_describe(root, full, config))
    found.sort(key=lambda s: s.source_file)
    found = _reject_outside_hard_links(found)
    if len(found) > config.max_files:
        over = [
            SeedFile(s.source_file, s.path, s.size_bytes,
                     ingest.Rejection(ingest.TOO_MANY_FILES, f"more than {config.max_files} files in the seeds folder"))
            for s in found[config.max_files:]
        ]
        found = found[: config.max_files] + over
    return found


def _too_deep(root: Path, full: Path, config: ingest.IngestConfig) -> SeedFile:
    rel = _display_name(full.relative_to(root).as_posix())
    return SeedFile(rel, full, None, ingest.Rejection(
        ingest.UNREADABLE, f"folder nested deeper than {config.max_depth} levels is not walked (move its files up)"))


def _reject_outside_hard_links(found: list[SeedFile]) -> list[SeedFile]:
    """A file with more hard links than the seeds folder holds is also reachable from outside it: rejected like a
    symlink leading outside (its other name may be anywhere, a root-only file included)."""
    inside = Counter(s.inode for s in found if s.inode is not None)
    return [replace(s, rejection=ingest.Rejection(
                ingest.SYMLINK_OUTSIDE, f"hard link: {s.n_links} names, {inside[s.inode]} of them in the seeds folder"))
            if s.rejection is None and s.inode is not None and s.n_links > inside[s.inode] else s
            for s in found]


def _linked_folder(root: Path, full: Path) -> SeedFile:
    rel = _display_name(full.relative_to(root).as_posix())
    target = full.resolve()
    if not target.is_relative_to(root):
        return SeedFile(rel, full, None, ingest.Rejection(ingest.SYMLINK_OUTSIDE, f"symlinked folder leads outside the seeds folder to {target}"))
    return SeedFile(rel, full, None, ingest.Rejection(ingest.UNREADABLE, "symlinked folder is not followed (its files are read where they live)"))


def _display_name(rel: str) -> str:
    """Return the name as valid UTF-8: undecodable bytes of a file name are shown as \\xNN escapes."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _describe(root: Path, full: Path, config: ingest.IngestConfig) -> SeedFile:
    rel = full.relative_to(root).as_posix()
    if _display_name(rel) != rel:
        return SeedFile(_display_name(rel), full, None,
                        ingest.Rejection(ingest.UNREADABLE, "file name is not valid UTF-8: rename the file"))
    if full.is_symlink():
        try:
            target = full.resolve(strict=True)
        except (OSError, RuntimeError):
            return SeedFile(rel, full, None, ingest.Rejection(ingest.UNREADABLE, "broken symlink"))
        if not target.is_relative_to(root):
            return SeedFile(rel, full, None, ingest.Rejection(ingest.SYMLINK_OUTSIDE, f"symlink leads outside the seeds folder to {target}"))
    try:
        st = full.stat()
    except OSError as exc:
        return SeedFile(rel, full, None, ingest.Rejection(ingest.UNREADABLE, f"cannot stat: {exc.strerror}"))
    if not full.is_file():
        return SeedFile(rel, full, None, ingest.Rejection(ingest.UNREADABLE, "not a regular file"))
    rejection = ingest.check_extension(rel, config)
    if rejection is None and st.st_size > config.max_bytes:
        rejection = ingest.Rejection(ingest.TOO_LARGE, f"{st.st_size} bytes > limit {config.max_bytes}")
    return SeedFile(rel, full, st.st_size, rejection, st.st_mtime_ns, (st.st_dev, st.st_ino), st.st_nlink)


def read(seed: SeedFile, config: ingest.IngestConfig = ingest.IngestConfig()) -> SeedRead:
    """Read a seed file's bytes, never more than the size limit; a vanished or unreadable file is a rejection."""
    if seed.rejection is not None:
        return SeedRead(seed, None, seed.rejection)
    try:
        target = _checked_target(seed)
        if isinstance(target, ingest.Rejection):
            return SeedRead(seed, None, target)
        # O_NOFOLLOW: a file swapped for a symlink since the scan is not followed; O_NONBLOCK: a FIFO never hangs the run.
        fd = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            opened = os.fstat(fh.fileno())
            if not stat.S_ISREG(opened.st_mode):
                return SeedRead(seed, None, ingest.Rejection(ingest.UNREADABLE, "not a regular file"))
            if seed.inode is not None and opened.st_nlink > max(seed.n_links, 1):
                return SeedRead(seed, None, ingest.Rejection(
                    ingest.SYMLINK_OUTSIDE, f"hard link: {opened.st_nlink} names since the listing"))
            if _open_for_writing(fh.fileno()):
                return SeedRead(seed, None, ingest.Rejection(
                    ingest.CHANGED_WHILE_READ, "another process has the file open for writing (a copy still in "
                                               "progress?); it is read again on the next run"))
            data = fh.read(config.max_bytes + 1)
            after = os.fstat(fh.fileno())
    except OSError as exc:
        return SeedRead(seed, None, ingest.Rejection(ingest.UNREADABLE, f"cannot read: {exc.strerror or exc}"))
    if len(data) > config.max_bytes:
        return SeedRead(seed, data, ingest.Rejection(ingest.TOO_LARGE, f"more than {config.max_bytes} bytes"))
    if _changed_since_scan(seed, after, len(data)):
        # A writer is still at work (a scheduled or manual run can start mid-copy): never take half a file.
        # The finished write changes the file's size or time, so the next run reads it again.
        return SeedRead(seed, None, ingest.Rejection(
            ingest.CHANGED_WHILE_READ, "the file changed while it was being read (still being written?); "
                                       "it is read again on the next run"))
    return SeedRead(seed, data, None)


def _open_for_writing(fd: int) -> bool:
    """Tell whether another process holds the file open for writing (a copy that stalls keeps its size and time for
    seconds, so only this tells it from a finished file). Linux read leases answer it; where leases are not allowed
    (not the file's owner, another system) the size and time checks remain."""
    try:
        fcntl.fcntl(fd, _F_SETLEASE, fcntl.F_RDLCK)
    except OSError as exc:
        return exc.errno == errno.EAGAIN
    fcntl.fcntl(fd, _F_SETLEASE, fcntl.F_UNLCK)
    return False


def _changed_since_scan(seed: SeedFile, after: os.stat_result, n_read: int) -> bool:
    """Tell whether a file's size or modification time moved between the scan and the end of its read (the scan's
    stat follows a symlink, as the read does)."""
    if seed.size_bytes is None or seed.mtime_ns is None:
        return after.st_size != n_read
    return after.st_size != seed.size_bytes or after.st_mtime_ns != seed.mtime_ns or n_read != after.st_size


def _checked_target(seed: SeedFile) -> Path | ingest.Rejection:
    """Return the path to open: a symlink is resolved again and must still lead inside the seeds folder."""
    if not seed.path.is_symlink():
        return seed.path
    root = seed.path.parents[len(Path(seed.source_file).parts) - 1].resolve()
    try:
        target = seed.path.resolve(strict=True)
    except RuntimeError as exc:  # a symlink loop created since the scan
        return ingest.Rejection(ingest.UNREADABLE, f"cannot resolve symlink: {exc}")
    if not target.is_relative_to(root):
        return ingest.Rejection(ingest.SYMLINK_OUTSIDE, f"symlink leads outside the seeds folder to {target}")
    return target


def is_hidden(name: str) -> bool:
    """Tell whether a file or folder name is hidden (never an input)."""
    return name.startswith(".")


def is_editor_temp(name: str) -> bool:
    """Editor swap/backup files and partial downloads are not inputs (they are replaced by the real file)."""
    return name.endswith(("~", ".swp", ".swx", ".tmp", ".part", ".crdownload")) or name.startswith("#")
