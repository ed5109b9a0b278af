"""Grouping the same claim across documents; a copy (same duplicate_group) is not corroboration."""

from __future__ import annotations

import pandas as pd

from tests.transforms.claims.frames import frames
from transforms.claims import CLAIMS_COLUMNS, extract_claims, group_claims

A = "Officials said on Monday that “the bridge will reopen next spring after repairs,” a spokesman said."
B = "The city confirmed it. “The bridge will reopen next spring after repairs,” a spokesman said on Tuesday."
C = "“An unrelated statement about football results,” the coach said."


def test_same_quote_grouped_and_sources_counted() -> None:
    docs, sents = frames({"a": A, "b": B, "c": C})
    out = group_claims(extract_claims(docs, sents), docs)
    assert list(out.columns) == CLAIMS_COLUMNS
    bridge = out[out["quote"].fillna("").str.contains("bridge")]
    assert bridge["claim_group_id"].nunique() == 1 and set(bridge["n_sources"]) == {2}
    football = out[out["quote"].fillna("").str.contains("football")]
    assert set(football["n_sources"]) == {1}


def test_copy_does_not_count_as_corroboration() -> None:
    docs, sents = frames({"a": A, "b": B})
    docs = docs.assign(duplicate_group="g1")
    out = group_claims(extract_claims(docs, sents), docs)
    bridge = out[out["quote"].fillna("").str.contains("bridge")]
    assert bridge["claim_group_id"].nunique() == 1 and set(bridge["n_sources"]) == {1}


def test_numeric_same_value_unit_and_context_grouped() -> None:
    docs, sents = frames({"a": "The plant will deliver 98 billion cubic meters of gas to China.",
                          "b": "Russia agreed to send 98 billion cubic meters of gas to China by 2030."})
    out = group_claims(extract_claims(docs, sents), docs)
    num = out[out["claim_type"] == "numeric"]
    assert num["claim_group_id"].nunique() == 1 and set(num["n_sources"]) == {2}


def test_cached_match_keys_are_completed_and_stale_rows_dropped() -> None:
    from transforms.claims import claim_match_keys, complete_match_keys

    docs, sents = frames({"a": A, "b": B, "c": C})
    claims = extract_claims(docs, sents)
    full = claim_match_keys(claims, docs)
    partial = full.iloc[: len(full) // 2]
    stale = full.iloc[:1].assign(claim_id="no-such-claim", signature="stale")
    got = complete_match_keys(claims, docs, pd.concat([partial, stale]))
    assert got["claim_id"].tolist() == claims["claim_id"].tolist()
    assert got["signature"].tolist() == full["signature"].tolist()
    assert [list(c) for c in got["context"]] == [list(c) for c in full["context"]]
    assert group_claims(claims, docs, keys=got).equals(group_claims(claims, docs))
