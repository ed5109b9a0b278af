"""Tests for transforms.boilerplate: one test per rule, the lines that must survive, the learned pass, invariants."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import numpy as np

from transforms.boilerplate import (
    BlockVerdict,
    BoilerplateConfig,
    classify_blocks,
    fill_gaps,
    model_inputs,
    run_lengths,
)
from transforms.boilerplate_model import MODEL_PATH, feature_names, load_model, model_from_dict
from transforms.boilerplate_rules import addresses_reader

PARA = [
    "The two leaders met in the capital on Tuesday for talks that officials described as frank and "
    "constructive, and they agreed to expand trade in energy and farm goods over the next five years.",
    "Analysts said the agreement was more symbolic than practical, because most of the projects it lists "
    "have been discussed for a decade and none of them has a budget or a timetable yet.",
    "The ministry said that a working group would meet again in the spring to review the progress of the "
    "plan, and that it expected the first results to be visible by the end of the year.",
    "Critics of the deal argued that it would make the smaller country dependent on a single buyer for its "
    "exports, a risk that has grown since the sanctions were imposed on its banks.",
]


def verdict_of(line: str) -> BlockVerdict:
    """The verdict of `line` placed between body paragraphs."""
    blocks = [PARA[0], PARA[1], line, PARA[2], PARA[3]]
    return classify_blocks(blocks)[2]


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Leaders shake hands after talks in the capital on Monday. Jane Roe/Kremlin/Sputnik via Reuters",
         "photo_caption"),
        ("The president arrives for a ceremony in the capital, March 21. John Doe/AFP by the use of Getty Images",
         "photo_caption"),
        ("The minister speaks at a news conference on Thursday. Contributor / Getty Images", "photo_caption"),
        ("Volunteers clear debris after the storm. (AP Photo/Jane Roe)", "photo_caption"),
        ("- Advertisement - The president waves to reporters in the capital. John Doe/AFP via Getty Images",
         "advertisement"),
        ("Advertisement", "advertisement"),
        ("Your browser does not support the audio element.", "player_text"),
        ("If you find a mistake, you can also highlight the text and press Ctrl + Enter", "player_text"),
        ("JOIN US ON TELEGRAM", "promo"),
        ("Follow our coverage of the summit on @example_news.", "promo"),
        ("Sign up for our daily newsletter to get the top stories in your inbox.", "promo"),
        ("Related: Leaders agree to expand trade in show of unity", "related_link"),
        ("Related article: Ministers Urge Talks, Warn Against Escalation", "related_link"),
        ("Copyright 2024 Example Radio. To learn more, visit https://www.example.org.", "copyright_footer"),
        ("© 2023 Example Media Ltd. All rights reserved.", "copyright_footer"),
        ("AFP contributed reporting.", "credit_footer"),
        ("Jane Roe reported from the capital; John Doe of the port city.", "byline"),
        ("By Jane Roe", "byline"),
        ("HomeNewsSportsWeatherPolitics", "navigation"),
        ("Home | World | Business | Sport", "navigation"),
    ],
)
def test_rules_name_boilerplate(line: str, rule: str) -> None:
    assert verdict_of(line) == BlockVerdict("boilerplate", rule)


def test_inserted_title_case_headline_is_boilerplate() -> None:
    line = "Minister Signs Law Letting Farmers Write Off Old Debts"
    assert verdict_of(line) == BlockVerdict("boilerplate", "inserted_headline")


@pytest.mark.parametrize("line", ["A partnership without limits", "The economy tested by sanctions"])
def test_sentence_case_line_between_paragraphs_is_heading(line: str) -> None:
    assert verdict_of(line) == BlockVerdict("heading", None)


@pytest.mark.parametrize(
    "line",
    [
        "Reuters reported that the talks would continue next week in the capital, citing two officials.",
        "Getty Images said on Monday that it would cut a tenth of its staff in the next year.",
        "The talks were first reported by Reuters.",
        "\u201cRelated issues will be discussed,\u201d he said.",
        "HONG KONG and LONDON -- Chinese President Xi Jinping departed Moscow on Wednesday after two days of "
        "highly symbolic meetings with Russian President Vladimir Putin.",
        "He said the copyright of the songs had passed to his family, and that they would decide on its use.",
    ],
)
def test_real_sentences_are_kept(line: str) -> None:
    assert verdict_of(line).kind == "body"


def test_dateline_led_first_paragraph_is_kept() -> None:
    first = ("HONG KONG and LONDON -- Chinese President Xi Jinping departed Moscow on Wednesday after two days "
             "of highly symbolic meetings with Russian President Vladimir Putin, in which the two presented a "
             "united front.")
    assert classify_blocks([first, *PARA])[0].kind == "body"


def test_menu_runs_outside_the_article_are_removed() -> None:
    page = ["Home", "News", "Sport", "Weather", "Log In", *PARA, "Top Stories",
            "Storm closes schools across the region", "Court rejects appeal in fraud case",
            "Council votes to raise parking fees", "Privacy Policy", "Terms of Use"]
    verdicts = classify_blocks(page)
    kinds = [v.kind for v in verdicts]
    assert kinds[5:9] == ["body"] * 4
    assert all(k == "boilerplate" for k in kinds[:5] + kinds[9:])
    assert all(v.rule for v in verdicts if v.kind == "boilerplate")


def test_short_text_lines_inside_the_article_are_kept() -> None:
    page = [PARA[0], "You will need:", "2 tbsp oil", "1 onion, chopped", "salt to taste", PARA[1], PARA[2]]
    assert [v.kind for v in classify_blocks(page)] == ["body"] * 7


def test_config_thresholds_are_used() -> None:
    strict = BoilerplateConfig(good_min_words=1000, text_line_weight=0.0, outside_min_words=1000, model_path=None)
    assert all(v.kind == "boilerplate" for v in classify_blocks(PARA, strict))
    never_keep = BoilerplateConfig(good_min_words=1000, text_line_weight=0.0, keep_threshold=1.01, model_min_blocks=1)
    assert all(v.kind == "boilerplate" for v in classify_blocks(PARA, never_keep))


def test_shipped_model_loads_and_matches_the_features() -> None:
    model = load_model(str(MODEL_PATH))
    assert model is not None
    assert list(model.features) == feature_names()
    assert 0.0 < model.threshold < 1.0
    x = model_inputs([*PARA, "Home", "Advertisement"]).x
    p = model.keep_probability(x)
    assert x.shape == (6, len(feature_names())) and p.shape == (6,)
    assert ((p >= 0) & (p <= 1)).all()


def test_a_model_with_other_features_is_refused() -> None:
    with pytest.raises(ValueError):
        model_from_dict({"kind": "logistic", "features": ["n_words"], "threshold": 0.5})


def test_model_never_overrides_a_rule_or_drops_plain_region_text() -> None:
    page = ["Advertisement", *PARA, "Related: Leaders agree to expand trade in show of unity"]
    keep_all = classify_blocks(page, BoilerplateConfig(keep_threshold=0.0, model_min_blocks=1))
    assert keep_all[0] == BlockVerdict("boilerplate", "advertisement")
    assert keep_all[-1] == BlockVerdict("boilerplate", "related_link")
    drop_all = classify_blocks(page, BoilerplateConfig(keep_threshold=1.01, model_min_blocks=1))
    assert [v.kind for v in drop_all[1:5]] == ["body"] * 4


def test_model_removals_are_named() -> None:
    page = ["Home", "World", "Sign in", *PARA, "Storm closes schools across the region", "Contact"]
    for v in classify_blocks(page, BoilerplateConfig(keep_threshold=1.01, model_min_blocks=1)):
        assert (v.kind == "boilerplate") == (v.rule is not None)


@pytest.mark.parametrize(
    ("keep", "ruled", "gap", "want"),
    [
        ([1, 0, 1], [0, 0, 0], 2, [1, 1, 1]),
        ([1, 0, 0, 1], [0, 0, 0, 0], 2, [1, 1, 1, 1]),
        ([1, 0, 0, 0, 1], [0, 0, 0, 0, 0], 2, [1, 0, 0, 0, 1]),
        ([1, 0, 1], [0, 1, 0], 2, [1, 0, 1]),
        ([0, 1, 0], [0, 0, 0], 2, [0, 1, 0]),
        ([1, 1], [1, 0], 2, [0, 1]),
    ],
)
def test_fill_gaps(keep: list[int], ruled: list[int], gap: int, want: list[int]) -> None:
    got = fill_gaps(np.array(keep, bool), [bool(r) for r in ruled], gap)
    assert got.tolist() == [bool(w) for w in want]


def test_empty_input() -> None:
    assert classify_blocks([]) == []


def test_input_is_not_mutated() -> None:
    blocks = [PARA[0], "Advertisement", PARA[1]]
    copy = list(blocks)
    classify_blocks(blocks)
    assert blocks == copy


def test_linear_time_on_huge_inputs() -> None:
    started = time.perf_counter()
    assert len(classify_blocks(["word " * 200_000])) == 1  # a 1 MB block
    assert len(classify_blocks(["a" * 1_000_000])) == 1  # no spaces at all
    assert len(classify_blocks(["Menu item"] * 50_000 + ["short line."] * 50_000)) == 100_000
    assert len(classify_blocks(["Photo: " + "Ab/" * 300_000])) == 1  # credit-like, pathological
    assert time.perf_counter() - started < 60


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=300), max_size=30))
def test_one_verdict_per_block_and_deterministic(blocks: list[str]) -> None:
    first = classify_blocks(blocks)
    assert len(first) == len(blocks)
    assert first == classify_blocks(list(blocks))
    for v in first:
        assert v.kind in ("body", "heading", "boilerplate")
        assert (v.rule is not None) == (v.kind == "boilerplate")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(PARA + ["Advertisement", "Home", "Related: More news", "A short heading"]),
                max_size=20))
def test_verdict_depends_only_on_the_blocks(blocks: list[str]) -> None:
    assert classify_blocks(tuple(blocks)) == classify_blocks(list(blocks))


COMMENTS = [
    "mkoval says:", "May 7, 2021 at 9:02 am", "Great write-up, the charts made it easy to follow.", "Reply",
    "Jane Roe says:", "May 8, 2021 at 2:51 am", "Same here, the numbers matched what I saw at home.", "Reply",
    "John Doe says:", "May 8, 2021 at 1:46 pm", "A fix for the second case is planned for spring.", "Reply",
]


def test_a_comment_thread_after_the_article_is_removed_and_named() -> None:
    verdicts = classify_blocks([*PARA, *COMMENTS])
    assert all(v.kind == "body" for v in verdicts[:len(PARA)])
    assert all(v.kind == "boilerplate" for v in verdicts[len(PARA):])  # stamps and buttons may match a rule first
    assert {v.rule for b, v in zip(COMMENTS, verdicts[len(PARA):]) if b.endswith(".")} == {"comment_thread"}


def test_teasers_with_read_more_buttons_are_removed() -> None:
    teasers = []
    for k in range(3):
        teasers += [f"Another Story About Something Else Number {k}",
                    "A summary of another story that the site wants the reader to open next, with a few details.",
                    "READ THE REST"]
    verdicts = classify_blocks([*PARA, *teasers])
    assert all(v.kind == "boilerplate" for v in verdicts[len(PARA):])
    assert {v.rule for b, v in zip(teasers, verdicts[len(PARA):]) if b.endswith(".")} == {"comment_thread"}


def test_a_live_blog_with_time_stamps_keeps_its_entries() -> None:
    blog = [PARA[0]]
    for k, para in enumerate(PARA[1:] * 2):
        blog += [f"{k + 1} hours ago", para]
    verdicts = classify_blocks(blog)
    assert all(v.kind == "body" for b, v in zip(blog, verdicts) if b in PARA)


def test_comment_cues_need_the_article_first() -> None:
    assert all(v.rule != "comment_thread" for v in classify_blocks([*COMMENTS, *PARA]))


@pytest.mark.parametrize(
    "line",
    [
        "Ana Ruiz is the favourite in the best actor race for Harbour Lights, a film about a lighthouse keeper "
        "in 1920s Cornwall, which has won several awards this season.",
        "The snack maker's new advertising policy, which covers TV, radio and print adverts, is aimed at pupils "
        "under 12, and follows criticism of the industry over children's diets, the firm said in a statement on "
        "Wednesday.",
        "A US firm has said it will give more than $3m to families hit by the floods, its chairman said.",
        "Tom Hale is among three authors on the shortlist for the new regional prize, the judges said.",
    ],
)
def test_news_about_people_accounts_and_advertising_is_not_furniture(line: str) -> None:
    blocks = [*PARA, line]  # the last paragraph: where bios and promos are looked for
    assert classify_blocks(blocks)[-1].kind == "body"


def test_a_comment_thread_ends_the_article_but_a_heading_alone_does_not() -> None:
    other_post = PARA[3].replace("Critics", "Readers")
    page = [*PARA[:3], "11 responses to “The talks”", "Jane Roe says:", "Jan 5, 2020 at 4:15 pm", "So true.",
            "Reply", "John Doe says:", "Jan 6, 2020 at 9:02 am", "I disagree.", "Reply", other_post]
    verdicts = classify_blocks(page)
    assert all(v.kind == "body" for v in verdicts[:3])
    assert all(v.kind == "boilerplate" for v in verdicts[3:-1])
    assert verdicts[-1].kind == "boilerplate"  # past the comment section: more of the page, not the article
    paper = [PARA[0], PARA[1], "Discussion", PARA[2], PARA[3]]
    assert [v.kind for v in classify_blocks(paper)] == ["body", "body", "heading", "body", "body"]
    linked = [PARA[0], "Comments (32)", PARA[1], PARA[2], PARA[3]]
    assert [v.kind for v in classify_blocks(linked)] == ["body", "boilerplate", "body", "body", "body"]


def test_a_comment_thread_in_another_language_is_removed() -> None:
    thread = ["5 Kommentare",
              "Klaus Werner, Mi 6 Mai 2021 / 09:14 Antworten",
              "Ein sehr guter Beitrag, vielen Dank für die klare Darstellung der Lage.",
              "Maria Huber, Do 9 Apr 2020 / 10:12 Antworten",
              "Ich sehe das anders, die Regierung hat viel zu spät reagiert und das wissen alle.",
              "Peter Maier, Fr 10 Apr 2020 / 07:55 Antworten",
              "Danke für diesen Text, er hilft mir sehr bei meiner Arbeit an der Uni."]
    verdicts = classify_blocks([*PARA, *thread])
    assert all(v.kind == "body" for v in verdicts[:len(PARA)])
    assert [v.rule for v in verdicts[len(PARA):]] == ["comment_thread"] * len(thread)


def test_the_last_comment_after_its_stamp_goes_with_the_thread() -> None:
    thread = []
    for name, text in (("Mary Smith", "I think the deal is a good idea and long overdue for both countries."),
                       ("Tom Jones", "Nonsense, it will never work, they have tried this before many times."),
                       ("Ann Lee", "Does anyone know when the working group will meet again this year?")):
        thread += [f"{name} on March 3, 2020 at 10:15 am", text]
    verdicts = classify_blocks([*PARA, *thread])
    assert all(v.kind == "body" for v in verdicts[:len(PARA)])
    assert all(v.rule == "comment_thread" for v in verdicts[len(PARA):])


_HEADLINES = [f"Storm Number {k} Closes Schools Across The Northern Region" for k in range(6)]
_SUMMARIES = [f"Officials said schools in {k + 2} districts would stay closed until the roads were cleared, and "
              "parents were told to keep children at home." for k in range(6)]
_ONE_LINE = [f"Storm number {k} closes schools across the region Officials said schools in {k + 2} districts "
             "would stay closed until the roads were cleared." for k in range(6)]


@pytest.mark.parametrize(
    "tail",
    [
        ["More from World", *[x for pair in zip(_HEADLINES, _SUMMARIES) for x in pair]],  # headline + summary
        ["Related stories", *_ONE_LINE],  # a headline run together with its summary
        ["You may also like", *_HEADLINES],
        ["Most Popular", *[x for k, h in enumerate(_HEADLINES) for x in (str(k + 1), h, f"{(k + 3) * 117} comments")]],
        ["Latest videos", *[x for k, h in enumerate(_HEADLINES) for x in (h, f"{k + 1}:3{k}", f"{k + 2}.5K views")]],
    ],
)
def test_a_story_list_after_the_article_is_removed_and_named(tail: list[str]) -> None:
    verdicts = classify_blocks([*PARA, *tail])
    assert all(v.kind == "body" for v in verdicts[:len(PARA)])
    assert all(v.kind == "boilerplate" for v in verdicts[len(PARA):])
    # a video list's durations also make it a stamped teaser run (named like a comment thread): either names it
    rules = {v.rule for b, v in zip(tail, verdicts[len(PARA):]) if len(b.split()) > 6}
    assert rules and rules <= {"related_link", "comment_thread"}


def test_a_link_box_inside_the_article_does_not_eat_the_article() -> None:
    short = ["The council will vote on the plan next week, a spokesman said.",
             "Opposition members have already said they will vote against it."]
    headlines = [PARA[0], "Related stories", *_HEADLINES[:2], *short, PARA[1]]
    verdicts = classify_blocks(headlines)
    assert [v.kind for b, v in zip(headlines, verdicts) if b in short or b in PARA] == ["body"] * 4
    one_liners = [PARA[0], "Related stories", *_ONE_LINE[:2], *short, PARA[1]]
    verdicts = classify_blocks(one_liners)
    assert [v.kind for b, v in zip(one_liners, verdicts) if b in short or b in PARA] == ["body"] * 4
    button = [PARA[0], "Read More", *short, PARA[1], PARA[2]]  # a button that opens the rest, not a list label
    assert all(v.kind == "body" for b, v in zip(button, classify_blocks(button)) if b in short)


@pytest.mark.parametrize("line", ["► 2019 (12)", "March 2020 (3)", "Politics (41)"])
def test_archive_and_category_entries_with_counts_are_navigation(line: str) -> None:
    assert verdict_of(line) == BlockVerdict("boilerplate", "navigation")


def test_a_teaser_run_before_the_article_keeps_the_articles_opening_paragraphs() -> None:
    opening = ["Hundreds of delegates from forty countries are expected at the trade fair, which opens on Monday.",
               "The fair, which runs for five days, will be held at the convention centre by the harbour."]
    page = [PARA[0], "Related", _HEADLINES[0], "Related", _HEADLINES[1], _SUMMARIES[1], *opening, *PARA[1:]]
    verdicts = classify_blocks(page)
    assert [v.kind for v in verdicts[-len(opening) - 3:]] == ["body"] * (len(opening) + 3)
    assert verdicts[4].kind == "boilerplate"  # the teaser's headline still goes


@pytest.mark.parametrize(
    "line",
    [
        "Get our morning edition by email and never miss the top stories. Free sign up",
        "Enjoyed this? Sign up to our newsletter and follow us on Instagram for more.",
    ],
)
def test_a_short_block_selling_to_the_reader_is_a_promo_wherever_it_stands(line: str) -> None:
    for page in ([*PARA, line], [PARA[0], line, *PARA[1:]], [line, *PARA]):
        verdicts = classify_blocks(page)
        assert verdicts[page.index(line)] == BlockVerdict("boilerplate", "promo")
        assert all(v.kind == "body" for b, v in zip(page, verdicts) if b in PARA)


def test_an_article_paragraph_about_newsletters_and_accounts_stays() -> None:
    line = ("The company said that more than two million users had signed up for its newsletter since the "
            "account changes, and that it would add a privacy policy in the spring.")  # no reader address
    assert verdict_of(line).kind == "body"


@pytest.mark.parametrize("line", ["Filed under 2024 Election, Senate", "Tagged with recipes, soups",
                                  "Posted in Politics"])
def test_topic_links_after_their_label_are_related_links(line: str) -> None:
    assert verdict_of(line) == BlockVerdict("boilerplate", "related_link")


def test_a_sentence_that_opens_like_a_topic_label_is_news() -> None:
    line = "Posted in 2019, the video was watched by more than a million people before it was taken down."
    assert verdict_of(line).kind == "body"


@given(st.lists(st.booleans(), max_size=40))
def testrun_lengths_cover_every_flagged_item_once(flags: list[bool]) -> None:
    runs = run_lengths(flags)
    assert all((r > 0) == f for r, f in zip(runs, flags))
    # a run of length k contributes k items of value k
    assert sum(1 / r for r in runs if r) == pytest.approx(sum(1 for i, f in enumerate(flags)
                                                               if f and (i == 0 or not flags[i - 1])))


def test_shape_columns_of_a_teaser_list_and_a_comment_thread() -> None:
    teasers = ["Related stories", "Floods close roads in the north",
               "Floods close roads in the north, and officials said more rain is due …",
               "Jane Roe", "May 8, 2021 at 2:51 am", "Floods close roads in the north"]
    x = model_inputs([*PARA, *teasers], BoilerplateConfig(model_path=None)).x
    col = {name: x[:, k] for k, name in enumerate(feature_names())}
    n = len(PARA)
    assert list(col["duplicate"][n:]) == [0, 1, 0, 0, 0, 1]
    assert list(col["stamp"][n:]) == [0, 0, 0, 0, 1, 0]
    assert list(col["ellipsis"][n:]) == [0, 0, 1, 0, 0, 0]
    assert col["neighbour_overlap"][n + 1] == 1.0 and col["neighbour_overlap"][n + 3] == 0.0
    assert list(np.expm1(col["since_label"][n:n + 3]).round()) == [0, 1, 2]
    assert all(col["since_label"][:n] == col["since_label"][0])  # no label before the article: the horizon
    assert col["protected_words_after"][n - 1] == 0.0 and col["protected_words_after"][0] > 0.5


def test_a_long_paragraph_with_a_sparse_promo_word_or_a_reader_address_is_protected_from_the_model() -> None:
    long_para = ("The ferry owner, who has donated two boats to the island's rescue service, will ask the council to "
                 "fund a new harbour light, though his firm's own plans will also be on the table. You would not "
                 "guess it from the agenda, but the company hopes the hearing will settle its dispute over mooring "
                 "fees, which fishermen in three villages say they can no longer pay, and he has asked to meet "
                 "the harbour master before the vote.")
    short_ask = "We would love to hear what you think of our coverage of the summit this week."
    page = [PARA[0], PARA[1], long_para, short_ask, PARA[2], PARA[3]]
    drop_all = classify_blocks(page, BoilerplateConfig(keep_threshold=1.01, model_min_blocks=1, max_gap=0))
    assert drop_all[2].kind == "body"  # the model may not drop it
    assert drop_all[3].kind == "boilerplate"  # a short block speaking to the reader is the model's to judge


def test_a_quoted_paragraph_speaks_for_its_speaker_not_the_site() -> None:
    quote = "“Whoever forgets our harbour has no business running this town, and you will see that at the vote,” he said."
    assert not addresses_reader(quote)
    assert addresses_reader("Tell us what you think of our coverage.")
    page = [PARA[0], PARA[1], quote, PARA[2], PARA[3]]
    drop_all = classify_blocks(page, BoilerplateConfig(keep_threshold=1.01, model_min_blocks=1, max_gap=0))
    assert drop_all[2].kind == "body"  # running text with no site voice: protected from the model
