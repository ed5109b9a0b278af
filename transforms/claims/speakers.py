"""Speakers: noun phrases around reporting cues, title stripping, and resolution to a full name.

Attribution follows news grammar: `“Q,” X said` / `“Q,” said X, role` / `X, role, told Y: “Q”` /
`according to X` / `X said (that) …`; a participle cue ("…, calling it “Q”") or a coordinated one
("… and called it “Q”") takes the clause subject. Surnames resolve to the full name given in the
article ("Kuhrt" → "Natasha Kuhrt"); pronouns to the latest person named before them.
"""

from __future__ import annotations

import bisect
from functools import lru_cache
from dataclasses import dataclass, field

from transforms.claims.lexicon import (
    CAP_STOP, CONNECTORS, CUES, DETERMINERS, INTRO, NP_STOP, ORG_WORDS, PERSON_PRONOUNS, PERSON_ROLE_HEADS,
    PRONOUNS, SKIP, TITLES, Token, tokenize,
)

_ABBREVIATIONS = frozenset("mr mrs ms dr sen rep gov gen st jr sr lt col prof u s n".split())
_DASHES = frozenset("—―–-")
_PUNCT_LEAD = frozenset(",.;:!?)]}—–-…")
_FORWARD_DETS = DETERMINERS - {"that", "this", "these", "those", "some", "many", "several"}
_ROLE_NOUNS = TITLES | PERSON_ROLE_HEADS | frozenset(
    "campaign administration officials official ministry office spokesperson spokesman spokeswoman statement "
    "declaration report aides aide advisers experts analysts sources".split()
)


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
    if low not in CUES:
        return False
    if tokens[i].is_cap and low != "according" and i > 0:
        return False  # "the United States", "Reports", a name
    if low == "according":
        return i + 1 < len(tokens) and tokens[i + 1].lower == "to"
    if i > 0 and tokens[i - 1].lower in DETERMINERS | {"'s"} or (i > 0 and tokens[i - 1].lower.endswith("'s")):
        return False
    return True


def _is_abbrev_dot(tokens: list[Token], i: int) -> bool:
    return tokens[i].text == "." and i > 0 and tokens[i - 1].lower in _ABBREVIATIONS and tokens[i - 1].end == tokens[i].start


def _mention(text: str, tokens: list[Token], a: int, b: int) -> Mention | None:
    """Build a mention from tokens[a..b] inclusive, trimming punctuation at the edges."""
    while a <= b and not tokens[a].is_word:
        a += 1
    while b >= a and not tokens[b].is_word and not _is_abbrev_dot(tokens, b):
        b -= 1
    if a > b:
        return None
    words = [t for t in tokens[a : b + 1] if t.is_word]
    content = [t for t in words if t.lower not in DETERMINERS]
    if not content:
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
    start = i
    has_det = tokens[i].lower in _FORWARD_DETS
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
              and lowers < 3 and (has_det or possessive or low in _ROLE_NOUNS)):
            lowers += 1
            i += 1
        else:
            break
    if i == start or (has_det and i == start + 1):
        return None, start
    return _mention(text, tokens, start, i - 1), i


def np_backward(text: str, tokens: list[Token], j: int) -> Mention | None:
    """Parse a source noun phrase that ends at tokens[j] (reading leftwards)."""
    if j < 0:
        return None
    if tokens[j].lower in PRONOUNS:
        return _mention(text, tokens, j, j)
    i = j
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
        elif low == "of" and i < j and prev is not None and prev.lower in TITLES and prev.is_cap:
            i -= 1
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
    return _mention(text, tokens, a, j)


def clause_subject(text: str, tokens: list[Token]) -> Mention | None:
    """The subject noun phrase at the start of a sentence, after an introductory phrase or conjunction."""
    i = 0
    while i < len(tokens) and not tokens[i].is_word:
        i += 1
    if i < len(tokens) and tokens[i].lower in INTRO:
        comma = next((k for k in range(i, min(len(tokens), i + 30)) if tokens[k].text == ","), None)
        if comma is not None:
            i = comma + 1
        elif tokens[i].lower in ("but", "and", "yet", "so"):
            i += 1
    mention, _ = np_forward(text, tokens, i)
    return mention


def _skip_back(tokens: list[Token], j: int) -> int:
    while j >= 0 and tokens[j].lower in SKIP - {"and"}:
        j -= 1
    return j


def _skip_fwd(tokens: list[Token], i: int) -> int:
    while i < len(tokens) and tokens[i].lower in SKIP - {"and", "to"}:
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
        if post[i].text in "“”\"":
            return None
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
        mention, after = np_forward(text, post, _skip_fwd(post, k))
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
            end = next((m for m in range(k + 1, min(len(post), k + 40)) if post[m].text == ","), None)
            after = _skip_fwd(post, end + 1) if end is not None else len(post)
            if after < len(post) and (is_cue(post, after) or (comma_inside and post[after].is_word
                                                              and not post[after].is_cap)):
                role = _apposition(text, post, k + 1, end)
                k = end + 1
        k = _skip_fwd(post, k)
        if k < len(post) and is_cue(post, k):
            return Attribution(mention, post[k].text, role, "after")
        if (comma_inside and mention.kind in ("name", "pronoun") and k < len(post) and post[k].is_word
                and not post[k].is_cap and post[k].lower not in NP_STOP):
            return Attribution(mention, post[k].text, role, "after")
    return None


def attribute_cue_anywhere(text: str, frame: list[Token], sentence: list[Token]) -> Attribution | None:
    """Attribution from the last reporting cue in a frame: the phrase before it, or the clause subject."""
    for c in range(len(frame) - 1, -1, -1):
        if not is_cue(frame, c):
            continue
        if frame[c].lower == "according":
            mention, _ = np_forward(text, frame, c + 2)
            if mention is not None:
                return Attribution(mention, "according to", None, "according")
            continue
        j = _skip_back(frame, c - 1)
        coordinated = j >= 0 and frame[j].lower in ("and", "but", ",", "however", "yet", "though", "but")
        mention = None if coordinated or frame[c].lower.endswith("ing") else np_backward(text, frame, j)
        if mention is None and j >= 0 and frame[j].text == ",":
            mention = _before_apposition(text, frame, j)
        if mention is None:
            mention = clause_subject(text, sentence)
        if mention is not None:
            return Attribution(mention, frame[c].text, None, "cue")
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


@dataclass
class NameIndex:
    """The full names an article gives (two words or more), to resolve surnames and pronouns."""

    names: list[tuple[int, str, str | None]] = field(default_factory=list)
    events_pos: list[int] = field(default_factory=list)
    events: list[tuple[str, bool]] = field(default_factory=list)

    def add_name(self, pos: int, name: str, role: str | None) -> None:
        """Record a full name (with its role) first seen at pos."""
        if len(name.split()) >= 2 and is_person_name(name) and all(n != name for _, n, _ in self.names):
            self.names.append((pos, name, role))

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

    def role_person(self, np_words: set[str], pos: int) -> str | None:
        """The latest person before pos whose role shares a word with a role phrase ("the Russian leader")."""
        hit = None
        for first, full, role in self.names:
            if first < pos and role and np_words & {w.lower() for w in role.split()}:
                hit = full
        return hit

    def note(self, pos: int, name: str) -> None:
        """Record that a source or subject was named at pos (for pronouns after it)."""
        k = bisect.bisect_right(self.events_pos, pos)
        self.events_pos.insert(k, pos)
        self.events.insert(k, (name, is_person_name(name)))

    def antecedent(self, pronoun: str, pos: int) -> str | None:
        """The latest source or subject named before pos (a person for he/she)."""
        k = bisect.bisect_left(self.events_pos, pos)
        person = pronoun.lower() in PERSON_PRONOUNS
        for idx in range(k - 1, max(-1, k - 60), -1):
            name, is_person = self.events[idx]
            if is_person or not person:
                return name
        return None


def build_name_index(text: str, sentences: list[list[Token]]) -> NameIndex:
    """Collect the article's full names from capitalised runs of its non-heading sentences' tokens."""
    index = NameIndex()
    for tokens in sentences:
        i = 0
        while i < len(tokens):
            if tokens[i].is_cap and tokens[i].is_word and tokens[i].lower not in CAP_STOP:
                mention, k = np_forward(text, tokens, i)
                if mention is not None and mention.kind == "name":
                    cut = min((mention.text.find(x) for x in ("'s", "’s") if x in mention.text), default=-1)
                    name, role = split_title(mention.text[: cut] if cut > 0 else mention.text)
                    index.add_name(mention.start, _strip_possessive(name), role)
                i = max(k, i + 1)
            else:
                i += 1
    return index


def _strip_possessive(name: str) -> str:
    for suffix in ("'s", "’s"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def canonical(mention: Mention, index: NameIndex) -> tuple[str | None, str | None]:
    """Return (speaker, role-from-title) for a mention: a full name, an organisation or document, or None."""
    if mention.kind == "pronoun":
        return index.antecedent(mention.text, mention.start), None
    name, role = split_title(mention.text)
    name = _strip_possessive(name)
    words = [w.lower() for w in name.split()]
    if mention.kind == "np" or (words and words[-1] in _ROLE_NOUNS):
        head = words[-1] if words else ""
        if head in PERSON_ROLE_HEADS and mention.text.lower().startswith("the "):
            person = index.role_person(set(words[:-1]) | {head}, mention.start)
            if person:
                return person, name
        return name, role
    return index.resolve(name, mention.start), role
