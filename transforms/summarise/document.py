"""Article summaries: extractive, lead-backed, up to three sentences, at most 80 words and half the article."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from transforms.summarise.config import SummariseConfig
from transforms.summarise.frames import (
    DocRows,
    iter_docs,
    sentences_by_doc,
    single_threaded_blas,
    summary_frame,
    summary_row,
)
from transforms.summarise.scoring import prepare, select

DOCUMENT_METHOD = "extractive/lead+centrality+title/v2"
FALLBACK_METHOD = "fallback/title-or-text/v1"


def summarise_documents(
    documents: pd.DataFrame, sentences: pd.DataFrame, config: SummariseConfig = SummariseConfig(),
    on_progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """Return one summaries row per document (scope 'document'); each row depends on that document only.
    on_progress, if given, is called with 1 after each document."""
    by_doc = sentences_by_doc(sentences)
    texts = dict(iter_docs(documents, "clean_text"))
    rows = []
    with single_threaded_blas():
        for doc_id, title in iter_docs(documents, "title"):
            rows.append(_summarise_one(doc_id, by_doc.get(doc_id), title, texts.get(doc_id), config))
            if on_progress is not None:
                on_progress(1)
    return summary_frame(rows)


def _summarise_one(
    doc_id: str, doc: DocRows | None, title: object, clean_text: object, config: SummariseConfig
) -> dict[str, object]:
    title_text = str(title) if title is not None else None
    scored = prepare(doc.sentence_ids, doc.texts, doc.paragraphs, doc.is_heading, title_text, config) if doc else None
    picked = select(scored, config) if scored else []
    if doc is None or not picked:  # no usable sentence: the title or the text's first words, citing nothing
        fallback = (title_text or str(clean_text or "")).strip()
        return summary_row("document", doc_id, None, [" ".join(fallback.split()[: config.max_words])], [], FALLBACK_METHOD)
    return summary_row(
        "document", doc_id, None, [doc.texts[i] for i in picked], [doc.sentence_ids[i] for i in picked], DOCUMENT_METHOD
    )
