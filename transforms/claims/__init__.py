"""Claims stage: quotes with speakers, reported statements, numeric claims, check-worthiness, cross-source groups.

Inputs: documents (doc_id, clean_text[, duplicate_group]) and sentences (sentence_id, doc_id,
sentence_index, paragraph, char_start, char_end, text, is_heading). Output: the CLAIMS table columns
(one row per claim; key claim_id). `extract_claims` works document by document; `group_claims` is
corpus-wide.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from transforms.claims.attribution import quote_claims
from transforms.claims.checkworthiness import MODEL_PATH, load_model
from transforms.claims.document import DocumentView, make_view
from transforms.claims.grouping import KEYS_VERSION, BlockMatches, assign_groups, claim_context, group_id, normalise
from transforms.claims.numeric import QUALIFIERS, claim_clause, find_numbers
from transforms.claims.quotes import MARKS
from transforms.claims.reported import note_sources
from transforms.claims.speakers import SPEAKER_TYPES, build_name_index, resolve_speaker

CLAIMS_COLUMNS = [
    "claim_id", "doc_id", "sentence_id", "claim_type", "text", "char_start", "char_end", "quote", "speaker",
    "speaker_type", "speaker_mention", "speaker_role", "cue", "value", "unit", "qualifier", "value_text", "value_start", "value_end",
    "checkworthiness", "claim_group_id", "n_sources",
]
QUALIFIER_VALUES = tuple(dict.fromkeys(QUALIFIERS.values()))
CLAIM_TYPES = ("quote", "reported", "numeric")
INPUT_DOCUMENT_COLUMNS = ("doc_id", "clean_text")
INPUT_SENTENCE_COLUMNS = ("sentence_id", "doc_id", "paragraph", "char_start", "char_end", "is_heading")


@dataclass(frozen=True)
class ClaimsConfig:
    """Thresholds of the claims stage."""

    group_similarity: float = 88.0  # rapidfuzz ratio (0-100) for two quotes/statements to be the same claim
    group_rare_tokens: int = 3  # block keys per claim: its rarest words
    group_max_block: int = 500  # a block key shared by more claims than this is too common to compare on
    numeric_min_shared_context: int = 2  # sentence words a short quote must share (numbers: grouping.NUMERIC_MIN_*)
    numeric_context_chars: int = 160  # context window around a numeric claim's number (from clean_text)
    extract_reported: bool = True
    # "the mayor said" -> speaker "Ann Ortiz" when the article names her Mayor; False keeps "the mayor" (the
    # span attribution corpora annotate, so their scorers count the resolved name as a miss)
    resolve_role_phrases: bool = True
    model_path: str = str(MODEL_PATH)


def claim_id(doc_id: str, start: int, end: int, claim_type: str) -> str:
    """Deterministic claim id: hash of doc_id, char span and type."""
    return hashlib.sha1(f"{doc_id}|{start}|{end}|{claim_type}".encode("utf-8")).hexdigest()[:20]


def extract_claims(documents: pd.DataFrame, sentences: pd.DataFrame, config: ClaimsConfig = ClaimsConfig(),
                   on_progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Claims of each document (claim_group_id provisional = own group, n_sources 1); one doc never affects another.
    on_progress, if given, is called with 1 after each document."""
    by_doc: dict[str, list[tuple[str, int, int, int, bool]]] = {}
    sub = sentences.loc[:, list(INPUT_SENTENCE_COLUMNS)]
    for row in sub.itertuples(index=False):
        by_doc.setdefault(str(row.doc_id), []).append(
            (str(row.sentence_id), int(row.char_start), int(row.char_end), int(row.paragraph), bool(row.is_heading)))
    rows: list[dict[str, object]] = []
    for doc_id, text in zip(documents["doc_id"], documents["clean_text"]):
        view = make_view(str(doc_id), str(text), by_doc.get(str(doc_id), []))
        rows.extend(_document_claims(view, config))
        if on_progress is not None:
            on_progress(1)
    frame = pd.DataFrame(rows, columns=[*CLAIMS_COLUMNS, "_score_text"])
    if frame.empty:
        return _typed(frame.drop(columns="_score_text"))
    model = load_model(config.model_path)
    frame["checkworthiness"] = model.score([str(t) for t in frame.pop("_score_text")]) if "_score_text" in frame else 0.0
    frame = frame.sort_values(["doc_id", "char_start", "char_end", "claim_type"], kind="stable").reset_index(drop=True)
    return _typed(frame)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.loc[:, CLAIMS_COLUMNS].copy()
    for col in ("char_start", "char_end", "n_sources"):
        out[col] = out[col].astype("int32")
    for col in ("value_start", "value_end"):
        out[col] = out[col].astype("Int32")
    for col in ("value", "checkworthiness"):
        out[col] = out[col].astype("float64")
    return out


def _document_claims(view: DocumentView, config: ClaimsConfig) -> list[dict[str, object]]:
    """All claims of one document, with a `_score_text` for the check-worthiness model."""
    if not view.sentences:
        return []
    names = build_name_index(view.text, [view.tokens(s.start, s.end) for s in view.sentences if not s.is_heading],
                             config.resolve_role_phrases)
    reported = note_sources(view, names, config.extract_reported)
    rows: list[dict[str, object]] = []
    quoted: set[int] = set()
    for q in quote_claims(view, names):
        for k in range(view.sentence_at(q.start), view.sentence_at(max(q.start, q.end - 1)) + 1):
            quoted.add(k)
        rows.append(_row(view, "quote", q.start, q.end, q.sentence_index, quote=q.quote, speaker=q.speaker,
                         speaker_type=q.speaker_type, speaker_mention=q.speaker_mention, speaker_role=q.speaker_role, cue=q.cue,
                         score_text=_quote_score_text(view, q.start, q.end, q.quote)))
    for k, s in enumerate(view.sentences):
        if s.is_heading:
            continue
        sentence_text = view.text[s.start : s.end]
        if config.extract_reported and k not in quoted and not any(m in sentence_text for m in MARKS):
            rep = reported.get(k)
            if rep is not None:
                source = resolve_speaker(rep.mention, names)
                rows.append(_row(view, "reported", rep.start, rep.end, k, speaker=source.name,
                                 speaker_type=source.kind, speaker_mention=rep.mention.text,
                                 speaker_role=source.role, cue=rep.cue,
                                 score_text=sentence_text))
        for num in find_numbers(view.text, s.start, s.end):
            a, b = claim_clause(view.text, s.start, s.end, num.start, num.end)
            rows.append(_row(view, "numeric", a, b, k, value=num.value, unit=num.unit, qualifier=num.qualifier,
                             value_span=(num.start, num.end), score_text=sentence_text))
    return rows


def _quote_score_text(view: DocumentView, start: int, end: int, quote: str) -> str:
    """What a quote is scored on: its words, or the sentences around a short quote ("historic" alone says nothing)."""
    if len(quote.split()) >= 6:
        return quote
    first, last = view.sentences[view.sentence_at(start)], view.sentences[view.sentence_at(max(start, end - 1))]
    return view.text[first.start : max(last.end, end)]


def _row(view: DocumentView, claim_type: str, start: int, end: int, sentence_index: int, *, quote: str | None = None,
         speaker: str | None = None, speaker_type: str | None = None, speaker_mention: str | None = None,
         speaker_role: str | None = None, cue: str | None = None, value: float | None = None, unit: str | None = None, qualifier: str | None = None,
         value_span: tuple[int, int] | None = None, score_text: str = "") -> dict[str, object]:
    # A numeric claim is identified by its number: one clause may state several.
    cid = claim_id(view.doc_id, *(value_span or (start, end)), claim_type)
    return {
        "claim_id": cid, "doc_id": view.doc_id, "sentence_id": view.sentences[sentence_index].sentence_id,
        "claim_type": claim_type, "text": view.text[start:end], "char_start": start, "char_end": end,
        "quote": quote, "speaker": speaker, "speaker_type": speaker_type, "speaker_mention": speaker_mention, "speaker_role": speaker_role,
        "cue": cue, "value": value, "unit": unit, "qualifier": qualifier,
        "value_text": view.text[value_span[0] : value_span[1]] if value_span else None,
        "value_start": value_span[0] if value_span else None, "value_end": value_span[1] if value_span else None,
        "checkworthiness": 0.0, "claim_group_id": group_id([cid]),
        "n_sources": 1, "_score_text": score_text,
    }


MATCH_KEY_COLUMNS = ["claim_id", "doc_id", "signature", "context"]


def claim_match_keys(claims: pd.DataFrame, documents: pd.DataFrame, config: ClaimsConfig = ClaimsConfig()) -> pd.DataFrame:
    """Return per claim (input order) what grouping matches it on: its normalised text (`signature`) and, for a
    numeric claim, the content words around it (`context`: sorted, space-separated). Content-only: one
    document's claims never depend on another's, so the rows of unchanged documents can be reused."""
    texts = dict(zip(documents["doc_id"], documents["clean_text"])) if "clean_text" in documents else {}
    kinds = [str(k) for k in claims["claim_type"]]
    sigs = [normalise(str(q) if k == "quote" and isinstance(q, str) else str(t))
            for k, q, t in zip(kinds, claims["quote"], claims["text"])]
    # A numeric claim's context is taken around its number (value_start:value_end), not around its clause.
    starts = [int(v) if k == "numeric" and not pd.isna(v) else int(a)
              for k, v, a in zip(kinds, claims["value_start"].tolist(), claims["char_start"].tolist())]
    ends = [int(v) if k == "numeric" and not pd.isna(v) else int(b)
            for k, v, b in zip(kinds, claims["value_end"].tolist(), claims["char_end"].tolist())]
    contexts = [" ".join([KEYS_VERSION, *sorted(claim_context(k, texts.get(d), str(t), a, b, config.numeric_context_chars))])
                for k, d, t, a, b in zip(kinds, claims["doc_id"], claims["text"], starts, ends)]
    return pd.DataFrame({"claim_id": list(claims["claim_id"]), "doc_id": [str(d) for d in claims["doc_id"]],
                         "signature": sigs, "context": contexts}, columns=MATCH_KEY_COLUMNS)


def complete_match_keys(claims: pd.DataFrame, documents: pd.DataFrame, keys: pd.DataFrame,
                        config: ClaimsConfig = ClaimsConfig()) -> pd.DataFrame:
    """Return claim_match_keys() rows for exactly these claims, in their order: taken from `keys` (e.g. cached)
    where present, computed for the others; rows of `keys` for other claims are dropped."""
    ids = [str(c) for c in claims["claim_id"].tolist()]
    # Rows written by an older way of computing contexts are recomputed: the groups must equal a full rebuild's.
    keys = keys[[str(c).startswith(KEYS_VERSION) for c in keys["context"].tolist()]] if len(keys) else keys
    if len(keys) == len(ids) and list(keys.columns) == MATCH_KEY_COLUMNS and keys["claim_id"].tolist() == ids:
        return keys.reset_index(drop=True)  # already exactly these claims' rows, in their order
    known = keys.drop_duplicates("claim_id").set_index("claim_id")
    have = set(known.index.tolist())
    missing = claims[[cid not in have for cid in ids]]
    if len(missing):
        known = pd.concat([known, claim_match_keys(missing, documents, config).set_index("claim_id")])
    return known.loc[ids].reset_index().loc[:, MATCH_KEY_COLUMNS]


BLOCK_COLUMNS = ["block", "members", "left", "right"]


@dataclass(frozen=True)
class GroupedClaims:
    """Claims with their groups set, and the block matches (BLOCK_COLUMNS) a later run can reuse."""

    claims: pd.DataFrame
    blocks: pd.DataFrame


def group_claims(claims: pd.DataFrame, documents: pd.DataFrame, config: ClaimsConfig = ClaimsConfig(),
                 keys: pd.DataFrame | None = None) -> pd.DataFrame:
    """Set claim_group_id and n_sources (distinct duplicate groups among the group's documents) corpus-wide.

    `keys` (optional) is claim_match_keys() output covering these claims (matched by claim_id), e.g. cached
    for unchanged documents; missing rows are computed."""
    return match_claim_groups(claims, documents, config, keys).claims


def match_claim_groups(claims: pd.DataFrame, documents: pd.DataFrame, config: ClaimsConfig = ClaimsConfig(),
                       keys: pd.DataFrame | None = None, blocks: pd.DataFrame | None = None) -> GroupedClaims:
    """group_claims(), also returning every comparable block's matches; `blocks` (optional) are such matches
    from an earlier call under the same config: a block holding the same claims reuses them (same groups)."""
    if claims.empty:
        return GroupedClaims(_typed(claims.reindex(columns=CLAIMS_COLUMNS)), pd.DataFrame(columns=BLOCK_COLUMNS))
    dup = dict(zip(documents["doc_id"], documents["duplicate_group"])) if "duplicate_group" in documents else {}
    ids = [str(c) for c in claims["claim_id"].tolist()]  # tolist: iterating an Arrow-backed column boxes each value
    keys = claim_match_keys(claims, documents, config) if keys is None else complete_match_keys(claims, documents, keys, config)
    kinds = [str(k) for k in claims["claim_type"].tolist()]
    sigs = [str(x) for x in keys["signature"].tolist()]
    docs = [str(d) for d in claims["doc_id"].tolist()]
    values = [None if pd.isna(v) else float(v) for v in claims["value"].tolist()]
    units = [u if isinstance(u, str) else None for u in claims["unit"].tolist()]
    contexts = [str(c) for c in keys["context"].tolist()]
    reps, matches = assign_groups(ids, kinds, sigs, contexts, docs, values, units,
                                  config.group_similarity, config.group_rare_tokens, config.group_max_block,
                                  config.numeric_min_shared_context, known=_block_matches(blocks),
                                  qualifiers=[q if isinstance(q, str) else None for q in claims["qualifier"].tolist()],
                                  sources=_named_sources(claims))
    members: dict[int, list[int]] = {}
    for i, r in enumerate(reps):
        members.setdefault(r, []).append(i)
    gid = [""] * len(ids)
    nsrc = [0] * len(ids)
    for idx in members.values():
        g = group_id([ids[i] for i in idx])
        sources = {_source(dup, docs[i]) for i in idx}
        for i in idx:
            gid[i], nsrc[i] = g, len(sources)
    return GroupedClaims(_typed(claims.assign(claim_group_id=gid, n_sources=nsrc)), _block_frame(matches))


def _block_matches(blocks: pd.DataFrame | None) -> dict[str, BlockMatches] | None:
    if blocks is None or blocks.empty:
        return None
    columns = (blocks[c].tolist() for c in BLOCK_COLUMNS)
    return {str(b): BlockMatches(str(m), tuple(zip((str(x) for x in left), (str(x) for x in right))))
            for b, m, left, right in zip(*columns)}


def _block_frame(matches: dict[str, BlockMatches]) -> pd.DataFrame:
    rows = sorted(matches.items())
    return pd.DataFrame({"block": [b for b, _ in rows], "members": [m.members for _, m in rows],
                         "left": [[a for a, _ in m.pairs] for _, m in rows],
                         "right": [[b for _, b in m.pairs] for _, m in rows]}, columns=BLOCK_COLUMNS)


def _source(dup: dict[object, object], doc_id: str) -> str:
    group = dup.get(doc_id)
    return doc_id if group is None or (isinstance(group, float) and group != group) else str(group)


def _named_sources(claims: pd.DataFrame) -> list[str | None]:
    """Each claim's source when it is a named person or organisation (only those can conflict), else None."""
    kinds = claims["speaker_type"].tolist() if "speaker_type" in claims else [None] * len(claims)
    return [s if isinstance(s, str) and s and k in ("person", "organisation") else None
            for s, k in zip(claims["speaker"].tolist(), kinds)]
