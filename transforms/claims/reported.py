"""Reported statements: `X said (that) S`, `S, X said`, `according to X, S` in sentences with no quotation.

The claim text is the statement S as it stands in the article; the speaker is X, resolved like a quote's.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from transforms.claims.document import DocumentView
from transforms.claims.lexicon import (
    BELIEF_LEMMAS, CAP_STOP, CUES, FEMALE_NAMES, FEMALE_NOUNS, MALE_NAMES, MALE_NOUNS, SPEECH_LEMMAS, Token,
)
from transforms.claims.quotes import MARKS, find_quotes
from transforms.claims.speakers import (
    Mention, NameIndex, attribute_after, clause_subject, is_cue, np_backward, np_forward, resolve_speaker,
)

_MIN_WORDS = 4
_PARAGRAPH_LOOKAHEAD = 3000  # how far a closing mark is looked for: a paragraph that runs on for pages stays linear
_KIN_DETERMINERS = frozenset("my his her their our the".split())
_REPORTING = SPEECH_LEMMAS | BELIEF_LEMMAS


@dataclass(frozen=True)
class ReportedClaim:
    """A reported statement: span of the statement, its source mention and cue."""

    start: int
    end: int
    mention: Mention
    cue: str


def _words(tokens: list[Token]) -> int:
    return sum(1 for t in tokens if t.is_word)


def _span(tokens: list[Token]) -> tuple[int, int] | None:
    while tokens and not tokens[-1].is_word:
        tokens = tokens[:-1]
    while tokens and not tokens[0].is_word:
        tokens = tokens[1:]
    if _words(tokens) < _MIN_WORDS:
        return None
    return tokens[0].start, tokens[-1].end


def reported_in_sentence(text: str, tokens: list[Token]) -> ReportedClaim | None:
    """Find one reported statement in a sentence's tokens, or None."""
    if not tokens:
        return None
    # according to X, S  /  S, according to X
    for i, tok in enumerate(tokens):
        if tok.lower == "according" and is_cue(tokens, i):
            mention, k = np_forward(text, tokens, i + 2)
            if mention is None:
                continue
            if i == 0 or (i <= 2 and not tokens[0].is_word):
                rest = tokens[k + 1 :] if k < len(tokens) and tokens[k].text == "," else tokens[k:]
            else:
                rest = tokens[: i - 1] if tokens[i - 1].text == "," else tokens[:i]
            span = _span(rest)
            if span:
                return ReportedClaim(span[0], span[1], mention, "according to")
    # S, X said.  /  S, said X.
    commas = [i for i, t in enumerate(tokens) if t.text == ","]
    if commas:
        last = commas[-1]
        att = attribute_after(text, tokens[last:], comma_inside=False)
        if att is not None and att.cue and CUES.get(att.cue.lower()) in _REPORTING and len(tokens) - last <= 12:
            span = _span(tokens[:last])
            if span:
                return ReportedClaim(span[0], span[1], att.mention, att.cue)
    # X said (that) S
    for c, tok in enumerate(tokens):
        if not is_cue(tokens, c) or CUES.get(tok.lower) not in _REPORTING or tok.lower.endswith("ing"):
            continue
        j = c - 1
        while j >= 0 and tokens[j].lower in ("also", "has", "have", "had", "previously", "later", "then", "repeatedly"):
            j -= 1
        mention = np_backward(text, tokens, j) if j >= 0 and tokens[j].text != "," else None
        if mention is None and j >= 0 and tokens[j].lower in ("and", "but"):
            mention = clause_subject(text, tokens)
        if mention is None:
            continue
        k = c + 1
        if CUES.get(tok.lower) == "tell":
            _, k = np_forward(text, tokens, k)
        while k < len(tokens) and tokens[k].lower in ("on", "in", "that", "monday", "tuesday", "wednesday",
                                                       "thursday", "friday", "saturday", "sunday", "this", "week",
                                                       "last", "earlier", "today", "yesterday", ","):
            if tokens[k].lower in ("on", "in") and k + 1 < len(tokens) and not tokens[k + 1].is_cap:
                break
            k += 1
        span = _span(tokens[k:])
        if span:
            return ReportedClaim(span[0], span[1], mention, tok.text)
        return None
    return None


def note_sources(view: DocumentView, names: NameIndex, find_reported: bool = True) -> dict[int, ReportedClaim]:
    """Record, in text order, each sentence's reported-speech source and its subject (when they name someone) for
    pronoun resolution; return the reported statements of sentences with no quotation mark, by sentence index."""
    found: dict[int, ReportedClaim] = {}
    text = view.text
    quoted = [(q.open, q.close) for q in find_quotes(text)]  # disjoint and in order
    opens = [a for a, _ in quoted]
    for k, s in enumerate(view.sentences):
        q = bisect.bisect_left(opens, s.start) - 1
        inside = q >= 0 and quoted[q][0] < s.start < quoted[q][1]
        if s.is_heading or inside or _opens_quote(text, s.start):
            continue  # a sentence inside a quotation names no source of the article
        if find_reported and not any(m in text[s.start : s.end] for m in MARKS):
            rep = reported_in_sentence(text, view.tokens(s.start, s.end))
            if rep is not None:
                found[k] = rep
                source = resolve_speaker(rep.mention, names)
                if source.name:
                    names.note(rep.mention.start, source.name, source.kind, s.start)
        subject = clause_subject(text, view.tokens(s.start, min(s.end, s.start + 200)))
        owner = _possessor(subject)
        if owner is not None and subject is not None:
            whole = resolve_speaker(subject, names)
            if whole.kind in ("organisation", "group"):
                # "Trump’s campaign is defending …": "it"/"they" next is the campaign, "he" its owner
                names.note(subject.start + 1, whole.name or subject.text, whole.kind, s.start)
            subject = owner  # "Xi’s reunion with Putin, who he has called …": Xi is who the sentence is about
        if subject is not None and subject.kind == "pronoun" and subject.text.lower() in ("he", "she"):
            names.note(subject.start, subject.text.lower(), "pronoun", s.start)  # a link in a chain of "she …"
        if subject is not None and subject.kind != "pronoun":
            source = resolve_speaker(subject, names)
            if source.name and not (source.kind == "person" and _bare_opening_word(subject, names)):
                names.note(subject.start, source.name, source.kind, s.start)
        _note_people(view, s.start, s.end, subject, names)
    return found


def _note_people(view: DocumentView, start: int, end: int, subject: Mention | None, names: NameIndex) -> None:
    """Note the article's full-named people mentioned in text[start:end] other than its subject (outside quotes, as
    the caller ensures): a pronoun whose sentence before has no fitting source or subject may mean them ("…, with
    Hillary Clinton lambasting the plan. “…,” she said")."""
    tokens = view.tokens(start, end)
    i = 1
    while i < len(tokens):
        tok = tokens[i]
        if subject is not None and subject.start <= tok.start < subject.end:
            i += 1
            continue
        if (tok.lower in MALE_NOUNS or tok.lower in FEMALE_NOUNS) and tokens[i - 1].lower in _KIN_DETERMINERS:
            # "when my mother mentioned the devil": an unnamed person a later "she" may mean
            names.note(tokens[i - 1].start, view.text[tokens[i - 1].start : tok.end], None, start, other=True)
            i += 1
            continue
        if tok.is_cap and tok.is_word and tok.lower not in CAP_STOP:
            mention, k = np_forward(view.text, tokens, i)
            if mention is not None and mention.kind == "name":
                found = resolve_speaker(mention, names)
                if (found.kind == "person" and found.name and names.is_known_person(found.name)
                        and names.gender_of(found.name)):
                    names.note(mention.start, found.name, found.kind, start, other=True)
            i = max(k, i + 1)
        else:
            i += 1


def _opens_quote(text: str, start: int) -> bool:
    """True when a quotation mark at start is closed later in its paragraph; a mark left open to the paragraph's end
    (a block quotation of another article's narrative: `"Melanie thought …`) does not make the sentence a quote."""
    if text[start : start + 1] not in MARKS:
        return False
    end = text.find("\n\n", start, start + _PARAGRAPH_LOOKAHEAD)
    rest = text[start + 1 : min(len(text), start + _PARAGRAPH_LOOKAHEAD) if end < 0 else end]
    return any(m in rest for m in MARKS)


def _bare_opening_word(subject: Mention, names: NameIndex) -> bool:
    """A lone capitalised word opening a sentence that the article never otherwise shows as a name ("Bombs may not
    be falling"): a common noun, not someone a later "he" refers to."""
    word = subject.text
    return (" " not in word and word not in names.inner_caps and names.resolve(word, subject.start) == word
            and word.lower() not in MALE_NAMES and word.lower() not in FEMALE_NAMES)


def _possessor(mention: Mention | None) -> Mention | None:
    """The name owning a possessive subject ("Xi’s reunion" → "Xi"), or None."""
    if mention is None or mention.kind != "name":
        return None
    for mark in ("'s ", "’s "):
        cut = mention.text.find(mark)
        if cut > 0 and mention.text[:1].isupper():
            return Mention(mention.text[:cut], mention.start, mention.start + cut, "name")
    return None
