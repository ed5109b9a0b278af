"""Tiny in-code articles for the dedup tests: an original and its exact, near, shortened and spun copies."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

ORIGINAL = (
    "Harbour Council approves new bridge plan\n"
    "The Harbour Council in Portmere voted on Tuesday to approve a 45 million pound bridge across the "
    "Weald estuary, ending a decade of debate about traffic in the old town.\n"
    "Councillor Aisha Brennan, who chaired the meeting, said the decision was \"the most important thing "
    "this council has done in a generation\" and promised that work would start in 2025.\n"
    "Opponents led by the Weald Valley Society argued that the bridge would damage the wetlands and "
    "questioned the cost, which has risen by 12 million pounds since the first estimate in 2019.\n"
    "The regional transport board must still confirm its share of the funding at a hearing in Hollins "
    "next month, and the society has said it will ask the High Court to review the vote.\n"
    "Residents of Eastbank, where the northern ramp would land, were divided, with several shop owners "
    "telling the Portmere Gazette that \"anything that brings visitors back is welcome\".\n"
)
SYNONYMS = {"approve": "endorse", "ending": "concluding", "debate": "argument", "traffic": "congestion",
            "decision": "determination", "promised": "pledged", "work": "construction", "argued": "contended",
            "damage": "harm", "questioned": "challenged", "cost": "expense", "risen": "climbed",
            "estimate": "projection", "still": "yet", "confirm": "verify", "share": "portion",
            "funding": "financing", "review": "examine", "divided": "split", "several": "numerous",
            "telling": "informing", "voted": "balloted", "old": "historic", "wetlands": "marshes"}
UNRELATED = (
    "Orchestra opens season with rare symphony\n"
    "The Lindqvist Philharmonic opened its autumn season in Karsholm with a performance of a symphony "
    "that had not been heard in the city since 1931.\n"
    "Conductor Mateo Ruiz told the audience that the score had been found in a private archive in Vienna "
    "and restored over three years by a team of 14 students.\n"
    "Tickets for the remaining concerts are on sale, and the orchestra plans a tour of Norway in March.\n"
)

# A desk's rewrite of ORIGINAL: much shorter, paragraphs reordered, merged and trimmed, a few words changed.
EDITED = (
    "Portmere backs estuary bridge\n"
    "Opponents led by the Weald Valley Society argued that the bridge would harm the wetlands and questioned "
    "the cost, which has risen by 12 million pounds since 2019.\n"
    "The Harbour Council in Portmere voted on Tuesday to approve a 45 million pound bridge across the Weald "
    "estuary after a decade of debate about traffic. Councillor Aisha Brennan said work would start in 2025, "
    "and the society has said it will ask the High Court to review the vote.\n"
)
# A short answer written from ORIGINAL: its lead kept, its own sentences, a later passage trimmed and moved.
ANSWER = (
    "Portmere bridge\n"
    "The Harbour Council in Portmere voted on Tuesday to approve a 45 million pound bridge across the Weald "
    "estuary, ending a decade of debate about traffic in the old town. Local historians recall that a ferry "
    "carried carts over the water until the railway came, and older families remember the queues on summer "
    "weekends. The society has said it will ask the High Court to review the vote, and the regional transport "
    "board must still confirm its share of the funding. Engineers expect the crossing to take three years to "
    "build, with a lifting span so that tall ships can reach the upper quays, and supporters hope it will bring "
    "new shops and jobs to the northern bank.\n"
)
# A page that opens with ORIGINAL's lead paragraph and goes on to other business: one borrowed block.
OPENING = (
    "Harbour Council approves new bridge plan\n"
    "The Harbour Council in Portmere voted on Tuesday to approve a 45 million pound bridge across the "
    "Weald estuary, ending a decade of debate about traffic in the old town.\n"
    "In other business, the council agreed to extend the opening hours of the public library on Saturdays "
    "and heard a petition from parents asking for a pedestrian crossing outside Marsh Lane primary school.\n"
    "A report on the summer festival showed that visitor numbers rose by a fifth, and the harbour master "
    "asked for money to dredge the inner basin before the autumn storms.\n"
)
# A heavy rewrite of ORIGINAL: its facts, names and order kept, nearly every phrase reworded (few shared 3-grams).
REWRITTEN = (
    "Estuary crossing gets the go-ahead\n"
    "On Tuesday Portmere's Harbour Council gave its blessing to a bridge over the Weald estuary costing 45 million "
    "pounds, closing ten years of argument about congestion in the historic centre.\n"
    "Aisha Brennan, chairing the session, described the vote as the biggest step the council had taken in a "
    "generation and pledged that building would begin in 2025.\n"
    "The Weald Valley Society, leading the opposition, warned of harm to the marshes and challenged the price, up "
    "12 million pounds on the 2019 projection.\n"
    "Hollins will host a hearing next month where the regional transport board has to agree its part of the money.\n"
)
# An independent report of the same event: same names and facts, its own words.
SAME_EVENT = (
    "Bridge vote splits Portmere\n"
    "Councillors in Portmere have said yes to a crossing over the Weald, a project first floated ten years ago. "
    "Aisha Brennan called it a choice for a generation. Campaigners from the Weald Valley Society fear for the "
    "birds of the marshes and may go to court, while a funding hearing in Hollins follows next month.\n"
)


def spin(text: str) -> str:
    """Replace the listed content words with synonyms (quotes and names untouched, as a spinner does)."""
    out = []
    for part in text.split('"'):
        if len(out) % 2 == 0:
            part = " ".join(SYNONYMS.get(w, w) for w in part.split(" "))
        out.append(part)
    return '"'.join(out)


def near_copy(text: str) -> str:
    """A copy with a few word edits."""
    return text.replace("ending a decade", "ending almost a decade").replace("were divided", "were sharply divided")


def shortened(text: str) -> str:
    """The title and the first three paragraphs."""
    return "\n".join(text.split("\n")[:4]) + "\n"


def frame(texts: dict[str, str], dates: dict[str, date] | None = None) -> pd.DataFrame:
    """A documents frame with the stage's input columns."""
    dates = dates or {}
    return pd.DataFrame({
        "doc_id": list(texts),
        "source_file": [f"{k}.txt" for k in texts],
        "clean_text": list(texts.values()),
        "published_date": [dates.get(k) for k in texts],
        "date_source": ["header" if k in dates else "none" for k in texts],
        "title": [t.split("\n", 1)[0] for t in texts.values()],
        "n_sentences": [t.count(".") for t in texts.values()],
    })


@pytest.fixture()
def copies() -> pd.DataFrame:
    """Original, exact, near, shortened, spun copies and one unrelated article; only the original is dated."""
    return frame({"d0": ORIGINAL, "d1": ORIGINAL, "d2": near_copy(ORIGINAL), "d3": shortened(ORIGINAL),
                  "d4": spin(ORIGINAL), "d5": UNRELATED}, {"d0": date(2024, 6, 4), "d5": date(2024, 9, 1)})
