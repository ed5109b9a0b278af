"""The `newsflow` command: run the pipeline, serve it with a UI, and inspect the published tables.

Arguments, folders and the settings file are checked before anything heavy is imported, so a mistake is
answered at once; a run with nothing new is answered without starting Prefect (newsflow/fastpath.py).
Expected conditions end with one line and a documented exit code (newsflow/exitcodes.py); `--debug` adds
the traceback.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import typer

from newsflow import settings as settings_mod
from newsflow.exitcodes import ExitCode, NewsflowError
from newsflow.integrity import MANIFEST

EXAMPLES = """\b
Examples:
  newsflow run                                  # seeds/ -> data/, only new or changed files
  newsflow run --seeds ~/news --data ~/tables --story-threshold 0.4
  newsflow run --full-refresh                   # recompute every document
  newsflow run --workers 2                      # per-document steps on a local Dask cluster of 2 processes
  newsflow serve --port 4300                    # Prefect UI, schedule and rerun on new files
  newsflow status                               # last runs, table sizes, pending seed files
  newsflow rejects                              # which files were not read, and why
  newsflow show claims --where "n_sources >= 2" --columns speaker,text --limit 5
\b
Exit codes:
  0  ok (or nothing new to do)
  1  a table failed validation (or a stage failed): the previous tables are left in place
  2  bad arguments or settings (missing seeds folder, unknown table, bad newsflow.toml)
  3  the data folder is locked by another run (use --wait SECONDS)
  4  input/output error (a folder not writable, a file where a folder should be, disk full)
  5  refused: the run would shrink the published tables
\b
Settings: newsflow.toml (or [tool.newsflow] in pyproject.toml) in the working folder sets the default of
every option below; a flag overrides it. See the README."""

app = typer.Typer(help="newsflow: news articles in, validated Parquet tables out.", epilog=EXAMPLES,
                  no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                  pretty_exceptions_enable=False, context_settings={"help_option_names": ["-h", "--help"]})
_state: dict[str, bool] = {"debug": False}


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            print(f"newsflow {version('newsflow')}")
        except PackageNotFoundError:
            print("newsflow (not installed)")
        raise typer.Exit(ExitCode.OK)


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks and Prefect's own log lines."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
) -> None:
    """newsflow: news articles in, validated Parquet tables out."""
    _state["debug"] = debug


def _fail(code: ExitCode, message: str) -> NoReturn:
    """Print one line to stderr and exit with the code (the traceback too with --debug)."""
    if _state["debug"] and sys.exc_info()[0] is not None:
        import traceback

        traceback.print_exc()
    print(f"newsflow: {message}", file=sys.stderr, flush=True)
    raise typer.Exit(int(code))


def _settings(**flags: Any) -> settings_mod.Settings:
    try:
        return settings_mod.with_flags(settings_mod.load(), **flags)
    except settings_mod.SettingsError as exc:
        _fail(ExitCode.BAD_ARGUMENTS, str(exc))


def _check_folders(seeds: Path | None, data: Path) -> None:
    """Answer a missing seeds folder (2) or an unusable data folder (4) before any heavy import."""
    if seeds is not None:
        if not seeds.exists():
            _fail(ExitCode.BAD_ARGUMENTS, f"seeds folder not found: {seeds}")
        if not seeds.is_dir():
            _fail(ExitCode.BAD_ARGUMENTS, f"seeds is not a folder: {seeds}")
        if not os.access(seeds, os.R_OK | os.X_OK):
            _fail(ExitCode.IO_ERROR, f"seeds folder not readable: {seeds}")
    if data.exists() and not data.is_dir():
        _fail(ExitCode.IO_ERROR, f"data is a file, not a folder: {data}")
    existing = data
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        _fail(ExitCode.IO_ERROR, f"cannot create the data folder {data}: {existing} is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        _fail(ExitCode.IO_ERROR, f"data folder not writable: {existing}")


def _data_folder_only(data: Path) -> None:
    if not data.is_dir():
        _fail(ExitCode.BAD_ARGUMENTS, f"no data folder {data}: run `newsflow run --data {data}` first")


@app.command(epilog=EXAMPLES)
def run(
    seeds: Path = typer.Option(None, help="Folder of plain-text articles [settings: seeds, default seeds]."),
    data: Path = typer.Option(None, help="Folder for the tables and reports [settings: data, default data]."),
    full_refresh: bool = typer.Option(False, "--full-refresh", help="Recompute every document instead of reusing unchanged ones."),
    max_file_mb: float = typer.Option(None, help="Files larger than this are rejected [default 5]."),
    near_duplicate_jaccard: float = typer.Option(None, help="Shingle Jaccard at or above which two articles are near copies [stage default]."),
    spun_threshold: float = typer.Option(None, help="Synonym-robust score at or above which an article is a spun copy [stage default]."),
    story_threshold: float = typer.Option(None, help="Similarity at or above which two articles are one story [stage default]."),
    summary_sentences: int = typer.Option(None, help="Sentences in each article summary [stage default]."),
    wait: float = typer.Option(None, help="Seconds to wait for another run on the same data folder [default 0]."),
    allow_shrink: bool = typer.Option(False, "--allow-shrink", help="Publish even if the run removes more than half "
                                      "of the published documents, or all of them (an empty seeds folder)."),
    workers: int = typer.Option(None, help="Run the per-document steps on a local Dask cluster of this many "
                                "worker processes [settings: workers, default 0: in this process, no Dask]."),
    dask_address: str = typer.Option(None, help="Run them on an existing Dask cluster, e.g. tcp://HOST:8786 "
                                     f"[env {settings_mod.DASK_ADDRESS_ENV}; settings: dask_address]."),
) -> None:
    """Run the flow on a seeds folder (only new or changed files); print one line per stage as it finishes."""
    started = time.perf_counter()
    conf = _settings(seeds=str(seeds) if seeds else None, data=str(data) if data else None, max_file_mb=max_file_mb,
                     near_duplicate_jaccard=near_duplicate_jaccard, spun_threshold=spun_threshold,
                     story_threshold=story_threshold, summary_sentences=summary_sentences, wait_for_lock_seconds=wait,
                     workers=workers, dask_address=dask_address or os.environ.get(settings_mod.DASK_ADDRESS_ENV) or None)
    seeds_dir, data_dir = Path(conf.seeds), Path(conf.data)
    _check_folders(seeds_dir, data_dir)
    parameters = conf.flow_parameters()
    if not full_refresh and _answer_unchanged(seeds_dir, data_dir, parameters, conf.wait_for_lock_seconds, started):
        return
    _prefect_environment(conf)
    had_tables = (data_dir / MANIFEST).exists()
    try:
        from flows.pipeline import run_in_process
        from flows.runners import Engine
    except Exception as exc:  # noqa: BLE001 - a broken install: say so in one line
        _fail(ExitCode.IO_ERROR, f"cannot load the pipeline ({type(exc).__name__}: {exc})")
    _quiet_prefect_console()
    from newsflow.reaper import reap_children_on_exit

    reap_children_on_exit()  # even after kill -9, the temporary Prefect server this run starts does not outlive it
    try:
        with _progress_printer(seeds_dir, data_dir):
            summary = run_in_process(engine=Engine(conf.workers, conf.dask_address),
                                     seeds=str(seeds_dir), data=str(data_dir), full_refresh=full_refresh,
                                     wait_for_lock_seconds=conf.wait_for_lock_seconds, allow_shrink=allow_shrink,
                                     **parameters)
    except KeyboardInterrupt:
        print(f"newsflow: interrupted{_kept(had_tables)}", file=sys.stderr)
        raise typer.Exit(130) from None
    except Exception as exc:  # noqa: BLE001 - mapped to exit codes below; the traceback only with --debug
        code, message = _classify(exc)
        if code == ExitCode.VALIDATION_FAILED and "\n" in message:
            print(message, file=sys.stderr)
            message = "validation failed"
        _fail(code, message + (_kept(had_tables) if code in (ExitCode.VALIDATION_FAILED, ExitCode.IO_ERROR) else ""))
    _print_summary(summary, time.perf_counter() - started, data_dir)


def _kept(had_tables: bool) -> str:
    return "; the previous tables are left in place" if had_tables else "; no tables were published"


def _classify(exc: BaseException) -> tuple[ExitCode, str]:
    """Map a run's exception to its exit code and one line (expected conditions need no traceback)."""
    from newsflow.validation import ValidationError
    from newsflow.workspace import RunLocked

    if isinstance(exc, RunLocked):
        text = str(exc)
        return ExitCode.LOCKED, text if "--wait" in text else f"{text} (or pass --wait SECONDS)"
    if isinstance(exc, ValidationError):
        return ExitCode.VALIDATION_FAILED, str(exc)
    if isinstance(exc, NewsflowError):
        return exc.exit_code, str(exc)
    if _is_prefect_parameter_error(exc):
        return ExitCode.BAD_ARGUMENTS, str(exc)
    if isinstance(exc, OSError):
        where = f": {exc.filename}" if getattr(exc, "filename", None) else ""
        return ExitCode.IO_ERROR, f"input/output error ({exc.strerror or exc}){where}"
    return ExitCode.VALIDATION_FAILED, f"run failed ({type(exc).__name__}: {exc}); rerun with --debug for the traceback"


def _is_prefect_parameter_error(exc: BaseException) -> bool:
    """True for Prefect's refusal of flow parameters (wrong type or name), raised before any stage runs."""
    if "prefect" not in sys.modules:
        return False
    from prefect.exceptions import ParameterBindError, ParameterTypeError, SignatureMismatchError

    return isinstance(exc, (ParameterBindError, ParameterTypeError, SignatureMismatchError))


@contextmanager
def _reading_tables() -> Iterator[None]:
    """Answer a damaged or unreadable published table with its exit code and one line, as a run does."""
    try:
        yield
    except (NewsflowError, OSError) as exc:
        _fail(*_classify(exc))


def _answer_unchanged(seeds: Path, data: Path, parameters: dict[str, Any], wait: float, started: float) -> bool:
    """Record and print an unchanged run without Prefect when nothing changed since the last good run."""
    from newsflow import fastpath

    if not fastpath.unchanged(seeds, data, parameters):
        return False
    from newsflow.workspace import RunLocked, run_lock

    try:
        with run_lock(data, wait):
            if not fastpath.unchanged(seeds, data, parameters):  # a run finished while we waited
                return False
            row = fastpath.record_unchanged(data, parameters)
    except RunLocked as exc:
        _fail(*_classify(exc))
    except OSError as exc:
        _fail(*_classify(exc))
    print(f"newsflow run {row['run_id']}: unchanged — no new, changed or deleted seed files "
          f"({row['n_inputs']} inputs → {row['n_documents']} documents, {row['n_rejects']} rejects; "
          f"{time.perf_counter() - started:.1f} s, no flow run needed)", flush=True)
    return True


def _prefect_environment(conf: settings_mod.Settings) -> None:
    """Send the run where served runs go: PREFECT_API_URL, else a local server answering on the port, else the
    settings' Prefect home (the database `newsflow serve` uses), with a temporary server."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    # The temporary API server needs ~10-16 s to start; on a loaded machine the 20 s default is too short.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    if os.environ.get("PREFECT_API_URL") or _profile_api_url():
        return  # a server chosen by the environment or the user's Prefect profile: use it
    local = f"http://127.0.0.1:{conf.port}/api"
    if _answers(local):
        os.environ["PREFECT_API_URL"] = local
        return
    os.environ.setdefault("PREFECT_HOME", str(Path(conf.prefect_home).resolve()))


def _profile_api_url() -> str | None:
    """Return the API URL of the active profile in the user's Prefect profiles file, if it sets one."""
    import tomllib

    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect")
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml")
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or doc.get("active", "ephemeral")
    url = (doc.get("profiles", {}).get(active) or {}).get("PREFECT_API_URL")
    return url if isinstance(url, str) and url else None


def _answers(api_url: str) -> bool:
    """Tell whether a Prefect API answers its health check within a fraction of a second."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=0.5) as response:  # noqa: S310 - loopback only
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _quiet_prefect_console() -> None:
    """Keep Prefect's INFO lines (stage counts) going to the API but off the terminal; its errors are summed up
    in one line by the CLI unless --debug."""
    if _state["debug"]:
        return
    for name in ("prefect.flow_runs", "prefect.task_runs"):
        logging.getLogger(name).setLevel(logging.INFO)

    def console_filter(record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return False  # progress lines are printed by the CLI itself
        if not record.name.startswith("prefect"):
            return True
        return record.levelno == logging.WARNING and record.exc_info is None

    for handler in logging.getLogger().handlers:
        handler.addFilter(console_filter)


class _progress_printer:  # noqa: N801 - used as a context manager
    """Print each finished stage's line (and run notes); on a terminal above a live bar of the running stage's counts
    (rich), when piped as plain lines only: no bar, no control characters."""

    def __init__(self, seeds: Path, data: Path, console: Any = None) -> None:
        self._title = f"newsflow {seeds} → {data}"
        self._console: Any = console  # a rich Console (tests pass one); None: decided from stdout
        self._bar: Any = None
        self._task: Any = None
        self._listening: Any = None

    def __enter__(self) -> _progress_printer:
        from newsflow import progress

        terminal = self._console.is_terminal if self._console is not None else sys.stdout.isatty()
        if terminal:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._console = self._console or Console()
            self._bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                 TextColumn("{task.fields[count]}"), TimeElapsedColumn(), console=self._console,
                                 transient=True)
            self._task = self._bar.add_task(progress.stage_label(progress.STAGES[0]), total=None, count="")
            self._bar.start()
        else:
            self._console = None
            print(f"{self._title}", flush=True)
        self._listening = progress.listening(self._line, self._advance if self._bar is not None else None)
        self._listening.__enter__()
        return self

    def _advance(self, stage: str, done: int, total: int, unit: str) -> None:
        from newsflow import progress

        self._bar.update(self._task, description=progress.stage_label(stage), completed=done, total=total,
                         count=f"{done:,}/{total:,} {unit}")

    def _line(self, line: str, result: Any) -> None:
        from newsflow import progress

        if self._console is None:
            # Not print(): inside the flow Prefect's log_prints turns print() into log records.
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
            return
        self._console.print(line, markup=False, highlight=False)
        following = progress.next_stage(result) if result is not None else None
        if following:  # the next stage's counts start when it reports them; until then a spinner
            self._bar.reset(self._task, description=progress.stage_label(following), total=None, count="")

    def __exit__(self, *exc: object) -> None:
        self._listening.__exit__(*exc)
        if self._bar is not None:
            self._bar.stop()


def _print_summary(summary: Any, seconds: float, data: Path) -> None:
    if summary.message:
        print(summary.message)
    report = getattr(summary, "report", None)
    print(f"newsflow run {summary.run_id}: {summary.status} — {summary.n_inputs} inputs → {summary.n_documents} documents, "
          f"{summary.n_rejects} rejects; tables in {data}/ ({seconds:.1f} s in all)", flush=True)
    if report:
        print(f"report: {report}", flush=True)


@app.command(epilog=EXAMPLES)
def serve(
    seeds: Path = typer.Option(None, help="Folder of plain-text articles to watch [settings: seeds]."),
    data: Path = typer.Option(None, help="Folder for the tables and reports [settings: data]."),
    interval_minutes: float = typer.Option(None, help="Run the incremental flow this often (safety net) [default 60]."),
    port: int = typer.Option(None, help="Port of the local Prefect server and UI, 127.0.0.1 only [default 4200]."),
    prefect_home: Path = typer.Option(None, help="Where the local server keeps its SQLite database [default .prefect]."),
    quiet_seconds: float = typer.Option(None, help="A burst of file changes is one run once quiet this long [default 1]."),
    catch_up: bool = typer.Option(True, help="Start one run when serving begins (the folder may have changed)."),
    workers: int = typer.Option(None, help="Run each served run's per-document steps on a local Dask cluster of this "
                                "many worker processes [settings: workers, default 0: in the run's process]."),
    dask_address: str = typer.Option(None, help="Run them on an existing Dask cluster, e.g. tcp://HOST:8786 "
                                     f"[env {settings_mod.DASK_ADDRESS_ENV}; settings: dask_address]."),
) -> None:
    """Start (or reuse) a local Prefect server and serve the pipeline: UI runs, schedule, rerun on new seed files."""
    conf = _settings(seeds=str(seeds) if seeds else None, data=str(data) if data else None,
                     interval_minutes=interval_minutes, port=port,
                     prefect_home=str(prefect_home) if prefect_home else None, quiet_seconds=quiet_seconds,
                     workers=workers, dask_address=dask_address or os.environ.get(settings_mod.DASK_ADDRESS_ENV) or None)
    _check_folders(None, Path(conf.data))
    home = Path(conf.prefect_home)
    # Before Prefect is imported: its settings are read once, and flow runs inherit this environment.
    external_api = os.environ.get("PREFECT_API_URL") or None
    os.environ["PREFECT_API_URL"] = external_api or f"http://127.0.0.1:{conf.port}/api"
    os.environ.setdefault("PREFECT_HOME", str(home.resolve()))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from newsflow.serve import ServeOptions, ServerError
    from newsflow.serve import serve as serve_deployment
    from newsflow.watcher import WatchSettings

    options = ServeOptions(seeds=Path(conf.seeds), data=Path(conf.data), api_url=external_api,
                           interval_minutes=conf.interval_minutes, port=conf.port, prefect_home=home,
                           catch_up=catch_up, watch=WatchSettings(quiet_seconds=conf.quiet_seconds),
                           parameters=conf.flow_parameters(), workers=conf.workers, dask_address=conf.dask_address)
    try:
        serve_deployment(options)
    except ServerError as exc:
        _fail(ExitCode(getattr(exc, "exit_code", ExitCode.BAD_ARGUMENTS)), str(exc))
    except OSError as exc:
        _fail(*_classify(exc))
    except ValueError as exc:  # InvalidParameter: a bad setting, or a data folder inside the seeds folder
        _fail(*_classify(exc))


@app.command(epilog=EXAMPLES)
def rollback(
    run_id: str = typer.Argument(None, help="The version to restore (a run id) [default: the one before the current]."),
    data: Path = typer.Option(None, help="The data folder whose tables to restore [settings: data]."),
    list_versions: bool = typer.Option(False, "--list", help="List the kept versions and exit."),
) -> None:
    """Publish a kept earlier version of the tables again (the last 3 publishes are kept in DATA/.versions/)."""
    data_dir = Path(_settings(data=str(data) if data else None).data)
    if not data_dir.is_dir():
        _fail(ExitCode.BAD_ARGUMENTS, f"data folder not found: {data_dir}")
    from newsflow.workspace import read_manifest, run_lock, versions
    from newsflow.workspace import rollback as restore

    if list_versions:
        current = read_manifest(data_dir).get("run_id")
        for version in versions(data_dir):
            print(f"{version}{'  (current)' if version == current else ''}")
        return
    try:
        with run_lock(data_dir):
            restored = restore(data_dir, run_id)
    except Exception as exc:  # noqa: BLE001 - mapped to exit codes
        _fail(*_classify(exc))
    print(f"restored the tables of run {restored} in {data_dir}/; the next run recomputes what changed since then")


@app.command(epilog=EXAMPLES)
def status(
    data: Path = typer.Option(None, help="The data folder [settings: data]."),
    seeds: Path = typer.Option(None, help="The seeds folder to compare with [settings: seeds]."),
    runs: int = typer.Option(5, min=1, help="How many of the last runs to list."),
) -> None:
    """Show the last runs, each table's size, and the seed files the next run would pick up."""
    conf = _settings(seeds=str(seeds) if seeds else None, data=str(data) if data else None)
    data_dir = Path(conf.data)
    _data_folder_only(data_dir)
    from newsflow import inspection

    with _reading_tables():
        _print_frame(inspection.last_runs(data_dir, runs), f"last runs in {data_dir}")
        _print_frame(inspection.table_sizes(data_dir), "tables")
    seeds_dir = Path(conf.seeds)
    if not seeds_dir.is_dir():
        print(f"seeds folder {seeds_dir} not found: nothing pending")
        return
    with _reading_tables():
        todo = inspection.pending(seeds_dir, data_dir)
    if todo.nothing:
        print(f"pending in {seeds_dir}: nothing (the next run has nothing to do)")
        return
    print(f"pending in {seeds_dir}: {len(todo.new)} new, {len(todo.changed)} changed, {len(todo.deleted)} deleted")
    for label, names in (("new", todo.new), ("changed", todo.changed), ("deleted", todo.deleted)):
        for name in names[:20]:
            print(f"  {label:<8}{name}")
        if len(names) > 20:
            print(f"  … and {len(names) - 20} more {label}")


@app.command(epilog=EXAMPLES)
def rejects(
    data: Path = typer.Option(None, help="The data folder [settings: data]."),
    reason: str = typer.Option(None, help="Only rejects of this reason (e.g. binary, too_large)."),
    output: str = typer.Option("table", "--format", help="table, csv or json."),
) -> None:
    """List the input files that did not become documents, with the reason and details."""
    conf = _settings(data=str(data) if data else None)
    _data_folder_only(Path(conf.data))
    from newsflow import inspection

    with _reading_tables():
        frame = inspection.rejects(Path(conf.data), reason)
    _emit(frame, output, f"{len(frame)} rejects in {conf.data}")


@app.command(epilog=EXAMPLES)
def show(
    table: str = typer.Argument(..., help="documents, sentences, boilerplate, rejects, duplicates, stories, claims, summaries or runs."),
    where: str = typer.Option(None, help='A pandas query on the columns, e.g. "n_sources >= 2 and claim_type == \'quote\'".'),
    columns: str = typer.Option(None, help="Comma-separated columns to show."),
    limit: int = typer.Option(20, min=0, help="At most this many rows (0: all)."),
    output: str = typer.Option("table", "--format", help="table, csv or json."),
    data: Path = typer.Option(None, help="The data folder [settings: data]."),
) -> None:
    """Print a published table's rows, optionally filtered (--where) and narrowed (--columns)."""
    conf = _settings(data=str(data) if data else None)
    _data_folder_only(Path(conf.data))
    from newsflow import catalogue, inspection

    if table not in catalogue.TABLES:
        _fail(ExitCode.BAD_ARGUMENTS, f"unknown table {table!r}; tables: {', '.join(catalogue.TABLES)}")
    wanted = [c.strip() for c in columns.split(",") if c.strip()] if columns else None
    try:
        with _reading_tables():
            frame, matched = inspection.show(Path(conf.data), table, where, wanted, limit or None)
    except inspection.BadQuery as exc:
        _fail(ExitCode.BAD_ARGUMENTS, str(exc))
    _emit(frame, output, f"{table}: {len(frame)} of {matched} matching rows")


def _emit(frame: Any, output: str, title: str) -> None:
    if output == "csv":
        frame.to_csv(sys.stdout, index=False)
    elif output == "json":
        print(frame.to_json(orient="records", date_format="iso", force_ascii=False, indent=1))
    elif output == "table":
        _print_frame(frame, title)
    else:
        _fail(ExitCode.BAD_ARGUMENTS, f"--format {output!r}: use table, csv or json")


def _print_frame(frame: Any, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_lines=False)
    for column in frame.columns:
        table.add_column(str(column), overflow="fold", max_width=60)
    for row in frame.itertuples(index=False):
        table.add_row(*(_cell(v) for v in row))
    Console(width=None if sys.stdout.isatty() else 160).print(table)


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    return text if len(text) <= 300 else text[:300] + "…"


def main() -> None:
    """Entry point of the `newsflow` command and `python -m newsflow`."""
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    app()


if __name__ == "__main__":
    sys.exit(main())
