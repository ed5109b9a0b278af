"""What `newsflow status` reports as pending, read from the published tables and the seeds folder."""

from __future__ import annotations

import pandas as pd

from newsflow import catalogue, inspection


def _published_with_a_too_large_reject(data, size: int) -> None:
    catalogue.write_table(data, "documents", catalogue.empty_frame("documents"))
    catalogue.write_table(data, "rejects", pd.DataFrame({
        "source_file": ["big.txt"], "sha256": [None], "size_bytes": [size], "reason": ["too_large"],
        "detail": ["over the size limit"], "run_id": ["r1"]}))


def test_a_file_rejected_before_hashing_is_pending_once_its_size_changes(tmp_path):
    seeds, data = tmp_path / "seeds", tmp_path / "data"
    seeds.mkdir()
    (seeds / "big.txt").write_text("now a short article")
    _published_with_a_too_large_reject(data, size=10_000_000)
    assert inspection.pending(seeds, data).changed == ("big.txt",)
    _published_with_a_too_large_reject(data, size=(seeds / "big.txt").stat().st_size)
    assert inspection.pending(seeds, data).nothing
