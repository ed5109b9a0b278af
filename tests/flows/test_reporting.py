"""The run's Prefect artifacts: the report published inline (plots as data: images, no file:// link), and the table
lineage with each table's upstream tables, as the UI shows them after a run on the seeds."""

from __future__ import annotations

import base64
import re
import shutil
import time
from pathlib import Path

import pytest

from flows import reporting
from newsflow import catalogue


@pytest.fixture(scope="module")
def seeds_run(prefect_harness, tmp_path_factory):
    from flows.pipeline import pipeline

    root = tmp_path_factory.mktemp("reporting")
    shutil.copytree(Path(__file__).resolve().parents[2] / "seeds", root / "seeds")
    summary = pipeline(seeds=str(root / "seeds"), data=str(root / "data"))
    return root / "seeds", root / "data", summary


def _artifacts(flow_run_id: str) -> dict[str, object]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id])))
    return {a.key: a for a in found}


def test_the_report_is_published_inline_with_its_plots_and_no_file_link(seeds_run):
    import pandas as pd

    _, data, summary = seeds_run
    flow_run_id = pd.read_parquet(data / "runs.parquet")["flow_run_id"].iloc[-1]
    artifacts = _artifacts(flow_run_id)
    assert {"run-report", "lineage", "stage-counts", "validation", "stories"} <= set(artifacts)
    markdown = artifacts["run-report"].data
    assert "file://" not in markdown
    for heading in ("## Stage timings", "## Story timeline", "## Validation", "## Top check-worthy claims",
                    "## Duplicate pairs", "## Table lineage"):
        assert heading in markdown, heading
    images = re.findall(r'<img alt="([^"]+)" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)">', markdown)
    assert [alt for alt, _ in images] == ["seconds per stage", "story timeline"]
    plot = base64.b64decode(images[0][1]).decode()
    assert plot.startswith("<svg") and all(stage in plot for stage in ("ingest", "summarise"))


def test_the_lineage_artifact_links_every_published_table_to_its_upstream(seeds_run):
    import pandas as pd

    seeds, data, _ = seeds_run
    flow_run_id = pd.read_parquet(data / "runs.parquet")["flow_run_id"].iloc[-1]
    rows = _artifacts(flow_run_id)["lineage"].data
    rows = rows if isinstance(rows, list) else __import__("json").loads(rows)
    by_table = {r["table"]: r for r in rows}
    assert set(by_table) == {n for n in catalogue.TABLES if n != "runs"}
    assert by_table["documents"]["upstream"] == seeds.resolve().as_uri()
    assert by_table["summaries"]["upstream"] == "documents, sentences, stories"
    assert by_table["claims"]["asset"] == (data.resolve() / "claims.parquet").as_uri()
    assert reporting.lineage_rows(data, seeds) == rows


def test_each_task_log_carries_its_stage_line_of_counts(seeds_run):
    import pandas as pd
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    _, data, _ = seeds_run
    flow_run_id = pd.read_parquet(data / "runs.parquet")["flow_run_id"].iloc[-1]
    expected = (("[1/5] ingest", "5 files"), ("[2/5] clean", "5 docs"), ("[3/5] deduplicate", "stories"),
                ("[4/5] extract_claims", "claims"), ("[5/5] summarise", "summaries"))
    deadline = time.monotonic() + 20  # Prefect ships logs from a background worker: the last ones may lag the run
    while True:
        with get_client(sync_client=True) as client:
            logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])))
        in_tasks = [log.message for log in logs if log.task_run_id is not None]
        missing = [stage for stage, counts in expected
                   if not any(m.startswith(stage) and counts in m for m in in_tasks)]
        if not missing or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert not missing, (missing, in_tasks)
