"""Reliability fixtures: the session's Prefect API, the shared flow runs (good seeds; good seeds + bad inputs), timings.

The expensive part of a flow run is Prefect and GX start-up, so the matrix is run once: the five good seeds
plus every bad-input case in one seeds folder. Tests then assert per case. Subprocess runs (kill points,
concurrency) talk to the session's Prefect test server instead of starting their own.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator

import pytest

from tests.reliability.support import SEEDS, VANISHING, FlowRun, build_cases, build_matrix, run_flow


@pytest.fixture(scope="session")
def api_url(prefect_harness) -> str:
    """The session's Prefect API (subprocess runs use it instead of starting their own server)."""
    from prefect.settings import PREFECT_API_URL

    return str(PREFECT_API_URL.value())


@pytest.fixture(scope="session")
def good_run(prefect_harness, tmp_path_factory) -> FlowRun:
    """The flow on the five good seeds alone: the baseline the matrix must not change."""
    root = tmp_path_factory.mktemp("good")
    shutil.copytree(SEEDS, root / "seeds", ignore=shutil.ignore_patterns("README*"))
    summary, seconds = run_flow(root / "seeds", root / "data")
    return FlowRun(root / "seeds", root / "data", summary, seconds)


@pytest.fixture(scope="session")
def matrix_run(prefect_harness, tmp_path_factory) -> FlowRun:
    """ONE flow run over the good seeds plus every bad-input case (one file vanishes between listing and reading)."""
    from newsflow import sources

    root = tmp_path_factory.mktemp("matrix")
    expected = build_matrix(root / "seeds", root / "outside", build_cases())
    real_read = sources.read

    def read_after_delete(seed, config=None):  # the file goes away after the scan listed it
        if seed.source_file == VANISHING:
            (root / "seeds" / VANISHING).unlink(missing_ok=True)
        return real_read(seed) if config is None else real_read(seed, config)

    sources.read = read_after_delete
    try:
        summary, seconds = run_flow(root / "seeds", root / "data")
    finally:
        sources.read = real_read
    return FlowRun(root / "seeds", root / "data", summary, seconds, expected)


@pytest.fixture(scope="session")
def timings() -> Iterator[dict[str, float]]:
    """Collects named timings; printed at the end of the session (pytest -s shows them)."""
    found: dict[str, float] = {}
    yield found
    if found:
        width = max(map(len, found))
        sys.stderr.write("\nreliability timings:\n" + "".join(f"  {k:<{width}}  {v:8.2f} s\n" for k, v in sorted(found.items())))
