#!/usr/bin/env python3
"""Bench the claims stage on PolNeAR direct quotes: P/R/F1, speaker accuracy, docs/s, with baselines.

Usage: claims_quotes.py [--set-dir ../shared/eval/quotes_polnear_dev] [--eval-dir ../shared/eval]
                        [--baselines] [--repeat 3] [--out result.json]
The articles are cleaned in-process with the project's own clean stage (transforms.clean), then
`extract_claims` + `group_claims` run on them; predictions are scored by the evaluation's own code
(`quotes_eval.score`, imported from --eval-dir, never copied). Throughput is the claims stage alone
(extract + group) over all articles, best of --repeat runs.

Also printed: `pronoun_resolved` (matched quotes whose gold source is a pronoun, credited when the predicted
speaker shares a word with the evaluation's antecedent), the same figures on two fixed halves of the articles
(`half_A` / `half_B`, by a hash of the article id: tune on one, check on the other), and the `speaker_type`
counts of quote and reported claims.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.claims import extract_claims, group_claims  # noqa: E402
from transforms.clean import clean_documents  # noqa: E402


def load_eval(eval_dir: Path):
    """Import the evaluation's quotes_eval module from its folder."""
    spec = importlib.util.spec_from_file_location("quotes_eval", eval_dir / "quotes_eval.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def raw_frame(arts: list[dict]) -> pd.DataFrame:
    """The articles as the clean stage's input frame."""
    rows = []
    for art in arts:
        sha = hashlib.sha256(art["text"].encode("utf-8")).hexdigest()
        rows.append({"doc_id": art["article_id"], "source_file": art["article_id"] + ".txt", "sha256": sha,
                     "encoding": "utf-8", "text": art["text"]})
    return pd.DataFrame(rows)


def half(article_id: str) -> str:
    """The fixed half (A or B) an article belongs to, by a hash of its id."""
    return "A" if int(hashlib.sha1(article_id.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "B"


def pronoun_resolved(qe, arts: list[dict], quotes: dict[str, list[dict]]) -> float | None:
    """Share of matched quotes with a pronoun gold source whose speaker resolves to the evaluation's antecedent."""
    hit = total = 0
    for art in arts:
        golds = [g for g in art["attributions"] if g["direct"]]
        preds = quotes.get(art["article_id"], [])
        pairs, _ = qe.match([[qe.tokens(p["quote"])] for p in preds], [[qe.tokens(g["content"])] for g in golds])
        for i, j in pairs:
            category, _, resolved = qe.speaker_verdict(preds[i]["speaker"], golds[j])
            if category == "pronoun":
                total += 1
                hit += resolved
    return round(hit / total, 4) if total else None


def half_scores(qe, arts: list[dict], quotes: dict[str, list[dict]]) -> dict:
    """Quote F1, named-speaker accuracy and pronoun-resolved accuracy on a subset of the articles."""
    res = qe.score(arts, quotes)
    return {"articles": len(arts), "f1": res["f1"], "speaker_acc_named": res["speaker_acc_named"],
            "pronoun_resolved": pronoun_resolved(qe, arts, quotes)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared/eval")
    ap.add_argument("--set-dir", type=Path, default=None)
    ap.add_argument("--baselines", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path)
    a = ap.parse_args()
    qe = load_eval(a.eval_dir)
    arts = qe.load_set(str(a.set_dir or a.eval_dir / "quotes_polnear_dev"))
    cleaned = clean_documents(raw_frame(arts), date(2100, 1, 1))
    docs = cleaned.documents.assign(duplicate_group=cleaned.documents["doc_id"])
    best = float("inf")
    claims = None
    for _ in range(max(1, a.repeat)):
        t0 = time.perf_counter()
        claims = group_claims(extract_claims(docs, cleaned.sentences), docs)
        best = min(best, time.perf_counter() - t0)
    assert claims is not None
    quotes: dict[str, list[dict]] = {}
    allp: dict[str, list[dict]] = {}
    for row in claims.itertuples(index=False):
        rec = {"quote": row.quote if isinstance(row.quote, str) else row.text, "text": row.text,
               "speaker": row.speaker if isinstance(row.speaker, str) else None}
        if row.claim_type in ("quote", "reported"):
            allp.setdefault(row.doc_id, []).append(rec)
        if row.claim_type == "quote":
            quotes.setdefault(row.doc_id, []).append(rec)
    result = {"set": str(a.set_dir or "polnear_dev"), "gold": qe.gold_counts(arts),
              "newsflow": {**qe.score(arts, quotes, best, all_preds_by_doc=allp),
                           "pronoun_resolved": pronoun_resolved(qe, arts, quotes)},
              **{f"half_{h}": half_scores(qe, [x for x in arts if half(x["article_id"]) == h], quotes) for h in "AB"},
              "speaker_type": {str(k): int(v) for k, v in claims.loc[claims["claim_type"] != "numeric", "speaker_type"]
                               .value_counts(dropna=False).items()},
              "claims_stage_docs_per_s": round(len(arts) / best, 1), "n_claims": int(len(claims)),
              "claims_by_type": claims["claim_type"].value_counts().to_dict()}
    if a.baselines:
        t0 = time.perf_counter()
        preds = {art["article_id"]: qe.regex_baseline(art["text"]) for art in arts}
        secs = time.perf_counter() - t0
        reg = {aid: ps + qe.reported_sentences(next(x["text"] for x in arts if x["article_id"] == aid))
               for aid, ps in preds.items()}
        result["baseline_regex"] = qe.score(arts, preds, secs, all_preds_by_doc=reg)
        result["baseline_textacy"] = "not run: needs a spaCy English model, not installable here (stack.md)"
    print(json.dumps(result, indent=1))
    if a.out:
        a.out.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
