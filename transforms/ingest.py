"""Decode an input file's bytes into text, or say precisely why it cannot become a document.

Input: raw bytes and the file's relative name. Output: a `Decoded` text with the encoding used, or a
`Rejection` with a reason code. No file I/O here: the flow reads the bytes.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass

import pandas as pd

# Reason codes for the rejects table; the README's data dictionary lists them.
EMPTY = "empty"
WHITESPACE_ONLY = "whitespace_only"
BINARY = "binary"
TOO_LARGE = "too_large"
UNSUPPORTED_EXTENSION = "unsupported_extension"
SYMLINK_OUTSIDE = "symlink_outside"
UNREADABLE = "unreadable"
UNDECODABLE = "undecodable"
EMPTY_AFTER_CLEANING = "empty_after_cleaning"
TOO_MANY_FILES = "too_many_files"
CHANGED_WHILE_READ = "changed_while_read"
TOO_LARGE_AFTER_CLEANING = "too_large_after_cleaning"

_CONTROL_OK = {"\t", "\n", "\r", "\f", "\v"}


@dataclass(frozen=True)
class IngestConfig:
    """Limits and accepted kinds of input files."""

    max_bytes: int = 5 * 1024 * 1024
    max_files: int = 100_000
    extensions: tuple[str, ...] = (".txt",)
    max_control_share: float = 0.01
    max_depth: int = 32
    """Folders nested deeper than this under the seeds folder are rejected, not walked."""
    max_chars: int = 8_000_000
    """Decoded characters per file: beyond this the text is not cleaned (its cleaning alone would cost ~0.6 GB)."""
    max_sentences: int = 5_000
    """Sentences per document after cleaning (a long feature has ~800): every later stage's memory is bounded by it."""
    max_clean_chars: int = 500_000
    """Characters per document after cleaning (~80,000 words, a book, not an article)."""


@dataclass(frozen=True)
class Decoded:
    """A file's text and the encoding it was read with."""

    text: str
    encoding: str


@dataclass(frozen=True)
class Rejection:
    """Why a file is not a document: a reason code and a human-readable detail."""

    reason: str
    detail: str


def content_sha256(data: bytes) -> str:
    """Return the hex SHA-256 of a file's bytes."""
    return hashlib.sha256(data).hexdigest()


def document_id(source_file: str, sha256: str) -> str:
    """Return the deterministic doc_id of a file: a hash of its content hash and its relative name."""
    return hashlib.sha256(f"{sha256}\0{source_file}".encode()).hexdigest()[:16]


def check_extension(source_file: str, config: IngestConfig = IngestConfig()) -> Rejection | None:
    """Return a rejection when the file's extension is not accepted, else None."""
    lower = source_file.lower()
    if any(lower.endswith(ext) for ext in config.extensions):
        return None
    return Rejection(UNSUPPORTED_EXTENSION, f"extension not in {list(config.extensions)}")


def decode(data: bytes, config: IngestConfig = IngestConfig()) -> Decoded | Rejection:
    """Decode bytes as UTF-8 (with or without BOM; a few invalid bytes replaced) or UTF-16 with BOM, else cp1252; reject empty or binary input."""
    if not data:
        return Rejection(EMPTY, "file has 0 bytes")
    if len(data) > config.max_bytes:
        return Rejection(TOO_LARGE, f"{len(data)} bytes > limit {config.max_bytes}")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            return Rejection(UNDECODABLE, f"UTF-16 BOM but invalid UTF-16: {exc.reason} at byte {exc.start}")
    elif b"\x00" in data:
        return Rejection(BINARY, f"NUL byte at offset {data.index(0)}")
    elif data.startswith(codecs.BOM_UTF8):
        text, encoding = _decode_8bit(data[3:])
        encoding = "utf-8-sig" if encoding == "utf-8" else encoding
    else:
        text, encoding = _decode_8bit(data)
    if len(text) > config.max_chars:
        return Rejection(TOO_LARGE, f"{len(text)} characters > limit {config.max_chars}")
    if not text.strip():
        return Rejection(WHITESPACE_ONLY, f"{len(data)} bytes of whitespace only")
    controls = sum(1 for ch in text if ch < " " and ch not in _CONTROL_OK)
    if controls > config.max_control_share * len(text):
        return Rejection(BINARY, f"{controls} control characters in {len(text)} characters")
    return Decoded(text=text, encoding=encoding)


def _decode_8bit(data: bytes) -> tuple[str, str]:
    """Decode UTF-8; when invalid, keep UTF-8 (invalid bytes replaced) if valid multi-byte characters outnumber the invalid bytes, else cp1252."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # A few stray bytes in a UTF-8 file must not turn every curly quote and accent into cp1252 mojibake.
    lenient = data.decode("utf-8", errors="replace")
    replaced = lenient.count("\ufffd")
    invalid = replaced - data.count(b"\xef\xbf\xbd")
    multibyte = len(lenient) - len(lenient.encode("ascii", "ignore")) - replaced
    if multibyte > invalid:
        return lenient, "utf-8-replace"
    return data.decode("cp1252", errors="replace"), "cp1252"


def cap_cleaned(documents: pd.DataFrame, sentences: pd.DataFrame, boilerplate: pd.DataFrame, rejects: pd.DataFrame,
                config: IngestConfig = IngestConfig()) -> dict[str, pd.DataFrame]:
    """Move cleaned documents over the per-document caps (sentences, characters) to the rejects as
    `too_large_after_cleaning`, with their sentences and boilerplate; return the four frames (inputs unchanged)."""
    n_chars = documents["clean_text"].str.len()
    over = (documents["n_sentences"] > config.max_sentences) | (n_chars > config.max_clean_chars)
    if not over.any():
        return {"documents": documents, "sentences": sentences, "boilerplate": boilerplate, "rejects": rejects}
    big = documents[over]
    details = [f"{n_sent} sentences and {n_char} characters after cleaning > limits {config.max_sentences} "
               f"sentences, {config.max_clean_chars} characters (a book or a data dump, not an article)"
               for n_sent, n_char in zip(big["n_sentences"].tolist(), n_chars[over].tolist())]
    capped = pd.DataFrame({"source_file": big["source_file"].tolist(), "sha256": big["sha256"].tolist(),
                           "size_bytes": [None] * len(big), "reason": TOO_LARGE_AFTER_CLEANING, "detail": details},
                          columns=list(rejects.columns))
    dropped = set(big["doc_id"])
    return {
        "documents": documents[~over],
        "sentences": sentences[~sentences["doc_id"].isin(dropped)],
        "boilerplate": boilerplate[~boilerplate["doc_id"].isin(dropped)],
        "rejects": pd.concat([rejects, capped], ignore_index=True) if len(rejects) else capped,
    }
