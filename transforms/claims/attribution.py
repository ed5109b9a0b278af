"""Direct quotes as claims: quotation pieces grouped per attribution, each with its speaker.

A piece is a pair of quotation marks. Pieces of one sentence that share an attribution frame
(`“A,” Putin said, “B.”`), a piece with no attribution of its own that follows an attributed one in
the same paragraph (`“A,” he said. “B.”`), and pieces joined only by `,`/`and` form one claim, as
news attribution corpora annotate them. A quote with no cue takes: the previous speaker when it
stands alone (a paragraph that is only a quote), else the subject of its sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

from transforms.claims.document import DocumentView
from transforms.claims.lexicon import Token
from transforms.claims.quotes import QUOTE_JOINER, QuoteSpan, find_quotes
from transforms.claims.speakers import (
    Attribution, NameIndex, attribute_after, attribute_cue_anywhere, canonical, clause_subject,
)

_TITLE_ABBREVIATIONS = frozenset("rep sen gov dr mr mrs ms lt gen col sgt prof st jr".split())
_CONNECTIVE = frozenset(", ; and or but , — – -".split()) | {","}


@dataclass(frozen=True)
class QuoteClaim:
    """A grouped quotation with its resolved speaker."""

    start: int
    end: int
    quote: str
    speaker: str | None
    speaker_mention: str | None
    speaker_role: str | None
    cue: str | None
    sentence_index: int


@dataclass
class _Piece:
    span: QuoteSpan
    paragraph: int
    end_paragraph: int
    sent_first: int
    sent_last: int
    own: Attribution | None = None
    own_frame: tuple[int, int] | None = None
    bare: bool = False


def _paragraph_of(view: DocumentView, sentence_index: int) -> int:
    return view.sentences[sentence_index].paragraph if view.sentences else 0


def _pieces(view: DocumentView, spans: list[QuoteSpan]) -> list[_Piece]:
    out = []
    for q in spans:
        first = view.sentence_at(q.open)
        last = view.sentence_at(q.close)
        out.append(_Piece(q, _paragraph_of(view, first), _paragraph_of(view, last), first, last))
    return out


def _attribute(view: DocumentView, pieces: list[_Piece]) -> None:
    """Set each piece's own attribution from the text between it and its neighbours in its sentence."""
    text = view.text
    for n, p in enumerate(pieces):
        if not view.sentences:
            continue
        s_first = view.sentences[p.sent_first]
        s_last = view.sentences[p.sent_last]
        pre_start = s_first.start
        if n > 0 and pieces[n - 1].span.end > pre_start:
            pre_start = pieces[n - 1].span.end
        post_end = s_last.end
        if _ends_with_abbreviation(view, p.span.end, post_end) and p.sent_last + 1 < len(view.sentences):
            post_end = view.sentences[p.sent_last + 1].end  # "…,” Rep. Jim Clyburn said": split after "Rep."
        if n + 1 < len(pieces) and pieces[n + 1].span.open < post_end:
            post_end = pieces[n + 1].span.open
        post = view.tokens(p.span.end, max(p.span.end, post_end))
        pre = view.tokens(pre_start, p.span.open) if p.span.open > pre_start else []
        sentence_pre = view.tokens(s_first.start, p.span.open)
        inner_end = text[max(p.span.open, p.span.close - 2) : p.span.close]
        comma_inside = "," in inner_end or (post[:1] and post[0].text == ",")
        p.bare = not any(t.is_word for t in pre) and not any(t.is_word for t in post)
        att = attribute_after(text, post, bool(comma_inside))
        frame = (p.span.end, post_end)
        if att is None and pre:
            att = attribute_cue_anywhere(text, pre, _clause_tokens(sentence_pre))
            frame = (pre_start, p.span.open)
        if att is None and post:
            att = attribute_cue_anywhere(text, post, _clause_tokens(sentence_pre))
            frame = (p.span.end, post_end)
        if att is not None:
            p.own, p.own_frame = att, frame


def _ends_with_abbreviation(view: DocumentView, start: int, end: int) -> bool:
    tail = view.tokens(max(start, end - 8), end)
    return len(tail) >= 2 and tail[-1].text == "." and tail[-2].lower in _TITLE_ABBREVIATIONS


def _clause_tokens(tokens: list[Token]) -> list[Token]:
    return tokens


def _connective_gap(view: DocumentView, a: _Piece, b: _Piece) -> bool:
    gap = view.tokens(a.span.end, b.span.open)
    return len(gap) <= 3 and all(t.text in _CONNECTIVE or t.lower in _CONNECTIVE for t in gap) and "\n" not in view.text[a.span.end : b.span.open]


def _gap_is_frame(view: DocumentView, a: _Piece, b: _Piece) -> bool:
    """True when the words between two pieces are all inside the first piece's attribution frame."""
    frame = a.own_frame if a.own is not None else None
    for tok in view.tokens(a.span.end, b.span.open):
        if tok.is_word and (frame is None or not frame[0] <= tok.start < frame[1]):
            return False
    return True


def _group(view: DocumentView, pieces: list[_Piece]) -> list[list[_Piece]]:
    groups: list[list[_Piece]] = []
    for p in pieces:
        if groups:
            q = groups[-1][-1]
            same_paragraph = p.paragraph == q.end_paragraph
            shared_frame = (p.own is not None and q.own is not None and p.own_frame is not None
                            and q.own_frame is not None and p.own_frame[0] == q.span.end and q.own_frame[1] == p.span.open)
            continues = p.own is None and _gap_is_frame(view, q, p)
            if same_paragraph and (continues or shared_frame or _connective_gap(view, q, p)):
                groups[-1].append(p)
                continue
        groups.append([p])
    return groups


def quote_claims(view: DocumentView, names: NameIndex) -> list[QuoteClaim]:
    """Return the document's direct quotes, grouped per attribution, with resolved speakers."""
    pieces = _pieces(view, find_quotes(view.text))
    _attribute(view, pieces)
    claims: list[QuoteClaim] = []
    previous: tuple[str | None, str | None, str | None, int] | None = None  # speaker, mention, role, paragraph
    for group in _group(view, pieces):
        head = group[0]
        att = next((p.own for p in group if p.own is not None), None)
        speaker = mention_text = role = cue = None
        if att is not None:
            speaker, title_role = canonical(att.mention, names)
            mention_text, cue = att.mention.text, att.cue
            role = att.role or title_role
        elif all(p.bare for p in group) and previous is not None and head.paragraph - previous[3] <= 2:
            speaker, mention_text, role = previous[0], previous[1], previous[2]
        elif view.sentences:
            s = view.sentences[head.sent_first]
            subject = clause_subject(view.text, view.tokens(s.start, head.span.open))
            if subject is not None:
                speaker, role = canonical(subject, names)
                mention_text = subject.text
        if speaker is not None:
            names.note(head.span.open, speaker)
            previous = (speaker, mention_text, role, group[-1].end_paragraph)
        elif att is not None or not all(p.bare for p in group):
            previous = None
        segments = [view.text[a:b] for p in group for a, b in p.span.segments]
        claims.append(QuoteClaim(
            start=head.span.open, end=group[-1].span.end, quote=QUOTE_JOINER.join(segments),
            speaker=speaker, speaker_mention=mention_text, speaker_role=role, cue=cue,
            sentence_index=head.sent_first,
        ))
    return claims
