"""The settings file: defaults for every flow parameter (and the serving options), read by `run` and `serve` alike.

Looked up in the working folder: `newsflow.toml` (top-level keys), else the `[tool.newsflow]` table of
`pyproject.toml`; `NEWSFLOW_CONFIG=path` names another file. A command-line flag overrides the file, and the
file overrides the built-in default. Only the standard library is imported: commands read it before any
heavy import.
"""

from __future__ import annotations

import dataclasses
import math
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsflow.exitcodes import InvalidParameter
from newsflow.limits import FLOW_PARAMETERS, MAX_FILE_MB_LIMIT, MAX_SUMMARY_SENTENCES, THRESHOLDS, out_of_range

ENV = "NEWSFLOW_CONFIG"
DASK_ADDRESS_ENV = "NEWSFLOW_DASK_ADDRESS"  # between the settings file and the --dask-address flag
WORKERS_ENV = "NEWSFLOW_WORKERS"  # set by `newsflow serve --workers N` for the flow runs it starts
MAX_WORKERS = 256


class SettingsError(InvalidParameter):
    """The settings file cannot be read or holds an unknown key or a value of the wrong type."""


@dataclass(frozen=True)
class Settings:
    """Defaults of the flow parameters and the serving options (None: the stage's built-in default)."""

    seeds: str = "seeds"
    data: str = "data"
    max_file_mb: float = 5.0
    near_duplicate_jaccard: float | None = None
    spun_threshold: float | None = None
    story_threshold: float | None = None
    summary_sentences: int | None = None
    wait_for_lock_seconds: float = 0.0
    port: int = 4200
    prefect_home: str = ".prefect"
    interval_minutes: float = 60.0
    quiet_seconds: float = 1.0
    workers: int = 0
    """Local Dask worker processes for the per-partition steps (0: run them in the command's own process)."""
    dask_address: str | None = None
    """An existing Dask scheduler (tcp://HOST:PORT) for the per-partition steps, instead of local workers."""
    source: str | None = None
    """The file these settings came from (None: built-in defaults only)."""

    def flow_parameters(self) -> dict[str, Any]:
        """Return every flow parameter's setting by name (None: the stage's built-in default)."""
        return {n: getattr(self, n) for n in FLOW_PARAMETERS}


_TYPES: dict[str, tuple[type, ...]] = {
    "seeds": (str,), "data": (str,), "prefect_home": (str,), "dask_address": (str,), "workers": (int,),
    "max_file_mb": (int, float), "near_duplicate_jaccard": (int, float), "spun_threshold": (int, float),
    "story_threshold": (int, float), "wait_for_lock_seconds": (int, float), "interval_minutes": (int, float),
    "quiet_seconds": (int, float), "summary_sentences": (int,), "port": (int,),
}


def settings_file(cwd: Path | None = None) -> tuple[Path, dict[str, Any]] | None:
    """Return the settings file in force and its newsflow table, or None when there is none."""
    folder = Path(cwd or Path.cwd())
    named = os.environ.get(ENV)
    if named:
        path = Path(named)
        return path, _read(path, path.name == "pyproject.toml")
    if (folder / "newsflow.toml").is_file():
        return folder / "newsflow.toml", _read(folder / "newsflow.toml", False)
    if (folder / "pyproject.toml").is_file():
        table = _read(folder / "pyproject.toml", True)
        return (folder / "pyproject.toml", table) if table else None
    return None


def _read(path: Path, in_pyproject: bool) -> dict[str, Any]:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(f"cannot read settings file {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"settings file {path} is not valid TOML: {exc}") from None
    table = doc.get("tool", {}).get("newsflow", {}) if in_pyproject else doc
    if not isinstance(table, dict):
        raise SettingsError(f"{path}: [tool.newsflow] must be a table")
    return table


def load(cwd: Path | None = None) -> Settings:
    """Return the settings: built-in defaults overridden by the settings file's keys (checked by name and type)."""
    found = settings_file(cwd)
    if found is None:
        return Settings()
    path, table = found
    known = {f.name for f in dataclasses.fields(Settings)} - {"source"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise SettingsError(f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    for key, value in table.items():
        if isinstance(value, bool) or not isinstance(value, _TYPES[key]):
            raise SettingsError(f"{path}: {key} = {value!r} must be {' or '.join(t.__name__ for t in _TYPES[key])}")
    settings = dataclasses.replace(Settings(), **table, source=str(path))
    check(settings, str(path))
    return settings


def check(settings: Settings, where: str = "settings") -> None:
    """Raise SettingsError when a value is out of its range (thresholds in (0, 1], counts and sizes positive, the
    lock wait finite and not negative)."""
    for name in THRESHOLDS:
        value = getattr(settings, name)
        if value is not None and (why := out_of_range(name, value, 0.0, 1.0, low_open=True)) is not None:
            raise SettingsError(f"{where}: {why}")
    if settings.summary_sentences is not None and not 1 <= settings.summary_sentences <= MAX_SUMMARY_SENTENCES:
        raise SettingsError(f"{where}: summary_sentences = {settings.summary_sentences} must be from 1 to "
                            f"{MAX_SUMMARY_SENTENCES}")
    for name in ("max_file_mb", "interval_minutes", "quiet_seconds"):
        value = getattr(settings, name)
        if not math.isfinite(value) or value <= 0:
            raise SettingsError(f"{where}: {name} = {value} must be a positive number")
    if settings.max_file_mb > MAX_FILE_MB_LIMIT:
        raise SettingsError(f"{where}: max_file_mb = {settings.max_file_mb} is over the limit of {MAX_FILE_MB_LIMIT:g}")
    if not math.isfinite(settings.wait_for_lock_seconds) or settings.wait_for_lock_seconds < 0:
        raise SettingsError(f"{where}: wait_for_lock_seconds = {settings.wait_for_lock_seconds} must be a finite "
                            "number of seconds, not negative")
    if not 0 <= settings.workers <= MAX_WORKERS:
        raise SettingsError(f"{where}: workers = {settings.workers} must be from 0 (no Dask) to {MAX_WORKERS}")
    if settings.dask_address is not None and not settings.dask_address.strip():
        raise SettingsError(f"{where}: dask_address must be a scheduler address such as tcp://HOST:8786")
    if not 0 < settings.port < 65536:
        raise SettingsError(f"{where}: port = {settings.port} is not a TCP port")


def with_flags(settings: Settings, **flags: Any) -> Settings:
    """Return the settings with every flag given on the command line (not None) in place of the file's value."""
    given = {k: v for k, v in flags.items() if v is not None}
    out = dataclasses.replace(settings, **given)
    check(out, "command line")
    return out
