import numpy as np
import pandas as pd

from transforms.dedup.candidates import candidate_pairs, exact_representatives, index_candidates
from transforms.dedup.config import DedupConfig
from transforms.dedup.signatures import document_signatures


def _keys(*sets):
    return [np.array(sorted(s), dtype=np.uint64) for s in sets]


def test_index_pairs_need_enough_shared_keys():
    keys = _keys({1, 2, 3, 4}, {1, 2, 3, 9}, {1, 7, 8, 10}, {11})
    got = index_candidates(keys, np.arange(4), DedupConfig(min_shared_keys=2, min_key_fraction=0.5))
    assert got.tolist() == [[0, 1]]


def test_index_ignores_keys_held_by_too_many_documents():
    keys = _keys(*[{1, 2} for _ in range(5)])
    assert len(index_candidates(keys, np.arange(5), DedupConfig(max_posting=4))) == 0
    assert len(index_candidates(keys, np.arange(5), DedupConfig(max_posting=5))) == 10


def test_exact_representative_is_first_row_with_same_hash():
    sig = pd.DataFrame({"text_hash": ["x", "y", "x", "z", "y"]})
    assert exact_representatives(sig).tolist() == [0, 1, 0, 3, 1]


def test_every_copy_is_a_candidate_of_the_original(copies):
    sig = document_signatures(copies)
    rep = exact_representatives(sig)
    pairs = {tuple(p) for p in candidate_pairs(sig, np.flatnonzero(rep == np.arange(len(sig))), DedupConfig()).tolist()}
    assert {(0, 2), (0, 3), (0, 4)} <= pairs
    assert not any(5 in p for p in pairs)


def test_lsh_candidates_are_datasketch_minhashlsh_collisions():
    from datasketch import LeanMinHash, MinHashLSH

    from transforms.dedup.candidates import lsh_candidates
    cfg = DedupConfig()
    rng = np.random.default_rng(3)
    base = rng.integers(0, 2**63, size=(6, cfg.num_perm), dtype=np.uint64)
    sketches = [base[i % 6].copy() for i in range(40)]
    for s in sketches:                                  # perturb most values: some bands still collide
        s[rng.random(cfg.num_perm) < 0.3] = rng.integers(0, 2**63, dtype=np.uint64)
    rows = np.arange(3, 40)
    lsh = MinHashLSH(threshold=cfg.lsh_threshold, num_perm=cfg.num_perm)
    lean = {r: LeanMinHash(seed=cfg.seed, hashvalues=sketches[r], scheme="affine64") for r in rows.tolist()}
    for r, m in lean.items():
        lsh.insert(r, m)
    want = sorted({(min(r, o), max(r, o)) for r, m in lean.items() for o in lsh.query(m) if o != r})
    got = lsh_candidates(sketches, rows, cfg)
    assert len(want) > 0 and [tuple(p) for p in got.tolist()] == want


def test_a_short_edited_copy_is_a_candidate_whatever_the_length_ratio():
    from tests.transforms.dedup.conftest import EDITED, ORIGINAL, UNRELATED, frame

    long_source = ORIGINAL + UNRELATED * 3         # the copy is under a fifth of its source
    sig = document_signatures(frame({"a": long_source, "b": EDITED, "c": UNRELATED.replace("Orchestra", "Choir")}))
    cfg = DedupConfig()
    keys = index_candidates(list(sig["trigram_keys"]), np.arange(3), cfg,
                            (cfg.trigram_max_posting, cfg.trigram_min_shared, cfg.trigram_min_fraction))
    assert [0, 1] in keys.tolist() and [1, 2] not in keys.tolist()


def test_a_reworded_copy_is_a_meaning_candidate_and_an_unrelated_text_is_not():
    from tests.transforms.dedup.conftest import ORIGINAL, REWRITTEN, UNRELATED, frame
    from transforms.dedup.candidates import meaning_candidates

    sig = document_signatures(frame({"o": ORIGINAL, "r": REWRITTEN, "u": UNRELATED}))
    assert meaning_candidates(sig, np.arange(3), DedupConfig()).tolist() == [[0, 1]]
    assert meaning_candidates(sig, np.array([0, 2]), DedupConfig()).tolist() == []
    assert meaning_candidates(sig, np.arange(3), DedupConfig(meaning_min_cosine=1.01)).tolist() == []
