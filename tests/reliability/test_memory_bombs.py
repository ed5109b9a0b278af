"""Bounded memory: each memory bomb of issue 18 goes through the whole flow (`newsflow run`, a subprocess) under a
2 GB resident-memory limit (watched, the run killed past it), next to the good seeds, and ends as a reject or a document;
the per-document caps are checked on tiny frames.

The bombs (generated here): 300 KB of 50,000 numbers one per line; 2 MB of concatenated prose; a 200,000-sentence
article. Before the caps, the first took 22 GB in summarise and the others ran out of memory at 6 GB.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import time

import pandas as pd
import pytest

from newsflow import catalogue
from tests.reliability.support import SEEDS, article, cli_env, newsflow_cmd
from transforms import ingest

LIMIT_BYTES = 2 * 1024**3

# Runs the command, kills it if its resident memory passes the limit (RLIMIT_AS is no use here: Arrow's and the
# threads' reserved address space alone pass 2 GB at 300 MB resident), and prints its peak resident memory in KiB.
_WRAPPER = """
import resource, subprocess, sys, time
import psutil
limit = int(sys.argv[1])
proc = subprocess.Popen(sys.argv[2:])
watched = psutil.Process(proc.pid)
while proc.poll() is None:
    try:
        if watched.memory_info().rss > limit:
            proc.kill()
            print("KILLED_OVER_LIMIT", flush=True)
    except psutil.NoSuchProcess:
        pass
    time.sleep(0.05)
print("PEAK_KIB", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, flush=True)
sys.exit(proc.returncode)
"""


def numbers() -> str:
    rng = random.Random(7)
    return "\n".join(str(rng.randint(0, 10**6)) for _ in range(50_000)) + "\n"


def prose(megabytes: float = 2.0) -> str:
    out: list[str] = []
    n, size = 0, 0
    while size < megabytes * 1024 * 1024:
        out.append(article(n))
        size += len(out[-1])
        n += 1
    return "\n".join(out)


def sentences(n: int = 200_000) -> str:
    return "Storm hits coast\n\n" + " ".join(f"It rained {i % 97} times." for i in range(n)) + "\n"


BOMBS = {"numbers_50k_lines": numbers, "prose_2mb": prose, "sentences_200k": sentences}


@pytest.mark.parametrize("bomb", list(BOMBS))
def test_memory_bomb_runs_through_the_whole_flow_under_2_gb(api_url, tmp_path, bomb, timings):
    seeds, data = tmp_path / "seeds", tmp_path / "data"
    shutil.copytree(SEEDS, seeds, ignore=shutil.ignore_patterns("README*"))
    (seeds / f"{bomb}.txt").write_text(BOMBS[bomb](), encoding="utf-8")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, str(LIMIT_BYTES), *newsflow_cmd(seeds, data)],
                          env=cli_env(api_url), capture_output=True, text=True, timeout=900)
    seconds = time.perf_counter() - t0
    assert proc.returncode == 0, f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    peak_mb = int(proc.stdout.rsplit("PEAK_KIB", 1)[1].split()[0]) / 1024
    timings[f"memory bomb {bomb}: peak RSS {peak_mb:.0f} MB, wall"] = seconds
    assert peak_mb < LIMIT_BYTES / 2**20
    documents = catalogue.read_table(data, "documents")
    rejects = catalogue.read_table(data, "rejects").set_index("source_file")
    name = f"{bomb}.txt"
    assert (name in set(documents["source_file"])) != (name in rejects.index)  # exactly one outcome
    if name in rejects.index:
        assert rejects.loc[name, "reason"] in (ingest.TOO_LARGE_AFTER_CLEANING, ingest.TOO_LARGE)


def _cleaned(n_sentences: list[int], n_chars: list[int]) -> dict[str, pd.DataFrame]:
    documents = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(n_sentences))],
                              "source_file": [f"{i}.txt" for i in range(len(n_sentences))],
                              "sha256": ["s"] * len(n_sentences), "clean_text": ["x" * c for c in n_chars],
                              "n_sentences": n_sentences})
    sentences = pd.DataFrame({"doc_id": [d for d, n in zip(documents["doc_id"], n_sentences) for _ in range(min(n, 3))]})
    boilerplate = pd.DataFrame({"doc_id": list(documents["doc_id"])})
    rejects = pd.DataFrame(columns=["source_file", "sha256", "size_bytes", "reason", "detail"])
    return {"documents": documents, "sentences": sentences, "boilerplate": boilerplate, "rejects": rejects}


def test_documents_over_the_caps_become_too_large_after_cleaning_rejects():
    config = ingest.IngestConfig(max_sentences=10, max_clean_chars=100)
    frames = _cleaned([5, 11, 5], [50, 50, 101])
    before = {k: v.copy() for k, v in frames.items()}
    out = ingest.cap_cleaned(frames["documents"], frames["sentences"], frames["boilerplate"], frames["rejects"], config)
    assert out["documents"]["doc_id"].tolist() == ["d0"]
    assert set(out["sentences"]["doc_id"]) == {"d0"} and out["boilerplate"]["doc_id"].tolist() == ["d0"]
    assert out["rejects"]["source_file"].tolist() == ["1.txt", "2.txt"]
    assert set(out["rejects"]["reason"]) == {ingest.TOO_LARGE_AFTER_CLEANING}
    assert "11 sentences" in out["rejects"]["detail"].iloc[0]
    for k, v in before.items():  # inputs unchanged
        pd.testing.assert_frame_equal(frames[k], v)


def test_decoded_text_over_the_character_cap_is_too_large():
    got = ingest.decode(b"a" * 101, ingest.IngestConfig(max_chars=100))
    assert isinstance(got, ingest.Rejection) and got.reason == ingest.TOO_LARGE and "characters" in got.detail
