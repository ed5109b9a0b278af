from datetime import date

import pandas as pd

from transforms.dedup.dates import fill_dates, own_dates


def test_own_dates_ignore_earlier_estimates():
    docs = pd.DataFrame({"published_date": [date(2023, 1, 1), date(2023, 1, 2), None],
                         "date_source": ["header", "story", "none"]})
    assert own_dates(docs) == [date(2023, 1, 1), None, None]


def test_fill_prefers_group_then_story_median():
    own = [date(2023, 3, 22), None, date(2023, 3, 20), date(2023, 3, 24), None, None]
    groups = ["g1", "g1", "g2", "g3", "g4", "g5"]
    stories = ["s1", "s1", "s1", "s1", "s1", "s2"]
    dates, sources = fill_dates(own, groups, stories)
    assert dates[1] == date(2023, 3, 22) and sources[1] == "duplicate"
    assert dates[4] == date(2023, 3, 22) and sources[4] == "story"
    assert dates[5] is None and sources[5] == "none"
    assert sources[0] == "own"
