"""Story summaries: one per story, canonical wording over a spun copy, groups spread, citations, seeds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.transforms.summarise.frames import frames, stories_frame
from transforms.clean import clean_documents
from transforms.summarise import SUMMARY_COLUMNS, summarise_stories

ORIGINAL = """Chinese President Xi Jinping departed Moscow on Wednesday after two days of highly symbolic meetings with Russian President Vladimir Putin.

The two presented a united front and an alternative vision for global leadership.

Russia became China's top oil supplier in January and February, supplanting Saudi Arabia."""

SPUN = """Chinese President Xi Jinping departed Moscow on Wednesday after two days of extremely symbolic conferences with Russian President Vladimir Putin.

The 2 introduced a united entrance and an alternate imaginative and prescient for international management.

Russia changed into China's most sensible oil provider in January and February, supplanting Saudi Arabia.

Analysts in Washington expect the pipeline talks to drag on for several more years."""

OTHER = """Xi Jinping promised to strengthen coordination with Russia at a Kremlin summit with Vladimir Putin.

Putin said Russia would be able to meet China's growing demand for energy after Western sanctions."""

THIRD = """Western leaders criticised China's peace plan for Ukraine as skewed toward Russia's interests.

Beijing hopes to arrange talks between Xi and Ukrainian President Volodymyr Zelensky soon."""

UNRELATED = "Floods closed roads across northern Italy on Sunday as rivers burst their banks after heavy rain."


def _story_frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    story = {"orig": "A", "spun": "A", "other": "A", "third": "A", "floods": "B"}
    docs, sents = frames(
        {"orig": ORIGINAL, "spun": SPUN, "other": OTHER, "third": THIRD, "floods": UNRELATED},
        groups={"orig": "g1", "spun": "g1"}, canonical={"spun": False}, story=story,
    )
    return docs, sents, stories_frame(story)


def test_one_row_per_story_with_headline_and_summary_columns() -> None:
    docs, sents, stories = _story_frames()
    out = summarise_stories(docs, sents, stories)
    assert list(out.columns) == SUMMARY_COLUMNS
    assert out["scope_id"].tolist() == ["A", "B"] and set(out["scope"]) == {"story"}
    for h in out["headline"]:
        assert h and "\n" not in h and len(h.split()) <= 18


def test_story_prefers_canonical_wording_and_spreads_over_groups() -> None:
    docs, sents, stories = _story_frames()
    row = summarise_stories(docs, sents, stories).set_index("scope_id").loc["A"]
    owner = dict(zip(sents["sentence_id"], sents["doc_id"]))
    text = dict(zip(sents["sentence_id"], sents["text"]))
    cited_docs = [owner[s] for s in row["sentence_ids"]]
    assert {"orig", "other", "third"} <= set(cited_docs)
    assert "imaginative and prescient" not in row["summary"] and "most sensible" not in row["summary"]
    spun_cited = [text[s] for s in row["sentence_ids"] if owner[s] == "spun"]
    assert all("Analysts in Washington" in t for t in spun_cited)  # only what the original lacks
    assert set(cited_docs) <= {"orig", "spun", "other", "third"}
    assert row["summary"] == " ".join(text[s] for s in row["sentence_ids"])


def test_inputs_unchanged_and_deterministic() -> None:
    docs, sents, stories = _story_frames()
    before = (docs.copy(deep=True), sents.copy(deep=True), stories.copy(deep=True))
    first = summarise_stories(docs, sents, stories)
    second = summarise_stories(docs.iloc[::-1], sents.iloc[::-1], stories)
    for frame, copy in zip((docs, sents, stories), before):
        pd.testing.assert_frame_equal(frame, copy)
    pd.testing.assert_frame_equal(first, second)


def test_story_without_sentences_falls_back_to_label() -> None:
    docs, sents, _ = _story_frames()
    stories = pd.DataFrame({"story_id": ["Z"], "label": ["An empty story"], "doc_ids": [["missing"]]})
    row = summarise_stories(docs, sents, stories).iloc[0]
    assert row["summary"] == "An empty story" and row["sentence_ids"] == []


def test_seed_story_a_cites_three_groups_and_no_spun_wording(gold: dict) -> None:
    seeds = sorted((Path(__file__).resolve().parents[3] / "seeds").glob("*.txt"))
    raw = pd.DataFrame({"doc_id": [p.name[:3] for p in seeds], "source_file": [p.name for p in seeds],
                        "sha256": ["0" * 64] * len(seeds), "encoding": ["utf-8"] * len(seeds),
                        "text": [p.read_text(encoding="utf-8") for p in seeds]})
    cleaned = clean_documents(raw, date(2026, 11, 22))
    story = {"000": "A", "001": "A", "003": "A", "004": "A", "002": "B"}
    docs = cleaned.documents.assign(
        duplicate_group=lambda d: d["doc_id"].replace({"001": "000"}),
        is_canonical=lambda d: d["doc_id"] != "001", story_id=lambda d: d["doc_id"].map(story),
    )
    out = summarise_stories(docs, cleaned.sentences, stories_frame(story)).set_index("scope_id")
    assert len(out) == 2
    owner = dict(zip(cleaned.sentences["sentence_id"], cleaned.sentences["doc_id"]))
    group = dict(zip(docs["doc_id"], docs["duplicate_group"]))
    cited = [owner[s] for s in out.loc["A", "sentence_ids"]]
    assert len({group[d] for d in cited}) >= 3
    summary = out.loc["A", "summary"].replace("’", "'").lower()
    assert not [p for p in gold["spun_markers"]["phrases"] if p.lower() in summary]


WORDS = ["gas", "pipeline", "Russia", "China", "trade", "talks", "summit", "energy", "price", "deal", "leaders"]
sentence = st.lists(st.sampled_from(WORDS), min_size=4, max_size=14).map(lambda w: " ".join(w).capitalize() + ".")
article = st.lists(sentence, min_size=1, max_size=6).map("\n\n".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(article, min_size=1, max_size=5), st.lists(st.sampled_from(["S1", "S2"]), min_size=5, max_size=5),
       st.lists(st.booleans(), min_size=5, max_size=5))
def test_properties_one_row_per_story_citations_in_story(
    texts: list[str], story_of: list[str], same_group: list[bool]
) -> None:
    ids = [f"d{i}" for i in range(len(texts))]
    story = dict(zip(ids, story_of))
    groups = {d: ("g" if same_group[i] and i else d) for i, d in enumerate(ids)}
    docs, sents = frames(dict(zip(ids, texts)), groups=groups, canonical={d: groups[d] == d for d in ids}, story=story)
    stories = stories_frame(story)
    out = summarise_stories(docs, sents, stories)
    assert out["scope_id"].tolist() == stories["story_id"].tolist()
    owner = dict(zip(sents["sentence_id"], sents["doc_id"]))
    for row in out.itertuples():
        cited = list(row.sentence_ids)
        assert cited and row.summary.strip() and len(set(cited)) == len(cited)
        assert all(story[owner[s]] == row.scope_id for s in cited)
        assert row.headline and "\n" not in row.headline
