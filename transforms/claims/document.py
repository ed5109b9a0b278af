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
    sentence_starts: tuple[int, ...]
    all_tokens: tuple[Token, ...]
    token_starts: tuple[int, ...]

    def sentence_at(self, pos: int) -> int:
        """Index of the sentence containing pos (or the last one starting before it)."""
        return max(0, bisect.bisect_right(self.sentence_starts, pos) - 1)

    def tokens(self, start: int, end: int) -> list[Token]:
        """Tokens lying inside text[start:end], with absolute offsets."""
        a = bisect.bisect_left(self.token_starts, start)
        b = bisect.bisect_left(self.token_starts, end)
        out = list(self.all_tokens[a:b])
        while out and out[-1].end > end:
            out.pop()
        return out


def make_view(doc_id: str, text: str, rows: list[tuple[str, int, int, int, bool]]) -> DocumentView:
    """Build a view from (sentence_id, char_start, char_end, paragraph, is_heading) rows."""
    sentences = tuple(sorted((Sentence(*r) for r in rows), key=lambda s: (s.start, s.end)))
    tokens = tuple(tokenize(text))
    return DocumentView(doc_id, text, sentences, tuple(s.start for s in sentences), tokens,
                        tuple(t.start for t in tokens))
