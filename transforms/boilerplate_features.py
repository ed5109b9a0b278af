"""Per-block surface features for the boilerplate classifier: length, sentence shape, case, function words."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Function words of the languages the pipeline is likely to meet. A real paragraph in any of them is
# dense in these; menus, credits, headlines and link lists are not (jusText's stop-word density idea,
# pooled over languages so no language detection is needed).
STOPWORDS = frozenset(
    """
    a about above after again against all also although am an and any are as at be because been before being
    below between both but by can could did do does doing down during each either few for from further had has
    have having he her here hers herself him himself his how however i if in into is it its itself just may me
    might more most must my myself no nor not now of off on once only or other our ours out over own same she
    should so some such than that the their them themselves then there these they this those through to too
    under until up upon very was we were what when where whether which while who whom whose why will with would
    yet you your yours
    aber als also am an auch auf aus bei bis da damit dann das dass dem den denn der des die dies diese dieser
    doch dort durch ein eine einem einen einer eines er es für hat hatte hier ich ihr im in ist ja jetzt kann
    kein keine man mit nach nicht noch nur ob oder ohne sehr sein seine sich sie sind so über um und uns unter
    vom von vor war wird wie wir wo zu zum zur
    à au aux avec ce ces cette comme dans de des du elle en est et il ils je la le les leur lui mais même ne
    nous on ou par pas plus pour qu que qui sa se ses son sont sur un une vous été être
    al como con del el ella ellos es esta este fue ha hay la las lo los más no para pero por que se sin sobre
    su sus también un una y ya
    che con da dei della di gli il la le nel non per più sono tra una uno
    een het ik je niet op te van voor zijn
    """.split()
)
_WORD = re.compile(r"[^\W\d_][\w'’.-]*|\d[\w.,:/-]*")
_LETTER_WORD = re.compile(r"[^\W\d_]+")
# A lower-case letter running straight into an upper-case one inside a token: menu items whose
# separating markup was lost in a copy-paste ("HomeNewsSportsWeather").
_GLUE = re.compile(r"[a-z\u00e0-\u00ff][A-Z\u00c0-\u00de]")
_SENTENCE_END = re.compile(r"[.!?…;:][\"'”’»)\]]*$|[\"”’»]$")
_PLAIN = re.compile(r"[^\W\d_][^\W\d_ '’,-]*(?:[ '’,-]+[^\W\d_]+)*[.!?]?")
_CAP_MINOR = frozenset("a an and as at but by for from in into nor of on or over the to up via vs with".split())
# Long blocks are measured on a window: their verdict never hinges on what is past it.
_WINDOW = 4000


@dataclass(frozen=True)
class BlockFeatures:
    """Surface features of one block."""

    n_words: int
    n_chars: int
    stop_ratio: float  # share of words that are function words
    ends_sentence: bool  # ends with sentence punctuation, possibly followed by a closing quote
    title_ratio: float  # share of content words (not minor words) that start upper-case
    first_upper: bool
    all_caps: bool
    glued: int  # lower-to-upper case changes inside tokens
    digit_ratio: float  # share of words that are numbers
    plain_words: bool  # only letters, spaces and light punctuation: no digits, symbols, colons or brackets


def block_features(block: str) -> BlockFeatures:
    """Compute the surface features of one block (linear in its length, capped by a window)."""
    text = block if len(block) <= _WINDOW else block[:_WINDOW]
    words = _WORD.findall(text)
    n_words = len(words) if len(block) <= _WINDOW else max(len(words), len(block) // 6)
    lowered = [w.lower().strip(".'’") for w in words]
    n_stop = sum(1 for w in lowered if w in STOPWORDS)
    content = [w for w, lw in zip(words, lowered) if lw not in _CAP_MINOR and w[0].isalpha()]
    n_title = sum(1 for w in content if w[0].isupper())
    letters = "".join(_LETTER_WORD.findall(text))
    stripped = block.rstrip()
    return BlockFeatures(
        n_words=n_words,
        n_chars=len(block),
        stop_ratio=n_stop / len(words) if words else 0.0,
        ends_sentence=bool(_SENTENCE_END.search(stripped[-8:])),
        title_ratio=n_title / len(content) if content else 0.0,
        first_upper=bool(stripped) and (stripped.lstrip("\"'“‘([¿¡-–— ")[:1].isupper()),
        all_caps=len(letters) >= 4 and letters.isupper(),
        glued=len(_GLUE.findall(text)),
        digit_ratio=sum(1 for w in words if w[0].isdigit()) / len(words) if words else 0.0,
        plain_words=_PLAIN.fullmatch(text) is not None,
    )
