"""Serve and run faults of issue 18: a killed `newsflow run` leaves no temporary Prefect server behind, and serve
notices a dead server (it stops loudly instead of dropping every event). A crashed flow run being rerun and runs
started through the API being held to the served folders are proven end to end in tests/newsflow/test_serve.py."""

from __future__ import annotations

import contextvars
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

from newsflow.serve import PrefectServer, ServeOptions, Supervisor
from tests.reliability.support import ROOT, SEEDS


def test_a_killed_newsflow_run_leaves_no_temporary_prefect_server(tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds, ignore=shutil.ignore_patterns("README*"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API_URL", "NEWSFLOW_TEST_"))}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PYTHONPATH=str(ROOT))
    (tmp_path / "newsflow.toml").write_text("port = 1\n")  # nothing answers on port 1: a temporary server
    run = subprocess.Popen([sys.executable, "-m", "newsflow", "run", "--seeds", str(seeds), "--data",
                            str(tmp_path / "data")],
                           cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = None
    deadline = time.monotonic() + 180
    try:
        while server is None and time.monotonic() < deadline and run.poll() is None:
            for child in psutil.Process(run.pid).children(recursive=True):
                try:
                    if "uvicorn" in " ".join(child.cmdline()):
                        server = child
                except psutil.NoSuchProcess:
                    pass
            time.sleep(0.2)
        assert server is not None, "the run never started its temporary server"
        run.send_signal(signal.SIGKILL)
        run.wait(10)
        gone, alive = psutil.wait_procs([server], timeout=15)
        assert not alive, f"temporary Prefect server {server.pid} outlived the killed run"
    finally:
        if run.poll() is None:
            run.kill()
        if server is not None and server.is_running():
            server.kill()


def test_serve_notices_its_server_died_and_stops_loudly(tmp_path, capsys):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stopped = threading.Event()
    opts = ServeOptions(seeds=tmp_path, data=tmp_path / "data", prefect_home=tmp_path, health_seconds=0.05)
    supervisor = Supervisor(PrefectServer("http://127.0.0.1:1/api", dead), None, opts, contextvars.copy_context(),
                            on_death=stopped.set)
    with supervisor:
        assert stopped.wait(10)
    assert "exited with code 0" in supervisor.died
    assert "Restart `newsflow serve`" in capsys.readouterr().err


def test_serve_notices_a_server_it_did_not_start_stopped_answering(tmp_path):
    stopped = threading.Event()
    opts = ServeOptions(seeds=tmp_path, data=tmp_path / "data", prefect_home=Path(tmp_path), health_seconds=0.05)
    supervisor = Supervisor(PrefectServer("http://127.0.0.1:1/api"), None, opts, contextvars.copy_context(),
                            on_death=stopped.set)
    with supervisor:
        assert stopped.wait(30)
    assert "stopped answering" in supervisor.died
