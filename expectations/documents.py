"""Suite for `documents`: one row per accepted input file (article); key doc_id."""

from __future__ import annotations

import great_expectations.expectations as gxe
import pandas as pd

from expectations._checks import all_true, dates_in_range
from newsflow.validation import SuiteContext
from transforms.clean import EARLIEST_DATE

GRAIN = "one row per accepted input file (article)"
KEY = ("doc_id",)
DATE_SOURCES = ["header", "text", "duplicate", "story", "none"]


def derive(frame: pd.DataFrame, ctx: SuiteContext) -> pd.DataFrame:
    """Add checks: date in [1990-01-01, run date]; date null only when date_source is 'none'; sentence counts match."""
    counts = ctx.other("sentences").groupby("doc_id").size() if "sentences" in ctx.tables else None
    return frame.assign(
        check_date_in_range=dates_in_range(frame["published_date"], EARLIEST_DATE, ctx.run_date),
        check_date_null_iff_none=frame["published_date"].isna() == (frame["date_source"] == "none"),
        check_sentence_count=(
            frame["n_sentences"] == frame["doc_id"].map(counts).fillna(0) if counts is not None else True
        ),
    )


def build(ctx: SuiteContext) -> list[gxe.Expectation]:
    """Build the expectations of the documents table."""
    out: list[gxe.Expectation] = [
        gxe.ExpectColumnValuesToBeUnique(column="doc_id"),
        gxe.ExpectColumnValuesToBeUnique(column="source_file"),
        gxe.ExpectColumnValuesToBeOfType(column="doc_id", type_="str"),
        gxe.ExpectColumnValuesToMatchRegex(column="sha256", regex=r"^[0-9a-f]{64}$"),
        gxe.ExpectColumnValuesToBeInSet(column="date_source", value_set=DATE_SOURCES),
        gxe.ExpectColumnValueLengthsToBeBetween(column="clean_text", min_value=1),
        gxe.ExpectColumnValuesToBeBetween(column="n_sentences", min_value=1),
        all_true("check_date_in_range", "published_date between 1990-01-01 and the run date"),
        all_true("check_date_null_iff_none", "published_date is null exactly when date_source is 'none'"),
        all_true("check_sentence_count", "n_sentences equals the document's rows in sentences"),
    ]
    out += [gxe.ExpectColumnValuesToNotBeNull(column=c) for c in
            ("doc_id", "source_file", "sha256", "encoding", "clean_text", "ingested_at", "run_id")]
    if ctx.n_inputs is not None:
        out.append(gxe.ExpectTableRowCountToEqual(
            value=ctx.n_inputs - len(ctx.other("rejects")), meta={"why": "documents + rejects = input files"}))
    return out
