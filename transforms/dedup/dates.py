"""Dates carried across copies and stories for documents without a header or text date."""

from __future__ import annotations

from datetime import date

import pandas as pd

OWN_DATE_SOURCES: frozenset[str] = frozenset({"header", "text"})


def own_dates(documents: pd.DataFrame) -> list[date | None]:
    """Return per document its own date (header or text), None otherwise (earlier estimates are ignored)."""
    return [pd.Timestamp(d).date() if src in OWN_DATE_SOURCES and d is not None and not pd.isna(d) else None
            for d, src in zip(documents["published_date"], documents["date_source"])]


def _median_date(values: list[date]) -> date:
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def fill_dates(own: list[date | None], groups: list[str], stories: list[str]) -> tuple[list[date | None], list[str]]:
    """Return (published_date, date_source) per document: its own date, else the earliest of its duplicate group
    ('duplicate'), else the median of its story's dated documents ('story'), else None ('none')."""
    by_group: dict[str, list[date]] = {}
    by_story: dict[str, list[date]] = {}
    for d, g, s in zip(own, groups, stories):
        if d is not None:
            by_group.setdefault(g, []).append(d)
            by_story.setdefault(s, []).append(d)
    dates: list[date | None] = []
    sources: list[str] = []
    for d, g, s in zip(own, groups, stories):
        if d is not None:
            dates.append(d)
            sources.append("own")
        elif g in by_group:
            dates.append(min(by_group[g]))
            sources.append("duplicate")
        elif s in by_story:
            dates.append(_median_date(by_story[s]))
            sources.append("story")
        else:
            dates.append(None)
            sources.append("none")
    return dates, sources
