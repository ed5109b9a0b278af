"""Shared fixtures: one Prefect test harness per session, the seeds, and the seeds' gold results."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLD = Path(__file__).resolve().parent / "gold" / "seeds_gold.json"


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """A temporary Prefect API for the whole session (starting one costs ~10 s)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


@pytest.fixture(scope="session")
def gold() -> dict:
    """The seeds' gold results (copied from shared/gold into tests/)."""
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.fixture()
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of the five seed articles."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target
