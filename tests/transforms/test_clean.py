from datetime import date

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms.clean import (
    CLEAN_DOCUMENT_COLUMNS,
    SENTENCE_COLUMNS,
    clean_document,
    clean_documents,
    normalise_text,
    parse_date_header,
    text_date,
    unwrap_blocks,
)
from transforms.ingest import EMPTY_AFTER_CLEANING

RUN_DATE = date(2026, 11, 22)


def test_date_header_on_its_own_line_and_inline():
    assert parse_date_header("date 2023-03-22\nBody.", RUN_DATE).published_date == date(2023, 3, 22)
    inline = parse_date_header(" date 2024-05-19 HONG KONG -- Body.", RUN_DATE)
    assert inline.published_date == date(2024, 5, 19) and inline.body == "HONG KONG -- Body."


def test_impossible_future_and_ancient_dates_are_recorded_not_used():
    for header, issue in [("2023-02-30", "impossible"), ("2031-01-01", "future"), ("1980-05-01", "before 1990")]:
        got = parse_date_header(f"date {header}\nBody.", RUN_DATE)
        assert got.published_date is None and issue in got.issue and got.body == "Body."


def test_no_header_leaves_text_alone():
    got = parse_date_header("Updated date 2023-01-01 in text.", RUN_DATE)
    assert got.published_date is None and got.issue is None and got.body.startswith("Updated")


def test_normalise_keeps_quotes_fixes_mojibake_and_line_ends():
    assert normalise_text("He said “yes”\r\nand \u00a0 left") == "He said “yes”\nand left"
    assert normalise_text("Xiâ€™s visit") == "Xi’s visit"
    assert normalise_text("zero\u200bwidth") == "zerowidth"


def test_bidi_controls_are_removed_like_zero_width_ones():
    controls = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
    assert normalise_text("".join(f"a{c}" for c in controls) + "b") == "a" * len(controls) + "b"
    doc = clean_document("Prices rose \u202eby\u202c 5% in \u2067Cairo\u2069 on Monday, officials said.", RUN_DATE)
    assert doc.clean_text == "Prices rose by 5% in Cairo on Monday, officials said."


def test_unparsable_header_date_is_recorded_not_a_crash():
    for header in ("99999-01-01", "2024-00-10", "0-1-1"):
        doc = clean_document(f"date {header}\nThe council voted on the budget on Monday, its chair said.", RUN_DATE)
        assert doc.published_date is None or doc.date_source == "text"
        assert doc.date_issue is not None and "impossible" in doc.date_issue
        assert doc.clean_text.startswith("The council voted")


def test_unwrap_joins_hard_wrapped_lines_only():
    wrapped = [
        "Chinese President Xi Jinping's closely watched visit to Moscow this week has been filled with",
        "statements trumpeting a new era of relations between the two allies as they increasingly align",
        "themselves against the West.",
        "",
        "But while it dominated headlines, Xi's reunion with Russian counterpart Vladimir Putin, who",
        "he has called a dear friend, is unlikely to catalyze a major shift in bilateral cooperation or",
        "in efforts to end the war in Ukraine, experts say.",
        "A short heading",
    ]
    blocks = unwrap_blocks(wrapped)
    assert [b.line_no for b in blocks] == [1, 5, 8]
    assert blocks[0].text.endswith("align themselves against the West.")


def test_unwrap_keeps_one_block_per_line_text_apart():
    lines = ["Home", "News", "A long paragraph of body text that goes on and on for a while here.", "Sports"]
    assert [b.text for b in unwrap_blocks(lines)] == lines


def test_text_date_only_from_short_lines_near_the_top():
    assert text_date(["By A. Writer", "Thursday, November 9, 2023 4:41AM", "Body"], RUN_DATE) == date(2023, 11, 9)
    long_line = "In a speech that ran long, he recalled March 3, 2001 and other days " * 2
    assert text_date([long_line], RUN_DATE) is None


def test_clean_document_marks_headings_and_removes_boilerplate():
    text = (
        "date 2024-05-19 The two leaders met on Thursday in Beijing for talks that ran late into the evening, "
        "officials said, and agreed to expand trade in energy and farm goods over the coming years.\n\n"
        "Related: Leaders meet elsewhere in another story entirely\n\n"
        "A partnership without limits\n\n"
        "The second paragraph explains what the partnership means for both countries, which have drawn "
        "closer since the war began and now trade more than ever before. It has two sentences."
    )
    got = clean_document(text, RUN_DATE)
    assert got.published_date == date(2024, 5, 19) and got.date_source == "header"
    assert "Related:" not in got.clean_text
    assert [rule for _, _, rule in got.boilerplate] == ["related_link"]
    headings = [got.clean_text[a:b] for _, a, b, h in got.sentences if h]
    assert headings == ["A partnership without limits"]
    assert [got.clean_text[a:b] for _, a, b, h in got.sentences if not h][-1] == "It has two sentences."


def test_clean_documents_rejects_text_that_is_all_boilerplate():
    raw = pd.DataFrame([
        {"doc_id": "d1", "source_file": "a.txt", "sha256": "0" * 64, "encoding": "utf-8",
         "text": "JOIN US ON TELEGRAM\nCopyright 2024 Example News. All rights reserved."},
        {"doc_id": "d2", "source_file": "b.txt", "sha256": "1" * 64, "encoding": "utf-8",
         "text": "A real sentence about a summit in Moscow between two leaders. Another one follows it."},
    ])
    before = raw.copy()
    out = clean_documents(raw, RUN_DATE)
    pd.testing.assert_frame_equal(raw, before)
    assert list(out.documents.columns) == CLEAN_DOCUMENT_COLUMNS
    assert list(out.sentences.columns) == SENTENCE_COLUMNS
    assert out.documents["doc_id"].tolist() == ["d2"]
    assert out.rejects["reason"].tolist() == [EMPTY_AFTER_CLEANING]
    doc = out.documents.iloc[0]
    for s in out.sentences.itertuples():
        assert doc["clean_text"][s.char_start:s.char_end] == s.text


_PARAGRAPH = st.lists(
    st.sampled_from(["The minister said talks went well.", "Prices rose 5% in May.", "“We agree,” she said.",
                     "Mr. Lee left for the U.S. on Monday.", "Related issues remain open.", "Reuters reported the deal."]),
    min_size=1, max_size=4,
).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(_PARAGRAPH, min_size=1, max_size=6), st.sampled_from(["\n\n", "\n"]))
def test_cleaning_is_idempotent_and_offsets_round_trip(paragraphs, sep):
    first = clean_document(sep.join(paragraphs), RUN_DATE)
    second = clean_document(first.clean_text, RUN_DATE)
    assert second.clean_text == first.clean_text
    for _, a, b, _ in first.sentences:
        chunk = first.clean_text[a:b]
        assert chunk and chunk == chunk.strip()


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=600))
def test_clean_never_raises_and_offsets_are_verbatim(text):
    got = clean_document(text, RUN_DATE)
    for para, a, b, _ in got.sentences:
        assert 0 <= a < b <= len(got.clean_text)
        p_start, p_end, _ = got.paragraphs[para]
        assert p_start <= a and b <= p_end


def test_an_article_in_another_script_is_not_removed_whole():
    text = ("Пожар на складе потушен\n\nПожар на складе в Новосибирске потушили за три часа, сообщили в МЧС. "
            "Пострадавших нет, причины возгорания выясняются.\n")
    got = clean_document(text, RUN_DATE)
    assert "Новосибирске" in got.clean_text and got.sentences


def test_explicit_rules_still_apply_when_nothing_else_is_body():
    got = clean_document("JOIN US ON TELEGRAM\n\nCopyright 2024 Example News. All rights reserved.", RUN_DATE)
    assert got.clean_text == "" and {rule for _, _, rule in got.boilerplate} >= {"promo", "copyright_footer"}


# News-like sentences that trip furniture rules when they open a one-paragraph article: a sentence about a
# person (byline/bio shape), an agency at the end (caption shape), advertising or accounts (promo words).
_NEWS_SENTENCES = [
    "Tom Okafor is sometimes called stubborn by coaches, writers and fans alike.",
    "Jane Roe is a veteran reporter who was arrested last week after criticising the governor on her blog.",
    "The company said its new advertising policy covers television, radio and print publications.",
    "A US firm has said it will give more than $3m to the families, its chairman told reporters.",
    "Officials said the talks in the capital on Monday had been frank and constructive.",
    "Prices of oil rose by 5% in May, the highest monthly rise since 2019, according to Reuters.",
    "The minister, who took office in March, said the budget would be published before the summer.",
    "Police said three people were arrested after the match and that no one had been seriously hurt.",
]
_INLINE_PROMOS = [
    "Sign up for our daily newsletter to get the top stories in your inbox.",
    "Subscribe to our newsletter for more stories like this.",
    "Sign up to FREE email alerts from Example News.",
    "Click here to read more.",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_NEWS_SENTENCES), min_size=1, max_size=8),
       st.lists(st.tuples(st.integers(0, 8), st.sampled_from(_INLINE_PROMOS)), max_size=3))
def test_a_news_paragraph_alone_in_a_file_survives_with_its_sentences(sentences, promos):
    parts = list(sentences)
    for at, promo in sorted(promos, reverse=True):
        parts.insert(min(at, len(parts)), promo)
    got = clean_document(" ".join(parts), RUN_DATE)
    for sentence in sentences:
        assert sentence in got.clean_text
    for _, promo in promos:
        assert promo not in got.clean_text
    if promos:
        assert any(rule == "promo" for _, _, rule in got.boilerplate)
    assert len({line_no for line_no, _, _ in got.boilerplate}) == len(got.boilerplate)


def test_inline_promos_are_cut_out_of_a_one_paragraph_article_and_recorded():
    text = ("date 2024-05-02\nThe council approved the new budget on Tuesday after a long debate, its chair said. "
            "Sign up for our newsletter to get the top stories in your inbox. "
            "The plan raises spending on schools and roads by 4% next year, and cuts the cost of running the town hall. "
            "Subscribe to our newsletter for more stories like this.")
    out = clean_documents(pd.DataFrame([{"doc_id": "d1", "source_file": "a.txt", "sha256": "0" * 64,
                                         "encoding": "utf-8", "text": text}]), RUN_DATE)
    assert out.rejects.empty
    clean = out.documents["clean_text"].iloc[0]
    assert clean.startswith("The council approved") and "4% next year" in clean and "newsletter" not in clean
    row = out.boilerplate.iloc[0]
    assert len(out.boilerplate) == 1 and row["rule"] == "promo" and "Sign up" in row["line"] and "Subscribe" in row["line"]


def test_a_long_paragraph_that_mentions_advertising_is_not_a_promo():
    text = "\n\n".join([
        "Snack maker Crunchco is to limit its advertising of sugary foods to children, the firm said on Wednesday.",
        "Crunchco's new advertising policy, which covers TV, radio and print adverts, is aimed at pupils under 12. "
        "It follows criticism of the industry over children's diets, and the firm said it would also change what "
        "it sells in school canteens. We will also look at our packaging, a spokesman told us, adding that the "
        "move was voluntary.",
        "Critics said the change did not go far enough and that the firm should stop the adverts altogether.",
    ])
    got = clean_document(text, RUN_DATE)
    assert "new advertising policy" in got.clean_text and not got.boilerplate


# Page furniture of every kind the classifier names, short enough that the article stays the main body.
_FURNITURE = [
    "Home", "World | Business | Sport", "Related stories", "More from World", "Most popular", "You may also like",
    "Storm closes schools across the northern region", "Jane Roe says:", "March 3, 2020 at 10:15 am", "Reply",
    "3 hours ago", "1,204 views", "4:35", "Comments (12)", "Read more", "Advertisement", "► 2019 (12)",
    "Sign up for our newsletter", "By Jane Roe", "Share this article", "Photo: Jane Roe/Reuters",
    "Great article, thanks for writing it.", "Officials said schools would stay closed until roads were cleared.",
]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(_NEWS_SENTENCES), min_size=2, max_size=8),
       st.lists(st.sampled_from(_FURNITURE), max_size=10), st.lists(st.sampled_from(_FURNITURE), max_size=14),
       st.lists(st.tuples(st.integers(0, 8), st.sampled_from(_INLINE_PROMOS)), max_size=2),
       st.sampled_from(["\n", "\n\n"]))
def test_the_main_body_survives_whatever_furniture_surrounds_it(sentences, before, after, promos, sep):
    """The article paragraph holding most of the words is never removed whole, whatever labels, threads, lists
    and menus stand before or after it; only promo sentences are cut out of it, and they are recorded."""
    parts = list(sentences)
    for at, promo in sorted(promos, reverse=True):
        parts.insert(min(at, len(parts)), promo)
    article = " ".join(parts)
    page = sep.join([*before, article, *after])
    if len(article.split()) < 0.5 * len(page.split()):
        return  # not the main body: the guarantee is about the paragraph that holds most of the words
    out = clean_documents(pd.DataFrame([{"doc_id": "d1", "source_file": "a.txt", "sha256": "0" * 64,
                                         "encoding": "utf-8", "text": page}]), RUN_DATE)
    assert out.rejects.empty
    clean = out.documents["clean_text"].iloc[0]
    for sentence in sentences:
        assert sentence in clean
    for _, promo in promos:
        assert promo not in clean
        assert any(promo in line for line in out.boilerplate["line"])


def test_a_comment_thread_is_removed_and_recorded_and_the_article_kept():
    article = ["Storm closes schools across the region",
               "Schools in six districts will stay closed on Monday after the storm brought down trees and power "
               "lines, the regional council said on Sunday evening.",
               "Officials said the roads would be cleared within two days and that parents would be told by text "
               "message when the schools reopen, adding that no one had been hurt."]
    thread = ["2 Comments", "Mary Smith says:", "March 3, 2020 at 10:15 am",
              "Thanks for the update, our school was closed too and nobody told us why.", "Reply",
              "Tom Jones says:", "March 3, 2020 at 11:02 am", "The roads near the river are still blocked this morning.",
              "Reply"]
    got = clean_document("\n".join(article + thread), RUN_DATE)
    assert all(p in got.clean_text for p in article[1:])
    assert not any(c in got.clean_text for c in thread)
    recorded = {line: rule for _, line, rule in got.boilerplate}
    assert recorded["Thanks for the update, our school was closed too and nobody told us why."] == "comment_thread"
    assert set(recorded) == set(thread)
