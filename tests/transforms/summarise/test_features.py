"""Sentence features: terms, similarity rows, eligibility, openers and datelines."""

from __future__ import annotations

import numpy as np
import pytest

from transforms.summarise.features import (
    content_terms,
    dense_term_matrix,
    eligible_mask,
    is_credit,
    is_junk,
    is_proper_sentence,
    opens_cleanly,
    stem,
    strip_dateline,
    term_matrix,
)


def test_content_terms_drop_stop_words_and_stem() -> None:
    assert content_terms("The ministers said the talks were meetings.") == ("minister", "talk", "meeting")
    assert stem("policies") == "policy"
    assert stem("gas") == "gas"


def test_term_matrix_rows_are_unit_or_zero() -> None:
    m = term_matrix([["gas", "price"], [], ["gas", "pipeline"]]).toarray()
    norms = np.linalg.norm(m, axis=1)
    assert norms[0] == pytest.approx(1.0) and norms[1] == 0.0 and norms[2] == pytest.approx(1.0)
    assert 0 < float(m[0] @ m[2]) < 1


@pytest.mark.parametrize(
    ("text", "ok"),
    [("Xi left Moscow on Wednesday.", True), ("He added that talks would go on.", False),
     ("It was his first trip.", False), ("But the deal stalled.", False), ("and then it ended.", False),
     ("Putin said he would go.", True), ("“We are ready,” he said.", True)],
)
def test_opens_cleanly(text: str, ok: bool) -> None:
    assert opens_cleanly(text) is ok


def test_credits_captions_and_junk() -> None:
    assert is_credit("Grigory Sysoev/Kremlin/Sputnik by the use of Reuters")
    assert is_credit("Contributor / Getty Images")
    assert not is_credit("The leaders met, Reuters reported.")
    assert is_junk("Related: Russia's Putin arrives in China")
    assert is_junk("Read more at https://example.org")
    assert not is_junk("Russia sells gas to China.")
    assert is_proper_sentence('He said: "We are ready."') and not is_proper_sentence("A partnership without limits")


def test_eligible_mask_excludes_headings_captions_and_short_lines() -> None:
    texts = ["A heading about gas", "Leaders met in Moscow on Monday for talks.", "Short one.",
             "Putin and Xi walk in the Kremlin on March 21, 2023.", "Alexey Maishev/SPUTNIK/AFP via Getty Images"]
    mask = eligible_mask(texts, [0, 1, 1, 2, 2], [True, False, False, False, False], [len(t.split()) for t in texts], 6)
    assert mask.tolist() == [False, True, False, False, False]


def test_strip_dateline() -> None:
    assert strip_dateline("HONG KONG and LONDON -- Chinese President Xi left.") == "Chinese President Xi left."
    assert strip_dateline("MOSCOW (Reuters) — Talks began.") == "Talks began."
    assert strip_dateline("NATO said so.") == "NATO said so."


def test_dense_and_sparse_term_matrices_agree() -> None:
    lists = [["gas", "gas", "price"], [], ["pipeline", "gas"], ["price"]]
    assert np.allclose(term_matrix(lists).toarray(), dense_term_matrix(lists))
