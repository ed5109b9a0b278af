from hypothesis import given
from hypothesis import strategies as st

from transforms.sentences import split_sentences


def _texts(paragraph: str) -> list[str]:
    return [paragraph[a:b] for a, b in split_sentences(paragraph)]


def test_abbreviations_do_not_break_sentences():
    text = "He met Mr. Smith in the U.S. on Sept. 5 to talk. The U.S. economy grew."
    assert _texts(text) == ["He met Mr. Smith in the U.S. on Sept. 5 to talk.", "The U.S. economy grew."]


def test_quotes_ending_in_punctuation_stay_with_their_sentence():
    text = "“Is this it?” he asked. “Yes.” She left. Putin said he was “convinced it will grow”."
    assert _texts(text) == ["“Is this it?” he asked.", "“Yes.”", "She left.", "Putin said he was “convinced it will grow”."]


def test_long_single_line_is_split_and_offsets_hold():
    text = ("word " * 30_000).strip()
    spans = split_sentences(text)
    assert spans and all(0 <= a < b <= len(text) for a, b in spans)
    assert all(text[a:b].strip() == text[a:b] for a, b in spans)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_spans_are_ordered_trimmed_and_inside(text):
    spans = split_sentences(text)
    last = 0
    for a, b in spans:
        assert last <= a < b <= len(text)
        assert text[a:b] == text[a:b].strip()
        last = b
