"""Story summaries (placeholder while developing)."""
from __future__ import annotations
import pandas as pd
from transforms.summarise.config import SummariseConfig
def summarise_stories(documents: pd.DataFrame, sentences: pd.DataFrame, stories: pd.DataFrame, config: SummariseConfig = SummariseConfig()) -> pd.DataFrame:
    """Placeholder."""
    raise NotImplementedError
