"""`newsflow serve`: the seeds watcher, the deployment it registers, and one end-to-end run against a real server.

The end-to-end part starts ONE Prefect server on a free loopback port (module fixture), runs
`newsflow serve` against it in a subprocess, triggers a custom run the way the UI does, drops a new
article into the seeds folder and waits (bounded) for the run it starts and for the new document.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from newsflow import catalogue, sources
from newsflow.watcher import SeedWatcher, WatchSettings, is_seed_name, resource_id

ROOT = Path(__file__).resolve().parents[2]
FAST = WatchSettings(quiet_seconds=0.4, stable_seconds=0.3, poll_seconds=0.05)


class Reports:
    """Collects the watcher's reports; `wait` blocks (bounded) until n have arrived."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self._cond = threading.Condition()

    def __call__(self, files: list[str]) -> None:
        with self._cond:
            self.calls.append(files)
            self._cond.notify_all()

    def wait(self, n: int = 1, timeout: float = 10.0) -> list[list[str]]:
        with self._cond:
            self._cond.wait_for(lambda: len(self.calls) >= n, timeout)
            return list(self.calls)


def _article(n: int) -> str:
    return (f"Harbour town {n} opens a new ferry pier\n\n"
            f"The council of Portwick {n} opened a new ferry pier on Monday after two years of work.\n"
            f"“The pier will carry {n * 100 + 40} passengers a day,” said Alma Brightwater, the harbour master.\n"
            f"The works cost £{n + 3} million, the council said, and were finished on budget.\n")


# ---------------------------------------------------------------------------------------------------
# The watcher (no server)
# ---------------------------------------------------------------------------------------------------

def test_seed_names_match_what_the_pipeline_reads(tmp_path):
    names = ["a.txt", "b.md", "sub/c.txt", ".hidden.txt", ".dir/d.txt", "e.txt~", "e.txt.swp", "#e.txt#",
             "f.tmp", "g.txt.part", "h.crdownload", "4913", "ünï cødé.txt"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    read_by_pipeline = {s.source_file for s in sources.scan(tmp_path)}
    assert {n for n in names if is_seed_name(n)} == read_by_pipeline


def test_a_burst_of_files_is_one_report(tmp_path):
    reports = Reports()
    with SeedWatcher(tmp_path, reports, FAST):
        for i in range(20):
            (tmp_path / f"a{i:02d}.txt").write_text(_article(i))
        calls = reports.wait(1)
        time.sleep(1.0)
    assert len(reports.calls) == 1 and calls[0] == [f"a{i:02d}.txt" for i in range(20)]


def test_editor_temp_and_hidden_files_are_ignored(tmp_path):
    reports = Reports()
    with SeedWatcher(tmp_path, reports, FAST):
        for name in (".a.txt.swp", "a.txt~", "#a.txt#", ".#a.txt", "a.txt.tmp", "partial.txt.part"):
            (tmp_path / name).write_text("draft")
        time.sleep(1.5)
        assert reports.calls == []
        (tmp_path / "a.txt.tmp").rename(tmp_path / "a.txt")  # an editor's save-by-rename
        assert reports.wait(1) == [["a.txt"]]


def test_a_file_being_written_is_reported_once_its_size_is_stable(tmp_path):
    reports = Reports()
    target = tmp_path / "slow.txt"
    with SeedWatcher(tmp_path, reports, WatchSettings(quiet_seconds=0.2, stable_seconds=0.8, poll_seconds=0.05)):
        with open(target, "w", encoding="utf-8") as fh:
            for _ in range(5):  # pauses longer than quiet_seconds: only the size check holds the report back
                fh.write("more text\n")
                fh.flush()
                time.sleep(0.3)
                assert reports.calls == []
        assert reports.wait(1) == [["slow.txt"]]


def test_deleted_and_moved_in_files_are_reported(tmp_path):
    seeds, outside = tmp_path / "seeds", tmp_path / "outside"
    seeds.mkdir()
    outside.mkdir()
    (seeds / "old.txt").write_text(_article(1))
    (outside / "new.txt").write_text(_article(2))
    reports = Reports()
    with SeedWatcher(seeds, reports, FAST):
        (seeds / "old.txt").unlink()
        (outside / "new.txt").rename(seeds / "new.txt")
        assert reports.wait(1) == [["new.txt", "old.txt"]]


def test_reading_the_seeds_is_not_a_change(tmp_path):
    (tmp_path / "a.txt").write_text(_article(1))
    reports = Reports()
    with SeedWatcher(tmp_path, reports, FAST):
        sources.read(sources.scan(tmp_path)[0])  # what every flow run does: it must not trigger another run
        time.sleep(1.2)
    assert reports.calls == []


# ---------------------------------------------------------------------------------------------------
# The deployment (no server)
# ---------------------------------------------------------------------------------------------------

def test_deployment_schedule_trigger_limit_and_parameters(tmp_path):
    from newsflow.serve import ServeOptions, build_deployment

    opts = ServeOptions(seeds=tmp_path / "seeds", data=tmp_path / "data", interval_minutes=15).resolved()
    dep = build_deployment(opts)
    assert dep.name == "newsflow" and dep.entrypoint == "flows.pipeline.pipeline"
    assert [s.schedule.interval.total_seconds() for s in dep.schedules] == [900]
    (trigger,) = dep.triggers
    assert trigger.expect == {"newsflow.seeds.changed"}
    assert trigger.match.root == {"prefect.resource.id": resource_id(opts.seeds)}
    assert dep.concurrency_limit == 1 and dep.concurrency_options.collision_strategy.value == "ENQUEUE"
    assert dep.parameters["seeds"] == str(opts.seeds) and dep.parameters["data"] == str(opts.data)
    for threshold in ("near_duplicate_jaccard", "spun_threshold", "story_threshold", "summary_sentences", "max_file_mb"):
        assert dep.parameters[threshold] is not None  # shown filled in, editable in the UI's custom run


# ---------------------------------------------------------------------------------------------------
# End to end: a real server, `newsflow serve`, a custom run and a file drop
# ---------------------------------------------------------------------------------------------------

SERVE_STARTUP_S = 180
RUN_DONE_S = 240


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Served:
    api: httpx.Client
    seeds: Path
    data: Path
    log: Path
    deployment_id: str

    def create_run(self, body: dict) -> dict:
        """Create a run of the deployment through the API (as the UI does); Prefect's server answering 5xx while it
        is busy (its SQLite database locked on a loaded machine) is asked again, anything else must be the run."""
        deadline = time.monotonic() + 60
        while True:
            response = self.api.post(f"/deployments/{self.deployment_id}/create_flow_run", json=body)
            if response.status_code < 500 or time.monotonic() > deadline:
                break
            time.sleep(1.0)
        created = response.json()
        assert response.is_success and "id" in created, f"{response.status_code}: {response.text[:500]}"
        return created

    def runs(self) -> list[dict]:
        body = {"deployments": {"id": {"any_": [self.deployment_id]}}, "sort": "EXPECTED_START_TIME_ASC"}
        return [r for r in self.api.post("/flow_runs/filter", json=body).json() if r["state_type"] != "SCHEDULED"
                or r["state_name"] == "AwaitingConcurrencySlot"]

    def wait_for_state(self, predicate, states: tuple[str, ...], timeout: float = RUN_DONE_S) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [r for r in self.runs() if predicate(r) and r["state_type"] in states]
            if found:
                return found[0]
            time.sleep(0.5)
        raise AssertionError(f"no run in {states} within {timeout} s\n{_tail(self.log)}")

    def wait_for_run(self, predicate, timeout: float = RUN_DONE_S) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = [r for r in self.runs() if predicate(r) and r["state_type"] in ("COMPLETED", "FAILED", "CRASHED")]
            if done:
                assert done[0]["state_type"] == "COMPLETED", f"{done[0]['state_name']}: see {self.log}\n{_tail(self.log)}"
                return done[0]
            time.sleep(1.0)
        raise AssertionError(f"no finished run within {timeout} s; runs: "
                             f"{[(r['name'], r['state_name']) for r in self.runs()]}\n{_tail(self.log)}")


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Served]:
    """A Prefect server on a free loopback port and `newsflow serve` against it; both stopped afterwards."""
    from newsflow.serve import start_server

    root = tmp_path_factory.mktemp("serve")
    seeds, data = root / "seeds", root / "data"
    seeds.mkdir()
    for i in range(2):
        (seeds / f"pier_{i}.txt").write_text(_article(i), encoding="utf-8")
    server = start_server(_free_port(), root / "prefect", startup_seconds=SERVE_STARTUP_S)
    log = root / "serve.log"
    env = {**os.environ, "PREFECT_API_URL": server.api_url, "PREFECT_HOME": str(root / "prefect"),
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "GX_ANALYTICS_ENABLED": "false", "PYTHONPATH": str(ROOT)}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsflow", "serve", "--seeds", str(seeds), "--data", str(data),
             "--interval-minutes", "600", "--quiet-seconds", "0.5", "--no-catch-up"],
            cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
    api = httpx.Client(base_url=server.api_url, timeout=10)
    try:
        deadline = time.monotonic() + SERVE_STARTUP_S
        deployment = None
        while deployment is None and time.monotonic() < deadline and proc.poll() is None:
            found = api.post("/deployments/filter", json={"deployments": {"name": {"any_": ["newsflow"]}}}).json()
            deployment = found[0] if found and "Prefect UI:" in _tail(log) else None
            time.sleep(0.5)
        assert deployment is not None, f"newsflow serve did not register its deployment:\n{_tail(log)}"
        yield Served(api, seeds, data, log, deployment["id"])
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        api.close()
        server.stop()


def test_custom_run_from_the_ui_uses_the_changed_parameter(served):
    # What the UI's Run → Custom run sends: the deployment's parameters with one changed.
    created = served.create_run({"parameters": {"summary_sentences": 2}})
    run = served.wait_for_run(lambda r: r["id"] == created["id"])
    assert run["parameters"]["summary_sentences"] == 2
    assert run["parameters"]["seeds"] == str(served.seeds.resolve())
    documents = catalogue.read_table(served.data, "documents")
    assert sorted(documents["source_file"]) == ["pier_0.txt", "pier_1.txt"]
    artifacts = served.api.post("/artifacts/filter", json={"artifacts": {"flow_run_id": {"any_": [run["id"]]}}}).json()
    assert {"stage-counts", "stories"} <= {a["key"] for a in artifacts}


def test_new_seed_files_start_runs_one_at_a_time_that_publish_them(served, record_property):
    before = {r["id"] for r in served.runs()}
    dropped = time.time()
    (served.seeds / "pier_new.txt").write_text(_article(7), encoding="utf-8")
    first = served.wait_for_state(lambda r: r["id"] not in before, ("RUNNING", "COMPLETED"))
    started = datetime.fromisoformat(first["start_time"]).timestamp()
    record_property("seconds_from_file_to_run_start", round(started - dropped, 1))
    assert first["created_by"] and first["created_by"]["type"] == "AUTOMATION"
    assert started - dropped < 90  # generous for a loaded CI machine: ~4 s to the run, ~10-20 s to its start

    (served.seeds / "pier_newer.txt").write_text(_article(8), encoding="utf-8")  # while the first run works
    first = served.wait_for_run(lambda r: r["id"] == first["id"])
    second = served.wait_for_run(lambda r: r["id"] not in before | {first["id"]})
    assert datetime.fromisoformat(second["start_time"]) >= datetime.fromisoformat(first["end_time"])
    assert {"pier_new.txt", "pier_newer.txt"} <= set(catalogue.read_table(served.data, "documents")["source_file"])


def _finished(served: Served, run_id: str, timeout: float = RUN_DONE_S) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = served.api.get(f"/flow_runs/{run_id}").json()
        if run["state_type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
            return run
        time.sleep(0.5)
    raise AssertionError(f"run {run_id} did not finish within {timeout} s\n{_tail(served.log)}")


def test_a_run_started_through_the_api_with_other_folders_is_refused(served, tmp_path):
    created = served.create_run({"parameters": {"seeds": "/etc", "data": str(tmp_path / "stolen")}})
    run = _finished(served, created["id"])
    assert run["state_type"] == "FAILED" and "only runs" in (run["state"]["message"] or "") + _tail(served.log, 200)
    assert not (tmp_path / "stolen").exists()


def _flow_run_process(run_id: str) -> int | None:
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue
        if f"PREFECT__FLOW_RUN_ID={run_id}".encode() in environ.split(b"\0"):
            return int(pid)
    return None


def test_a_crashed_flow_run_is_run_again_within_a_minute(served):
    (served.seeds / "pier_crash.txt").write_text(_article(11), encoding="utf-8")
    created = served.create_run({})
    deadline, pid = time.monotonic() + RUN_DONE_S, None
    while pid is None and time.monotonic() < deadline:
        pid = _flow_run_process(created["id"])
        time.sleep(0.2)
    assert pid is not None, f"no process runs flow run {created['id']}\n{_tail(served.log)}"
    os.kill(pid, signal.SIGKILL)
    crashed = _finished(served, created["id"])
    assert crashed["state_type"] == "CRASHED"
    crashed_at = time.monotonic()
    retry = served.wait_for_run(lambda r: "retry-after-crash" in r["tags"], timeout=RUN_DONE_S)
    started = datetime.fromisoformat(retry["created"]).timestamp()
    assert started - datetime.fromisoformat(crashed["state"]["timestamp"]).timestamp() < 60
    assert time.monotonic() - crashed_at < RUN_DONE_S
    assert "pier_crash.txt" in set(catalogue.read_table(served.data, "documents")["source_file"])
