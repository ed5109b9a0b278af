"""The exit codes of the `newsflow` command and the typed errors the flow raises for each of them.

The codes are defined once here; the CLI maps each error to its code, so a script can tell a bad table
from a bad argument, a busy data folder, a damaged disk and a refused shrink.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What a `newsflow` command's exit status means."""

    OK = 0
    """The run completed, or there was nothing to do."""
    VALIDATION_FAILED = 1
    """A table failed its GX suite (or the run failed for another reason): the previous tables are kept."""
    BAD_ARGUMENTS = 2
    """A bad argument or configuration (a parameter out of range, a missing seeds folder)."""
    LOCKED = 3
    """Another run holds the data folder's lock."""
    IO_ERROR = 4
    """An unreadable or unwritable folder, or damaged state that cannot be healed."""
    SHRINK_REFUSED = 5
    """The run would remove too many published documents; rerun with --allow-shrink if that is intended."""


class NewsflowError(RuntimeError):
    """An error the CLI turns into its exit code and a one-line message."""

    exit_code: ExitCode = ExitCode.VALIDATION_FAILED


class InvalidParameter(NewsflowError, ValueError):
    """A flow parameter or CLI option is out of its range (nan, inf, 0, negative, too large…)."""

    exit_code = ExitCode.BAD_ARGUMENTS


class StateDamaged(NewsflowError):
    """The data folder holds damaged state that cannot be recomputed from the inputs (or an unsafe path)."""

    exit_code = ExitCode.IO_ERROR


class ShrinkRefused(NewsflowError):
    """The run would remove more than the allowed share of the published documents."""

    exit_code = ExitCode.SHRINK_REFUSED
