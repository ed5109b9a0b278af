"""Check-worthiness: one logistic regression over four feature blocks of a sentence, from a JSON model.

Blocks: word (1-3) and character (2-5) n-gram TF-IDF, claim cues (log counts of numbers, percentages,
money, years, comparatives, superlatives, change verbs, opinion and promise phrases, questions, capitalised
names, length) and the sentence's WordLlama token embeddings (mean and max over its tokens, from the
256-d table that ships in the `wordllama` wheel, read through transforms.dedup.embedding's loader). The
dense blocks enter raw: training standardises them and folds the scaling into the coefficients and the
intercept. The model file (vocabularies, idf weights, coefficients, intercept) is written by
scripts/train_checkworthiness.py. The regression is class-balanced and its threshold is 0.5 (`threshold` in
the file; a threshold tuned inside the training folds did not beat it): a score ≥ 0.5 means "check-worthy".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

if TYPE_CHECKING:
    from tokenizers import Tokenizer

MODEL_PATH = Path(__file__).with_name("checkworthiness_model.json")
FORMAT = "newsflow-checkworthiness-v3"
_DIGITS = re.compile(r"\d")
_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
WORD_NGRAMS = (1, 3)
CHAR_NGRAMS = (2, 5)
WORD_TOKEN = r"(?u)\b\w+(?:'\w+)?\b|[%$€£]"

_NUMBER_WORDS = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|"
                 r"seventy|eighty|ninety|hundred|thousand|million|billion|trillion|half|third|quarter|dozen")
# Each cue counts its matches in the lower-cased sentence; the model sees log(1 + count).
CUES: dict[str, str] = {
    "number": r"\d+(?:[.,]\d+)*",
    "percent": r"%|\bper ?cent(?:age)?\b",
    "money": r"[$€£]|\b(?:dollars?|cents?|pounds?|euros?)\b",
    "scale": r"\b(?:hundred|thousand|million|billion|trillion)s?\b",
    "year": r"\b(?:1[89]\d\d|20\d\d)\b|'\d\d\b",
    "number_word": rf"\b(?:{_NUMBER_WORDS})\b",
    "comparative": r"\b(?:more|less|fewer|higher|lower|larger|smaller|bigger|greater|faster|slower|better|worse)\b"
                   r"(?:\s+\w+){0,3}\s+than\b|\bthan\b",
    "superlative": r"\b(?:most|least|largest|highest|lowest|biggest|smallest|greatest|fastest|worst|best|first|only|"
                   r"record|ever|never)\b",
    "change": r"\b(?:increas|decreas|ris|rose|fell|fall|drop|grow|grew|doubl|tripl|cut|rais|reduc|declin|los[te]|gain|"
              r"creat|spent|spend|cost|paid|pay)\w*",
    "statistic": r"\b(?:rate|unemployment|deficit|debt|tax(?:es)?|budget|jobs?|income|inflation|spending|economy|"
                 r"average|number|majority|per)\b",
    "past": r"\b\w+ed\b|\b(?:was|were|had|did|said|voted|passed|signed)\b",
    "opinion": r"\b(?:i think|i believe|i feel|i hope|i want|i'm going to|we're going to|i will|we will|we must|"
               r"we should|we need|let me|i'd like|thank you|i don't know|in my opinion)\b",
    "question": r"\?",
    "modal": r"\b(?:will|would|should|could|must|can|may|might|going to|ought)\b",
    "first_person": r"\b(?:i|me|my|i'm|i've|i'll)\b",
    "second_person": r"\b(?:you|your|you're)\b",
    "negation": r"\b(?:not|no|never|nobody|nothing)\b|n't\b",
}
_CUES = tuple(re.compile(p) for p in CUES.values())  # matched on lower-cased text (faster than IGNORECASE)
_NAME = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][a-z]+")  # a capitalised word that does not open the sentence
_WORD = re.compile(r"\w+")
CUE_NAMES = (*CUES, "name", "log_words", "digits")
EMBEDDING_NAMES = tuple(f"{pool}{i}" for pool in ("mean", "max") for i in range(256))


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


def cue_features(texts: list[str]) -> np.ndarray:
    """The (len(texts), len(CUE_NAMES)) claim-cue matrix: log(1 + count) of each cue, names, log words, digits."""
    out = np.zeros((len(texts), len(CUE_NAMES)), dtype=np.float64)
    for i, raw in enumerate(texts):
        text = raw.translate(_FOLD)
        lower = text.lower()
        for j, cue in enumerate(_CUES):
            out[i, j] = len(cue.findall(lower))
        out[i, -3] = len(_NAME.findall(text))
        out[i, -1] = len(_DIGITS.findall(text))
        out[i, -2] = np.log(max(1, len(_WORD.findall(text))))
    out[:, :-2] = np.log1p(out[:, :-2])
    out[:, -1] = np.log1p(out[:, -1])
    return out


@lru_cache(maxsize=1)
def _token_model() -> tuple[np.ndarray, Tokenizer]:
    # Kept for the process, as the loaded model is (~16 MB of float16 rows plus the tokenizer).
    from transforms.dedup.embedding import token_model

    return token_model()


def embedding_features(texts: list[str]) -> np.ndarray:
    """The (len(texts), 512) mean then max of each text's WordLlama token embeddings (digits folded to '0',
    case kept; zeros for no token)."""
    table, tokenizer = _token_model()
    out = np.zeros((len(texts), len(EMBEDDING_NAMES)), dtype=np.float64)
    half = len(EMBEDDING_NAMES) // 2
    for i, text in enumerate(texts):   # one text at a time: a batch's token rows could be gigabytes
        # encode, not encode_batch: the batch form starts a thread pool, which breaks a later fork()
        ids = tokenizer.encode(_DIGITS.sub("0", text.translate(_FOLD)), add_special_tokens=False).ids
        if ids:
            rows = table[ids].astype(np.float32)
            out[i, :half] = rows.mean(axis=0)
            out[i, half:] = rows.max(axis=0)
    return out


def features(word: TfidfVectorizer, char: TfidfVectorizer, texts: list[str]) -> sparse.csr_matrix:
    """The model's feature matrix of texts: word block, char block, cue block, embedding block."""
    return sparse.hstack([word.transform(texts), char.transform(texts), sparse.csr_matrix(cue_features(texts)),
                          sparse.csr_matrix(embedding_features(texts))], format="csr")


@dataclass(frozen=True)
class CheckworthinessModel:
    """Fitted vectorizers, coefficients (word, char, cue, embedding blocks), intercept and decision threshold."""

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
    """Serialise fitted vectorizers and a linear model (coefficients in `features` order) as JSON."""
    def block(vec: TfidfVectorizer) -> dict[str, object]:
        terms = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
        return {"vocabulary": terms, "idf": [round(float(v), 5) for v in vec.idf_]}

    return json.dumps({
        "format": FORMAT, "word": block(word), "char": block(char), "dense": [*CUE_NAMES, *EMBEDDING_NAMES],
        "intercept": round(float(intercept), 6), "coef": [float(f"{w:.5g}") for w in coef], "threshold": 0.5,
        "meta": meta,
    }, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def model_from_json(payload: str) -> CheckworthinessModel:
    """Parse a JSON model written by model_to_json."""
    d = json.loads(payload)
    if d.get("format") != FORMAT:
        raise ValueError("not a newsflow check-worthiness model (v3)")
    if d.get("dense") != [*CUE_NAMES, *EMBEDDING_NAMES]:
        raise ValueError("check-worthiness model: its dense features are not this module's cues and embeddings")
    word = _fitted(d["word"]["vocabulary"], d["word"]["idf"], word=True)
    char = _fitted(d["char"]["vocabulary"], d["char"]["idf"], word=False)
    coef = np.asarray(d["coef"], dtype=np.float64)
    if len(coef) != len(word.vocabulary_) + len(char.vocabulary_) + len(CUE_NAMES) + len(EMBEDDING_NAMES):
        raise ValueError("check-worthiness model: coefficients do not match the vocabularies")
    return CheckworthinessModel(word, char, coef, float(d["intercept"]), float(d.get("threshold", 0.5)))


@lru_cache(maxsize=4)
def load_model(path: str = str(MODEL_PATH)) -> CheckworthinessModel:
    """Load (once per process) the shipped model file."""
    return model_from_json(Path(path).read_text(encoding="utf-8"))
