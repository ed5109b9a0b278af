"""Which engine runs the per-partition steps: this process (the default), a local Dask cluster, or an existing one.

`newsflow run --workers N` starts a local Dask cluster of N single-threaded worker processes for the run;
`--dask-address tcp://HOST:PORT` (or NEWSFLOW_DASK_ADDRESS, read by the CLI: newsflow/settings.py) sends the steps to a cluster already running, whose
workers must see the seeds and data folders at the same paths and have newsflow installed. Without either the run
stays in one process and Dask is not imported. The tables are the same bytes whatever the engine.

Served runs (`newsflow serve --workers N` or `--dask-address`) are started by Prefect's runner in a process of their
own that imports the flow from its module: the serving process passes its engine to them in the environment
(NEWSFLOW_WORKERS, NEWSFLOW_DASK_ADDRESS) and the flow's default task runner is `served_engine()`'s.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from newsflow.settings import DASK_ADDRESS_ENV, MAX_WORKERS, WORKERS_ENV


@dataclass(frozen=True)
class Engine:
    """Where the per-partition steps run: workers > 0 starts a local cluster; an address uses an existing one."""

    workers: int = 0
    dask_address: str | None = None
    cluster_options: dict[str, Any] = field(default_factory=dict)  # extra distributed.LocalCluster arguments

    def __post_init__(self) -> None:
        if self.workers < 0:
            raise ValueError(f"workers must not be negative, got {self.workers}")

    @property
    def uses_dask(self) -> bool:
        """Tell whether this engine runs the steps on Dask."""
        return self.workers > 0 or bool(self.dask_address)

    def describe(self) -> str:
        """Return a few words naming the engine, for the run's log."""
        if self.dask_address:
            return f"the Dask cluster at {self.dask_address}"
        return f"a local Dask cluster of {self.workers} worker process(es)" if self.workers else "this process"


def served_engine(environ: Mapping[str, str] | None = None) -> Engine:
    """Return the engine named by NEWSFLOW_WORKERS / NEWSFLOW_DASK_ADDRESS in the environment (this process when
    neither is set); raise ValueError on a value that is not a worker count from 0 to MAX_WORKERS."""
    env = os.environ if environ is None else environ
    raw = env.get(WORKERS_ENV, "").strip()
    try:
        workers = int(raw) if raw else 0
    except ValueError:
        raise ValueError(f"{WORKERS_ENV}={raw!r} is not a number of worker processes") from None
    if not 0 <= workers <= MAX_WORKERS:
        raise ValueError(f"{WORKERS_ENV}={workers} must be from 0 (no Dask) to {MAX_WORKERS}")
    return Engine(workers, env.get(DASK_ADDRESS_ENV, "").strip() or None)


def served_environment(chosen: Engine) -> dict[str, str]:
    """Return the environment variables that make served runs use `chosen` (served_engine reads them back)."""
    return {WORKERS_ENV: str(chosen.workers), DASK_ADDRESS_ENV: chosen.dask_address or ""}


def task_runner(chosen: Engine) -> TaskRunner:
    """Return the Prefect task runner of an engine (one thread in this process when it is not Dask: the
    partitions run one after another, as a single call would)."""
    if not chosen.uses_dask:
        return ThreadPoolTaskRunner(max_workers=1)
    from flows.dask_runner import NewsflowDaskTaskRunner, local_cluster_options

    if chosen.dask_address:
        return NewsflowDaskTaskRunner(address=chosen.dask_address)
    return NewsflowDaskTaskRunner(cluster_kwargs={**local_cluster_options(chosen.workers), **chosen.cluster_options})


@contextmanager
def api_for_workers(chosen: Engine) -> Iterator[None]:
    """Give the engine's worker processes the run's Prefect API. A run without PREFECT_API_URL talks to a
    temporary server only this process knows of; a worker would start one of its own (seconds of CPU each, over
    the same database), so the temporary server is started here and named to every task run's settings."""
    from prefect.settings import PREFECT_API_URL, get_current_settings, temporary_settings

    if not chosen.uses_dask or get_current_settings().api.url:
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # the one this process's Prefect client would start for the flow run
    server.start(timeout=get_current_settings().server.ephemeral.startup_timeout_seconds)
    with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
        yield
