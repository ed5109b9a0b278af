"""Input grouping and the output frame shared by document and story summaries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass

import pandas as pd
from threadpoolctl import threadpool_limits

SUMMARY_COLUMNS = ["scope", "scope_id", "headline", "summary", "sentence_ids", "n_sentences", "n_words", "method"]
SENTENCE_INPUT_COLUMNS = ["sentence_id", "doc_id", "sentence_index", "paragraph", "text", "is_heading"]


@dataclass(frozen=True)
class DocRows:
    """One document's sentences in article order, as plain tuples."""

    doc_id: str
    sentence_ids: tuple[str, ...]
    texts: tuple[str, ...]
    paragraphs: tuple[int, ...]
    is_heading: tuple[bool, ...]


def sentences_by_doc(sentences: pd.DataFrame) -> dict[str, DocRows]:
    """Group the sentences table by document, each in sentence_index order (the input is not modified)."""
    missing = [c for c in SENTENCE_INPUT_COLUMNS if c not in sentences.columns]
    if missing:
        raise ValueError(f"sentences: missing columns {missing}")
    ordered = sentences.loc[:, SENTENCE_INPUT_COLUMNS].sort_values(["doc_id", "sentence_index"], kind="stable")
    doc_ids = [str(d) for d in ordered["doc_id"].tolist()]
    ids = [str(s) for s in ordered["sentence_id"].tolist()]
    texts = [str(t) for t in ordered["text"].tolist()]
    paragraphs = [int(p) for p in ordered["paragraph"].tolist()]
    headings = [bool(h) for h in ordered["is_heading"].tolist()]
    out: dict[str, DocRows] = {}
    start = 0
    for end in range(1, len(doc_ids) + 1):
        if end == len(doc_ids) or doc_ids[end] != doc_ids[start]:
            out[doc_ids[start]] = DocRows(
                doc_ids[start], tuple(ids[start:end]), tuple(texts[start:end]),
                tuple(paragraphs[start:end]), tuple(headings[start:end]),
            )
            start = end
    return out


def iter_docs(documents: pd.DataFrame, column: str) -> Iterator[tuple[str, object]]:
    """Yield (doc_id, value of column or None) for every document row in input order."""
    values = documents[column] if column in documents.columns else pd.Series([None] * len(documents))
    for doc_id, value in zip(documents["doc_id"], values):
        yield str(doc_id), None if is_missing(value) else value


def is_missing(value: object) -> bool:
    """Tell whether a cell is None, NA or NaN."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def single_threaded_blas() -> AbstractContextManager[object]:
    """Limit BLAS to one thread while summarising: the matrices are small, and threads only add contention."""
    return threadpool_limits(limits=1, user_api="blas")


def summary_row(
    scope: str, scope_id: str, headline: str | None, texts: list[str], sentence_ids: list[str], method: str
) -> dict[str, object]:
    """Build one summaries row; the summary is the cited sentences joined by spaces."""
    summary = " ".join(t.strip() for t in texts).strip()
    return {
        "scope": scope,
        "scope_id": scope_id,
        "headline": headline,
        "summary": summary,
        "sentence_ids": list(sentence_ids),
        "n_sentences": len(sentence_ids),
        "n_words": len(summary.split()),
        "method": method,
    }


def summary_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Return the rows as a frame with exactly the summaries columns and stable dtypes."""
    frame = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    return frame.astype({"n_sentences": "int32", "n_words": "int32"})
