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
        gxe.ExpectColumnValuesToBeUnique(column="run_id", description="each run is recorded once"),
        gxe.ExpectColumnValuesToBeInSet(column="status", value_set=STATUSES,
                                        description="a run ends completed, unchanged or failed"),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="finished_at", column_B="started_at", or_equal=True,
                                                    description="a run does not finish before it starts"),
        gxe.ExpectColumnValuesToBeBetween(column="n_documents", min_value=0,
                                          description="document counts are never negative"),
        gxe.ExpectColumnValuesToMatchRegex(column="config_hash", regex=r"^[0-9a-f]{64}$", mostly=1.0,
                                           description="a recorded config hash is a SHA-256 (older rows may have none)"),
    ]
