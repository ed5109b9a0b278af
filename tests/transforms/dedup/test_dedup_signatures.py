import numpy as np

from tests.transforms.dedup.conftest import ORIGINAL, UNRELATED, frame
from transforms.dedup.signatures import SIGNATURE_COLUMNS, document_signatures, one_permutation_minhash


def test_one_row_per_document_in_order_with_declared_columns(copies):
    before = copies.copy(deep=True)
    sig = document_signatures(copies)
    assert list(sig.columns) == list(SIGNATURE_COLUMNS)
    assert sig["doc_id"].tolist() == copies["doc_id"].tolist()
    assert copies.equals(before)


def test_exact_copies_share_everything_and_runs_repeat(copies):
    a, b = document_signatures(copies), document_signatures(copies.iloc[::-1])
    assert a["text_hash"].iat[0] == a["text_hash"].iat[1] != a["text_hash"].iat[5]
    row = dict(zip(b["doc_id"], range(len(b))))
    for col in ("shingles", "minhash", "anchor_grams", "skeletons", "sentence_keys", "bag_keys"):
        for i, d in enumerate(a["doc_id"]):
            assert np.array_equal(a[col].iat[i], b[col].iat[row[d]]), col


def test_minhash_agreement_tracks_jaccard():
    sig = document_signatures(frame({"a": ORIGINAL, "b": ORIGINAL.replace("Tuesday", "Monday"), "c": UNRELATED}))
    agree = lambda i, j: float(np.mean(sig["minhash"].iat[i] == sig["minhash"].iat[j]))  # noqa: E731
    assert agree(0, 1) > 0.6 and agree(0, 2) < 0.1


def test_empty_text_gives_empty_signatures():
    assert len(one_permutation_minhash(np.empty(0, dtype=np.uint64), 8, 1)) == 8
    sig = document_signatures(frame({"e": ""}))
    assert sig["n_words"].iat[0] == 0 and len(sig["shingles"].iat[0]) == 0
