"""The run report: one self-contained HTML page per run (inline CSS, plots as inline SVG, no script, no network).

Sections (each an element with its id): `summary`, `timings` (stage seconds, bar chart), `stories` (headline,
summary, sources and dates, and a timeline), `claims` (top check-worthy claims with speaker and number of
sources), `duplicates` (pairs with their evidence), `rejects` (files and reasons), `validation` (each
table's expectations, what each guards and its outcome) and `runs` (the last runs). Written under
`data/reports/<run_id>.html`, and the latest also as `data/report.html`.
"""

from __future__ import annotations

import base64
import html
import json
import os
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from newsflow import catalogue
from newsflow.workspace import internal_dir

SECTIONS = ("summary", "timings", "stories", "claims", "duplicates", "rejects", "validation", "runs")
_MAX_STORIES = 40
_MAX_CLAIMS = 25
_MAX_PAIRS = 150
_MAX_REJECTS = 300

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2a44;color:#fff;padding:18px 28px}header h1{margin:0;font-size:20px}
header p{margin:4px 0 0;color:#c9d3e6}nav{padding:8px 28px;background:#e8ecf3;position:sticky;top:0}
nav a{margin-right:14px;color:#1d2a44;text-decoration:none;font-weight:600}
section{background:#fff;margin:16px 28px;padding:14px 20px;border-radius:8px;box-shadow:0 1px 2px #0002}
h2{font-size:17px;margin:4px 0 10px}table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e4e7ec;vertical-align:top}
th{background:#f0f2f6;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#17803d;font-weight:600}.bad{color:#b42318;font-weight:600}.muted{color:#667085}
.story{border-left:4px solid #3b6fd8;padding:4px 12px;margin:12px 0}.story h3{margin:0 0 4px;font-size:15px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#f0f4fb;border-radius:6px;padding:8px 14px}
.card b{display:block;font-size:20px}details{margin:4px 0}summary{cursor:pointer}
svg text{font:11px system-ui,sans-serif;fill:#344054}
"""


@dataclass(frozen=True)
class ReportInput:
    """What the report shows of a run besides the published tables."""

    run_id: str
    status: str
    stages: list[Any]
    n_inputs: int
    n_documents: int
    n_rejects: int
    message: str | None = None
    flow_run_id: str | None = None


def top_claims(claims: pd.DataFrame, n: int) -> pd.DataFrame:
    """Return the n most check-worthy claims, one per claim group (ties: more sources first, then claim_id)."""
    return (claims.sort_values(["checkworthiness", "n_sources", "claim_id"], ascending=[False, False, True])
            .drop_duplicates("claim_group_id").head(n))


def stories_by_size(stories: pd.DataFrame) -> pd.DataFrame:
    """Return the stories largest first (ties by story_id): the order every view lists them in."""
    return stories.sort_values(["n_documents", "story_id"], ascending=[False, True])


def top_pairs(duplicates: pd.DataFrame, n: int) -> pd.DataFrame:
    """Return the n highest-scoring duplicate pairs (ties by doc_id_a)."""
    return duplicates.sort_values(["score", "doc_id_a"], ascending=[False, True]).head(n)


def story_headlines(summaries: pd.DataFrame) -> dict[str, str]:
    """Return story_id -> headline of the story summaries that have one."""
    rows = summaries[summaries["scope"] == "story"]
    return {sid: h for sid, h in zip(rows["scope_id"], rows["headline"]) if isinstance(h, str) and h}


def _e(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA or value is pd.NaT:
        return ""
    return html.escape(str(value))


def _table(headers: list[str], rows: list[list[str]], numeric: set[int] | None = None) -> str:
    if not rows:
        return '<p class="muted">none</p>'
    numeric = numeric or set()
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def timing_svg(stages: list[Any]) -> str:
    """Return a horizontal bar chart (inline SVG) of the seconds per stage."""
    if not stages:
        return '<p class="muted">no stage ran</p>'
    most = max(s.seconds for s in stages) or 1.0
    width, bar, left = 640, 22, 120
    rows = []
    for i, s in enumerate(stages):
        w = max(2.0, (width - left - 70) * s.seconds / most)
        y = 6 + i * (bar + 6)
        rows.append(f'<text x="0" y="{y + 15}">{_e(s.stage)}</text>'
                    f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar}" fill="#3b6fd8" rx="3"/>'
                    f'<text x="{left + w + 6:.1f}" y="{y + 15}">{s.seconds:.2f} s</text>')
    height = 12 + len(stages) * (bar + 6)
    return (f'<svg role="img" aria-label="seconds per stage" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg>')


def timeline_svg(stories: pd.DataFrame, documents: pd.DataFrame, labels: dict[str, str]) -> str:
    """Return a timeline (inline SVG): one row per dated story, a line from its first to last date, a dot per document."""
    dated = stories[stories["first_date"].notna()].head(_MAX_STORIES)
    if dated.empty:
        return '<p class="muted">no dated story</p>'
    doc_dates = documents.loc[documents["published_date"].notna(), ["story_id", "published_date"]]
    lo = min(pd.Timestamp(d) for d in dated["first_date"])
    hi = max(pd.Timestamp(d) for d in dated["last_date"].fillna(dated["first_date"]))
    span = max((hi - lo).days, 1)
    width, left, row = 760, 260, 20
    x = lambda d: left + (width - left - 20) * (pd.Timestamp(d) - lo).days / span  # noqa: E731
    parts = []
    for i, story in enumerate(dated.to_dict("records")):
        y = 24 + i * row
        label = labels.get(story["story_id"]) or story["label"]
        label = label if len(label) <= 40 else label[:39] + "…"
        x1, x2 = x(story["first_date"]), x(story["last_date"] if story["last_date"] is not None else story["first_date"])
        parts.append(f'<text x="0" y="{y + 4}">{_e(label)}</text>'
                     f'<line x1="{x1:.1f}" y1="{y}" x2="{x2:.1f}" y2="{y}" stroke="#98a2b3" stroke-width="3"/>')
        for d in doc_dates.loc[doc_dates["story_id"] == story["story_id"], "published_date"]:
            parts.append(f'<circle cx="{x(d):.1f}" cy="{y}" r="4" fill="#3b6fd8"><title>{_e(d)}</title></circle>')
    height = 34 + len(dated) * row
    axis = (f'<text x="{left}" y="12">{lo.date()}</text>'
            f'<text x="{width - 20}" y="12" text-anchor="end">{hi.date()}</text>')
    return (f'<svg role="img" aria-label="story timeline" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">{axis}{"".join(parts)}</svg>')


def svg_image(svg: str, alt: str) -> str:
    """Return an inline SVG plot as an <img> with a data: URI on a white ground (what the Prefect UI's markdown keeps
    and shows on its dark theme); empty when there is no plot."""
    if not svg.startswith("<svg"):
        return ""
    head, _, body = svg.partition(">")
    opaque = f'{head}><rect width="100%" height="100%" fill="#ffffff"/>{body}'
    return f'<img alt="{html.escape(alt)}" src="data:image/svg+xml;base64,{base64.b64encode(opaque.encode()).decode()}">'


def validation_results(data_dir: Path) -> list[tuple[str, dict[str, Any]]]:
    """Return (table, GX result) for each readable validation report of the data folder, by table name."""
    out: list[tuple[str, dict[str, Any]]] = []
    for path in sorted((Path(data_dir) / "validation").glob("*.json")):
        try:
            out.append((path.stem, json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            continue
    return out


def _validation_section(data_dir: Path) -> str:
    out = []
    for table_name, result in validation_results(data_dir):
        meta = result.get("meta") or {}
        rows = []
        for r in result.get("results", []):
            config = r.get("expectation_config") or {}
            kwargs = {k: v for k, v in (config.get("kwargs") or {}).items() if k != "batch_id"}
            ok = bool(r.get("success"))
            detail = r.get("result") or {}
            seen = detail.get("unexpected_count", detail.get("observed_value", ""))
            rows.append([f'<span class="{"ok" if ok else "bad"}">{"passed" if ok else "FAILED"}</span>',
                         _e(config.get("description") or ""), f"<code>{_e(config.get('type'))}</code>",
                         _e(json.dumps(kwargs, default=str)[:160]), _e(seen if not ok else "")])
        ok = bool(result.get("success"))
        stats = result.get("statistics") or {}
        head = (f'<span class="{"ok" if ok else "bad"}">{"passed" if ok else "FAILED"}</span> '
                f'<b>{_e(table_name)}</b> — {stats.get("successful_expectations", "?")} of '
                f'{stats.get("evaluated_expectations", "?")} expectations, {meta.get("n_rows", "?")} rows; '
                f'run {_e(meta.get("run_id") or "?")}, validated at {_e(meta.get("validated_at") or "?")}')
        table = _table(["outcome", "guards", "expectation", "arguments", "failing"], rows)
        out.append(f"<details{' open' if not ok else ''}><summary>{head}</summary>{table}</details>")
    return "".join(out) or '<p class="muted">no validation results</p>'


def render(data_dir: Path, run: ReportInput) -> str:
    """Return the report page of a run over the published tables of data_dir."""
    data_dir = Path(data_dir)
    read = lambda name: catalogue.read_table(data_dir, name)  # noqa: E731
    documents, stories, summaries, claims = read("documents"), read("stories"), read("summaries"), read("claims")
    duplicates, rejects, runs = read("duplicates"), read("rejects"), read("runs")
    files = dict(zip(documents["doc_id"], documents["source_file"]))
    dates = dict(zip(documents["doc_id"], documents["published_date"]))
    story_rows = summaries[summaries["scope"] == "story"].set_index("scope_id")
    headlines = story_headlines(summaries)

    cards = "".join(f'<div class="card"><b>{v}</b>{_e(k)}</div>' for k, v in (
        ("input files", run.n_inputs), ("documents", run.n_documents), ("rejects", run.n_rejects),
        ("stories", len(stories)), ("duplicate pairs", len(duplicates)), ("claims", len(claims))))
    message = f"<p>{_e(run.message)}</p>" if run.message else ""
    summary = f'<section id="summary"><h2>Run</h2><div class="cards">{cards}</div>{message}</section>'

    stage_rows = [[_e(s.stage), f"{s.seconds:.2f}", _e(", ".join(f"{k} {int(v):,}" for k, v in s.counts.items()))]
                  for s in run.stages]
    timings = (f'<section id="timings"><h2>Stage timings</h2>{timing_svg(run.stages)}'
               f'{_table(["stage", "seconds", "counts"], stage_rows, {1})}</section>')

    ordered = stories_by_size(stories)
    blocks = []
    for story in ordered.head(_MAX_STORIES).to_dict("records"):
        sid = story["story_id"]
        text = story_rows["summary"].get(sid) if sid in story_rows.index else None
        sources = "".join(f"<li>{_e(files.get(d, d))} <span class=\"muted\">{_e(dates.get(d) or 'undated')}</span></li>"
                          for d in list(story["doc_ids"]))
        blocks.append(f'<div class="story"><h3>{_e(headlines.get(sid) or story["label"])}</h3>'
                      f'<p class="muted">{story["n_documents"]} documents, {story["n_distinct"]} distinct; '
                      f'{_e(story["first_date"] or "?")} – {_e(story["last_date"] or "?")}</p>'
                      f'<p>{_e(text or "")}</p><details><summary>sources</summary><ul>{sources}</ul></details></div>')
    more = f'<p class="muted">… and {len(stories) - _MAX_STORIES} more in the stories table</p>' if len(stories) > _MAX_STORIES else ""
    stories_html = (f'<section id="stories"><h2>Stories ({len(stories)})</h2><h3>Timeline</h3>'
                    f'{timeline_svg(ordered, documents, headlines)}{"".join(blocks)}{more}</section>')

    top = top_claims(claims, _MAX_CLAIMS)
    claim_rows = [[f"{c['checkworthiness']:.2f}", str(c["n_sources"]), _e(c["claim_type"]), _e(c["speaker"]),
                   _e(c["text"][:300]), _e(files.get(c["doc_id"], c["doc_id"]))] for c in top.to_dict("records")]
    claims_html = (f'<section id="claims"><h2>Top check-worthy claims</h2>'
                   f'{_table(["check-worthiness", "sources", "type", "speaker", "claim", "file"], claim_rows, {0, 1})}</section>')

    pairs = top_pairs(duplicates, _MAX_PAIRS)
    pair_rows = [[_e(files.get(p["doc_id_a"])), _e(files.get(p["doc_id_b"])), _e(p["relation"]), f"{p['score']:.2f}",
                  f"{p['jaccard']:.2f}", f"{p['containment_a_in_b']:.2f} / {p['containment_b_in_a']:.2f}",
                  str(p["shared_quotes"]), str(p["shared_numbers"]), f"{p['aligned_sentences']:.2f}", _e(p["method"])]
                 for p in pairs.to_dict("records")]
    dup_html = (f'<section id="duplicates"><h2>Duplicate pairs ({len(duplicates)})</h2>'
                + _table(["a", "b", "relation", "score", "jaccard", "containment a→b / b→a", "shared quotes",
                          "shared numbers", "aligned sentences", "method"], pair_rows, {3, 4, 6, 7, 8}) + "</section>")

    reject_rows = [[_e(r["source_file"]), f"<b>{_e(r['reason'])}</b>", _e(r["detail"]), _e(r["size_bytes"])]
                   for r in rejects.head(_MAX_REJECTS).to_dict("records")]
    rejects_html = (f'<section id="rejects"><h2>Rejects ({len(rejects)})</h2>'
                    f'{_table(["file", "reason", "detail", "bytes"], reject_rows, {3})}</section>')

    validation_html = f'<section id="validation"><h2>Validation</h2>{_validation_section(data_dir)}</section>'

    recent = runs.iloc[::-1].head(10)
    run_rows = [[_e(r["run_id"]), _e(r["status"]), _e(r["mode"]), str(r["n_inputs"]), str(r["n_new"]),
                 str(r["n_documents"]), _e(r.get("flow_run_id")), _e(r.get("config_hash", "") and str(r.get("config_hash"))[:12])]
                for r in recent.to_dict("records")]
    runs_html = (f'<section id="runs"><h2>Last runs</h2>'
                 f'{_table(["run", "status", "mode", "inputs", "new", "documents", "Prefect flow run", "config"], run_rows, {3, 4, 5})}</section>')

    nav = "".join(f'<a href="#{s}">{s}</a>' for s in SECTIONS)
    flow = f" · Prefect flow run {_e(run.flow_run_id)}" if run.flow_run_id else ""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>newsflow run {_e(run.run_id)}</title>'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><style>{_CSS}</style></head><body>'
            f'<header><h1>newsflow run {_e(run.run_id)}: {_e(run.status)}</h1>'
            f'<p>{_e(data_dir.resolve())}{flow} · generated {date.today()}</p></header><nav>{nav}</nav>'
            f'{summary}{timings}{stories_html}{claims_html}{dup_html}{rejects_html}{validation_html}{runs_html}'
            f'</body></html>')


# Reports of older runs are removed beyond this many (a served folder runs at least hourly).
REPORTS_KEPT = 30


def write(data_dir: Path, run: ReportInput) -> Path:
    """Write the run's report to data/reports/<run_id>.html and data/report.html (atomic renames), keep the newest
    REPORTS_KEPT run reports; return the run's page."""
    page = render(data_dir, run).encode("utf-8")
    folder = internal_dir(Path(data_dir), "reports")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{run.run_id}.html"
    for destination in (target, Path(data_dir) / "report.html"):
        tmp = destination.parent / f".{destination.name}.{secrets.token_hex(6)}.tmp"
        try:
            tmp.write_bytes(page)
            os.replace(tmp, destination)
        finally:
            tmp.unlink(missing_ok=True)
    # Run ids start with their UTC time, so name order is age order.
    for old in sorted(folder.glob("*.html"))[:-REPORTS_KEPT]:
        if old != target:
            old.unlink(missing_ok=True)
    return target
