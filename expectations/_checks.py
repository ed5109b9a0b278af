"""Shared derived-column checks for suites (boolean columns that GX then expects to be all True)."""

from __future__ import annotations

from datetime import date

import great_expectations.expectations as gxe
import pandas as pd

from newsflow import frames


def all_true(column: str, why: str) -> gxe.ExpectColumnValuesToBeInSet:
    """Expect a derived boolean check column to be True on every row."""
    return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=[True], meta={"why": why})


def ids_in(values: pd.Series, allowed: pd.Series) -> pd.Series:
    """Return, per value, whether it occurs among the allowed ids."""
    return pd.Series(frames.isin(values, allowed), index=values.index, dtype=bool)


def dates_in_range(values: pd.Series, earliest: date, latest: date) -> pd.Series:
    """Return, per value, whether a nullable date lies in [earliest, latest] (null counts as in range)."""
    return pd.Series([d is None or pd.isna(d) or earliest <= pd.Timestamp(d).date() <= latest for d in values.tolist()],
                     index=values.index, dtype=bool)


def spans_verbatim(frame: pd.DataFrame, texts: pd.DataFrame, text_column: str = "text") -> pd.Series:
    """Return, per row, whether clean_text[char_start:char_end] of its document equals the row's text."""
    body_of = dict(zip(texts["doc_id"].tolist(), texts["clean_text"].tolist())).get
    columns = (frame[c].tolist() for c in ("doc_id", "char_start", "char_end", text_column))  # tolist: no boxing per value
    # One comprehension, no call per row: this runs over every sentence and claim of the corpus on each run.
    return pd.Series([(body := body_of(d)) is not None and 0 <= int(s) < int(e) <= len(body) and body[int(s):int(e)] == t
                      for d, s, e, t in zip(*columns)], index=frame.index, dtype=bool)
