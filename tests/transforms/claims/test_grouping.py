"""Grouping the same claim across documents; a copy (same duplicate_group) is not corroboration."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

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
    assert got["context"].tolist() == full["context"].tolist()
    assert group_claims(claims, docs, keys=got).equals(group_claims(claims, docs))


_CORPUS = {
    "a": A,
    "b": B,
    "c": C,
    "d": "Russia agreed to send 98 billion cubic meters of gas to China by 2030, the ministry said.",
    "e": "The plant will deliver 98 billion cubic meters of gas to China, officials said on Monday.",
    "f": "“The bridge will reopen next spring after repairs,” the mayor told reporters on Friday.",
    "g": "The coach said “an unrelated statement about football results” was all he would offer.",
}


def _grouped(ids: list[str], blocks: pd.DataFrame | None = None):
    from transforms.claims import match_claim_groups

    docs, sents = frames({k: _CORPUS[k] for k in ids})
    return match_claim_groups(extract_claims(docs, sents), docs, blocks=blocks)


@settings(max_examples=25, deadline=None)
@given(before=st.sets(st.sampled_from(sorted(_CORPUS))), after=st.sets(st.sampled_from(sorted(_CORPUS)), min_size=1))
def test_reused_block_matches_give_the_groups_of_a_fresh_grouping(before: set[str], after: set[str]) -> None:
    """Blocks kept from a grouping of other documents (added, removed, both) never change the result."""
    earlier = _grouped(sorted(before)).blocks if before else None
    fresh = _grouped(sorted(after))
    reused = _grouped(sorted(after), blocks=earlier)
    assert reused.claims.equals(fresh.claims)
    assert reused.blocks.equals(fresh.blocks)


def test_block_matches_do_not_depend_on_the_claims_order() -> None:
    from transforms.claims import match_claim_groups

    docs, sents = frames(_CORPUS)
    claims = extract_claims(docs, sents)
    forward = match_claim_groups(claims, docs)
    backward = match_claim_groups(claims.iloc[::-1], docs)
    assert forward.blocks.equals(backward.blocks)
    assert (forward.blocks["left"].map(len) > 0).any()  # the corpus has matching pairs to order
    for left, right in zip(forward.blocks["left"], forward.blocks["right"]):
        pairs = list(zip(left, right))
        assert all(a < b for a, b in pairs) and pairs == sorted(pairs)


def test_a_block_is_reused_only_while_it_holds_the_same_claims() -> None:
    """A cached block with the current member digest is taken as is (its pairs are not compared again);
    one with another digest is compared afresh."""
    fresh = _grouped(["a", "b", "c"])
    assert len(fresh.blocks)
    football = fresh.claims[fresh.claims["quote"].fillna("").str.contains("football")]
    bridge = fresh.claims[fresh.claims["quote"].fillna("").str.contains("bridge")]
    assert football["claim_group_id"].iloc[0] != bridge["claim_group_id"].iloc[0]
    pair = sorted([football["claim_id"].iloc[0], bridge["claim_id"].iloc[0]])
    forged = fresh.blocks.copy()
    forged["left"] = [[pair[0]]] + list(forged["left"].iloc[1:])
    forged["right"] = [[pair[1]]] + list(forged["right"].iloc[1:])
    joined = _grouped(["a", "b", "c"], blocks=forged).claims.set_index("claim_id")
    assert joined.loc[pair, "claim_group_id"].nunique() == 1  # the forged pair was taken, not re-compared
    stale = forged.assign(members="a digest of other claims")
    assert _grouped(["a", "b", "c"], blocks=stale).claims.equals(fresh.claims)
