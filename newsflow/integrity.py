"""Check the published files against the digests the manifest recorded (standard library only, so the CLI's
no-change answer can use it before pandas, pyarrow or Prefect are imported)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

MANIFEST = "_manifest.json"
STAGING = ".staging"


def new_hasher() -> Any:
    """Return the hash every published file and table is digested with (BLAKE2b-128)."""
    return hashlib.blake2b(digest_size=16)


def file_digest(file: Path) -> str:
    """Return the hex digest the manifest records for a published file (BLAKE2b-128 of its bytes)."""
    with open(file, "rb") as fh:
        return hashlib.file_digest(fh, new_hasher).hexdigest()


def load_manifest(data_dir: Path) -> dict[str, Any] | None:
    """Return the manifest as a dict; {} when there is none; None when it is damaged (not a JSON object newsflow wrote)."""
    try:
        manifest = json.loads((Path(data_dir) / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("tables", []), list):
        return None
    return manifest


def damaged_files(data_dir: Path, manifest: dict[str, Any]) -> dict[str, str]:
    """Check each file the manifest lists against its digest; return {table or cache: what is wrong} for every file
    missing, swapped or damaged since it was published (every file, when the manifest has no digests)."""
    digests = manifest.get("digests")
    tables = [t for t in manifest.get("tables", []) if isinstance(t, str) and "/" not in t and not t.startswith(".")]
    if not isinstance(digests, dict):
        return {name: f"{MANIFEST} has no digest for {name}" for name in tables} or \
            ({MANIFEST: f"{MANIFEST} has no digests"} if manifest else {})
    found: dict[str, str] = {}
    for name in tables:
        path = Path(data_dir) / f"{name}.parquet"
        try:
            digest = file_digest(path)
        except FileNotFoundError:
            found[name] = f"{path} is missing"
            continue
        except OSError as exc:
            found[name] = f"{path} cannot be read ({exc.strerror or exc})"
            continue
        if digest != digests.get(name):
            found[name] = f"{path} does not match the digest it was published with (damaged or replaced)"
    return found
