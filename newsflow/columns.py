"""What each column of each table means: written into every Parquet file's schema as field metadata.

`pyarrow.dataset.dataset("data/claims.parquet").schema.field("n_sources").metadata[b"description"]` answers
what a column holds without the README; the schema's own metadata carries the table's grain and key.
"""

from __future__ import annotations

import json
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

    from newsflow.catalogue import Table

_RUN = "the run that wrote this row (runs.run_id)"
_DOC = "the document (documents.doc_id)"

DESCRIPTIONS: dict[str, dict[str, str]] = {
    "documents": {
        "doc_id": "16 hex chars: hash of the file's content hash and its relative name",
        "source_file": "path relative to the seeds folder",
        "sha256": "SHA-256 of the file's bytes",
        "encoding": "how the bytes were decoded: utf-8, utf-8-sig, utf-16, utf-8-replace or cp1252",
        "published_date": "publication date; null only when date_source is 'none'",
        "date_source": "where published_date comes from: header, text (dateline), duplicate (a copy), story, none",
        "date_issue": "why a header date was not used (impossible, future, before 1990)",
        "title": "the leading heading, when the text starts with one",
        "clean_text": "the cleaned text: paragraphs separated by a blank line",
        "n_sentences": "rows in sentences for this document",
        "n_paragraphs": "paragraphs (including headings) in clean_text",
        "n_boilerplate": "rows in boilerplate for this document",
        "duplicate_group": "id shared by copies of one source (a singleton's own group otherwise)",
        "is_canonical": "the best version of its duplicate group (most complete, original wording)",
        "story_id": "the story (same event) the document belongs to (stories.story_id)",
        "ingested_at": "when the run that cleaned this content started (UTC)",
        "run_id": "the run that cleaned this content (runs.run_id)",
    },
    "rejects": {
        "source_file": "path relative to the seeds folder",
        "sha256": "SHA-256 of the bytes, when they could be read",
        "size_bytes": "file size, when known",
        "reason": "why the file is not a document (empty, binary, too_large, undecodable, changed_while_read, ...)",
        "detail": "human-readable specifics",
        "run_id": "the run that judged the file (runs.run_id)",
    },
    "boilerplate": {
        "doc_id": "the document it was removed from (documents.doc_id)",
        "line_no": "1-based line of the block's first line in the file (after the date header)",
        "line": "the removed text (a wrapped block is unwrapped into one line)",
        "rule": "the rule that removed it (photo_caption, advertisement, promo, related_link, navigation, ...)",
    },
    "sentences": {
        "sentence_id": "<doc_id>-s<index>",
        "doc_id": _DOC,
        "sentence_index": "0-based order in the document",
        "paragraph": "0-based paragraph in documents.clean_text",
        "char_start": "start offset: documents.clean_text[char_start:char_end] == text",
        "char_end": "end offset (exclusive) into documents.clean_text",
        "text": "the sentence",
        "is_heading": "a heading line (kept apart, never merged into a paragraph)",
    },
    "duplicates": {
        "doc_id_a": "the first document of the pair (doc_id_a < doc_id_b)",
        "doc_id_b": "the second document of the pair",
        "relation": "exact, near, contained (a shortened copy) or spun (synonym-substituted or reworded copy)",
        "score": "strength of the relation in [0, 1]",
        "method": "which signal found and verified the pair",
        "jaccard": "word-shingle Jaccard similarity",
        "containment_a_in_b": "share of a's shingles found in b",
        "containment_b_in_a": "share of b's shingles found in a",
        "shared_quotes": "verbatim quotations found in both",
        "shared_numbers": "numbers found in both",
        "aligned_sentences": "share of the shorter document's content words in sentences aligned with the other",
        "trigram_containment": "share of the shorter document's word 3-grams found in the other",
        "ordered_words": "share of the shorter document's content words found in the other in the same order",
        "lead_kept": "share of one document's lead sentence (rarity-weighted content words) found in the other's",
        "other_passages": "share of the shorter document's content 3-grams shared outside its largest shared passage",
        "meaning_aligned": "share of the shorter document's content words in sentences matched in meaning, in order, "
                           "to the other's (where the sentence-meaning path examined the pair, else 0)",
        "novel_anchors": "share of the shorter document's names and numbers the other never mentions (where the "
                         "document embeddings are close, else 0)",
    },
    "stories": {
        "story_id": "deterministic id of the story (documents about the same event)",
        "label": "short human-readable label (key entities and place)",
        "n_documents": "documents in the story",
        "n_distinct": "distinct duplicate groups in the story",
        "first_date": "earliest published_date of its documents",
        "last_date": "latest published_date of its documents",
        "doc_ids": "the documents (documents.doc_id)",
    },
    "claims": {
        "claim_id": "hash of document, claim span (a numeric claim's value span) and type",
        "doc_id": _DOC,
        "sentence_id": "the sentence it stands in (sentences.sentence_id)",
        "claim_type": "quote, reported or numeric",
        "text": "the claim as it stands in the article (clean_text[char_start:char_end])",
        "char_start": "start offset into documents.clean_text",
        "char_end": "end offset (exclusive) into documents.clean_text",
        "quote": "the words inside the quotation marks (quotes)",
        "speaker": "canonical full name (or organisation/document) of the source",
        "speaker_type": "person, organisation, document or group; null when the source is unnamed or unknown",
        "speaker_mention": "the mention as written ('she', 'Kuhrt', ...)",
        "speaker_role": "title or role stripped from the name",
        "cue": "the attribution cue (said, told, wrote, added, according to, ...)",
        "value": "normalised number (numeric claims)",
        "unit": "canonical unit, singular (numeric claims; README 'Numeric units')",
        "qualifier": "at_least, more_than, less_than, at_most, about, up_to; null when stated as exact (numeric claims)",
        "value_text": "the number's own span with its unit, without the qualifier (numeric claims)",
        "value_start": "start offset of value_text into documents.clean_text (numeric claims)",
        "value_end": "end offset (exclusive) of value_text into documents.clean_text (numeric claims)",
        "checkworthiness": "probability in [0, 1] that the claim is worth fact-checking",
        "claim_group_id": "the same claim across documents",
        "n_sources": "distinct duplicate groups carrying the claim (copies do not corroborate)",
    },
    "summaries": {
        "scope": "document or story",
        "scope_id": "documents.doc_id or stories.story_id",
        "headline": "one-line headline (stories)",
        "summary": "the summary text",
        "sentence_ids": "cited sentences.sentence_id, in summary order",
        "n_sentences": "length of sentence_ids",
        "n_words": "words in summary",
        "method": "how it was made",
    },
    "runs": {
        "run_id": "UTC start time of the run (YYYYmmddTHHMMSSffffffZ)",
        "started_at": "when the run started (UTC)",
        "finished_at": "when the run ended (UTC)",
        "status": "completed, unchanged (nothing new: no stage work) or failed",
        "mode": "incremental (unchanged documents reused) or full",
        "n_inputs": "files seen in the seeds folder",
        "n_new": "files cleaned in this run",
        "n_documents": "rows of documents after the run",
        "n_rejects": "rows of rejects after the run",
        "seconds_ingest": "seconds spent in the ingest stage",
        "seconds_clean": "seconds spent in the clean stage",
        "seconds_deduplicate": "seconds spent in the deduplicate stage",
        "seconds_extract_claims": "seconds spent in the extract_claims stage",
        "seconds_summarise": "seconds spent in the summarise stage",
        "message": "why a run failed, or what an unchanged run found",
        "flow_run_id": "the Prefect flow run's id (null: answered without a flow run, nothing changed)",
        "parameters": "the flow parameters of the run (JSON)",
        "config_hash": "SHA-256 of every stage setting and the pipeline version (as in _manifest.json)",
    },
}


DESCRIPTIONS["_clean_documents"] = {
    **{c: d for c, d in DESCRIPTIONS["documents"].items() if c not in ("duplicate_group", "is_canonical", "story_id")},
    "published_date": "the document's own publication date (header or dateline); null when date_source is 'none'",
    "date_source": "where published_date comes from: header, text (dateline), none (documents may fill it from a copy or the story)",
}


def description(table: str, column: str) -> str | None:
    """Return what a column of a table means (None for caches and unknown columns)."""
    return DESCRIPTIONS.get(table, {}).get(column)


@cache
def described(spec: Table) -> pa.Schema:
    """Return spec's schema with a `description` on each described field and grain/key in the schema metadata."""
    import pyarrow as pa

    fields = [f.with_metadata({"description": d}) if (d := description(spec.name, f.name)) else f for f in spec.schema]
    return pa.schema(fields, metadata={"table": spec.name, "grain": spec.grain, "key": json.dumps(list(spec.key))})
