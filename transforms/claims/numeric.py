"""Numeric claims: a quantity with its canonical unit and qualifier, and the clause that states it.

"98 billion cubic meters" → 9.8e10 `cubic meter`; "70%" → 70 `percent`; "no less than" → `at_least`. A numeric
claim's text is the clause (or the whole sentence when short) that makes the claim; the number's own span is
kept apart. Not claims: bare years, dates, times of day, ordinals, numbers inside names ("Siberia 2"), ages
("aged 45", "a 45-year-old"), compound modifiers ("two-day visit", "21-gun salute", except a measure such as
"a 2,000-mile pipeline" and a plan's points, "a 12-point plan"), time spans that only set the time frame
("after two days of talks", "three weeks later", "amid two years of war") and small definite counts that refer
back ("the two countries").
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
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "mn": 1e6, "m": 1e6}
_MONTHS = ("january february march april may june july august september october november december "
           "jan feb mar apr jun jul aug sep sept oct nov dec").split()
_CURRENCY = {"$": "dollar", "€": "euro", "£": "pound", "¥": "yen"}

# Written unit → canonical unit (singular, one spelling). README "Numeric units" lists the canonical ones.
UNITS: dict[str, str] = {
    "cubic meters": "cubic meter", "cubic metres": "cubic meter", "cubic meter": "cubic meter",
    "cubic metre": "cubic meter", "cubic feet": "cubic foot",
    "square kilometers": "square kilometer", "square kilometres": "square kilometer", "sq km": "square kilometer",
    "square miles": "square mile", "square meters": "square meter", "square metres": "square meter",
    "square feet": "square foot",
    "barrels": "barrel", "barrel": "barrel", "tonnes": "tonne", "tonne": "tonne", "tons": "ton", "ton": "ton",
    "kilograms": "kilogram", "kilogram": "kilogram", "kg": "kilogram", "grams": "gram",
    "kilometers": "kilometer", "kilometres": "kilometer", "kilometer": "kilometer", "kilometre": "kilometer",
    "km": "kilometer", "miles": "mile", "mile": "mile", "meters": "meter", "metres": "meter", "meter": "meter",
    "metre": "meter", "feet": "foot", "foot": "foot",
    "hours": "hour", "hour": "hour", "hrs": "hour", "minutes": "minute", "minute": "minute", "mins": "minute",
    "seconds": "second", "second": "second", "secs": "second", "days": "day", "day": "day", "weeks": "week",
    "week": "week", "months": "month", "month": "month", "years": "year", "year": "year", "yrs": "year",
    "decades": "decade", "decade": "decade",
    "times": "times", "percent": "percent", "per cent": "percent", "percentage points": "percentage point",
    "percentage point": "percentage point", "points": "point", "point": "point",
    "dollars": "dollar", "dollar": "dollar", "euros": "euro", "euro": "euro", "pounds": "pound", "pound": "pound",
    "yuan": "yuan", "rubles": "rouble", "roubles": "rouble", "yen": "yen", "rupees": "rupee",
    "people": "person", "persons": "person", "troops": "troop", "soldiers": "soldier", "votes": "vote",
    "voters": "voter", "jobs": "job", "deaths": "death", "cases": "case", "children": "child",
    "refugees": "refugee", "civilians": "civilian", "members": "member", "countries": "country",
    "companies": "company", "megawatts": "megawatt", "gigawatts": "gigawatt", "watts": "watt",
    "degrees": "degree", "liters": "liter", "litres": "liter", "gallons": "gallon", "acres": "acre",
    "hectares": "hectare", "vehicles": "vehicle",
}
_TIME_UNITS = frozenset({"second", "minute", "hour", "day", "week", "month", "year", "decade"})
# A compound modifier ("a 2,000-mile pipeline") is a claim only when it measures something.
_MEASURES = frozenset({
    "cubic meter", "cubic foot", "square kilometer", "square mile", "square meter", "square foot", "barrel",
    "tonne", "ton", "kilogram", "gram", "kilometer", "mile", "meter", "foot", "percent", "megawatt", "gigawatt",
    "watt", "liter", "gallon", "acre", "hectare", "dollar", "euro", "pound", "yuan", "rouble", "yen", "rupee",
})
_PLAN_WORDS = frozenset("plan plans proposal proposals programme program paper document roadmap blueprint "
                        "agenda strategy framework initiative package".split())
_RATE = {"a": "per", "an": "per", "each": "per", "per": "per"}
QUALIFIERS: dict[str, str] = {
    "no less than": "at_least", "not less than": "at_least", "no fewer than": "at_least", "at least": "at_least",
    "a minimum of": "at_least",
    "no more than": "at_most", "not more than": "at_most", "at most": "at_most", "a maximum of": "at_most",
    "more than": "more_than", "over": "more_than", "above": "more_than", "upwards of": "more_than",
    "in excess of": "more_than", "just over": "more_than",
    "less than": "less_than", "fewer than": "less_than", "under": "less_than", "below": "less_than",
    "just under": "less_than",
    "about": "about", "around": "about", "nearly": "about", "almost": "about", "roughly": "about",
    "approximately": "about", "some": "about", "an estimated": "about", "close to": "about", "an approximate": "about",
    "up to": "up_to",
}
_UNIT_RE = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_QUAL_RE = "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))
_WORDNUM = "|".join(sorted(_SMALL, key=len, reverse=True))
_NUMBER = re.compile(
    rf"(?P<qual>\b(?:{_QUAL_RE})\s+)?"
    r"(?P<cur>[$€£¥])?\s?"
    r"(?:(?P<digits>(?<![\w.,/:-])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.,/:-])\d+(?:\.\d+)?)"
    rf"|(?P<words>\b(?:{_WORDNUM})(?:[- ](?:{_WORDNUM}))*(?:\s+and\s+(?:a\s+)?half)?\b))"
    r"(?P<pct>\s?%)?"
    r"(?:(?P<hyphen>-)|\s?)"
    r"(?P<scale>(?:thousand|million|billion|trillion|bn|mn)\b|m(?![A-Za-z]))?\s?"
    rf"(?P<unit>(?:{_UNIT_RE})\b(?:\s+(?P<rate>per|a|an|each)\s+(?P<per>day|week|month|year|hour|person|capita)\b)?)?",
    re.IGNORECASE,
)
_ANY_NUMBER = re.compile(rf"\d|\b(?:{_WORDNUM})\b", re.IGNORECASE)
_ORDINAL_AFTER = re.compile(r"(?:st|nd|rd|th)\b", re.IGNORECASE)
_NOUN_AFTER = re.compile(r"[a-z][a-z\-]{2,}")
_NOT_UNITS = frozenset(
    "of the and or to in on at for from by with a an as is was were are be been that which who this than "
    "per after before since until when while include includes including have has had will would could can may "
    "said says say did does do died went came got made became remain remained".split()
)
_MODIFIERS = frozenset("new more other extra additional further different old young small big large major "
                       "local foreign british american full-time part-time".split())
# Words before a time span that make it a time frame, not the quantity claimed ("after two days of talks").
_FRAME_BEFORE = frozenset(
    "after before over during within in amid since throughout past last next first final following previous "
    "the these those this recent coming".split())
_FRAME_AFTER = re.compile(r"\s*(?:ago|after|before|later|earlier|old|from now|into|on)\b", re.IGNORECASE)
_DEFINITE = frozenset("the these those both their its his her our my your whose".split())
_IRREGULAR = {"people": "person", "children": "child", "men": "man", "women": "woman", "feet": "foot",
              "teeth": "tooth", "mice": "mouse", "police": "police", "news": "news", "series": "series",
              "species": "species", "staff": "staff"}
# Clause boundaries inside a long sentence: a semicolon, a dash, a colon, or a comma before a linking word.
_CLAUSE_BREAK = re.compile(
    r";\s+|\s+[–—-]{1,2}\s+|:\s+|,\s+(?=(?:but|while|whereas|although|though|which|and|as|after|before|because|"
    r"when|with|compared|up|down|from|including|according)\b)", re.IGNORECASE)
CLAUSE_MIN_CHARS = 60
SENTENCE_MAX_CHARS = 220


@dataclass(frozen=True)
class NumericClaim:
    """A quantity in the text: the number's span (verbatim, without the qualifier), value, unit and qualifier."""

    start: int
    end: int
    value: float
    unit: str | None
    qualifier: str | None = None


def singular(noun: str) -> str:
    """A plural English noun in its singular form (rules plus a few irregulars); other words unchanged."""
    w = noun.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and re.search(r"(?:ss|sh|ch|x|zz)es$", w):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not re.search(r"(?:ss|us|is)$", w):
        return w[:-1]
    return w


def canonical_unit(unit: str) -> str:
    """The canonical spelling of a written unit ("Barrels a day" → "barrel per day", "secs" → "second")."""
    m = re.fullmatch(r"(.+?)\s+(per|a|an|each)\s+(\w+)", unit.strip().lower())
    if m:
        return f"{canonical_unit(m.group(1))} per {m.group(3)}"
    u = re.sub(r"\s+", " ", unit.strip().lower())
    return UNITS.get(u) or singular(u)


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
        claim = _claim(text, m, start, stop)
        if claim is not None:
            out.append(claim)
    return out


def claim_clause(text: str, sent_start: int, sent_end: int, value_start: int, value_end: int) -> tuple[int, int]:
    """The span stating a numeric claim: the whole sentence when it is short, else the clause holding the number
    (grown to neighbouring clauses until it has CLAUSE_MIN_CHARS); trimmed of spaces, inside the sentence."""
    a, b = _trim(text, sent_start, sent_end)
    if b - a <= SENTENCE_MAX_CHARS:
        return a, b
    cuts = [a] + [m.end() for m in _CLAUSE_BREAK.finditer(text, a, b)] + [b]
    bounds = [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1) if cuts[i] < cuts[i + 1]]
    k = next((i for i, (x, y) in enumerate(bounds) if x <= value_start < y), len(bounds) - 1)
    lo = hi = k
    while bounds[hi][1] < value_end and hi + 1 < len(bounds):
        hi += 1
    while bounds[hi][1] - bounds[lo][0] < CLAUSE_MIN_CHARS and (lo > 0 or hi + 1 < len(bounds)):
        if hi + 1 < len(bounds):
            hi += 1
        else:
            lo -= 1
    x, y = _trim(text, bounds[lo][0], bounds[hi][1])
    y = _strip_break(text, x, y)
    return (x, y) if x <= value_start and value_end <= y else (a, b)


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _strip_break(text: str, a: int, b: int) -> int:
    """Drop a trailing clause separator (";", ",", ":", a dash) from text[a:b]."""
    while b > a and (text[b - 1] in ";:,–—-" or text[b - 1].isspace()):
        b -= 1
    return b


def _claim(text: str, m: re.Match[str], lo: int, stop: int) -> NumericClaim | None:
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
    if scale == "m" and not m.group("cur"):
        return None  # "5m" is millions only after a currency sign; otherwise metres or a name
    if m.group("unit") and m.group("unit")[:1].isupper() and not m.group("cur"):
        return None  # "CBS's 60 Minutes show": a capitalised unit is part of a name
    unit = canonical_unit(m.group("unit")) if m.group("unit") else None
    if m.group("pct"):
        unit = "percent"
    if m.group("cur"):
        unit = _CURRENCY[m.group("cur")]
    if scale:
        value *= _SCALES[scale]
    end = m.end()
    hyphen = bool(m.group("hyphen"))
    if unit is None and hyphen:
        noun = re.match(r"[A-Za-z]+", text[m.end() : stop])
        if noun is None:
            return None
        unit = canonical_unit(noun.group(0))
        end = m.end() + noun.end()
    if unit is None and digits:
        noun = _NOUN_AFTER.match(text, m.end(), stop)
        while noun and noun.group(0).lower() in _MODIFIERS:  # "50,000 new gadgets": the counted thing is "gadgets"
            noun = _NOUN_AFTER.match(text, noun.end() + 1, stop) if text[noun.end() : noun.end() + 1] == " " else None
        if noun and noun.group(0) not in _NOT_UNITS and noun.group(0).lower() not in _MONTHS:
            if value < 10 and "." not in digits and not scale:
                return None  # "2 leaders", "3 introduced": a small count with no unit is not a claim
            unit = canonical_unit(noun.group(0))
            end = noun.end()
    if words and unit is None and not scale:
        return None  # a spelled-out number needs a unit ("four and a half hours"), not "one of"
    if digits and _is_date_or_name(text, m.start("digits"), digits, unit, bool(scale or m.group("cur") or m.group("pct"))):
        return None
    while end > m.start() and text[end - 1].isspace():
        end -= 1
    start = m.start("cur") if m.group("cur") else m.start("digits") if digits else m.start("words")
    qual = m.group("qual")
    qualifier = QUALIFIERS[re.sub(r"\s+", " ", qual.strip().lower())] if qual else None
    if qualifier is None:
        qualifier = _preceding_qualifier(text, lo, start)
    if _not_a_claim(text, lo, start, end, stop, unit, value, hyphen, qualifier, bool(m.group("rate"))):
        return None
    return NumericClaim(start, end, value, unit, qualifier)


def _preceding_qualifier(text: str, lo: int, start: int) -> str | None:
    """A qualifier the pattern could not take because its number was matched inside another ("no less than")."""
    before = text[max(lo, start - 16) : start].lower()
    for phrase in sorted(QUALIFIERS, key=len, reverse=True):
        if re.search(rf"\b{re.escape(phrase)}\s+$", before):
            return QUALIFIERS[phrase]
    return None


def _not_a_claim(text: str, lo: int, start: int, end: int, stop: int, unit: str | None, value: float,
                 hyphen: bool, qualifier: str | None, rate: bool) -> bool:
    """Ages, compound modifiers, time frames and definite back-references are not numeric claims."""
    prev = re.search(r"([A-Za-z]+)\W*$", text[max(lo, start - 20) : start])
    prev_word = prev.group(1).lower() if prev else ""
    follow = text[end : min(stop, end + 24)]
    if prev_word in ("aged", "age", "ages", "top", "number", "no"):  # an age or a rank ("the top 100")
        return True
    if re.match(r"-(?:year|month|week|day)s?-old\b|\s+(?:years?|months?)\s+old\b", text[start:end] + follow) or \
            re.match(r"-old\b|\s+old\b", follow):
        return True
    if re.match(r",\s", follow) and re.search(r"[A-Z][a-z]+,\s*$", text[max(lo, start - 30) : start]) and \
            unit is None and value < 120:
        return True  # "John Smith, 45, said": an age in apposition
    if hyphen:
        if unit == "point" and any(w in _PLAN_WORDS for w in re.findall(r"[a-z]+", text[end : min(stop, end + 40)].lower())[:3]):
            return False  # "a 12-point (peace) plan": the number of points is what the story reports
        return unit not in _MEASURES
    if unit in _TIME_UNITS and qualifier is None and not rate:
        if prev_word in _FRAME_BEFORE or _FRAME_AFTER.match(follow):
            return True
    if qualifier is None and value < 10 and prev_word in _DEFINITE and unit not in _MEASURES:
        return True
    return False


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
    known = unit is not None and unit in set(UNITS.values()) and unit != "s"
    if re.fullmatch(r"(1[6-9]|20)\d\d", plain) and not known:
        return True  # a bare year
    if prev_word and prev_word.group(1)[:1].isupper() and before.rstrip()[-1:].isalpha() and not known:
        return True  # part of a name: "Power of Siberia 2", "Vnukovo-2"
    if re.search(r"[A-Za-z]-$", before):
        return True
    return False
