"""Great Expectations gates: run a table's suite (from `expectations/<table>.py`) and report failing rows.

A suite module declares GRAIN, KEY, `build(ctx) -> list[Expectation]` and optionally
`derive(frame, ctx) -> frame`, which adds boolean `check_*` columns for rules that span columns or
tables (offsets verbatim, ids present upstream). Results are kept as JSON and GX Data Docs HTML.
"""

from __future__ import annotations

import importlib
import logging
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pandas as pd

from newsflow import catalogue

log = logging.getLogger(__name__)
_SAMPLE_ROWS = 5
_SITE = "newsflow"


@dataclass(frozen=True)
class SuiteContext:
    """What a suite may compare a table with: the run date, the input count and the run's other tables."""

    run_date: date
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    n_inputs: int | None = None

    def other(self, name: str) -> pd.DataFrame:
        """Return another table of this run (an empty frame with its columns when absent)."""
        frame = self.tables.get(name)
        return catalogue.empty_frame(name) if frame is None else frame


@dataclass(frozen=True)
class Failure:
    """One failed expectation with a sample of the rows that broke it."""

    expectation: str
    kwargs: dict[str, Any]
    unexpected_count: int | None
    observed_value: Any
    sample_rows: list[dict[str, Any]]
    description: str | None = None

    def describe(self) -> str:
        """Return a one-paragraph human-readable account of the failure."""
        args = ", ".join(f"{k}={v!r}" for k, v in self.kwargs.items() if k != "batch_id")
        head = f"{self.expectation}({args})"
        if self.unexpected_count is not None:
            head += f": {self.unexpected_count} failing rows"
        elif self.observed_value is not None:
            head += f": observed {self.observed_value!r}"
        rows = "".join(f"\n      {row}" for row in self.sample_rows)
        why = f"\n    guards: {self.description}" if self.description else ""
        return head + why + (f"\n    sample rows:{rows}" if rows else "")


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of one table's suite."""

    table: str
    success: bool
    n_expectations: int
    n_rows: int
    failures: tuple[Failure, ...]
    json_path: Path | None

    def message(self) -> str:
        """Return a readable summary naming each failed expectation and sample failing rows."""
        if self.success:
            return f"{self.table}: {self.n_expectations} expectations passed on {self.n_rows} rows"
        lines = [f"table {self.table!r} failed {len(self.failures)} of {self.n_expectations} expectations:"]
        lines += [f"  - {f.describe()}" for f in self.failures]
        if self.json_path:
            lines.append(f"  full results: {self.json_path}")
        return "\n".join(lines)


class ValidationError(RuntimeError):
    """Raised when a table fails its suite; carries the report."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(report.message())
        self.report = report


def suite_module(name: str) -> ModuleType:
    """Import the suite module of a table (expectations/<name>.py)."""
    return importlib.import_module(f"expectations.{name}")


class Validator:
    """Runs suites with one GX context (import and set-up are paid once per run)."""

    def __init__(self, report_dir: Path | None = None, run_id: str | None = None) -> None:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        self._run_id = run_id
        import great_expectations as gx

        self._gx = gx
        self._report_dir = Path(report_dir).resolve() if report_dir else None  # GX's site builder needs an absolute path
        self._context = gx.get_context(mode="ephemeral")
        _quiet_progress_bars(self._context)
        _skip_frame_fingerprints()
        if self._report_dir:
            _share_compiled_templates(self._report_dir / "docs" / ".jinja-cache")
            self._context.add_data_docs_site(
                site_name=_SITE,
                site_config={
                    "class_name": "SiteBuilder",
                    "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                                      "base_directory": str(self._report_dir / "docs")},
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                    # Validation pages only: each lists every expectation with its parameters and outcome, so
                    # separate suite pages repeat them and would double the rendering time of every run.
                    "site_section_builders": {"expectations": "0", "profiling": "0"},
                },
            )
        self._source = self._context.data_sources.add_pandas("newsflow")
        self._stored = 0
        self._batches: Any = None

    def validate(self, name: str, frame: pd.DataFrame, ctx: SuiteContext) -> ValidationReport:
        """Validate a table's frame (as it will be read back from Parquet) against its suite."""
        gx = self._gx
        module = suite_module(name)
        spec = catalogue.table(name)
        checked = _widened(catalogue.to_arrow(name, frame).to_pandas())
        derive = getattr(module, "derive", None)
        if derive is not None:
            checked = derive(checked, ctx)
        suite = gx.ExpectationSuite(
            name=name, meta={"grain": module.GRAIN, "key": list(module.KEY), "table": spec.name},
            expectations=[_described(e) for e in module.build(ctx)],
        )
        batch = self._batch_definition().get_batch(batch_parameters={"dataframe": checked})
        # The gate only needs pass/fail per expectation (BOOLEAN_ONLY: about half the cost of COMPLETE, which
        # lists every failing row); a failed suite is re-run with COMPLETE for its counts and failing rows,
        # and that result is the one reported. The suite is validated as built, not saved to the context:
        # saving suites and validation definitions serialises them again on every run (a quarter of the
        # validation time). The result goes to the results store for the Data Docs.
        run_result = batch.validate(suite, result_format={"result_format": "BOOLEAN_ONLY"})
        success = bool(run_result.success)
        if not success:
            run_result = batch.validate(suite, result_format={"result_format": "COMPLETE"})
        validated_at = datetime.now(UTC).isoformat(timespec="seconds")
        run_result.meta.update({"run_id": self._run_id, "validated_at": validated_at, "table": name,
                                "grain": module.GRAIN, "n_rows": len(checked)})
        if self._report_dir:
            self._store_result(name, batch.id, run_result)
        failures = tuple(_failure(r, checked, module.KEY) for r in run_result.results if not r.success)
        json_path = catalogue.write_json(self._report_dir / f"{name}.json", run_result.to_json_dict()) if self._report_dir else None
        report = ValidationReport(name, success, len(run_result.results), len(checked), failures, json_path)
        log.info(report.message())
        return report

    def _batch_definition(self) -> Any:
        """Return the whole-dataframe batch definition every table is validated through (made once per context:
        each asset or batch definition added saves the context's configuration again)."""
        if self._batches is None:
            self._batches = self._source.add_dataframe_asset("tables").add_batch_definition_whole_dataframe("whole")
        return self._batches

    def _store_result(self, name: str, batch_id: str, result: Any) -> None:
        """Keep a result in the context's results store, where the Data Docs read it."""
        from great_expectations.core.run_identifier import RunIdentifier
        from great_expectations.data_context.types.resource_identifiers import (
            ExpectationSuiteIdentifier, ValidationResultIdentifier)

        self._stored += 1  # a table validated twice in a run (documents) gets two pages
        run_name = f"{self._run_id} {name}" if self._run_id else f"{name}-{self._stored}"
        if self._stored > 1 and self._run_id:
            run_name += f" #{self._stored}"
        key = ValidationResultIdentifier(ExpectationSuiteIdentifier(name), RunIdentifier(run_name=run_name), batch_id)
        self._context.validation_results_store.set(key, result)

    def build_docs(self) -> Path | None:
        """Render the Data Docs HTML of every validation run so far; return the index page."""
        if not self._report_dir:
            return None
        # The index lists this context's results only; pages of earlier runs would pile up unlinked.
        shutil.rmtree(self._report_dir / "docs" / "validations", ignore_errors=True)
        # This site only: an ephemeral context also has a default site in a temporary folder, which nobody
        # reads and which cost as much to render again as ours.
        self._context.build_data_docs(site_names=[_SITE])
        return self._report_dir / "docs" / "index.html"



def _share_compiled_templates(folder: Path) -> None:
    """Give GX's Data Docs views a jinja bytecode cache in folder.

    GX builds a new jinja Environment for every view it renders, so each Data Docs build parsed and compiled
    the same ~70 templates again: half of the rendering time of every run. The cache keys on template name and
    source checksum, so an upgraded GX recompiles what changed; without it (older or newer GX) docs still render.
    """
    try:
        from great_expectations.render.view.view import DefaultJinjaView
        from jinja2 import FileSystemBytecodeCache
    except ImportError:
        return
    folder.mkdir(parents=True, exist_ok=True)
    cache = FileSystemBytecodeCache(str(folder))
    init = getattr(DefaultJinjaView.__init__, "__wrapped__", DefaultJinjaView.__init__)

    def init_with_cache(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        env = getattr(self, "env", None)
        if env is not None:
            env.bytecode_cache = cache

    init_with_cache.__wrapped__ = init  # type: ignore[attr-defined]
    DefaultJinjaView.__init__ = init_with_cache  # type: ignore[method-assign]


def _widened(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the frame with narrower numeric columns (int32, uint16, float32, ...) as int64/float64 (lossless).

    GX's pandas range checks compare values in one vectorised step only for int64 and float64 columns; for any
    other width they call a Python function per value (about a tenth of all suites' time at 2,000 articles).
    The values and so the outcomes are the same; the schema's own widths are enforced when the table is written.
    """
    wider = {c: "int64" if t.kind in "iu" else "float64" for c, t in frame.dtypes.items()
             if isinstance(t, np.dtype) and t.kind in "iuf" and t.itemsize < 8}
    return frame.astype(wider) if wider else frame


def _skip_frame_fingerprints() -> None:
    """Stop GX's pandas engine from md5-hashing every row of each frame it validates.

    The hash only becomes a `pandas_data_fingerprint` batch marker in the results, yet GX computes it twice
    per suite (for the batch and again for the validator's copy of it): a quarter of the validation time of an
    incremental run, growing with the tables. GX skips it for frames above HASH_THRESHOLD bytes; a threshold
    of 0 skips it always. A result still names its table, suite and run; the frame itself is the one
    the run then writes.
    """
    try:
        from great_expectations.execution_engine import pandas_execution_engine
    except ImportError:
        return
    if hasattr(pandas_execution_engine, "HASH_THRESHOLD"):  # other GX versions: the hash is only slower
        pandas_execution_engine.HASH_THRESHOLD = 0


def _quiet_progress_bars(context: Any) -> None:
    try:
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    except (ImportError, AttributeError, TypeError):  # older/newer GX: progress bars only cost log noise
        pass


def _failure(result: Any, frame: pd.DataFrame, key: tuple[str, ...]) -> Failure:
    config = result.expectation_config
    details = result.result or {}
    indices = list(details.get("unexpected_index_list") or [])[:_SAMPLE_ROWS]
    column = config.kwargs.get("column")
    shown = [c for c in (*key, column) if c and c in frame.columns]
    shown = list(dict.fromkeys(shown)) or list(frame.columns[:4])
    rows: list[dict[str, Any]] = []
    for index in indices:
        if isinstance(index, dict):  # GX may give {column: value} mappings instead of positions
            rows.append(index)
        elif index in frame.index:
            rows.append({c: _short(frame.at[index, c]) for c in shown})
    return Failure(
        expectation=config.type,
        kwargs={k: v for k, v in config.kwargs.items() if k != "batch_id"},
        unexpected_count=details.get("unexpected_count"),
        observed_value=details.get("observed_value"),
        sample_rows=rows,
        description=getattr(config, "description", None),
    )


def _short(value: Any) -> Any:
    text = value if isinstance(value, str) else None
    return text[:80] + "…" if text and len(text) > 80 else value


def _described(expectation: Any) -> Any:
    """Give an expectation its `description` (what it guards) when the suite did not: the suite's `meta["why"]`,
    else a sentence made from its type and arguments."""
    if not getattr(expectation, "description", None):
        why = (getattr(expectation, "meta", None) or {}).get("why")
        expectation.description = why or describe_expectation(type(expectation).__name__, expectation.configuration.kwargs)
    return expectation


def describe_expectation(kind: str, kwargs: Mapping[str, Any]) -> str:
    """Return a plain sentence for a GX expectation of the given class name and arguments."""
    col = kwargs.get("column")
    low, high = kwargs.get("min_value"), kwargs.get("max_value")
    bounds = (f"between {low} and {high}" if low is not None and high is not None
              else f"at least {low}" if low is not None else f"at most {high}" if high is not None else "in range")
    values = kwargs.get("value_set")
    shown = ", ".join(map(str, list(values)[:8])) + (", …" if values is not None and len(values) > 8 else "") if values is not None else ""
    sentences = {
        "ExpectColumnValuesToBeUnique": f"no two rows share a {col} (it is a key)",
        "ExpectColumnValuesToNotBeNull": f"every row has a {col}",
        "ExpectColumnValuesToBeInSet": f"{col} is one of: {shown}",
        "ExpectColumnValuesToBeBetween": f"{col} is {bounds}",
        "ExpectColumnValueLengthsToBeBetween": f"the length of {col} is {bounds}",
        "ExpectColumnValuesToMatchRegex": f"{col} matches {kwargs.get('regex')}",
        "ExpectColumnValuesToBeOfType": f"{col} holds {kwargs.get('type_')} values",
        "ExpectCompoundColumnsToBeUnique": f"no two rows share ({', '.join(kwargs.get('column_list') or [])}) (the key)",
        "ExpectColumnPairValuesAToBeGreaterThanB": f"{kwargs.get('column_A')} is not before {kwargs.get('column_B')}",
        "ExpectTableRowCountToEqual": f"the table has exactly {kwargs.get('value')} rows",
        "ExpectTableRowCountToBeBetween": f"the row count is {bounds}",
        "ExpectTableColumnsToMatchSet": "the table has exactly its catalogue columns",
        "ExpectTableColumnsToMatchOrderedList": "the table has exactly its catalogue columns, in order",
        "ExpectColumnToExist": f"the column {col} exists",
    }
    found = sentences.get(kind)
    if found is not None:
        return found
    args = ", ".join(f"{k}={v}" for k, v in kwargs.items() if k != "batch_id")
    return f"{kind.removeprefix('Expect')} ({args})"
