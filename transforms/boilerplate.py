"""Classify a document's blocks as body text, heading or boilerplate (clean stage).

Input: the document's blocks in order (paragraphs, or lines of a one-block-per-line text), already
unwrapped, whitespace-normalised and unicode-fixed. Output: one BlockVerdict per block.

Three passes, each linear in the number of blocks:
1. context-free rules name obvious furniture (captions, ads, player text, promos, related links,
   footers, bylines, menus) from the block's own shape and vocabulary (transforms.boilerplate_rules);
2. the main body region is the stretch of blocks with the most body-like words net of a per-block
   cost (the body-text-extraction idea of Finn et al. / boilerpipe, on blocks instead of tags), so
   runs of short lines before and after the article fall outside it;
3. inside the region short blocks are kept as headings or list items, unless they are a Title Case
   headline or part of a run of headline-like lines; outside it only long, sentence-dense blocks are kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from transforms.boilerplate_features import BlockFeatures, block_features
from transforms.boilerplate_rules import addresses_reader, author_bio, match_rule, promo_terms

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
    bio_tail_paragraphs: int = 3  # an author bio is looked for among the last this many paragraphs
    repeated_max_words: int = 8  # a short block seen twice in a document is page furniture
    link_run_min: int = 3  # this many headline-like short lines in a row inside the region are a link list


BODY = BlockVerdict("body")
HEADING = BlockVerdict("heading")


def classify_blocks(blocks: Sequence[str], config: BoilerplateConfig = BoilerplateConfig()) -> list[BlockVerdict]:
    """Return one verdict per block, in order; pure and deterministic."""
    n = len(blocks)
    if n == 0:
        return []
    feats = [block_features(b) for b in blocks]
    rules = [match_rule(b, f) for b, f in zip(blocks, feats)]
    good = [r is None and _is_good(f, config) for f, r in zip(feats, rules)]
    inside = _main_regions(_gains(feats, good, rules, config), config)
    distance = _distance_to_region(inside)
    repeated = _repeated(blocks, feats, config)
    tail_start = _tail_start(good, config.bio_tail_paragraphs)
    headline_like = [r is None and not g and _headline_like(f, config) for f, r, g in zip(feats, rules, good)]
    in_link_run = _runs(headline_like, config.link_run_min)

    out: list[BlockVerdict] = []
    for i in range(n):
        f, rule = feats[i], rules[i]
        if rule is not None:
            out.append(BlockVerdict("boilerplate", rule))
        elif not inside[i]:
            verdict = _outside_verdict(blocks[i], f, distance[i], config)
            out.append(BlockVerdict("boilerplate", "repeated") if repeated[i] and verdict.rule else verdict)
        elif good[i] and _region_promo(blocks[i], f, config):
            out.append(BlockVerdict("boilerplate", "promo"))
        elif good[i] and i >= tail_start and author_bio(blocks[i]):
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
    return out


def _outside_verdict(block: str, f: BlockFeatures, distance: int, c: BoilerplateConfig) -> BlockVerdict:
    """Outside the main region only long running text near it survives, unless it reads as promo or a bio."""
    if f.n_words < c.outside_min_words or f.stop_ratio < c.outside_min_stop_ratio or distance > c.outside_max_distance:
        return BlockVerdict("boilerplate", "outside_main_text")
    if promo_terms(block) > 0:
        return BlockVerdict("boilerplate", "promo")
    if author_bio(block):
        return BlockVerdict("boilerplate", "byline")
    return BODY


def _region_promo(block: str, f: BlockFeatures, c: BoilerplateConfig) -> bool:
    """A paragraph inside the body that sells, asks for sign-ups or states site policy to the reader."""
    if not addresses_reader(block):
        return False
    terms = promo_terms(block)
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
    out = [False] * len(flags)
    i = 0
    while i < len(flags):
        if not flags[i]:
            i += 1
            continue
        j = i
        while j < len(flags) and flags[j]:
            j += 1
        if j - i >= min_len:
            out[i:j] = [True] * (j - i)
        i = j
    return out


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
