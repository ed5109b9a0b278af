"""Clean raw article text: unicode repair, date header, unwrapping, boilerplate removal, sentences.

Input frame (one row per decoded file): doc_id, source_file, sha256, encoding, text.
Output: `CleanOutput` with documents (clean columns), sentences, boilerplate and rejects frames.
The run date is a parameter (no clock here): it bounds header dates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import ftfy
import pandas as pd

from transforms.boilerplate import BlockVerdict, BoilerplateConfig, classify_blocks
from transforms.boilerplate_features import block_features
from transforms.boilerplate_rules import addresses_reader, furniture_rule, promo_terms
from transforms.ingest import EMPTY_AFTER_CLEANING
from transforms.sentences import split_sentences

EARLIEST_DATE = date(1990, 1, 1)

# Any digit run is read so that an out-of-range year ("date 99999-01-01") is reported, not left as body text.
_HEADER = re.compile(r"\A[ \t\n]*date[ \t]*[:=]?[ \t]*(\d{1,9})-(\d{1,9})-(\d{1,9})(?!\d)[ \t]*\n?", re.IGNORECASE)
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"), ("october", "oct"),
         ("november", "nov"), ("december", "dec")]
    )
    for m in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_TEXT_DATES = (
    re.compile(rf"\b(?P<m>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH_RE})\.?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<mn>\d\d)-(?P<d>\d\d)\b"),
)
# Zero-width and bidirectional controls (LRM/RLM, embeddings and overrides, isolates, the Arabic letter mark):
# invisible, yet they split words and can reorder what a reader sees.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
_ZERO_WIDTH = dict.fromkeys(map(ord, _INVISIBLE), None)
_SPACES = re.compile(r"[^\S\n]+")
# Rules that judge a block by where it stands or how dense its text is, which a headline can trip.
_TITLE_OVERRIDABLE = frozenset({"outside_main_text", "low_text_density", "inserted_headline", None})
_DENSITY_RULES = frozenset({"outside_main_text", "low_text_density"})
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, normalization="NFC", explain=False)


@dataclass(frozen=True)
class CleanConfig:
    """Cleaning parameters."""

    boilerplate: BoilerplateConfig = field(default_factory=BoilerplateConfig)
    max_wrap_width: int = 160
    min_wrapped_share: float = 0.5
    text_date_blocks: int = 12
    title_max_position: int = 12
    title_min_words: int = 3
    title_max_words: int = 20
    min_rescued_chars: int = 25
    text_date_max_words: int = 20
    main_body_share: float = 0.5  # a removed running-text block holding this share of the words is the article ...
    main_body_min_words: int = 10  # ... when it has this many words ...
    main_body_min_stop_ratio: float = 0.18  # ... and this share of function words
    inline_promo_max_words: int = 25  # a sentence of the main body this short that sells to the reader is cut


@dataclass(frozen=True)
class Block:
    """A paragraph (or single line) of the input: its first line number (1-based) and its text."""

    line_no: int
    text: str


@dataclass(frozen=True)
class DateHeader:
    """The outcome of reading a leading `date YYYY-MM-DD` header."""

    published_date: date | None
    issue: str | None
    body: str


@dataclass(frozen=True)
class CleanedDocument:
    """One document after cleaning."""

    clean_text: str
    published_date: date | None
    date_source: str
    date_issue: str | None
    title: str | None
    paragraphs: tuple[tuple[int, int, bool], ...]
    sentences: tuple[tuple[int, int, int, bool], ...]
    boilerplate: tuple[tuple[int, str, str], ...]


@dataclass(frozen=True)
class CleanOutput:
    """The clean stage's frames."""

    documents: pd.DataFrame
    sentences: pd.DataFrame
    boilerplate: pd.DataFrame
    rejects: pd.DataFrame


def normalise_text(text: str) -> str:
    """Repair mojibake and odd unicode (keeping the text's own quote marks), unify line ends, fold spaces."""
    fixed = ftfy.fix_text(text, _FTFY).translate(_ZERO_WIDTH)
    fixed = fixed.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in fixed.split("\n"))


def parse_date_header(text: str, run_date: date) -> DateHeader:
    """Read and strip a leading `date YYYY-MM-DD` header; impossible, pre-1990 or future dates are not used but reported."""
    match = _HEADER.match(text)
    if match is None:
        return DateHeader(None, None, text)
    body = text[match.end():]
    raw = f"{int(match[1]):04d}-{int(match[2]):02d}-{int(match[3]):02d}"
    try:
        parsed = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return DateHeader(None, f"impossible header date {raw}", body)
    if parsed > run_date:
        return DateHeader(None, f"future header date {raw} (run date {run_date.isoformat()})", body)
    if parsed < EARLIEST_DATE:
        return DateHeader(None, f"header date {raw} before {EARLIEST_DATE.isoformat()}", body)
    return DateHeader(parsed, None, body)


def unwrap_blocks(lines: list[str], config: CleanConfig = CleanConfig()) -> list[Block]:
    """Group lines into blocks: blank lines separate blocks; in hard-wrapped text a line whose next word would have fit is joined to the next."""
    width = _wrap_width(lines, config)
    blocks: list[Block] = []
    current: list[str] = []
    first = 0
    for number, line in enumerate(lines, start=1):
        if not line:
            if current:
                blocks.append(Block(first, " ".join(current)))
                current = []
            continue
        if current and not (width and _was_wrapped(current[-1], line, width)):
            blocks.append(Block(first, " ".join(current)))
            current = []
        if not current:
            first = number
        current.append(line)
    if current:
        blocks.append(Block(first, " ".join(current)))
    return blocks


def _wrap_width(lines: list[str], config: CleanConfig) -> int | None:
    lengths = sorted(len(line) for line in lines if line)
    if len(lengths) < 4:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if width > config.max_wrap_width or width < 30:
        return None
    near_full = sum(1 for n in lengths if n >= 0.75 * width)
    return width if near_full >= config.min_wrapped_share * len(lengths) else None


def _was_wrapped(previous: str, line: str, width: int) -> bool:
    first_word = line.split(" ", 1)[0]
    return len(previous) + 1 + len(first_word) > width - 2 and len(previous) >= 0.6 * width


def _keep_some_text(blocks: list[Block], verdicts: list[BlockVerdict], config: CleanConfig) -> list[BlockVerdict]:
    """When no block is body, undo the density-based removals of text-like blocks (never the named rules).

    The density features lean on (mostly European) function words, so an article in another script can
    look like page furniture from end to end; an explicit rule (caption, promo, footer …) still applies.
    """
    if any(v.kind == "body" for v in verdicts):
        return verdicts
    return [
        BlockVerdict("body") if v.rule in _DENSITY_RULES and len(b.text) >= config.min_rescued_chars else v
        for b, v in zip(blocks, verdicts)
    ]


def _main_body(blocks: list[Block], verdicts: list[BlockVerdict], config: CleanConfig) -> list[int]:
    """Indexes of the blocks that are the document's main body: running text holding most of its words
    (kept or not), or the largest removed one when nothing else is kept. A furniture rule judges a block by
    its opening and its vocabulary; an article delivered as one paragraph can trip it, and must not be lost."""
    words = [len(b.text.split()) for b in blocks]
    need = max(config.main_body_min_words, config.main_body_share * sum(words))
    if not any(v.kind == "body" for v in verdicts):
        need = config.main_body_min_words
    order = sorted((i for i, v in enumerate(verdicts) if v.kind != "heading" and words[i] >= need),
                   key=lambda i: (-words[i], i))
    text_like = [i for i in order
                 if block_features(blocks[i].text).stop_ratio >= config.main_body_min_stop_ratio]
    return text_like[:1]


def _inline_furniture(sentence: str, config: CleanConfig) -> str | None:
    """The rule of a sentence of the main body that is page furniture (a sign-up prompt, a related link, an
    advertisement label, a copyright notice, or a short sentence selling to the reader), else None."""
    rule = furniture_rule(sentence)
    if rule is not None:
        return rule
    if (len(sentence) <= 12 * config.inline_promo_max_words and addresses_reader(sentence)
            and len(sentence.split()) <= config.inline_promo_max_words and promo_terms(sentence) >= 2):
        return "promo"
    return None


def _cut_furniture(text: str, config: CleanConfig) -> tuple[str, str, str | None, list[tuple[int, int]] | None]:
    """Split a main-body block into (kept text, cut text, rule of the first cut sentence, the sentence spans
    when nothing was cut): furniture sentences are cut out of it, every other sentence is kept verbatim, in order."""
    spans = split_sentences(text)
    kept: list[str] = []
    cut: list[str] = []
    rule: str | None = None
    for a, b in spans:
        sentence = text[a:b]
        found = _inline_furniture(sentence, config)
        if found is None:
            kept.append(sentence)
        else:
            cut.append(sentence)
            rule = rule or found
    return " ".join(kept), " ".join(cut), rule, None if cut else spans


def _title_index(blocks: list[Block], verdicts: list[BlockVerdict], config: CleanConfig) -> int | None:
    """Index of the article's own headline: a headline-shaped block right before the first body block.

    The boilerplate classifier judges blocks by text density, so a headline above the body looks like page
    furniture; but only content-position rules (not captions, promos, links, footers) may be overridden.
    """
    first_body = next((i for i, v in enumerate(verdicts) if v.kind == "body"), None)
    if not first_body or first_body > config.title_max_position:
        return None
    at = first_body - 1
    verdict, text = verdicts[at], blocks[at].text
    if verdict.kind == "boilerplate" and verdict.rule not in _TITLE_OVERRIDABLE:
        return None
    words = text.split()
    shaped = (config.title_min_words <= len(words) <= config.title_max_words and text[-1] not in ".!?:;,"
              and not text.isupper() and any(ch.isalpha() for ch in text))
    return at if shaped else None


def text_date(blocks: list[str], run_date: date, config: CleanConfig = CleanConfig()) -> date | None:
    """Return a full calendar date stated in a short line near the top (a dateline or timestamp line), if any."""
    for block in blocks[: config.text_date_blocks]:
        if len(block.split()) > config.text_date_max_words:
            continue
        for pattern in _TEXT_DATES:
            for m in pattern.finditer(block):
                month = int(m["mn"]) if "mn" in m.groupdict() and m["mn"] else _MONTHS[m["m"].lower()]
                try:
                    found = date(int(m["y"]), month, int(m["d"]))
                except ValueError:
                    continue
                if EARLIEST_DATE <= found <= run_date:
                    return found
    return None


def clean_document(text: str, run_date: date, config: CleanConfig = CleanConfig()) -> CleanedDocument:
    """Clean one decoded text into paragraphs, sentences (offsets into clean_text) and removed boilerplate."""
    header = parse_date_header(normalise_text(text), run_date)
    blocks = unwrap_blocks(header.body.split("\n"), config)
    verdicts = classify_blocks([b.text for b in blocks], config.boilerplate)
    verdicts = _keep_some_text(blocks, verdicts, config)
    partial: list[tuple[int, str, str]] = []
    known_spans: dict[int, list[tuple[int, int]]] = {}  # sentence spans already computed, by block line
    for i in _main_body(blocks, verdicts, config):
        kept_text, cut_text, rule, spans = _cut_furniture(blocks[i].text, config)
        if spans is not None:
            known_spans[blocks[i].line_no] = spans
        if not kept_text:
            continue
        if cut_text:
            partial.append((blocks[i].line_no, cut_text, rule or "promo"))
        blocks[i] = Block(blocks[i].line_no, kept_text)
        verdicts[i] = BlockVerdict("body")
    title_at = _title_index(blocks, verdicts, config)
    if title_at is not None:
        verdicts[title_at] = BlockVerdict("heading")
    kept = [(b, v.kind == "heading") for b, v in zip(blocks, verdicts) if v.kind != "boilerplate"]
    removed = tuple(sorted(
        [(b.line_no, b.text, v.rule or "boilerplate") for b, v in zip(blocks, verdicts) if v.kind == "boilerplate"]
        + partial
    ))

    paragraphs: list[tuple[int, int, bool]] = []
    sentences: list[tuple[int, int, int, bool]] = []
    parts: list[str] = []
    cursor = 0
    for index, (block, is_heading) in enumerate(kept):
        if parts:
            cursor += 2
        start, end = cursor, cursor + len(block.text)
        paragraphs.append((start, end, is_heading))
        if is_heading:
            spans = [(0, len(block.text))]
        else:
            spans = known_spans.get(block.line_no) or split_sentences(block.text)
        sentences.extend((index, start + a, start + b, is_heading) for a, b in spans)
        parts.append(block.text)
        cursor = end
    clean_text = "\n\n".join(parts)

    published, source = header.published_date, "header" if header.published_date else "none"
    if published is None:
        published = text_date([b.text for b in blocks], run_date, config)
        source = "text" if published else "none"
    if title_at is not None:
        title: str | None = blocks[title_at].text
    else:
        title = kept[0][0].text if kept and kept[0][1] else None
    return CleanedDocument(clean_text, published, source, header.issue, title, tuple(paragraphs), tuple(sentences), removed)


def clean_documents(raw: pd.DataFrame, run_date: date, config: CleanConfig = CleanConfig(),
                    on_progress: Callable[[int], None] | None = None) -> CleanOutput:
    """Clean a batch of decoded files (doc_id, source_file, sha256, encoding, text); a text left empty becomes a reject.
    on_progress, if given, is called with 1 after each file."""
    docs: list[dict[str, object]] = []
    sents: list[dict[str, object]] = []
    bps: list[dict[str, object]] = []
    rejects: list[dict[str, object]] = []
    for row in raw.itertuples(index=False):
        cleaned = clean_document(row.text, run_date, config)
        if on_progress is not None:
            on_progress(1)
        if not cleaned.sentences:
            rejects.append({"source_file": row.source_file, "sha256": row.sha256, "size_bytes": None,
                            "reason": EMPTY_AFTER_CLEANING,
                            "detail": f"no text left after removing {len(cleaned.boilerplate)} boilerplate blocks"})
            continue
        docs.append({
            "doc_id": row.doc_id, "source_file": row.source_file, "sha256": row.sha256, "encoding": row.encoding,
            "published_date": cleaned.published_date, "date_source": cleaned.date_source,
            "date_issue": cleaned.date_issue, "title": cleaned.title, "clean_text": cleaned.clean_text,
            "n_sentences": len(cleaned.sentences), "n_paragraphs": len(cleaned.paragraphs),
            "n_boilerplate": len(cleaned.boilerplate),
        })
        for i, (para, start, end, heading) in enumerate(cleaned.sentences):
            sents.append({"sentence_id": f"{row.doc_id}-s{i:04d}", "doc_id": row.doc_id, "sentence_index": i,
                          "paragraph": para, "char_start": start, "char_end": end,
                          "text": cleaned.clean_text[start:end], "is_heading": heading})
        bps.extend({"doc_id": row.doc_id, "line_no": n, "line": line, "rule": rule}
                   for n, line, rule in cleaned.boilerplate)
    return CleanOutput(
        documents=pd.DataFrame(docs, columns=CLEAN_DOCUMENT_COLUMNS),
        sentences=pd.DataFrame(sents, columns=SENTENCE_COLUMNS),
        boilerplate=pd.DataFrame(bps, columns=["doc_id", "line_no", "line", "rule"]),
        rejects=pd.DataFrame(rejects, columns=["source_file", "sha256", "size_bytes", "reason", "detail"]),
    )


CLEAN_DOCUMENT_COLUMNS = [
    "doc_id", "source_file", "sha256", "encoding", "published_date", "date_source", "date_issue", "title",
    "clean_text", "n_sentences", "n_paragraphs", "n_boilerplate",
]
SENTENCE_COLUMNS = ["sentence_id", "doc_id", "sentence_index", "paragraph", "char_start", "char_end", "text", "is_heading"]
