"""Bounds of the user-editable parameters, shared by the settings file, the CLI and the flow (a light import)."""

from __future__ import annotations

# A file larger than this would not fit the memory a run is allowed.
MAX_FILE_MB_LIMIT = 64.0
MAX_SUMMARY_SENTENCES = 50
