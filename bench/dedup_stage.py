"""Time and peak memory of the deduplicate stage alone, in a fresh process (so RSS is the stage's own).

Usage: dedup_stage.py --documents DATA/documents.parquet | --seeds DIR [--write DATA]
Prints: docs, wall and CPU seconds (deduplicate only), peak RSS MB, RSS before the stage, pair and story counts.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parent)]

from dedup_common import peak_rss_mb, raw_documents  # noqa: E402


def main() -> None:
    """Load documents, run deduplicate once, print its figures (and optionally write the tables)."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--documents", type=Path, help="documents.parquet written by `newsflow run`")
    ap.add_argument("--seeds", type=Path, help="folder of raw .txt files (used as clean_text as is)")
    ap.add_argument("--write", type=Path, help="write documents/duplicates/stories parquet here (for scoring)")
    a = ap.parse_args()
    import pandas as pd

    from transforms.dedup import deduplicate

    docs = pd.read_parquet(a.documents) if a.documents else raw_documents(a.seeds)
    import datasketch, scipy.sparse, sklearn.feature_extraction.text  # noqa: F401,E401  (imports not timed)
    rss0 = peak_rss_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    res = deduplicate(docs)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"deduplicate: {len(docs)} docs in {secs:.2f} s wall, {cpu:.2f} s CPU; peak RSS {peak_rss_mb():.0f} MB "
          f"(before the stage {rss0:.0f} MB); pairs {len(res.duplicates)} "
          f"{res.duplicates['relation'].value_counts().to_dict()}; stories {len(res.stories)}", flush=True)
    if a.write:
        from newsflow import catalogue

        a.write.mkdir(parents=True, exist_ok=True)
        res.documents[["doc_id", "source_file"]].to_parquet(a.write / "documents.parquet")
        catalogue.write_table(a.write, "duplicates", res.duplicates)
        catalogue.write_table(a.write, "stories", res.stories)


if __name__ == "__main__":
    main()
