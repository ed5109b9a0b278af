"""The duplicates and stories GX suites pass the stage's own output and fail broken frames."""

from datetime import date

import pytest

from newsflow.validation import SuiteContext, Validator
from transforms.dedup import deduplicate

RUN_DATE = date(2026, 11, 22)


@pytest.fixture(scope="module")
def validator(tmp_path_factory) -> Validator:
    return Validator(tmp_path_factory.mktemp("dedup_validation"))


@pytest.fixture()
def result(copies):
    return deduplicate(copies)


def _ctx(result, documents=None):
    return SuiteContext(RUN_DATE, {"documents": result.documents if documents is None else documents,
                                   "stories": result.stories})


def test_suites_pass_the_stage_output(validator, result):
    assert validator.validate("duplicates", result.duplicates, _ctx(result)).success
    assert validator.validate("stories", result.stories, _ctx(result)).success


def test_duplicates_suite_fails_bad_pairs(validator, result):
    bad = result.duplicates.copy()
    bad.loc[0, ["doc_id_a", "doc_id_b"]] = [bad.loc[0, "doc_id_b"], bad.loc[0, "doc_id_a"]]
    bad.loc[1, "score"] = 1.5
    bad.loc[2, "relation"] = "cousin"
    msg = validator.validate("duplicates", bad, _ctx(result)).message()
    assert "check_a_before_b" in msg and "score" in msg and "relation" in msg
    ghost = result.duplicates.assign(doc_id_b="zz")
    assert "check_ids_in_documents" in validator.validate("duplicates", ghost, _ctx(result)).message()


def test_stories_suite_fails_inconsistent_counts_and_missing_documents(validator, result):
    bad = result.stories.copy()
    bad.loc[0, "n_documents"] = 99
    assert "check_n_documents" in validator.validate("stories", bad, _ctx(result)).message()
    missing = result.stories.iloc[1:]
    assert "check_every_document_once" in validator.validate("stories", missing, _ctx(result)).message()
