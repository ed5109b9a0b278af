"""The `newsflow` command without a flow run: exit codes, --version, --help, fast answers, settings, inspect commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from newsflow import catalogue
from newsflow.exitcodes import ExitCode

ROOT = Path(__file__).resolve().parents[2]


def newsflow(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSFLOW_", "PREFECT_API_URL"))}
    environment.update(PYTHONPATH=str(ROOT), COLUMNS="200", **env)
    return subprocess.run([sys.executable, "-m", "newsflow", *args], cwd=cwd or ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_exit_codes_are_the_agreed_ones():
    assert [(c.name, c.value) for c in ExitCode] == [
        ("OK", 0), ("VALIDATION_FAILED", 1), ("BAD_ARGUMENTS", 2), ("LOCKED", 3), ("IO_ERROR", 4), ("SHRINK_REFUSED", 5)]


def test_version_prints_the_package_version():
    out = newsflow("--version")
    assert out.returncode == 0 and out.stdout.startswith("newsflow ") and out.stdout.split()[1][0].isdigit()


def test_help_shows_examples_and_exit_codes_and_no_bool_placeholders():
    for args in (("--help",), ("run", "--help")):
        out = newsflow(*args)
        assert out.returncode == 0
        assert "Examples:" in out.stdout and "Exit codes:" in out.stdout
        assert "3  the data folder is locked" in out.stdout and "<bool>" not in out.stdout
    assert "--story-threshold" in newsflow("run", "--help").stdout


def test_a_missing_seeds_folder_is_answered_in_under_a_second_with_exit_2(tmp_path):
    import resource

    walls, cpus = [], []
    for _ in range(3):  # best of three: the machine is shared
        t0, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        out = newsflow("run", "--seeds", str(tmp_path / "nope"), "--data", str(tmp_path / "data"))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        walls.append(time.perf_counter() - t0)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        assert out.returncode == ExitCode.BAD_ARGUMENTS
        assert out.stderr.strip() == f"newsflow: seeds folder not found: {tmp_path / 'nope'}"
        assert "Traceback" not in out.stderr
    # CPU seconds: under a second of wall on a quiet machine; wall time on a shared, loaded one is noise.
    assert min(cpus) < 1.0 and min(walls) < 5.0, (cpus, walls)
    assert not (tmp_path / "data").exists()


def test_a_file_where_the_data_folder_should_be_is_an_io_error(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "data").write_text("not a folder")
    out = newsflow("run", "--seeds", str(tmp_path / "seeds"), "--data", str(tmp_path / "data"))
    assert out.returncode == ExitCode.IO_ERROR and "data is a file" in out.stderr and "Traceback" not in out.stderr


def test_an_out_of_range_threshold_flag_is_a_bad_argument(tmp_path):
    (tmp_path / "seeds").mkdir()
    out = newsflow("run", "--seeds", str(tmp_path / "seeds"), "--data", str(tmp_path / "data"), "--story-threshold", "1.5")
    assert out.returncode == ExitCode.BAD_ARGUMENTS and "story_threshold" in out.stderr


@pytest.mark.parametrize("content, complaint", [
    ("stroy_threshold = 0.4\n", "unknown setting(s) stroy_threshold"),
    ("summary_sentences = 'three'\n", "summary_sentences = 'three' must be int"),
    ("story_threshold = [\n", "not valid TOML"),
])
def test_a_bad_settings_file_is_a_bad_argument_named_in_one_line(tmp_path, content, complaint):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "newsflow.toml").write_text(content)
    out = newsflow("run", cwd=tmp_path)
    assert out.returncode == ExitCode.BAD_ARGUMENTS, out.stderr
    assert complaint in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_the_settings_seeds_folder_is_used_when_no_flag_is_given(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.newsflow]\nseeds = "articles"\n')
    out = newsflow("run", cwd=tmp_path)
    assert out.returncode == ExitCode.BAD_ARGUMENTS and "seeds folder not found: articles" in out.stderr


def test_a_held_lock_is_exit_3_naming_wait(tmp_path):
    from newsflow.workspace import run_lock

    seeds, data = tmp_path / "seeds", tmp_path / "data"
    seeds.mkdir()
    _published(data)
    with run_lock(data):
        out = newsflow("run", "--seeds", str(seeds), "--data", str(data))
    assert out.returncode == ExitCode.LOCKED, out.stderr
    assert "another newsflow run holds" in out.stderr and "--wait" in out.stderr and "Traceback" not in out.stderr


def _published(data: Path) -> Path:
    """A data folder as a tiny run would leave it (two documents, one reject, one run), written through the catalogue."""
    docs = pd.DataFrame({
        "doc_id": ["a" * 16, "b" * 16], "source_file": ["one.txt", "two.txt"], "sha256": ["0" * 64, "1" * 64],
        "encoding": ["utf-8", "utf-8"], "published_date": [pd.Timestamp("2024-01-02").date(), None],
        "date_source": ["header", "none"], "date_issue": [None, None], "title": ["One", None],
        "clean_text": ["Text one.", "Text two."], "n_sentences": [1, 1], "n_paragraphs": [1, 1], "n_boilerplate": [0, 0],
        "duplicate_group": ["g1", "g2"], "is_canonical": [True, True], "story_id": ["s1", "s2"],
        "ingested_at": [pd.Timestamp("2024-01-03", tz="UTC")] * 2, "run_id": ["r1", "r1"]})
    rejects = pd.DataFrame({"source_file": ["blank.txt"], "sha256": [None], "size_bytes": [0], "reason": ["empty"],
                            "detail": ["0 bytes"], "run_id": ["r1"]})
    runs = catalogue.empty_frame("runs")
    row = {c: 0 for c in runs.columns} | {
        "run_id": "r1", "started_at": pd.Timestamp("2024-01-03", tz="UTC"), "finished_at": pd.Timestamp("2024-01-03", tz="UTC"),
        "status": "completed", "mode": "full", "n_inputs": 3, "n_new": 3, "n_documents": 2, "n_rejects": 1,
        "message": None, "flow_run_id": "f-1", "parameters": "{}", "config_hash": "c" * 64}
    catalogue.write_table(data, "documents", docs)
    catalogue.write_table(data, "rejects", rejects)
    catalogue.write_table(data, "runs", pd.DataFrame([row]))
    (data / "_manifest.json").write_text(json.dumps({"run_id": "r1", "tables": ["documents", "rejects"]}))
    return data


def test_rejects_lists_each_file_with_its_reason(tmp_path):
    data = _published(tmp_path / "data")
    out = newsflow("rejects", "--data", str(data), "--format", "json")
    assert out.returncode == 0
    assert [(r["source_file"], r["reason"]) for r in json.loads(out.stdout)] == [("blank.txt", "empty")]


def test_show_filters_narrows_and_limits_a_table(tmp_path):
    data = _published(tmp_path / "data")
    out = newsflow("show", "documents", "--data", str(data), "--where", "date_source == 'header'",
                   "--columns", "source_file,published_date", "--format", "csv")
    assert out.returncode == 0 and out.stdout.splitlines() == ["source_file,published_date", "one.txt,2024-01-02"]
    assert newsflow("show", "documents", "--data", str(data), "--limit", "1", "--format", "csv").stdout.count("\n") == 2
    table = newsflow("show", "rejects", "--data", str(data))
    assert table.returncode == 0 and "blank.txt" in table.stdout and "1 of 1 matching rows" in table.stdout


@pytest.mark.parametrize("args, complaint", [
    (("show", "nope"), "unknown table 'nope'"),
    (("show", "documents", "--where", "no_such_column > 1"), "does not apply to documents"),
    (("show", "documents", "--columns", "doc_id,bogus"), "no column(s) bogus"),
])
def test_show_answers_a_bad_request_with_exit_2(tmp_path, args, complaint):
    data = _published(tmp_path / "data")
    out = newsflow(*args, "--data", str(data))
    assert out.returncode == ExitCode.BAD_ARGUMENTS and complaint in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("args", [("status",), ("show", "documents"), ("rejects",)])
def test_inspect_commands_answer_a_damaged_table_with_exit_4_and_one_line(tmp_path, args):
    data = _published(tmp_path / "data")
    for table in ("documents", "rejects", "runs"):
        parts = catalogue.part_files(data, table)
        path = next(iter(parts.values())) if parts else catalogue.path(data, table)
        path.write_bytes(path.read_bytes()[:40])
    out = newsflow(*args, "--data", str(data), "--seeds", str(tmp_path)) if args == ("status",) else \
        newsflow(*args, "--data", str(data))
    assert out.returncode == ExitCode.IO_ERROR, out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_inspect_commands_without_a_data_folder_say_to_run_first(tmp_path):
    out = newsflow("status", "--data", str(tmp_path / "none"))
    assert out.returncode == ExitCode.BAD_ARGUMENTS and "run `newsflow run" in out.stderr


def test_status_shows_last_runs_table_sizes_and_pending_files(tmp_path):
    data = _published(tmp_path / "data")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "one.txt").write_text("changed text")
    (seeds / "three.txt").write_text("a new file")
    out = newsflow("status", "--data", str(data), "--seeds", str(seeds))
    assert out.returncode == 0, out.stderr
    assert "r1" in out.stdout and "f-1" in out.stdout  # the run and its Prefect flow run
    assert "documents" in out.stdout and "one row per accepted input file" in out.stdout
    assert "1 new, 1 changed, 2 deleted" in out.stdout
    assert "new     three.txt" in out.stdout and "deleted blank.txt" in out.stdout


def _a_stage_working_then_finishing() -> None:
    import dataclasses

    from newsflow import progress

    @dataclasses.dataclass(frozen=True)
    class Stage:
        stage: str
        seconds: float
        counts: dict[str, int]

    progress.stage_finished(Stage("ingest", 0.1, {"inputs": 40}))
    advance = progress.counter("clean", "documents cleaned", 40)
    for _ in range(12):
        advance(1)
    time.sleep(0.4)  # the live bar redraws ten times a second
    for _ in range(28):
        advance(1)
    progress.stage_finished(Stage("clean", 1.2, {"documents": 40}))


def test_on_a_terminal_a_bar_shows_the_running_stage_counts_between_the_stage_lines(tmp_path):
    from io import StringIO

    from rich.console import Console

    from newsflow.cli import _progress_printer

    out = StringIO()
    console = Console(file=out, force_terminal=True, width=120)
    with _progress_printer(tmp_path / "seeds", tmp_path / "data", console=console):
        _a_stage_working_then_finishing()
    text = out.getvalue()
    assert "12/40" in text and "documents cleaned" in text and "[2/5] clean" in text
    assert "[1/5] ingest         40 files  0.1 s" in text and "[2/5] clean          40 docs  1.2 s" in text


def test_piped_output_is_the_plain_stage_lines_only_with_no_control_characters(tmp_path, capsys):
    from newsflow.cli import _progress_printer

    with _progress_printer(tmp_path / "seeds", tmp_path / "data"):
        _a_stage_working_then_finishing()
    text = capsys.readouterr().out
    assert text.splitlines() == [f"newsflow {tmp_path / 'seeds'} → {tmp_path / 'data'}",
                                 "[1/5] ingest         40 files  0.1 s", "[2/5] clean          40 docs  1.2 s"]
    assert not any(ch in text for ch in "\x1b\r\b")


def test_a_negative_worker_count_is_a_bad_argument(tmp_path):
    (tmp_path / "seeds").mkdir()
    out = newsflow("run", "--seeds", str(tmp_path / "seeds"), "--data", str(tmp_path / "data"), "--workers", "-1")
    assert out.returncode == ExitCode.BAD_ARGUMENTS and "workers = -1" in out.stderr


def test_serve_refuses_a_bad_worker_count_before_starting_anything(tmp_path):
    from typer.testing import CliRunner

    from newsflow.cli import app

    result = CliRunner().invoke(app, ["serve", "--seeds", str(tmp_path / "s"), "--data", str(tmp_path / "d"),
                                      "--workers", "-1"])
    assert result.exit_code == 2 and "workers" in result.output
    assert not (tmp_path / "d").exists()
