"""Find direct quotations: pair double quotation marks in one linear scan, paragraph by paragraph.

Rules: typographic and straight marks; a closing mark with no opening one is ignored (it never
opens a span that swallows the text after it); an opening mark left unclosed at the end of a
paragraph continues only when the next paragraph opens with a quotation mark (the news convention
for quotes over several paragraphs) in the same style (straight or typographic), otherwise it is dropped; a second opening mark while a quote
is open starts a quotation nested in it when the paragraph closes both, else restarts the quote there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENING = frozenset("“„«")
CLOSING = frozenset("”»")
STRAIGHT = '"'
MARKS = OPENING | CLOSING | {STRAIGHT}
# Characters after which a straight mark opens a quote.
_OPEN_BEFORE = frozenset(" \t\n([{—–-/:;")
# Characters after which a straight mark closes a quote.
_CLOSE_AFTER = frozenset(" \t\n)]}.,;:!?—–-…'’")
QUOTE_JOINER = " … "
_MARK_RE = re.compile("[“”„«»\"]")


@dataclass(frozen=True)
class QuoteSpan:
    """One quotation: the offsets of its opening and closing marks and its inner segments (one per paragraph)."""

    open: int
    close: int
    segments: tuple[tuple[int, int], ...]

    @property
    def end(self) -> int:
        """Offset just after the closing mark."""
        return self.close + 1


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of the paragraphs of a clean text (separated by blank lines)."""
    spans: list[tuple[int, int]] = []
    start = 0
    while start <= len(text):
        cut = text.find("\n\n", start)
        end = len(text) if cut < 0 else cut
        if end > start:
            spans.append((start, end))
        if cut < 0:
            break
        start = cut + 2
    return spans


def _kind(text: str, i: int) -> str:
    """Classify the mark at text[i] as 'open', 'close' or 'either'."""
    ch = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch in OPENING:
        return "open"
    if ch in CLOSING:
        # a closing glyph used as an opening one: after a space and before a word
        return "open" if before.isspace() and after.isalnum() else "close"
    opens = before in _OPEN_BEFORE and not after.isspace()
    closes = not before.isspace() and (after in _CLOSE_AFTER or after in MARKS)
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "either"


def _segments(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """Split the inner span of a quote at paragraph breaks, dropping continuation marks and blanks."""
    out: list[tuple[int, int]] = []
    for a, b in paragraph_spans(text[start:end]):
        a, b = a + start, b + start
        while a < b and (text[a].isspace() or text[a] in MARKS):
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return tuple(out)


@dataclass(frozen=True)
class _MarkTail:
    """What follows each mark of a paragraph, to decide nesting in constant time: closing minus opening typographic
    marks after it, the next closing typographic mark and the last straight mark of the paragraph."""

    balance: tuple[int, ...]
    next_close: tuple[int, ...]
    last_straight: int


def _mark_tail(text: str, marks: list[int]) -> _MarkTail:
    balance = [0] * len(marks)
    next_close = [-1] * len(marks)
    run, close = 0, -1
    for k in range(len(marks) - 1, -1, -1):
        balance[k], next_close[k] = run, close
        ch = text[marks[k]]
        if ch in CLOSING:
            run, close = run + 1, marks[k]
        elif ch in OPENING:
            run -= 1
    last = max((m for m in marks if text[m] == STRAIGHT), default=-1)
    return _MarkTail(tuple(balance), tuple(next_close), last)


def _nested(text: str, tail: _MarkTail, k: int, outer: str) -> bool:
    """True when the k-th mark of its paragraph, an opening one, starts a quotation inside the open one (`"… the
    question: “Q?” …"`, `“… what he calls “hell” than …”`): the paragraph still closes both; else the open quote
    was never closed."""
    if outer == STRAIGHT:
        return 0 <= tail.next_close[k] < tail.last_straight
    return tail.balance[k] >= 2


def find_quotes(text: str) -> list[QuoteSpan]:
    """Return the quotations of a clean text in order; linear in len(text)."""
    quotes: list[QuoteSpan] = []
    paragraphs = paragraph_spans(text)
    open_at: int | None = None
    for index, (p_start, p_end) in enumerate(paragraphs):
        if open_at is not None:
            first = p_start
            while first < p_end and text[first].isspace():
                first += 1
            if (first < p_end and text[first] in MARKS and _kind(text, first) != "close"
                    and (text[first] == STRAIGHT) == (text[open_at] == STRAIGHT)):
                p_start = first + 1  # continuation mark of a quote over several paragraphs
            else:
                open_at = None  # unclosed quote: dropped rather than guessed
        inner = False  # inside a quotation nested in the open one
        marks = [m.start() for m in _MARK_RE.finditer(text, p_start, p_end)]
        tail = _mark_tail(text, marks)
        for k, nxt in enumerate(marks):
            kind = _kind(text, nxt)
            if open_at is None:
                if kind in ("open", "either"):
                    open_at = nxt
            elif inner:
                if text[nxt] in CLOSING:
                    inner = False
                elif text[nxt] == STRAIGHT and text[open_at] == STRAIGHT and kind != "open":
                    inner = False  # the outer quote closes around an inner one left open
                    quotes.append(QuoteSpan(open_at, nxt, _segments(text, open_at + 1, nxt)))
                    open_at = None
            elif kind == "open" and text[nxt] in OPENING:
                if _nested(text, tail, k, text[open_at]):
                    inner = True
                else:
                    open_at = nxt
            elif kind in ("close", "either") or text[nxt] == STRAIGHT:
                if nxt > open_at + 1:
                    quotes.append(QuoteSpan(open_at, nxt, _segments(text, open_at + 1, nxt)))
                open_at = None
        if open_at is not None and index + 1 == len(paragraphs):
            open_at = None
    return [q for q in quotes if q.segments]


def inner_text(text: str, quote: QuoteSpan) -> str:
    """The words inside the marks; segments of a quote over several paragraphs joined by QUOTE_JOINER."""
    return QUOTE_JOINER.join(text[a:b] for a, b in quote.segments)
