"""The shipped check-worthiness model: a JSON file (vocabularies, idf, coefficients), scores in [0, 1]."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from transforms.claims.checkworthiness import (
    CUE_NAMES, EMBEDDING_NAMES, FORMAT, MODEL_PATH, cue_features, embedding_features, features, load_model,
    model_from_json, model_to_json, preprocess, vectorizers,
)

_TEXTS = ["Unemployment rose by 700,000 jobs last year.", "Thank you very much.", "Taxes went up 20 percent.",
          "Good evening everyone.", "We lost 3 million jobs in 2009.", "I want to thank my family."]
_LABELS = np.asarray([1, 0, 1, 0, 1, 0])


def test_shipped_model_is_json_and_scores_in_range() -> None:
    payload = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert payload["format"] == FORMAT and payload["threshold"] == 0.5
    model = load_model()
    scores = model.score(["Unemployment rose by 700,000 jobs last year.", "Thank you very much.", ""])
    assert ((scores >= 0) & (scores <= 1)).all()
    assert scores[0] > 0.5 > scores[1]
    assert model.predict(["Unemployment rose by 700,000 jobs last year."]).tolist() == [True]
    assert model.score([]).shape == (0,)


def test_a_statistic_with_a_comparison_outranks_greetings_and_opinions() -> None:
    statistic = "Crime fell 12 percent in 2019, more than in any year since 1990."
    others = ["Good evening, and welcome to everyone here tonight.", "I think we should all work together.",
              "Thank you, Jim.", "What do you want to do about that?"]
    scores = load_model().score([statistic, *others])
    assert scores[0] > 0.5 and (scores[0] > scores[1:]).all()
    assert (scores[1:] < 0.5).all()


def test_a_sentence_scores_the_same_alone_and_in_a_batch() -> None:
    model = load_model()
    batch = model.score([*_TEXTS, _TEXTS[0]])
    alone = np.asarray([model.score([t])[0] for t in _TEXTS])
    assert np.allclose(batch[:-1], alone) and batch[-1] == batch[0]


def test_round_trip_scores_like_the_fitted_model() -> None:
    word, char = vectorizers(min_df=1)
    dense = np.hstack([cue_features(_TEXTS), embedding_features(_TEXTS)])
    x = sparse.hstack([word.fit_transform(_TEXTS), char.fit_transform(_TEXTS), sparse.csr_matrix(dense)], format="csr")
    clf = LogisticRegression(class_weight="balanced").fit(x, _LABELS)
    model = model_from_json(model_to_json(word, char, clf.coef_[0], float(clf.intercept_[0]), {}))
    assert np.allclose(model.score(_TEXTS), clf.predict_proba(x)[:, 1], atol=1e-3)


def test_features_fold_digits_and_are_normalised() -> None:
    assert preprocess("We lost 700,000 Jobs") == "we lost 000,000 jobs"
    word, char = vectorizers(min_df=1)
    word.fit(_TEXTS)
    char.fit(_TEXTS)
    a = features(word, char, ["We lost 123,456 jobs"])
    b = features(word, char, ["We lost 700,000 jobs"])
    assert (a != b).nnz == 0
    assert a.shape[1] == len(word.vocabulary_) + len(char.vocabulary_) + len(CUE_NAMES) + len(EMBEDDING_NAMES)
    assert np.isclose(sparse.linalg.norm(a[:, : len(word.vocabulary_)]), 1.0)


def test_cues_count_numbers_percentages_money_and_comparisons() -> None:
    cue = dict(zip(CUE_NAMES, cue_features(["Taxes rose 20% to $300 billion, more than in 1999."])[0], strict=True))
    for name in ("number", "percent", "money", "scale", "year", "comparative", "change", "statistic"):
        assert cue[name] > 0, name
    greeting = dict(zip(CUE_NAMES, cue_features(["Good evening, everyone."])[0], strict=True))
    assert greeting["number"] == greeting["percent"] == greeting["comparative"] == 0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=5))
def test_scores_are_probabilities_for_any_text(texts: list[str]) -> None:
    scores = load_model().score(texts)
    assert scores.shape == (len(texts),) and ((scores >= 0) & (scores <= 1)).all()
    assert np.isfinite(embedding_features(texts)).all()
