"""Suite for `claims`: one row per claim (quote, reported statement or numeric claim) in a document; key claim_id."""

from __future__ import annotations

import great_expectations.expectations as gxe
import pandas as pd

from expectations._checks import all_true, ids_in, spans_verbatim
from newsflow.validation import SuiteContext
from transforms.claims import CLAIM_TYPES, QUALIFIER_VALUES, SPEAKER_TYPES
from transforms.claims.numeric import canonical_unit
from transforms.claims.quotes import QUOTE_JOINER

GRAIN = "one row per claim (quote, reported statement or numeric claim) in a document"
KEY = ("claim_id",)


def _quote_inside(quote: object, text: object, claim_type: object) -> bool:
    if claim_type != "quote":
        return quote is None or (isinstance(quote, float) and quote != quote)
    return isinstance(quote, str) and isinstance(text, str) and bool(quote) and all(
        part in text for part in quote.split(QUOTE_JOINER))


def _value_span_ok(frame: pd.DataFrame, docs: pd.DataFrame | None) -> list[bool]:
    """Numeric claims: value_text == clean_text[value_start:value_end], inside the claim's span, unit canonical;
    other claims carry none of value_text, value_start, value_end, qualifier."""
    body_of = dict(zip(docs["doc_id"].tolist(), docs["clean_text"].tolist())).get if docs is not None else None
    columns = (frame[c].tolist() for c in ("claim_type", "doc_id", "char_start", "char_end", "value_text",
                                            "value_start", "value_end", "qualifier", "unit"))
    out = []
    for kind, doc, a, b, vt, vs, ve, qual, unit in zip(*columns):
        if kind != "numeric":
            out.append(all(pd.isna(x) for x in (vt, vs, ve, qual)))
            continue
        if not isinstance(vt, str) or pd.isna(vs) or pd.isna(ve) or not a <= int(vs) < int(ve) <= b:
            out.append(False)
            continue
        body = body_of(doc) if body_of else None
        unit_ok = not isinstance(unit, str) or canonical_unit(unit) == unit
        out.append(unit_ok and (body is None or body[int(vs) : int(ve)] == vt))
    return out


def _speaker_type_ok(frame: pd.DataFrame) -> list[bool]:
    """A speaker_type needs a speaker, and numeric claims have neither."""
    columns = (frame[c].tolist() for c in ("claim_type", "speaker", "speaker_type"))
    return [pd.isna(st) or (kind != "numeric" and isinstance(sp, str)) for kind, sp, st in zip(*columns)]


def _groups_consistent(frame: pd.DataFrame) -> pd.Series:
    """Every row of a claim_group_id carries the same n_sources, no more than the group's documents."""
    by_group = frame.groupby("claim_group_id")
    n_values = by_group["n_sources"].transform("nunique")
    n_docs = by_group["doc_id"].transform("nunique")
    return (n_values == 1) & (frame["n_sources"] >= 1) & (frame["n_sources"] <= n_docs)


def derive(frame: pd.DataFrame, ctx: SuiteContext) -> pd.DataFrame:
    """Add checks: offsets verbatim; quote inside text; value and verbatim value span for numeric claims; groups
    consistent; ids upstream."""
    docs = ctx.other("documents")
    sentences = ctx.other("sentences")
    numeric = frame["claim_type"] == "numeric"
    return frame.assign(
        check_span_verbatim=spans_verbatim(frame, docs) if "documents" in ctx.tables else True,
        check_quote_inside_text=[_quote_inside(q, t, k) for q, t, k in zip(
            frame["quote"].tolist(), frame["text"].tolist(), frame["claim_type"].tolist())],
        check_numeric_has_value=~numeric | frame["value"].notna(),
        check_value_span=_value_span_ok(frame, docs if "documents" in ctx.tables else None),
        check_speaker_type=_speaker_type_ok(frame),
        check_group_consistent=_groups_consistent(frame) if len(frame) else pd.Series(dtype=bool),
        check_sentence_known=ids_in(frame["sentence_id"], sentences["sentence_id"]) if "sentences" in ctx.tables else True,
        check_doc_known=ids_in(frame["doc_id"], docs["doc_id"]) if "documents" in ctx.tables else True,
    )


def build(ctx: SuiteContext) -> list[gxe.Expectation]:
    """Build the expectations of the claims table."""
    out: list[gxe.Expectation] = [
        gxe.ExpectColumnValuesToBeUnique(column="claim_id"),
        gxe.ExpectColumnValuesToBeInSet(column="claim_type", value_set=list(CLAIM_TYPES)),
        gxe.ExpectColumnValuesToBeBetween(column="checkworthiness", min_value=0.0, max_value=1.0),
        gxe.ExpectColumnValuesToBeBetween(column="n_sources", min_value=1),
        gxe.ExpectColumnValueLengthsToBeBetween(column="text", min_value=1),
        all_true("check_span_verbatim", "documents.clean_text[char_start:char_end] == text"),
        all_true("check_quote_inside_text", "quote (each part of a split quote) occurs in text; only quotes have one"),
        all_true("check_numeric_has_value", "numeric claims carry a value"),
        all_true("check_value_span", "numeric claims: clean_text[value_start:value_end] == value_text inside the "
                                     "claim's span, unit canonical; other claims have no value span or qualifier"),
        gxe.ExpectColumnValuesToBeInSet(column="qualifier", value_set=list(QUALIFIER_VALUES)),
        gxe.ExpectColumnValuesToBeInSet(column="speaker_type", value_set=list(SPEAKER_TYPES)),
        all_true("check_speaker_type", "a speaker_type only with a speaker, never on numeric claims"),
        all_true("check_group_consistent", "one n_sources per claim_group_id, between 1 and its documents"),
        all_true("check_sentence_known", "sentence_id exists in sentences"),
        all_true("check_doc_known", "doc_id exists in documents"),
    ]
    out += [gxe.ExpectColumnValuesToNotBeNull(column=c) for c in
            ("claim_id", "doc_id", "sentence_id", "claim_type", "text", "char_start", "char_end",
             "checkworthiness", "claim_group_id", "n_sources")]
    return out
