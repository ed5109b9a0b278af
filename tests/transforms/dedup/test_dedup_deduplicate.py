from datetime import date
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from newsflow import catalogue
from tests.transforms.dedup.conftest import frame
from transforms.dedup import ADDED_COLUMNS, DedupConfig, deduplicate

SEEDS = Path(__file__).resolve().parents[3] / "seeds"


def _seed_documents() -> pd.DataFrame:
    texts, dates = {}, {}
    for f in sorted(SEEDS.glob("*.txt")):
        text = f.read_text(encoding="utf-8", errors="replace")
        head = text.strip().split(" ", 2)
        if head[0] == "date":
            dates[f.name[:3]] = date.fromisoformat(head[1])
            text = head[2]
        texts[f.name[:3]] = text
    return frame(texts, dates)


def test_relations_groups_canonical_and_dates_on_copies(copies):
    before = copies.copy(deep=True)
    res = deduplicate(copies)
    assert copies.equals(before)
    rel = {(a, b): r for a, b, r in res.duplicates[["doc_id_a", "doc_id_b", "relation"]].itertuples(index=False)}
    assert rel[("d0", "d1")] == "exact" and rel[("d0", "d2")] == "near"
    assert rel[("d0", "d3")] == "contained" and rel[("d0", "d4")] == "spun"
    assert not any("d5" in k for k in rel)
    docs = res.documents.set_index("doc_id")
    assert docs.loc[[f"d{i}" for i in range(5)], "duplicate_group"].nunique() == 1
    assert docs["is_canonical"].sum() == 2 and not docs.loc["d4", "is_canonical"]
    assert docs.loc["d3", "published_date"] == date(2024, 6, 4) and docs.loc["d3", "date_source"] == "duplicate"
    assert docs.loc["d0", "date_source"] == "header"


def test_outputs_conform_to_the_catalogue(copies):
    res = deduplicate(copies)
    catalogue.to_arrow("duplicates", res.duplicates)
    catalogue.to_arrow("stories", res.stories)
    assert list(res.documents.columns) == list(copies.columns) + list(ADDED_COLUMNS)
    assert (res.duplicates["doc_id_a"] < res.duplicates["doc_id_b"]).all()
    assert res.stories["n_documents"].sum() == len(copies)


def test_empty_input_gives_empty_tables(copies):
    res = deduplicate(copies.iloc[:0])
    assert res.documents.empty and res.duplicates.empty and res.stories.empty
    catalogue.to_arrow("duplicates", res.duplicates)


@settings(max_examples=8, deadline=None)
@given(st.permutations(list(range(6))))
def test_row_order_does_not_change_the_result(perm):
    from tests.transforms.dedup.conftest import ORIGINAL, UNRELATED, near_copy, shortened, spin
    base = frame({"d0": ORIGINAL, "d1": ORIGINAL, "d2": near_copy(ORIGINAL), "d3": shortened(ORIGINAL),
                  "d4": spin(ORIGINAL), "d5": UNRELATED}, {"d0": date(2024, 6, 4)})
    a = deduplicate(base)
    b = deduplicate(base.iloc[list(perm)])
    assert a.duplicates.equals(b.duplicates) and a.stories.equals(b.stories)
    cols = ["doc_id", *ADDED_COLUMNS, "published_date", "date_source"]
    assert a.documents[cols].sort_values("doc_id").reset_index(drop=True).equals(
        b.documents[cols].sort_values("doc_id").reset_index(drop=True))


def test_rerun_on_own_output_is_identical(copies):
    first = deduplicate(copies)
    second = deduplicate(first.documents.drop(columns=list(ADDED_COLUMNS)))
    assert first.documents.equals(second.documents) and first.duplicates.equals(second.duplicates)


def test_seeds_one_pair_and_000_dated_from_its_copy():
    res = deduplicate(_seed_documents(), DedupConfig())
    pairs = res.duplicates[["doc_id_a", "doc_id_b", "relation"]].values.tolist()
    assert len(pairs) == 1 and pairs[0][:2] == ["000", "001"] and pairs[0][2] in ("spun", "contained")
    docs = res.documents.set_index("doc_id")
    assert docs.loc["000", "published_date"] == date(2023, 3, 22) and docs.loc["000", "date_source"] == "duplicate"
    assert docs.loc["000", "is_canonical"] and not docs.loc["001", "is_canonical"]


def test_seeds_stories_are_the_two_events():
    res = deduplicate(_seed_documents())
    got = {frozenset(ids) for ids in res.stories["doc_ids"]}
    assert got == {frozenset({"000", "001", "003", "004"}), frozenset({"002"})}


def test_cached_signatures_give_the_same_result(copies):
    from transforms.dedup import document_signatures
    cached = document_signatures(copies.iloc[::-1])
    a, b = deduplicate(copies), deduplicate(copies, signatures=cached)
    assert a.duplicates.equals(b.duplicates) and a.documents.equals(b.documents)


def test_a_trimmed_reordered_reworded_copy_is_paired_and_an_independent_report_is_not():
    from tests.transforms.dedup.conftest import EDITED, ORIGINAL, SAME_EVENT, UNRELATED

    res = deduplicate(frame({"o": ORIGINAL, "e": EDITED, "s": SAME_EVENT, "u": UNRELATED}))
    pairs = {(a, b): r for a, b, r in res.duplicates[["doc_id_a", "doc_id_b", "relation"]].itertuples(index=False)}
    assert set(pairs) == {("e", "o")}
    row = res.duplicates.iloc[0]
    assert row["trigram_containment"] >= DedupConfig().edited_trigram_threshold
    assert row["ordered_words"] >= DedupConfig().edited_order_threshold


def test_an_answer_keeping_the_lead_and_a_later_passage_is_paired_and_a_shared_opening_is_not():
    from tests.transforms.dedup.conftest import ANSWER, OPENING, ORIGINAL, SAME_EVENT

    cfg = DedupConfig()
    res = deduplicate(frame({"o": ORIGINAL, "a": ANSWER, "p": OPENING, "s": SAME_EVENT}))
    assert res.duplicates[["doc_id_a", "doc_id_b"]].apply(tuple, axis=1).tolist() == [("a", "o")]
    row = res.duplicates.iloc[0]
    assert row["method"] == "trigram+lead" and row["ordered_words"] < cfg.edited_order_threshold
    assert row["lead_kept"] >= cfg.edited_lead_threshold and row["other_passages"] >= cfg.edited_other_passages


def test_a_heavily_reworded_copy_is_paired_by_sentence_meaning_and_a_same_event_report_is_not():
    from tests.transforms.dedup.conftest import ORIGINAL, REWRITTEN, SAME_EVENT, UNRELATED

    cfg = DedupConfig()
    res = deduplicate(frame({"o": ORIGINAL, "r": REWRITTEN, "s": SAME_EVENT, "u": UNRELATED}))
    assert res.duplicates[["doc_id_a", "doc_id_b"]].apply(tuple, axis=1).tolist() == [("o", "r")]
    row = res.duplicates.iloc[0]
    assert row["method"] == "sentence-meaning" and row["relation"] == "spun"
    assert row["trigram_containment"] < cfg.edited_trigram_threshold        # no phrase-based path could find it
    assert row["meaning_aligned"] >= cfg.meaning_threshold
