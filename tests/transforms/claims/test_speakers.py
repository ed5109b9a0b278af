"""Speaker attribution and resolution on small in-code texts."""

from __future__ import annotations

from tests.transforms.claims.frames import frames
from transforms.claims import ClaimsConfig, extract_claims
from transforms.claims.speakers import split_title


def speakers(text: str) -> list[tuple[str, str | None]]:
    docs, sents = frames({"d": text})
    out = extract_claims(docs, sents)
    q = out[out["claim_type"] == "quote"]
    return list(zip(q["quote"], q["speaker"]))


def test_title_is_stripped_and_kept_as_role() -> None:
    assert split_title("Russian President Vladimir Putin") == ("Vladimir Putin", "Russian President")
    assert split_title("US Secretary of State Antony Blinken") == ("Antony Blinken", "US Secretary of State")


def test_x_said_and_said_x() -> None:
    got = speakers("“Prices will rise,” Jane Miller said.\n\n“They will fall,” said Tom Ford, an economist at Acme Bank.")
    assert [s for _, s in got] == ["Jane Miller", "Tom Ford"]


def test_surname_resolves_to_full_name() -> None:
    got = speakers("Jane Miller, a professor, spoke on Monday.\n\n“Prices will rise,” Miller told reporters.")
    assert got[0][1] == "Jane Miller"


def test_apposition_before_cue() -> None:
    got = speakers("“It is not new,” Natasha Kuhrt, a specialist at King's College, told The Moscow Times.")
    assert got[0][1] == "Natasha Kuhrt"


def test_pronoun_and_added_continue_speaker() -> None:
    text = ("Finance Minister Sara Lund said the budget was fixed.\n\n"
            "“We will not raise taxes,” she said.\n\nShe added, “Nothing changes.”")
    assert [s for _, s in speakers(text)] == ["Sara Lund", "Sara Lund"]
    # "he" cannot be Sara Lund: the quote is left unnamed rather than given to the wrong person
    text = text.replace("She added", "He added")
    assert [s if isinstance(s, str) else None for _, s in speakers(text)] == ["Sara Lund", None]


def test_bare_quote_paragraph_continues_previous_speaker() -> None:
    text = "Spokesman Wang Wenbin said, “We oppose it.”\n\n“Our position is clear and consistent.”"
    assert [s for _, s in speakers(text)] == ["Wang Wenbin", "Wang Wenbin"]


def test_split_quote_is_one_claim_with_one_speaker() -> None:
    got = speakers("“Look, if you plant seeds,” Vladimir Putin said, “they give a good harvest.”")
    assert len(got) == 1 and got[0][1] == "Vladimir Putin"
    assert "Look, if you plant seeds" in got[0][0] and "they give a good harvest" in got[0][0]


def test_organisation_or_document_as_speaker() -> None:
    got = speakers('The two signed a joint declaration.\n\n"The parties call for calm," the declaration stated.')
    assert got[0][1] is not None and "declaration" in got[0][1]


def test_reported_statement() -> None:
    docs, sents = frames({"d": "Vladimir Putin arrived.\n\nPutin said he was open to talks on Ukraine."})
    out = extract_claims(docs, sents)
    rep = out[out["claim_type"] == "reported"]
    assert list(rep["speaker"]) == ["Vladimir Putin"]
    assert list(rep["text"]) == ["he was open to talks on Ukraine"]


def typed(text: str) -> list[tuple[str | None, str | None]]:
    docs, sents = frames({"d": text})
    out = extract_claims(docs, sents)
    rows = out[out["claim_type"].isin(["quote", "reported"])]
    return [(None if not isinstance(s, str) else s, None if not isinstance(t, str) else t)
            for s, t in zip(rows["speaker"], rows["speaker_type"])]


def test_adverbs_numbers_and_dates_are_never_speakers() -> None:
    text = ("Maria Lopez runs the clinic in Leeds.\n\nAlready, the clinic is full. In 2013, it had ten beds. "
            "“We cannot take more patients,” she said.\n\nFour years later, “nothing has changed,” she said.")
    assert [s for _, s in speakers(text)] == ["Maria Lopez", "Maria Lopez"]


def test_continuation_takes_the_previous_speaker_not_a_word_of_the_quote() -> None:
    text = "“Immunity deals should end,” Finance Minister Sara Lund said in a statement, adding that they were “unfair.”"
    assert {s for _, s in speakers(text)} == {"Sara Lund"}


def test_partial_quote_in_reported_speech_gets_the_reporting_subject() -> None:
    text = "Xi Jinping met Vladimir Putin.\n\nXi said on Monday that Putin raised “serious concerns” about the plan."
    assert [s for _, s in speakers(text)] == ["Xi Jinping"]


def test_name_with_a_long_apposition_before_the_cue() -> None:
    text = ("“We will win,” Tom Ford, a veteran organiser who has run campaigns in Ohio, Iowa and Texas since 2004, "
            "wrote on Monday.")
    assert [s for _, s in speakers(text)] == ["Tom Ford"]


def test_said_another_is_inherited_by_the_next_quote() -> None:
    got = speakers("“It is over,” said one voter. “Nothing will change,” said another.\n\n“We all know it.”")
    assert [s for _, s in got][1:] == ["another", "another"]


def test_non_speech_cue_attributes_to_the_subject_not_the_object() -> None:
    got = speakers("Ana Ruiz spoke in Madrid.\n\nRuiz derided him as a “career politician.”")
    assert [s for _, s in got] == ["Ana Ruiz"]


def test_party_affiliation_dateline_and_transcript_label() -> None:
    got = speakers("“Subpoenas are not optional,” Rep. Jim Jordan (R-Ohio) said.\n\n"
                   "“We need change.” ― Carla Diaz\n\n“SMITH: We will not back down.”")
    assert [s for _, s in got] == ["Jim Jordan", "Carla Diaz", "Smith"]


def test_a_cueless_plural_pronoun_names_no_one() -> None:
    text = ("According to Putin, the two leaders met 40 times. They openly refer to each other as “dear friend.”")
    assert [s if isinstance(s, str) else None for _, s in speakers(text)] == [None]


def test_speaker_type_person_organisation_document_group_or_unnamed() -> None:
    text = ("“Prices will rise,” Jane Miller said.\n\n“Sales fell,” the company said.\n\n"
            "“Growth will slow,” the report said.\n\n“It is a risk,” analysts said.\n\n"
            "“No comment,” a spokesman said.")
    assert typed(text) == [("Jane Miller", "person"), ("company", "organisation"), ("report", "document"),
                           ("analysts", "group"), ("a spokesman", None)]


def test_pronouns_follow_gender_and_skip_non_persons() -> None:
    text = ("Mr. Tom Ford met Ms. Ana Ruiz in Paris.\n\nThe Ministry of Finance said costs rose.\n\n"
            "“I am hopeful,” he said.\n\n“So am I,” she said.")
    assert [s for _, s in speakers(text)] == ["Tom Ford", "Ana Ruiz"]


def named(text: str) -> list[str | None]:
    return [s if isinstance(s, str) else None for _, s in speakers(text)]


def test_he_she_may_mean_an_unnamed_source_with_a_gendered_head() -> None:
    text = "“Rules are rules,” my father often said.\n\nHe also told a friend that “patience is the answer.”"
    assert named(text) == ["my father", "my father"]


def test_it_after_a_possessive_organisation_subject_is_the_organisation() -> None:
    text = "Jane Miller’s campaign is defending her tweets. It is denouncing what it calls “a smear by its rivals.”"
    assert named(text) == ["Jane Miller’s campaign"]


def test_a_bare_noun_opening_a_sentence_is_no_antecedent() -> None:
    text = ("Mr. Tom Ford spoke on Monday.\n\nStorms may not be coming. What Mr. Ford has seen are charts. "
            "“They are worrying,” he said.")
    assert named(text) == ["Tom Ford"]


def test_a_lone_given_name_has_its_usual_gender() -> None:
    text = "Laura watched the debate with Kevin.\n\nKevin was asleep.\n\n“Look, he is on,” she said."
    assert named(text) == ["Laura"]


def test_block_quoted_narrative_is_not_one_quote_with_the_next_paragraph() -> None:
    text = 'The Post reports:\n\n"Laura thought the whole plan was absurd.\n\n“It never crossed my mind,” she said.'
    assert speakers(text) == [("It never crossed my mind,", "Laura")]


def test_a_person_mentioned_last_when_the_sentence_has_no_fitting_subject() -> None:
    text = ("“It will hurt renters,” said Paul Grant.\n\nIt has become an issue, with Susan Hale attacking "
            "the plan.\n\n“It is a giveaway to the rich,” she said.")
    assert named(text) == ["Paul Grant", "Susan Hale"]
    # a chain of "she" subjects keeps its referent over a person met on the way
    text = ("Ana Ruiz spoke in Madrid, and Tom Ford listened.\n\nShe said she was tired. She met Maria Lopez later.\n\n"
            "“We will go on,” she said.")
    assert named(text) == ["Ana Ruiz"]


def test_a_role_phrase_means_the_person_holding_that_role() -> None:
    text = ("Green Party nominee Alan Webb spoke in Leeds.\n\nTom Price says he has plans.\n\n"
            "The Labour Party nominee noted Friday that ads are cheap. He said, “We have big plans.”")
    assert named(text) == ["Tom Price"]


def test_it_as_an_organisations_subject_and_a_main_clause_after_the_quote() -> None:
    assert named("The Times endorsed Smith on Sunday.\n\nMeanwhile, it attacked Jones, saying he “has misled "
                 "voters.”") == ["Times"]
    assert named("Susan Hale wrote a memoir.\n\nAfter saying her knee was “too sore to climb stairs,” she "
                 "went to hospital.") == ["Susan Hale"]


def test_per_a_source_and_a_quote_inside_a_possessive_claim() -> None:
    assert named("Proxy votes are void when electing “a new treasurer,” per the club’s rules.") == [
        "the club’s rules"]
    assert named("It costs “five dollars per gallon,” she said.") == [None]
    assert named("Fact-checkers looked into Tom Ford’s claim that there were “thousands of thefts” in Leeds.") == [
        "Tom Ford"]


def test_a_quoted_title_before_the_subject_of_the_introducing_sentence() -> None:
    text = ('On "Morning Talk," Sen. Ann Webb (Ore.), who lost the vote, named fatigue with '
            'scandal as one of the reasons. "The young are tired of excuses."')
    assert named(text)[-1] == "Ann Webb"


def test_she_after_a_chain_of_she_subjects_means_an_unnamed_mother_met_in_a_clause() -> None:
    text = ('One day, as my mother spoke of ghosts, I smiled and replied, "I don\'t believe in ghosts." '
            'She became so upset that I had to change my answer. To which she said, "Good, you still believe."')
    assert named(text)[-1] == "my mother"


def test_a_quote_after_an_opening_phrase_alone_continues_the_speaker() -> None:
    text = "Maria Lopez leads the clinic.\n\nSince 2019, “costs have doubled,” Lopez said. By 2030, “they will triple.”"
    assert named(text) == ["Maria Lopez", "Maria Lopez"]


def test_an_infinitive_cue_takes_the_subject_before_it_never_a_verb() -> None:
    text = "Smith praised Jones. All this has led the Estonian writer Karl Tamm to fear a “new Yalta deal.”"
    assert named(text) == ["Karl Tamm"]
    assert named("The company refused to call it a “crisis.”") == ["company"]


def test_a_relative_pronoun_stands_for_the_phrase_before_it() -> None:
    text = ("Webb has a frosty relationship with Ruiz, now the Senate minority leader, who in 2012 said the goal "
            "was to make Webb a “one-term governor.”")
    assert named(text) == ["Ruiz"]
    assert named("Protesters met the Leeds City Council, which reported “2,100 complaints” in the "
                 "city.") == ["Leeds City Council"]
    assert named("Speaking in Paris, the minister, who said the deal was “fair,” left early.") == ["the minister"]


def test_a_subheading_run_into_its_paragraph_is_no_speaker() -> None:
    text = 'Trade and Jobs.\n\nNew Tariff Rules Slow Exports: Ending "the paperwork maze" is a goal of the ministry.'
    assert named(text) == [None]
    assert named('Senator Mary Ann Lopez: "We will win."') == ["Mary Ann Lopez"]


def test_a_passive_speech_verb_names_no_speaker() -> None:
    text = "In all, 12 Baptists and one Quaker were admitted as well as 20 others who listed “Protestant” as their faith."
    assert "Quaker" not in str(named(text))
    assert named("Susan Hale is describing as “reckless” a post by her rival.") == ["Susan Hale"]


def test_bodies_named_with_of_or_for_and_places_named_after_in() -> None:
    text = "Housing groups objected, led by the National Council for Housing, which said it “ignores” tenants."
    assert typed(text) == [("National Council for Housing", "organisation")]
    assert typed("“Rates will rise,” said an economist at the Bank of England.") == [("Bank of England", "organisation")]
    text = ("In Peru, economists said growth would slow. Peru's stock market has fallen 5% this week.\n\n"
            "In the provinces, he expects the loss of revenue to be offset by rebuilding.")
    assert typed(text)[-1] == (None, None)  # "he" is not Peru
    assert named("Local police were reported to be “puzzled” by the visit.") == ["Local police"]


def test_a_pronoun_resolved_to_a_name_teaches_that_names_gender() -> None:
    text = ("Jordan Lee spoke in Seoul.\n\n“We agreed on trade,” she said.\n\nRobin Park, an envoy, listened.\n\n"
            "Jordan Lee smiled. “We did not agree on rice,” he said.")
    assert named(text) == ["Jordan Lee", "Robin Park"]


def test_nouns_before_a_cue_and_plural_or_share_subjects_are_groups() -> None:
    got = typed("Colleagues said that Mr Hale was proud of his humble start.\n\n"
                "Three-quarters said Mr Webb was right to appeal.")
    assert got == [("Colleagues", "group"), ("Three-quarters", "group")]
    assert typed("Other reports this week said the firm might even sell its shops.") == []
    assert named('Suddenly, with the help of the studio, the choir is producing "world class" songs.') == [None]


def test_a_name_in_apposition_before_the_cue_is_the_speaker() -> None:
    text = "But her deputy on the audit committee, Tom Ruiz, said it should wait “until the checks are done.”"
    assert named(text) == ["Tom Ruiz"]
    assert named("Ines Varga, a specialist at a London college, said it was “not new.”") == ["Ines Varga"]


def test_role_phrases_resolve_to_the_person_unless_configured_not_to() -> None:
    text = "Mayor Ann Ortiz spoke in Midtown.\n\n“We see no link to the strike,” the mayor said."
    assert named(text) == ["Ann Ortiz"]
    docs, sents = frames({"d": text})
    out = extract_claims(docs, sents, ClaimsConfig(resolve_role_phrases=False))
    assert list(out[out["claim_type"] == "quote"]["speaker"]) == ["the mayor"]
