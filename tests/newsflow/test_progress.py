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
