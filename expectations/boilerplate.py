"""Suite for `boilerplate`: one row per removed block of a document (or per main-body block that furniture
sentences were cut out of); key (doc_id, line_no)."""

from __future__ import annotations

import great_expectations.expectations as gxe
import pandas as pd

from expectations._checks import all_true, ids_in
from newsflow.validation import SuiteContext

GRAIN = ("one row per removed block (line or unwrapped group of lines) of a document, or per main-body block "
         "whose furniture sentences were cut out (the row holds those sentences)")
KEY = ("doc_id", "line_no")


def derive(frame: pd.DataFrame, ctx: SuiteContext) -> pd.DataFrame:
    """Add check: the row's document exists."""
    return frame.assign(check_doc_exists=ids_in(frame["doc_id"], ctx.other("documents")["doc_id"]))


def build(ctx: SuiteContext) -> list[gxe.Expectation]:
    """Build the expectations of the boilerplate table."""
    return [
        gxe.ExpectCompoundColumnsToBeUnique(column_list=list(KEY)),
        gxe.ExpectColumnValueLengthsToBeBetween(column="line", min_value=1),
        gxe.ExpectColumnValuesToMatchRegex(column="rule", regex=r"^[a-z][a-z0-9_]*$"),
        gxe.ExpectColumnValuesToBeBetween(column="line_no", min_value=1),
        all_true("check_doc_exists", "every removed block belongs to a document"),
    ]
