"""Suite for `duplicates`: one row per related document pair (doc_id_a < doc_id_b); key (doc_id_a, doc_id_b)."""

from __future__ import annotations

import great_expectations.expectations as gxe
import pandas as pd

from expectations._checks import all_true, ids_in
from newsflow.validation import SuiteContext

GRAIN = "one row per related document pair (doc_id_a < doc_id_b)"
KEY = ("doc_id_a", "doc_id_b")
RELATIONS = ["exact", "near", "contained", "spun"]
_UNIT_COLUMNS = ("score", "jaccard", "containment_a_in_b", "containment_b_in_a", "aligned_sentences")


def derive(frame: pd.DataFrame, ctx: SuiteContext) -> pd.DataFrame:
    """Add checks: both documents exist, the pair is ordered, and both share one duplicate group."""
    docs = ctx.other("documents")
    group_of = dict(zip(docs["doc_id"], docs["duplicate_group"]))
    return frame.assign(
        check_a_exists=ids_in(frame["doc_id_a"], docs["doc_id"]),
        check_b_exists=ids_in(frame["doc_id_b"], docs["doc_id"]),
        check_ordered=frame["doc_id_a"].astype(str) < frame["doc_id_b"].astype(str),
        check_same_group=[group_of.get(a) is not None and group_of.get(a) == group_of.get(b)
                          for a, b in zip(frame["doc_id_a"], frame["doc_id_b"])],
    )


def build(ctx: SuiteContext) -> list[gxe.Expectation]:
    """Build the expectations of the duplicates table."""
    return [
        gxe.ExpectCompoundColumnsToBeUnique(column_list=list(KEY)),
        gxe.ExpectColumnValuesToBeInSet(column="relation", value_set=RELATIONS),
        gxe.ExpectColumnValueLengthsToBeBetween(column="method", min_value=1),
        *[gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0.0, max_value=1.0) for c in _UNIT_COLUMNS],
        gxe.ExpectColumnValuesToBeBetween(column="shared_quotes", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="shared_numbers", min_value=0),
        all_true("check_a_exists", "doc_id_a exists in documents"),
        all_true("check_b_exists", "doc_id_b exists in documents"),
        all_true("check_ordered", "doc_id_a < doc_id_b"),
        all_true("check_same_group", "a related pair lies inside one duplicate group"),
    ]
