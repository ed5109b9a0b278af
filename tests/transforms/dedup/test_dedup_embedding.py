import sys
from dataclasses import replace

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.transforms.dedup.conftest import ORIGINAL, UNRELATED, frame, spin
from transforms.dedup.config import DedupConfig
from transforms.dedup.embedding import EMBEDDING_DIM, BagEmbedder, pair_embedding_cosines, text_embeddings
from transforms.dedup.signatures import document_signatures
from transforms.dedup.stories import story_pair_similarities, tfidf_matrix

FIRE = ("Fire destroys warehouse in Lyon. A fire destroyed a large warehouse in Lyon on Sunday, and firefighters "
        "battled the blaze for six hours before it was under control.")
FIRE_PARAPHRASE = ("Flames gut storage depot in Lyon. Flames gutted a big storage depot in Lyon at the weekend as "
                   "crews fought for hours to contain the inferno.")
RATES = ("Central bank raises rates. The central bank raised its main interest rate by a quarter point on Thursday "
         "to curb inflation, the third increase this year.")


def test_embedding_is_unit_norm_float32_and_fixed_dimension():
    e = text_embeddings([ORIGINAL, UNRELATED, "one"])
    assert e.shape == (3, EMBEDDING_DIM) and e.dtype == np.float32
    assert np.allclose(np.linalg.norm(e, axis=1), 1.0, atol=1e-5)


def test_text_without_words_embeds_as_zeros():
    assert not text_embeddings(["", " .,;! "]).any()
    assert text_embeddings([]).shape == (0, EMBEDDING_DIM)


def test_embedding_is_content_only_and_repeats():
    alone = document_signatures(frame({"a": ORIGINAL}))["embedding"].iat[0]
    among = document_signatures(frame({"z": UNRELATED, "a": ORIGINAL, "y": spin(ORIGINAL)}))["embedding"].iat[1]
    assert np.array_equal(alone, among)
    assert np.array_equal(alone, text_embeddings([ORIGINAL])[0])


def test_case_and_punctuation_do_not_move_the_embedding():
    e = text_embeddings([ORIGINAL, ORIGINAL.upper().replace(",", " ; ")])
    assert np.array_equal(e[0], e[1])


def test_same_event_paraphrase_scores_above_an_unrelated_pair():
    e = text_embeddings([FIRE, FIRE_PARAPHRASE, RATES, ORIGINAL, spin(ORIGINAL), UNRELATED])
    cos = pair_embedding_cosines(e, np.array([[0, 1], [0, 2], [1, 2], [3, 4], [3, 5]]))
    assert cos[0] > max(cos[1], cos[2]) + 0.3
    assert cos[3] > 0.8 and cos[4] < 0.4


def test_pair_similarity_blends_lexical_and_embedding_cosines():
    sig = document_signatures(frame({"a": FIRE, "b": FIRE_PARAPHRASE, "c": RATES}))
    matrix = tfidf_matrix(list(sig["bag_keys"]), list(sig["bag_counts"]))
    emb = np.stack(sig["embedding"].tolist())
    pairs = np.array([[0, 1], [0, 2]])
    cfg = DedupConfig()
    lexical = story_pair_similarities(matrix, None, pairs, replace(cfg, story_embedding_weight=0.0), emb)
    blended = story_pair_similarities(matrix, None, pairs, cfg, emb)
    w = cfg.story_embedding_weight
    assert np.allclose(blended, np.clip((1 - w) * lexical + w * pair_embedding_cosines(emb, pairs), 0, 1))
    assert blended[0] - blended[1] > lexical[0] - lexical[1]     # the paraphrase gains on the unrelated pair


def test_embedding_survives_a_parquet_round_trip(tmp_path):
    sig = document_signatures(frame({"a": ORIGINAL, "e": ""}))
    sig[["doc_id", "embedding"]].to_parquet(tmp_path / "sig.parquet")
    back = pd.read_parquet(tmp_path / "sig.parquet")
    for before, after in zip(sig["embedding"], back["embedding"]):
        assert np.array_equal(before, np.asarray(after, dtype=np.float32))


def test_model_is_read_without_importing_wordllama():
    BagEmbedder()
    assert "wordllama" not in sys.modules      # its __init__ would reconfigure the root logger


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=200))
def test_any_text_embeds_to_a_finite_unit_or_zero_vector(text):
    e = text_embeddings([text])[0]
    norm = float(np.linalg.norm(e))
    assert np.isfinite(e).all() and (norm == 0.0 or abs(norm - 1.0) < 1e-5)


def test_sentence_embeddings_are_the_bag_embeddings_of_each_sentence():
    from transforms.dedup.embedding import sentence_embeddings

    docs = [[["harbour", "council", "bridge"], ["orchestra", "symphony", "season"]], [], [["bridge", "estuary"]]]
    got = sentence_embeddings(docs)
    assert [m.shape for m in got] == [(2, EMBEDDING_DIM), (0, EMBEDDING_DIM), (1, EMBEDDING_DIM)]
    assert np.allclose(np.linalg.norm(got[0], axis=1), 1.0, atol=1e-5)
    alone = sentence_embeddings([[["bridge", "estuary"]]])[0]
    assert np.allclose(alone, got[2], atol=1e-6)          # a sentence embeds the same in any batch
    assert float(got[0][0] @ got[2][0]) > float(got[0][1] @ got[2][0])
