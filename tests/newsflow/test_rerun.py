"""Per-stage settings keys: which stages a changed setting reruns, what the run says, what a kept stage carries."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from newsflow import rerun
from newsflow.config import PARAMETER_STAGE, STAGE_SETTINGS, build_config


def _keys(tmp_path: Path, **parameters: object) -> dict[str, str]:
    return build_config(tmp_path / "seeds", tmp_path / "data", **parameters).stage_keys()  # type: ignore[arg-type]


def test_each_parameter_changes_only_its_own_stage_key(tmp_path):
    base = _keys(tmp_path)
    changed = {"max_file_mb": 1.0, "near_duplicate_jaccard": 0.91, "spun_threshold": 0.93, "story_threshold": 0.37,
               "summary_sentences": 1}
    assert set(changed) == set(PARAMETER_STAGE)
    for name, value in changed.items():
        keys = _keys(tmp_path, **{name: value})
        assert {s for s in rerun.STAGES if keys[s] != base[s]} == {PARAMETER_STAGE[name]}, name


def test_changed_stages_compares_keys_and_falls_back_to_the_whole_config_hash():
    keys = {s: s + "-key" for s in rerun.STAGES}
    assert rerun.changed_stages({"stages": {**keys, "summarise": "old"}}, keys, "h") == {"summarise"}
    assert rerun.changed_stages({"config": "h"}, keys, "h") == frozenset()  # published before per-stage keys
    assert rerun.changed_stages({"config": "other"}, keys, "h") == set(rerun.STAGES)
    assert rerun.changed_stages({}, keys, "h") == frozenset()  # nothing published: nothing to compare


def test_a_changed_stage_reruns_with_every_stage_reading_its_output():
    assert rerun.must_run(frozenset({"summarise"})) == {"ingest", "summarise"}
    assert rerun.must_run(frozenset({"extract_claims"})) == {"ingest", "extract_claims"}
    assert rerun.must_run(frozenset({"deduplicate"})) == {"ingest", "deduplicate", "extract_claims", "summarise"}
    assert rerun.must_run(frozenset({"clean"})) == set(rerun.STAGES)


@given(st.sets(st.sampled_from(rerun.STAGES)))
def test_a_stage_that_runs_never_reads_a_kept_stage_that_should_have_rerun(changed):
    running = rerun.must_run(frozenset(changed))
    assert set(changed) <= running
    for stage in rerun.STAGES:
        if any(upstream in running and upstream != "ingest" for upstream in rerun.READS[stage]):
            assert stage in running


def test_the_note_names_the_parameter_its_stage_and_what_is_kept():
    line = rerun.explain(frozenset({"summarise"}), {"summary_sentences": 3}, {"summary_sentences": 1})
    assert line == ("settings changed since the last run: summary_sentences 3 → 1 (summarise): reruns summarise; "
                    "clean, deduplicate, extract_claims keep their tables")
    line = rerun.explain(frozenset({"deduplicate"}), {}, {"story_threshold": 0.3})
    assert "story_threshold ? → 0.3 (deduplicate): reruns deduplicate, extract_claims, summarise" in line
    assert "every stage is recomputed" in rerun.explain(frozenset({"ingest"}), {"max_file_mb": 5}, {"max_file_mb": 1})
    assert "the summarise settings or code" in rerun.explain(frozenset({"summarise"}), None, {})
    assert rerun.explain(frozenset(), {}, {}) is None


def test_a_kept_stage_carries_its_published_tables_not_those_staged_again():
    manifest = {"tables": ["claims", "_claim_keys", "summaries", "documents"],
                "digests": {"claims": "c", "_claim_keys": "k", "summaries": "s", "documents": "d"},
                "rows": {"claims": 9, "_claim_keys": 9, "summaries": 3, "documents": 2}}
    carried = rerun.carried(manifest, frozenset({"extract_claims", "deduplicate"}), ["summaries", "documents"])
    assert carried == {"_claim_keys": {"digest": "k", "rows": 9}, "claims": {"digest": "c", "rows": 9}}
    assert rerun.kept_counts(manifest, "extract_claims") == {"claims": 9}


def test_stage_keys_cover_every_stage_setting(tmp_path):
    config = build_config(tmp_path / "seeds", tmp_path / "data")
    settings = {f.name for f in dataclasses.fields(config)} - {"seeds_dir", "data_dir", "max_shrink_share", "keep_versions"}
    assert settings == set(STAGE_SETTINGS.values())


def test_every_table_is_produced_by_one_stage_of_the_pipeline():
    from newsflow import catalogue

    producers: dict[str, list[str]] = {}
    for stage, tables in rerun.WRITES.items():
        for name in tables:
            producers.setdefault(name, []).append(stage)
    every = {**catalogue.TABLES, **catalogue.INTERNAL, **catalogue.CACHES}
    # the runs log is appended by the flow itself, after the stages; every other table names a stage that runs
    # (that the stage really stages it, and nothing else does: tests/flows/test_partitioned_runs.py)
    assert set(producers) == set(every) - {"runs"}
