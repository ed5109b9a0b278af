"""Watch a seeds folder and report each settled burst of changes once (the serve command turns it into a Prefect event).

A burst (20 files copied at once, an editor's save-by-rename) becomes one report: the watcher waits
until no change has arrived for `quiet_seconds` and every changed file has kept the same size and
mtime for `stable_seconds`, so a file still being written is never announced. Hidden files, editor
temp files and anything under a hidden folder are ignored, the same names `newsflow.sources.scan`
skips; any other file counts (a non-.txt file still changes the rejects table).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from newsflow import sources

EVENT = "newsflow.seeds.changed"
log = logging.getLogger(__name__)



@dataclass(frozen=True)
class WatchSettings:
    """How long a burst must be quiet, and a file unchanged, before it is reported."""

    quiet_seconds: float = 1.0
    stable_seconds: float = 0.5
    max_delay_seconds: float = 30.0
    poll_seconds: float = 0.1


def resource_id(seeds_dir: Path) -> str:
    """Return the Prefect resource id of a seeds folder (stable for its resolved path)."""
    digest = hashlib.sha256(str(Path(seeds_dir).resolve()).encode()).hexdigest()[:16]
    return f"newsflow.seeds.{digest}"


def is_seed_name(relative: str) -> bool:
    """Tell whether a path relative to the seeds folder is one the pipeline reads (not hidden, not an editor temp)."""
    parts = PurePosixPath(relative).parts
    if not parts or any(sources.is_hidden(p) for p in parts):
        return False
    return not sources.is_editor_temp(parts[-1])


class SeedWatcher:
    """Calls `on_change(sorted relative paths)` once per settled burst of changes under a seeds folder."""

    def __init__(self, seeds_dir: Path, on_change: Callable[[list[str]], None],
                 settings: WatchSettings = WatchSettings()) -> None:
        self.seeds_dir = Path(seeds_dir).resolve()
        self._on_change = on_change
        self._settings = settings
        self._lock = threading.Lock()
        self._pending: set[str] = set()
        self._first_at = 0.0
        self._last_at = 0.0
        self._stop = threading.Event()
        self._observer = Observer()
        self._thread = threading.Thread(target=self._loop, name="newsflow-seed-watcher", daemon=True)

    def start(self) -> SeedWatcher:
        """Start watching (recursively) and the debounce thread."""
        self.seeds_dir.mkdir(parents=True, exist_ok=True)
        self._observer.schedule(_Handler(self), str(self.seeds_dir), recursive=True)
        self._observer.start()
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop watching; a pending burst is dropped (the scheduled run picks it up)."""
        self._stop.set()
        self._observer.stop()
        self._observer.join(timeout)
        self._thread.join(timeout)

    def __enter__(self) -> SeedWatcher:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _note(self, path: str) -> None:
        try:
            relative = Path(os.path.abspath(path)).relative_to(self.seeds_dir).as_posix()
        except ValueError:
            return
        if not is_seed_name(relative):
            return
        now = time.monotonic()
        with self._lock:
            if not self._pending:
                self._first_at = now
            self._pending.add(relative)
            self._last_at = now

    def _loop(self) -> None:
        s = self._settings
        snapshot: dict[str, tuple[int, int] | None] | None = None
        snapshot_at = 0.0
        while not self._stop.wait(s.poll_seconds):
            with self._lock:
                pending = sorted(self._pending)
                first_at, last_at = self._first_at, self._last_at
            if not pending:
                snapshot = None
                continue
            now = time.monotonic()
            if now - last_at < s.quiet_seconds and now - first_at < s.max_delay_seconds:
                snapshot = None
                continue
            current = {p: _size_and_mtime(self.seeds_dir / p) for p in pending}
            if current != snapshot:
                snapshot, snapshot_at = current, now
                continue
            if now - snapshot_at < s.stable_seconds:
                continue
            with self._lock:
                if self._last_at != last_at:  # a change arrived while checking sizes: wait for quiet again
                    continue
                self._pending.clear()
            snapshot = None
            try:
                self._on_change(pending)
            except Exception:  # a failed report must not stop the watcher; the schedule is the safety net
                log.exception("could not report seed changes %s", pending[:5])


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: SeedWatcher) -> None:
        self._watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path:
                self._watcher._note(os.fsdecode(path))


def _size_and_mtime(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None  # deleted or moved away: stable by definition
    return st.st_size, st.st_mtime_ns
