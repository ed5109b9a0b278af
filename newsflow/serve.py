"""Serve the pipeline: a local Prefect server (unless PREFECT_API_URL names one), the deployment, its schedule and file trigger.

One process does it all: it starts `prefect server start` on 127.0.0.1 (SQLite under the Prefect
home, analytics off) or reuses the server PREFECT_API_URL points at, registers the `newsflow`
deployment (UI-editable parameters, an interval schedule, a trigger on the seeds folder's change
event, a concurrency limit of one run that queues the rest), watches the seeds folder and emits that
event once per settled burst of changes, and runs the deployment's flow runs until interrupted.
"""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.events import DeploymentEventTrigger, emit_event
from prefect.exceptions import TerminationSignal
from prefect.runner import Runner
from prefect.settings import PREFECT_API_URL, temporary_settings

from newsflow.config import SERVED_FOLDERS_ENV
from newsflow.exitcodes import ExitCode
from newsflow.watcher import EVENT, SeedWatcher, WatchSettings, resource_id

log = logging.getLogger(__name__)

DEPLOYMENT = "newsflow"
DEFAULT_PORT = 4200
HOST = "127.0.0.1"


class ServerError(RuntimeError):
    """The Prefect server could not be reached or started."""

    exit_code = ExitCode.BAD_ARGUMENTS


class ServerDied(ServerError):
    """The Prefect server stopped answering while serving: serving stops loudly instead of dropping every event."""

    exit_code = ExitCode.IO_ERROR


@dataclass(frozen=True)
class ServeOptions:
    """What `newsflow serve` serves: folders, schedule, server and watcher settings."""

    seeds: Path
    data: Path
    api_url: str | None = None
    """A Prefect API to use instead of starting a server (the CLI passes PREFECT_API_URL)."""
    interval_minutes: float = 60.0
    port: int = DEFAULT_PORT
    prefect_home: Path = Path(".prefect")
    poll_seconds: float = 1.0
    wait_for_lock_seconds: float = 3600.0
    watch: WatchSettings = field(default_factory=WatchSettings)
    server_startup_seconds: float = 120.0
    catch_up: bool = True
    """Start one run when serving begins: the folder may have changed while nothing watched it."""
    parameters: dict[str, Any] = field(default_factory=dict)
    """Flow parameters from the settings file (max_file_mb, thresholds); None values keep the defaults."""
    health_seconds: float = 10.0
    """How often the server's health and crashed runs are checked."""
    max_crash_retries: int = 3
    """Crashed runs in a row that are rerun; after that the schedule and the next change are left to repair."""
    workers: int = 0
    """Local Dask worker processes for each served run's per-partition steps (0: in the run's own process)."""
    dask_address: str | None = None
    """An existing Dask scheduler for the served runs' per-partition steps, instead of local workers."""

    def resolved(self) -> ServeOptions:
        """Return the options with absolute folders (flow runs and UI show absolute paths)."""
        return dataclasses.replace(self, seeds=self.seeds.resolve(), data=self.data.resolve(),
                                   prefect_home=self.prefect_home.resolve())


@dataclass
class PrefectServer:
    """A Prefect API to talk to: one this process started (process set) or one it reuses."""

    api_url: str
    process: subprocess.Popen[bytes] | None = None

    @property
    def ui_url(self) -> str:
        """The UI's address (the API URL without its /api suffix)."""
        return self.api_url.removesuffix("/").removesuffix("/api")

    def stop(self, timeout: float = 20.0) -> None:
        """Stop the server if this process started it (SIGTERM to its process group, then SIGKILL)."""
        if self.process is None or self.process.poll() is not None:
            return
        _signal_group(self.process, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            _signal_group(self.process, signal.SIGKILL)
            self.process.wait(5)


def api_healthy(api_url: str, timeout: float = 2.0) -> bool:
    """Tell whether a Prefect API answers its health check."""
    try:
        return httpx.get(f"{api_url.rstrip('/')}/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def start_server(port: int, prefect_home: Path, startup_seconds: float = 120.0) -> PrefectServer:
    """Start `prefect server start` on 127.0.0.1:port with its SQLite database under prefect_home; wait until healthy."""
    api_url = f"http://{HOST}:{port}/api"
    if _port_in_use(port):
        raise ServerError(f"port {port} on {HOST} is in use by something that is not a Prefect server; "
                          "choose another with --port")
    prefect_home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PREFECT_HOME": str(prefect_home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_SERVER_API_HOST": HOST, "PREFECT_SERVER_API_PORT": str(port)}
    env.pop("PREFECT_API_URL", None)
    log_path = prefect_home / "server.log"
    print(f"Starting a Prefect server on http://{HOST}:{port} (its log: {log_path}) …", flush=True)
    with open(log_path, "ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", HOST, "--port", str(port),
             "--analytics-off"],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, start_new_session=True,
        )
    server = PrefectServer(api_url, process)
    deadline = time.monotonic() + startup_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"prefect server exited with code {process.returncode}; see {log_path}")
        if api_healthy(api_url, timeout=1.0):
            return server
        time.sleep(0.5)
    server.stop()
    raise ServerError(f"prefect server not healthy after {startup_seconds:.0f} s; see {log_path}")


def ensure_server(api_url: str | None, port: int, prefect_home: Path, startup_seconds: float = 120.0) -> PrefectServer:
    """Use the given API (it must answer), else a server already on 127.0.0.1:port, else start one there."""
    if api_url:
        if not api_healthy(api_url):
            raise ServerError(f"PREFECT_API_URL={api_url} does not answer; start that server or unset the variable")
        return PrefectServer(api_url)
    local = f"http://{HOST}:{port}/api"
    if api_healthy(local):
        return PrefectServer(local)
    return start_server(port, prefect_home, startup_seconds)


def default_parameters(opts: ServeOptions) -> dict[str, Any]:
    """The deployment's parameters as the UI shows them: folders and each stage's main thresholds, filled in."""
    from newsflow.config import build_config

    chosen = {k: v for k, v in opts.parameters.items() if v is not None}
    config = build_config(opts.seeds, opts.data, **chosen)  # InvalidParameter: a bad setting, or data inside seeds
    return {
        "seeds": str(opts.seeds),
        "data": str(opts.data),
        "full_refresh": False,
        "allow_shrink": False,
        "max_file_mb": round(config.ingest.max_bytes / (1024 * 1024), 3),
        "near_duplicate_jaccard": config.dedup.near_threshold,
        "spun_threshold": config.dedup.spun_threshold,
        "story_threshold": config.dedup.story_threshold,
        "summary_sentences": config.summarise.target_sentences,
        "wait_for_lock_seconds": opts.wait_for_lock_seconds,
    }


def build_deployment(opts: ServeOptions) -> RunnerDeployment:
    """Return the `newsflow` deployment: interval schedule, seeds-change trigger, one run at a time (others queue)."""
    from flows.pipeline import pipeline

    trigger = DeploymentEventTrigger(
        name="seeds folder changed",
        expect={EVENT},
        match={"prefect.resource.id": resource_id(opts.seeds)},
    )
    return pipeline.to_deployment(
        name=DEPLOYMENT,
        interval=timedelta(minutes=opts.interval_minutes),
        triggers=[trigger],
        parameters=default_parameters(opts),
        concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE),
        description=f"Incremental newsflow run: {opts.seeds} → {opts.data}. Runs every "
                    f"{opts.interval_minutes:g} min and when files in the seeds folder change.",
        tags=["newsflow"],
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def emit_seeds_changed(seeds: Path, files: list[str]) -> None:
    """Emit the event the deployment's trigger waits for, naming (up to 50 of) the changed files."""
    emit_event(
        event=EVENT,
        resource={"prefect.resource.id": resource_id(seeds), "prefect.resource.name": str(seeds)},
        payload={"n_files": len(files), "files": files[:50]},
    )
    log.info("seeds changed (%d files): %s", len(files), ", ".join(files[:5]))


@contextmanager
def prefect_api(opts: ServeOptions) -> Iterator[PrefectServer]:
    """Hold a reachable Prefect API for the block (PREFECT_API_URL set for this process and its flow runs)."""
    server = ensure_server(opts.api_url, opts.port, opts.prefect_home, opts.server_startup_seconds)
    previous = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
            yield server
    finally:
        if previous is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = previous
        server.stop()


def serve(opts: ServeOptions) -> None:
    """Serve the deployment with its schedule, trigger and seeds watcher until interrupted; stop what was started."""
    opts = opts.resolved()
    default_parameters(opts)  # refuse bad settings (a data folder inside the seeds folder) before starting anything
    opts.seeds.mkdir(parents=True, exist_ok=True)
    opts.data.mkdir(parents=True, exist_ok=True)
    # Flow runs inherit this: a run started through the API with other folders is refused (newsflow/config.py).
    os.environ[SERVED_FOLDERS_ENV] = json.dumps({"seeds": str(opts.seeds), "data": str(opts.data)})
    # Served runs import the flow in processes of their own: the environment is how they learn their engine.
    from flows.runners import Engine, served_environment

    os.environ.update(served_environment(Engine(opts.workers, opts.dask_address)))
    with prefect_api(opts) as server:
        # pause_on_shutdown=False: the schedule keeps running the next time `newsflow serve` starts.
        runner = Runner(name=f"newsflow-serve-{os.getpid()}", pause_on_shutdown=False, query_seconds=opts.poll_seconds)
        deployment_id = runner.add_deployment(build_deployment(opts))
        if opts.catch_up:
            _create_run(deployment_id, "catch-up")
        print(f"Prefect UI: {server.ui_url}  (deployment newsflow/{DEPLOYMENT}; Ctrl-C stops)", flush=True)
        # The watcher's thread does not inherit this thread's Prefect settings: give it a copy of them.
        settings = contextvars.copy_context()
        supervisor = Supervisor(server, deployment_id, opts, settings)
        with SeedWatcher(opts.seeds, lambda files: settings.run(emit_seeds_changed, opts.seeds, files), opts.watch), \
                supervisor:
            try:
                asyncio.run(runner.start())
            except (KeyboardInterrupt, TerminationSignal):
                log.info("stopping newsflow serve")
        if supervisor.died is not None:
            raise ServerDied(supervisor.died)


class Supervisor:
    """Watches what serving depends on: reruns a flow run that crashed (its process killed, out of memory) and stops
    serving loudly when the Prefect server dies (every event would be dropped otherwise)."""

    def __init__(self, server: PrefectServer, deployment_id: UUID | None, opts: ServeOptions,
                 settings: contextvars.Context, on_death: Any = None) -> None:
        self.server, self.deployment_id, self.opts, self._settings = server, deployment_id, opts, settings
        self._on_death = on_death or _stop_serving
        self.died: str | None = None
        self.retried: set[UUID] = set()
        self._crashes_in_a_row = 0
        self._since = time.time()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="newsflow-serve-supervisor", daemon=True)

    def __enter__(self) -> Supervisor:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)

    def _loop(self) -> None:
        failures = 0
        while not self._stop.wait(self.opts.health_seconds):
            if self.server.process is not None and self.server.process.poll() is not None:
                self._give_up(f"the Prefect server this serve started exited with code {self.server.process.returncode}"
                              f"; see {self.opts.prefect_home / 'server.log'}. Restart `newsflow serve`.")
                return
            if not api_healthy(self.server.api_url):
                failures += 1
                if failures >= 3:
                    self._give_up(f"the Prefect server at {self.server.api_url} stopped answering; restart it and "
                                  "`newsflow serve`")
                    return
                continue
            failures = 0
            if self.deployment_id is None:
                continue
            try:
                self._settings.run(self.retry_crashed)
            except Exception:  # noqa: BLE001 - a failed check must not stop serving; the schedule is the safety net
                log.exception("could not check for crashed runs")

    def retry_crashed(self) -> list[UUID]:
        """Create a new run for each crashed run of the deployment not yet retried (at most max_crash_retries in a row)."""
        from prefect.client.schemas.filters import (DeploymentFilter, DeploymentFilterId, FlowRunFilter,
                                                    FlowRunFilterState, FlowRunFilterStateType)
        from prefect.client.schemas.objects import StateType
        from prefect.client.schemas.sorting import FlowRunSort

        with get_client(sync_client=True) as client:
            runs = client.read_flow_runs(
                deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[self.deployment_id])),
                flow_run_filter=FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(
                    any_=[StateType.CRASHED, StateType.COMPLETED]))),
                sort=FlowRunSort.EXPECTED_START_TIME_DESC, limit=20)
        created: list[UUID] = []
        for run in sorted((r for r in runs if r.state is not None), key=lambda r: r.state.timestamp):
            if run.id in self.retried or run.state.timestamp.timestamp() < self._since:
                continue
            self.retried.add(run.id)
            if run.state.type != StateType.CRASHED:
                self._crashes_in_a_row = 0
                continue
            self._crashes_in_a_row += 1
            if self._crashes_in_a_row > self.opts.max_crash_retries:
                log.error("flow run %s crashed (%d in a row): not retried again; the next change or the schedule "
                          "will run it", run.name, self._crashes_in_a_row)
                continue
            log.warning("flow run %s crashed (%s): starting a new run", run.name, run.state.message)
            _create_run(self.deployment_id, "retry-after-crash")
            created.append(run.id)
        return created

    def _give_up(self, why: str) -> None:
        self.died = why
        log.error("%s", why)
        print(f"newsflow serve: {why}", file=sys.stderr, flush=True)
        self._on_death()
        # The runner talks to the dead server while it stops: if it cannot, leave anyway, loudly.
        if not self._stop.wait(60):
            os._exit(int(ExitCode.IO_ERROR))


def _stop_serving() -> None:
    os.kill(os.getpid(), signal.SIGTERM)  # the runner's handler stops it; serve() then raises ServerDied


def _create_run(deployment_id: UUID, reason: str) -> None:
    with get_client(sync_client=True) as client:
        run = client.create_flow_run_from_deployment(deployment_id, tags=[reason])
    log.info("created %s run %s", reason, run.name)


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((HOST, port)) == 0


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    try:
        os.killpg(process.pid, sig)  # the server was started in its own session: its group id is its pid
    except ProcessLookupError:
        pass
