"""The entry points' contract: columns, offsets verbatim, determinism, inputs untouched, per-document independence."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.transforms.claims.frames import frames
from transforms.claims import CLAIM_TYPES, CLAIMS_COLUMNS, extract_claims, group_claims

TEXT = ("“Prices will rise by 5 percent,” Jane Miller said.\n\n"
        "They signed aNo limits” deal. Miller said the deal was worth $3 billion to the region.")


def test_columns_offsets_and_types() -> None:
    docs, sents = frames({"d": TEXT})
    out = group_claims(extract_claims(docs, sents), docs)
    assert list(out.columns) == CLAIMS_COLUMNS
    assert set(out["claim_type"]) <= set(CLAIM_TYPES)
    for row in out.itertuples():
        assert TEXT[row.char_start : row.char_end] == row.text
        assert 0.0 <= row.checkworthiness <= 1.0
    assert out["claim_id"].is_unique
    assert not out["quote"].fillna("").str.contains("deal").any()


def test_inputs_not_mutated_and_deterministic() -> None:
    docs, sents = frames({"d": TEXT, "e": "“Nothing,” he said."})
    before = (docs.copy(), sents.copy())
    first = extract_claims(docs, sents)
    pd.testing.assert_frame_equal(docs, before[0])
    pd.testing.assert_frame_equal(sents, before[1])
    pd.testing.assert_frame_equal(first, extract_claims(docs, sents))


def test_one_document_does_not_depend_on_others() -> None:
    docs, sents = frames({"d": TEXT, "e": "“Other words entirely,” Bob Stone said."})
    alone = extract_claims(docs[docs.doc_id == "d"], sents[sents.doc_id == "d"]).reset_index(drop=True)
    both = extract_claims(docs, sents)
    pd.testing.assert_frame_equal(alone, both[both.doc_id == "d"].reset_index(drop=True))


def test_empty_input() -> None:
    docs, sents = frames({})
    out = group_claims(extract_claims(docs.reindex(columns=["doc_id", "clean_text"]), sents), docs)
    assert list(out.columns) == CLAIMS_COLUMNS and out.empty


@given(st.text(alphabet=st.sampled_from(list("ab Ab 12 “”\".,\n")), max_size=200))
@settings(max_examples=60, deadline=None)
def test_offsets_verbatim_for_arbitrary_text(text: str) -> None:
    docs, sents = frames({"d": text})
    out = group_claims(extract_claims(docs, sents), docs)
    for row in out.itertuples():
        assert text[row.char_start : row.char_end] == row.text
