"""Check the published files against the digests the manifest recorded (standard library only, so the CLI's
no-change answer can use it before pandas, pyarrow or Prefect are imported)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

MANIFEST = "_manifest.json"
STAGING = ".staging"
PART_PREFIX = "part-"
PART_GLOB = f"{PART_PREFIX}*.parquet"
"""Matches every part file of a partitioned table's folder."""


def part_name(partition: int) -> str:
    """Return the file name of a partitioned table's on-disk partition, e.g. part-017.parquet."""
    return f"{PART_PREFIX}{partition:03d}.parquet"


def table_digest(parts: dict[str, Any]) -> str:
    """Return the digest the manifest records for a partitioned table: a hash of its part names and their digests."""
    h = new_hasher()
    for part in sorted(parts):
        h.update(f"{part}\x1f{parts[part]['digest']}\x1e".encode())
    return h.hexdigest()


def published_files(manifest: dict[str, Any]) -> dict[str, str | None]:
    """Return every file a manifest lists, as a path relative to the data folder -> its digest (None when unknown):
    `<table>.parquet` for a one-file table, `<table>.parquet/part-NNN.parquet` for each part of a partitioned one."""
    digests = manifest.get("digests") if isinstance(manifest.get("digests"), dict) else {}
    parts = manifest.get("parts") if isinstance(manifest.get("parts"), dict) else {}
    out: dict[str, str | None] = {}
    for name in _tables(manifest):
        listed = parts.get(name)
        if isinstance(listed, dict):
            for part, entry in sorted(listed.items()):
                if _is_part(part):
                    out[f"{name}.parquet/{part}"] = entry.get("digest") if isinstance(entry, dict) else None
        else:
            out[f"{name}.parquet"] = digests.get(name)
    return out


def table_of(rel: str) -> str:
    """Return the table a published file belongs to, from its path relative to the data folder (published_files)."""
    return rel.split("/", 1)[0].removesuffix(".parquet")


def _tables(manifest: dict[str, Any]) -> list[str]:
    return [t for t in manifest.get("tables", []) if isinstance(t, str) and "/" not in t and not t.startswith(".")]


def _is_part(part: object) -> bool:
    return isinstance(part, str) and part.startswith(PART_PREFIX) and part.endswith(".parquet") and "/" not in part


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
    """Check each file the manifest lists (every part of a partitioned table) against its digest, and that a
    partitioned table's folder holds no part it does not list; return {table or cache: what is wrong} for every
    table with a file missing, swapped, damaged or unexpected since it was published (every table, when the
    manifest has no digests)."""
    digests = manifest.get("digests")
    tables = _tables(manifest)
    if not isinstance(digests, dict):
        return {name: f"{MANIFEST} has no digest for {name}" for name in tables} or \
            ({MANIFEST: f"{MANIFEST} has no digests"} if manifest else {})
    found: dict[str, str] = {}
    listed = published_files(manifest)
    for rel, want in listed.items():
        name = table_of(rel)
        if name in found:
            continue
        path = Path(data_dir) / rel
        try:
            digest = file_digest(path)
        except FileNotFoundError:
            found[name] = f"{path} is missing"
            continue
        except OSError as exc:
            found[name] = f"{path} cannot be read ({exc.strerror or exc})"
            continue
        if digest != want:
            found[name] = f"{path} does not match the digest it was published with (damaged or replaced)"
    parts = manifest.get("parts") if isinstance(manifest.get("parts"), dict) else {}
    for name in tables:
        if name in found or not isinstance(parts.get(name), dict):
            continue
        folder = Path(data_dir) / f"{name}.parquet"
        extra = sorted(p.name for p in folder.glob(PART_GLOB) if f"{name}.parquet/{p.name}" not in listed) \
            if folder.is_dir() else []
        if extra:
            found[name] = f"{folder / extra[0]} was not published with the table (unexpected part)"
    return found
