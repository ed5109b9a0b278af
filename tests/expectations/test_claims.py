"""The claims suite passes the stage's own output and fails a frame with broken offsets, scores and types."""

from __future__ import annotations

from datetime import date

from newsflow.validation import SuiteContext, Validator
from tests.transforms.claims.frames import frames
from transforms.claims import extract_claims, group_claims

TEXT = "“Prices will rise by 5 percent,” Jane Miller said.\n\nMiller said the deal was worth $3 billion to the region."


def test_claims_suite_passes_good_and_fails_bad() -> None:
    docs, sents = frames({"d": TEXT})
    claims = group_claims(extract_claims(docs, sents), docs)
    ctx = SuiteContext(date(2026, 1, 1), {"documents": docs, "sentences": sents})
    validator = Validator()
    assert validator.validate("claims", claims, ctx).success
    bad = claims.copy()
    bad.loc[0, "char_end"] += 1
    bad.loc[1, "checkworthiness"] = 1.5
    bad.loc[2, "claim_type"] = "opinion"
    report = validator.validate("claims", bad, ctx)
    assert not report.success
    assert len(report.failures) >= 3


def test_claims_suite_checks_the_numeric_value_span() -> None:
    docs, sents = frames({"d": TEXT})
    claims = group_claims(extract_claims(docs, sents), docs)
    ctx = SuiteContext(date(2026, 1, 1), {"documents": docs, "sentences": sents})
    numeric = claims.index[claims["claim_type"] == "numeric"]
    assert len(numeric) == 2 and claims.loc[numeric, "value_text"].notna().all()
    validator = Validator()
    for column, bad_value in (("value_start", claims.loc[numeric[0], "value_start"] + 1),
                              ("qualifier", "roughly"), ("unit", "percents")):
        bad = claims.copy()
        bad.loc[numeric[0], column] = bad_value
        report = validator.validate("claims", bad, ctx)
        assert not report.success, column
    quote = claims.index[claims["claim_type"] == "quote"][0]
    bad = claims.copy()
    bad.loc[quote, "qualifier"] = "about"
    assert not validator.validate("claims", bad, ctx).success


def test_claims_suite_checks_the_speaker_type() -> None:
    docs, sents = frames({"d": TEXT})
    claims = group_claims(extract_claims(docs, sents), docs)
    ctx = SuiteContext(date(2026, 1, 1), {"documents": docs, "sentences": sents})
    quote = claims.index[claims["claim_type"] == "quote"][0]
    numeric = claims.index[claims["claim_type"] == "numeric"][0]
    assert claims.loc[quote, "speaker_type"] == "person"
    validator = Validator()
    for row, column, value in ((quote, "speaker_type", "celebrity"), (numeric, "speaker_type", "person"),
                               (quote, "speaker", None)):
        bad = claims.copy()
        bad.loc[row, column] = value
        assert not validator.validate("claims", bad, ctx).success, (column, value)
