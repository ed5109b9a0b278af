"""End to end: the flow on the five seeds under a Prefect test harness, checked against the gold results."""

from __future__ import annotations

import re
import shutil
from collections import defaultdict
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from newsflow import catalogue
from newsflow.workspace import read_manifest
from tests.reliability.support import parquet_files
from transforms.claims.numeric import canonical_unit

_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "})
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def fold(text: object) -> str:
    """Fold typographic quotes/dashes to ASCII, collapse whitespace, lower-case (as the gold's matching does)."""
    return re.sub(r"\s+", " ", str(text or "").translate(_FOLD).replace("\u2026", "...")).strip().lower()


@pytest.fixture(scope="module")
def run(prefect_harness, tmp_path_factory) -> tuple[Path, object]:
    """Run the flow once on a copy of the seeds; return the data folder and the run summary."""
    from flows.pipeline import pipeline

    root = tmp_path_factory.mktemp("e2e")
    shutil.copytree(SEEDS, root / "seeds")
    summary = pipeline(seeds=str(root / "seeds"), data=str(root / "data"))
    return root / "data", summary


@pytest.fixture(scope="module")
def tables(run) -> dict[str, pd.DataFrame]:
    data, _ = run
    return {name: pd.read_parquet(data / f"{name}.parquet") for name in catalogue.TABLES}


@pytest.fixture(scope="module")
def by_file(tables) -> dict[str, dict]:
    return {Path(r["source_file"]).name: r for r in tables["documents"].to_dict("records")}


def test_run_completes_and_publishes_every_table(run, tables):
    data, summary = run
    assert summary.status == "completed"
    assert [s.stage for s in summary.stages] == ["ingest", "clean", "deduplicate", "extract_claims", "summarise"]
    assert set(read_manifest(data)["tables"]) == (set(catalogue.TABLES) | set(catalogue.INTERNAL) | set(catalogue.CACHES)) - {"runs"}
    assert all(not name.startswith("_") for name in catalogue.TABLES)
    assert all(n.startswith("_") for n in (*catalogue.INTERNAL, *catalogue.CACHES))
    assert len(tables["documents"]) == 5 and tables["rejects"].empty
    assert tables["runs"]["status"].tolist() == ["completed"]
    assert (data / "validation" / "documents.json").exists()
    assert (data / "validation" / "docs" / "index.html").exists()
    assert not (data / ".staging").exists() or not any((data / ".staging").iterdir())


def test_clean_gold(tables, by_file, gold):
    removed = defaultdict(str)
    for doc_id, line in zip(tables["boilerplate"]["doc_id"], tables["boilerplate"]["line"]):
        removed[doc_id] += " " + fold(line)
    for item in gold["boilerplate_to_remove"]:
        doc = by_file[item["doc"]]
        assert fold(item["contains"]) not in fold(doc["clean_text"]), item
        assert fold(item["contains"]) in removed[doc["doc_id"]], item
    for item in gold["content_to_keep"]:
        assert fold(item["contains"]) in fold(by_file[item["doc"]]["clean_text"]), item
    headings = {fold(t) for t, h in zip(tables["sentences"]["text"], tables["sentences"]["is_heading"]) if h}
    assert {fold(h["text"]) for h in gold["headings"]} <= headings
    wrapped = next(i for i in gold["content_to_keep"] if "wrapped" in i.get("note", ""))
    assert any(fold(wrapped["contains"]) in fold(t) for t in tables["sentences"]["text"])
    for name, doc in gold["documents"].items():
        if doc["header_date"]:
            assert str(by_file[name]["published_date"]) == doc["header_date"]
            assert by_file[name]["date_source"] == "header"


def test_dedup_gold(tables, by_file, gold):
    id2file = {r["doc_id"]: name for name, r in by_file.items()}
    pairs = {frozenset((id2file[a], id2file[b])) for a, b in zip(tables["duplicates"]["doc_id_a"], tables["duplicates"]["doc_id_b"])}
    assert pairs == {frozenset((p["a"], p["b"])) for p in gold["duplicate_pairs"]}
    assert set(tables["duplicates"]["relation"]) <= {"spun", "contained"}
    stories = defaultdict(set)
    for name, doc in by_file.items():
        stories[doc["story_id"]].add(name)
    assert {frozenset(s) for s in stories.values()} == {frozenset(s["docs"]) for s in gold["stories"].values()}
    for name, doc in gold["documents"].items():
        got = by_file[name]["published_date"]
        assert got is not None, name
        assert abs((got - date.fromisoformat(doc["expected_date"])).days) <= doc.get("date_tolerance_days", 0), name
    assert by_file["000_0d12fd25cb99f203.txt"]["date_source"] == "duplicate"


def test_claims_gold(tables, by_file, gold):
    id2file = {r["doc_id"]: name for name, r in by_file.items()}
    claims = tables["claims"].assign(file=lambda f: f["doc_id"].map(id2file))
    quotes = claims[claims["claim_type"] == "quote"]
    found = named = right = 0
    for item in gold["quotes"]:
        want = fold(item["contains"])
        hits = quotes[(quotes["file"] == item["doc"]) & quotes["quote"].map(lambda q: want in fold(q) or (fold(q) and fold(q) in want and len(fold(q)) >= 0.6 * len(want)))]
        if hits.empty:
            continue
        found += 1
        options = item.get("speaker_options") or ([item["speaker"]] if item.get("speaker") else [])
        if options and not item.get("speaker_any"):
            named += 1
            right += any(fold(o).split()[-1] in fold(s) for s in hits["speaker"] for o in options)
    assert found >= len(gold["quotes"]) - 2
    assert right >= 0.9 * named
    assert not any("partnership when putin visited xi" in fold(q) for q in quotes["quote"])
    numeric = claims[claims["claim_type"] == "numeric"]
    for item in gold["numeric_claims"]:
        sub = numeric[numeric["file"] == item["doc"]]
        assert any(abs(v - item["value"]) <= 0.01 * abs(item["value"]) and canonical_unit(item["unit"]) == u
                   for v, u in zip(sub["value"], sub["unit"])), item  # units are canonical: "barrels per day" → "barrel per day"
    for item in gold["cross_source_claims"]:
        groups = [set(claims[(claims["file"] == d) & claims["text"].map(lambda t: fold(item["key"]) in fold(t))]["claim_group_id"]) for d in item["docs"]]
        assert set.intersection(*groups), item


def test_summaries_gold(tables, by_file, gold):
    summaries, sentences = tables["summaries"], tables["sentences"]
    assert (summaries["scope"] == "document").sum() == 5 and (summaries["scope"] == "story").sum() == 2
    sentence_doc = dict(zip(sentences["sentence_id"], sentences["doc_id"]))
    group_of = {r["doc_id"]: r["duplicate_group"] for r in by_file.values()}
    story_a = {by_file[f]["story_id"] for f in gold["stories"]["A"]["docs"]}.pop()
    row = summaries[(summaries["scope"] == "story") & (summaries["scope_id"] == story_a)].iloc[0]
    assert len({group_of[sentence_doc[s]] for s in row["sentence_ids"]}) >= 3
    assert not [m for m in gold["spun_markers"]["phrases"] if fold(m) in fold(row["summary"])]
    assert row["headline"]


def test_rerun_with_no_change_is_byte_identical(run):
    from flows.pipeline import pipeline

    data, summary = run
    before = parquet_files(data, skip=("runs",))
    again = pipeline(seeds=str(data.parent / "seeds"), data=str(data))
    assert again.status == "unchanged" and [s.stage for s in again.stages] == ["ingest"]
    after = parquet_files(data, skip=("runs",))
    assert after == before
    assert pd.read_parquet(data / "runs.parquet")["status"].tolist() == ["completed", "unchanged"]


def test_stories_digest_shows_each_story_with_its_summary_and_top_claims(run, tables):
    """The markdown artifact: one section per story (largest first) with its headline, summary and top claims."""
    from flows.reporting import stories_markdown

    data, summary = run
    digest = stories_markdown(data, summary)
    stories = tables["stories"].sort_values(["n_documents", "story_id"], ascending=[False, True])
    summaries = tables["summaries"][tables["summaries"]["scope"] == "story"].set_index("scope_id")
    sections = digest.split("\n## ")[1:]
    assert len(sections) == len(stories)
    for section, story in zip(sections, stories.to_dict("records")):
        headline = summaries.loc[story["story_id"], "headline"] or story["label"]
        assert section.startswith(f"{headline}\n*{story['n_documents']} documents, {story['n_distinct']} distinct; ")
        assert summaries.loc[story["story_id"], "summary"] in section
        shown = [line for line in section.splitlines() if line.startswith("- (")]
        scores = [float(line[3:7]) for line in shown]
        assert 1 <= len(shown) <= 3 and scores == sorted(scores, reverse=True)
        assert all(re.match(r"- \(\d\.\d\d, \d+ sources\) ", line) for line in shown)
