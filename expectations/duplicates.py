"""Suite for `duplicates`: one row per related document pair (doc_id_a < doc_id_b); key (doc_id_a, doc_id_b)."""

from __future__ import annotations

import great_expectations.expectations as gxe
import pandas as pd

from expectations._checks import all_true, ids_in
from newsflow.validation import SuiteContext

GRAIN = "one row per related document pair (doc_id_a < doc_id_b)"
KEY = ("doc_id_a", "doc_id_b")
RELATIONS = ["exact", "near", "contained", "spun"]
METHODS = ["text-hash", "shingle-jaccard", "shingle-containment", "anchor+skeleton", "trigram+order",
           "trigram+lead", "sentence-meaning"]
_UNIT_COLUMNS = ("score", "jaccard", "containment_a_in_b", "containment_b_in_a", "aligned_sentences",
                 "trigram_containment", "ordered_words", "lead_kept", "other_passages", "meaning_aligned",
                 "novel_anchors")


def derive(frame: pd.DataFrame, ctx: SuiteContext) -> pd.DataFrame:
    """Add checks: both ids are documents, a < b, the pair is unique, both documents share a duplicate group."""
    docs = ctx.other("documents")
    group = dict(zip(docs["doc_id"], docs["duplicate_group"]))
    pair = frame["doc_id_a"].astype(str) + "\x00" + frame["doc_id_b"].astype(str)
    return frame.assign(
        check_ids_in_documents=ids_in(frame["doc_id_a"], docs["doc_id"]) & ids_in(frame["doc_id_b"], docs["doc_id"]),
        check_a_before_b=frame["doc_id_a"].astype(str) < frame["doc_id_b"].astype(str),
        pair_key=pair,
        check_same_group=[group.get(a) is not None and group.get(a) == group.get(b)
                          for a, b in zip(frame["doc_id_a"], frame["doc_id_b"])],
    )


def build(ctx: SuiteContext) -> list[gxe.Expectation]:
    """Build the expectations of the duplicates table."""
    out: list[gxe.Expectation] = [
        gxe.ExpectColumnValuesToBeUnique(column="pair_key", meta={"why": "one row per pair"}),
        gxe.ExpectColumnValuesToBeInSet(column="relation", value_set=RELATIONS),
        gxe.ExpectColumnValuesToBeInSet(column="method", value_set=METHODS),
        gxe.ExpectColumnValuesToBeBetween(column="shared_quotes", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="shared_numbers", min_value=0),
        all_true("check_ids_in_documents", "both doc ids are rows of documents"),
        all_true("check_a_before_b", "doc_id_a < doc_id_b"),
        all_true("check_same_group", "both documents of a pair carry the same duplicate_group"),
    ]
    out += [gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0.0, max_value=1.0) for c in _UNIT_COLUMNS]
    out += [gxe.ExpectColumnValuesToNotBeNull(column=c) for c in ("doc_id_a", "doc_id_b", "relation", "score", "method")]
    return out
