"""Numeric claims: a quantity with its unit, value normalised ("98 billion" → 9.8e10, "70%" → 70 percent).

Bare years, dates, times of day, ordinals and numbers that are part of a name ("Siberia 2") are not claims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "mn": 1e6, "k": 1e3}
_MONTHS = ("january february march april may june july august september october november december "
           "jan feb mar apr jun jul aug sep sept oct nov dec").split()
_CURRENCY = {"$": "dollars", "€": "euros", "£": "pounds", "¥": "yen"}
# Units (longest first); "per X" / "a X" after a unit make a rate ("barrels per day").
_UNITS = sorted((
    "cubic meters", "cubic metres", "cubic feet", "square kilometers", "square kilometres", "square miles",
    "square meters", "square metres", "barrels", "barrel", "tonnes", "tons", "tonne", "ton", "kilograms", "kg",
    "kilometers", "kilometres", "km", "miles", "mile", "meters", "metres", "feet", "hours", "hour", "minutes",
    "minute", "seconds", "days", "day", "weeks", "week", "months", "month", "years", "year", "decades",
    "times", "percent", "per cent", "percentage points", "points", "point", "dollars", "euros", "pounds",
    "yuan", "rubles", "roubles", "yen", "rupees", "people", "troops", "soldiers", "votes", "voters", "jobs",
    "deaths", "cases", "children", "refugees", "civilians", "members", "countries", "companies", "megawatts",
    "gigawatts", "watts", "degrees", "liters", "litres", "gallons", "acres", "hectares", "vehicles",
), key=len, reverse=True)
_UNIT_RE = "|".join(re.escape(u) for u in _UNITS)
_WORDNUM = "|".join(sorted(_SMALL, key=len, reverse=True))
_NUMBER = re.compile(
    r"(?P<qual>\b(?:more than|less than|fewer than|at least|at most|nearly|almost|about|around|over|under|"
    r"up to|roughly|some|approximately)\s+)?"
    r"(?P<cur>[$€£¥])?\s?"
    r"(?:(?P<digits>(?<![\w.,/:-])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.,/:-])\d+(?:\.\d+)?)"
    rf"|(?P<words>\b(?:{_WORDNUM})(?:[- ](?:{_WORDNUM}))*(?:\s+and\s+(?:a\s+)?half)?\b))"
    r"(?P<pct>\s?%)?"
    r"(?:(?P<hyphen>-)|\s?)"
    r"(?P<scale>(?:thousand|million|billion|trillion|bn|mn)\b)?\s?"
    rf"(?P<unit>(?:{_UNIT_RE})\b(?:\s+(?:per|a|an|each)\s+(?:day|week|month|year|hour|person|capita)\b)?)?",
    re.IGNORECASE,
)
_ANY_NUMBER = re.compile(rf"\d|\b(?:{_WORDNUM})\b", re.IGNORECASE)
_ORDINAL_AFTER = re.compile(r"(?:st|nd|rd|th)\b", re.IGNORECASE)
_NOUN_AFTER = re.compile(r"[a-z][a-z\-]{2,}")
_NOT_UNITS = frozenset(
    "of the and or to in on at for from by with a an as is was were are be been that which who this than "
    "per after before since until when while".split()
)


@dataclass(frozen=True)
class NumericClaim:
    """A quantity in the text: span (verbatim), value and unit."""

    start: int
    end: int
    value: float
    unit: str | None


def _word_value(words: str) -> float | None:
    total = 0.0
    current = 0.0
    half = 0.5 if re.search(r"and\s+(?:a\s+)?half", words, re.IGNORECASE) else 0.0
    words = re.sub(r"\s+and\s+(?:a\s+)?half", "", words, flags=re.IGNORECASE)
    for w in re.split(r"[- ]+", words.lower()):
        if w not in _SMALL:
            return None
        v = _SMALL[w]
        if w == "hundred":
            current = max(current, 1) * 100
        else:
            current += v
    total += current
    return total + half


def find_numbers(text: str, start: int = 0, end: int | None = None) -> list[NumericClaim]:
    """Return the numeric claims in text[start:end] with offsets into text."""
    stop = len(text) if end is None else end
    out: list[NumericClaim] = []
    if not _ANY_NUMBER.search(text, start, stop):
        return out
    for m in _NUMBER.finditer(text, start, stop):
        claim = _claim(text, m, stop)
        if claim is not None:
            out.append(claim)
    return out


def _claim(text: str, m: re.Match[str], stop: int) -> NumericClaim | None:
    digits, words = m.group("digits"), m.group("words")
    after = text[m.end("digits") if digits else m.end("words") : stop]
    if digits and _ORDINAL_AFTER.match(after):
        return None
    if digits and re.match(r"[:/]\d|\.\d|,\d", after):
        return None
    value = float(digits.replace(",", "")) if digits else _word_value(words or "")
    if value is None:
        return None
    scale = (m.group("scale") or "").lower()
    unit = (m.group("unit") or "").lower() or None
    if m.group("pct"):
        unit = "percent"
    elif unit in ("per cent",):
        unit = "percent"
    if m.group("cur"):
        unit = _CURRENCY[m.group("cur")]
    if scale:
        value *= _SCALES[scale]
    end = m.end()
    if unit is None and m.group("hyphen"):
        noun = re.match(r"[A-Za-z]+", text[m.end() : stop])
        if noun is None:
            return None
        unit = noun.group(0).lower()
        end = m.end() + noun.end()
    if unit is None and digits:
        noun = _NOUN_AFTER.match(text, m.end(), stop)
        if noun and noun.group(0) not in _NOT_UNITS and noun.group(0).lower() not in _MONTHS:
            if value < 10 and "." not in digits and not scale:
                return None  # "2 leaders", "3 introduced": a small count with no unit is not a claim
            unit = noun.group(0)
            end = noun.end()
    if words and unit is None and not scale:
        return None  # a spelled-out number needs a unit ("four and a half hours"), not "one of"
    if digits and _is_date_or_name(text, m.start("digits"), digits, unit, bool(scale or m.group("cur") or m.group("pct"))):
        return None
    while end > m.start() and text[end - 1].isspace():
        end -= 1
    start = m.start()
    if m.group("qual") is None:
        start = m.start("cur") if m.group("cur") else m.start("digits") if digits else m.start("words")
    return NumericClaim(start, end, value, unit)


def _is_date_or_name(text: str, pos: int, digits: str, unit: str | None, marked: bool) -> bool:
    if marked:
        return False
    before = text[max(0, pos - 12) : pos]
    prev_word = re.search(r"([A-Za-z]+)\.?\s*$", before)
    if prev_word and prev_word.group(1).lower() in _MONTHS:
        return True
    following = re.match(r"\s*([A-Za-z]+)", text[pos + len(digits) : pos + len(digits) + 12])
    if following and following.group(1).lower() in _MONTHS:
        return True
    plain = digits.replace(",", "")
    if re.fullmatch(r"(1[6-9]|20)\d\d", plain) and (unit is None or unit.lower() not in _UNITS or unit in ("s",)):
        return True  # a bare year
    if prev_word and prev_word.group(1)[:1].isupper() and before.rstrip()[-1:].isalpha() and unit not in _UNITS:
        return True  # part of a name: "Power of Siberia 2", "Vnukovo-2"
    if re.search(r"[A-Za-z]-$", before):
        return True
    return False
