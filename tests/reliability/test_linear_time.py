"""Pathological inputs stay roughly linear in every stage (no catastrophic regex backtracking, no n² blow-up).

Each shape is run through the stages' pure transforms at size n and 4n; a linear stage takes about 4x as long,
a quadratic one about 16x. A stage fails when it takes more than MAX_RATIO times as long (measured twice
before failing, to ride out a busy machine). Each bad-input case is also timed on its own through every stage.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

import pandas as pd
import pytest

from newsflow import sources
from transforms import ingest
from transforms.claims import extract_claims, group_claims
from transforms.clean import clean_documents
from transforms.dedup import deduplicate
from transforms.summarise import summarise_documents
from tests.reliability.support import (
    bare_quote_marks, build_cases, build_matrix, dialog_quotes, growing_vocabulary, single_line, unbalanced_quotes,
)

FACTOR = 4
MAX_RATIO = 8.0
FLOOR_SECONDS = 0.25  # below this, timings on a busy machine are noise: compare against the floor instead
STAGES = ("clean", "deduplicate", "extract_claims", "group_claims", "summarise_documents")
SHAPES: dict[str, tuple[Callable[[int], str], int]] = {
    "one_line_prose": (single_line, 64 * 1024),
    "dialog_quotes": (dialog_quotes, 600),
    "unbalanced_quotes": (unbalanced_quotes, 2_500),
    "bare_quote_marks": (bare_quote_marks, 25_000),
    "growing_vocabulary": (growing_vocabulary, 16 * 1024),
}


def stage_seconds(text: str, doc_id: str = "d0000000000000001") -> dict[str, float]:
    """Run one text through every stage's transform; return seconds per stage."""
    raw = pd.DataFrame([{"doc_id": doc_id, "source_file": "x.txt", "sha256": "0" * 64, "encoding": "utf-8", "text": text}])
    out: dict[str, float] = {}
    t = time.perf_counter()
    cleaned = clean_documents(raw, date(2026, 1, 1))
    out["clean"] = time.perf_counter() - t
    if cleaned.documents.empty:
        return out
    docs = cleaned.documents.assign(ingested_at=pd.Timestamp("2026-01-01", tz="UTC"), run_id="r", duplicate_group=None,
                                    is_canonical=None, story_id=None)
    t = time.perf_counter()
    deduped = deduplicate(docs).documents
    out["deduplicate"] = time.perf_counter() - t
    t = time.perf_counter()
    claims = extract_claims(deduped, cleaned.sentences)
    out["extract_claims"] = time.perf_counter() - t
    t = time.perf_counter()
    group_claims(claims, deduped)
    out["group_claims"] = time.perf_counter() - t
    t = time.perf_counter()
    summarise_documents(deduped, cleaned.sentences)
    out["summarise_documents"] = time.perf_counter() - t
    return out


_MEASURED: dict[tuple[str, int], dict[str, float]] = {}


def _measure(shape: str, size: int, again: bool = False) -> dict[str, float]:
    if again or (shape, size) not in _MEASURED:
        # A re-measure gets a slightly different text, so no stage can answer it from a cache.
        fresh = stage_seconds(SHAPES[shape][0](size) + (" Measured again." if again else ""))
        old = _MEASURED.get((shape, size))
        _MEASURED[(shape, size)] = {k: min(v, old.get(k, v)) for k, v in fresh.items()} if old else fresh
    return _MEASURED[(shape, size)]


def _ratio(shape: str, stage: str, again: bool = False) -> tuple[float, float, float]:
    n = SHAPES[shape][1]
    small, big = _measure(shape, n, again), _measure(shape, n * FACTOR, again)
    if stage not in small or stage not in big:
        pytest.skip(f"{shape} never reaches {stage}")
    return big[stage] / max(small[stage], FLOOR_SECONDS), small[stage], big[stage]


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_stage_time_grows_linearly(shape, stage, timings):
    ratio, small, big = _ratio(shape, stage)
    if ratio > MAX_RATIO:
        ratio, small, big = _ratio(shape, stage, again=True)
    timings[f"linearity {shape}/{stage} at {FACTOR}x"] = big
    assert ratio <= MAX_RATIO, f"{stage} on {shape}: {small:.2f} s -> {big:.2f} s for {FACTOR}x the input ({ratio:.1f}x)"


def _sentence_frames(n_sentences: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    texts = growing_vocabulary(n_sentences * 80).split(". ")[:n_sentences]
    texts = [t if t.endswith(".") else t + "." for t in texts]
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    clean_text = " ".join(texts)
    doc = pd.DataFrame([{"doc_id": "d1", "clean_text": clean_text, "title": None, "source_file": "x.txt",
                         "duplicate_group": "g1", "is_canonical": True, "story_id": "s1"}])
    sents = pd.DataFrame({"sentence_id": [f"d1-s{i:05d}" for i in range(len(texts))], "doc_id": "d1",
                          "sentence_index": range(len(texts)), "paragraph": 0, "char_start": starts,
                          "char_end": [s + len(t) for s, t in zip(starts, texts)], "text": texts, "is_heading": False})
    return doc, sents


def test_summarise_time_grows_linearly_with_sentences_of_a_long_document():
    """Sparse sentence vectors and no sentences x sentences matrix: a long document costs in proportion to its size."""
    def seconds(n: int) -> float:
        doc, sents = _sentence_frames(n)
        t = time.perf_counter()
        summarise_documents(doc, sents)
        return time.perf_counter() - t

    seconds(50)  # first call pays one-off set-up; it must not inflate the small measurement
    small, big = seconds(1_500), seconds(1_500 * FACTOR)  # each input once: a repeat may be served from a cache
    assert big <= MAX_RATIO * max(small, FLOOR_SECONDS), f"{small:.2f} s -> {big:.2f} s for {FACTOR}x the sentences"


# ---- Every bad-input case on its own, through every stage ------------------------------------------------------

CASE_BUDGET_SECONDS = 60.0


@pytest.fixture(scope="module")
def case_files(tmp_path_factory) -> dict[str, list[sources.SeedFile]]:
    root = tmp_path_factory.mktemp("cases")
    cases = build_cases()
    build_matrix(root / "seeds", root / "outside", cases, with_good_seeds=False)
    by_name = {s.source_file: s for s in sources.scan(root / "seeds")}
    return {c.name: [by_name[f] for f in c.expect if f in by_name] for c in cases}


@pytest.mark.parametrize("case", [c.name for c in build_cases()])
def test_each_bad_input_alone_is_fast(case, case_files, timings):
    t0 = time.perf_counter()
    for seed in case_files[case]:
        got = sources.read(seed)
        if got.rejection is not None:
            continue
        decoded = ingest.decode(got.data)
        if isinstance(decoded, ingest.Decoded):
            stage_seconds(decoded.text)
    seconds = time.perf_counter() - t0
    timings[f"case {case}"] = seconds
    assert seconds < CASE_BUDGET_SECONDS
