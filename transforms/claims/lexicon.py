"""Word lists and a tokenizer with offsets for the claims stage (news attribution grammar, English)."""

from __future__ import annotations

import re

# A word (letters/digits, inner apostrophes, hyphens and dots as in "U.S." or "al-Assad") or one other char.
_TOKEN = re.compile(r"[^\W_]+(?:[’'\-][^\W_]+)*|[^\w\s]|_")


class Token:
    """A token of a text with its absolute character offsets (and cached lower-case and shape flags)."""

    __slots__ = ("text", "start", "end", "lower", "is_cap", "is_word")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.lower = text.lower().replace("’", "'")
        self.is_cap = text[:1].isupper()
        self.is_word = text[:1].isalnum()

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end})"


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Return the tokens of text[start:end] with offsets into text."""
    stop = len(text) if end is None else end
    return [Token(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text, start, stop)]


def _forms(base: str) -> set[str]:
    """Regular inflections of a verb: base, -s, -ed, -ing."""
    if base.endswith("ee"):
        return {base, base + "s", base + "d", base + "ing"}
    if base.endswith("e"):
        return {base, base + "s", base + "d", base[:-1] + "ing"}
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        return {base, base[:-1] + "ies", base[:-1] + "ied", base + "ing"}
    if base in _DOUBLE:
        return {base, base + "s", base + base[-1] + "ed", base + base[-1] + "ing"}
    return {base, base + "es" if base.endswith(("sh", "ch", "ss", "x")) else base + "s", base + "ed", base + "ing"}


_DOUBLE = {"quip", "admit", "regret", "brag"}
# Verbs that introduce speech, writing or stated belief; "call"/"describe"-type verbs take a quoted object.
_SPEECH = (
    "add acknowledge admit advise affirm agree allege announce answer argue assert assure boast brag caution "
    "charge claim comment complain concede conclude confirm contend counter declare demand deny emphasize "
    "emphasise estimate exclaim explain insist joke lament maintain mention muse note observe plead pledge "
    "post predict proclaim promise question quip recall recount reiterate reaffirm remark reply report "
    "respond retort scoff shout state stress suggest tweet testify underscore urge vow warn whisper wonder "
    "yell concur complain disclose signal highlight point"
).split()
_BELIEF = "believe hope fear worry expect".split()
_NAMING = ("call dub label term describe brand hail dismiss praise criticize criticise slam blast decry accuse deride "
           "denounce condemn mock ridicule lambast lambaste scold chide").split()
_IRREGULAR = {
    "said": "say", "says": "say", "say": "say", "saying": "say",
    "told": "tell", "tells": "tell", "tell": "tell", "telling": "tell",
    "wrote": "write", "writes": "write", "write": "write", "writing": "write", "written": "write",
    "thought": "think", "thinks": "think", "think": "think",
    "asked": "ask", "asks": "ask", "ask": "ask", "asking": "ask",
    "spoke": "speak", "speaks": "speak",
    "reads": "read", "read": "read",  # "“…,” the letter reads"
    "sings": "sing", "sang": "sing", "sing": "sing", "singing": "sing",  # quoted lyrics
    "according": "according to",
}

# Base forms that are mostly nouns ("the state", "a report") only count in their inflected forms.
_NOUN_BASES = frozenset(
    "point post question signal state report counter note charge muse estimate comment hope fear worry "
    "answer wonder demand call claim pledge promise vow remark".split()
)
CUES: dict[str, str] = dict(_IRREGULAR)
for _lemma in _SPEECH + _BELIEF + _NAMING:
    for _form in _forms(_lemma):
        if _form != _lemma or _lemma not in _NOUN_BASES:
            CUES.setdefault(_form, _lemma)

SPEECH_LEMMAS = frozenset(_SPEECH) | {"say", "tell", "write", "ask", "according to", "think", "speak"}
BELIEF_LEMMAS = frozenset(_BELIEF) | {"think"}
NAMING_LEMMAS = frozenset(_NAMING)

# Words skipped between a subject and its cue ("X has also said", "said on Tuesday").
SKIP = frozenset(
    "also has had have having would will could can may might must did does do not never later then then "
    "previously recently once further additionally again repeatedly often frequently reportedly publicly "
    "privately explicitly only just even already simply flatly quickly is was were are been be to "
    "first last finally since still now separately earlier subsequently initially openly angrily bluntly "
    "jokingly sharply quietly confidently proudly calmly strongly bluntly in fact and always long consistently "
    "usually sometimes".split()
)
DETERMINERS = frozenset("the a an this that these those his her its their our my your some many several".split())
PRONOUNS = frozenset("he she they it we i you".split())
PERSON_PRONOUNS = frozenset("he she".split())
CONNECTORS = frozenset("de da di del della van von der den du la le al el bin ibn bint st".split())
# Lower-case words that end a noun phrase (verbs, conjunctions, prepositions, relative pronouns).
NP_STOP = frozenset(
    "who whom whose which that and or but if when while as because so than then is was were are be been being "
    "has had have will would could should can may might must do does did not no in on at for from by with "
    "to of about into over under after before during against between through without within among "
    "per via also there here what where how why however meanwhile too yet though although instead "
    "indeed still even just only".split()
)
# Capitalised words that are not part of a name at the start of a phrase.
CAP_STOP = frozenset(
    "the a an he she it they we i you his her its their our this that these those but and or so if when "
    "while after before in on at as for with from by to of yes no not there here what who why how where "
    "still now then also asked according said says last next despite during ahead through following "
    "speaking however meanwhile earlier later instead indeed yet formally amid although though since "
    "until unlike like under over among without within even just both all many much some more most "
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december related advertisement".split()
)
# Titles and roles stripped from a name and kept as speaker_role.
TITLES = frozenset(
    "mr mrs ms miss dr prof sir dame lord lady sen senator rep representative gov governor president "
    "vice prime minister secretary spokesperson spokesman spokeswoman chairman chairwoman chair ceo cfo "
    "director professor mayor judge justice general gen col lt sgt adm admiral ambassador chancellor king "
    "queen prince princess pope leader premier chief commissioner deputy speaker treasurer attorney "
    "councilman councilwoman candidate nominee founder analyst economist manager adviser advisor aide "
    "officer commander captain capt lieutenant colonel sergeant detective inspector sheriff state "
    "foreign defense defence interior finance affairs ministry house white department office of the "
    "rev reverend father sister brother rabbi imam dean editor correspondent reporter host anchor "
    "executive press campaign communications national security council us u s uk un eu".split()
)
# Lower-case heads of noun phrases that refer to a person by role ("the Russian leader").
PERSON_ROLE_HEADS = frozenset(
    "leader president minister premier professor spokesman spokeswoman spokesperson secretary senator "
    "governor candidate nominee chancellor mayor ambassador official analyst expert chairman director "
    "lawmaker congressman congresswoman king queen pope businessman billionaire".split()
)
# Tokens that mark an organisation rather than a person.
ORG_WORDS = frozenset(
    "house times post journal news ministry university college school institute center centre council "
    "committee party department office agency bank company corp inc ltd group foundation association "
    "union court government administration kremlin pentagon congress senate media daily gazeta network "
    "endowment program programme fund organization organisation army navy police campaign commission "
    "bureau service press tv radio magazine review daily".split()
)
INTRO = frozenset(
    "in on at during after before ahead through despite following speaking but and however meanwhile "
    "earlier later instead indeed yet formally amid although though since until unlike like with without "
    "for from to under over while when as if according just even still also now then so last next "
    "asked writing addressing responding lest unless whether because once".split()
)
# Lower-case heads of noun phrases naming several people ("analysts", "officials"): speaker_type `group`.
GROUP_HEADS = frozenset(
    "analysts experts officials critics observers sources residents voters people protesters demonstrators "
    "leaders lawmakers legislators politicians economists scientists researchers investigators prosecutors "
    "authorities activists campaigners supporters opponents members workers employees executives investors "
    "traders doctors lawyers diplomats aides advisers advisors ministers senators representatives witnesses "
    "officers police families parents students teachers citizens americans democrats republicans "
    "conservatives liberals progressives fans users commentators pundits insiders spokespeople "
    "organisers organizers participants delegates negotiators victims survivors farmers bankers "
    "businesses others governments journalists reporters mps meps peers councillors tories "
    "countries nations states parties companies firms groups unions agencies colleagues academics correspondents "
    "communities friends relatives neighbours neighbors allies rivals partners shareholders consumers customers "
    "players viewers readers listeners patients scholars historians strategists pollsters".split()
)
# Lower-case heads that name a text rather than who wrote it: speaker_type `document`.
DOCUMENT_HEADS = frozenset(
    "report statement letter memo memorandum study survey poll analysis paper article editorial column "
    "book tweet post release communique communiqué declaration document filing complaint lawsuit ruling "
    "indictment transcript website page message email note notice bulletin guidance review assessment "
    "findings research data figures estimate forecast projections proposal plan draft resolution bill "
    "law order decree agreement treaty charter manifesto platform blog video footage record records "
    "minutes testimony affidavit judgment verdict opinion brief briefing update response reply "
    "announcement advisory warning alert audit inquiry investigation commentary interview speech "
    "textbook guide manual summary dossier".split()
)
# Lower-case heads that name an organisation ("the company", "the ministry"): speaker_type `organisation`.
ORG_HEADS = frozenset(
    "company firm bank ministry government department agency committee commission council board "
    "campaign party union court administration office embassy military army navy police regulator "
    "watchdog authority authorities group organisation organization institute university school "
    "hospital club team league federation association network newspaper channel broadcaster "
    "station magazine paper publisher website studio label airline carrier operator manufacturer "
    "retailer supermarket chain insurer lender provider utility giant maker producer developer "
    "corporation business charity foundation trust parliament congress senate cabinet kremlin "
    "pentagon secretariat spokesperson tribunal exchange fund service camp".split()
)
# Words that never head a source noun phrase: times, quantities and sentence adverbs.
NON_SPEAKER = frozenset(
    "today yesterday tomorrow tonight week weekend month year years months weeks day days time times "
    "morning afternoon evening night decade century moment hour hours minute minutes percent cent "
    "all both each every most much more less least enough either neither none nothing something "
    "anything everything already still also now then later earlier thus hence therefore meanwhile "
    "however instead moreover furthermore nevertheless nonetheless indeed perhaps maybe yes no "
    "here there ago once twice first second third last next this that these those it what which "
    "who whom whose such own only even just again too so very always never often sometimes usually likely "
    "unlikely".split()
)
# Lower-case nouns for a person that can head a source phrase ("the 34-year-old mother of three").
PERSON_HEADS = frozenset(
    "man woman mother father son daughter wife husband sister brother friend neighbor neighbour resident voter "
    "worker teacher student parent widow veteran owner driver doctor nurse lawyer attorney source person "
    "spokesman spokeswoman spokesperson official aide adviser advisor member supporter critic".split()
)
# Person nouns that carry a gender: a "he"/"she" may refer to an unnamed source headed by one ("my mother said").
MALE_NOUNS = frozenset(
    "man father son husband brother boyfriend grandfather uncle nephew dad king prince gentleman businessman "
    "congressman chairman spokesman councilman boy".split()
)
FEMALE_NOUNS = frozenset(
    "woman mother daughter wife sister girlfriend grandmother aunt niece mom mum queen princess lady "
    "businesswoman congresswoman chairwoman spokeswoman councilwoman widow girl".split()
)
# Nouns for something said, after a possessive source ("Trump's claim that “…”").
SPEECH_NOUNS = frozenset(
    "claim claims remark remarks comment comments statement statements assertion warning promise pledge words "
    "argument suggestion insistence contention accusation charge description call vow boast admission "
    "prediction message response reply retort quip joke tweet tweets speech".split()
)
# Common English given names by usual gender (pronoun agreement only: "she" does not refer to "Gary Johnson").
MALE_NAMES = frozenset(
    "james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony "
    "mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan "
    "jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander "
    "frank patrick raymond jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter kyle "
    "walter ethan jeremy harold keith christian roger noah gerald carl terry sean austin arthur lawrence "
    "jesse dylan bryan joe jordan billy bruce albert willie gabriel logan alan juan wayne roy ralph randy "
    "eugene vincent russell elijah louis bobby philip johnny mike bill tom jim bob ted chris tony barack "
    "bernie mitt newt rand marco ben tim vladimir xi boris emmanuel josh dan matt nick greg steve jeff ed "
    "angela".split()
) - {"angela", "terry", "jordan", "jesse", "willie", "logan", "dylan", "austin", "billy"}  # unisex names: no evidence
FEMALE_NAMES = frozenset(
    "mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret "
    "sandra ashley kimberly emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca "
    "sharon laura cynthia kathleen amy angela shirley anna brenda pamela emma nicole helen samantha "
    "katherine christine debra rachel carolyn janet catherine maria heather diane ruth julie olivia joyce "
    "virginia victoria kelly lauren christina joan evelyn judith megan andrea cheryl hannah jacqueline "
    "martha gloria teresa ann sara madison frances kathryn janice jean abigail alice judy sophia grace "
    "denise amber doris marilyn danielle beverly isabella theresa diana natalie brittany charlotte marie "
    "kayla alexis lori hillary melania ivanka michelle nikki elizabeth theresa kellyanne loretta "
    "hope huma donna debbie tina melanie".split()
) - {"kelly", "ashley", "hope"}
