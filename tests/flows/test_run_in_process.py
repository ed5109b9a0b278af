"""run_in_process: the CLI's way of running the flow, without Prefect's flow-run heartbeats unless asked for, on the
engine its caller chose (never the served runs' engine from the environment)."""

from __future__ import annotations

from typing import Any

from prefect.task_runners import ThreadPoolTaskRunner

import flows.pipeline as fp
from flows import runners


class _Recording:
    """A stand-in for the flow: records the heartbeat setting and task runner it is called with."""

    def __init__(self) -> None:
        self.heartbeats: list[object] = []
        self.task_runner: Any = None

    def with_options(self, task_runner: Any) -> _Recording:
        self.task_runner = task_runner
        return self

    def __call__(self, **parameters: object) -> dict[str, object]:
        from prefect.settings import get_current_settings

        self.heartbeats.append(get_current_settings().flows.heartbeat_frequency)
        return parameters


def test_runs_in_this_process_send_no_heartbeats_and_pass_the_parameters(monkeypatch):
    flow = _Recording()
    monkeypatch.delenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", raising=False)
    monkeypatch.setattr(fp, "pipeline", flow)
    assert fp.run_in_process(seeds="s", data="d") == {"seeds": "s", "data": "d"}
    assert flow.heartbeats == [None]


def test_heartbeats_stay_when_the_user_sets_their_frequency(monkeypatch):
    flow = _Recording()
    monkeypatch.setenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "45")
    monkeypatch.setattr(fp, "pipeline", flow)
    fp.run_in_process(seeds="s", data="d")
    assert len(flow.heartbeats) == 1 and flow.heartbeats[0] is not None  # Prefect's own setting, not switched off


def test_a_plain_run_stays_in_this_process_whatever_the_environment_names(monkeypatch):
    flow = _Recording()
    monkeypatch.setattr(fp, "pipeline", flow)
    monkeypatch.setenv("NEWSFLOW_WORKERS", "2")  # what a served run would read; `newsflow run` passes its own engine
    fp.run_in_process(engine=runners.Engine(), seeds="s", data="d")
    assert isinstance(flow.task_runner, ThreadPoolTaskRunner)
