"""Bounds of the user-editable parameters, shared by the settings file, the CLI and the flow (a light import)."""

from __future__ import annotations

import math

# A file larger than this would not fit the memory a run is allowed.
MAX_FILE_MB_LIMIT = 64.0
MAX_SUMMARY_SENTENCES = 50
# A file modified this close to when it was last read may change again within the same timestamp tick (the
# "racy clean" case git guards against): it is read again rather than trusted, by a run and by the no-change check.
RACY_NS = 2_000_000_000

# Similarity thresholds a user may set: each in (0, 1] (0 would put every pair of articles together).
THRESHOLDS = ("near_duplicate_jaccard", "spun_threshold", "story_threshold")
# The flow parameters that change what a run publishes (the settings file, the CLI and the no-change check share them).
FLOW_PARAMETERS = ("max_file_mb", *THRESHOLDS, "summary_sentences")


def out_of_range(name: str, value: object, low: float, high: float, low_open: bool = False) -> str | None:
    """Return why value is not a finite number in (low or [low, high], or None when it is one."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return f"{name} must be a number, not {value!r}"
    below = number <= low if low_open else number < low
    if isinstance(value, bool) or not math.isfinite(number) or below or number > high:
        return f"{name} must be a finite number in {'(' if low_open else '['}{low:g}, {high:g}], not {value!r}"
    return None
