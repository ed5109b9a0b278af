"""Event signatures for story clustering: where an article's event happens and who acts in its lead.

A news story is one event: a place and actors. Places come from datelines ("MOSCOW —", "HONG KONG and LONDON --")
and from capitalised place names after event cues ("visit to X", "arrived in X", "summit in X", "X summit");
actors are the multi-word names of the lead (first sentences), keyed by their last word ("Vladimir Putin" ->
"putin"), so later bare surnames still match. Pure regex over the text: no gazetteer, no model.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from transforms.dedup.text import STOPWORDS

_LEAD_CHARS = 700
_CAP = r"[A-Z][a-zA-Z'\u2019.-]*[a-zA-Z]"
_PLACE = rf"(?:the\s+)?((?:{_CAP})(?:\s+(?:{_CAP}))?(?:\s+(?:{_CAP}))?)"
# Every cue starts with a lowercase letter: the leading look-ahead lets the engine reject other positions early.
_CUE_RE = re.compile(
    r"(?=[a-z])\b(?:(?:visit|visits|trip|trips|journey|tour|travel|travels|travelled|traveled|flew|flies|fly|came|comes|"
    r"went|goes|returned|returns|arrival|arrived|arrives|arriving)\s+(?:to|in|into|at)|arrived|arrives|"
    r"arriving|departed|departs|departing|left|leaves|landed|lands|landing|"
    r"(?:summit|talks|meeting|meetings|conference|rally|ceremony|parade|forum|negotiations|visit)\s+(?:in|at)|"
    r"(?:held|hosted|host|hosts|hosting|took\s+place|takes\s+place|gathered|met|meet|meets)\s+in)\s+" + _PLACE)
_BEFORE_RE = re.compile(rf"((?:{_CAP})(?:\s+(?:{_CAP}))?)\s+(?:summit|talks|visit|conference|meeting)\b")
_DATELINE_RE = re.compile(r"(?:^|\n)\s*([A-Z][A-Z.'-]+(?:[ ,]+(?:and\s+)?[A-Z][A-Z.'-]+)*)"
                          r"(?:,\s*[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?)?\s*(?:\([^)\n]{1,30}\)\s*)?"
                          r"(?:--|\u2014|\u2013|-)\s")
_NAME_RE = re.compile(rf"{_CAP}(?:\s+{_CAP})+")
_WORD_RE = re.compile(r"\b(?:[A-Z][a-z]+|[a-z]+)\b")
_NOT_PLACE = frozenset("""monday tuesday wednesday thursday friday saturday sunday january february march april may
june july august september october november december president prime minister secretary chancellor king queen
state states united national international foreign the this that his her their its""".split())
_TITLES = frozenset("""president prime minister secretary chancellor king queen prince princess general gen sen
senator rep representative governor gov mayor chief minister leader premier pope judge justice dr mr mrs ms sir
lord lady captain coach counterpart state foreign defence defense interior finance deputy vice former""".split())


@dataclass(frozen=True)
class Event:
    """An article's event signature: place keys (lowercase words) and actor keys (name last words)."""

    places: frozenset[str]
    actors: frozenset[str]
    place_names: tuple[str, ...] = ()
    """Places as written (for labels), in order of first mention."""
    actor_names: tuple[str, ...] = ()
    """Lead actors' full names as written (for labels), in order of first mention."""


def _place_keys(phrase: str, names: dict[str, str]) -> set[str]:
    words = [w.strip(".'\u2019-") for w in re.split(r"\s+", phrase)]
    words = [w[:-2] if w.lower().endswith(("'s", "\u2019s")) else w for w in words]
    kept = [w for w in words if w and w.lower() not in _NOT_PLACE]
    key = " ".join(kept).lower()
    if not key or key in STOPWORDS:
        return set()
    names.setdefault(key, " ".join(w.title() if w.isupper() else w for w in kept))
    return {key}


def _is_adjective(text: str, end: int) -> bool:
    """A capitalised word followed by a lowercase content word is a modifier ("the Russian capital")."""
    m = re.match(r"\s+([a-z]+)", text[end:end + 30])
    return bool(m) and m.group(1) not in STOPWORDS and m.group(1) not in {"last", "next", "earlier", "later",
                                                                              "week", "today", "yesterday"}


def event_signature(text: str, tokens: list[str] | None = None) -> Event:
    """Return the event signature (places, lead actors) of one article text; `tokens`, when given, are the
    text's word tokens as written (text.analyse), which spares a pass over the whole text."""
    text = text if isinstance(text, str) else ""
    places: set[str] = set()
    place_names: dict[str, str] = {}
    for m in _DATELINE_RE.finditer(text[:_LEAD_CHARS]):
        for part in re.split(r"\s*(?:,|\band\b|\bAND\b)\s*", m.group(1)):
            if len(part) >= 3 and part.isupper():
                places |= _place_keys(part, place_names)
    body = text[:_LEAD_CHARS]
    for m in _CUE_RE.finditer(body):
        if not _is_adjective(body, m.end(1)):
            places |= _place_keys(m.group(1), place_names)
    for m in _BEFORE_RE.finditer(body):
        start = m.start(1)
        if start > 0 and body[start - 1] not in ".!?\n" and not body[:start].rstrip().endswith((".", "!", "?")):
            places |= _place_keys(m.group(1), place_names)
    actors: set[str] = set()
    actor_names: dict[str, str] = {}
    # Lowercase and Capitalised words in one pass (or the caller's tokens, which also hold numbers and marks):
    # only lowercase strings are looked up in `lower` and only Capitalised ones in `caps`, so the other
    # entries change nothing.
    words_in_text = _WORD_RE.findall(text) if tokens is None else tokens
    lower = set(words_in_text)                          # a name's last word never written in lowercase
    caps = Counter(words_in_text)
    for m in _NAME_RE.finditer(text[:_LEAD_CHARS]):
        words = [w.strip(".'\u2019-") for w in m.group(0).split()]
        words = [w[:-2] if w.lower().endswith(("'s", "\u2019s")) else w for w in words]
        while words and (words[0].lower() in _TITLES or words[0].lower() in STOPWORDS
                         or words[0].lower().endswith(("ese", "ian", "ish"))):
            words = words[1:]
        # a person is named again by one part of the name ("Putin", "Xi"): one-off phrases are not actors
        if len(words) >= 2 and not any(w.lower() in _TITLES for w in words) and not words[-1].isupper() \
                and words[-1].lower() not in lower and words[-1].lower() not in STOPWORDS \
                and words[-1].lower() not in places and any(caps.get(w, 0) >= 2 for w in {words[0], words[-1]}):
            actors.add(words[-1].lower())
            actor_names.setdefault(words[-1].lower(), " ".join(words if len(words) <= 3 else words[-2:]))
    return Event(frozenset(places), frozenset(actors), tuple(place_names.values()), tuple(actor_names.values()))


def event_scores(a: list[Event], b: list[Event]) -> np.ndarray:
    """Return per pair an event agreement in [-1, 1]: the lead actors' overlap (share of the smaller set) when
    an event place is shared, -1 for conflicting places (both known, none shared), 0 otherwise."""
    out = np.zeros(len(a))
    for i, (x, y) in enumerate(zip(a, b)):
        if not (x.places and y.places):
            continue
        if not x.places & y.places:
            out[i] = -1.0
        elif x.actors and y.actors:
            out[i] = len(x.actors & y.actors) / min(len(x.actors), len(y.actors))
    return out


def event_label(events: list[Event], top: int = 2) -> str | None:
    """Return "Actor, Actor — Place" from the members' event signatures (most shared first, then first
    mentioned), or None when they name no actor."""
    actor_count: dict[str, int] = {}
    actor_name: dict[str, str] = {}
    place_count: dict[str, int] = {}
    place_name: dict[str, str] = {}
    for e in events:
        for name in e.actor_names:
            key = name.split()[-1].lower()
            actor_name.setdefault(key, name)
            actor_count[key] = actor_count.get(key, 0) + 1
        for name in e.place_names:
            key = name.lower()
            place_name.setdefault(key, name)
            place_count[key] = place_count.get(key, 0) + 1
    if not actor_count:
        return None
    first = {k: i for i, k in enumerate(actor_name)}
    actors = sorted(actor_count, key=lambda k: (-actor_count[k], first[k]))[:top]
    label = ", ".join(actor_name[k] for k in actors)
    if place_count:
        pfirst = {k: i for i, k in enumerate(place_name)}
        label += " \u2014 " + place_name[min(place_count, key=lambda k: (-place_count[k], pfirst[k]))]
    return label


# "Italy 17-28 Ireland", "a 28-17 win": two 1-2 digit numbers joined by a hyphen or dash, not part of a longer
# number, date, range of percentages or formation ("4-3-3").
_SCORE_RE = re.compile(r"(?<![\d.,:/\u2013-])(\d{1,2})\s?[-\u2013](\d{1,2})(?![\d%/\u2013-]|[.:]\d)")


def score_lines(text: str) -> frozenset[tuple[int, int]]:
    """Return the match scores of an article's lead (each as an ordered pair: 17-28 and 28-17 are one score)."""
    text = text if isinstance(text, str) else ""
    return frozenset(tuple(sorted((int(a), int(b)))) for a, b in _SCORE_RE.findall(text[:_LEAD_CHARS]))


def score_conflicts(a: list[frozenset[tuple[int, int]]], b: list[frozenset[tuple[int, int]]]) -> np.ndarray:
    """Return per pair whether both leads report match scores and share none: reports of one match give its
    result, so two results with nothing in common are two matches (one topic, two events)."""
    return np.array([bool(x) and bool(y) and not (x & y) for x, y in zip(a, b)], dtype=bool)
