"""The shipped check-worthiness model: a JSON file (vocabularies, idf, coefficients), scores in [0, 1]."""

from __future__ import annotations

import json

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from transforms.claims.checkworthiness import (
    FORMAT, MODEL_PATH, features, load_model, model_from_json, model_to_json, preprocess, vectorizers,
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


def test_round_trip_scores_like_the_fitted_model() -> None:
    word, char = vectorizers(min_df=1)
    x = sparse.hstack([word.fit_transform(_TEXTS), char.fit_transform(_TEXTS)], format="csr")
    clf = LogisticRegression(class_weight="balanced").fit(x, _LABELS)
    model = model_from_json(model_to_json(word, char, clf.coef_[0], float(clf.intercept_[0]), {}))
    assert np.allclose(model.score(_TEXTS), clf.predict_proba(x)[:, 1], atol=1e-4)


def test_features_fold_digits_and_are_normalised() -> None:
    assert preprocess("We lost 700,000 Jobs") == "we lost 000,000 jobs"
    word, char = vectorizers(min_df=1)
    word.fit(_TEXTS)
    char.fit(_TEXTS)
    a = features(word, char, ["We lost 123,456 jobs"])
    b = features(word, char, ["We lost 700,000 jobs"])
    assert (a != b).nnz == 0
    assert np.isclose(sparse.linalg.norm(a[:, : len(word.vocabulary_)]), 1.0)
