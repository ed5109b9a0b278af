"""Suite for `summaries`: one row per document and one per story; key (scope, scope_id)."""

from __future__ import annotations

import great_expectations.expectations as gxe
import pandas as pd

from expectations._checks import all_true
from newsflow.validation import SuiteContext

GRAIN = "one row per document and one per story"
KEY = ("scope", "scope_id")
SCOPES = ["document", "story"]


def derive(frame: pd.DataFrame, ctx: SuiteContext) -> pd.DataFrame:
    """Add checks: the scope exists upstream; every cited sentence exists and belongs to it; counts agree."""
    documents, sentences, stories = ctx.other("documents"), ctx.other("sentences"), ctx.other("stories")
    owner = dict(zip(sentences["sentence_id"].tolist(), sentences["doc_id"].tolist()))
    doc_ids = set(documents["doc_id"].tolist())
    story_docs = _story_docs(documents, stories)

    def scope_exists(scope: str, scope_id: str) -> bool:
        return scope_id in doc_ids if scope == "document" else scope_id in story_docs

    def cited_ok(scope: str, scope_id: str, ids: list[str]) -> bool:
        allowed = {scope_id} if scope == "document" else story_docs.get(scope_id, set())
        return all(owner.get(s) in allowed for s in ids)

    rows = [(s, i, _ids(ids)) for s, i, ids in zip(frame["scope"].tolist(), frame["scope_id"].tolist(),
                                                   frame["sentence_ids"].tolist())]
    return frame.assign(
        check_scope_exists=[scope_exists(s, i) for s, i, _ in rows],
        check_cited_in_scope=[cited_ok(s, i, ids) for s, i, ids in rows],
        check_n_sentences=[len(ids) == n for (_, _, ids), n in zip(rows, frame["n_sentences"].tolist())],
        check_cited_unique=[len(set(ids)) == len(ids) for _, _, ids in rows],
        check_n_words=[len(str(t).split()) == n for t, n in zip(frame["summary"].tolist(), frame["n_words"].tolist())],
        check_summary_not_blank=[bool(str(t).strip()) for t in frame["summary"].tolist()],
        check_story_headline=[
            s != "story" or (isinstance(h, str) and bool(h.strip()) and "\n" not in h)
            for s, h in zip(frame["scope"].tolist(), frame["headline"].tolist())
        ],
    )


def _ids(value: object) -> list[str]:
    return [] if value is None else [str(v) for v in list(value)]


def _story_docs(documents: pd.DataFrame, stories: pd.DataFrame) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {str(s): {str(d) for d in _ids(ids)} for s, ids in zip(stories["story_id"].tolist(), stories["doc_ids"].tolist())}
    for doc_id, story_id in zip(documents["doc_id"].tolist(), documents["story_id"].tolist()):
        if isinstance(story_id, str) and story_id in out:
            out[story_id].add(str(doc_id))
    return out


def build(ctx: SuiteContext) -> list[gxe.Expectation]:
    """Build the expectations of the summaries table."""
    n_expected = len(ctx.other("documents")) + len(ctx.other("stories"))
    return [
        gxe.ExpectColumnValuesToBeInSet(column="scope", value_set=SCOPES),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["scope", "scope_id"]),
        gxe.ExpectColumnValuesToNotBeNull(column="summary"),
        gxe.ExpectColumnValueLengthsToBeBetween(column="summary", min_value=1),
        gxe.ExpectColumnValuesToNotBeNull(column="method"),
        gxe.ExpectColumnValuesToBeBetween(column="n_sentences", min_value=1),
        gxe.ExpectTableRowCountToEqual(value=n_expected, meta={"why": "exactly one summary per document and per story"}),
        all_true("check_scope_exists", "scope_id is a document (scope 'document') or a story (scope 'story')"),
        all_true("check_cited_in_scope", "every cited sentence_id exists and belongs to the summary's document or story"),
        all_true("check_n_sentences", "n_sentences equals the number of cited sentence_ids"),
        all_true("check_cited_unique", "a summary cites each sentence at most once"),
        all_true("check_n_words", "n_words equals the summary's whitespace-separated words"),
        all_true("check_summary_not_blank", "summary is not blank"),
        all_true("check_story_headline", "every story summary has a one-line headline"),
    ]
