"""prefect-dask's DaskTaskRunner with newsflow's worker setup: every worker loads the models once when it joins.

Imported only when a run uses Dask (flows/runners.py), so a plain run never imports Dask.
"""

from __future__ import annotations

import logging
from typing import Any

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
    """A DaskTaskRunner that registers the warm-up plugin on the cluster's workers (present and future) and knows
    how many partitions the cluster works on at once (`parallelism`, one per worker thread)."""

    parallelism: int = 1

    def __enter__(self) -> NewsflowDaskTaskRunner:
        super().__enter__()
        self.client.register_plugin(WarmUp(), name=PLUGIN_NAME)
        threads = self.client.nthreads()
        self.parallelism = max(1, sum(threads.values()))
        return self
