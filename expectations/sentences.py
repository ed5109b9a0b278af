"""Suite for `sentences`: one row per sentence (or heading) of a document; key sentence_id."""

from __future__ import annotations

import great_expectations.expectations as gxe
import pandas as pd

from expectations._checks import all_true, ids_in, spans_verbatim
from newsflow.validation import SuiteContext

GRAIN = "one row per sentence (or heading) of a document's clean_text"
KEY = ("sentence_id",)


def derive(frame: pd.DataFrame, ctx: SuiteContext) -> pd.DataFrame:
    """Add checks: the document exists, and clean_text[char_start:char_end] == text."""
    documents = ctx.other("documents")
    return frame.assign(
        check_doc_exists=ids_in(frame["doc_id"], documents["doc_id"]),
        check_offsets_verbatim=spans_verbatim(frame, documents),
    )


def build(ctx: SuiteContext) -> list[gxe.Expectation]:
    """Build the expectations of the sentences table."""
    return [
        gxe.ExpectColumnValuesToBeUnique(column="sentence_id"),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["doc_id", "sentence_index"]),
        gxe.ExpectColumnValuesToBeBetween(column="char_start", min_value=0),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A="char_end", column_B="char_start"),
        gxe.ExpectColumnValueLengthsToBeBetween(column="text", min_value=1),
        all_true("check_doc_exists", "every sentence belongs to a document"),
        all_true("check_offsets_verbatim", "clean_text[char_start:char_end] equals text"),
    ]
