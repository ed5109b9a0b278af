"""Speakers: noun phrases around reporting cues, title stripping, resolution to a full name, and the source's type.

Attribution follows news grammar: `“Q,” X said` / `“Q,” said X, role` / `X, a long role, told Y: “Q”` /
`according to X` / `X said (that) …` / `as X put it` / `X's claim that “Q”`; a participle cue ("…, adding
“Q”") or a coordinated one ("… and called it “Q”") takes the main clause's subject (the speaker of the quote the
sentence opens with, never a word inside it); a partial quote in reported speech takes the reporting subject
("The statement noted they had said … “Q”"). A source is a noun phrase that can speak: never an adverb, number,
date, verb or kicker in capitals. Surnames resolve to the full name given in the article ("Kuhrt" → "Natasha
Kuhrt"), role phrases to the person holding the role (its head and capitalised modifiers in their role).

Pronouns: he/she is the latest source or subject before it that is a person of a compatible gender (by Mr/Mrs/Ms,
by the usual gender of a given name, or by a pronoun already resolved to that name) or an unnamed source headed by
a gendered noun ("my mother"); a person merely mentioned (not source or subject) counts only when their sentence
has no fitting source or subject; a sentence whose subject is the same pronoun passes on to that pronoun's own
referent. they/we is the latest organisation or group, it the latest organisation or document. Types: person,
organisation, document, group, or None (an unnamed source).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from functools import lru_cache
from dataclasses import dataclass, field

from transforms.claims.lexicon import (
    CAP_STOP, CONNECTORS, CUES, DETERMINERS, DOCUMENT_HEADS, FEMALE_NAMES, FEMALE_NOUNS, GROUP_HEADS, INTRO,
    MALE_NAMES, MALE_NOUNS,
    ORG_HEADS, PERSON_HEADS, NON_SPEAKER, NP_STOP, ORG_WORDS, PERSON_PRONOUNS,
    PERSON_ROLE_HEADS, PRONOUNS, SKIP, SPEECH_NOUNS, TITLES, Token, tokenize, SPEECH_LEMMAS, BELIEF_LEMMAS,
    NAMING_LEMMAS,
)

_PLAIN_CUE_VERBS = frozenset("said says say told tells added adds wrote writes argued argue argues warned warn warns "
                              "insisted insist insists suggested suggest suggests stated noted claimed".split())
_TIME_WORDS = frozenset("this last next week month year on in earlier also have has had monday tuesday wednesday "
                         "thursday friday saturday sunday today yesterday".split())
_CUE_BASES = SPEECH_LEMMAS | BELIEF_LEMMAS | NAMING_LEMMAS
_ABBREVIATIONS = frozenset("mr mrs ms dr sen rep gov gen st jr sr lt col prof rev u s n".split())
_DASHES = frozenset("—―–-")
_PUNCT_LEAD = frozenset(",.;:!?)]}—–-…")
_FORWARD_DETS = DETERMINERS - {"that", "this", "these", "those", "some", "many", "several"}
_ROLE_NOUNS = TITLES | PERSON_ROLE_HEADS | frozenset(
    "campaign administration officials official ministry office spokesperson spokesman spokeswoman statement "
    "declaration report aides aide advisers experts analysts sources".split()
)
_ROLE_MODIFIERS = frozenset(
    "former presidential vice deputy senior chief acting interim assistant associate executive top lead longtime "
    "veteran fellow party campaign communications press political policy national foreign defense defence "
    "republican democratic conservative liberal labor labour state federal city county regional local "
    "strategist pollster consultant historian researcher author columnist commentator activist organizer "
    "organiser chairwoman chair founder co-founder partner president ceo head".split())
_SHARE_WORDS = frozenset("percent % one some many most all several both none half majority few two three".split())
_COUNTING_DETS = frozenset("another one two three four several many some other both".split())
_SOURCE_HEADS = _ROLE_NOUNS | GROUP_HEADS | DOCUMENT_HEADS | ORG_HEADS | PERSON_HEADS
_ROLE_WORDS = _ROLE_NOUNS | ORG_HEADS | PERSON_HEADS | _ROLE_MODIFIERS


@dataclass(frozen=True)
class Mention:
    """A noun phrase naming a source: its text as written, offsets and kind (name, pronoun or np)."""

    text: str
    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Attribution:
    """A source mention with its reporting cue and any role (title or apposition) given with it."""

    mention: Mention
    cue: str | None
    role: str | None
    how: str


def is_cue(tokens: list[Token], i: int) -> bool:
    """True when tokens[i] is a reporting verb in this position (not a noun after a determiner)."""
    low = tokens[i].lower
    if low == "put":  # "as a Homeland Security memo put it"
        return i + 1 < len(tokens) and tokens[i + 1].lower == "it"
    if low == "per":  # "“…,” per the party’s bylaws": a source after a comma, not "per capita" or "$5 per gallon"
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        return ((i == 0 or tokens[i - 1].text in ",”\"") and nxt is not None and nxt.is_word
                and (nxt.lower in DETERMINERS or nxt.is_cap) and nxt.lower not in NON_SPEAKER)
    if low not in CUES:
        # the base form of a noun-like cue as an infinitive: "led aides to fear a “deal”", "declined to comment"
        return low in _CUE_BASES and i > 0 and tokens[i - 1].lower == "to" and i + 1 < len(tokens) and (
            tokens[i + 1].lower in DETERMINERS or tokens[i + 1].lower in ("that", "it", "them", "him", "her"))
    if tokens[i].is_cap and low != "according" and i > 0:
        return False  # "the United States", "Reports", a name
    if low == "according":
        return i + 1 < len(tokens) and tokens[i + 1].lower == "to"
    if i > 0 and tokens[i - 1].lower in DETERMINERS | {"'s"} or (i > 0 and tokens[i - 1].lower.endswith("'s")):
        return False
    for k in range(i + 1, min(len(tokens), i + 5)):
        if tokens[k].lower in _PLAIN_CUE_VERBS:
            return False  # "Other reports (this week) said", "the claims say": a noun before the cue, not a cue
        if tokens[k].lower not in _TIME_WORDS:
            break
    return True


def _is_abbrev_dot(tokens: list[Token], i: int) -> bool:
    if tokens[i].text != "." or i == 0 or tokens[i - 1].end != tokens[i].start:
        return False
    prev = tokens[i - 1]
    # "Mr.", "Sen.", or a middle initial ("Ana B. Ortiz") between capitalised words
    return prev.lower in _ABBREVIATIONS or (len(prev.text) == 1 and prev.is_cap and i >= 2 and tokens[i - 2].is_cap
                                            and i + 1 < len(tokens) and tokens[i + 1].is_cap)


_CAP_STOP_NO_TITLE = CAP_STOP - TITLES
_CAP_STOP_OPENERS = CAP_STOP - TITLES - DETERMINERS
_SKIP_BACK = SKIP - {"and"}
_SKIP_FWD = SKIP - {"and", "to"}
_NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty "
                          "hundred hundreds thousand thousands million millions dozen dozens".split())
_ADVERB_ENDINGS = ("ally", "ously", "fully", "ately", "ently", "antly", "ively", "ably", "ibly", "edly", "ingly", "enly",
                   "arly", "tely", "sely", "dly", "ssly", "ckly", "ftly", "ghtly", "tly", "wly")


_LY_NOUNS = frozenset("family rally ally supply reply assembly july italy belly bully jelly monopoly anomaly butterfly "
                      "homily lily holly folly tally sally daily weekly monthly quarterly ugly early".split())


def is_adverb(word: str) -> bool:
    """A manner or sentence adverb by its ending ("Ultimately", "widely"), not a name like "Kelly"."""
    low = word.lower()
    if word[:1].islower():
        return len(low) >= 5 and low.endswith("ly") and low not in _LY_NOUNS
    return len(low) >= 6 and low.endswith(_ADVERB_ENDINGS)


def _is_number(tok: Token) -> bool:
    return tok.text[:1].isdigit() or tok.lower in _NUMBER_WORDS


def _speakable(words: list[Token]) -> bool:
    """A noun phrase that can speak: not a date, number, time span, adverb or quantifier alone."""
    content = [t for t in words if t.lower not in DETERMINERS]
    if not content or (len(content) >= 2 and all(t.text.isupper() for t in content)):
        return False  # nothing, or a kicker or dateline in capitals ("TAX PLAN UNVEILED", "LOS ANGELES")
    if any(t.lower == "of" for t in content[1:]):
        content = content[: next(k for k, t in enumerate(content) if t.lower == "of")]  # "mother of three"
    head, first = content[-1], content[0]
    if head.lower in _SOURCE_HEADS:
        return True  # "a 12-count complaint", "two officials"
    if head.lower in ("percent", "%") and len(content) >= 2 and _is_number(content[-2]):
        return True  # "63 percent said": poll respondents
    if any(t.lower.endswith("n't") for t in content):
        return False  # "Don't"
    if len(content) == 1 and not head.is_cap and head.lower.endswith("ing") and len(head.lower) > 5:
        return False  # "raising worries": a gerund
    if first.lower in NP_STOP or (first.is_cap and first.lower in _CAP_STOP_OPENERS):
        return False  # "Of the"
    if not any(t.is_cap for t in content) and (
            any(t.lower in NP_STOP for t in content)
            or (not any(t.lower in _COUNTING_DETS or _is_number(t) for t in words) and len(words) == len(content)
                and not head.lower.endswith("s") and head.lower not in _SOURCE_HEADS)):
        return False  # "settle charges", "played down claims": a verb before a noun cue, not a source
    if head.lower in NON_SPEAKER and (not head.is_cap or len(words) == 1):
        return False  # "this month", "Already"; but "the Times" is a newspaper
    if head.lower in _CAP_STOP_NO_TITLE or is_adverb(head.text) or _is_number(head):
        return False
    if not any(t.is_cap for t in content) and (first.text[:1].isdigit() or first.lower in NON_SPEAKER):
        return False  # "2013", "Already": but "Navy veteran Sam Reyes" is a name
    return True


def _mention(text: str, tokens: list[Token], a: int, b: int) -> Mention | None:
    """Build a mention from tokens[a..b] inclusive, trimming punctuation and trailing adverbs at the edges."""
    while a <= b and not tokens[a].is_word:
        a += 1
    while b >= a and (not tokens[b].is_word and not _is_abbrev_dot(tokens, b)
                      or (b > a and not tokens[b].is_cap and is_adverb(tokens[b].text))):
        b -= 1
    if a > b:
        return None
    if a < b and tokens[a].lower in ("that", "this", "these", "those") and tokens[a + 1].is_cap:
        a += 1  # "… that Clinton once described": the conjunction is not part of the name
    words = [t for t in tokens[a : b + 1] if t.is_word]
    content = [t for t in words if t.lower not in DETERMINERS]
    if not content or not (len(words) == 1 and words[0].lower in PRONOUNS or _speakable(words)):
        return None
    kind = "pronoun" if len(words) == 1 and words[0].lower in PRONOUNS else (
        "name" if any(t.is_cap and t.lower not in CAP_STOP for t in content) else "np")
    return Mention(text[tokens[a].start : tokens[b].end], tokens[a].start, tokens[b].end, kind)


def np_forward(text: str, tokens: list[Token], i: int) -> tuple[Mention | None, int]:
    """Parse a source noun phrase starting at tokens[i]; return it and the index after it."""
    if i >= len(tokens):
        return None, i
    if tokens[i].lower in PRONOUNS and tokens[i].is_word:
        return _mention(text, tokens, i, i), i + 1
    if "'" in tokens[i].lower and tokens[i].lower.split("'")[0] in PRONOUNS:  # "He’s claiming", "She'd"
        cut = tokens[i].start + len(tokens[i].lower.split("'")[0])
        return Mention(text[tokens[i].start : cut], tokens[i].start, cut, "pronoun"), i + 1
    if tokens[i].lower == "another" and (i + 1 >= len(tokens) or not tokens[i + 1].is_word):
        return Mention(tokens[i].text, tokens[i].start, tokens[i].end, "np"), i + 1
    start = i
    has_det = tokens[i].lower in _FORWARD_DETS or tokens[i].lower in _COUNTING_DETS
    if has_det:
        i += 1
    possessive = caps = False
    lowers = 0
    while i < len(tokens):
        tok = tokens[i]
        low = tok.lower
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if tok.is_word and tok.is_cap and not (low in CAP_STOP and not caps and low not in TITLES) and not (
                caps and is_cue(tokens, i)):
            caps = True
            possessive = low.endswith("'s")
            i += 1
        elif _is_abbrev_dot(tokens, i):
            i += 1
        elif low in CONNECTORS and caps and nxt is not None and nxt.is_cap:
            i += 1
        elif low == "of" and caps and nxt is not None and nxt.is_cap and tokens[i - 1].lower in TITLES:
            i += 1
        elif (tok.is_word and not tok.is_cap and low not in NP_STOP and not is_cue(tokens, i) and low not in SKIP
              and lowers < 3 and (has_det or possessive or low in _ROLE_NOUNS or (caps and _role_run(tokens, i))
                                  or (i == start and _role_run(tokens, i, full_name=True)))
              and not (i > start and tokens[i - 1].lower in _SOURCE_HEADS and low not in _SOURCE_HEADS)
              and not ((lowers or caps) and low.endswith("ed") and low not in _SOURCE_HEADS)):
            lowers += 1
            i += 1
        elif tok.text == "(" and caps and (close := _paren_close(tokens, i)) is not None:
            if i == start or (has_det and i == start + 1):
                break
            return _mention(text, tokens, start, i - 1), close + 1  # "Ann Lee (D-Ore.)": the name, not the party
        else:
            break
    if i == start or (has_det and i == start + 1):
        return None, start
    return _mention(text, tokens, start, i - 1), i


def _role_run(tokens: list[Token], i: int, full_name: bool = False) -> bool:
    """True when the lower-case words from tokens[i] lead to a name or a cue: "Trump campaign manager Kellyanne
    Conway", "police Chief", "Republican strategist said"; with full_name, to two capitalised words
    ("presidential nominee Hillary Clinton")."""
    for k in range(i, min(len(tokens), i + 3)):
        tok = tokens[k]
        if full_name and tok.is_cap:
            return k + 1 < len(tokens) and tokens[k + 1].is_cap and tokens[k + 1].is_word
        if tok.is_cap or (k > i and is_cue(tokens, k)):
            return True
        if not tok.is_word or tok.lower not in _ROLE_WORDS or k == i + 2:
            return False  # "Xi Jinping met Vladimir Putin": only role words join a name
    return False


def _paren_close(tokens: list[Token], i: int) -> int | None:
    """Index of the ")" closing a short parenthetical that opens at tokens[i] (a party, a state, an age)."""
    for k in range(i + 1, min(len(tokens), i + 9)):
        if tokens[k].text == ")":
            return k
        if tokens[k].text in "(\"“”":
            return None
    return None


def _paren_open(tokens: list[Token], j: int) -> int | None:
    """Index of the "(" opening a short parenthetical that closes at tokens[j]."""
    for k in range(j - 1, max(-1, j - 9), -1):
        if tokens[k].text == "(":
            return k
        if tokens[k].text in ")\"“”":
            return None
    return None


def np_backward(text: str, tokens: list[Token], j: int) -> Mention | None:
    """Parse a source noun phrase that ends at tokens[j] (reading leftwards)."""
    if j < 0:
        return None
    if tokens[j].text == ")" and (k := _paren_open(tokens, j)) is not None and k > 0 and tokens[k - 1].is_cap:
        j = k - 1  # "Ann B. Lee (D-Ore.) said"
    if tokens[j].lower in PRONOUNS:
        return _mention(text, tokens, j, j)
    if not tokens[j].is_cap and tokens[j].lower.endswith("ed") and tokens[j].lower not in _SOURCE_HEADS:
        return None  # "The company refused to call it …": a verb ends no source phrase
    i = j
    if j >= 2 and tokens[j - 1].lower == "of" and not tokens[j].is_cap and tokens[j - 2].lower in _SOURCE_HEADS:
        i = j - 2  # "the 34-year-old mother of three said"
    lowers = 0
    caps = False
    while i >= 0:
        tok = tokens[i]
        low = tok.lower
        prev = tokens[i - 1] if i > 0 else None
        if low in DETERMINERS and i < j and not tok.is_cap or (tok.is_cap and low in DETERMINERS and i < j):
            break
        if tok.is_word and tok.is_cap and (low not in CAP_STOP or low in TITLES):
            caps = True
            i -= 1
        elif _is_abbrev_dot(tokens, i) or (low in CONNECTORS and i < j and prev is not None and prev.is_cap):
            i -= 1
        elif low in ("of", "for") and i < j and prev is not None and prev.is_cap and tokens[i + 1].is_cap and (
                prev.lower in TITLES or prev.lower in ORG_WORDS or prev.lower in ORG_HEADS):
            i -= 1  # "Secretary of State", "the National Council for Adoption", "Bank of England"
        elif (tok.is_word and not tok.is_cap and low not in NP_STOP and low not in SKIP and not is_cue(tokens, i)
              and lowers < 3 and low not in PRONOUNS and not (i < j and low in DETERMINERS) and not caps):
            lowers += 1
            i -= 1
        else:
            break
    a = i + 1
    if a > j:
        return None
    if i >= 0 and tokens[i].lower in DETERMINERS:
        a = i
    tail = [t for t in tokens[a : j + 1] if t.is_word and t.lower not in DETERMINERS]
    if (tail and any(t.is_cap for t in tail) and not tail[-1].is_cap and tail[-1].lower not in _SOURCE_HEADS
            and tokens[a].lower not in DETERMINERS):
        return None  # "Lee restricted comments": the cue is a noun here; "the Lee camp" is a phrase
    return _mention(text, tokens, a, j)


_IT_EXPLETIVE = frozenset("is was be been being seems seemed appears appeared looks looked remains remained will would "
                          "could can may might must should has had does did takes took makes made".split())


def _introductory(tokens: list[Token], i: int) -> bool:
    """True when tokens[i] opens an introductory phrase ("In 2013,", "Already,", "Looking ahead,", "Worried about")."""
    tok = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if tok.lower == "it" and nxt is not None and nxt.is_word and not nxt.is_cap and nxt.lower not in _IT_EXPLETIVE:
        return False  # "it attacked Trump": a subject; "It is clear", "It may be" open no one's clause
    if tok.lower in INTRO or tok.lower in NON_SPEAKER or _is_number(tok) or is_adverb(tok.text):
        return True
    if nxt is None or not tok.is_word:
        return False
    # a participle opening the sentence: "Chastened by", "Looking ahead", "Asked about"
    participle = tok.lower.endswith(("ing", "ed")) and len(tok.lower) > 4
    return participle and (nxt.text == "," or (nxt.is_word and not nxt.is_cap and not is_cue(tokens, i + 1)))


def clause_subject(text: str, tokens: list[Token]) -> Mention | None:
    """The subject noun phrase at the start of a sentence, after introductory phrases or a conjunction."""
    i = 0
    intro = False
    caps = [t for t in tokens[:3] if t.is_word]
    if len(caps) >= 2 and all(t.text.isupper() for t in caps):  # a kicker: "TAX PLAN UNVEILED — Lee …"
        dash = next((k for k in range(min(len(tokens), 16)) if tokens[k].text in _DASHES), None)
        if dash is not None:
            i = dash + 1
    for _ in range(4):
        while i < len(tokens) and not tokens[i].is_word:
            i += 1
        if i >= len(tokens):
            return None
        if tokens[i].lower in ("but", "and", "yet", "so", "or"):
            i += 1
            continue
        if not _introductory(tokens, i):
            mention, _ = np_forward(text, tokens, i)
            if mention is not None or not intro:
                return mention
            # "After a long, closed-door session, the committee …": a longer intro
        comma = next((k for k in range(i, min(len(tokens), i + 30)) if tokens[k].text in ",:;"), None)
        if comma is None or tokens[comma].text != ",":
            return None
        i = comma + 1
        intro = True
    mention, _ = np_forward(text, tokens, i)
    return mention


def _skip_back(tokens: list[Token], j: int) -> int:
    while j >= 0 and tokens[j].lower in _SKIP_BACK:
        j -= 1
    return j


def _skip_fwd(tokens: list[Token], i: int) -> int:
    while i < len(tokens) and tokens[i].lower in _SKIP_FWD:
        i += 1
    return i


def _apposition(text: str, tokens: list[Token], i: int, stop: int) -> str | None:
    """Text of tokens[i:stop] as a role, or None when empty."""
    if i >= stop:
        return None
    role = text[tokens[i].start : tokens[stop - 1].end].strip(" ,")
    return role or None


def attribute_after(text: str, post: list[Token], comma_inside: bool) -> Attribution | None:
    """Attribution in the text right after a quote: `, X said` / `, said X, role` / `, X, role, told`."""
    i = 0
    dash = False
    while i < len(post) and not post[i].is_word:
        if post[i].text in "“”\".!?":
            return None  # another quotation, or a new sentence
        dash = dash or post[i].text in _DASHES
        i += 1
    if i >= len(post):
        return None
    if dash:  # byline style: “…” — Jane Doe, a voter in Ohio
        mention, k = np_forward(text, post, i)
        if mention is not None and mention.kind == "name" and (k >= len(post) or not post[k].is_word):
            role = None
            if k < len(post) and post[k].text == ",":
                role = _apposition(text, post, k + 1, len(post))
            return Attribution(mention, post[i - 1].text, role, "dash")
    i = _skip_fwd(post, i)
    if i < len(post) and is_cue(post, i) and not post[i].lower.endswith("ing"):
        cue = post[i].text
        k = i + 1
        if post[i].lower == "according":
            cue, k = "according to", i + 2
        elif post[i].lower == "per":
            cue = "per"
        elif k < len(post) and post[k].lower == "by" and i > 0 and post[i - 1].lower in ("was", "were", "is", "been"):
            k += 1  # passive: "“…” was written by Dylan"
        mention, after = np_forward(text, post, _skip_fwd(post, k))
        if mention is None or mention.kind != "name":
            mention, after = _name_to_clause_end(text, post, _skip_fwd(post, k), mention, after)
        if mention is not None:
            role = None
            if after < len(post) and post[after].text == ",":
                end = next((m for m in range(after + 1, min(len(post), after + 40)) if post[m].text in ",.;"), len(post))
                role = _apposition(text, post, after + 1, end)
            return Attribution(mention, cue, role, "after")
    mention, k = np_forward(text, post, i)
    if mention is not None:
        role = None
        if k < len(post) and post[k].text == ",":
            # "Name, a long apposition, with commas, wrote": the first comma after which a cue follows
            for end in (m for m in range(k + 1, min(len(post), k + 60)) if post[m].text == ","):
                after = _skip_fwd(post, end + 1)
                if after < len(post) and (is_cue(post, after) or (comma_inside and _unknown_cue(post, after))):
                    role = _apposition(text, post, k + 1, end)
                    k = end + 1
                    break
        if k + 1 < len(post) and post[k].lower in ("of", "at", "from", "for", "in", "with") and mention.kind != "pronoun":
            affiliation, after = np_forward(text, post, k + 1)
            if affiliation is not None and after < len(post) and is_cue(post, _skip_fwd(post, after)):
                role, k = text[post[k].start : post[after - 1].end], after
        k = _skip_fwd(post, k)
        if k < len(post) and is_cue(post, k):
            return Attribution(mention, post[k].text, role, "after")
        if comma_inside and mention.kind in ("name", "pronoun") and _unknown_cue(post, k):
            return Attribution(mention, post[k].text, role, "after")
    return None


_CLAUSE_END_AFTER = frozenset(
    "in on at to during after before from with via when while as later today yesterday recently then this last "
    "earlier afterwards told".split())


def _name_to_clause_end(text: str, post: list[Token], i: int, mention: Mention | None,
                        after: int) -> tuple[Mention | None, int]:
    """After an inverted cue, the noun phrase up to the clause end when it holds a name ("said 9/11 widow Terry
    Strada", "said one Democratic source on the panel"); else the phrase already found."""
    end = i
    while end < len(post) and post[end].text not in ",.;:!?" and end - i < 12 and not (end > i and is_cue(post, end)):
        end += 1
    words = [t for t in post[i:end] if t.is_word]
    if words and (end >= len(post) or post[end].text in ",.;:") and (
            any(t.is_cap for t in words) or mention is None) and words[0].lower not in NP_STOP:
        found = _mention(text, post, i, end - 1)
        if found is not None:
            return found, end
    return mention, after


def _unknown_cue(post: list[Token], k: int) -> bool:
    """True when post[k] is a verb outside the cue list that ends the attribution clause ("“…,” Smith quipped.");
    "“…,” Putin raised concerns" is not one: a verb followed by its object is a new clause."""
    if k >= len(post) or not post[k].is_word or post[k].is_cap or post[k].lower in NP_STOP:
        return False
    if not post[k].lower.endswith("ed") and post[k].lower not in CUES:
        return False
    nxt = post[k + 1] if k + 1 < len(post) else None
    # "quipped.", "instructed ABC News" (an addressee), but not "raised concerns" (an object)
    return nxt is None or not nxt.is_word or nxt.is_cap or nxt.lower in _CLAUSE_END_AFTER


def attribute_cue_anywhere(text: str, frame: list[Token], sentence: list[Token],
                           subject: Callable[[], Mention | None] | None = None) -> Attribution | None:
    """Attribution from the last reporting cue in a frame: the phrase before it, or the clause subject
    (`subject()` when given, else the subject at the start of `sentence`)."""
    for c in range(len(frame) - 1, -1, -1):
        if not is_cue(frame, c):
            continue
        if frame[c].lower in ("according", "per"):
            k = c + 2 if frame[c].lower == "according" else c + 1
            mention, after = np_forward(text, frame, k)
            if mention is None or mention.kind != "name":
                mention, _ = _name_to_clause_end(text, frame, k, mention, after)
            if mention is not None:
                return Attribution(mention, "according to" if k == c + 2 else "per", None, "according")
            continue
        if (c > 0 and frame[c - 1].lower in _PASSIVE_AUX and frame[c].lower != "according"
                and not frame[c].lower.endswith("ing") and not (c + 1 < len(frame) and frame[c + 1].lower == "to")):
            continue  # "were admitted", "was told": the subject is spoken to or about, not the speaker
        j = _skip_back(frame, c - 1)
        coordinated = j >= 0 and frame[j].lower in ("and", "but", ",", "however", "yet", "though", "but")
        participle = frame[c].lower.endswith("ing")
        if c == 0 and frame[c].is_cap and not participle:  # inverted: "Said Ruiz: “…”", "Added another"
            mention, _ = np_forward(text, frame, c + 1)
            if mention is not None:
                return Attribution(mention, frame[c].text, None, "cue")
        mention = None if coordinated else np_backward(text, frame, j)
        if mention is None and not participle and (who := _relative_source(text, frame, c)) is not None:
            return Attribution(who, frame[c].text, None, "cue")
        if participle and mention is not None and mention.kind != "name":
            mention = None  # ", saying …": the main clause's subject, below
        if (mention is not None and mention.kind != "pronoun" and not participle
                and (k := _after_preposition(frame, mention)) is not None):
            owner = np_backward(text, frame, k - 2) if frame[k - 1].lower == "of" and k >= 2 else None
            share = k >= 2 and frame[k - 1].lower == "of" and frame[k - 2].lower in _SHARE_WORDS
            if share and mention.kind == "np" and mention.text.split()[-1].lower() in GROUP_HEADS:
                pass  # "40 percent of likely voters agreed", "many of the protesters said"
            elif owner is None or owner.kind != "name":
                continue  # "rated 20% of the claims": a noun, not a cue
            else:
                mention = owner  # "Ms. Hale of the Audubon Society said"
        relative = mention is not None and (k := _token_at(frame, mention.start)) is not None and k > 0 and (
            frame[k - 1].lower in ("what", "which", "whom"))  # "what Xi calls “the Ukraine question”": Xi's words
        if mention is not None and not relative:
            outer = _outer_source(text, frame, c)
            if outer is not None:
                return Attribution(outer[0], outer[1], None, "cue")
        if mention is None and j >= 0 and frame[j].text == "," and not participle:
            named = np_backward(text, frame, j - 1)
            k = _token_at(frame, named.start) if named is not None else None
            if (named is not None and named.kind == "name" and k is not None and k > 0 and frame[k - 1].text == ","
                    and is_person_name(split_title(named.text)[0])):
                mention = named  # "her deputy on the board, Tom Ruiz, said": the name in apposition
            else:
                mention = _before_apposition(text, frame, j)
        if mention is None:
            # ", adding …" / "and called it …": the subject of the main clause, never a word inside a quote
            mention = subject() if subject is not None else clause_subject(text, sentence)
        if mention is not None:
            return Attribution(mention, frame[c].text, None, "cue")
    return None


_PASSIVE_AUX = frozenset("was were is are been be being".split())
_APPOSITION_OPENERS = frozenset("now then also formerly a an the his her their its".split())


def _relative_source(text: str, frame: list[Token], c: int) -> Mention | None:
    """`X, (an apposition,) who in 2010 said “…”`: the phrase a relative pronoun before cue c stands for."""
    for r in range(c - 1, max(0, c - 6), -1):
        if frame[r].text in ".;:!?“”\"" or frame[r].text in _DASHES:
            return None
        if frame[r].lower in ("who", "which") and frame[r - 1].text == ",":
            if any(t.text == "," for t in frame[r + 1 : c]):
                return None
            start = next((k for k in range(r - 2, max(-1, r - 12), -1) if frame[k].text == ","), None)
            if start is not None and start + 1 < r and (frame[start + 1].lower in _APPOSITION_OPENERS):
                named = np_backward(text, frame, start - 1)  # "Ruiz, now the board chair, who …"
                opener = not any(t.text == "," for t in frame[:start]) and _introductory(frame, 0)
                if named is not None and named.kind == "name" and not opener:  # not "Speaking in Paris, the …"
                    return named
            return np_backward(text, frame, r - 2)
    return None


_PREPOSITIONS = frozenset("of in on at for to from with by about over against among between into than".split())


def _token_at(frame: list[Token], start: int) -> int | None:
    return next((n for n, t in enumerate(frame) if t.start == start), None)


def _after_preposition(frame: list[Token], mention: Mention) -> int | None:
    """Index of the mention's first token when a preposition stands right before it (an object, not a subject)."""
    k = next((n for n, t in enumerate(frame) if t.start == mention.start), None)
    return k if k is not None and k > 0 and frame[k - 1].lower in _PREPOSITIONS else None


def _outer_source(text: str, frame: list[Token], c: int) -> tuple[Mention, str] | None:
    """The subject of an earlier reporting cue whose complement holds cue c ("The statement noted they had said
    …", "Ryan said the protests demand …"): a partial quote in reported speech is the reporting subject's."""
    for e in range(c - 1, -1, -1):
        if frame[e].text in ".;:!?,“”\"" or frame[e].text in _DASHES:
            return None  # a new sentence or clause: not the complement of an earlier cue
        if not is_cue(frame, e) or frame[e].lower.endswith("ing") or frame[e].lower in ("according", "per"):
            continue
        mention = np_backward(text, frame, _skip_back(frame, e - 1))
        if mention is not None and mention.kind in ("name", "pronoun") or mention is not None and mention.kind == "np" and (
                mention.text.split()[-1].lower() in _SOURCE_HEADS):
            return mention, frame[e].text
    return None


def possessive_source(text: str, frame: list[Token]) -> Attribution | None:
    """`X's claim (that) “…”` / `X's remarks, “…”` / `X's claim that there were “…”` at the end of a frame: X is the
    source."""
    k = len(frame) - 1
    while k >= 0 and (not frame[k].is_word or frame[k].lower in ("that", "of", "as", "about")):
        k -= 1
    if k >= 1 and frame[k].lower not in SPEECH_NOUNS:
        # `X's claim that there have been “…”`: the quote inside the claim's own that-clause
        k = next((n for n in range(len(frame) - 2, max(0, len(frame) - 16), -1)
                  if frame[n].lower in SPEECH_NOUNS and frame[n + 1].lower == "that"
                  and not any(t.text in ".;:!?“”\"" or is_cue(frame, m + n + 1) for m, t in enumerate(frame[n + 1 :]))),
                 -1)
    elif len(frame) - k > 4:
        return None
    if k < 1 or frame[k].lower not in SPEECH_NOUNS:
        return None
    owner = frame[k - 1]
    if owner.lower.endswith("'s") or owner.lower in ("his", "her", "their", "its"):
        if owner.lower.endswith("'s"):
            mention = np_backward(text, frame, k - 1)
        else:
            mention = Mention(owner.text, owner.start, owner.end, "pronoun")
            mention = Mention({"his": "he", "her": "she", "their": "they", "its": "it"}[owner.lower], owner.start,
                              owner.end, "pronoun")
        if mention is not None:
            return Attribution(mention, frame[k].text, None, "possessive")
    return None


def _before_apposition(text: str, frame: list[Token], j: int) -> Mention | None:
    """For `X, a specialist at Y, told`: the phrase before the first comma of the apposition."""
    commas = [k for k in range(max(0, j - 40), j) if frame[k].text == ","]
    if not commas:
        return None
    return np_backward(text, frame, commas[-1] - 1)


@lru_cache(maxsize=65536)
def split_title(mention: str) -> tuple[str, str | None]:
    """Split `Russian President Vladimir Putin` into ("Vladimir Putin", "Russian President")."""
    mention = _strip_possessive(mention)
    tokens = [t for t in tokenize(mention)]
    if tokens and tokens[0].lower in DETERMINERS:
        tokens = tokens[1:]
    if not tokens:
        return mention, None
    if tokens[-1].lower in ORG_WORDS:
        return mention[tokens[0].start :], None
    joint = next((k for k in range(1, len(tokens) - 1) if tokens[k].lower in ("of", "for")
                  and tokens[k - 1].lower in ORG_WORDS | ORG_HEADS and tokens[k - 1].is_cap), None)
    if joint is not None and all(t.is_cap for t in tokens[joint + 1 :]) and len(tokens) - joint <= 4:
        # "the National Council for Adoption", "an economist at the Bank of England": a body's name, kept whole
        start = next((k for k in range(joint - 1, -1, -1) if not tokens[k].is_cap), -1) + 1
        return mention[tokens[start].start :], (mention[tokens[0].start : tokens[start - 1].end] if start else None)
    i = len(tokens)
    while i > 0:
        tok = tokens[i - 1]
        if tok.is_word and tok.is_cap and tok.lower not in TITLES and tok.lower not in CAP_STOP and not tok.lower.endswith("'s"):
            i -= 1
        elif tok.lower in CONNECTORS and i < len(tokens) and i - 1 > 0:
            i -= 1
        else:
            break
    while i < len(tokens) and tokens[i].lower in CONNECTORS:
        i += 1
    body = mention[tokens[0].start :]
    if i >= len(tokens):
        return body, None
    name = mention[tokens[i].start : tokens[-1].end]
    role = mention[tokens[0].start : tokens[i - 1].end].strip() if i > 0 else None
    return name, role or None


def is_person_name(name: str) -> bool:
    """A capitalised name of one to four words with no organisation word."""
    words = name.split()
    return 1 <= len(words) <= 4 and all(w[:1].isupper() or w.lower() in CONNECTORS for w in words) and not any(
        w.lower().strip(".") in ORG_WORDS or w.lower() in CAP_STOP for w in words)


_ROLE_ABBREVIATIONS = {"sen": "senator", "rep": "representative", "gov": "governor", "gen": "general",
                       "pres": "president", "sec": "secretary", "amb": "ambassador", "prof": "professor"}
# Words before a capitalised word that make it a place or a body when it stands alone ("in China", "the Kremlin");
# a lone surname rarely follows them, and a surname the article gives in full resolves to a person first.
_PLACE_BEFORE = frozenset("in across throughout inside the within".split())
SPEAKER_TYPES = ("person", "organisation", "document", "group")
_MALE = frozenset("he his him himself mr".split())
_FEMALE = frozenset("she her hers herself mrs ms miss".split())
_PLURAL_PRONOUNS = frozenset("they we".split())


@dataclass
class NameIndex:
    """The full names an article gives (two words or more), to resolve surnames and pronouns."""

    names: list[tuple[int, str, str | None]] = field(default_factory=list)
    events_pos: list[int] = field(default_factory=list)
    events: list[tuple[str, str | None, int, int]] = field(default_factory=list)  # name, kind, sentence, rank
    gender: dict[str, int] = field(default_factory=dict)  # full name -> evidence (>0 male, <0 female)
    inner_caps: set[str] = field(default_factory=set)  # words capitalised somewhere other than a sentence start
    lower_words: set[str] = field(default_factory=set)  # words written in lower case somewhere in the article
    place_words: set[str] = field(default_factory=set)  # capitalised words after "in" or "the": places, bodies
    resolve_roles: bool = True  # "the mayor" -> the person named in that role (else the phrase as written)

    def add_name(self, pos: int, name: str, role: str | None) -> None:
        """Record a full name (with its role) first seen at pos."""
        if len(name.split()) >= 2 and is_person_name(name) and all(n != name for _, n, _ in self.names):
            self.names.append((pos, name, role))

    def is_known_person(self, name: str) -> bool:
        """True when name is one of the article's full person names."""
        return any(full == name for _, full, _ in self.names)

    def resolve(self, name: str, pos: int) -> str:
        """Expand a one-word name to the full name the article gives, preferring one named before pos."""
        words = name.split()
        if len(words) != 1:
            return name
        best: tuple[int, int, int, str] | None = None
        for first, full, _ in self.names:
            parts = full.split()
            score = 2 if parts[-1] == words[0] else 1 if parts[0] == words[0] else 0
            if not score:
                continue
            key = (0 if first <= pos else 1, -score, first, full)
            if best is None or key < best:
                best = key
        return best[3] if best else name

    def role_person(self, np_words: set[str], head: str, pos: int, distinct: frozenset[str] = frozenset()) -> str | None:
        """The person named before pos whose role holds a role phrase's head, its `distinct` (capitalised) words and
        most of its other words ("the Russian leader"), the latest on ties."""
        hit, best = None, 0
        for first, full, role in self.names:
            if first >= pos or not role:
                continue
            words = {_ROLE_ABBREVIATIONS.get(w, w) for w in (x.lower().strip(".") for x in role.split())}
            # the role's head must be held ("the Republican nominee" is not the Libertarian nominee's)
            shared = len(np_words & words) if head in words and distinct <= words else 0
            if shared and shared >= best:
                hit, best = full, shared
        return hit

    def note(self, pos: int, name: str, kind: str | None, sentence: int | None = None, other: bool = False) -> None:
        """Record that a source or subject of a type (speaker_type) was named at pos (for pronouns after it), in the
        sentence starting at `sentence`; `other` for a mention that is neither source nor subject."""
        k = bisect.bisect_right(self.events_pos, pos)
        self.events_pos.insert(k, pos)
        self.events.insert(k, (name, kind, pos if sentence is None else sentence, 1 if other else 0))

    def gender_of(self, name: str) -> int:
        """+1 male, -1 female (by title in the article, else by usual given name), 0 unknown."""
        return self.gender.get(name, 0) or _name_gender(name)

    def _fits(self, low: str, name: str, kind: str | None) -> bool:
        """True when the pronoun `low` can refer to a source of this name and type."""
        if low in PERSON_PRONOUNS:
            g = self.gender.get(name, 0) or _name_gender(name)
            if kind == "person":
                return not (low == "he" and g < 0 or low == "she" and g > 0)
            # an unnamed source with a gendered head: "my mother", "the woman"
            return kind is None and _noun_gender(name) == (1 if low == "he" else -1)
        return kind == "organisation" or (kind == "group" and low != "it") or (kind == "document" and low == "it")

    def add_gender(self, name: str, evidence: int) -> None:
        """Add evidence that a person is male (>0) or female (<0)."""
        self.gender[name] = self.gender.get(name, 0) + evidence

    def antecedent(self, pronoun: str, pos: int, depth: int = 0) -> tuple[str, str | None] | None:
        """The latest source or subject named before pos that the pronoun can refer to, with its type: a person of
        a compatible gender for he/she, an organisation for they/we/it. A person merely mentioned counts only when
        their sentence has no fitting source or subject; a sentence whose subject is the same pronoun refers to
        what that pronoun refers to (a chain of "She …" sentences)."""
        k = bisect.bisect_left(self.events_pos, pos)
        low = pronoun.lower()
        if low not in PERSON_PRONOUNS and low not in _PLURAL_PRONOUNS and low != "it":
            return None
        for idx in range(k - 1, max(-1, k - 60), -1):
            name, kind, sentence, rank = self.events[idx]
            if kind == "pronoun":
                if name == low and depth < 8:
                    return self.antecedent(low, self.events_pos[idx], depth + 1)
                continue
            if not self._fits(low, name, kind):
                continue
            if rank:
                same = [(j, e) for j, e in enumerate(self.events[max(0, idx - 20) : idx], max(0, idx - 20))
                        if e[2] == sentence and not e[3]]
                link = next((j for j, e in same if e[1] == "pronoun" and e[0] == low), None)
                if link is not None and depth < 8:
                    return self.antecedent(low, self.events_pos[link], depth + 1)
                fitting = [e for _, e in same if e[1] != "pronoun" and self._fits(low, e[0], e[1])]
                if fitting:
                    return fitting[-1][0], fitting[-1][1]
            return name, kind
        if low in PERSON_PRONOUNS:  # no source or subject fits: the latest person named with that gender by title
            sign = 1 if low == "he" else -1
            fits = [(first, full) for first, full, _ in self.names
                    if first < pos and (self.gender.get(full, 0) or _name_gender(full)) * sign > 0]
            if fits:
                return max(fits)[1], "person"
        return None


def _noun_gender(phrase: str) -> int:
    """+1 when a noun phrase is headed by a male person noun ("my father"), -1 by a female one, else 0."""
    words = phrase.lower().split()
    head = words[-1].strip(".,'’") if words else ""
    return 1 if head in MALE_NOUNS else -1 if head in FEMALE_NOUNS else 0


def _name_gender(name: str) -> int:
    """+1 for a usually male given name, -1 for a usually female one, 0 when unknown."""
    given = name.split()[0].lower() if name.split() else ""  # a lone given name too ("Kevin was asleep")
    return 1 if given in MALE_NAMES else -1 if given in FEMALE_NAMES else 0


def _modifier_of_next(tokens: list[Token], i: int) -> bool:
    """True when tokens[i] modifies the lower-case noun after it ("the Trump campaign"), so it is no body."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    return nxt is not None and nxt.is_word and not nxt.is_cap and nxt.lower not in NP_STOP and not is_cue(tokens, i + 1)


def build_name_index(text: str, sentences: list[list[Token]], resolve_roles: bool = True) -> NameIndex:
    """Collect the article's full names from capitalised runs of its non-heading sentences' tokens, and gender
    evidence for them (Mr., Mrs., Ms. before a name)."""
    index = NameIndex(resolve_roles=resolve_roles)
    titled: list[tuple[str, str | None]] = []
    for tokens in sentences:
        i = 0
        first = True
        while i < len(tokens):
            if tokens[i].is_cap and tokens[i].is_word and tokens[i].lower not in CAP_STOP:
                mention, k = np_forward(text, tokens, i)
                index.inner_caps.update(t.text for t in tokens[i + (1 if first else 0) : max(k, i + 1)] if t.is_cap)
                if i > 0 and tokens[i - 1].lower in _PLACE_BEFORE and not _modifier_of_next(tokens, i):
                    index.place_words.add(tokens[i].text)  # "in China", "the Kremlin": not a person
                    if (mention is not None and tokens[i - 1].lower != "the" and " " in mention.text
                            and "'" not in mention.text and "’" not in mention.text):
                        index.place_words.add(mention.text)  # "In Sri Lanka, …"
                if mention is not None and mention.kind == "name":
                    cut = min((mention.text.find(x) for x in ("'s", "’s") if x in mention.text), default=-1)
                    name, role = split_title(mention.text[: cut] if cut > 0 else mention.text)
                    name = _strip_possessive(name)
                    index.add_name(mention.start, name, role)
                    titled.append((name, role))
                    first = False
                i = max(k, i + 1)
            else:
                if tokens[i].is_word:
                    first = False
                    if not tokens[i].is_cap:
                        index.lower_words.add(tokens[i].text)
                i += 1
    for name, role in titled:
        title = role.split()[0].lower().rstrip(".") if role else ""
        full = index.resolve(name, 1 << 30) if title in _MALE or title in _FEMALE else ""
        if index.is_known_person(full):
            index.add_gender(full, 1 if title in _MALE else -1)
    return index


def _strip_possessive(name: str) -> str:
    for suffix in ("'s", "’s"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


@dataclass(frozen=True)
class Speaker:
    """A resolved source: the speaker column (a canonical name, or the mention), its role and its type."""

    name: str | None
    role: str | None
    kind: str | None


def _is_acronym(word: str) -> bool:
    letters = word.replace(".", "").replace("&", "")
    return 2 <= len(letters) <= 5 and letters.isalpha() and letters.isupper()


def speaker_kind(name: str, mention: Mention, index: NameIndex) -> str | None:
    """The type of a named source: person, organisation, document, group, or None (an unnamed source)."""
    words = [w.strip(".,'’") for w in name.split()]
    lows = [w.lower() for w in words]
    if not lows:
        return None
    head = lows[-1]
    capitalised = all(w[:1].isupper() or w.lower() in CONNECTORS for w in words)
    if head in DOCUMENT_HEADS:
        return "document"
    if any(w in ORG_WORDS for w in lows) or (capitalised and any(_is_acronym(w) for w in words)) or (
            head in ORG_HEADS and (capitalised or mention.kind != "name" or len(lows) == 1)):
        return "organisation"
    if head in GROUP_HEADS or head in ("percent", "%") or (head.endswith("s") and head[:-1] in PERSON_ROLE_HEADS) or (
            len(lows) == 1 and lows[0].split("-")[0] in _NUMBER_WORDS):  # "Three-quarters said"
        return "group"
    if capitalised and mention.kind == "name" and len(words) <= 4:
        if len(words) == 1 and words[0] in index.place_words:
            return "organisation"  # "China said", "Gazprom said": a country or body named alone
        if name in index.place_words and not _name_gender(name) and not index.gender.get(name):
            return "organisation"  # "Sri Lanka’s stock market …": a place named after "in" elsewhere
        # one word opening a sentence ("Race", "Voters") is a person only if the article capitalises it elsewhere
        low = words[0].lower()
        return "person" if (len(words) > 1 or words[0] in index.inner_caps
                            or (low not in index.lower_words and low.rstrip("s") not in index.lower_words)) else None
    if index.is_known_person(name):
        return "person"
    return None


def resolve_speaker(mention: Mention, index: NameIndex) -> Speaker:
    """The speaker of a mention: a full name for a person (surnames, roles and pronouns resolved), the name of an
    organisation or document, the mention itself for a group or an unnamed source; with role and type."""
    if mention.kind == "pronoun":
        found = index.antecedent(mention.text, mention.start)
        low = mention.text.lower()
        if found is not None and found[1] == "person" and low in PERSON_PRONOUNS and not index.gender_of(found[0]):
            index.add_gender(found[0], 1 if low == "he" else -1)  # "Casey Lee … she said": later "he" is not Casey
        return Speaker(found[0], None, found[1]) if found else Speaker(None, None, None)
    name, role = split_title(mention.text)
    name = _strip_possessive(name)
    words = [w.lower() for w in name.split()]
    if mention.kind == "np" or (words and words[-1] in _ROLE_NOUNS):
        head = words[-1] if words else ""
        if head in PERSON_ROLE_HEADS and mention.text.lower().startswith("the ") and index.resolve_roles:
            # "the Republican nominee" is not the Libertarian nominee: capitalised modifiers must be in the role
            distinct = frozenset(w.lower() for w in name.split()[:-1] if w[:1].isupper() and w.lower() not in DETERMINERS)
            person = index.role_person(set(words[:-1]) | {head}, head, mention.start, distinct)
            if person:
                return Speaker(person, name, "person")
        kind = speaker_kind(name, mention, index)
        if kind in ("group", None):
            return Speaker(mention.text, role, kind)
        return Speaker(name, role, kind)
    full = index.resolve(name, mention.start)
    return Speaker(full, role, speaker_kind(full, mention, index))


def canonical(mention: Mention, index: NameIndex) -> tuple[str | None, str | None]:
    """Return (speaker, role-from-title) for a mention: a full name, an organisation or document, or None."""
    found = resolve_speaker(mention, index)
    return found.name, found.role


def transcript_speaker(text: str, start: int, end: int) -> Mention | None:
    """The speaker label opening a transcript quote ("WALLACE: But, Governor…") inside text[start:end]."""
    toks = tokenize(text, start, min(end, start + 60))
    k = 0
    while k < len(toks) and toks[k].is_word and toks[k].text.isupper() and len(toks[k].text) >= 2 and k < 3:
        k += 1
    if 0 < k < len(toks) and toks[k].text == ":":
        label = text[toks[0].start : toks[k - 1].end]
        return Mention(label.title(), toks[0].start, toks[k - 1].end, "name")
    return None
