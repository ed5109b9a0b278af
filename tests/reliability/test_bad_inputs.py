"""Bad-input matrix: ONE flow run over the good seeds plus every bad-input case, then per-case assertions.

Every file must end as exactly one document or one reject with a specific reason, and the five good seeds
must come out exactly as they do when run alone (the gold scorer's lines and their rows are unchanged).
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from newsflow import sources
from transforms import ingest

from tests.reliability.support import (
    BASE, BIG_FILE_BYTES, GOLD, RUN_METADATA, SCORER, VANISHING, build_cases, build_matrix, read_tables, score, seeds_only,
    without_run_metadata,
)

CASES = build_cases()
REASONS = {ingest.EMPTY, ingest.WHITESPACE_ONLY, ingest.BINARY, ingest.TOO_LARGE, ingest.UNSUPPORTED_EXTENSION,
           ingest.SYMLINK_OUTSIDE, ingest.UNREADABLE, ingest.UNDECODABLE, ingest.EMPTY_AFTER_CLEANING,
           ingest.TOO_MANY_FILES, ingest.CHANGED_WHILE_READ, ingest.TOO_LARGE_AFTER_CLEANING}


def _case_params():
    return [pytest.param(c, id=c.name, marks=[pytest.mark.xfail(strict=True, reason=c.known_bug)] if c.known_bug else [])
            for c in CASES]


@pytest.fixture(scope="module")
def tables(matrix_run) -> dict[str, pd.DataFrame]:
    return matrix_run.tables


@pytest.fixture(scope="module")
def outcome(tables) -> dict[str, dict]:
    """source_file -> {"kind": "document"|reason, "row": its row}."""
    out: dict[str, dict] = {}
    for row in tables["documents"].to_dict("records"):
        out[row["source_file"]] = {"kind": "document", "row": row}
    for row in tables["rejects"].to_dict("records"):
        assert row["source_file"] not in out, f"{row['source_file']!r} is both a document and a reject"
        out[row["source_file"]] = {"kind": row["reason"], "row": row}
    return out


def test_matrix_run_completes_and_accounts_for_every_file(matrix_run, tables, outcome, timings):
    timings["flow run: good seeds + all bad inputs"] = matrix_run.seconds
    for stage in matrix_run.summary.stages:
        timings[f"flow run: good seeds + all bad inputs: {stage.stage}"] = stage.seconds
    assert matrix_run.summary.status == "completed"
    assert set(outcome) == set(matrix_run.expected), "every file is a document or a reject, nothing else appears"
    assert matrix_run.summary.n_inputs == len(outcome)
    assert len(tables["documents"]) + len(tables["rejects"]) == matrix_run.summary.n_inputs
    assert set(tables["rejects"]["reason"]) <= REASONS
    assert tables["rejects"]["detail"].str.len().min() > 0
    assert not (matrix_run.data / ".staging").exists() or not any((matrix_run.data / ".staging").iterdir())


@pytest.mark.parametrize("case", _case_params())
def test_case_outcome(case, outcome):
    for source_file, want in case.expect.items():
        got = outcome.get(source_file)
        assert got is not None, f"{source_file!r} vanished: neither a document nor a reject"
        assert got["kind"] == want, f"{source_file!r}: {got['kind']} ({got['row'].get('detail', '')}), want {want}"
        if want != "document":
            assert got["row"]["detail"], source_file
        if case.same_text_as:
            assert got["row"]["clean_text"] == outcome[case.same_text_as]["row"]["clean_text"], source_file


def test_encodings_are_recorded_and_text_is_not_mangled(outcome):
    enc = {f: outcome[f]["row"]["encoding"] for f in ("utf16.txt", "utf16be.txt", "utf8bom.txt", "crlf.txt", "cp1252.txt",
                                                      "invalid_utf8.txt", BASE)}
    assert enc == {"utf16.txt": "utf-16", "utf16be.txt": "utf-16", "utf8bom.txt": "utf-8-sig", "crlf.txt": "utf-8",
                   "cp1252.txt": "cp1252", "invalid_utf8.txt": "utf-8-replace", BASE: "utf-8"}
    quote = "“This is the most important decision we have taken in a decade,”"
    assert quote in outcome["cp1252.txt"]["row"]["clean_text"] and "café" in outcome["cp1252.txt"]["row"]["clean_text"]
    # A few stray bytes must not turn the rest of a UTF-8 file into cp1252 mojibake.
    mangled = outcome["invalid_utf8.txt"]["row"]["clean_text"]
    assert "“People have waited long enough" in mangled and "â€" not in mangled


def test_too_large_file_is_rejected_without_being_read(outcome):
    row = outcome["big_50mb.txt"]["row"]
    assert row["size_bytes"] == BIG_FILE_BYTES and pd.isna(row["sha256"])  # never hashed, so never read
    assert "limit" in row["detail"]


def test_documents_over_the_cleaned_size_caps_are_rejects_that_name_the_limits(outcome):
    # A 1 MB line and 5,000 sentences of dialogue are over the per-document caps (ingest.IngestConfig) that bound
    # every later stage's memory: each is a reject saying by how much, never a silent drop or a crash.
    for name in ("one_line.txt", "quotes.txt"):
        row = outcome[name]["row"]
        assert outcome[name]["kind"] == "too_large_after_cleaning"
        assert "after cleaning > limits" in row["detail"] and row["sha256"]
        assert row["size_bytes"] > 100_000  # the size ingest read, as for every other reject


def test_bad_header_dates_are_reported_not_used(outcome, matrix_run):
    impossible = outcome["bad_date.txt"]["row"]
    assert "impossible header date 2023-02-30" in impossible["date_issue"] and impossible["date_source"] != "header"
    future = outcome["future_date.txt"]["row"]
    assert future["date_issue"].startswith("future header date") and future["date_source"] != "header"
    for row in (impossible, future):
        assert row["published_date"] is None or row["published_date"] <= date.today()


def test_same_bytes_under_two_names_are_two_documents_of_one_duplicate_group(outcome, tables):
    a, b = outcome["copy_a.txt"]["row"], outcome["nested/copy_b.txt"]["row"]
    assert a["sha256"] == b["sha256"] and a["doc_id"] != b["doc_id"]
    assert a["duplicate_group"] == b["duplicate_group"]
    dup = tables["duplicates"]
    pair = dup[dup["doc_id_a"].isin([a["doc_id"], b["doc_id"]]) & dup["doc_id_b"].isin([a["doc_id"], b["doc_id"]])]
    assert pair["relation"].tolist() == ["exact"]
    inside, target = outcome["link_inside.txt"]["row"], outcome["target_inside.txt"]["row"]
    assert inside["sha256"] == target["sha256"]


def test_vanished_file_is_a_reject_naming_the_cause(outcome):
    assert "No such file" in outcome[VANISHING]["row"]["detail"]


def _seed_ids(gold: dict, docs: pd.DataFrame) -> set[str]:
    return set(docs.loc[docs["source_file"].isin(gold["documents"]), "doc_id"])


def test_seed_rows_of_clean_and_claims_are_identical_with_and_without_bad_inputs(matrix_run, good_run):
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    mixed, alone = matrix_run.tables, good_run.tables
    seed_ids = _seed_ids(gold, alone["documents"])
    assert len(seed_ids) == len(gold["documents"])
    corpus_wide = {"documents": ("published_date", "date_source", "duplicate_group", "is_canonical", "story_id"),
                   "claims": ("claim_group_id", "n_sources")}
    for name in ("documents", "sentences", "boilerplate", "claims"):
        drop = RUN_METADATA.get(name, ()) + corpus_wide.get(name, ())
        cols = [c for c in alone[name].columns if c not in drop]
        a = alone[name][alone[name]["doc_id"].isin(seed_ids)].loc[:, cols].reset_index(drop=True)
        m = mixed[name][mixed[name]["doc_id"].isin(seed_ids)].loc[:, cols].reset_index(drop=True)
        pd.testing.assert_frame_equal(m, a, obj=name)
    summaries = {k: t["summaries"][(t["summaries"]["scope"] == "document") & t["summaries"]["scope_id"].isin(seed_ids)]
                 for k, t in (("alone", alone), ("mixed", mixed))}
    pd.testing.assert_frame_equal(summaries["mixed"].reset_index(drop=True), summaries["alone"].reset_index(drop=True))


def test_seed_duplicates_stories_and_dates_are_unchanged_by_bad_inputs(matrix_run, good_run):
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    mixed, alone = matrix_run.tables, good_run.tables
    seed_ids = _seed_ids(gold, alone["documents"])

    def seed_view(t: dict[str, pd.DataFrame]) -> tuple:
        docs = t["documents"].set_index("doc_id")
        seeds = docs.loc[sorted(seed_ids)]
        partition = sorted(sorted(g.index) for _, g in seeds.groupby("story_id"))
        joined = {s: int((docs["story_id"] == s).sum()) - int((seeds["story_id"] == s).sum()) for s in seeds["story_id"]}
        dup = t["duplicates"]
        pairs = dup[dup["doc_id_a"].isin(seed_ids) & dup["doc_id_b"].isin(seed_ids)]
        return (partition, sorted(joined.values()), seeds[["published_date", "date_source"]].to_dict("records"),
                pairs[["doc_id_a", "doc_id_b", "relation"]].to_dict("records"))

    got, want = seed_view(mixed), seed_view(alone)
    assert got[1] == [0] * len(got[1]), "a bad-input document joined a seed story"
    assert got == want


@pytest.mark.skipif(not SCORER.exists(), reason="the shared gold scorer is not on this machine")
def test_gold_scorer_lines_of_the_seeds_are_unchanged(matrix_run, good_run, tmp_path):
    alone = score(seeds_only(good_run.data, tmp_path / "alone"))
    mixed = score(seeds_only(matrix_run.data, tmp_path / "mixed"))
    assert alone and mixed == alone


# ---- Unit-level cases that a single flow run cannot stage ----------------------------------------------------

def test_file_vanishing_between_listing_and_stat_is_a_reject(tmp_path):
    seed = sources._describe(tmp_path, tmp_path / "gone.txt", ingest.IngestConfig())
    assert seed.rejection.reason == ingest.UNREADABLE and "cannot stat" in seed.rejection.detail


def test_file_swapped_for_an_outside_symlink_after_listing_is_not_followed(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    (tmp_path / "seeds" / "a.txt").write_text("Body.")
    [seed] = sources.scan(tmp_path / "seeds")
    (tmp_path / "seeds" / "a.txt").unlink()
    (tmp_path / "seeds" / "a.txt").symlink_to(tmp_path / "secret.txt")
    got = sources.read(seed)
    assert got.data is None and got.rejection.reason in (ingest.UNREADABLE, ingest.SYMLINK_OUTSIDE)


def test_inside_symlink_retargeted_outside_after_listing_is_rejected(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    (tmp_path / "seeds" / "a.txt").write_text("Body.")
    (tmp_path / "seeds" / "link.txt").symlink_to(tmp_path / "seeds" / "a.txt")
    seed = next(s for s in sources.scan(tmp_path / "seeds") if s.source_file == "link.txt")
    (tmp_path / "seeds" / "link.txt").unlink()
    (tmp_path / "seeds" / "link.txt").symlink_to(tmp_path / "secret.txt")
    got = sources.read(seed)
    assert got.data is None and got.rejection.reason == ingest.SYMLINK_OUTSIDE


def test_file_swapped_for_a_fifo_after_listing_does_not_hang(tmp_path):
    import os

    (tmp_path / "a.txt").write_text("Body.")
    [seed] = sources.scan(tmp_path)
    (tmp_path / "a.txt").unlink()
    os.mkfifo(tmp_path / "a.txt")
    t0 = time.perf_counter()
    got = sources.read(seed)
    assert got.rejection.reason == ingest.UNREADABLE and time.perf_counter() - t0 < 1


def test_file_grown_past_the_limit_after_listing_is_rejected_and_read_no_further(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"a" * 100)
    config = ingest.IngestConfig(max_bytes=1000)
    [seed] = sources.scan(tmp_path, config)
    (tmp_path / "a.txt").write_bytes(b"a" * 10_000)
    got = sources.read(seed, config)
    assert got.rejection.reason == ingest.TOO_LARGE and len(got.data) == config.max_bytes + 1


def test_fifty_megabyte_file_is_judged_by_its_size_alone(tmp_path, monkeypatch):
    with open(tmp_path / "big.txt", "wb") as fh:
        fh.truncate(BIG_FILE_BYTES)
    opened: list[str] = []
    real_open = sources.os.open
    monkeypatch.setattr(sources.os, "open", lambda p, *a, **k: opened.append(str(p)) or real_open(p, *a, **k))
    [seed] = sources.scan(tmp_path)
    got = sources.read(seed)
    assert got.rejection.reason == ingest.TOO_LARGE and got.data is None and opened == []


def test_file_count_limit_rejects_the_overflow_by_name(tmp_path):
    for i in range(5):
        (tmp_path / f"{i}.txt").write_text("Body.")
    found = sources.scan(tmp_path, ingest.IngestConfig(max_files=3))
    assert [s.rejection.reason if s.rejection else None for s in found] == [None, None, None, ingest.TOO_MANY_FILES,
                                                                            ingest.TOO_MANY_FILES]


@pytest.mark.parametrize("data, encoding", [
    ("Plain ASCII.".encode(), "utf-8"),
    ("It’s “quoted” — café.".encode() + b"\xff", "utf-8-replace"),
    ("It’s “quoted” — café.".encode("cp1252"), "cp1252"),
    (b"\xef\xbb\xbf" + "It’s fine.".encode(), "utf-8-sig"),
    (b"\xef\xbb\xbf" + "It’s “quoted”.".encode("cp1252"), "cp1252"),
])
def test_decode_keeps_utf8_with_a_few_stray_bytes_and_falls_back_to_cp1252(data, encoding):
    got = ingest.decode(data)
    assert isinstance(got, ingest.Decoded) and got.encoding == encoding
    assert "â€" not in got.text


def test_matrix_builds_without_a_flow(tmp_path):
    """The matrix itself is sound: every expected name exists on disk (or is a dangling/special entry)."""
    expected = build_matrix(tmp_path / "seeds", tmp_path / "outside", build_cases(), with_good_seeds=False)
    listed = {s.source_file for s in sources.scan(tmp_path / "seeds")}
    assert listed == set(expected)
