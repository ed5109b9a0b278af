"""Helpers for summarise tests: documents/sentences frames from tiny texts (blank lines split paragraphs)."""

from __future__ import annotations

import pandas as pd

from transforms.clean import SENTENCE_COLUMNS
from transforms.sentences import split_sentences

HEADING_PREFIX = "# "


def frames(
    texts: dict[str, str],
    groups: dict[str, str] | None = None,
    canonical: dict[str, bool] | None = None,
    story: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Documents and sentences for clean texts keyed by doc_id; a paragraph starting '# ' is a heading."""
    docs, sents = [], []
    for doc_id, text in texts.items():
        body_parts, start, para, index = [], 0, 0, 0
        for block in text.split("\n\n"):
            heading = block.startswith(HEADING_PREFIX)
            block = block.removeprefix(HEADING_PREFIX)
            spans = [(0, len(block))] if heading else split_sentences(block)
            for a, b in spans:
                sents.append({"sentence_id": f"{doc_id}-s{index:04d}", "doc_id": doc_id, "sentence_index": index,
                              "paragraph": para, "char_start": start + a, "char_end": start + b,
                              "text": block[a:b], "is_heading": heading})
                index += 1
            body_parts.append(block)
            start += len(block) + 2
            para += 1
        docs.append({
            "doc_id": doc_id, "clean_text": "\n\n".join(body_parts), "title": None, "published_date": None,
            "duplicate_group": (groups or {}).get(doc_id, doc_id), "is_canonical": (canonical or {}).get(doc_id, True),
            "story_id": (story or {}).get(doc_id),
        })
    return pd.DataFrame(docs), pd.DataFrame(sents, columns=SENTENCE_COLUMNS)


def stories_frame(story: dict[str, str]) -> pd.DataFrame:
    """A stories table (story_id, label, doc_ids) from a doc_id -> story_id map."""
    by_story: dict[str, list[str]] = {}
    for doc_id, story_id in sorted(story.items()):
        by_story.setdefault(story_id, []).append(doc_id)
    by_story = dict(sorted(by_story.items()))
    return pd.DataFrame({
        "story_id": list(by_story), "label": [f"story {s}" for s in by_story],
        "n_documents": [len(v) for v in by_story.values()], "doc_ids": list(by_story.values()),
    })
