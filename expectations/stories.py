"""Suite for `stories`: one row per story (documents about the same event); key story_id."""

from __future__ import annotations

from collections import Counter

import great_expectations.expectations as gxe
import pandas as pd

from expectations._checks import all_true
from newsflow.validation import SuiteContext

GRAIN = "one row per story (documents about the same event)"
KEY = ("story_id",)


def derive(frame: pd.DataFrame, ctx: SuiteContext) -> pd.DataFrame:
    """Add checks: counts match doc_ids; every document is in exactly one story, the one its row names;
    first_date <= last_date."""
    docs = ctx.other("documents")
    story_of = dict(zip(docs["doc_id"], docs["story_id"]))
    groups_of = dict(zip(docs["doc_id"], docs["duplicate_group"]))
    seen = Counter(d for ids in frame["doc_ids"] for d in list(ids))
    every_doc_once = all(seen.get(d, 0) == 1 for d in docs["doc_id"]) and set(seen) <= set(story_of)
    return frame.assign(
        check_n_documents=[len(list(ids)) == n for ids, n in zip(frame["doc_ids"], frame["n_documents"])],
        check_n_distinct=[len({groups_of.get(d) for d in list(ids)}) == n
                          for ids, n in zip(frame["doc_ids"], frame["n_distinct"])],
        check_members_point_back=[all(story_of.get(d) == s for d in list(ids))
                                  for ids, s in zip(frame["doc_ids"], frame["story_id"])],
        check_every_document_once=every_doc_once,
        check_dates_ordered=[f is None or pd.isna(f) or l is None or pd.isna(l) or f <= l
                             for f, l in zip(frame["first_date"], frame["last_date"])],
    )


def build(ctx: SuiteContext) -> list[gxe.Expectation]:
    """Build the expectations of the stories table."""
    return [
        gxe.ExpectColumnValuesToBeUnique(column="story_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="story_id"),
        gxe.ExpectColumnValueLengthsToBeBetween(column="label", min_value=1),
        gxe.ExpectColumnValuesToBeBetween(column="n_documents", min_value=1),
        gxe.ExpectColumnValuesToBeBetween(column="n_distinct", min_value=1),
        all_true("check_n_documents", "n_documents equals the length of doc_ids"),
        all_true("check_n_distinct", "n_distinct equals the number of duplicate groups among doc_ids"),
        all_true("check_members_point_back", "each listed document's story_id is this story"),
        all_true("check_every_document_once", "every document is listed in exactly one story"),
        all_true("check_dates_ordered", "first_date <= last_date"),
    ]
