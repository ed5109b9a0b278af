"""`newsflow run` end to end on the seeds, piped: progress lines, the runs table's Prefect ids, the no-change answer,
validation results that read well, and the run report (rendered in headless Chromium when it is installed)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from newsflow.report import SECTIONS

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def _run(seeds: Path, data: Path, api_url: str, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSFLOW_")}
    env.update(PREFECT_API_URL=api_url, PREFECT_SERVER_ANALYTICS_ENABLED="false", GX_ANALYTICS_ENABLED="false",
               PYTHONPATH=str(ROOT), COLUMNS="200")
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "newsflow", "run", "--seeds", str(seeds), "--data", str(data), *args],
                         env=env, capture_output=True, text=True, timeout=900)  # stdout piped: not a terminal
    return out, time.perf_counter() - t0


@pytest.fixture(scope="module")
def cli_runs(prefect_harness, tmp_path_factory):
    """Two piped `newsflow run`s on a copy of the seeds (files dated in the past): the first does the work, the second finds nothing new."""
    from prefect.settings import PREFECT_API_URL

    root = tmp_path_factory.mktemp("cli")
    seeds, data = root / "seeds", root / "data"
    shutil.copytree(ROOT / "seeds", seeds)
    past = time.time() - 3600
    for f in seeds.iterdir():
        os.utime(f, (past, past))
    api_url = str(PREFECT_API_URL.value())
    first, _ = _run(seeds, data, api_url)
    second, seconds = _run(seeds, data, api_url)
    return data, first, second, seconds, api_url


def test_each_stage_prints_one_line_with_counts_when_piped(cli_runs):
    _, first, _, _, _ = cli_runs
    assert first.returncode == 0, first.stdout + first.stderr
    lines = [line for line in first.stdout.splitlines() if line.startswith("[")]
    assert [line.split()[1] for line in lines] == ["ingest", "clean", "deduplicate", "extract_claims", "summarise"]
    assert [line.split()[0] for line in lines] == [f"[{i}/5]" for i in range(1, 6)]
    assert all(re.search(r"\d[\d,]* \w.* \d+\.\d s$", line) for line in lines), lines
    assert "5 files" in lines[0] and "5 docs" in lines[1] and "stories" in lines[2]
    assert "Traceback" not in first.stderr
    assert not any(ch in first.stdout for ch in "\x1b\r\b")  # no bar, no colour, no cursor moves when piped


def test_a_no_change_rerun_is_answered_without_a_flow_run(cli_runs):
    data, _, second, seconds, _ = cli_runs
    assert second.returncode == 0, second.stderr
    assert "unchanged" in second.stdout and "no flow run needed" in second.stdout
    assert seconds < 10, seconds  # ≤ 3 s on a quiet machine; a flow run here costs well over 10 s
    runs = pd.read_parquet(data / "runs.parquet")
    assert runs["status"].tolist() == ["completed", "unchanged"]
    assert runs["flow_run_id"].iloc[1] is None or pd.isna(runs["flow_run_id"].iloc[1])


def test_the_runs_table_records_the_prefect_flow_run_parameters_and_config_hash(cli_runs):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    data, _, _, _, _ = cli_runs
    runs = pd.read_parquet(data / "runs.parquet")
    first = runs.iloc[0]
    assert re.fullmatch(r"[0-9a-f]{64}", first["config_hash"])
    assert first["config_hash"] == json.loads((data / "_manifest.json").read_text())["config"]
    assert json.loads(first["parameters"])["data"] == str(data)
    with get_client(sync_client=True) as client:
        flow_run = client.read_flow_run(first["flow_run_id"])
        only_this_run = FlowRunFilter(id=FlowRunFilterId(any_=[flow_run.id]))
        task_runs = {t.name.rsplit("-", 1)[0]: t for t in client.read_task_runs(flow_run_filter=only_this_run)}
    assert flow_run.state.is_completed() and flow_run.parameters["data"] == str(data)
    # Each stage waits on the stage it reads: the UI's graph is the pipeline.
    upstream = {name: {str(i.id) for inputs in t.task_inputs.values() for i in inputs if getattr(i, "id", None)}
                for name, t in task_runs.items()}
    assert str(task_runs["clean"].id) in upstream["deduplicate"]
    assert str(task_runs["deduplicate"].id) in upstream["extract_claims"]
    assert str(task_runs["deduplicate"].id) in upstream["summarise"]


def test_validation_results_carry_run_id_time_and_what_each_expectation_guards(cli_runs):
    data, _, _, _, _ = cli_runs
    run_id = pd.read_parquet(data / "runs.parquet")["run_id"].iloc[0]
    for path in sorted((data / "validation").glob("*.json")):
        result = json.loads(path.read_text())
        assert result["meta"]["run_id"] == run_id and result["meta"]["validated_at"], path.name
        assert all(r["expectation_config"].get("description") for r in result["results"]), path.name


def test_parquet_files_carry_column_meanings(cli_runs):
    import pyarrow.dataset as ds

    data, _, _, _, _ = cli_runs
    schema = ds.dataset(data / "claims.parquet").schema  # a folder of part files: the dataset's schema is theirs
    assert b"copies do not corroborate" in schema.field("n_sources").metadata[b"description"]
    assert schema.metadata[b"grain"].startswith(b"one row per claim")
    for name in ("documents", "sentences", "stories", "summaries", "duplicates", "rejects", "boilerplate", "claims", "runs"):
        fields = ds.dataset(data / f"{name}.parquet").schema
        assert all(f.metadata and f.metadata.get(b"description") for f in fields), name


def test_the_report_is_self_contained_with_every_section(cli_runs):
    data, _, _, _, _ = cli_runs
    run_id = pd.read_parquet(data / "runs.parquet")["run_id"].iloc[0]
    page = (data / "reports" / f"{run_id}.html").read_text()
    assert (data / "report.html").read_text() == page
    for section in SECTIONS:
        assert f'<section id="{section}">' in page
    assert not re.search(r"""(src|href)=["'](https?:)?//""", page) and "<script" not in page  # no network, no script
    assert page.count("<svg") >= 2  # stage timings and the story timeline


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_the_report_renders_in_headless_chromium(cli_runs, tmp_path):
    data, _, _, _, _ = cli_runs
    page = (data / "report.html").resolve()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
                             capture_output=True, text=True, timeout=120).stdout
        assert all(f'id="{s}"' in dom for s in SECTIONS)
        return
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            tab.goto(page.as_uri())
            for section in SECTIONS:
                assert tab.locator(f"section#{section}").is_visible(), section
                assert tab.locator(f"section#{section} h2").inner_text().strip()
            box = tab.locator("section#timings svg").bounding_box()
            assert box and box["width"] > 100 and box["height"] > 20
            assert tab.locator("section#stories svg circle").count() >= 1
            assert tab.locator("section#claims tbody tr").count() >= 1
            assert tab.locator("section#validation details").count() >= 8
            tab.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        finally:
            browser.close()
    assert (tmp_path / "report.png").stat().st_size > 10_000


def test_the_readme_queries_run_and_pandas_and_duckdb_agree(cli_runs, monkeypatch):
    data, _, _, _, _ = cli_runs
    section = (ROOT / "README.md").read_text().split("## Reading the tables", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 3
    monkeypatch.chdir(data.parent)
    names: dict[str, object] = {}
    for block in blocks:
        exec(block, names)  # noqa: S102 - the README's own examples
    for i in range(1, 6):
        pandas_result, duckdb_result = names[f"q{i}"], names[f"d{i}"]
        assert len(pandas_result) == len(duckdb_result) > 0, i
    assert str(names["documents"]["published_date"].dtype).startswith("datetime64")
    assert names["q5"].tolist() == names["d5"]["quotes"].tolist()
