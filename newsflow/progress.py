"""Progress of a run: one line per stage as it finishes, for the terminal, a pipe and the Prefect run log, and counts
within a stage as it works (documents cleaned, claims extracted, summaries written, out of N).

The flow calls `stage_finished` after each stage and `note` for a run-level remark; listeners (the CLI's printer)
get the formatted line. Within a stage the flow hands the pure transforms a `counter` callback; its counts go to
the progress listeners (the CLI's bar on a terminal) and, every quarter of a long stage, to the run log.
Only the standard library is imported here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

STAGES = ("ingest", "clean", "deduplicate", "extract_claims", "summarise")

# The counts shown on a stage's line, in order, with their short label (others stay in the artifacts).
_SHOWN: dict[str, tuple[tuple[str, str], ...]] = {
    "ingest": (("inputs", "files"), ("new_or_changed", "new/changed"), ("unchanged", "unchanged"), ("rejected", "rejected")),
    "clean": (("documents", "docs"), ("cleaned", "cleaned"), ("sentences", "sentences"), ("rejects", "rejects")),
    "deduplicate": (("duplicate_pairs", "pairs"), ("duplicate_groups", "groups"), ("stories", "stories")),
    "extract_claims": (("claims", "claims"), ("extracted", "extracted"), ("claim_groups", "claim groups")),
    "summarise": (("summaries", "summaries"), ("summarised", "summarised"), ("stories_summarised", "stories summarised")),
}


class StageLike(Protocol):
    """What a finished stage reports (flows.pipeline.StageResult)."""

    stage: str
    seconds: float
    counts: dict[str, int]


Listener = Callable[[str, "StageLike | None"], None]
ProgressListener = Callable[[str, int, int, str], None]
"""Called with (stage, done, total, unit) as a stage works."""
_listeners: list[Listener] = []
_progress_listeners: list[ProgressListener] = []
_LOGGED_FROM = 200  # a stage working on this many items or more logs its count at each quarter
_lock = threading.Lock()


def stage_label(stage: str) -> str:
    """Return the stage's place and padded name that open its lines and its bar, e.g. `[3/5] deduplicate    `."""
    index = STAGES.index(stage) + 1 if stage in STAGES else 0
    return f"[{index}/{len(STAGES)}] {stage:<15}"


def stage_line(result: StageLike) -> str:
    """Return the stage's progress line, e.g. `[3/5] deduplicate     1,204 pairs  118 stories  5.9 s`."""
    if getattr(result, "kept", False):
        counts = "  ".join(f"{int(v):,} {k}" for k, v in result.counts.items())
        return f"{stage_label(result.stage)}kept (inputs and settings unchanged)  {counts}".rstrip()
    shown = _SHOWN.get(result.stage) or tuple((k, k) for k in result.counts)
    counts = "  ".join(f"{int(result.counts[k]):,} {label}" for k, label in shown if k in result.counts)
    return f"{stage_label(result.stage)}{counts}  {result.seconds:.1f} s"


def note(line: str, log: Any | None = None) -> None:
    """Announce a run-level remark (e.g. which stages a changed setting reruns) to the listeners and the run log."""
    if not line:
        return
    if log is not None:
        log.info(line)
    for listener in _snapshot(_listeners):
        listener(line, None)


def counter(stage: str, unit: str, total: int, log: Any | None = None) -> Callable[[int], None]:
    """Return a callback a transform calls with how many more items it finished; it reports (stage, done, total,
    unit) to the progress listeners, and each quarter of a long stage to the log."""
    done = 0
    quarter = total // 4 if total >= _LOGGED_FROM else 0
    _report(stage, 0, total, unit)

    def advance(n: int = 1) -> None:
        nonlocal done
        before, done = done, done + n
        _report(stage, done, total, unit)
        if log is not None and quarter and before // quarter != done // quarter and done < total:
            log.info(f"{stage}: {done:,} of {total:,} {unit}")

    return advance


def _report(stage: str, done: int, total: int, unit: str) -> None:
    for listener in _snapshot(_progress_listeners):
        listener(stage, done, total, unit)


def _snapshot(listeners: list[Any]) -> list[Any]:
    with _lock:
        return list(listeners)


def next_stage(result: StageLike) -> str | None:
    """Return the stage after this one (None after the last)."""
    if result.stage not in STAGES or result.stage == STAGES[-1]:
        return None
    return STAGES[STAGES.index(result.stage) + 1]


def stage_finished(result: StageLike, log: Any | None = None) -> str:
    """Announce a finished stage to the listeners and the given (Prefect run) logger; return its line."""
    line = stage_line(result)
    if log is not None:
        log.info(line)
    for listener in _snapshot(_listeners):
        listener(line, result)
    return line


@contextmanager
def listening(listener: Listener, on_progress: ProgressListener | None = None) -> Iterator[None]:
    """Call listener(line, result) for each stage finished (result None for a note) and on_progress(stage, done,
    total, unit) as stages work, inside the block."""
    with _lock:
        _listeners.append(listener)
        if on_progress is not None:
            _progress_listeners.append(on_progress)
    try:
        yield
    finally:
        with _lock:
            _listeners.remove(listener)
            if on_progress is not None:
                _progress_listeners.remove(on_progress)
