"""The newsflow Prefect flow: ingest → clean → deduplicate → extract_claims → summarise → publish.

Each task reads its inputs from the run's workspace, calls pure transforms, validates every table it
produces with its GX suite, and stages the tables. Every table has one producing stage (catalogue Table.stage):
clean stages `_clean_documents`, and deduplicate assembles `documents` from it once. Nothing is published
unless every stage passes.
Per-document work is reused for files whose content is unchanged since the last good run (newsflow/bookkeeping.py
decides what is reused); when only settings changed, the stages they do not reach keep their published tables
(newsflow/rerun.py decides which). The per-document steps run as tasks mapped over partitions
(flows/partition_tasks.py).
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import MissingContextError

from flows import partition_tasks, reporting, runners
from newsflow import bookkeeping, catalogue, fastpath, progress, rerun, sources
from newsflow.frames import isin
from newsflow.progress import STAGES
from newsflow.config import PipelineConfig, build_config
from newsflow.validation import SuiteContext, ValidationError, Validator
from newsflow.exitcodes import ShrinkRefused
from newsflow.workspace import (Workspace, damaged_files, fingerprint, published_documents, read_manifest, read_runs,
                                recover, run_lock, shrink_refusal)
from transforms import ingest as ingest_t
from transforms.claims import complete_match_keys, match_claim_groups
from transforms.dedup import deduplicate as deduplicate_t
from transforms.summarise import summarise_stories

@dataclass(frozen=True)
class RunContext:
    """Identity and clock of one run, fixed at its start (transforms never read the clock)."""

    run_id: str
    started_at: datetime
    run_date: date
    reuse: bool
    flow_run_id: str | None = None
    parameters: str | None = None
    config_hash: str | None = None
    fresh: frozenset[str] = frozenset()
    """Stages whose settings changed: they recompute all their output, reusing no row or cache of theirs."""
    kept: frozenset[str] = frozenset()
    """Stages that do not run: their published tables stay as they are (the seeds and their settings are unchanged)."""


@dataclass(frozen=True)
class StageResult:
    """What a stage did: its counts and how long it took."""

    stage: str
    seconds: float
    counts: dict[str, int]
    kept: bool = False
    """The stage did not run: its published tables were kept as they are."""


@dataclass(frozen=True)
class IngestResult:
    """Decoded new or changed files, ids of documents reused unchanged, rejects, and the input fingerprint."""

    raw: pd.DataFrame
    reused_doc_ids: frozenset[str]
    rejects: pd.DataFrame
    n_inputs: int
    input_fingerprint: str
    stage: StageResult


@dataclass
class RunSummary:
    """The outcome of a run, for the CLI and the runs table."""

    run_id: str
    status: str
    stages: list[StageResult] = field(default_factory=list)
    n_inputs: int = 0
    n_new: int = 0
    n_documents: int = 0
    n_rejects: int = 0
    message: str | None = None
    report: str | None = None


def _logger() -> logging.Logger | logging.LoggerAdapter:
    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger("newsflow")


_VALIDATORS: dict[Path, tuple[str, Validator]] = {}


def _run_validator(ws: Workspace) -> Validator | None:
    """Return this run's GX context if it has started one (an unchanged run never does)."""
    current = _VALIDATORS.get(ws.reports)
    return current[1] if current is not None and current[0] == ws.run_id else None


def _validator(ws: Workspace) -> Validator:
    # One GX context per run and report folder: GX is imported once per process, but a context kept
    # across runs would re-render every earlier run's results into the Data Docs.
    validator = _run_validator(ws)
    if validator is None:
        validator = Validator(ws.reports, run_id=ws.run_id)
        _VALIDATORS[ws.reports] = (ws.run_id, validator)
    return validator


def _build_data_docs(ws: Workspace) -> None:
    validator = _run_validator(ws)
    if validator is None:
        return
    try:
        validator.build_docs()
    except Exception as exc:  # noqa: BLE001 - the JSON results are written; HTML rendering must not fail a run
        _logger().warning("could not render the GX Data Docs under %s: %s", ws.reports, exc)


def _validate(ws: Workspace, name: str, frame: pd.DataFrame, ctx: SuiteContext) -> None:
    report = _validator(ws).validate(name, frame, ctx)
    if not report.success:
        raise ValidationError(report)


@task(name="ingest", cache_policy=NO_CACHE)
def ingest(ws: Workspace, config: PipelineConfig, run: RunContext) -> IngestResult:
    """List and read the seeds; decode new or changed files; reject what cannot be a document."""
    t0 = time.perf_counter()
    previous = ws.read_published("_clean_documents") if run.reuse else catalogue.empty_frame("_clean_documents")
    known = dict(zip(previous["source_file"], zip(previous["sha256"], previous["doc_id"])))
    stats = bookkeeping.file_stats(_cached(ws, run, "_file_stats"))
    raw_rows: list[dict[str, object]] = []
    reject_rows: list[dict[str, object]] = []
    stat_rows: list[dict[str, object]] = []
    reused: set[str] = set()
    unread = 0
    parts: list[tuple[str, ...]] = []
    checked_ns = int(run.started_at.timestamp() * 1e9)
    seeds = sources.scan(config.seeds_dir, config.ingest)
    for seed in seeds:
        sha = bookkeeping.unchanged_sha(seed, stats.get(seed.source_file), known)
        if sha is not None:  # same size and modification time as a file already read: no need to read it again
            unread += 1
            parts.append((seed.source_file, sha))
            reused.add(known[seed.source_file][1])
            stat_rows.append(stats[seed.source_file])
            continue
        got = sources.read(seed, config.ingest)
        sha = ingest_t.content_sha256(got.data) if got.data is not None else None
        parts.append((seed.source_file, sha or f"reject:{got.rejection.reason if got.rejection else ''}:{seed.size_bytes}"))
        if got.rejection is None and sha is not None and known.get(seed.source_file, (None,))[0] == sha:
            reused.add(known[seed.source_file][1])  # same bytes as a document of the last run: decodes the same
            stat_rows.append(bookkeeping.stat_row(seed, sha, checked_ns))
            continue
        decoded = ingest_t.decode(got.data or b"", config.ingest) if got.rejection is None and sha is not None else got.rejection
        if isinstance(decoded, ingest_t.Rejection):
            reject_rows.append({"source_file": seed.source_file, "sha256": sha, "size_bytes": seed.size_bytes,
                                "reason": decoded.reason, "detail": decoded.detail, "run_id": run.run_id})
            continue
        assert sha is not None
        stat_rows.append(bookkeeping.stat_row(seed, sha, checked_ns))
        raw_rows.append({"doc_id": ingest_t.document_id(seed.source_file, sha), "source_file": seed.source_file,
                         "sha256": sha, "encoding": decoded.encoding, "text": decoded.text, "size_bytes": seed.size_bytes})
    raw = pd.DataFrame(raw_rows, columns=["doc_id", "source_file", "sha256", "encoding", "text", "size_bytes"])
    rejects = pd.DataFrame(reject_rows, columns=catalogue.REJECTS.schema.names)
    ws.write("_file_stats", pd.DataFrame(stat_rows, columns=catalogue.FILE_STATS.schema.names))
    keys = config.stage_keys()
    parts.append(("config", keys["ingest"], keys["clean"]))  # later stages' settings are checked stage by stage
    stage = StageResult("ingest", time.perf_counter() - t0,
                        {"inputs": len(seeds), "new_or_changed": len(raw), "unchanged": len(reused),
                         "unchanged_not_reread": unread, "rejected": len(rejects)})
    return IngestResult(raw, frozenset(reused), rejects, len(seeds), fingerprint(parts), _logged(stage))


@task(name="clean", cache_policy=NO_CACHE)
def clean(ws: Workspace, config: PipelineConfig, run: RunContext, inputs: IngestResult) -> StageResult:
    """Clean new documents, keep unchanged ones; validate sentences/boilerplate/rejects; stage them with the cleaned
    documents (_clean_documents: deduplicate builds the public documents table from it)."""
    if "clean" in run.kept:
        return _kept_stage(ws, "clean")
    t0 = time.perf_counter()
    out = partition_tasks.clean_batch(inputs.raw, run.run_date, config.clean,
                                      on_progress=progress.counter("clean", "documents cleaned", len(inputs.raw), _logger()))
    # Per-document caps bound every later stage's memory: a document over them becomes a too_large_after_cleaning reject.
    out = dataclasses.replace(out, **ingest_t.cap_cleaned(out.documents, out.sentences, out.boilerplate, out.rejects, config.ingest))
    reused = inputs.reused_doc_ids
    old_docs = bookkeeping.rows_of(ws.read_published("_clean_documents"), reused)
    new_docs = out.documents.assign(ingested_at=pd.Timestamp(run.started_at), run_id=run.run_id)
    new_docs = new_docs.loc[:, catalogue.CLEAN_DOCUMENTS.schema.names]
    documents = _concat([old_docs, new_docs], "_clean_documents").sort_values("source_file", kind="stable")
    sentences = _concat([bookkeeping.rows_of(ws.read_published("sentences"), reused), out.sentences], "sentences")
    sentences = sentences.sort_values(["doc_id", "sentence_index"], kind="stable")
    boilerplate = _concat([bookkeeping.rows_of(ws.read_published("boilerplate"), reused), out.boilerplate], "boilerplate")
    boilerplate = boilerplate.sort_values(["doc_id", "line_no"], kind="stable")
    # A file rejected after cleaning was read whole: its size is the one ingest saw.
    sizes = pd.Series(inputs.raw["size_bytes"].to_numpy(), index=inputs.raw["source_file"].to_numpy())
    cleaned_away = out.rejects.assign(run_id=run.run_id, size_bytes=out.rejects["source_file"].map(sizes))
    rejects = _concat([inputs.rejects, cleaned_away], "rejects").sort_values("source_file", kind="stable")

    ctx = SuiteContext(run.run_date, {"documents": documents, "sentences": sentences, "rejects": rejects}, inputs.n_inputs)
    for name, frame in (("rejects", rejects), ("sentences", sentences), ("boilerplate", boilerplate)):
        _validate(ws, name, frame, ctx)
        ws.write(name, frame)
    ws.write("_clean_documents", documents)  # no suite of its own: checked as documents, which deduplicate builds
    return _logged(StageResult("clean", time.perf_counter() - t0,
                               {"documents": len(documents), "cleaned": len(out.documents), "sentences": len(sentences),
                                "boilerplate": len(boilerplate), "rejects": len(rejects)}))


@task(name="deduplicate", cache_policy=NO_CACHE)
def deduplicate(ws: Workspace, config: PipelineConfig, run: RunContext) -> StageResult:
    """Find copies and stories over the whole corpus; carry dates across copies; assemble, validate and stage the
    documents table (clean's documents with these annotations) with duplicates and stories."""
    if "deduplicate" in run.kept:
        return _kept_stage(ws, "deduplicate")
    t0 = time.perf_counter()
    documents = ws.read("_clean_documents")
    cached = _cached(ws, run, "_dedup_signatures")
    cached = bookkeeping.as_signatures(cached[isin(cached["doc_id"], documents["doc_id"])])
    todo = documents[~isin(documents["doc_id"], cached["doc_id"])]
    tally = progress.counter("deduplicate", "signatures computed", len(todo), _logger())
    signatures = pd.concat([cached, partition_tasks.signatures_batch(todo, config.dedup, on_progress=tally)],
                           ignore_index=True)
    result = deduplicate_t(documents, config.dedup, signatures=signatures)
    documents = result.documents.loc[:, catalogue.DOCUMENTS.schema.names]
    ctx = SuiteContext(run.run_date, {"documents": documents, "sentences": ws.read("sentences"),
                                      "rejects": ws.read("rejects"), "stories": result.stories})
    for name, frame in (("documents", documents), ("duplicates", result.duplicates), ("stories", result.stories)):
        _validate(ws, name, frame, ctx)
        ws.write(name, frame)
    ws.write("_dedup_signatures", signatures.sort_values("doc_id", kind="stable"))
    return _logged(StageResult("deduplicate", time.perf_counter() - t0,
                               {"duplicate_pairs": len(result.duplicates), "stories": len(result.stories),
                                "duplicate_groups": int(documents["duplicate_group"].nunique()),
                                "signatures_computed": len(todo)}))


@task(name="extract_claims", cache_policy=NO_CACHE)
def extract_claims(ws: Workspace, config: PipelineConfig, run: RunContext, reused: frozenset[str]) -> StageResult:
    """Extract claims of new documents, keep those of unchanged ones, group them across sources; validate and stage."""
    if "extract_claims" in run.kept:
        return _kept_stage(ws, "extract_claims")
    reused = frozenset() if "extract_claims" in run.fresh else reused
    t0 = time.perf_counter()
    documents, sentences = ws.read("documents"), ws.read("sentences")
    fresh = ~isin(documents["doc_id"], reused)
    tally = progress.counter("extract_claims", "documents read for claims", int(fresh.sum()), _logger())
    new_claims = partition_tasks.claims_batch(documents[fresh], sentences[isin(sentences["doc_id"], documents.loc[fresh, "doc_id"])],
                                              config.claims, on_progress=tally)
    old_claims = bookkeeping.rows_of(ws.read_published("claims"), reused)
    every = _concat([old_claims, new_claims], "claims", partial=True)
    keys = complete_match_keys(every, documents, _cached(ws, run, "_claim_keys"), config.claims)
    grouped = match_claim_groups(every, documents, config.claims, keys=keys, blocks=_cached(ws, run, "_claim_blocks"))
    claims = grouped.claims.sort_values(["doc_id", "char_start", "claim_type", "claim_id"], kind="stable")
    _validate(ws, "claims", claims, SuiteContext(run.run_date, {"documents": documents, "sentences": sentences}))
    ws.write("claims", claims)
    ws.write("_claim_keys", keys.sort_values("claim_id", kind="stable"))
    ws.write("_claim_blocks", grouped.blocks)
    return _logged(StageResult("extract_claims", time.perf_counter() - t0,
                               {"claims": len(claims), "extracted": len(new_claims),
                                "claim_groups": int(claims["claim_group_id"].nunique())}))


@task(name="summarise", cache_policy=NO_CACHE)
def summarise(ws: Workspace, config: PipelineConfig, run: RunContext, reused: frozenset[str]) -> StageResult:
    """Summarise new documents (keep unchanged ones' summaries) and every story; validate and stage."""
    if "summarise" in run.kept:
        return _kept_stage(ws, "summarise")
    reused = frozenset() if "summarise" in run.fresh else reused
    t0 = time.perf_counter()
    documents, sentences, stories = ws.read("documents"), ws.read("sentences"), ws.read("stories")
    fresh = ~isin(documents["doc_id"], reused)
    previous = ws.read_published("summaries")
    old_docs = previous[(previous["scope"] == "document") & isin(previous["scope_id"], reused)]
    # A story whose label and members (ids, duplicate groups, canonical flags) are as last run keeps its summary.
    before = bookkeeping.story_inputs(ws.read_published("documents"), ws.read_published("stories")) \
        if run.reuse and "summarise" not in run.fresh else {}
    same = {sid for sid, key in bookkeeping.story_inputs(documents, stories).items() if before.get(sid) == key}
    old_stories = previous[(previous["scope"] == "story") & isin(previous["scope_id"], same)]
    redo = stories[~isin(stories["story_id"], same)]
    redo_docs = documents[isin(documents["story_id"], redo["story_id"])]
    tally = progress.counter("summarise", "summaries written", int(fresh.sum()) + len(redo), _logger())
    new_docs = partition_tasks.summaries_batch(documents[fresh],
                                               sentences[isin(sentences["doc_id"], documents.loc[fresh, "doc_id"])],
                                               config.summarise, on_progress=tally)
    new_stories = summarise_stories(redo_docs, sentences[isin(sentences["doc_id"], redo_docs["doc_id"])], redo,
                                    config.summarise, on_progress=tally)
    summaries = _concat([old_docs, new_docs, old_stories, new_stories], "summaries").sort_values(["scope", "scope_id"], kind="stable")
    ctx = SuiteContext(run.run_date, {"documents": documents, "sentences": sentences, "stories": stories})
    _validate(ws, "summaries", summaries, ctx)
    ws.write("summaries", summaries)
    return _logged(StageResult("summarise", time.perf_counter() - t0,
                               {"summaries": len(summaries), "summarised": len(new_docs), "stories": len(stories),
                                "stories_summarised": len(new_stories)}))


def _kept_stage(ws: Workspace, stage: str) -> StageResult:
    """Return the result of a stage that keeps its published tables (its row counts, no work)."""
    return _logged(StageResult(stage, 0.0, rerun.kept_counts(read_manifest(ws.data_dir), stage), kept=True))


def _logged(result: StageResult) -> StageResult:
    """Log the stage's line of counts in its task's log (the flow run's log shows it too) and return the result."""
    _logger().info(progress.stage_line(result))
    return result


def _cached(ws: Workspace, run: RunContext, name: str) -> pd.DataFrame:
    """Return the last good run's cache (empty when not reusing, absent or unreadable, or when its stage's settings
    changed: a cache only saves time)."""
    if run.reuse and not any(name in rerun.WRITES[stage] for stage in run.fresh):
        try:
            return ws.read_published(name)
        except Exception as exc:  # noqa: BLE001 - any unreadable cache is recomputed, never fatal
            _logger().warning("ignoring unreadable cache %s (%s); recomputing it", name, exc)
    return catalogue.empty_frame(name)


def _concat(frames: list[pd.DataFrame], name: str, partial: bool = False) -> pd.DataFrame:
    """Concatenate frames of one table, dropping empty ones (keeps dtypes stable); always the table's columns."""
    columns = catalogue.table(name).schema.names
    kept = [f for f in frames if len(f)]
    if not kept:
        return catalogue.empty_frame(name) if not partial else pd.DataFrame(columns=frames[0].columns if frames else columns)
    out = pd.concat(kept, ignore_index=True)
    return out if partial else out.loc[:, columns]


# The per-partition steps run one after another in this process unless a Dask engine is chosen: by run_in_process
# for `newsflow run`, by the environment `newsflow serve` gives its runs (runners.served_engine) for served runs.
@flow(name="newsflow", log_prints=True, task_runner=runners.task_runner(runners.served_engine()))
def pipeline(
    seeds: str = "seeds",
    data: str = "data",
    full_refresh: bool = False,
    max_file_mb: float = 5.0,
    near_duplicate_jaccard: float | None = None,
    spun_threshold: float | None = None,
    story_threshold: float | None = None,
    summary_sentences: int | None = None,
    wait_for_lock_seconds: float = 0.0,
    allow_shrink: bool = False,
) -> RunSummary:
    """Run the pipeline on a seeds folder into a data folder; only a fully validated run replaces the tables.

    Args:
        seeds: Folder of plain-text articles (every file under it is an input).
        data: Folder for the Parquet tables and the validation reports.
        full_refresh: Recompute every document instead of reusing unchanged ones.
        max_file_mb: Files larger than this are rejected.
        near_duplicate_jaccard: Word-shingle Jaccard at or above which two articles are near copies (empty: stage default).
        spun_threshold: Synonym-robust score at or above which an article is a spun copy (empty: stage default).
        story_threshold: Similarity at or above which two articles belong to one story (empty: stage default).
        summary_sentences: Sentences in each article summary (empty: stage default).
        wait_for_lock_seconds: How long to wait for another run on the same data folder to finish.
        allow_shrink: Publish even when the run removes more than half of the published documents (or all of them).
    """
    config = build_config(seeds, data, max_file_mb, near_duplicate_jaccard, spun_threshold, story_threshold, summary_sentences)
    log = _logger()
    with run_lock(config.data_dir, wait_for_lock_seconds), _earlier_objects_frozen():
        recovered = recover(config.data_dir)
        if recovered:
            log.warning("finished interrupted publish of run(s) %s", ", ".join(recovered))
        started = datetime.now(UTC)
        manifest = read_manifest(config.data_dir)
        # Every published file is checked against the digest it was published with: a damaged, missing or swapped
        # table means recomputing every document from the inputs; a damaged cache is recomputed.
        damaged = {} if full_refresh else damaged_files(config.data_dir, manifest)
        for problem in damaged.values():
            log.warning("%s: recomputing it from the inputs", problem)
        config_hash = hashlib.sha256(config.stage_fingerprint().encode()).hexdigest()
        seen = fastpath.listing(config.seeds_dir)
        parameters = {"seeds": seeds, "data": data, "full_refresh": full_refresh, "max_file_mb": max_file_mb,
                      "near_duplicate_jaccard": near_duplicate_jaccard, "spun_threshold": spun_threshold,
                      "story_threshold": story_threshold, "summary_sentences": summary_sentences}
        # Settings are compared stage by stage: a stage whose settings changed reruns, with what reads its output.
        changed = frozenset() if full_refresh else rerun.changed_stages(manifest, config.stage_keys(), config_hash)
        # A folder published under another storage layout (an older newsflow) is recomputed whole, once.
        relayout = bool(manifest) and manifest.get("layout") != catalogue.LAYOUT
        if relayout and not full_refresh:
            progress.note(f"the data folder has storage layout {manifest.get('layout', 1)}, this newsflow writes "
                          f"{catalogue.LAYOUT}: every document is recomputed once", log)
        reuse = not full_refresh and not relayout and not changed & rerun.WHOLE_RUN \
            and not set(damaged) - set(catalogue.CACHES)
        if changed:
            progress.note(rerun.explain(changed, manifest.get("parameters"), parameters) or "", log)
        run = RunContext(f"{started:%Y%m%dT%H%M%S%fZ}", started, started.date(), reuse, reporting.flow_run_id(),
                         json.dumps(parameters, sort_keys=True, default=str), config_hash, fresh=changed)
        ws = Workspace(config.data_dir, run.run_id, reuse=reuse, untrusted=frozenset(damaged), checked=not full_refresh)
        published = published_documents(config.data_dir, manifest)
        summary = RunSummary(run.run_id, "failed")
        if damaged:
            summary.message = "recomputed from the inputs: " + "; ".join(damaged.values())
        try:
            inputs = ingest(ws, config, run)
            _stage_done(summary, inputs.stage)
            summary.n_inputs, summary.n_new = inputs.n_inputs, len(inputs.raw)
            _refuse_shrink(published, len(inputs.raw) + len(inputs.reused_doc_ids), config, allow_shrink)
            tables_present = all(catalogue.exists(config.data_dir, n) for n in manifest.get("tables", []))
            same_inputs = reuse and manifest.get("inputs") == inputs.input_fingerprint and tables_present and not damaged
            if same_inputs and not changed:
                summary.status = "unchanged"
                summary.message = "no new, changed or deleted seed files: nothing to do"
                ws.discard()  # nothing to publish: every table and cache stays as the last good run left it
                log.info(summary.message)
            else:
                if same_inputs:  # only settings changed: stages that need not run keep their tables as they are
                    run = dataclasses.replace(run, kept=frozenset(STAGES) - rerun.must_run(changed))
                _validator(ws)  # start GX once, before the stages, so its start-up is not billed to clean
                # Each stage waits on what it reads (wait_for), so the Prefect graph is the pipeline's.
                cleaned = _stage_done(summary, clean(ws, config, run, inputs))
                deduplicated = _stage_done(summary, deduplicate(ws, config, run, wait_for=[cleaned]))
                _stage_done(summary, extract_claims(ws, config, run, inputs.reused_doc_ids, wait_for=[deduplicated]))
                _stage_done(summary, summarise(ws, config, run, inputs.reused_doc_ids, wait_for=[deduplicated]))
                _refuse_shrink(published, len(ws.read("documents")), config, allow_shrink)
                ws.publish({"run_id": run.run_id, "layout": catalogue.LAYOUT, "inputs": inputs.input_fingerprint, "config": config_hash,
                            "stages": config.stage_keys(), "parameters": parameters},
                           keep_versions=config.keep_versions, carried=rerun.carried(manifest, run.kept, ws.staged()))
                summary.status = "completed"
            documents = catalogue.read_table(config.data_dir, "documents")
            summary.n_documents = len(documents)
            summary.n_rejects = len(catalogue.read_table(config.data_dir, "rejects"))
        except BaseException as exc:
            summary.message = str(exc)
            ws.discard()
            _record_run(ws, run, summary)
            _build_data_docs(ws)
            if isinstance(exc, Exception):
                reporting.publish_failure_artifacts(config.data_dir, summary)
            raise
        _record_run(ws, run, summary)
        _build_data_docs(ws)
        fastpath.remember(config.data_dir, seen, parameters, read_manifest(config.data_dir))
        reporting.publish_artifacts(config.data_dir, summary, config.seeds_dir)
        return summary


@contextmanager
def _earlier_objects_frozen() -> Iterator[None]:
    """Keep the objects that exist before the run (Prefect's, GX's, pandas': over 600,000 once imported) out of
    the garbage collector's scans while it runs: every full collection the run's allocations trigger walked them
    all, about 5 % of an incremental run. They are unfrozen, so collectable again, when the run ends."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def run_in_process(engine: runners.Engine | None = None, **parameters: object) -> RunSummary:
    """Run the pipeline flow in this process (as `newsflow run` does) with the given flow parameters; the
    per-partition steps run on `engine` (default: this process; see flows/runners.py).

    Prefect's flow-run heartbeat thread sleeps in one-second steps and the run waits for it to stop, which
    adds up to a second to every run; heartbeats only serve a zombie-run automation watching them. So runs
    started here send none, unless PREFECT_FLOWS_HEARTBEAT_FREQUENCY is set. Served runs (started by Prefect's
    runner, not through this function) keep them."""
    engine = engine or runners.Engine()
    if engine.uses_dask:
        _logger().info("per-partition steps run on %s", engine.describe())
    # Always the caller's engine, never the served runs' default (the environment may name one).
    flow_ = pipeline.with_options(task_runner=runners.task_runner(engine))
    with runners.api_for_workers(engine):
        if os.environ.get("PREFECT_FLOWS_HEARTBEAT_FREQUENCY"):
            return flow_(**parameters)
        from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

        with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            return flow_(**parameters)


def _refuse_shrink(published: int, remaining: int, config: PipelineConfig, allow_shrink: bool) -> None:
    """Raise ShrinkRefused when the run would remove too many published documents and the caller did not allow it."""
    refusal = shrink_refusal(published, remaining, config.max_shrink_share)
    if refusal is not None:
        if not allow_shrink:
            raise ShrinkRefused(refusal)
        _logger().warning("allowed to shrink: %s", refusal.split(";")[0].removeprefix("run refused: "))


def _stage_done(summary: RunSummary, result: StageResult) -> StageResult:
    summary.stages.append(result)
    progress.stage_finished(result)  # one line per stage for the CLI; the task logged it in the run's log
    catalogue.kill_point(f"stage:{result.stage}")  # crash tests only; inert unless NEWSFLOW_TEST_KILL_AT is set
    return result


def _record_run(ws: Workspace, run: RunContext, summary: RunSummary) -> None:
    """Append the run's row to `runs`; validated when the run has a GX context (an unchanged run stays GX-free)."""
    seconds = {s.stage: s.seconds for s in summary.stages}
    row = {
        "run_id": run.run_id, "started_at": run.started_at, "finished_at": datetime.now(UTC),
        "status": summary.status, "mode": "incremental" if run.reuse else "full",
        "n_inputs": summary.n_inputs, "n_new": summary.n_new,
        "n_documents": summary.n_documents, "n_rejects": summary.n_rejects,
        **{f"seconds_{stage}": round(seconds.get(stage, 0.0), 6) for stage in STAGES},
        "message": summary.message,
        "flow_run_id": run.flow_run_id, "parameters": run.parameters, "config_hash": run.config_hash,
    }
    runs = _concat([read_runs(ws.data_dir), pd.DataFrame([row])], "runs")
    validator = _run_validator(ws)
    if validator is not None:
        report = validator.validate("runs", runs, SuiteContext(run.run_date))
        if not report.success:  # the log of runs must never stop a run from being recorded: say so loudly
            _logger().error(report.message())
    catalogue.write_table(ws.data_dir, "runs", runs)
