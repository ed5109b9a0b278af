"""Progress lines: one per finished stage, with its counts and seconds, delivered to every listener and the run log."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from newsflow import progress


@dataclass(frozen=True)
class Stage:
    stage: str
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    kept: bool = False


def test_the_line_names_the_stage_its_position_counts_and_seconds():
    line = progress.stage_line(Stage("deduplicate", 5.94, {"duplicate_pairs": 1204, "stories": 118, "duplicate_groups": 2000,
                                                           "signatures_computed": 3}))
    assert line == "[3/5] deduplicate    1,204 pairs  2,000 groups  118 stories  5.9 s"


def test_listeners_and_the_logger_get_each_line_only_while_listening(caplog):
    got: list[str] = []
    with caplog.at_level(logging.INFO, logger="t"), progress.listening(lambda line, result: got.append(line)):
        progress.stage_finished(Stage("ingest", 0.2, {"inputs": 5}), logging.getLogger("t"))
    progress.stage_finished(Stage("clean", 1.0, {"documents": 5}))
    assert got == ["[1/5] ingest         5 files  0.2 s"]
    assert caplog.messages == got
    assert progress.next_stage(Stage("ingest", 0)) == "clean" and progress.next_stage(Stage("summarise", 0)) is None


def test_a_counter_reports_done_of_total_and_logs_each_quarter_of_a_long_stage(caplog):
    seen: list[tuple[str, int, int, str]] = []
    with caplog.at_level(logging.INFO, logger="t"), progress.listening(lambda line, result: None,
                                                                       lambda *args: seen.append(args)):
        advance = progress.counter("clean", "documents cleaned", 400, logging.getLogger("t"))
        for _ in range(400):
            advance(1)
    assert seen[0] == ("clean", 0, 400, "documents cleaned") and seen[-1] == ("clean", 400, 400, "documents cleaned")
    assert [done for _, done, _, _ in seen] == list(range(401))
    assert caplog.messages == [f"clean: {n:,} of 400 documents cleaned" for n in (100, 200, 300)]


def test_a_short_stage_logs_no_intermediate_counts_and_nobody_listening_is_fine(caplog):
    with caplog.at_level(logging.INFO, logger="t"):
        advance = progress.counter("summarise", "summaries written", 10, logging.getLogger("t"))
        for _ in range(10):
            advance(1)
    assert caplog.messages == []


def test_a_note_reaches_listeners_without_a_result_and_a_kept_stage_says_so():
    got: list[tuple[str, object]] = []
    with progress.listening(lambda line, result: got.append((line, result))):
        progress.note("settings changed since the last run: …")
        progress.note("")
    assert got == [("settings changed since the last run: …", None)]

    assert progress.stage_line(Stage("extract_claims", 0.0, {"claims": 98}, kept=True)) == \
        "[4/5] extract_claims kept (inputs and settings unchanged)  98 claims"
