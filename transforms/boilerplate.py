"""Classify a document's blocks as body text, heading or boilerplate (clean stage).

Input: the document's blocks in order (paragraphs, or lines of a one-block-per-line text), already
unwrapped, whitespace-normalised and unicode-fixed. Output: one BlockVerdict per block.

Three passes, each linear in the number of blocks:
1. context-free rules name obvious furniture (captions, ads, player text, promos, related links,
   footers, bylines, menus) from the block's own shape and vocabulary (transforms.boilerplate_rules);
   reader-comment threads and teaser lists after the article are named from their recurring cues
   (reply buttons in several languages, "Name says:", stamps, like counts, "read more" buttons) and a comment
   section's heading; a story list after the article ("Related stories", "More from World", "Most popular")
   is its label followed by items of one repeating shape (headlines, one-line teasers, headline/summary pairs,
   with rank numbers, counts and stamps anywhere), up to where the shape breaks or a long block starts (running
   text just before that block is the article resuming and stays); a short block that addresses the reader with
   two promo phrases is a promo wherever it stands;
2. the main body region is the stretch of blocks with the most body-like words net of a per-block
   cost (the body-text-extraction idea of Finn et al. / boilerpipe, on blocks instead of tags), so
   runs of short lines before and after the article fall outside it, as does everything after a
   comment thread that follows it;
3. inside the region short blocks are kept as headings or list items, unless they are a Title Case
   headline or part of a run of headline-like lines; outside it only long, sentence-dense blocks are kept;
4. a learned model (transforms.boilerplate_model, trained by scripts/train_boilerplate.py) re-decides
   every block the rules and inserted-headline check leave open, from shape features of the block, its
   neighbours and the document (including passes 2-3's verdicts, block repetition, runs of short blocks, word
   overlap with neighbours, stamps, distance from a list label, how much of the article is left); plain running
   text inside the region with no promo/reader/bio cue (a long paragraph may say "you" or use one promo word)
   stays, short gaps between kept blocks are kept, and a model-removed block is named by its dominant cue
   (promo, byline, outside_main_text, navigation, low_text_density).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from transforms.boilerplate_features import STOPWORDS, BlockFeatures, block_features
from transforms.boilerplate_model import BLOCK_COLUMNS, MODEL_PATH, feature_matrix, feature_names, load_model
from transforms.boilerplate_rules import (
    addresses_reader,
    author_bio,
    comment_cue,
    list_label,
    match_rule,
    promo_terms,
    thread_heading,
)

Kind = Literal["body", "heading", "boilerplate"]


@dataclass(frozen=True)
class BlockVerdict:
    """The class of one block; `rule` names the boilerplate rule and is None for body and heading."""

    kind: Kind
    rule: str | None = None


@dataclass(frozen=True)
class BoilerplateConfig:
    """Thresholds of the classifier (defaults tuned on development pages, not on the held-out set)."""

    good_min_words: int = 10  # a body-like block has at least this many words ...
    good_min_stop_ratio: float = 0.18  # ... this share of function words ...
    long_min_words: int = 25  # ... and ends like a sentence unless it is at least this long
    block_cost: float = 6.0  # what each block costs in the main-region search ...
    text_line_cost: float = 1.0  # ... except a short line that reads like text rather than like a link
    text_line_min_words: int = 5  # a line this long, dense in function words, adds a share of its words
    text_line_weight: float = 0.8
    heading_max_words: int = 14
    headline_min_words: int = 7  # a Title Case line this long between paragraphs is an inserted headline
    headline_title_ratio: float = 0.8
    secondary_region_share: float = 0.2  # another stretch is body too when it scores this share of the best
    outside_min_words: int = 30  # outside the main region a block needs this many words to be kept ...
    outside_min_stop_ratio: float = 0.3  # ... and this share of function words ...
    outside_max_distance: int = 15  # ... and lie within this many blocks of it
    promo_terms_in_region: int = 2  # a region paragraph addressing the reader with this many promo phrases ...
    promo_short_max_words: int = 30  # ... or with one, when it is this short, is a promo
    reader_paragraph_min_words: int = 40  # a region paragraph this long that addresses the reader or has one promo
    # word is protected like any other (shorter ones are left to the model: "Tell us what you think")
    promo_block_max_words: int = 40  # a block anywhere this short, addressing the reader with that many, is a promo
    promo_long_min_words: int = 45  # past this length it needs promo phrases at this rate per word
    promo_long_density: float = 0.04
    bio_tail_paragraphs: int = 5  # an author bio is looked for among the last this many paragraphs
    repeated_max_words: int = 8  # a short block seen twice in a document is page furniture
    link_run_min: int = 3  # this many headline-like short lines in a row inside the region are a link list
    model_path: str | None = str(MODEL_PATH)  # the learned pass (None: the heuristic verdicts stand)
    keep_threshold: float | None = None  # P(keep) a block needs; None: the threshold shipped with the model
    model_min_blocks: int = 8  # shorter documents (a few paragraphs, no page furniture) keep the heuristic verdicts
    max_gap: int = 2  # this many dropped blocks between kept ones are kept too (unless a rule names them)
    thread_min_cues: int = 3  # this many comment cues (reply buttons, stamps) ...
    thread_max_gap: int = 6  # ... at most this many blocks apart make a comment thread or teaser list ...
    thread_min_article_words: int = 40  # ... when this many words of running text come before it
    teaser_max_gap: int = 3  # teaser cues ("3 hours ago", "Read more", rank numbers) at most this far apart
    teaser_max_long_share: float = 0.3  # a run of "… ago" stamps with more long blocks than this is a live blog
    teaser_min_items: int = 2  # a story-list label followed by this many teasers of one shape is a related list ...
    teaser_max_words: int = 45  # ... each at most this long (a longer block is the article going on)


# Context verdicts that stand like the fixed rules: another article's Title Case headline between paragraphs.
_STANDING = frozenset({"inserted_headline"})
_HEURISTIC_RULES = ("outside_main_text", "repeated", "link_list", "inserted_headline", "promo", "byline")
_LIST_MARKER = re.compile(r"[-–—•*·▪►✓]|\d[.)]")


BODY = BlockVerdict("body")
HEADING = BlockVerdict("heading")


def classify_blocks(blocks: Sequence[str], config: BoilerplateConfig = BoilerplateConfig()) -> list[BlockVerdict]:
    """Return one verdict per block, in order; pure and deterministic."""
    if len(blocks) == 0:
        return []
    ctx = _heuristic_pass(blocks, config)
    model = load_model(config.model_path) if config.model_path else None
    if model is None or len(blocks) < config.model_min_blocks:
        return ctx.verdicts
    threshold = model.threshold if config.keep_threshold is None else config.keep_threshold
    ruled = [r is not None or v.rule in _STANDING for r, v in zip(ctx.rules, ctx.verdicts)]
    keep = model.keep_probability(feature_matrix(ctx.base)) >= threshold
    keep = fill_gaps(keep | _protected(ctx), ruled, config.max_gap)
    return [_final_verdict(i, ctx, bool(keep[i]), keep, config) for i in range(len(blocks))]


def fill_gaps(keep: np.ndarray, ruled: Sequence[bool], max_gap: int) -> np.ndarray:
    """Keep runs of at most max_gap dropped blocks between kept ones (a list item, a short line in the text),
    unless a rule names one of them; rule-named blocks are never kept. Linear."""
    out = keep & ~np.asarray(ruled, bool)
    kept = np.flatnonzero(out)
    for a, b in zip(kept[:-1], kept[1:]):
        if 1 < b - a <= max_gap + 1 and not any(ruled[a + 1:b]):
            out[a + 1:b] = True
    return out


@dataclass(frozen=True)
class ModelInputs:
    """What the learned pass sees of a document: its feature rows, rule hits and the heuristic verdicts."""

    x: np.ndarray
    rules: list[str | None]
    heuristic: list[BlockVerdict]
    protected: np.ndarray


def model_inputs(blocks: Sequence[str], config: BoilerplateConfig = BoilerplateConfig()) -> ModelInputs:
    """The learned pass's input rows for a document (used by scripts/train_boilerplate.py)."""
    ctx = _heuristic_pass(blocks, config)
    x = feature_matrix(ctx.base) if len(blocks) else np.zeros((0, len(feature_names())))
    standing = [r if r is not None or v.rule not in _STANDING else v.rule for r, v in zip(ctx.rules, ctx.verdicts)]
    return ModelInputs(x, standing, ctx.verdicts, _protected(ctx))


def _protected(ctx: _Context) -> np.ndarray:
    """Running text inside the main region with no removal cue (no promo phrase, reader address or bio):
    the model may not drop it, so an article's own paragraphs never depend on a learned score."""
    return np.asarray(_protected_flags(ctx.good, ctx.inside, ctx.verdicts, ctx.promo, ctx.reader, ctx.bio,
                                       ctx.feats, ctx.config), bool)


def _protected_flags(good: list[bool], inside: list[bool], verdicts: list[BlockVerdict], promo: list[int],
                     reader: list[bool], bio: list[bool], feats: list[BlockFeatures],
                     c: BoilerplateConfig) -> list[bool]:
    """Per block, whether it is running text inside the main region with no removal cue (see _protected).
    Addressing the reader or a promo word is a cue only in a short block: a long paragraph with "you" or "we"
    and a word such as "updates" or "donated" is the article talking, unless promo phrases are dense in it."""
    return [g and ins and v.kind == "body" and not b
            and (p == 0 and not r or f.n_words >= c.reader_paragraph_min_words
                 and p < max(c.promo_terms_in_region, c.promo_long_density * f.n_words))
            for g, ins, v, p, r, b, f in zip(good, inside, verdicts, promo, reader, bio, feats)]


@dataclass(frozen=True)
class _Context:
    """The heuristic passes' results for one document."""

    feats: list[BlockFeatures]
    rules: list[str | None]
    good: list[bool]
    inside: list[bool]
    promo: list[int]
    reader: list[bool]
    bio: list[bool]
    verdicts: list[BlockVerdict]
    base: np.ndarray
    config: BoilerplateConfig


def _heuristic_pass(blocks: Sequence[str], config: BoilerplateConfig) -> _Context:
    """Passes 1-3 (rules, main region, in-region decisions) and the per-block model columns."""
    n = len(blocks)
    feats = [block_features(b) for b in blocks]
    rules = [match_rule(b, f) for b, f in zip(blocks, feats)]
    cues = [comment_cue(b) for b in blocks]
    threads = _comment_threads(feats, rules, cues, config)
    for i in threads:
        rules[i] = rules[i] or "comment_thread"
    for i in _teaser_lists(blocks, feats, rules, cues, config):
        rules[i] = rules[i] or "related_link"
    # A comment-count link ("Comments (32)") also sits above articles: the heading is furniture, not an end.
    rules = [r or ("comment_thread" if thread_heading(b) else None) for b, r in zip(blocks, rules)]
    promo = [promo_terms(b) for b in blocks]
    reader = [addresses_reader(b) for b in blocks]
    # A short block that speaks to the reader with several promo phrases sells, wherever it stands ("Sign up for our
    # morning letter and get every headline first"); inside the region the same test already names promos.
    rules = [r or ("promo" if rd and p >= config.promo_terms_in_region and f.n_words <= config.promo_block_max_words
                   else None) for r, rd, p, f in zip(rules, reader, promo, feats)]
    good = [r is None and _is_good(f, config) for f, r in zip(feats, rules)]
    gains = _gains(feats, good, rules, config)
    inside = _main_regions(gains, config)
    if threads:  # what follows a comment thread or teaser list after the article is more of the page
        inside[threads[0]:] = [False] * (n - threads[0])
    distance = _distance_to_region(inside)
    repeated = _repeated(blocks, feats, config)
    tail_start = _tail_start(good, config.bio_tail_paragraphs)
    headline_like = [r is None and not g and _headline_like(f, config) for f, r, g in zip(feats, rules, good)]
    in_link_run = _runs(headline_like, config.link_run_min)
    bio = [author_bio(b) for b in blocks]
    words = [_content_words(b) for b in blocks]

    out: list[BlockVerdict] = []
    for i in range(n):
        f, rule = feats[i], rules[i]
        if rule is not None:
            out.append(BlockVerdict("boilerplate", rule))
        elif not inside[i]:
            verdict = _outside_verdict(promo[i], bio[i], f, distance[i], config)
            out.append(BlockVerdict("boilerplate", "repeated") if repeated[i] and verdict.rule else verdict)
        elif good[i] and _region_promo(reader[i], promo[i], f, config):
            out.append(BlockVerdict("boilerplate", "promo"))
        elif good[i] and i >= tail_start and bio[i]:
            out.append(BlockVerdict("boilerplate", "byline"))
        elif good[i]:
            out.append(BODY)
        elif in_link_run[i]:
            out.append(BlockVerdict("boilerplate", "link_list"))
        elif _is_heading_shape(f, config) and _next_is_good(i, good, inside):
            if _inserted_headline(f, config):
                out.append(BlockVerdict("boilerplate", "inserted_headline"))
            else:
                out.append(HEADING)
        else:
            out.append(BODY)

    protected = _protected_flags(good, inside, out, promo, reader, bio, feats, config)
    overlap = _body_overlap(words, protected)
    shape = [_shape_class(f) for f in feats]
    similar = _similar_neighbours(shape, 3)
    periodic = _periodic(shape, 4)
    duplicate = _duplicates(blocks, feats)
    short_run = run_lengths([not g for g in good])
    near_overlap = _neighbour_overlap(words, 2)
    since_label = _since_label(blocks, feats, rules, protected)
    base = np.empty((n, len(BLOCK_COLUMNS)))
    for i in range(n):
        f, b = feats[i], blocks[i]
        head = b.lstrip()[:2]
        base[i] = (
            math.log1p(f.n_words), f.stop_ratio, f.ends_sentence, f.title_ratio, f.first_upper, f.all_caps,
            f.glued > 0, f.digit_ratio, f.plain_words, rules[i] is not None, good[i], inside[i],
            out[i].kind != "boilerplate", out[i].kind == "heading", math.log1p(min(distance[i], 50)),
            repeated[i], min(promo[i], 3) / 3, reader[i], bio[i], headline_like[i], _link_like(f), in_link_run[i],
            b.rstrip().endswith(":"), bool(_LIST_MARKER.match(head)), head[:1].islower(),
            f.n_words >= config.text_line_min_words and f.stop_ratio >= config.good_min_stop_ratio,
            head[:1].isdigit(), *(out[i].rule == r for r in _HEURISTIC_RULES), math.log1p(f.n_chars),
            min(b.count(",", 0, 2000) / (f.n_words or 1), 1.0), not b[:200].isascii(),
            protected[i], overlap[i], similar[i], periodic[i], cues[i] > 0,
            duplicate[i], math.log1p(short_run[i]), near_overlap[i], _stamp(b, f), math.log1p(since_label[i]),
            bool(_ELLIPSIS.search(b[-12:])),
        )
    return _Context(feats, rules, good, inside, promo, reader, bio, out, base, config)


_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")
# A teaser's summary cut short: "... the minister said on …", "[…]", "Read more..."
_ELLIPSIS = re.compile(r"(?:\.\.\.|…|\[…\]|\[\.\.\.\])[\s\"'”’»)\]]*$")
# A date, a clock time, a relative stamp or a count in brackets: what list items, comments and teasers carry.
_MONTH = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?")
_STAMP = re.compile(
    r"\b\d{1,2}[:.]\d\d\b|\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b|\b" + _MONTH + r" \d{1,2}\b|\b\d{1,2}(?:st|nd|rd|th)? "
    + _MONTH + r"|\b\d+\s?(?:s|secs?|m|mins?|minutes?|h|hrs?|hours?|d|days?|weeks?|months?|years?) ago\b|\(\d[\d,]*\)",
    re.I,
)
_LABEL_HORIZON = 50


def _stamp(block: str, f: BlockFeatures) -> bool:
    """Whether a short block carries a date, time, relative stamp or bracketed count."""
    return f.n_words <= 30 and _STAMP.search(block[:300]) is not None


def _duplicates(blocks: Sequence[str], feats: list[BlockFeatures]) -> list[bool]:
    """Blocks whose opening words (the first eight) open another block too: a headline shown twice, a teaser
    list repeated, a comment's quoted reply. Linear."""
    keys = [" ".join(b.casefold().split()[:8]) if f.n_words >= 2 else "" for b, f in zip(blocks, feats)]
    counts = Counter(k for k in keys if k)
    return [bool(k) and counts[k] > 1 for k in keys]


def run_lengths(flags: list[bool]) -> list[int]:
    """For every flagged item, the length of the run of consecutive flagged items it belongs to (0 unflagged)."""
    out = [0] * len(flags)
    i = 0
    while i < len(flags):
        if not flags[i]:
            i += 1
            continue
        j = i
        while j < len(flags) and flags[j]:
            j += 1
        out[i:j] = [j - i] * (j - i)
        i = j
    return out


def _neighbour_overlap(words: list[set[str]], k: int) -> list[float]:
    """The largest share of a block's words found in one block within k either side: a teaser's headline and its
    summary, a comment quoting the one above. Linear in the words."""
    n = len(words)
    out = []
    for i in range(n):
        w = words[i]
        best = 0.0
        if w:
            for j in range(max(0, i - k), min(n, i + k + 1)):
                if j != i and words[j]:
                    best = max(best, len(w & words[j]) / len(w))
        out.append(best)
    return out


def _since_label(blocks: Sequence[str], feats: list[BlockFeatures], rules: list[str | None],
                 protected: list[bool]) -> list[int]:
    """Blocks since the last story-list label or comment-section heading, counted until the article's running
    text resumes (capped at _LABEL_HORIZON, which also stands for none)."""
    out = []
    since = _LABEL_HORIZON
    for b, f, r, p in zip(blocks, feats, rules, protected):
        if p:
            since = _LABEL_HORIZON
        elif f.n_words <= 8 and (list_label(b) or thread_heading(b)):
            since = 0
        else:
            since = min(since + 1, _LABEL_HORIZON)
        out.append(since)
    return out


def _content_words(block: str) -> set[str]:
    """The block's longer words, lower-cased (head window): what it is about, for overlap with the article."""
    return {w for w in _CONTENT_WORD.findall(block[:2000].lower()) if w not in STOPWORDS}


def _body_overlap(words: list[set[str]], protected: list[bool]) -> list[float]:
    """Share of each block's words that the article's running text (the protected blocks, other than the block
    itself) also uses: a teaser or a menu item speaks of other things. Linear in the words."""
    counts: Counter[str] = Counter()
    for w, p in zip(words, protected):
        if p:
            counts.update(w)
    out = []
    for w, p in zip(words, protected):
        if not w:
            out.append(0.0)
            continue
        own = 1 if p else 0
        out.append(sum(1 for x in w if counts[x] > own) / len(w))
    return out


def _shape_class(f: BlockFeatures) -> tuple[int, bool, bool]:
    """A coarse shape: length octave, sentence end, capitalised start (blocks of one list share it)."""
    return (int(math.log2(f.n_words + 1)), f.ends_sentence, f.first_upper)


def _similar_neighbours(shape: list[tuple[int, bool, bool]], k: int) -> list[float]:
    """Share of the blocks within k either side that have the block's shape: runs of like items."""
    n = len(shape)
    out = []
    for i in range(n):
        lo, hi = max(0, i - k), min(n, i + k + 1)
        same = sum(1 for j in range(lo, hi) if j != i and shape[j] == shape[i])
        out.append(same / max(hi - lo - 1, 1))
    return out


def _periodic(shape: list[tuple[int, bool, bool]], k: int) -> list[float]:
    """Share of the blocks within k either side whose shape repeats two or three blocks on: the
    headline-summary(-stamp) rhythm of a teaser list or a comment thread."""
    n = len(shape)
    rep = [any(j + p < n and shape[j] == shape[j + p] and shape[j] != shape[j + 1] for p in (2, 3))
           for j in range(n)]
    out = []
    for i in range(n):
        lo, hi = max(0, i - k), min(n, i + k + 1)
        out.append(sum(rep[lo:hi]) / (hi - lo))
    return out


def _comment_threads(feats: list[BlockFeatures], rules: list[str | None], cues: list[int],
                     c: BoilerplateConfig) -> list[int]:
    """Indexes of the blocks of reader-comment threads and teaser lists, after the article.

    A thread is a run of at least thread_min_cues cue blocks of one kind no more than that kind's gap apart:
    reply cues (reply buttons, "Name says:", dated stamps, like counts) mark comments whatever their length,
    from the name line above the first cue; "read more" buttons and rank numbers mark teaser lists, from the
    headline and summary above the first; a run of "3 hours ago" stamps is a teaser list when its blocks are
    mostly short (a live blog's stamped entries are running text and stay). The article comes first: some
    running text must precede the run. Linear."""
    words_before = [0] * (len(feats) + 1)
    for i, (f, r) in enumerate(zip(feats, rules)):
        words_before[i + 1] = words_before[i] + (f.n_words if r is None and _is_good(f, c) else 0)
    out: list[int] = []
    for kind, gap, back in ((1, c.thread_max_gap, 1), (2, c.teaser_max_gap, 1), (3, c.teaser_max_gap, 2)):
        runs: list[list[int]] = []
        for i in (i for i, k in enumerate(cues) if k == kind):
            if runs and i - runs[-1][-1] <= gap + 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        for run in runs:
            if len(run) < c.thread_min_cues:
                continue
            start, end = run[0], run[-1]
            if kind == 1:  # the last comment lies after its stamp when no button follows it: one more period
                end = min(end + min(b - a for a, b in zip(run, run[1:])) - 1, len(feats) - 1)
            for _ in range(back):
                if start > 0 and not cues[start - 1] and (feats[start - 1].n_words <= 6 or kind == 3):
                    start -= 1  # the commenter's name above the first stamp; a teaser's headline and summary
            if words_before[start] < c.thread_min_article_words:
                continue
            span = range(start, end + 1)
            if kind == 2 and sum(feats[i].n_words >= c.long_min_words for i in span) > c.teaser_max_long_share * len(span):
                continue
            out.extend(span)
    return sorted(set(out))


def _teaser_lists(blocks: Sequence[str], feats: list[BlockFeatures], rules: list[str | None], cues: list[int],
                  c: BoilerplateConfig) -> list[int]:
    """Indexes of the items of labelled story lists after the article: a label ("Related stories", "More from
    World", "Most popular") followed by at least teaser_min_items short blocks of one repeating shape — all
    headlines, all one-line teasers (a headline run together with its summary), or headline/summary(/stamp)
    groups; stamps, counts and rank numbers may sit anywhere. The list ends where the shape breaks or a long
    block starts (the article resuming after a box of links); one-line teasers followed by running text are left
    alone (they may be the article's short paragraphs). Running text must come before the label. Linear."""
    n = len(blocks)
    words_before = 0
    out: list[int] = []
    i = 0
    while i < n:
        f = feats[i]
        if words_before >= c.thread_min_article_words and f.n_words <= 8 and list_label(blocks[i]):
            run = _teaser_run(feats, rules, cues, blocks, i + 1, c)
            after = run[-1] + 1 if run else n
            # Where the article resumes right after the list, the running-text sentences just before it are the
            # article's opening paragraphs, not the list's summaries.
            while run and after < n and _is_good(feats[after], c) and _is_good(feats[run[-1]], c):
                run.pop()
            items = [j for j in run if not cues[j] and not _counter_like(feats[j])]
            # One-line teasers are running text in shape: when running text follows them, they may be the
            # article's own short paragraphs after a link box, and stay.
            resumed = all(feats[j].ends_sentence for j in items) and after < n and _is_good(feats[after], c)
            if len(items) >= c.teaser_min_items and not resumed:
                out.extend(run)
                i = run[-1] + 1
                continue
        if rules[i] is None and _is_good(f, c):
            words_before += f.n_words
        i += 1
    return out


def _counter_like(f: BlockFeatures) -> bool:
    """A rank number, a count or a stamp on its own line ("3", "1,204 views")."""
    return f.n_words <= 3 and f.digit_ratio >= 0.5


def _teaser_run(feats: list[BlockFeatures], rules: list[str | None], cues: list[int], blocks: Sequence[str],
                start: int, c: BoilerplateConfig) -> list[int]:
    """The blocks from start that continue one repeating teaser shape (see _teaser_lists)."""
    shapes: list[bool] = []  # per item: ends like a sentence (a summary) or not (a headline)
    run: list[int] = []
    for j in range(start, len(feats)):
        f = feats[j]
        if f.n_words > c.teaser_max_words or list_label(blocks[j]):
            break
        if cues[j] or _counter_like(f) or rules[j] in ("metadata", "byline"):
            run.append(j)
            continue
        shapes.append(f.ends_sentence)
        if not any(all(s == shapes[k % p] for k, s in enumerate(shapes)) for p in (1, 2, 3)):
            break
        run.append(j)
    return run


def _final_verdict(i: int, ctx: _Context, keep: bool, kept: np.ndarray, c: BoilerplateConfig) -> BlockVerdict:
    """Rules stand; otherwise the model decides, and a removed block is named by its dominant cue."""
    heuristic, f = ctx.verdicts[i], ctx.feats[i]
    if ctx.rules[i] is not None or heuristic.rule in _STANDING:
        return heuristic
    if keep:
        if heuristic.kind != "boilerplate":
            return heuristic
        next_is_text = i + 1 < len(ctx.good) and ctx.good[i + 1] and bool(kept[i + 1])
        return HEADING if _is_heading_shape(f, c) and next_is_text and not ctx.good[i] else BODY
    if heuristic.kind == "boilerplate":
        return heuristic
    if ctx.promo[i] > 0:
        return BlockVerdict("boilerplate", "promo")
    if ctx.bio[i]:
        return BlockVerdict("boilerplate", "byline")
    if not ctx.inside[i]:
        return BlockVerdict("boilerplate", "outside_main_text")
    if _link_like(f) or _headline_like(f, c):
        return BlockVerdict("boilerplate", "navigation")
    return BlockVerdict("boilerplate", "low_text_density")


def _outside_verdict(promo: int, bio: bool, f: BlockFeatures, distance: int, c: BoilerplateConfig) -> BlockVerdict:
    """Outside the main region only long running text near it survives, unless it reads as promo or a bio."""
    if f.n_words < c.outside_min_words or f.stop_ratio < c.outside_min_stop_ratio or distance > c.outside_max_distance:
        return BlockVerdict("boilerplate", "outside_main_text")
    if promo > 0:
        return BlockVerdict("boilerplate", "promo")
    if bio:
        return BlockVerdict("boilerplate", "byline")
    return BODY


def _region_promo(reader: bool, terms: int, f: BlockFeatures, c: BoilerplateConfig) -> bool:
    """A paragraph inside the body that sells, asks for sign-ups or states site policy to the reader."""
    if not reader:
        return False
    if f.n_words > c.promo_long_min_words and terms < c.promo_long_density * f.n_words:
        return False  # a long paragraph that mentions advertising or an account once or twice is news about them
    return terms >= c.promo_terms_in_region or terms >= 1 and f.n_words <= c.promo_short_max_words


def _tail_start(good: list[bool], k: int) -> int:
    """Index of the k-th last running-text block: author bios sit after the article, among the last few."""
    seen = 0
    for i in range(len(good) - 1, -1, -1):
        if good[i]:
            seen += 1
            if seen == k:
                return i
    return 0


def _is_good(f: BlockFeatures, c: BoilerplateConfig) -> bool:
    """Whether a block reads like running text: long enough, dense in function words, sentence-shaped."""
    if f.n_words < c.good_min_words or f.stop_ratio < c.good_min_stop_ratio:
        return False
    return f.ends_sentence or f.n_words >= c.long_min_words


def _repeated(blocks: Sequence[str], feats: list[BlockFeatures], c: BoilerplateConfig) -> list[bool]:
    """Short blocks that occur more than once in the document (menus shown at top and bottom)."""
    counts = Counter(b.casefold() for b, f in zip(blocks, feats) if f.n_words <= c.repeated_max_words)
    return [f.n_words <= c.repeated_max_words and counts[b.casefold()] > 1 for b, f in zip(blocks, feats)]


def _gains(feats: list[BlockFeatures], good: list[bool], rules: list[str | None], c: BoilerplateConfig) -> list[float]:
    """What each block adds to a region: its words if it is running text, else a cost.

    Link-like lines (capitalised, no closing punctuation, or named by a rule) cost the most; short
    lines that read like text (lower-case, punctuated: list items, code, ingredients) cost little, so
    a list inside an article does not split it while a menu or a block of related headlines does.
    """
    gains = []
    for f, g, r in zip(feats, good, rules):
        if g:
            gains.append(f.n_words - c.block_cost)
        elif r is not None or f.n_words == 0 or _link_like(f):
            gains.append(-c.block_cost)
        elif f.n_words >= c.text_line_min_words and f.stop_ratio >= c.good_min_stop_ratio:
            gains.append(c.text_line_weight * f.n_words - c.text_line_cost)
        else:
            gains.append(-c.text_line_cost)
    return gains


def _link_like(f: BlockFeatures) -> bool:
    """Capitalised and unpunctuated: a menu item, a teaser headline, a label."""
    return f.first_upper and not f.ends_sentence and f.n_words <= 20


def _main_regions(gains: list[float], c: BoilerplateConfig) -> list[bool]:
    """Mark the blocks inside body regions: the best-scoring stretch, then others scoring a share of it."""
    inside = [False] * len(gains)
    best_score = 0.0
    pending = [(0, len(gains))]
    while pending:
        lo, hi = pending.pop()
        score, start, end = _best_stretch(gains, lo, hi)
        if score <= 0 or score < c.secondary_region_share * best_score:
            continue
        best_score = max(best_score, score)
        inside[start:end] = [True] * (end - start)
        pending.extend(((lo, start), (end, hi)))
    return inside


def _best_stretch(gains: list[float], lo: int, hi: int) -> tuple[float, int, int]:
    """(score, start, end) of the maximum-sum stretch of gains[lo:hi] (Kadane)."""
    best, best_span = 0.0, (lo, lo)
    run, run_start = 0.0, lo
    for i in range(lo, hi):
        if run <= 0:
            run, run_start = 0.0, i
        run += gains[i]
        if run > best:
            best, best_span = run, (run_start, i + 1)
    return best, best_span[0], best_span[1]


def _headline_like(f: BlockFeatures, c: BoilerplateConfig) -> bool:
    """A short, capitalised line without closing punctuation: a heading or a link to another article."""
    return 3 <= f.n_words <= c.heading_max_words * 2 and not f.ends_sentence and f.first_upper


def _runs(flags: list[bool], min_len: int) -> list[bool]:
    """Mark the items that belong to a run of at least min_len consecutive True flags."""
    return [n > 0 and n >= min_len for n in run_lengths(flags)]


def _is_heading_shape(f: BlockFeatures, c: BoilerplateConfig) -> bool:
    """Short, starts upper-case, and does not end like a sentence (a question mark is allowed)."""
    return 1 <= f.n_words <= c.heading_max_words and f.first_upper and not f.ends_sentence


def _next_is_good(i: int, good: list[bool], inside: list[bool]) -> bool:
    """Whether the block after i, inside a region, is running text (a heading introduces text)."""
    return i + 1 < len(good) and inside[i + 1] and good[i + 1]


def _distance_to_region(inside: list[bool]) -> list[int]:
    """For every block, how many blocks away the nearest region block is (0 inside)."""
    n = len(inside)
    far = n + 1
    dist = [far] * n
    last = -far
    for i in range(n):
        if inside[i]:
            last = i
        dist[i] = i - last
    last = 2 * n + far
    for i in range(n - 1, -1, -1):
        if inside[i]:
            last = i
        dist[i] = min(dist[i], last - i)
    return dist


def _inserted_headline(f: BlockFeatures, c: BoilerplateConfig) -> bool:
    """A long Title Case line between paragraphs: another article's headline, not a section heading."""
    return f.n_words >= c.headline_min_words and f.title_ratio >= c.headline_title_ratio and f.plain_words
