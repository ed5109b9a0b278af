from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from newsflow.frames import isin

_ids = st.sampled_from(["a", "b", "c", "dé", ""])


@given(values=st.lists(st.one_of(_ids, st.none()), max_size=20), allowed=st.lists(_ids, max_size=6))
def test_isin_matches_membership_and_never_matches_nulls(values, allowed):
    series = pd.Series(values, dtype="str")
    got = isin(series, pd.Series(allowed, dtype="str"))
    assert got.dtype == bool and len(got) == len(values)
    assert got.tolist() == [v is not None and v in allowed for v in values]
    assert isin(series, frozenset(allowed)).tolist() == got.tolist()


def test_isin_falls_back_for_non_string_values():
    assert isin(pd.Series([1, 2, 3]), [2, 3]).tolist() == [False, True, True]
    assert isin(pd.Series([], dtype="str"), ["a"]).tolist() == []
