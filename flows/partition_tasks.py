"""The per-document steps as Prefect tasks mapped over partitions of a run's documents (newsflow/partitions.py).

Each task calls one pure transform on one partition; `map_partitions` runs a step over every partition on the
flow's task runner (in this process by default, on Dask workers with `newsflow run --workers N`) and combines
the results in the batch's order, so a stage's tables are the same bytes whatever the runner and however many
partitions. This module imports no GX and no flow: a Dask worker imports it and the transforms only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any, TypeVar

import pandas as pd
from prefect import task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext, TaskRunContext

from newsflow import partitions
from transforms.claims import ClaimsConfig
from transforms.claims import extract_claims as extract_claims_t
from transforms.clean import CleanConfig, CleanOutput, clean_documents
from transforms.dedup import document_signatures
from transforms.dedup.config import DedupConfig
from transforms.summarise import SummariseConfig, summarise_documents

R = TypeVar("R")
Progress = Callable[[int], None]


@task(name="clean_partition", task_run_name="clean-{part}", cache_policy=NO_CACHE)
def clean_partition(raw: pd.DataFrame, run_date: date, config: CleanConfig, part: str) -> CleanOutput:
    """Clean one partition of decoded files (transforms.clean.clean_documents)."""
    return clean_documents(raw, run_date, config)


@task(name="signatures_partition", task_run_name="signatures-{part}", cache_policy=NO_CACHE)
def signatures_partition(documents: pd.DataFrame, config: DedupConfig, part: str) -> pd.DataFrame:
    """Dedup signatures of one partition of documents (transforms.dedup.document_signatures)."""
    return document_signatures(documents, config)


@task(name="claims_partition", task_run_name="claims-{part}", cache_policy=NO_CACHE)
def claims_partition(documents: pd.DataFrame, sentences: pd.DataFrame, config: ClaimsConfig, part: str) -> pd.DataFrame:
    """Claims of one partition of documents, before grouping across documents (transforms.claims.extract_claims)."""
    return extract_claims_t(documents, sentences, config)


@task(name="summaries_partition", task_run_name="summaries-{part}", cache_policy=NO_CACHE)
def summaries_partition(documents: pd.DataFrame, sentences: pd.DataFrame, config: SummariseConfig,
                        part: str) -> pd.DataFrame:
    """Article summaries of one partition of documents (transforms.summarise.summarise_documents)."""
    return summarise_documents(documents, sentences, config)


def clean_batch(raw: pd.DataFrame, run_date: date, config: CleanConfig, on_progress: Progress | None = None) -> CleanOutput:
    """Clean a batch partition by partition: the same frames as clean_documents(raw, run_date, config)."""
    results = map_partitions(clean_partition, raw, on_progress=on_progress, run_date=run_date, config=config)
    ids, files = raw["doc_id"].tolist(), raw["source_file"].tolist()
    return CleanOutput(documents=_combined(results, lambda r: r.documents, "doc_id", ids),
                       sentences=_combined(results, lambda r: r.sentences, "doc_id", ids),
                       boilerplate=_combined(results, lambda r: r.boilerplate, "doc_id", ids),
                       rejects=_combined(results, lambda r: r.rejects, "source_file", files))


def signatures_batch(documents: pd.DataFrame, config: DedupConfig, on_progress: Progress | None = None) -> pd.DataFrame:
    """Dedup signatures partition by partition: the same frame as document_signatures(documents, config)."""
    results = map_partitions(signatures_partition, documents, on_progress=on_progress, config=config)
    return _combined(results, lambda r: r, "doc_id", documents["doc_id"].tolist())


def claims_batch(documents: pd.DataFrame, sentences: pd.DataFrame, config: ClaimsConfig,
                 on_progress: Progress | None = None) -> pd.DataFrame:
    """Claims partition by partition: the same frame as extract_claims(documents, sentences, config)."""
    results = map_partitions(claims_partition, documents, sentences=sentences, on_progress=on_progress, config=config)
    # extract_claims orders its rows by doc_id first (then span and type): so does the batch's sorted ids.
    return _combined(results, lambda r: r, "doc_id", sorted(documents["doc_id"].astype(str).tolist()))


def summaries_batch(documents: pd.DataFrame, sentences: pd.DataFrame, config: SummariseConfig,
                    on_progress: Progress | None = None) -> pd.DataFrame:
    """Article summaries partition by partition: the same frame as summarise_documents(documents, sentences, config)."""
    results = map_partitions(summaries_partition, documents, sentences=sentences, on_progress=on_progress,
                             config=config)
    return _combined(results, lambda r: r, "scope_id", documents["doc_id"].astype(str).tolist())


def map_partitions(step: Any, documents: pd.DataFrame, *, sentences: pd.DataFrame | None = None,
                   on_progress: Progress | None = None, **constants: object) -> list[Any]:
    """Run `step` once per partition of `documents` (with their sentences when given) on the flow's task runner and
    return the results in partition order, calling on_progress with each finished partition's document count; a
    failed partition raises its error. No documents: one direct call on the empty batch (no task), so the empty
    result has the transform's own columns and types."""
    parts = partitions.plan(documents["doc_id"].tolist(), partitions.partition_count(len(documents), parallelism())
                            ) if len(documents) else []
    if not parts:
        return [step.fn(documents, *(() if sentences is None else (sentences,)), part="none", **constants)]
    doc_parts = [partitions.take(documents, p) for p in parts]
    args: list[Sequence[object]] = [doc_parts]
    if sentences is not None:
        args.append(partitions.split_by(sentences, "doc_id", doc_parts))
    advance = on_progress or (lambda n: None)
    results: list[Any] = []
    if not _in_flow():  # a transform test or a script: the same partitions, one after another, without Prefect
        for p, *call in zip(parts, *args):
            results.append(step.fn(*call, part=p.label, **constants))
            advance(len(call[0]))
        return results
    with _without_the_stage_arguments():
        futures = step.map(*args, part=[p.label for p in parts], **{k: unmapped(v) for k, v in constants.items()})
    for future, part in zip(futures, doc_parts):  # in partition order: a bar counts whole partitions as they finish
        results.append(future.result())
        advance(len(part))
    return results


def parallelism() -> int:
    """Return how many partitions the flow's task runner works on at once (1 outside a flow and in this process)."""
    context = FlowRunContext.get()
    return int(getattr(context.task_runner, "parallelism", 1)) if context is not None else 1


@contextmanager
def _without_the_stage_arguments() -> Iterator[None]:
    """Submit partitions in the calling stage task's context minus its arguments: a task runner ships the context
    with every task it sends to another process, and the stage's arguments (a whole batch of decoded files, the
    set of reused ids) would go along with each partition (27 MB per task at 12,000 documents)."""
    stage = TaskRunContext.get()
    if stage is None:
        yield
        return
    with stage.model_copy(update={"parameters": {}}):
        yield


def _in_flow() -> bool:
    return FlowRunContext.get() is not None


def _combined(results: Sequence[R], pick: Callable[[R], pd.DataFrame], key: str, order: Sequence[object]) -> pd.DataFrame:
    return partitions.combine([pick(r) for r in results], key, order)


def warm_up() -> None:
    """Load what the per-document steps read once per process (the boilerplate and check-worthiness models,
    syntok's tables), so a worker pays for it at start, not in its first task."""
    from transforms.boilerplate_model import load_model as boilerplate_model
    from transforms.claims.checkworthiness import load_model as checkworthiness_model

    boilerplate_model(str(CleanConfig().boilerplate.model_path))
    checkworthiness_model(ClaimsConfig().model_path)
    clean_documents(pd.DataFrame({"doc_id": ["warm"], "source_file": ["warm.txt"], "sha256": [""], "encoding": ["utf-8"],
                                  "text": ["Warm up. The parser's tables load once."]}), date(2000, 1, 1))
