"""The pipeline's configuration: one frozen dataclass per stage, built from the flow's parameters."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path

from transforms.claims import ClaimsConfig
from transforms.clean import CleanConfig
from transforms.dedup import DedupConfig
from transforms.ingest import IngestConfig
from transforms.summarise import SummariseConfig

# Bump when a transform changes its output for the same input: a run then recomputes every document.
PIPELINE_VERSION = "1"


@dataclass(frozen=True)
class PipelineConfig:
    """Everything a run needs: folders and each stage's settings."""

    seeds_dir: Path
    data_dir: Path
    ingest: IngestConfig = field(default_factory=IngestConfig)
    clean: CleanConfig = field(default_factory=CleanConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    claims: ClaimsConfig = field(default_factory=ClaimsConfig)
    summarise: SummariseConfig = field(default_factory=SummariseConfig)

    def stage_fingerprint(self) -> str:
        """Return a stable text of every stage setting and the pipeline version (folders excluded)."""
        settings = {
            name: dataclasses.asdict(getattr(self, name))
            for name in ("ingest", "clean", "dedup", "claims", "summarise")
        }
        return json.dumps({"version": PIPELINE_VERSION, "settings": settings}, sort_keys=True, default=str)


def build_config(
    seeds: str | Path = "seeds",
    data: str | Path = "data",
    max_file_mb: float = 5.0,
    near_duplicate_jaccard: float | None = None,
    spun_threshold: float | None = None,
    story_threshold: float | None = None,
    summary_sentences: int | None = None,
) -> PipelineConfig:
    """Build a PipelineConfig from the flow's (UI-editable) parameters; None keeps a stage's default."""
    dedup = DedupConfig()
    dedup = dataclasses.replace(
        dedup,
        **{k: v for k, v in {"near_threshold": near_duplicate_jaccard, "spun_threshold": spun_threshold,
                             "story_threshold": story_threshold}.items() if v is not None},
    )
    summarise = SummariseConfig()
    if summary_sentences is not None:
        summarise = dataclasses.replace(summarise, target_sentences=summary_sentences)
    return PipelineConfig(
        seeds_dir=Path(seeds),
        data_dir=Path(data),
        ingest=IngestConfig(max_bytes=int(max_file_mb * 1024 * 1024)),
        dedup=dedup,
        summarise=summarise,
    )
