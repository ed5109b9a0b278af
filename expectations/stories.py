"""Suite for `stories`: one row per story (documents about the same event); key story_id."""

from __future__ import annotations

import great_expectations.expectations as gxe
import pandas as pd

from expectations._checks import all_true
from newsflow.validation import SuiteContext

GRAIN = "one row per story (documents about the same event)"
KEY = ("story_id",)


def derive(frame: pd.DataFrame, ctx: SuiteContext) -> pd.DataFrame:
    """Add checks: every document is in exactly one story, and the counts and dates agree with the documents."""
    docs = ctx.other("documents")
    story_of = dict(zip(docs["doc_id"], docs["story_id"]))
    group_of = dict(zip(docs["doc_id"], docs["duplicate_group"]))
    date_of = dict(zip(docs["doc_id"], docs["published_date"]))
    listed = [d for ids in frame["doc_ids"] for d in ids]
    once = len(listed) == len(set(listed)) and set(listed) == set(docs["doc_id"])

    def dates(ids: list[str]) -> list:
        return sorted(date_of[d] for d in ids if d in date_of and date_of[d] is not None and not pd.isna(date_of[d]))

    return frame.assign(
        check_members_point_back=[all(story_of.get(d) == s for d in ids) for s, ids in zip(frame["story_id"], frame["doc_ids"])],
        check_each_document_once=[once] * len(frame),
        check_n_documents=[n == len(ids) for n, ids in zip(frame["n_documents"], frame["doc_ids"])],
        check_n_distinct=[n == len({group_of.get(d) for d in ids}) for n, ids in zip(frame["n_distinct"], frame["doc_ids"])],
        check_date_range=[
            (first is None or pd.isna(first) or (bool(dates(ids)) and first == dates(ids)[0]))
            and (last is None or pd.isna(last) or (bool(dates(ids)) and last == dates(ids)[-1]))
            for first, last, ids in zip(frame["first_date"], frame["last_date"], frame["doc_ids"])
        ],
    )


def build(ctx: SuiteContext) -> list[gxe.Expectation]:
    """Build the expectations of the stories table."""
    out: list[gxe.Expectation] = [
        gxe.ExpectColumnValuesToBeUnique(column="story_id"),
        gxe.ExpectColumnValueLengthsToBeBetween(column="label", min_value=1),
        gxe.ExpectColumnValuesToBeBetween(column="n_documents", min_value=1),
        gxe.ExpectColumnValuesToBeBetween(column="n_distinct", min_value=1),
        all_true("check_members_point_back", "documents.story_id of every listed document is this story"),
        all_true("check_each_document_once", "every document is listed in exactly one story"),
        all_true("check_n_documents", "n_documents equals the length of doc_ids"),
        all_true("check_n_distinct", "n_distinct equals the distinct duplicate groups of doc_ids"),
        all_true("check_date_range", "first_date/last_date are the min/max of the documents' dates"),
    ]
    if "documents" in ctx.tables:
        n_docs = len(ctx.other("documents"))
        out.append(gxe.ExpectTableRowCountToBeBetween(min_value=1 if n_docs else 0, max_value=n_docs,
                                                     meta={"why": "between one story and one per document"}))
    return out
