"""Answer a no-change `newsflow run` without starting Prefect: the seeds folder, settings and code are as the last run saw them.

Every run that ends completed or unchanged leaves `data/_fastpath.json`: a digest of the seeds folder's listing
(every entry's relative name, type, size and modification time), a key of the flow parameters and of the code
(each source file's size and modification time), and the published manifest it matched. The next `newsflow run`
compares them before importing Prefect or the transforms: when all match, it records an `unchanged` run and
stops (about a second), and anything else (a touched file, a new setting, an edited module, an interrupted
publish, a file modified within two seconds of the listing) takes the normal path, a Prefect flow run that
decides for itself. Only the standard library is imported here.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsflow.integrity import MANIFEST, STAGING, damaged_files, load_manifest, published_files
from newsflow.limits import FLOW_PARAMETERS, RACY_NS
from newsflow.progress import STAGES

FILE = "_fastpath.json"
_ROOT = Path(__file__).resolve().parent.parent
_PACKAGES = ("newsflow", "flows", "transforms", "expectations")


@dataclass(frozen=True)
class Listing:
    """A digest of everything under the seeds folder, the newest modification time in it, and when it was taken."""

    digest: str
    newest_ns: int
    taken_ns: int


def code_key() -> str:
    """Return a digest of the pipeline's code files (name, size, modification time)."""
    digest = hashlib.sha256()
    for package in _PACKAGES:
        for folder, dirs, files in os.walk(_ROOT / package):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".py", ".json")):
                    st = os.stat(os.path.join(folder, name))
                    digest.update(f"{folder}/{name}\x1f{st.st_size}\x1f{st.st_mtime_ns}\x1e".encode())
    return digest.hexdigest()


def parameters_key(parameters: Mapping[str, Any]) -> str:
    """Return a digest of the flow parameters that change the tables, and of the code."""
    chosen = {k: parameters.get(k) for k in FLOW_PARAMETERS}
    return hashlib.sha256(json.dumps([chosen, code_key()], sort_keys=True, default=str).encode()).hexdigest()


def listing(seeds: Path) -> Listing:
    """Return a digest of every entry under the seeds folder (hidden ones too): name, type, size, times, inode."""
    taken = time.time_ns()
    root = Path(seeds)
    digest = hashlib.sha256()
    newest = 0
    for folder, dirs, files in os.walk(root, followlinks=False):
        if folder.count(os.sep) - str(root).count(os.sep) >= 64:
            dirs[:] = []  # os.walk recurses: folders nested 1,000 deep would raise RecursionError (the flow rejects them)
            newest = taken  # never trusted for the no-change answer
        dirs.sort()
        for name in sorted(dirs) + sorted(files):
            full = os.path.join(folder, name)
            try:
                st = os.lstat(full)
            except OSError:
                _entry(digest, full, "gone")
                continue
            link = os.readlink(full) if os.path.islink(full) else ""
            newest = max(newest, st.st_mtime_ns)
            # ctime too: a file replaced with its old mtime kept (cp -p, rsync -t) still counts as changed.
            _entry(digest, os.path.relpath(full, root), st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns,
                   st.st_ino, link)
    return Listing(digest.hexdigest(), newest, taken)


def _entry(digest: Any, *fields: object) -> None:
    """Add one listing entry to the digest, each field length-prefixed: no file name (control characters and
    undecodable bytes included) can be read as another entry."""
    for value in fields:
        raw = str(value).encode("utf-8", "surrogateescape")
        digest.update(len(raw).to_bytes(8, "little") + raw)
    digest.update(b"\x00" * 8)


def _published_files(data_dir: Path, manifest: Mapping[str, Any]) -> dict[str, list[int] | None]:
    """Return size and modification time of the manifest and of each file it lists, every part of a partitioned table
    (None when missing)."""
    out: dict[str, list[int] | None] = {}
    for name in [MANIFEST, *published_files(dict(manifest))]:
        try:
            st = os.stat(Path(data_dir) / name)
            out[name] = [st.st_size, st.st_mtime_ns]
        except OSError:
            out[name] = None
    return out


def remember(data_dir: Path, seen: Listing, parameters: Mapping[str, Any], manifest: Mapping[str, Any]) -> None:
    """Record what a good run saw, so an identical next run can be answered without Prefect (write failures only cost time)."""
    from newsflow import catalogue

    target = Path(data_dir) / FILE
    if seen.newest_ns + RACY_NS > seen.taken_ns:
        target.unlink(missing_ok=True)  # too fresh to trust its mtimes: the next run takes the normal path
        return
    state = {"listing": seen.digest, "parameters": parameters_key(parameters),
             "run_id": manifest.get("run_id"), "inputs": manifest.get("inputs"), "files": _published_files(data_dir, manifest)}
    try:
        if target.exists() and json.loads(target.read_text(encoding="utf-8")) == state:
            return
        catalogue.write_json(target, state)
    except (OSError, ValueError):
        target.unlink(missing_ok=True)


def unchanged(seeds: Path, data_dir: Path, parameters: Mapping[str, Any]) -> bool:
    """Tell whether the last good run saw exactly this seeds folder, parameters and code (and its tables are all there)."""
    data = Path(data_dir)
    try:
        state = json.loads((data / FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    manifest = load_manifest(data)
    if not isinstance(state, dict) or not manifest:
        return False  # damaged state: the flow names and heals it
    staging = data / STAGING
    if staging.exists() and any(staging.iterdir()):
        return False  # an interrupted publish: the flow rolls it forward
    if state.get("run_id") != manifest.get("run_id") or state.get("inputs") != manifest.get("inputs"):
        return False
    if state.get("files") != _published_files(data, manifest):
        return False  # a table touched, replaced or removed since: the flow checks it
    if state.get("parameters") != parameters_key(parameters):
        return False
    if state.get("listing") != listing(seeds).digest:
        return False
    # Last, as it reads every published file: a file damaged, missing or swapped sends the run to the flow, which
    # names and heals it.
    return not damaged_files(data, manifest)


def record_unchanged(data_dir: Path, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """Append an `unchanged` row to the runs table (counts carried from the last run, no flow run) and return it."""
    from datetime import UTC, datetime

    import pandas as pd

    from newsflow import catalogue

    from newsflow.workspace import read_runs

    data = Path(data_dir)
    runs = read_runs(data)  # a damaged log is set aside (named), never a crash on every no-change run
    good = runs[runs["status"].isin(["completed", "unchanged"])]
    last = good.iloc[-1].to_dict() if len(good) else {}
    manifest = load_manifest(data) or {}
    now = datetime.now(UTC)
    row = {
        "run_id": f"{now:%Y%m%dT%H%M%S%fZ}", "started_at": now, "finished_at": datetime.now(UTC),
        "status": "unchanged", "mode": "incremental",
        "n_inputs": int(last.get("n_inputs") or 0), "n_new": 0,
        "n_documents": catalogue.count_rows(data, "documents"),
        "n_rejects": catalogue.count_rows(data, "rejects"),
        **{f"seconds_{s}": 0.0 for s in STAGES},
        "message": "no new, changed or deleted seed files: nothing to do (checked without a flow run)",
        "flow_run_id": None,
        "parameters": json.dumps(dict(parameters), sort_keys=True, default=str),
        "config_hash": manifest.get("config"),
    }
    frame = pd.DataFrame([row]) if runs.empty else pd.concat([runs, pd.DataFrame([row])], ignore_index=True)
    catalogue.write_table(data, "runs", frame)
    return row
