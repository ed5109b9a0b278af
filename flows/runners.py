"""Which engine runs the per-partition steps: this process (the default), a local Dask cluster, or an existing one.

`newsflow run --workers N` starts a local Dask cluster of N single-threaded worker processes for the run;
`--dask-address tcp://HOST:PORT` (or NEWSFLOW_DASK_ADDRESS, read by the CLI: newsflow/settings.py) sends the steps to a cluster already running, whose
workers must see the seeds and data folders at the same paths and have newsflow installed. Without either the run
stays in one process and Dask is not imported. The tables are the same bytes whatever the engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

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
