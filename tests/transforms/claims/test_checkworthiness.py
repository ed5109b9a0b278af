"""The shipped check-worthiness model: a JSON file scored with numpy, scores in [0, 1]."""

from __future__ import annotations

import json

import numpy as np

from transforms.claims.checkworthiness import MODEL_PATH, featurize, load_model, model_from_json, model_to_json


def test_shipped_model_is_json_and_scores_in_range() -> None:
    payload = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert payload["format"] == "newsflow-checkworthiness-v1"
    scores = load_model().score(["Unemployment rose by 700,000 jobs last year.", "Thank you very much.", ""])
    assert ((scores >= 0) & (scores <= 1)).all()
    assert scores[0] > scores[1]


def test_round_trip() -> None:
    weights = np.zeros(64)
    weights[[3, 5]] = [0.5, -1.0]
    model = model_from_json(model_to_json(64, weights, 0.25, {}))
    assert model.intercept == 0.25 and np.allclose(model.weights, weights)


def test_featurize_is_normalised_and_folds_digits() -> None:
    idx, vals = featurize("We lost 700,000 jobs", 1024)
    assert np.isclose(np.linalg.norm(vals), 1.0)
    assert set(featurize("We lost 123,456 jobs", 1024)[0]) == set(idx)
