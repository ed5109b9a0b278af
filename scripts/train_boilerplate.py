#!/usr/bin/env python3
"""Train the boilerplate classifier's learned pass on labelled page texts and write it as JSON (no pickle).

Usage: train_boilerplate.py --pages DIR --truth TRUTH_JSON [--out transforms/boilerplate_model.json]
                            [--kind logistic|trees] [--folds 5] [--threshold T] [--no-write] [--pipeline-cv]
                            [--errors N]

Data: DIR/<id>.txt page texts (one block per line) and a truth file as clean_eval.py writes it
({"items": {id: {"url", "with": [snippets to keep], "without": [snippets to remove]}}}), e.g.
../shared/eval/clean_trafilatura_dev. A line is labelled keep when it holds a 'with' snippet and remove
when it holds a 'without' one (whitespace-normalised substring; a snippet spanning lines labels each);
lines a fixed rule removes, and protected running text, are left out (the model does not decide them). Inputs are shape features only
(transforms.boilerplate_model.feature_names), so the model cannot learn site strings.

Prints grouped cross-validation by site (GroupKFold on the URL's host): each fold's model classifies
every line of its held-out pages and the pages are scored as clean_eval.py scores them (per-page
with-recall, without-rejection, snippet F1, pooled F1), next to the heuristic passes alone; --pipeline-cv also
cleans every held-out page with the whole clean stage and its fold's model, as `newsflow run` would, prints each
fold's figures and, with --errors N, the N worst held-out pages with the snippets they lost or kept. Then fits on
all pages and writes the weights with the threshold (--threshold, default the CV-best meanF1 among
thresholds whose CV with-recall and rejection both beat the heuristic's).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transforms.boilerplate import BoilerplateConfig, fill_gaps, model_inputs  # noqa: E402
from transforms.boilerplate_model import MODEL_PATH, feature_names  # noqa: E402

_WS = re.compile(r"\s+")
NO_MODEL = BoilerplateConfig(model_path=None)
THRESHOLDS = [round(t, 2) for t in np.arange(0.20, 0.81, 0.025)]


def norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


@dataclass
class Page:
    pid: str
    site: str
    blocks: list[str]
    x: np.ndarray
    rules: list[str | None]
    heur_keep: np.ndarray
    protected: np.ndarray
    with_: list[str]
    without: list[str]
    labels: np.ndarray  # 1 keep, 0 remove, -1 unlabelled


def _lines_of(snippet: str, blocks: list[str]) -> list[int]:
    """Indexes of the lines that hold the snippet (every hit), or the shortest run of lines spanning it."""
    s = norm(snippet)
    hits = [i for i, b in enumerate(blocks) if s in b]
    if hits or not s:
        return hits
    for i, b in enumerate(blocks):  # spanning snippet: starts in line i, continues over the next ones
        joined = b
        for j in range(i + 1, min(i + 8, len(blocks))):
            joined += " " + blocks[j]
            if s in joined:
                if s not in joined[len(b) + 1:]:
                    return list(range(i, j + 1))
                break
    return []


def load_pages(pages: Path, truth: Path) -> list[Page]:
    items = json.loads(truth.read_text(encoding="utf-8"))["items"]
    out = []
    for pid in sorted(items):
        path = pages / f"{pid}.txt"
        if not path.is_file():
            continue
        t = items[pid]
        blocks = [b for b in (norm(line) for line in path.read_text(encoding="utf-8").splitlines()) if b]
        mi = model_inputs(blocks, NO_MODEL)
        labels = np.full(len(blocks), -1)
        for lab, key in ((0, "without"), (1, "with")):
            for snip in t.get(key, []):
                for i in _lines_of(snip, blocks):
                    labels[i] = lab if labels[i] in (-1, lab) else -2  # -2: holds both kinds, left out
        host = urlparse(t.get("url") or "").netloc.lower().removeprefix("www.") or pid
        heur = np.array([v.kind != "boilerplate" for v in mi.heuristic], bool)
        out.append(Page(pid, host, blocks, mi.x, mi.rules, heur, mi.protected, t.get("with", []), t.get("without", []), labels))
    return out


def page_scores(page: Page, keep: np.ndarray) -> tuple[float | None, float | None, float, tuple[int, int, int, int]]:
    """clean_eval.py's per-page with-recall, without-rejection, snippet F1 and (tp, fp, fn, tn)."""
    text = norm(" ".join(b for b, k in zip(page.blocks, keep) if k))
    tp = sum(norm(w) in text for w in page.with_)
    fp = sum(norm(w) in text for w in page.without)
    fn, tn = len(page.with_) - tp, len(page.without) - fp
    rec = tp / len(page.with_) if page.with_ else None
    rej = tn / len(page.without) if page.without else None
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return rec, rej, f1, (tp, fp, fn, tn)


def summarise(pages: list[Page], keeps: list[np.ndarray]) -> dict[str, float]:
    recs, rejs, f1s, tot = [], [], [], np.zeros(4)
    for page, keep in zip(pages, keeps):
        rec, rej, f1, counts = page_scores(page, keep)
        if rec is not None:
            recs.append(rec)
        if rej is not None:
            rejs.append(rej)
        f1s.append(f1)
        tot += counts
    tp, fp, fn, _ = tot
    pp, pr = tp / (tp + fp), tp / (tp + fn)
    return {"with_recall": statistics.mean(recs), "without_rejection": statistics.mean(rejs),
            "meanF1": statistics.mean(f1s), "pooledF1": 2 * pp * pr / (pp + pr)}


def fmt(m: dict[str, float]) -> str:
    return (f"with-recall {m['with_recall']:.3f}  without-rejection {m['without_rejection']:.3f}  "
            f"meanF1 {m['meanF1']:.3f}  pooled F1 {m['pooledF1']:.3f}")


def training_rows(pages: list[Page]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Labelled lines outside the rules, weighted as the metric weighs them (each page's snippets share one)."""
    xs, ys, ws = [], [], []
    for p in pages:
        use = (p.labels >= 0) & np.array([r is None for r in p.rules], bool) & ~p.protected
        y = p.labels[use]
        w = np.where(y == 1, 1.0 / max(int((y == 1).sum()), 1), 1.0 / max(int((y == 0).sum()), 1))
        xs.append(p.x[use])
        ys.append(y)
        ws.append(w if WEIGHTED else np.ones_like(w))
    w = np.concatenate(ws)
    return np.vstack(xs), np.concatenate(ys), w / w.mean()


WEIGHTED = False
BAGS = 1  # >1 averages ensembles from several seeds (no CV gain measured on the dev pages at 3 or 5)
TREES = {"n_estimators": 150, "max_depth": 3, "learning_rate": 0.05, "subsample": 0.8, "min_samples_leaf": 20}


def fit(kind: str, x: np.ndarray, y: np.ndarray, w: np.ndarray):
    if kind == "logistic":
        mean, scale = x.mean(axis=0), x.std(axis=0)
        scale[scale == 0] = 1.0
        clf = LogisticRegression(C=0.3, max_iter=5000).fit((x - mean) / scale, y, sample_weight=w)
        return ("logistic", clf, mean, scale)
    # A few ensembles from different subsampling seeds, averaged in log-odds: steadier on 500 labelled lines.
    clfs = [GradientBoostingClassifier(**TREES, random_state=seed).fit(x, y, sample_weight=w) for seed in range(BAGS)]
    return ("trees", clfs, None, None)


def predict(model, x: np.ndarray) -> np.ndarray:
    kind, clf, mean, scale = model
    if kind == "logistic":
        return clf.predict_proba((x - mean) / scale)[:, 1]
    z = np.mean([c.decision_function(x) for c in clf], axis=0)
    return 1.0 / (1.0 + np.exp(-z))


def keeps_for(page: Page, prob: np.ndarray, threshold: float) -> np.ndarray:
    """The lines classify_blocks keeps at this threshold (rules stand, short gaps filled)."""
    if len(page.blocks) < NO_MODEL.model_min_blocks:
        return page.heur_keep
    return fill_gaps((prob >= threshold) | page.protected, [r is not None for r in page.rules], NO_MODEL.max_gap)


def to_json(model, threshold: float) -> dict:
    kind, clf, mean, scale = model
    d: dict = {"kind": kind, "features": feature_names(), "threshold": threshold}
    if kind == "logistic":
        d.update(mean=mean.tolist(), scale=scale.tolist(), coef=clf.coef_[0].tolist(),
                 intercept=float(clf.intercept_[0]))
        return d
    trees = [est[0].tree_ for c in clf for est in c.estimators_]
    width = max(t.node_count for t in trees)
    depth = max(t.max_depth for t in trees)

    def pad(arrs, fill):
        return [list(a) + [fill] * (width - len(a)) for a in arrs]

    lr = clf[0].learning_rate / len(clf)  # the mean of the ensembles' raw scores
    # binomial deviance: the raw score is init log-odds + lr * sum of leaf values (same prior in every ensemble)
    prior = clf[0].init_.class_prior_[1]
    d.update(intercept=float(np.log(prior / (1 - prior))), depth=int(depth),
             feature=pad([np.where(t.children_left < 0, -1, t.feature).tolist() for t in trees], -1),
             split=pad([t.threshold.tolist() for t in trees], 0.0),
             left=pad([t.children_left.tolist() for t in trees], -1),
             right=pad([t.children_right.tolist() for t in trees], -1),
             value=pad([(lr * t.value[:, 0, 0]).tolist() for t in trees], 0.0))
    return d


def pipeline_texts(pages: list[Page], page_dir: Path, fold_models: list, threshold: float) -> dict[str, str]:
    """Every page's clean text from the whole clean stage (title, main-body rescue and all), cleaned with a model
    that never saw it: each fold's model is written to a temporary file and used through the config."""
    import tempfile
    from datetime import date

    from transforms.clean import CleanConfig, clean_document

    texts: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for k, (model, test) in enumerate(fold_models):
            path = Path(tmp) / f"fold{k}.json"
            path.write_text(json.dumps(to_json(model, threshold)), encoding="utf-8")
            config = CleanConfig(boilerplate=BoilerplateConfig(model_path=str(path)))
            for i in test:
                raw = (page_dir / f"{pages[i].pid}.txt").read_text(encoding="utf-8")
                texts[pages[i].pid] = clean_document(raw, date.max, config).clean_text
    return texts


def as_cleaned(page: Page, text: str) -> Page:
    """The page as one block holding its clean text: page_scores joins the kept blocks, so this scores that text."""
    return Page(page.pid, page.site, [text], page.x, page.rules, page.heur_keep, page.protected, page.with_,
                page.without, page.labels)


def print_errors(pages: list[Page], texts: dict[str, str], worst: int) -> None:
    """The `worst` pages by snippet F1 through the clean stage, with the snippets it lost or kept wrongly."""
    scored = sorted(pages, key=lambda p: page_scores(as_cleaned(p, texts[p.pid]), np.ones(1, bool))[2])
    for p in scored[:worst]:
        text = norm(texts[p.pid])
        rec, rej, f1, _ = page_scores(as_cleaned(p, text), np.ones(1, bool))
        print(f"--- {p.pid} ({p.site}) F1 {f1:.3f} with-recall {rec} without-rejection {rej}")
        for w in p.with_:
            if norm(w) not in text:
                print(f"    LOST  {norm(w)[:110]}")
        for w in p.without:
            if norm(w) in text:
                print(f"    KEPT  {norm(w)[:110]}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=Path, required=True, help="page texts DIR/<id>.txt")
    ap.add_argument("--truth", type=Path, required=True, help="truth.json with 'with'/'without' snippets")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--kind", choices=("logistic", "trees"), default="trees")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--threshold", type=float, help="keep threshold to ship (default: chosen on CV)")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--pipeline-cv", action="store_true",
                    help="also score the grouped CV through the whole clean stage (transforms.clean.clean_document)")
    ap.add_argument("--errors", type=int, default=0, metavar="N",
                    help="with --pipeline-cv: print the N worst held-out pages and their lost/kept snippets")
    a = ap.parse_args()

    pages = load_pages(a.pages, a.truth)
    x, y, w = training_rows(pages)
    sites = sorted({p.site for p in pages})
    print(f"{len(pages)} pages from {len(sites)} sites; {len(y)} labelled lines outside the rules "
          f"({int(y.sum())} keep, {int((y == 0).sum())} remove); {x.shape[1]} features")
    heur = summarise(pages, [p.heur_keep for p in pages])
    print(f"heuristic passes alone        {fmt(heur)}")

    groups = np.array([sites.index(p.site) for p in pages])
    probs: list[np.ndarray] = [np.zeros(0)] * len(pages)
    oof_y, oof_p = [], []
    fold_models = []
    for train, test in GroupKFold(a.folds).split(np.zeros(len(pages)), groups=groups):
        model = fit(a.kind, *training_rows([pages[i] for i in train]))
        fold_models.append((model, test))
        for i in test:
            probs[i] = predict(model, pages[i].x) if len(pages[i].blocks) else np.zeros(0)
            use = (pages[i].labels >= 0) & np.array([r is None for r in pages[i].rules], bool) & ~pages[i].protected
            oof_y.append(pages[i].labels[use])
            oof_p.append(probs[i][use])
    auc = roc_auc_score(np.concatenate(oof_y), np.concatenate(oof_p))
    print(f"grouped {a.folds}-fold CV by site ({a.kind}): labelled-line ROC-AUC {auc:.3f}")
    table = {}
    for t in THRESHOLDS:
        table[t] = summarise(pages, [keeps_for(p, pr, t) for p, pr in zip(pages, probs)])
        print(f"  CV threshold {t:.3f}  {fmt(table[t])}")
    if a.threshold is not None:
        threshold = a.threshold
    else:
        ok = [t for t, m in table.items() if m["with_recall"] > heur["with_recall"]
              and m["without_rejection"] > heur["without_rejection"]] or list(table)
        threshold = max(ok, key=lambda t: table[t]["meanF1"])
    cv = table.get(threshold) or summarise(pages, [keeps_for(p, pr, threshold) for p, pr in zip(pages, probs)])
    print(f"CV at shipped threshold {threshold:.3f}: {fmt(cv)}")
    if a.pipeline_cv:
        texts = pipeline_texts(pages, a.pages, fold_models, threshold)
        one = [np.ones(1, bool)] * len(pages)
        cleaned = [as_cleaned(p, texts[p.pid]) for p in pages]
        print(f"grouped CV through clean_document (each page cleaned with the model of the fold it was held out of): "
              f"{fmt(summarise(cleaned, one))}")
        for k, (_, test) in enumerate(fold_models):
            print(f"  fold {k} ({len(test)} pages): {fmt(summarise([cleaned[i] for i in test], one[:len(test)]))}")
        if a.errors:
            print_errors(pages, texts, a.errors)

    final = fit(a.kind, x, y, w)
    train_m = summarise(pages, [keeps_for(p, predict(final, p.x), threshold) for p in pages])
    print(f"train-set (optimistic, for reference): {fmt(train_m)}")
    if not a.no_write:
        a.out.write_text(json.dumps(to_json(final, threshold), separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
