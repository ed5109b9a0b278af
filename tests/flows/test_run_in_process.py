"""run_in_process: the CLI's way of running the flow, without Prefect's flow-run heartbeats unless asked for."""

import flows.pipeline as fp


def _recording(seen: list[object]):
    def fake_pipeline(**parameters: object) -> dict[str, object]:
        from prefect.settings import get_current_settings

        seen.append(get_current_settings().flows.heartbeat_frequency)
        return parameters

    return fake_pipeline


def test_runs_in_this_process_send_no_heartbeats_and_pass_the_parameters(monkeypatch):
    seen: list[object] = []
    monkeypatch.delenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", raising=False)
    monkeypatch.setattr(fp, "pipeline", _recording(seen))
    assert fp.run_in_process(seeds="s", data="d") == {"seeds": "s", "data": "d"}
    assert seen == [None]


def test_heartbeats_stay_when_the_user_sets_their_frequency(monkeypatch):
    seen: list[object] = []
    monkeypatch.setenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "45")
    monkeypatch.setattr(fp, "pipeline", _recording(seen))
    fp.run_in_process(seeds="s", data="d")
    assert len(seen) == 1 and seen[0] is not None  # Prefect's own setting, not switched off
