"""What a run shows: its HTML report under data/, and in the Prefect UI stage counts and seconds, validation
results, the run report published inline, the table lineage and a markdown digest of the stories.

The report reaches the UI as a markdown artifact, not as a link: Prefect's server stores artifacts and serves them
to its UI, which renders markdown (marked, then DOMPurify with its html and svg profiles, so tables, <details> and
<img> with data: URIs survive), while it has no route for arbitrary files and a browser refuses file:// links
from an http page. So the plots are inline SVG images and the page needs nothing but the server.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.context import FlowRunContext

from newsflow import catalogue
from newsflow.report import (stories_by_size, story_headlines, svg_image, timeline_svg, timing_svg, top_claims,
                             top_pairs, validation_results)

_TOP_CLAIMS = 3
_TOP_STORIES = 30  # the UI renders one markdown page; every story is in the tables
_TOP_PAIRS = 20


def flow_run_id() -> str | None:
    """Return the id of the Prefect flow run this code runs in (None outside one)."""
    context = FlowRunContext.get()
    return str(context.flow_run.id) if context is not None and context.flow_run is not None else None


def stage_rows(summary: Any) -> list[dict[str, object]]:
    """Return one row per stage: its name, seconds and counts (one text column: the UI takes columns from row one)."""
    return [
        {"stage": s.stage, "seconds": round(s.seconds, 3), "counts": ", ".join(f"{k} {int(v)}" for k, v in s.counts.items())}
        for s in summary.stages
    ]


def validation_rows(data_dir: Path) -> list[dict[str, object]]:
    """Return one row per table's latest validation: passed or not, expectation counts, the failed expectations."""
    rows: list[dict[str, object]] = []
    for table_name, result in validation_results(data_dir):
        stats = result.get("statistics") or {}
        failed = [r.get("expectation_config", {}).get("type", "?") for r in result.get("results", []) if not r.get("success")]
        rows.append({"table": table_name, "success": bool(result.get("success")),
                     "expectations": int(stats.get("evaluated_expectations") or 0),
                     "failed": int(stats.get("unsuccessful_expectations") or 0),
                     "failed_expectations": ", ".join(failed) or "-",
                     "run_id": str((result.get("meta") or {}).get("run_id") or ""),
                     "validated_at": str((result.get("meta") or {}).get("validated_at")
                                         or (result.get("meta") or {}).get("validation_time") or "")})
    return rows


def stories_markdown(data_dir: Path, summary: Any) -> str:
    """Render the largest published stories: headline, summary, top check-worthy claims with their source counts."""
    stories = catalogue.read_table(data_dir, "stories")
    summaries = catalogue.read_table(data_dir, "summaries")
    claims = catalogue.read_table(data_dir, "claims")
    story_of = catalogue.read_table(data_dir, "documents").set_index("doc_id")["story_id"]
    lines = [f"# newsflow run {summary.run_id}: {summary.status}", "",
             f"{summary.n_inputs} input files, {summary.n_documents} documents, {summary.n_rejects} rejects, "
             f"{len(stories)} stories.",
             f"Validation results: `{Path(data_dir) / 'validation'}`; the run report: `{Path(data_dir) / 'report.html'}`.", ""]
    if summary.message:
        lines += [f"> {summary.message}", ""]
    shown = stories_by_size(stories).head(_TOP_STORIES)
    story_summaries = {r["scope_id"]: r for r in summaries[summaries["scope"] == "story"].to_dict("records")}
    # One sort and group for all stories: filtering the claims once per story is quadratic (32 s at 2,000 articles).
    claims = claims.assign(story_id=claims["doc_id"].map(story_of))
    claims = claims[claims["story_id"].isin(shown["story_id"])].sort_values(
        ["story_id", "checkworthiness", "n_sources", "claim_id"], ascending=[True, False, False, True])
    top_claims: dict[str, list[dict[str, Any]]] = {}
    for claim in (claims.drop_duplicates(["story_id", "claim_group_id"]).groupby("story_id", sort=False).head(_TOP_CLAIMS)
                  .loc[:, ["story_id", "speaker", "checkworthiness", "n_sources", "text"]].to_dict("records")):
        top_claims.setdefault(claim["story_id"], []).append(claim)
    for story in shown.to_dict("records"):
        row = story_summaries.get(story["story_id"])
        headline = row["headline"] if row is not None and row["headline"] else story["label"]
        lines += [f"## {headline}", f"*{story['n_documents']} documents, {story['n_distinct']} distinct; "
                  f"{story['first_date'] or '?'} – {story['last_date'] or '?'}*", ""]
        if row is not None:
            lines += [row["summary"], ""]
        for claim in top_claims.get(story["story_id"], []):
            who = f" — {claim['speaker']}" if isinstance(claim["speaker"], str) and claim["speaker"] else ""
            lines.append(f"- ({claim['checkworthiness']:.2f}, {claim['n_sources']} sources) {claim['text'][:240]}{who}")
        lines.append("")
    if len(stories) > len(shown):
        lines.append(f"… and {len(stories) - len(shown)} smaller stories (all in the `stories` and `summaries` tables).")
    return "\n".join(lines)


def write_report(data_dir: Path, summary: Any) -> Path | None:
    """Write the run's HTML report (data/reports/<run_id>.html); a report that cannot be written never fails the run."""
    from newsflow import report

    try:
        path = report.write(data_dir, report.ReportInput(
            summary.run_id, summary.status, list(summary.stages), summary.n_inputs, summary.n_documents,
            summary.n_rejects, summary.message, flow_run_id()))
    except Exception as exc:  # noqa: BLE001 - the tables are published; the report is a view of them
        logging.getLogger("newsflow").warning("could not write the run report: %s", exc)
        return None
    if hasattr(summary, "report"):
        summary.report = str(path)
    return path


def report_markdown(data_dir: Path, summary: Any, path: Path | None) -> str:
    """Render the run report for the UI (published inline): counts, stage timings with their plot, the story
    timeline, validation, top claims, duplicate pairs with their evidence, rejects, lineage; the page's file last."""
    documents, stories = catalogue.read_table(data_dir, "documents"), catalogue.read_table(data_dir, "stories")
    claims, duplicates = catalogue.read_table(data_dir, "claims"), catalogue.read_table(data_dir, "duplicates")
    rejects, summaries = catalogue.read_table(data_dir, "rejects"), catalogue.read_table(data_dir, "summaries")
    lines = [f"# newsflow run {summary.run_id}: {summary.status}", "",
             f"**{summary.n_inputs}** input files · **{summary.n_documents}** documents · **{summary.n_rejects}** rejects · "
             f"**{len(stories)}** stories · **{len(duplicates)}** duplicate pairs · **{len(claims)}** claims", ""]
    if summary.message:
        lines += [f"> {_md(summary.message)}", ""]
    lines += ["## Stage timings", "", svg_image(timing_svg(list(summary.stages)), "seconds per stage"), "",
              "| stage | seconds | counts |", "|---|---:|---|"]
    lines += [f"| {r['stage']} | {r['seconds']} | {r['counts']} |" for r in stage_rows(summary)]
    timeline = svg_image(timeline_svg(stories_by_size(stories), documents, story_headlines(summaries)), "story timeline")
    if timeline:
        lines += ["", "## Story timeline", "", timeline]
    lines += ["", "## Validation", "", "| table | result | expectations | failed | validated at |", "|---|---|---:|---|---|"]
    lines += [f"| {r['table']} | {'passed' if r['success'] else '**FAILED**'} | {r['expectations']} | "
              f"{r['failed_expectations']} | {r['validated_at']} |" for r in validation_rows(data_dir)]
    if len(claims):
        top = top_claims(claims, 10)
        lines += ["", "## Top check-worthy claims", "", "| score | sources | speaker | claim |", "|---:|---:|---|---|"]
        lines += [f"| {c['checkworthiness']:.2f} | {c['n_sources']} | {_md(c['speaker'])} | {_md(c['text'][:200])} |"
                  for c in top.to_dict("records")]
    if len(duplicates):
        files = dict(zip(documents["doc_id"], documents["source_file"]))
        pairs = top_pairs(duplicates, _TOP_PAIRS)
        lines += ["", f"## Duplicate pairs ({len(duplicates)})", "",
                  "| a | b | relation | score | jaccard | shared quotes | shared numbers |", "|---|---|---|---:|---:|---:|---:|"]
        lines += [f"| {_md(files.get(p['doc_id_a']))} | {_md(files.get(p['doc_id_b']))} | {p['relation']} | "
                  f"{p['score']:.2f} | {p['jaccard']:.2f} | {p['shared_quotes']} | {p['shared_numbers']} |"
                  for p in pairs.to_dict("records")]
    if len(rejects):
        lines += ["", f"## Rejects ({len(rejects)})", "", "| file | reason | detail |", "|---|---|---|"]
        lines += [f"| {_md(r['source_file'])} | {r['reason']} | {_md(r['detail'])} |" for r in rejects.head(50).to_dict("records")]
    lines += ["", "## Table lineage", "", "| table | written by | reads |", "|---|---|---|"]
    lines += [f"| {r['table']} | {r['stage']} | {r['upstream']} |" for r in lineage_rows(data_dir, None)]
    if path is not None:
        lines += ["", "---", f"The same report as one self-contained HTML page (opens offline, every section in full): "
                          f"`{Path(path).resolve()}` (also `{Path(data_dir).resolve() / 'report.html'}`)."]
    return "\n".join(lines)


def _md(value: Any) -> str:
    text = value if isinstance(value, str) else ""  # None and NaN (no speaker, no file) print as nothing
    return text.replace("|", "\\|").replace("\n", " ")


# Table-level lineage, stage by stage: what each stage publishes and the tables (or the seeds folder) it reads.
# Analyst tables only: documents (built by deduplicate from clean's internal _clean_documents) comes from the seeds.
LINEAGE: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("clean", ("sentences", "boilerplate", "rejects"), ("<seeds>",)),
    ("deduplicate", ("documents",), ("<seeds>",)),
    ("deduplicate", ("duplicates", "stories"), ("documents", "sentences")),
    ("extract_claims", ("claims",), ("documents", "sentences")),
    ("summarise", ("summaries",), ("documents", "sentences", "stories")),
)


def asset_key(data_dir: Path, table: str) -> str:
    """Return the Prefect asset key of a published table (its file's URI)."""
    return (Path(data_dir).resolve() / f"{table}.parquet").as_uri()


def lineage_rows(data_dir: Path, seeds_dir: Path | None) -> list[dict[str, str]]:
    """Return one row per published table: the stage that writes it, its upstream tables, and its asset key."""
    seeds = Path(seeds_dir).resolve().as_uri() if seeds_dir is not None else "the seeds folder"
    return [{"table": name, "stage": stage, "upstream": ", ".join(seeds if i == "<seeds>" else i for i in inputs),
             "asset": asset_key(data_dir, name)} for stage, outputs, inputs in LINEAGE for name in outputs]


def publish_lineage(data_dir: Path, seeds_dir: Path) -> int:
    """Emit a Prefect asset materialization per published table with its upstream tables (the UI's Assets lineage);
    return the number of assets. Emitted after the publish, so an asset is only ever a validated, published table."""
    from prefect.assets import Asset
    from prefect.assets.core import AssetProperties
    from prefect.context import AssetContext
    from prefect.states import Completed

    seeds = Asset(key=Path(seeds_dir).resolve().as_uri(), properties=AssetProperties(name="seeds", description="input articles"))
    emitted = 0
    for stage, outputs, inputs in LINEAGE:
        upstream = {seeds if name == "<seeds>" else Asset(key=asset_key(data_dir, name)) for name in inputs}
        downstream = {Asset(key=asset_key(data_dir, name), properties=AssetProperties(
            name=name, description=catalogue.table(name).grain)) for name in outputs}
        rows = {asset_key(data_dir, name): {"stage": stage,
                                            "rows": catalogue.count_rows(data_dir, name)}
                for name in outputs}
        AssetContext(direct_asset_dependencies=upstream, downstream_assets=downstream, materialized_by="newsflow",
                     materialization_metadata=rows).emit_events(Completed())
        emitted += len(downstream)
    return emitted


def publish_artifacts(data_dir: Path, summary: Any, seeds_dir: Path | None = None) -> None:
    """Write the run's report, and create its UI artifacts and (after a publish) its table lineage (only inside a Prefect flow run)."""
    path = write_report(data_dir, summary)
    if FlowRunContext.get() is None:
        return
    if seeds_dir is not None and summary.status == "completed":
        try:
            publish_lineage(data_dir, seeds_dir)
        except Exception as exc:  # noqa: BLE001 - lineage is a view; the tables are published
            logging.getLogger("newsflow").warning("could not publish the table lineage: %s", exc)
    create_table_artifact(key="stage-counts", table=stage_rows(summary), description="Counts and seconds per stage")
    if seeds_dir is not None:
        create_table_artifact(key="lineage", table=lineage_rows(data_dir, seeds_dir),
                              description="Table-level lineage: each published table, the stage writing it and the "
                                          "tables it reads (the same links as the asset events in the Event Feed)")
    create_table_artifact(key="validation", table=validation_rows(data_dir),
                          description="Latest Great Expectations result per table (every expectation: the run report)")
    create_markdown_artifact(key="run-report", markdown=report_markdown(data_dir, summary, path),
                             description="The run report, published inline (plots included); the same page as "
                                         "self-contained HTML is under data/reports/")
    if summary.status == "completed" or catalogue.exists(data_dir, "stories"):
        create_markdown_artifact(key="stories", markdown=stories_markdown(data_dir, summary),
                                 description="Stories with their summaries and top check-worthy claims")


def publish_failure_artifacts(data_dir: Path, summary: Any) -> None:
    """Create a failed run's artifacts (stages done so far, validation results); never hides the run's own error."""
    try:
        publish_artifacts(data_dir, summary)
    except Exception:
        logging.getLogger("newsflow").warning("could not create the failed run's artifacts", exc_info=True)
