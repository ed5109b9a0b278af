"""The `newsflow` command: run the pipeline on a seeds folder, or serve it with a UI, schedule and file trigger."""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="newsflow: news articles in, validated Parquet tables out.", no_args_is_help=True,
                  add_completion=False)
console = Console(stderr=False)


@app.callback()
def _root() -> None:
    """newsflow: news articles in, validated Parquet tables out."""


@app.command()
def run(
    seeds: Path = typer.Option(Path("seeds"), help="Folder of plain-text articles."),
    data: Path = typer.Option(Path("data"), help="Folder for the Parquet tables and validation reports."),
    full_refresh: bool = typer.Option(False, help="Recompute every document instead of reusing unchanged ones."),
    max_file_mb: float = typer.Option(5.0, help="Files larger than this are rejected."),
    wait: float = typer.Option(0.0, help="Seconds to wait for another run on the same data folder to finish."),
) -> None:
    """Run the whole flow locally (no server to start); exit 1 when a stage fails validation."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    # The temporary API server needs ~10-16 s to start; on a loaded machine the 20 s default is too short.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    from flows.pipeline import run_in_process
    from newsflow.validation import ValidationError
    from newsflow.workspace import RunLocked

    if not seeds.is_dir():
        console.print(f"[red]seeds folder not found: {seeds}[/red]")
        raise typer.Exit(2)
    started = time.perf_counter()
    with console.status(f"running newsflow on {seeds} → {data} …"):
        try:
            summary = run_in_process(seeds=str(seeds), data=str(data), full_refresh=full_refresh,
                                     max_file_mb=max_file_mb, wait_for_lock_seconds=wait)
        except RunLocked as exc:
            console.print(f"[yellow]{exc}[/yellow]")
            raise typer.Exit(3) from None
        except ValidationError as exc:
            console.print("[red]validation failed; the previous tables are left in place[/red]")
            console.print(str(exc), markup=False)
            raise typer.Exit(1) from None
        except Exception as exc:  # noqa: BLE001 - any other failure: say what, keep the old tables, exit 1
            logging.getLogger("newsflow").debug("run failed", exc_info=True)
            console.print(f"[red]run failed ({type(exc).__name__}): the previous tables are left in place[/red]")
            console.print(str(exc), markup=False)
            raise typer.Exit(1) from None
    _print_summary(summary, time.perf_counter() - started, data)


@app.command()
def serve(
    seeds: Path = typer.Option(Path("seeds"), help="Folder of plain-text articles to watch."),
    data: Path = typer.Option(Path("data"), help="Folder for the Parquet tables and validation reports."),
    interval_minutes: float = typer.Option(60.0, help="Run the incremental flow this often (safety net)."),
    port: int = typer.Option(4200, help="Port of the local Prefect server and UI (127.0.0.1 only)."),
    prefect_home: Path = typer.Option(Path(".prefect"), help="Where the local server keeps its SQLite database."),
    quiet_seconds: float = typer.Option(1.0, help="A burst of file changes is one run once quiet this long."),
    catch_up: bool = typer.Option(True, help="Start one run when serving begins (the folder may have changed)."),
) -> None:
    """Start (or reuse) a local Prefect server and serve the pipeline: UI runs, schedule, rerun on new seed files."""
    if quiet_seconds <= 0 or interval_minutes <= 0:
        console.print("[red]--quiet-seconds and --interval-minutes must be positive[/red]")
        raise typer.Exit(2)
    # Before Prefect is imported: its settings are read once, and flow runs inherit this environment.
    external_api = os.environ.get("PREFECT_API_URL") or None
    os.environ["PREFECT_API_URL"] = external_api or f"http://127.0.0.1:{port}/api"
    os.environ.setdefault("PREFECT_HOME", str(prefect_home.resolve()))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from newsflow.serve import ServeOptions, ServerError
    from newsflow.serve import serve as serve_deployment
    from newsflow.watcher import WatchSettings

    try:
        serve_deployment(ServeOptions(seeds=seeds, data=data, api_url=external_api, interval_minutes=interval_minutes,
                                      port=port, prefect_home=prefect_home, catch_up=catch_up,
                                      watch=WatchSettings(quiet_seconds=quiet_seconds)))
    except ServerError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None


def _print_summary(summary: object, seconds: float, data: Path) -> None:
    table = Table(title=f"newsflow run {summary.run_id}: {summary.status}")
    table.add_column("stage")
    table.add_column("seconds", justify="right")
    table.add_column("counts")
    for stage in summary.stages:
        counts = ", ".join(f"{k} {v}" for k, v in stage.counts.items())
        table.add_row(stage.stage, f"{stage.seconds:.2f}", counts)
    console.print(table)
    if summary.message:
        console.print(summary.message)
    console.print(f"{summary.n_inputs} inputs → {summary.n_documents} documents, {summary.n_rejects} rejects; "
                  f"tables in {data}/, validation reports in {data}/validation/ ({seconds:.1f} s in all)")


def main() -> None:
    """Entry point for `python -m newsflow`."""
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    app()


if __name__ == "__main__":
    sys.exit(main())
