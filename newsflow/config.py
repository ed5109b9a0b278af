"""The pipeline's configuration: one frozen dataclass per stage, built from the flow's parameters."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from newsflow.exitcodes import InvalidParameter
from newsflow.limits import MAX_FILE_MB_LIMIT, MAX_SUMMARY_SENTENCES, THRESHOLDS, out_of_range

from transforms.claims import ClaimsConfig
from transforms.clean import CleanConfig
from transforms.dedup import DedupConfig
from transforms.ingest import IngestConfig
from transforms.summarise import SummariseConfig

# Bump when a transform changes its output for the same input: a run then recomputes every document.
PIPELINE_VERSION = "1"

# Set by `newsflow serve` for its flow runs: a run started through the API may only use the served folders.
SERVED_FOLDERS_ENV = "NEWSFLOW_SERVED_FOLDERS"


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
    max_shrink_share: float = 0.5
    """A run that would remove more than this share of the published documents is refused (unless allowed)."""
    keep_versions: int = 3
    """How many published versions are kept for `newsflow rollback`."""

    def stage_fingerprint(self) -> str:
        """Return a stable text of every stage setting and the pipeline version (folders excluded)."""
        settings = {
            name: dataclasses.asdict(getattr(self, name))
            for name in ("ingest", "clean", "dedup", "claims", "summarise")
        }
        return json.dumps({"version": PIPELINE_VERSION, "settings": settings}, sort_keys=True, default=str)

    def stage_keys(self) -> dict[str, str]:
        """Return per stage a digest of its own settings and the pipeline version: a stage whose key changed
        recomputes its output (and what reads it); the others may keep theirs."""
        return {stage: hashlib.sha256(json.dumps([PIPELINE_VERSION, dataclasses.asdict(getattr(self, attr))],
                                                 sort_keys=True, default=str).encode()).hexdigest()
                for stage, attr in STAGE_SETTINGS.items()}


# Each stage's settings (a PipelineConfig field) and the flow parameter behind each setting.
STAGE_SETTINGS: dict[str, str] = {"ingest": "ingest", "clean": "clean", "deduplicate": "dedup",
                                  "extract_claims": "claims", "summarise": "summarise"}
PARAMETER_STAGE: dict[str, str] = {"max_file_mb": "ingest", "near_duplicate_jaccard": "deduplicate",
                                   "spun_threshold": "deduplicate", "story_threshold": "deduplicate",
                                   "summary_sentences": "summarise"}


def build_config(
    seeds: str | Path = "seeds",
    data: str | Path = "data",
    max_file_mb: float = 5.0,
    near_duplicate_jaccard: float | None = None,
    spun_threshold: float | None = None,
    story_threshold: float | None = None,
    summary_sentences: int | None = None,
) -> PipelineConfig:
    """Build a PipelineConfig from the flow's (UI-editable) parameters; None keeps a stage's default; InvalidParameter
    names a value out of range and a data folder inside the seeds folder."""
    max_file_mb = _number("max_file_mb", max_file_mb, 0.0, MAX_FILE_MB_LIMIT, low_open=True)
    given = {"near_duplicate_jaccard": near_duplicate_jaccard, "spun_threshold": spun_threshold,
             "story_threshold": story_threshold}
    for name in THRESHOLDS:
        if (value := given[name]) is not None:
            _number(name, value, 0.0, 1.0, low_open=True)
    if summary_sentences is not None:
        if isinstance(summary_sentences, bool) or not isinstance(summary_sentences, int) \
                or not 1 <= summary_sentences <= MAX_SUMMARY_SENTENCES:
            raise InvalidParameter(f"summary_sentences must be a whole number from 1 to {MAX_SUMMARY_SENTENCES}, "
                                   f"not {summary_sentences!r}")
    _check_folders(Path(seeds), Path(data))
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


def _number(name: str, value: object, low: float, high: float, low_open: bool = False) -> float:
    """Return value as a float when it is a finite number in (low or [low, high]; else raise InvalidParameter."""
    why = out_of_range(name, value, low, high, low_open)
    if why is not None:
        raise InvalidParameter(why)
    return float(value)  # type: ignore[arg-type]


def _check_folders(seeds: Path, data: Path) -> None:
    """Refuse a data folder inside the seeds folder (its tables would be inputs, and each run would trigger the next),
    and, in a served flow run, any folder other than the served ones."""
    seeds_real, data_real = seeds.resolve(), data.resolve()
    served = os.environ.get(SERVED_FOLDERS_ENV)
    if served:
        allowed = json.loads(served)
        if str(seeds_real) != allowed.get("seeds") or str(data_real) != allowed.get("data"):
            raise InvalidParameter(f"this server only runs seeds={allowed.get('seeds')} data={allowed.get('data')}; "
                                   f"refusing seeds={seeds} data={data}")
    if data_real == seeds_real or data_real.is_relative_to(seeds_real):
        raise InvalidParameter(f"the data folder {data} is inside the seeds folder {seeds}: choose a data folder outside it")
