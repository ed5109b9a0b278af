"""Sentence splitting with character offsets (syntok: abbreviation- and quote-aware, no model data)."""

from __future__ import annotations

from syntok import segmenter

# syntok tokenises a whole paragraph at once; past this size a block is split at newlines/spaces first
# so that a pathological single-line input stays linear and bounded in memory.
_MAX_CHUNK = 20_000


def split_sentences(paragraph: str) -> list[tuple[int, int]]:
    """Return (start, end) character spans of the sentences of one paragraph, in order, whitespace-trimmed."""
    spans: list[tuple[int, int]] = []
    for offset, chunk in _chunks(paragraph):
        for para in segmenter.analyze(chunk):
            for sentence in para:
                tokens = [t for t in sentence if t.value]
                if not tokens:
                    continue
                start = tokens[0].offset
                end = tokens[-1].offset + len(tokens[-1].value)
                while end > start and chunk[end - 1].isspace():
                    end -= 1
                while start < end and chunk[start].isspace():
                    start += 1
                if end > start:
                    spans.append((offset + start, offset + end))
    return spans


def _chunks(text: str) -> list[tuple[int, str]]:
    if len(text) <= _MAX_CHUNK:
        return [(0, text)]
    out: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(start + _MAX_CHUNK, len(text))
        if end < len(text):
            cut = text.rfind(" ", start + _MAX_CHUNK // 2, end)
            end = cut + 1 if cut > 0 else end
        out.append((start, text[start:end]))
        start = end
    return out
