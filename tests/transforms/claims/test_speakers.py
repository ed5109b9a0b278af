"""Speaker attribution and resolution on small in-code texts."""

from __future__ import annotations

from tests.transforms.claims.frames import frames
from transforms.claims import extract_claims
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
            "“We will not raise taxes,” she said.\n\nHe added, “Nothing changes.”")
    assert [s for _, s in speakers(text)] == ["Sara Lund", "Sara Lund"]


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
