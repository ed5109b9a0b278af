"""Suite for `rejects`: one row per input file that did not become a document; key source_file."""

from __future__ import annotations

import great_expectations.expectations as gxe

from newsflow.validation import SuiteContext
from transforms import ingest

GRAIN = "one row per input file that did not become a document"
KEY = ("source_file",)
REASONS = [
    ingest.EMPTY, ingest.WHITESPACE_ONLY, ingest.BINARY, ingest.TOO_LARGE, ingest.UNSUPPORTED_EXTENSION,
    ingest.SYMLINK_OUTSIDE, ingest.UNREADABLE, ingest.UNDECODABLE, ingest.EMPTY_AFTER_CLEANING,
    ingest.TOO_MANY_FILES, ingest.CHANGED_WHILE_READ, ingest.TOO_LARGE_AFTER_CLEANING,
]


def build(ctx: SuiteContext) -> list[gxe.Expectation]:
    """Build the expectations of the rejects table."""
    return [
        gxe.ExpectColumnValuesToBeUnique(column="source_file"),
        gxe.ExpectColumnValuesToNotBeNull(column="source_file"),
        gxe.ExpectColumnValuesToBeInSet(column="reason", value_set=REASONS),
        gxe.ExpectColumnValueLengthsToBeBetween(column="detail", min_value=1),
        gxe.ExpectColumnValuesToNotBeNull(column="run_id"),
    ]
