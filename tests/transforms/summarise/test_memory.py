"""Bounded memory: a story of thousands of documents and a document of tens of thousands of sentences.

Each case runs in a child process whose address space is capped (RLIMIT_AS) at what the interpreter holds
after its imports plus LIMIT_MB: a dense candidates x candidates or sentences x vocabulary matrix would need
gigabytes and fail with MemoryError, bounded code fits with room to spare.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

resource = pytest.importorskip("resource")

LIMIT_MB = 1500
REPO = Path(__file__).resolve().parents[3]

_CHILD = r"""
import json, resource, sys
import pandas as pd
from transforms.summarise import SummariseConfig, summarise_documents, summarise_stories

def vm_bytes():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0

case, n, limit_mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
WORDS = ("pipeline gas deal price talks Moscow Beijing energy leaders summit trade sanctions oil market report "
         "minister plan week supply demand winter contract buyers Europe China Russia").split()
rows, docs = [], []
if case == "story":
    for d in range(n):
        doc_id = f"d{d:05d}"
        for s in range(6):
            words = [WORDS[(d * 7 + s * 3 + k) % len(WORDS)] for k in range(9)]
            text = " ".join(words).capitalize() + f" in round {d % 97}."
            rows.append((f"{doc_id}-s{s:04d}", doc_id, s, s, text, False))
        docs.append({"doc_id": doc_id, "clean_text": "", "title": None, "duplicate_group": f"g{d // 2:05d}",
                     "is_canonical": d % 2 == 0, "story_id": "big"})
else:  # one document of n short lines: a file of numbers, one per line
    docs.append({"doc_id": "d0", "clean_text": "", "title": None, "duplicate_group": "d0", "is_canonical": True,
                 "story_id": None})
    rows = [(f"d0-s{i:06d}", "d0", i, i, f"{(i * 7919) % 100003}", False) for i in range(n)]
sentences = pd.DataFrame(rows, columns=["sentence_id", "doc_id", "sentence_index", "paragraph", "text", "is_heading"])
documents = pd.DataFrame(docs)
stories = pd.DataFrame({"story_id": ["big"], "label": ["big story"], "doc_ids": [[x["doc_id"] for x in docs]]})
resource.setrlimit(resource.RLIMIT_AS, (vm_bytes() + limit_mb * 2**20, resource.RLIM_INFINITY))
if case == "story":
    out = summarise_stories(documents, sentences, stories, SummariseConfig())
else:
    out = summarise_documents(documents, sentences, SummariseConfig())
row = out.iloc[0]
print(json.dumps({"n_sentences": int(row["n_sentences"]), "ids": list(row["sentence_ids"]), "method": row["method"]}))
"""


def _run(case: str, n: int) -> dict[str, object]:
    env = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", _CHILD, case, str(n), str(LIMIT_MB)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_story_of_thousands_of_documents_runs_in_bounded_memory() -> None:
    got = _run("story", 3_000)  # 18,000 candidate sentences: a dense similarity matrix alone would need 2.6 GB
    assert 1 <= got["n_sentences"] <= 5
    assert all(str(s).startswith("d") for s in got["ids"])
    assert "candidates capped at 2000" in str(got["method"])  # the cap is recorded where an analyst sees it


def test_document_of_fifty_thousand_number_lines_runs_in_bounded_memory() -> None:
    got = _run("numbers", 50_000)  # sentences x vocabulary dense: 50,000 x 50,000 floats = 20 GB
    assert got["n_sentences"] >= 1 and all(str(s).startswith("d0-s") for s in got["ids"])
