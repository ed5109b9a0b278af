"""Helpers for claims tests: build documents/sentences frames from tiny texts (paragraphs split on blank lines)."""

from __future__ import annotations

import pandas as pd

from transforms.clean import SENTENCE_COLUMNS
from transforms.sentences import split_sentences


def frames(texts: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Documents (doc_id, clean_text, duplicate_group) and sentences for clean texts keyed by doc_id."""
    docs, sents = [], []
    for doc_id, text in texts.items():
        docs.append({"doc_id": doc_id, "clean_text": text, "duplicate_group": doc_id})
        start, para, index = 0, 0, 0
        for block in text.split("\n\n"):
            for a, b in split_sentences(block):
                sents.append({"sentence_id": f"{doc_id}-s{index:04d}", "doc_id": doc_id, "sentence_index": index,
                              "paragraph": para, "char_start": start + a, "char_end": start + b,
                              "text": text[start + a : start + b], "is_heading": False})
                index += 1
            start += len(block) + 2
            para += 1
    return pd.DataFrame(docs), pd.DataFrame(sents, columns=SENTENCE_COLUMNS)
