import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms import ingest
from transforms.ingest import Decoded, IngestConfig, Rejection, decode


def test_utf8_plain_and_with_bom():
    assert decode("Xi’s visit".encode()) == Decoded("Xi’s visit", "utf-8")
    assert decode(codecs.BOM_UTF8 + "Xi’s visit".encode()) == Decoded("Xi’s visit", "utf-8-sig")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec):
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    got = decode(bom + "“Quoted” text".encode(codec))
    assert got == Decoded("“Quoted” text", "utf-16")


def test_cp1252_fallback_is_recorded():
    got = decode("\u201cSmart\u201d quotes".encode("cp1252"))
    assert got == Decoded("\u201cSmart\u201d quotes", "cp1252")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", ingest.EMPTY),
        (b"  \n\t \r\n", ingest.WHITESPACE_ONLY),
        (b"text\x00more", ingest.BINARY),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ingest.BINARY),
        (b"a" * 11, ingest.TOO_LARGE),
        (b"abc" + b"\x01\x02\x03\x04" * 3, ingest.BINARY),
    ],
)
def test_rejections_have_specific_reasons(data, reason):
    got = decode(data, IngestConfig(max_bytes=10 if reason == ingest.TOO_LARGE else 1000))
    assert isinstance(got, Rejection) and got.reason == reason and got.detail


def test_extension_check():
    assert ingest.check_extension("a/b.TXT") is None
    assert ingest.check_extension("notes.md").reason == ingest.UNSUPPORTED_EXTENSION


def test_document_id_depends_on_content_and_name():
    a = ingest.document_id("a.txt", "0" * 64)
    assert a == ingest.document_id("a.txt", "0" * 64)
    assert a != ingest.document_id("b.txt", "0" * 64)
    assert a != ingest.document_id("a.txt", "1" * 64)
    assert len(a) == 16


@given(st.binary(max_size=300))
def test_decode_never_raises(data):
    got = decode(data)
    assert isinstance(got, (Decoded, Rejection))
    if isinstance(got, Decoded):
        assert got.text.strip()
