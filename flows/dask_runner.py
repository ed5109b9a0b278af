"""prefect-dask's DaskTaskRunner with newsflow's worker setup: every worker loads the models once when it joins.

Imported only when a run uses Dask (flows/runners.py), so a plain run never imports Dask.
"""

from __future__ import annotations

import logging
from typing import Any

import dask
from distributed import WorkerPlugin
from prefect_dask import DaskTaskRunner

PLUGIN_NAME = "newsflow-warm-up"


def _not_the_slow_exit_notice(record: logging.LogRecord) -> bool:
    # A worker that ran Prefect tasks keeps Prefect's service threads alive at shutdown, so its nanny kills it after
    # 4 s and says so on every run; the nanny's other warnings (memory limits, restarts) still show.
    return "still alive after" not in record.getMessage()


logging.getLogger("distributed.nanny").addFilter(_not_the_slow_exit_notice)


class WarmUp(WorkerPlugin):
    """Load what the per-partition steps read once per process (flows.partition_tasks.warm_up) as a worker starts."""

    def setup(self, worker: Any) -> None:
        """Warm the worker's process up; the steps then find the models in its module-level caches."""
        from flows.partition_tasks import warm_up

        warm_up()


def local_cluster_options(workers: int) -> dict[str, Any]:
    """Return distributed.LocalCluster arguments for `workers` single-threaded worker processes (no dashboard:
    several runs on one machine would fight over its port)."""
    return {"n_workers": workers, "threads_per_worker": 1, "processes": True, "dashboard_address": None}


class NewsflowDaskTaskRunner(DaskTaskRunner):
    """A DaskTaskRunner that registers the warm-up plugin on the cluster's workers (present and future) when it
    first connects, and knows how many partitions the cluster works on at once (`parallelism`). The cluster is
    started (or connected to) only when a step is first mapped: a run with no new documents never starts one."""

    @property
    def client(self) -> Any:
        """Return the Dask client, connecting (and registering the warm-up plugin) on first use."""
        fresh = self._client is None
        # Worker processes get the config in force when a local cluster starts them. Dask's statistical profiler
        # samples every task thread's stack 100 times a second: ~10 % of a worker's CPU on these pure-Python steps.
        with dask.config.set({"distributed.worker.profile.enabled": False}):
            client = DaskTaskRunner.client.fget(self)  # type: ignore[attr-defined]
        if fresh:
            client.register_plugin(WarmUp(), name=PLUGIN_NAME)
        return client

    @property
    def parallelism(self) -> int:
        """Return the worker threads of the cluster: known up front for a local one, asked of an existing one."""
        if "n_workers" in self.cluster_kwargs:
            return int(self.cluster_kwargs["n_workers"]) * int(self.cluster_kwargs.get("threads_per_worker", 1))
        return max(1, sum(self.client.nthreads().values()))
