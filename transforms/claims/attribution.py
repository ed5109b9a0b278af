"""Direct quotes as claims: quotation pieces grouped per attribution, each with its speaker.

A piece is a pair of quotation marks. Pieces of one sentence that share an attribution frame
(`“A,” Putin said, “B.”`), a piece with no attribution of its own that follows an attributed one in
the same paragraph (`“A,” he said. “B.”`), and pieces joined only by `,`/`and` form one claim, as
news attribution corpora annotate them. A quote with no cue takes: the previous speaker when it
stands alone (a paragraph that is only a quote), else the subject of its sentence.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

from transforms.claims.document import DocumentView
from transforms.claims.lexicon import Token
from transforms.claims.quotes import MARKS, QUOTE_JOINER, QuoteSpan, find_quotes
from transforms.claims.speakers import (
    Attribution, Mention, NameIndex, Speaker, attribute_after, attribute_cue_anywhere, clause_subject, np_forward,
    is_person_name, possessive_source, resolve_speaker, split_title, transcript_speaker,
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
    speaker_type: str | None = None


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
            post_end = view.sentences[p.sent_last + 1].end  # "…,” Rep. Ann Lee said": split after "Rep."
        if n + 1 < len(pieces) and pieces[n + 1].span.open < post_end:
            post_end = pieces[n + 1].span.open
        post = view.tokens(p.span.end, max(p.span.end, post_end))
        if not any(t.is_word for t in post) and p.sent_last + 1 < len(view.sentences):
            # “…?” Clinton said.  /  “…” ― Jane Doe  (the splitter cut after the closing mark)
            nxt = view.sentences[p.sent_last + 1]
            following = view.text[nxt.start : nxt.end]
            # only a short attribution sentence of its own ("Clinton said."), never one with its own quotation
            if (nxt.paragraph == p.end_paragraph and not any(m in following for m in MARKS)
                    and len(following.split()) <= 12):
                post_end = nxt.end if n + 1 >= len(pieces) else min(nxt.end, max(nxt.start, pieces[n + 1].span.open))
                post = view.tokens(p.span.end, max(p.span.end, post_end))
        pre = view.tokens(pre_start, p.span.open) if p.span.open > pre_start else []
        sentence_pre = view.tokens(s_first.start, p.span.open)
        inner_end = text[max(p.span.open, p.span.close - 2) : p.span.close]
        comma_inside = "," in inner_end or (post[:1] and post[0].text == ",")
        p.bare = not any(t.is_word for t in pre) and not any(t.is_word for t in post)
        att = attribute_after(text, post, bool(comma_inside))
        frame = (p.span.end, post_end)
        subject = _subject_finder(view, pieces, n)
        closed = bool(comma_inside) or text[p.span.close - 1 : p.span.close] in ".?!…—–-:;"
        if att is not None and not closed and pre:
            # a partial quote running on into the sentence ("… as “reckless” a senator’s post"): the words
            # after it are not its attribution when the words before it have one
            before = attribute_cue_anywhere(text, pre, sentence_pre, subject) or possessive_source(text, pre)
            if before is not None:
                att, frame = before, (pre_start, p.span.open)
        if att is None and pre:
            att = attribute_cue_anywhere(text, pre, sentence_pre, subject) or possessive_source(text, pre)
            frame = (pre_start, p.span.open)
        if att is None and post:
            att = attribute_cue_anywhere(text, post, sentence_pre, subject)
            frame = (p.span.end, post_end)
        if att is not None:
            p.own, p.own_frame = att, frame


def _ends_with_abbreviation(view: DocumentView, start: int, end: int) -> bool:
    tail = view.tokens(max(start, end - 8), end)
    return len(tail) >= 2 and tail[-1].text == "." and tail[-2].lower in _TITLE_ABBREVIATIONS


# How far before a quote its attribution is looked for: a sentence that runs on for pages (unbalanced quote
# marks, no punctuation) must not make every quote in it rescan everything before it (quadratic).
_ATTRIBUTION_WINDOW_CHARS = 600


def _outside_quotes(view: DocumentView, pieces: list[_Piece], start: int, end: int) -> list[Token]:
    """Tokens of text[start:end] (its last _ATTRIBUTION_WINDOW_CHARS) that are not inside a quotation."""
    start = max(start, end - _ATTRIBUTION_WINDOW_CHARS)
    toks = view.tokens(start, end)
    spans = sorted((p.span.open, p.span.end) for p in pieces if p.span.open < end and p.span.end > start)
    opens = [a for a, _ in spans]
    reach: list[int] = []  # reach[k]: the furthest end among spans[0..k] (spans may nest or overlap)
    for _, b in spans:
        reach.append(max(b, reach[-1]) if reach else b)
    return [t for t in toks if not ((k := bisect.bisect_right(opens, t.start) - 1) >= 0 and t.start < reach[k])]


def _subject_finder(view: DocumentView, pieces: list[_Piece], n: int) -> Callable[[], Mention | None]:
    """The main-clause subject of piece n's sentence: when the sentence opens with a quote, that quote's
    speaker (“…,” X said, adding “…”); else the subject before the first quotation."""
    p = pieces[n]
    s = view.sentences[p.sent_first]

    def find() -> Mention | None:
        first = next((q for q in pieces[: n + 1] if q.span.open >= s.start), p)
        if not view.text[s.start : first.span.open].strip(" \n([{—–-"):
            if first is not p and first.own is not None:
                return first.own.mention
            return None
        found = clause_subject(view.text, view.tokens(s.start, first.span.open))
        if found is None:
            # "After saying her foot was “so swollen,” she was …": the main clause starts after the quote
            after = view.tokens(first.span.end, s.end)
            k = 0
            while k < len(after) and not after[k].is_word:
                k += 1
            if k < len(after) and after[k].lower in ("he", "she"):
                found, _ = np_forward(view.text, after, k)
        return found
    return find


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
    pieces = _pieces(view, [q for q in find_quotes(view.text) if not _nickname(view.text, q)])
    _attribute(view, pieces)
    claims: list[QuoteClaim] = []
    previous: tuple[Speaker, str | None, int] | None = None  # speaker, mention, paragraph
    for group in _group(view, pieces):
        head = group[0]
        att = next((p.own for p in group if p.own is not None), None)
        found, mention_text, cue = Speaker(None, None, None), None, None
        if att is not None:
            found = resolve_speaker(att.mention, names)
            found = Speaker(found.name, att.role or found.role, found.kind)
            mention_text, cue = att.mention.text, att.cue
        elif (label := transcript_speaker(view.text, head.span.open + 1, head.span.close)) is not None:
            found, mention_text = resolve_speaker(label, names), label.text
        elif all(p.bare for p in group) and previous is not None and head.paragraph - previous[2] <= 2:
            found, mention_text = previous[0], previous[1]
        else:
            mention = _fallback_mention(view, pieces, head)
            if mention is not None:
                found, mention_text = resolve_speaker(mention, names), mention.text
            elif (previous is not None and head.paragraph == previous[2] and len(group) == 1
                  and _after_opener_only(view, pieces, head)):
                found, mention_text = previous[0], previous[1]  # `“…,” Lopez said. By 2030, “they will triple.”`
        if found.name is not None:
            names.note(head.span.open, found.name, found.kind, view.sentences[head.sent_first].start)
            previous = (found, mention_text, group[-1].end_paragraph)
        elif att is not None or not all(p.bare for p in group):
            previous = None
        segments = [view.text[a:b] for p in group for a, b in p.span.segments]
        claims.append(QuoteClaim(
            start=head.span.open, end=group[-1].span.end, quote=QUOTE_JOINER.join(segments),
            speaker=found.name, speaker_mention=mention_text, speaker_role=found.role, cue=cue,
            sentence_index=head.sent_first, speaker_type=found.kind,
        ))
    return claims


def _headline(text: str, mention: Mention) -> bool:
    """A subheading run into its paragraph ("New Tariff Rules Slow Exports: Ending “…” is …"), not a source:
    four or more capitalised words before a colon that are no person's name."""
    words = mention.text.split()
    return (len(words) >= 4 and text[mention.end : mention.end + 1] == ":"
            and not is_person_name(split_title(mention.text)[0]))


def _after_opener_only(view: DocumentView, pieces: list[_Piece], p: _Piece) -> bool:
    """True when a quote stands alone in its sentence but for an opening phrase with no subject ("By 2030, “…”")."""
    s = view.sentences[p.sent_last]
    before = _outside_quotes(view, pieces, view.sentences[p.sent_first].start, p.span.open)
    after = view.tokens(p.span.end, s.end)
    return (bool(before) and before[-1].text == "," and not any(t.is_word for t in after)
            and clause_subject(view.text, before) is None
            and attribute_cue_anywhere(view.text, before, before) is None)


def _nickname(text: str, q: QuoteSpan) -> bool:
    """A nickname inside a name, not a quotation: Rep. Robert C. "Bobby" Scott, Marcia "Cia" Price."""
    inner = text[q.open + 1 : q.close].split()
    before = text[max(0, q.open - 30) : q.open].split()
    after = text[q.end : q.end + 30].split()
    return (1 <= len(inner) <= 2 and all(w[:1].isupper() for w in inner) and not text[q.close - 1].isspace()
            and bool(before) and before[-1][:1].isupper() and bool(after) and after[0][:1].isupper()
            and text[q.open - 1 : q.open] == " " and text[q.end : q.end + 1] == " ")


def _fallback_mention(view: DocumentView, pieces: list[_Piece], head: _Piece) -> Mention | None:
    """The source of a quote with no attribution of its own, in order: the
    reporting subject of the sentence it stands in (a partial quote in reported speech); the reporting subject
    of the sentence or paragraph that introduces it (`X said:` / `X called him a master. “…”`); the sentence
    subject."""
    if not view.sentences:
        return None
    text = view.text
    s = view.sentences[head.sent_first]
    before = _outside_quotes(view, pieces, s.start, head.span.open)
    if any(t.is_word for t in before):
        att = attribute_cue_anywhere(text, before, before)
        if att is not None:
            return att.mention
    elif head.sent_first > 0:
        prev = view.sentences[head.sent_first - 1]
        same_paragraph = prev.paragraph == s.paragraph
        introduces = text[prev.start : prev.end].rstrip().endswith(":")
        if (same_paragraph or introduces) and not prev.is_heading:
            # `X said …, referencing …. “Q”` / `X, who lost, identified … . “Q”`: the previous sentence's source
            tokens = _outside_quotes(view, pieces, prev.start, prev.end)
            att = attribute_cue_anywhere(text, tokens, tokens)
            if att is not None:
                return att.mention
            subject = clause_subject(text, tokens)
            if subject is None:
                # `On “Face the Nation,” Sen. X …`: with the quotation cut out, its comma no longer ends the opener
                whole = clause_subject(text, view.tokens(prev.start, prev.end))
                if whole is not None and not any(p.span.open <= whole.start < p.span.end for p in pieces):
                    subject = whole
            if introduces or (subject is not None and subject.kind == "name"
                              and not text[prev.start : prev.start + 1] in MARKS):
                return subject
        return None
    subject = clause_subject(text, before) if before else None
    if subject is not None and _headline(text, subject):
        return None
    if subject is not None and subject.kind == "pronoun" and (
            subject.text.lower() not in ("he", "she", "it")
            or subject.text.lower() == "it" and text[subject.end : subject.end + 1] in "'’"):
        return None  # "They … refer to each other as “dear friend”": no cue, no group to name; "it’s": no one
    return subject
