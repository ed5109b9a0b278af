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
    from flows.pipeline import pipeline
    from newsflow.validation import ValidationError
    from newsflow.workspace import RunLocked

    if not seeds.is_dir():
        console.print(f"[red]seeds folder not found: {seeds}[/red]")
        raise typer.Exit(2)
    started = time.perf_counter()
    with console.status(f"running newsflow on {seeds} → {data} …"):
        try:
            summary = pipeline(seeds=str(seeds), data=str(data), full_refresh=full_refresh,
                               max_file_mb=max_file_mb, wait_for_lock_seconds=wait)
        except RunLocked as exc:
            console.print(f"[yellow]{exc}[/yellow]")
            raise typer.Exit(3) from None
        except ValidationError as exc:
            console.print("[red]validation failed; the previous tables are left in place[/red]")
            console.print(str(exc), markup=False)
            raise typer.Exit(1) from None
    _print_summary(summary, time.perf_counter() - started, data)


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
    app()


if __name__ == "__main__":
    sys.exit(main())
