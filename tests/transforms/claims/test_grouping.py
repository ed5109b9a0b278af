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


def test_numeric_same_value_unit_and_what_it_is_about_grouped() -> None:
    docs, sents = frames({"a": "Gazprom will deliver 98 billion cubic meters of gas to China from Siberia by pipeline.",
                          "b": "Russia agreed Gazprom would send 98 billion cubic meters of gas to China from Siberia "
                               "by pipeline by 2030.",
                          "c": "Norway will deliver 98 billion cubic meters of gas to Germany through its pipeline."})
    out = group_claims(extract_claims(docs, sents), docs)
    num = out[out["claim_type"] == "numeric"].set_index("doc_id")
    assert num.loc["a", "claim_group_id"] == num.loc["b", "claim_group_id"] != num.loc["c", "claim_group_id"]
    assert num.loc["a", "n_sources"] == 2 and num.loc["c", "n_sources"] == 1


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


def _seed_claims() -> tuple[pd.DataFrame, dict[str, str]]:
    """The seed articles' claims grouped (texts split as the tests' frames do; no ../shared needed)."""
    from pathlib import Path

    seeds = {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(Path("seeds").glob("00[0-4]_*.txt"))}
    docs, sents = frames(seeds)
    return group_claims(extract_claims(docs, sents), docs), seeds


def _groups_with(claims: pd.DataFrame, doc: str, needle: str, kind: str) -> set[str]:
    rows = claims[(claims["doc_id"] == doc) & (claims["claim_type"] == kind) & claims["text"].str.contains(needle, regex=False)]
    return set(rows["claim_group_id"])


def test_seed_false_groups_do_not_form_and_gold_groups_stay() -> None:
    """A shared short quote ("historic": Putin on the Saudi-Iran deal vs Ukraine's ministry on Kishida's visit)
    or a shared count ("2 countries" / "two countries") is not the same claim; the seeds' gold groups stay."""
    claims, _ = _seed_claims()
    historic_001, historic_003 = _groups_with(claims, "001", "historic", "quote"), _groups_with(claims, "003", "historic", "quote")
    assert historic_001 and historic_003 and not historic_001 & historic_003
    countries = claims[claims["text"].str.contains(r"\b(?:2|two) countries", regex=True) & (claims["claim_type"] == "numeric")]
    assert countries.empty or countries["claim_group_id"].nunique() == len(countries)
    plan = [_groups_with(claims, d, "12-point", "numeric") for d in ("001", "002", "003", "004")]
    assert all(plan) and set.intersection(*plan)
    gas = [_groups_with(claims, d, "98 billion", "numeric") for d in ("000", "001")]
    assert all(gas) and set.intersection(*gas)
    friend = [_groups_with(claims, d, "dear friend", "quote") for d in ("002", "003", "004")]
    assert all(friend) and set.intersection(*friend)


def test_short_quote_needs_agreeing_context_and_sources() -> None:
    docs, sents = frames({
        "a": "Putin praised the Saudi-Iran deal, calling it “truly historic,” at the Kremlin.",
        "b": "Ukraine's foreign ministry described the Kyiv trip as “truly historic” on Tuesday.",
        "c": "Putin praised the Saudi-Iran deal as “truly historic” in Moscow.",
        "d": "Putin praised the Saudi-Iran deal as “historic” in Moscow.",
        "e": "Putin praised the Saudi-Iran deal as “historic” at the Kremlin.",
    })
    out = group_claims(extract_claims(docs, sents), docs).set_index("doc_id")
    quotes = out[out["claim_type"] == "quote"]["claim_group_id"]
    assert quotes["a"] == quotes["c"] != quotes["b"]
    assert quotes["d"] != quotes["e"]  # a one-word quote is a word, not a claim


def test_numbers_need_the_same_qualifier_and_counted_thing() -> None:
    from transforms.claims.grouping import _counted_agree, _qualifiers_agree

    assert not _qualifiers_agree("at_least", "less_than") and _qualifiers_agree("at_least", "more_than")
    assert _qualifiers_agree(None, "about")
    assert not _counted_agree({"@gas", "china"}, {"@oil", "china"}) and _counted_agree({"@gas"}, {"china"})


def test_keys_and_blocks_cached_under_older_rules_are_recomputed() -> None:
    """A cache written before the current contexts (no KEYS_VERSION) is not reused: groups equal a fresh grouping."""
    from transforms.claims import claim_match_keys, complete_match_keys, match_claim_groups

    docs, sents = frames({k: _CORPUS[k] for k in ("a", "b", "c")})
    claims = extract_claims(docs, sents)
    fresh = match_claim_groups(claims, docs)
    old_keys = claim_match_keys(claims, docs).assign(context="")
    assert complete_match_keys(claims, docs, old_keys)["context"].tolist() == claim_match_keys(claims, docs)["context"].tolist()
    old_blocks = fresh.blocks.assign(left=[[] for _ in range(len(fresh.blocks))], right=[[] for _ in range(len(fresh.blocks))],
                                     members=["digest under older rules"] * len(fresh.blocks))
    assert match_claim_groups(claims, docs, keys=old_keys, blocks=old_blocks).claims.equals(fresh.claims)
