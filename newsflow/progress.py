"""Progress of a run: one line per stage as it finishes, for the terminal, a pipe and the Prefect run log.

The flow calls `stage_finished` after each stage; listeners (the CLI's printer) get the formatted line.
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


Listener = Callable[[str, "StageLike"], None]
_listeners: list[Listener] = []
_lock = threading.Lock()


def stage_line(result: StageLike) -> str:
    """Return the stage's progress line, e.g. `[3/5] deduplicate     1,204 pairs  118 stories  5.9 s`."""
    index = STAGES.index(result.stage) + 1 if result.stage in STAGES else 0
    shown = _SHOWN.get(result.stage) or tuple((k, k) for k in result.counts)
    counts = "  ".join(f"{int(result.counts[k]):,} {label}" for k, label in shown if k in result.counts)
    return f"[{index}/{len(STAGES)}] {result.stage:<15}{counts}  {result.seconds:.1f} s"


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
    with _lock:
        listeners = list(_listeners)
    for listener in listeners:
        listener(line, result)
    return line


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Call listener(line, result) for each stage finished inside the block."""
    with _lock:
        _listeners.append(listener)
    try:
        yield
    finally:
        with _lock:
            _listeners.remove(listener)
