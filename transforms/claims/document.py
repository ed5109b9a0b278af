"""One document as the claims stage sees it: clean text, sentences with offsets, and lookups."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from transforms.claims.lexicon import Token, tokenize


@dataclass(frozen=True)
class Sentence:
    """A sentence of the document: id, offsets into clean_text, paragraph number and heading flag."""

    sentence_id: str
    start: int
    end: int
    paragraph: int
    is_heading: bool


@dataclass(frozen=True)
class DocumentView:
    """A document's text and sentences sorted by offset."""

    doc_id: str
    text: str
    sentences: tuple[Sentence, ...]

    def sentence_at(self, pos: int) -> int:
        """Index of the sentence containing pos (or the last one starting before it)."""
        starts = [s.start for s in self.sentences]
        return max(0, bisect.bisect_right(starts, pos) - 1)

    def tokens(self, start: int, end: int) -> list[Token]:
        """Tokens of text[start:end] with absolute offsets."""
        return tokenize(self.text, start, end)


def make_view(doc_id: str, text: str, rows: list[tuple[str, int, int, int, bool]]) -> DocumentView:
    """Build a view from (sentence_id, char_start, char_end, paragraph, is_heading) rows."""
    sentences = tuple(sorted((Sentence(*r) for r in rows), key=lambda s: (s.start, s.end)))
    return DocumentView(doc_id, text, sentences)
