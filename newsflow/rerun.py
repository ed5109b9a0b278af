"""Which stages a run must redo when settings change: per-stage keys in the manifest, and the tables a kept stage carries.

Each stage's settings have their own key (PipelineConfig.stage_keys), recorded in the manifest of every publish.
A change to ingest or clean settings recomputes every document; a change to deduplicate reruns it and the
stages that read its output (claims keep their per-document extraction and are regrouped, document summaries
are kept, stories whose members changed are summarised again); a change to extract_claims or summarise reruns
that stage alone. When the seeds are unchanged, the stages that need not run keep their published tables as
they are (byte for byte, not rewritten). No Prefect, GX or table I/O here: tested on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from newsflow import catalogue
from newsflow.config import PARAMETER_STAGE
from newsflow.progress import STAGES

# What each stage reads from the one before it (its output is stale when one of these reran).
READS: dict[str, tuple[str, ...]] = {"ingest": (), "clean": ("ingest",), "deduplicate": ("clean",),
                                     "extract_claims": ("deduplicate",), "summarise": ("deduplicate",)}
# The tables (and caches) each stage stages, from the catalogue, which names every table's one producer
# (Table.stage); `documents` is assembled by deduplicate from clean's `_clean_documents`.
WRITES: dict[str, tuple[str, ...]] = {
    stage: tuple(name for name, t in {**catalogue.TABLES, **catalogue.INTERNAL, **catalogue.CACHES}.items()
                 if t.stage == stage)
    for stage in STAGES
}
# Recomputing every document: these stages' settings change what every later stage reads per document.
WHOLE_RUN = frozenset({"ingest", "clean"})


def changed_stages(manifest: Mapping[str, Any], keys: Mapping[str, str], config_hash: str) -> frozenset[str]:
    """Return the stages whose settings differ from those of the published tables (every stage when unknown)."""
    published = manifest.get("stages")
    if isinstance(published, dict):
        return frozenset(s for s in STAGES if published.get(s) != keys.get(s))
    if manifest.get("config") == config_hash:  # published before per-stage keys: the whole config still matches
        return frozenset()
    return frozenset(STAGES) if manifest else frozenset()


def must_run(changed: frozenset[str]) -> frozenset[str]:
    """Return the stages to run when the seeds are unchanged but these stages' settings changed: each changed
    stage and every stage reading its output."""
    out = set(changed)
    for stage in STAGES:  # in pipeline order, so a stage sees its readers' decisions
        if any(upstream in out for upstream in READS[stage]):
            out.add(stage)
    return frozenset(out | {"ingest"})


def explain(changed: frozenset[str], before: Mapping[str, Any] | None, now: Mapping[str, Any]) -> str | None:
    """Return one line naming the changed parameters and what they rerun (None when no stage changed)."""
    if not changed:
        return None
    before = before if isinstance(before, Mapping) else {}
    named = [f"{p} {before.get(p, '?')} → {now.get(p)} ({stage})" for p, stage in PARAMETER_STAGE.items()
             if stage in changed and p in now and before.get(p) != now.get(p)]
    what = ", ".join(named) if named else "the " + ", ".join(s for s in STAGES if s in changed) + " settings or code"
    if changed & WHOLE_RUN:
        return f"settings changed since the last run: {what}: every stage is recomputed"
    rerun = [s for s in STAGES if s in must_run(changed) and s != "ingest" and (s != "clean" or s in changed)]
    kept = [s for s in STAGES if s not in must_run(changed)]
    note = f"; {', '.join(kept)} keep their tables" if kept else ""
    return f"settings changed since the last run: {what}: reruns {', '.join(rerun)}{note}"


def carried(manifest: Mapping[str, Any], kept: frozenset[str], staged: list[str]) -> dict[str, dict[str, Any]]:
    """Return digest and row count (and the parts of a partitioned one) of each published table a kept stage leaves in
    place (not staged this run)."""
    digests, rows, parts = manifest.get("digests") or {}, manifest.get("rows") or {}, manifest.get("parts") or {}
    names = {t for stage in kept for t in WRITES[stage]} - set(staged)
    return {t: {"digest": digests[t], "rows": rows.get(t), **({"parts": parts[t]} if t in parts else {})}
            for t in sorted(names) if t in (manifest.get("tables") or []) and t in digests}


def kept_counts(manifest: Mapping[str, Any], stage: str) -> dict[str, int]:
    """Return the row counts of a kept stage's published tables (caches left out)."""
    rows = manifest.get("rows") or {}
    return {t: int(rows[t]) for t in WRITES[stage] if not t.startswith("_") and isinstance(rows.get(t), int)}
