"""Context-free boilerplate rules: each names one kind of page furniture by its shape and vocabulary.

Every pattern is matched against a bounded head or tail of the block, never the whole block, and has
no nested quantifiers, so a rule costs the same on a 1 MB block as on a short line.
"""

from __future__ import annotations

import re

from transforms.boilerplate_features import BlockFeatures, block_features

_HEAD = 240
_TAIL = 200

# Photo agencies and picture libraries whose name closes a caption's credit.
_AGENCY = (
    r"(?:getty(?: images)?|reuters|afp|ap(?: photo)?|associated press|sputnik|epa(?:-efe)?|efe|ria novosti|"
    r"tass|xinhua|anadolu(?: agency)?|shutterstock|alamy|istock(?:photo)?|unsplash|pexels|pixabay|"
    r"dpa|picture alliance|zuma(?: press| wire)?|sipa|abaca|pa(?: images| wire| media)|bloomberg|"
    r"nurphoto|imago|kremlin|wikimedia commons|flickr|dreamstime|depositphotos|supplied|handout)"
)
# A credit at the end of a caption: "Name/Agency", "via Agency", "Photo: Name", "Credit: Name".
_CREDIT_TAIL = re.compile(
    r"(?:/ ?" + _AGENCY + r"(?: files?| file photo)?|\b(?:via|by the use of|courtesy(?: of)?|through|by way of) " + _AGENCY
    + r"|^" + _AGENCY + r"|[\s(]" + _AGENCY + r"(?: photo| images?)?)[\s).]*$",
    re.I,
)
_CREDIT_LABEL = re.compile(
    r"(?:\b(?:photo(?:graph)?s?|image|picture|pictured|illustration|video|credit|source|foto|bild)"
    r"(?: credit)?\s?[:|]|\((?:photo|image|credit|ap photo)\b|\bphoto(?:graph)? by\b|©)"
    r"[^.!?]{0,80}$",
    re.I,
)
# "Jane Doe/The Agency" closing a block, with no sentence punctuation after it.
_SLASH_CREDIT = re.compile(r"\b[A-Z][\w.'’-]{1,30}(?: [A-Z][\w.'’-]{1,30}){0,3} ?/ ?[A-Z][\w.&'’-]{1,30}(?: [A-Z][\w.&'’-]{1,30}){0,3}$")
_AD = re.compile(
    r"^[-–—•*\s]*(?:advertisement|advertising|sponsored(?: content| post| by)?|anzeige|werbung|publicité|"
    r"publicidad|pubblicità|paid (?:post|content)|ad|ads)\b[-–—•*:\s]*",
    re.I,
)
_PLAYER = re.compile(
    r"your browser does not support|does not support the (?:audio|video)|(?:enable|turn on) javascript|"
    r"javascript (?:is )?(?:disabled|required)|press ctrl|ctrl ?\+ ?enter|highlight the text and press|"
    r"\b(?:play|watch|replay) (?:video|now)\b|\bembed <>|\bmore videos\b|opens in (?:a )?new (?:window|tab)|"
    r"\bloading\.\.\.|\b(?:audio|video) (?:player|element|is not available)|\bskip (?:to|ad)\b|"
    r"\bautoplay\b|\bclose (?:player|window)\b|your browser (?:version|is out of date)|"
    r"\bupgrade your browser",
    re.I,
)
_PROMO_START = re.compile(
    r"^(?:join (?:us|our)|follow (?:us|our|me|him|her|them)\b|subscribe|sign (?:up|in|me up)|log ?in|"
    r"register (?:now|for|here|today)|download (?:our|the)|get (?:our|the latest|the best|breaking|unlimited)|"
    r"like us on|share (?:this|on|via|the)|click (?:here|to)|tap (?:here|to)|support (?:our|us|independent)|"
    r"become a (?:member|subscriber|patron|supporter)|donate|don['’]t miss|never miss|stay (?:up to date|"
    r"up-to-date|informed|connected|in touch)|sign-up|listen (?:to|on|now)|watch (?:now|live|more|the)|"
    r"read (?:more|next|also|the full|our)|see (?:more|also|all)|more (?:from|on|stories|news|videos)\b|"
    r"want (?:more|to read)|enjoy(?:ed)? (?:this|reading)|we (?:want to hear|use cookies|value your)|"
    r"help (?:support|us)|contact us|send us|email us|tell us|got a (?:news )?tip|have a (?:news )?tip|"
    r"leave a (?:comment|reply)|add (?:a )?comment|post a comment|comments? (?:are|have been) (?:closed|moderated)|"
    r"this (?:site|website) uses cookies|by (?:clicking|continuing|using this)|we (?:may )?earn|"
    r"this (?:post|article|page) (?:may )?contains? (?:affiliate|references)|report (?:a|an) (?:error|correction|typo)|"
    r"(?:(?:advertising|advertiser|affiliate|editorial) )?(?:disclosure|disclaimer)\s?:|"
    r"(?:advertising|advertiser|affiliate) (?:disclosure|disclaimer)\b)",
    re.I,
)
_PROMO_ANY = re.compile(
    r"\bnewsletters?\b|\bsubscri(?:be|ption)|\bsign(?:ing)? up\b|\bunsubscribe\b|\bcookies?\b|"
    r"\bprivacy (?:policy|settings|notice)|\bterms (?:of|and) (?:use|service|conditions)|\bdo not sell\b|"
    r"\bfollow us\b|\b(?:telegram|whatsapp|facebook|twitter|instagram|youtube|tiktok|linkedin|pinterest)\b|"
    r"\bpodcasts?\b|\bapp store\b|\bgoogle play\b|\bfree trial\b|\bpremium\b|\bads? free\b|\bad-free\b|"
    r"\binbox\b|\bemail address\b|\bpassword\b|\baccount\b|\blog ?(?:in|out)\b|\bsign (?:in|out)\b|"
    r"\bpermalink\b|\bprint (?:this|article)\b|\bcomments?\b|\breply\b|\btrending\b|\bmost (?:popular|read)\b|"
    r"\baffiliate\b|\bamazon (?:services|associates?)\b|\bdisclaimer\b|\bdisclosure\b|\brecaptcha\b|"
    r"\bwill not be published\b|\brequired fields\b|\bpaywall\b|\badvertis|\bsponsored\b|\bcompensation\b|"
    r"\bdownload (?:the|our)\b|\bapps?\b|\bbrowser\b|\bjavascript\b|\bsubscribers?\b|\bunlimited access\b|"
    r"\bsupport (?:our|us)\b|\bspam\b|\bnotify me\b|\bfeedback\b|\bupdates\b|\bby email\b|\bnever miss\b|"
    r"\bleave a (?:comment|reply)\b|\bdonat(?:e|ion)|\bterms of\b|\bour (?:site|website)\b|\bthis (?:site|website)\b|"
    r"@\w",
    re.I,
)
_RELATED = re.compile(
    r"^(?:related|see also|also read|read also|read more|more|recommended|further reading|explore further|also on|"
    r"editor['’]s picks?|you (?:may|might) (?:also )?like|more (?:from|on|about|stories|news)|"
    r"top stories|latest(?: news| stories| articles)?|most (?:popular|read|viewed)|trending(?: now)?|"
    r"popular(?: posts| stories)?|recent(?: posts| articles| stories)?|next|previous|prev|tags?|"
    r"topics?|categories|category|filed under|siehe auch|lesen sie auch|mehr zum thema|à lire aussi|"
    r"lire aussi|voir aussi)"
    r"(?: (?:articles?|stories|story|content|posts?|links?|reading|videos?|coverage|topics?|news|"
    r"in [a-z]+))?\s?(?:[:|»›>–—-]|$)",
    re.I,
)
# A post's topic links after their label on one line: "Filed under Politics, Elections", "Tagged with recipes".
_TOPIC_LABEL = re.compile(r"^(?:filed under|posted in|tagged(?: with| as| in)?)\s?:?\s?[^\s:]", re.I)
_COPYRIGHT = re.compile(
    r"©|\(c\) ?(?:19|20)\d\d|^copyright\b|\bcopyright (?:\(c\) )?(?:19|20)\d\d|\ball rights reserved\b|\btous droits réservés\b|"
    r"\balle rechte vorbehalten\b|\btodos los derechos reservados\b",
    re.I,
)
_CREDIT_FOOTER = re.compile(
    r"\b(?:contributed (?:reporting|to this (?:report|story|article))|additional reporting by|"
    r"reporting by [A-Z][^.]{0,80}(?:editing|writing) by|(?:edited|compiled|written|produced) by\b|"
    r"with (?:reporting|files) (?:from|by)|this (?:story|article|report) (?:was|has been) (?:updated|corrected))",
    re.I,
)
_BYLINE_START = re.compile(r"^(?i:by|von|par|por|posted by|written by|words by|author:|autor:)\s?[A-Z]")
_BYLINE_REPORTED = re.compile(r"\b(?:reported (?:from|in)|is a (?:reporter|correspondent|writer|editor)|"
                              r"(?:reporter|correspondent|editor|writer) (?:for|at|based in))\b", re.I)
_SEPARATED = re.compile(r"\s[|•·»›]\s|\s/\s")
_DATE_LINE = re.compile(
    r"^(?:(?:published|posted|updated|last updated|modified|date|on)\s?:?\s?)?"
    r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?,? )?"
    r"(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}(?:st|nd|rd|th)? [a-z]{3,9}\.?,? \d{2,4}|"
    r"[a-z]{3,9}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{2,4}|\d+ (?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|"
    r"months?|years?) ago)",
    re.I,
)
_COUNTER = re.compile(r"^\d[\d,.]*k? ?(?:comments?|shares?|views?|likes?|replies|responses|reads?|min(?:ute)?s? read)\b",
                      re.I)
_UI_WORDS = frozenset(
    """
    home menu search close open share tweet email print save skip main content navigation nav login logout
    log in out sign up register subscribe account profile settings more less next previous prev back top
    reply comments comment like follow contact about us help faq privacy terms cookies policy sitemap rss
    feed newsletter archive archives categories category tags tag toggle show hide view all load submit
    cancel continue edit facebook twitter instagram youtube linkedin pinterest whatsapp telegram reddit
    copy link copied my the and of to & you your
    """.split()
)


# "Jane Doe is a senior writer at …": a named person, then the role right after the verb (at most three
# modifiers, no preposition between), so "X is the favourite in the best actor race" and "X is among three
# authors on the shortlist" are news, not a bio.
_BIO = re.compile(
    r"^(?:[A-Z][\w.'’-]+ ){1,3}(?:(?:is|was|has been|serves as|works as|has worked as)(?: an?| the)?"
    r"(?: (?!(?:of|in|at|for|on|with|to|from|by|who|that|among|amongst|between|amid|like|not)\b)[\w'’-]+,?){0,3} "
    r"(?:writer|editor|reporter|journalist|correspondent|columnist|contributor|author|professor|founder|"
    r"co-founder|consultant|expert|analyst|producer|blogger|developer|engineer|fellow|director|student|"
    r"graduate|freelancer?|researcher|lecturer|photographer|intern)s?\b"
    r"|(?:writes (?:about|for|on)|covers|has covered|has written (?:about|for))\b|joined [A-Z])",
)


_PROMO_WORDS = frozenset(
    """
    newsletter newsletters unsubscribe cookie cookies telegram whatsapp facebook twitter instagram youtube tiktok
    linkedin pinterest podcast podcasts premium ad-free ads-free inbox password account login logout permalink
    comment comments reply trending affiliate disclaimer disclosure recaptcha paywall sponsored compensation app
    apps browser javascript subscriber subscribers spam feedback updates
    """.split()
)
_PROMO_PREFIXES = ("subscribe", "subscription", "advertis", "donate", "donation")
_PROMO_PAIRS = frozenset(
    tuple(p.split()) for p in (
        "sign up", "signing up", "privacy policy", "privacy settings", "privacy notice", "follow us", "app store",
        "google play", "free trial", "ads free", "ad free", "email address", "log in", "log out", "sign in", "sign out",
        "print this", "print article", "most popular", "most read", "amazon services", "amazon associates",
        "amazon associate", "required fields", "download the", "download our", "unlimited access", "support our",
        "support us", "notify me", "by email", "never miss", "terms of", "our site", "our website", "this site",
        "this website", "not sell", "not be",
    )
)
# Pairs that belong to a longer phrase count once: "terms of use", "do not sell", "will not be published".
_PROMO_PAIR_NEEDS = {("not", "sell"): "do", ("not", "be"): "will"}
_PROMO_TOKEN = re.compile(r"@\w|[\w-]+")


def promo_terms(block: str) -> int:
    """How many promotion, legal or account phrases a block contains (head window only).

    Word and word-pair look-ups rather than one large alternation: a few microseconds per block.
    """
    words = _PROMO_TOKEN.findall(block[:_HEAD * 2].lower())
    count = 0
    prev2, prev = "", ""
    for w in words:
        if w.startswith("@") or w in _PROMO_WORDS or w.startswith(_PROMO_PREFIXES):
            count += 1
        elif (prev, w) in _PROMO_PAIRS and _PROMO_PAIR_NEEDS.get((prev, w), prev2) == prev2:
            count += 1
        prev2, prev = prev, w
    return count


# "us" only in lower case: "US" is the country ("A US firm said it will …" speaks to nobody).
_READER = re.compile(r"\b(?:(?i:you|your|we|our)|us)\b")


def addresses_reader(block: str) -> bool:
    """Whether the block speaks to the reader or for the site ("you", "your", "we", "our"); a block that opens
    with a quotation mark is someone quoted, not the site."""
    return not _quote_led(block.lstrip()[:1]) and bool(_READER.search(block[:_HEAD * 2]))


# Reply buttons in the languages the stop-word list covers ("Antworten", "Répondre", ...).
_REPLY_WORD = r"(?:reply|antworten|répondre|responder|rispondi|rispondere|beantwoorden|odpowiedz|svara|svar)"
_REPLY_CUE = re.compile(
    r"^(?:" + _REPLY_WORD[3:-1] + r"|report(?: abuse| comment)?|flag|permalink|quote|upvote|downvote|likes?|load more comments|"
    r"show (?:more )?replies|view (?:all )?replies|in reply to\b|replying to\b|\d[\d,.]*k?\s(?:likes?|replies|points?|votes?)\b)"
    r"(?:\s?\(?\d+\)?)?$"
    r"|\b(?:says|said|wrote|writes|replied|commented)\s?:$|liked by \d+ (?:people|person|others)\b"
    r"|\b(?:(?:19|20)\d\d|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}(?:st|nd|rd|th)|yesterday|today),? at \d{1,2}[:.]\d\d\b"
    # a commenter's stamp line that ends in its reply button: "Jane Roe, Thu 9 Apr 2020 / 08:34 Antworten"
    r"|\b\d{1,2}[:.]\d\d\b(?: ?[ap]\.?m\.?)?[\s|·•/-]{0,4}" + _REPLY_WORD + r"$",
    re.I,
)
# Stamps of a teaser or video list: "3 hours ago", a clip's "3:45" alone on its line, "1.2K views".
_AGO_CUE = re.compile(r"\b\d+\s?(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|months?|years?) ago\b"
                      r"|^\d{1,2}:\d\d(?::\d\d)?$|\b\d[\d,.]*[km]? (?:views|plays)\b", re.I)
# A teaser's "read the rest" button, or the rank number of a "most popular" list item on its own line.
_TEASER_CUE = re.compile(r"^(?:(?:read|see) (?:the rest|more|full (?:story|article))|continue reading|full story)"
                         r"(?: ?[»›>→]+)?$", re.I)


# The heading of a comment section: "11 responses to “Title”", "42 Comments", "Join the discussion".
_THREAD_HEAD = re.compile(
    r"^(?:\d[\d,]*\s(?:responses?|comments?|thoughts|replies|reactions|kommentare?|commentaires?|comentarios?|"
    r"commenti|reacties|reacciones|réactions)(?:\s(?:to|on|zu|à|sur|a|en|su|op)\b|$)|"
    r"(?:comments?|join the (?:discussion|conversation)|reader comments|kommentare?|commentaires?|comentarios?|"
    r"commenti|reacties)\s?(?:\(\d+\))?$)",
    re.I,
)
# The label over a list of other stories: "Related stories", "More from World", "Most popular", "You may also like".
_MORE_FROM = re.compile(r"^(?:more (?:from|on|about|in|of|headlines)|other (?:stories|articles|posts|news)|"
                        r"(?:related|similar|recommended|popular|latest|recent|top|featured|sponsored|promoted) "
                        r"(?:stories|articles|posts|news|videos|reads|headlines)|"
                        r"(?:we|you) (?:recommend|might (?:also )?(?:like|enjoy)|may (?:also )?(?:like|enjoy))|"
                        r"(?:read|watch|up) next|what to read next|don['’]t miss|must reads?|in case you missed it|"
                        r"around the web|from the web|elsewhere on|latest in|also in|recommended for you|headlines|"
                        r"most (?:shared|commented|emailed|watched))\b", re.I)


def list_label(block: str) -> bool:
    """Whether a short unpunctuated block labels a list of other stories ("Related", "More from World",
    "Most popular", "You may also like")."""
    if len(block) > 60 or block.rstrip().endswith((".", "!", "?")) or _TEASER_CUE.match(block):
        return False  # "Read more" alone is a button that opens the rest of the article, not a list's label
    return bool(_RELATED.match(block) and not _quote_led(block) or _MORE_FROM.match(block))


def thread_heading(block: str) -> bool:
    """Whether a short block heads a comment section ("11 responses to …", "Comments (42)")."""
    return len(block) <= 200 and _THREAD_HEAD.match(block) is not None and not block.rstrip().endswith(".")


def comment_cue(block: str) -> int:
    """The kind of reader-comment or teaser-list furniture a short block is: 1 a reply/report button, a
    "Name says:" line, a like count or a dated "… at 4:15 pm" stamp; 2 a relative time stamp ("3 hours ago"), a
    clip's duration or view count;
    3 a teaser's "read more" button; 0 none. (A bare rank number is no cue: code output and recipe facts
    have them too.)"""
    if len(block) > 120:
        return 0
    if _REPLY_CUE.search(block):
        return 1
    if _AGO_CUE.search(block):
        return 2
    return 3 if _TEASER_CUE.match(block) else 0


def author_bio(block: str) -> bool:
    """Whether the block opens like an author's biography ("Jane Doe is a senior writer ...")."""
    return bool(_BIO.match(block[:_HEAD]))


# A sentence taken out of its block is page furniture when it opens like a site prompt, a related-links label or
# an advertisement label, or carries a copyright notice. Shape-only rules (captions, bylines, menus, short
# fragments) need the block's context: out of it they match ordinary news sentences.
# Multi-line: a sentence never spans a line break, so a label alone on its line ("Related\n...") must meet
# the rules' end anchor where its line ends, as it does when the sentence is tested on its own.
_SENTENCE_START = re.compile("|".join(f"(?:{p.pattern})" for p in (_PROMO_START, _RELATED, _AD)), re.I | re.M)
_COPYRIGHT_HINTS = ("\u00a9", "(c)", "(C)", "opyright", "OPYRIGHT", "ights reserved", "IGHTS RESERVED",
                    "roits réservés", "echte vorbehalten", "erechos reservados")


def copyright_hint(text: str) -> bool:
    """Whether text may hold a copyright notice (a necessary condition of the copyright_footer rule; substring
    tests only, so it is cheap on a whole article)."""
    return any(h in text for h in _COPYRIGHT_HINTS)


def may_open_furniture(text: str, pos: int = 0) -> bool:
    """Whether text from pos opens like a furniture sentence (a necessary condition of furniture_rule's start
    rules)."""
    return _SENTENCE_START.match(text[pos:pos + _HEAD]) is not None


def furniture_rule(sentence: str, copyright_possible: bool = True) -> str | None:
    """The rule code when one sentence, out of its block, is page furniture: a site prompt ("Sign up ...",
    "Subscribe ...": promo), a related-links label, an advertisement label or a copyright notice; else None.

    Cheap for ordinary sentences: one anchored regex (and, when `copyright_possible`, substring tests) decide
    whether the full rules need to run."""
    head = sentence[:_HEAD]
    if not (may_open_furniture(head) or copyright_possible and copyright_hint(sentence)):
        return None
    rule = match_rule(sentence, block_features(sentence))
    if rule == "promo" and not _PROMO_START.match(head):
        return None                     # the shape-only promo branches
    return rule if rule in ("promo", "related_link", "advertisement", "copyright_footer") else None


def match_rule(block: str, f: BlockFeatures) -> str | None:
    """The rule code of the first context-free boilerplate rule that fits the block, else None."""
    head = block[:_HEAD]
    tail = block[-_TAIL:]
    n = f.n_words
    ad = _AD.match(head)
    if ad and (n <= 4 or ad.end() < len(head) and _caption_tail(tail, f)):
        return "advertisement"
    if n <= 60 and _caption_tail(tail, f):
        return "photo_caption"
    if n <= 40 and _PLAYER.search(head if n > 30 else block):
        return "player_text"
    if n <= 40 and _RELATED.match(head) and not _quote_led(head):
        return "related_link"
    if n <= 15 and not f.ends_sentence and _TOPIC_LABEL.match(head):
        return "related_link"
    if n <= 60 and _COPYRIGHT.search(block if n <= 60 else head):
        return "copyright_footer"
    if n <= 25 and _CREDIT_FOOTER.search(block):
        return "credit_footer"
    if n <= 12 and _BYLINE_START.match(head) and not f.ends_sentence or n <= 20 and _BYLINE_REPORTED.search(block):
        return "byline"
    if n <= 45 and _PROMO_START.match(head):
        return "promo"
    if n <= 14 and f.all_caps and _PROMO_ANY.search(block):
        return "promo"
    if n <= 10 and not f.ends_sentence and _PROMO_ANY.search(block):
        return "promo"
    if n <= 12 and (_DATE_LINE.match(head) and _mostly_date(block) or _COUNTER.match(head)):
        return "metadata"
    if _menu_like(block, f):
        return "navigation"
    return None


def _caption_tail(tail: str, f: BlockFeatures) -> bool:
    """Whether the block ends in a photo credit rather than in a sentence that names an agency."""
    if _CREDIT_TAIL.search(tail):
        # "…the talks, Reuters." or "…reported by AFP." close a sentence; a credit has no verb before it.
        return not re.search(r"\b(?:said|told|says|tells|reported|according to|cited|quoted|by|to|from|with)"
                             r"[ ,]+[^ ]+(?: [^ ]+)?[\s.]*$", tail, re.I) or "/" in tail[-60:]
    if _CREDIT_LABEL.search(tail):
        return True
    return not f.ends_sentence and bool(_SLASH_CREDIT.search(tail))


def _quote_led(head: str) -> bool:
    """Whether the block opens with a quotation mark (a quote that starts with 'Related ...')."""
    return head[:1] in "\"“‘'«„"


def _mostly_date(block: str) -> bool:
    """Whether a short block is a date or time stamp and little else."""
    letters = sum(c.isalpha() for c in block)
    return letters <= 40


# A blog archive or category entry with its post count: "► 2019 (12)", "March 2020 (3)", "Politics (41)".
_COUNTED_ENTRY = re.compile(r"^[►▼▶▸◄•·»›+-]?\s?(?:[^\W\d_][\w'’&-]*\s?){0,3}(?:(?:19|20)\d\d\s?)?\(\d[\d,]*\)$")


def _menu_like(block: str, f: BlockFeatures) -> bool:
    """Menus and share bars: glued or separator-joined items, a line made only of UI words, or an archive entry."""
    if f.ends_sentence and f.n_words > 6:
        return False
    if f.n_words <= 5 and _COUNTED_ENTRY.match(block[:_HEAD]):
        return True
    if f.glued >= 2 and f.n_words <= 30 and f.stop_ratio < 0.25:
        return True
    if f.n_words <= 30 and len(_SEPARATED.findall(block[:_HEAD])) >= 2:
        return True
    words = re.findall(r"[^\W\d_]+", block[:_HEAD].lower())
    return 0 < len(words) <= 6 and all(w in _UI_WORDS for w in words)
