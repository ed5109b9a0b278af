"""Suite for `runs`: one row per pipeline run; key run_id."""

from __future__ import annotations

import great_expectations.expectations as gxe

from newsflow.validation import SuiteContext

GRAIN = "one row per pipeline run"
KEY = ("run_id",)
STATUSES = ["completed", "unchanged", "failed"]


def build(ctx: SuiteContext) -> list[gxe.Expectation]:
    """Build the expectations of the runs table."""
    return [
        gxe.ExpectColumnValuesToBeUnique(column="run_id"),
        gxe.ExpectColumnValuesToBeInSet(column="status", value_set=STATUSES),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="finished_at", column_B="started_at", or_equal=True),
        gxe.ExpectColumnValuesToBeBetween(column="n_documents", min_value=0),
    ]
