"""The summarise stage: extractive article summaries and multi-document story summaries citing sentence_ids.

Entry points (pure: no I/O, no clock, inputs never modified, deterministic output):
- `summarise_documents(documents, sentences, config)`: one row per document, scope 'document'.
- `summarise_stories(documents, sentences, stories, config)`: one row per story, scope 'story', with a headline.
Both return exactly the columns of the catalogue's `summaries` table (`SUMMARY_COLUMNS`).
"""

from __future__ import annotations

from transforms.summarise.config import SummariseConfig
from transforms.summarise.document import summarise_documents
from transforms.summarise.frames import SUMMARY_COLUMNS
from transforms.summarise.story import summarise_stories

__all__ = ["SUMMARY_COLUMNS", "SummariseConfig", "summarise_documents", "summarise_stories"]
