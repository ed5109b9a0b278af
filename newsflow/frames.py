"""Small DataFrame helpers shared by the flow and the suites."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def isin(values: pd.Series, allowed: pd.Series | Iterable[object]) -> np.ndarray:
    """Return, per value, whether it occurs among `allowed` (nulls never do), as a boolean array.

    Arrow's is_in on strings: pandas' own isin on Arrow-backed string columns boxes every allowed value
    as a scalar first, which costs ~10x more on id columns of a large table.
    """
    allowed_list = allowed.tolist() if isinstance(allowed, pd.Series) else list(allowed)
    if values.empty or not allowed_list:
        return np.zeros(len(values), dtype=bool)
    if not all(isinstance(v, str) for v in allowed_list):
        return values.isin(allowed_list).to_numpy(dtype=bool)
    found = pc.is_in(pa.array(values.astype(object), type=pa.string(), from_pandas=True),
                     value_set=pa.array(allowed_list, type=pa.string()))
    return found.fill_null(False).to_numpy(zero_copy_only=False)
