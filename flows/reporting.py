"""What a run shows in the Prefect UI: stage counts and seconds, validation results, and a markdown digest of the stories."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.context import FlowRunContext

from newsflow import catalogue

_TOP_CLAIMS = 3
_TOP_STORIES = 30  # the UI renders one markdown page; every story is in the tables


def stage_rows(summary: Any) -> list[dict[str, object]]:
    """Return one row per stage: its name, seconds and counts (one text column: the UI takes columns from row one)."""
    return [
        {"stage": s.stage, "seconds": round(s.seconds, 3), "counts": ", ".join(f"{k} {int(v)}" for k, v in s.counts.items())}
        for s in summary.stages
    ]


def validation_rows(data_dir: Path) -> list[dict[str, object]]:
    """Return one row per table's latest validation: passed or not, expectation counts, the failed expectations."""
    rows: list[dict[str, object]] = []
    for path in sorted((Path(data_dir) / "validation").glob("*.json")):
        try:
            result = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        stats = result.get("statistics") or {}
        failed = [r.get("expectation_config", {}).get("type", "?") for r in result.get("results", []) if not r.get("success")]
        rows.append({"table": path.stem, "success": bool(result.get("success")),
                     "expectations": int(stats.get("evaluated_expectations") or 0),
                     "failed": int(stats.get("unsuccessful_expectations") or 0),
                     "failed_expectations": ", ".join(failed) or "-",
                     "validated_at": str((result.get("meta") or {}).get("validation_time", ""))})
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
             f"Validation results: `{Path(data_dir) / 'validation'}` (Data Docs: `validation/docs/index.html`).", ""]
    if summary.message:
        lines += [f"> {summary.message}", ""]
    shown = stories.sort_values(["n_documents", "story_id"], ascending=[False, True]).head(_TOP_STORIES)
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


def publish_artifacts(data_dir: Path, summary: Any) -> None:
    """Create the run's UI artifacts (only inside a Prefect flow run)."""
    if FlowRunContext.get() is None:
        return
    create_table_artifact(key="stage-counts", table=stage_rows(summary), description="Counts and seconds per stage")
    docs = Path(data_dir).resolve() / "validation" / "docs" / "index.html"
    create_table_artifact(key="validation", table=validation_rows(data_dir),
                          description=f"Latest Great Expectations result per table; Data Docs: {docs}")
    if docs.exists():
        create_link_artifact(key="data-docs", link=docs.as_uri(), link_text=str(docs),
                             description="Great Expectations Data Docs (open the file on the machine that ran the flow)")
    if summary.status == "completed" or catalogue.exists(data_dir, "stories"):
        create_markdown_artifact(key="stories", markdown=stories_markdown(data_dir, summary),
                                 description="Stories with their summaries and top check-worthy claims")


def publish_failure_artifacts(data_dir: Path, summary: Any) -> None:
    """Create a failed run's artifacts (stages done so far, validation results); never hides the run's own error."""
    try:
        publish_artifacts(data_dir, summary)
    except Exception:
        logging.getLogger("newsflow").warning("could not create the failed run's artifacts", exc_info=True)
