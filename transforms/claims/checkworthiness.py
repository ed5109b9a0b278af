"""Check-worthiness: logistic regression over word (1-2) and character (2-5) n-gram TF-IDF, from a JSON model.

The model file (vocabularies, idf weights, coefficients, intercept) is written by
scripts/train_checkworthiness.py; `vectorizers` and `features` are shared by training and scoring so both
see the same features. The intercept is shifted so that 0.5 is the decision threshold chosen in
cross-validation (`threshold` is 0.5 in the file): a score ≥ 0.5 means "check-worthy".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

MODEL_PATH = Path(__file__).with_name("checkworthiness_model.json")
FORMAT = "newsflow-checkworthiness-v2"
_DIGITS = re.compile(r"\d")
_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)
WORD_TOKEN = r"(?u)\b\w+(?:'\w+)?\b|[%$€£]"


def preprocess(text: str) -> str:
    """Lower-case, fold curly quotes and dashes, fold digits to '0' (numbers matter, their values do not)."""
    return _DIGITS.sub("0", text.translate(_FOLD).lower())


def vectorizers(min_df: int = 2) -> tuple[TfidfVectorizer, TfidfVectorizer]:
    """Unfitted word and character TF-IDF vectorizers (sublinear tf, l2) as training and scoring use them."""
    word = TfidfVectorizer(ngram_range=WORD_NGRAMS, sublinear_tf=True, min_df=min_df, token_pattern=WORD_TOKEN,
                           preprocessor=preprocess, dtype=np.float64)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True, min_df=min_df,
                           preprocessor=preprocess, dtype=np.float64)
    return word, char


def features(word: TfidfVectorizer, char: TfidfVectorizer, texts: list[str]) -> sparse.csr_matrix:
    """The model's feature matrix of texts: word block then character block."""
    return sparse.hstack([word.transform(texts), char.transform(texts)], format="csr")


@dataclass(frozen=True)
class CheckworthinessModel:
    """Fitted vectorizers, coefficients (word block then char block), intercept and decision threshold."""

    word: TfidfVectorizer
    char: TfidfVectorizer
    coef: np.ndarray
    intercept: float
    threshold: float = 0.5

    def score(self, texts: list[str]) -> np.ndarray:
        """Probability that each text is a check-worthy factual claim, in [0, 1] (≥ threshold: check-worthy)."""
        if not texts:
            return np.zeros(0, dtype=np.float64)
        # Several claims of a sentence are scored on that sentence: featurise each distinct text once.
        unique, back = np.unique(np.asarray([str(t) for t in texts], dtype=object), return_inverse=True)
        z = features(self.word, self.char, unique.tolist()) @ self.coef + self.intercept
        return (1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64))))[back]

    def predict(self, texts: list[str]) -> np.ndarray:
        """True where a text is check-worthy at the model's threshold."""
        return self.score(texts) >= self.threshold


def _fitted(vocabulary: list[str], idf: list[float], word: bool) -> TfidfVectorizer:
    vec = vectorizers()[0 if word else 1]
    vec.vocabulary_ = {t: i for i, t in enumerate(vocabulary)}
    vec.idf_ = np.asarray(idf, dtype=np.float64)
    return vec


def model_to_json(word: TfidfVectorizer, char: TfidfVectorizer, coef: np.ndarray, intercept: float,
                  meta: dict[str, object]) -> str:
    """Serialise fitted vectorizers and a linear model as JSON (vocabularies in index order)."""
    def block(vec: TfidfVectorizer) -> dict[str, object]:
        terms = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
        return {"vocabulary": terms, "idf": [round(float(v), 5) for v in vec.idf_]}

    return json.dumps({
        "format": FORMAT, "word": block(word), "char": block(char), "intercept": round(float(intercept), 6),
        "coef": [round(float(w), 5) for w in coef], "threshold": 0.5, "meta": meta,
    }, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def model_from_json(payload: str) -> CheckworthinessModel:
    """Parse a JSON model written by model_to_json."""
    d = json.loads(payload)
    if d.get("format") != FORMAT:
        raise ValueError("not a newsflow check-worthiness model (v2)")
    word = _fitted(d["word"]["vocabulary"], d["word"]["idf"], word=True)
    char = _fitted(d["char"]["vocabulary"], d["char"]["idf"], word=False)
    coef = np.asarray(d["coef"], dtype=np.float64)
    if len(coef) != len(word.vocabulary_) + len(char.vocabulary_):
        raise ValueError("check-worthiness model: coefficients do not match the vocabularies")
    return CheckworthinessModel(word, char, coef, float(d["intercept"]), float(d.get("threshold", 0.5)))


@lru_cache(maxsize=4)
def load_model(path: str = str(MODEL_PATH)) -> CheckworthinessModel:
    """Load (once per process) the shipped model file."""
    return model_from_json(Path(path).read_text(encoding="utf-8"))
