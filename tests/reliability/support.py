"""Reliability test support: the bad-input matrix (generated here, no copied fixtures) and run helpers.

The expensive part of a flow run is Prefect and GX start-up, so the matrix is run once: the five good seeds
plus every bad-input case in one seeds folder. Tests then assert per case. Subprocess runs (kill points,
concurrency) talk to the session's Prefect test server instead of starting their own.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from newsflow import catalogue

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "gold" / "seeds_gold.json"
SCORER = Path("/work/shared/eval/score_seeds.py")
# Columns that say which run wrote a row, not what the row holds.
RUN_METADATA = {"documents": ("ingested_at", "run_id"), "rejects": ("run_id",)}
BIG_FILE_BYTES = 50 * 1024 * 1024


# --------------------------------------------------------------------------------------------------
# Generated articles: fictional local news, one topic per number, far from the seeds' stories.
# --------------------------------------------------------------------------------------------------

_TOWNS = ["Lindenfeld", "Marrowby", "Quenton Vale", "Ashcombe", "Pellridge", "Holloway Cross", "Brantmere",
          "Corriestown", "Dunwick", "Elsmoor", "Fennick", "Garrowdale", "Harthill", "Ivesbury", "Joyce Bay",
          "Kestrel Point", "Lowther", "Mossbank", "Northrey", "Oakhampton"]
_THINGS = ["a new water treatment plant", "the rebuilt public library", "a cycle path along the canal",
           "the harbour wall repairs", "a solar farm on the old airfield", "the school kitchen programme",
           "a night bus service", "the flood barrier upgrade", "the market hall restoration",
           "a community orchard", "the tram extension", "a youth football ground", "the recycling depot",
           "a rural broadband link", "the museum roof", "a bridge over the river", "the hospital car park",
           "a ferry timetable change", "the allotment scheme", "a street lighting survey"]
_PEOPLE = [("Mara Quillon", "the council leader"), ("Tobias Wrenfield", "the project engineer"),
           ("Ines Habberley", "a local shopkeeper"), ("Oswin Carraway", "the finance officer"),
           ("Petra Lindqvist", "the mayor"), ("Jonah Etheridge", "a resident")]


def article(n: int, title: bool = True) -> str:
    """A deterministic, realistic plain-text article about topic n (curly quotes, an accent, numbers)."""
    town, thing = _TOWNS[n % len(_TOWNS)], _THINGS[(n * 7) % len(_THINGS)]
    (p1, r1), (p2, r2) = _PEOPLE[n % 6], _PEOPLE[(n + 3) % 6]
    cost, jobs, year = 2 + (n * 37) % 90, 10 + (n * 13) % 200, 2019 + n % 5
    lines = [f"{town} approves {thing}", ""] if title else []
    lines += [
        f"Councillors in {town} voted on Thursday to approve {thing}, ending a debate that began in {year}.",
        f"The scheme will cost £{cost} million and create {jobs} jobs, according to the council’s own estimate.",
        "",
        f"“This is the most important decision we have taken in a decade,” said {p1}, {r1}. "
        f"“People have waited long enough, and the café owners on the high street told us so every week.”",
        "",
        f"{p2}, {r2}, was more cautious. “We must keep the budget under control,” {p2.split()[-1]} said, "
        f"adding that an independent review would report by the end of the year.",
        "",
        f"Work is expected to start in the spring. The council said about {jobs * 3} households in {town} "
        f"would benefit once {thing} is complete — roughly {10 + n % 40} per cent of the district.",
    ]
    return "\n".join(lines) + "\n"


def boilerplate_only() -> str:
    return "\n\n".join([
        "Advertisement", "Subscribe to our newsletter for the latest updates",
        "Follow us on Twitter and Facebook", "Read more: Ten things to do this weekend",
        "© 2024 Example Daily News. All rights reserved.", "Sign up for our morning briefing",
    ]) + "\n"


def german_article() -> str:
    return (
        "Stadtrat beschließt neue Straßenbahnlinie\n\n"
        "Der Stadtrat von Oberwiesental hat am Dienstag mit großer Mehrheit den Bau einer neuen "
        "Straßenbahnlinie beschlossen. Die Kosten werden auf 84 Millionen Euro geschätzt.\n\n"
        "„Das ist ein guter Tag für unsere Stadt“, sagte Bürgermeisterin Henrike Aldinger nach der Abstimmung. "
        "Die Opposition kritisierte die hohen Kosten und forderte eine unabhängige Prüfung.\n\n"
        "Die ersten Züge sollen nach Angaben der Verkehrsbetriebe im Jahr 2027 fahren.\n"
    )


def chinese_article() -> str:
    return (
        "青石镇启用新图书馆\n\n"
        "青石镇周二正式启用了新建的公共图书馆，总投资约三千万元。镇长林晓雯在开馆仪式上说：“这是全镇居民期待已久的一天。”\n\n"
        "据介绍，新图书馆藏书超过十二万册，每天开放十二小时。\n"
    )


def russian_article() -> str:
    return (
        "Пожар на складе потушен\n\n"
        "Пожар на складе в Новосибирске потушили за три часа, сообщили в МЧС. Пострадавших нет, причины выясняются.\n\n"
        "«Огонь распространился очень быстро», — сказал начальник смены Игорь Петров. "
        "По его словам, на складе хранились строительные материалы.\n\n"
        "Площадь пожара составила около 800 квадратных метров. Движение на соседней улице было перекрыто до вечера.\n"
    )


def unbalanced_quotes(n_marks: int = 10_000) -> str:
    """Deeply unbalanced quotes: thousands of opening marks (curly and straight) that never close."""
    parts = []
    for i in range(n_marks):
        parts.append("“" if i % 3 else '"')
        parts.append(f"said {_PEOPLE[i % 6][0]} about" if i % 11 == 0 else "and")
    return "Unbalanced\n\nIt began " + " ".join(parts) + " the end.\n"


_VOCAB = ("council harbour budget river school market bridge library storm engineer resident argued planned "
          "delayed approved rejected quietly slowly openly warned expected repairs funding ferry orchard depot "
          "the a of and to in on with for by after before").split()


def single_line(n_bytes: int = 1024 * 1024) -> str:
    """About n_bytes of plain prose on one line, no newline at all (small vocabulary, sentences of ~45 words)."""
    out: list[str] = []
    size, i = 0, 0
    while size < n_bytes:
        words = [_VOCAB[(i * 7 + j * 3 + j // 4) % len(_VOCAB)] for j in range(40 + i % 11)]
        sentence = " ".join(words).capitalize() + ". "
        out.append(sentence)
        size += len(sentence)
        i += 1
    return "".join(out).rstrip()


def growing_vocabulary(n_bytes: int) -> str:
    """Many short sentences whose vocabulary grows with the text (numbers, names): the shape of a long report."""
    out: list[str] = []
    size, i = 0, 0
    while size < n_bytes:
        town = _TOWNS[i % len(_TOWNS)]
        s = f"Item {i}: the {town} depot logged {i * 3 % 977} deliveries and {i % 13} delays on day {i % 365}. "
        out.append(s)
        size += len(s)
        i += 1
    return "".join(out).rstrip()


def dialog_quotes(n_marks: int = 10_000) -> str:
    """An article of reported dialogue holding n_marks quote marks (curly and straight), five sentences a paragraph."""
    out: list[str] = []
    for i in range(n_marks // 2):
        who = _PEOPLE[i % 6][0]
        if i % 3 == 0:
            out.append(f"“We will finish the harbour wall before the storms,” said {who}.")
        elif i % 3 == 1:
            out.append(f'"The budget is tight and fair," {who.split()[-1]} added.')
        else:
            out.append("Critics called it “a waste of money and time”.")
    paragraphs = [" ".join(out[j:j + 5]) for j in range(0, len(out), 5)]
    return "Harbour debate\n\n" + "\n\n".join(paragraphs) + "\n"


def bare_quote_marks(n_marks: int = 10_000) -> str:
    """A line holding n_marks straight quote marks in a row."""
    return 'Marks\n\nThe file held these marks: ' + '"' * n_marks + " and nothing else.\n"


# --------------------------------------------------------------------------------------------------
# The matrix: each case writes itself into a seeds folder and states the outcome it must have.
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    """One bad-input case: the seeds-relative names it creates and the outcome each must have."""

    name: str
    build: Callable[[Path, Path], None]  # (seeds folder, a folder outside it) -> None
    expect: dict[str, str]  # source_file -> "document" or a reject reason
    same_text_as: str | None = None  # this case's documents must clean to the same text as this file
    known_bug: str | None = None  # a bug in another stage, reported to its owner: the case is a strict xfail


def _write(seeds: Path, name: str, data: bytes | str) -> None:
    target = seeds / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


BASE = "zz_base.txt"  # the LF / UTF-8 original that encoding and line-ending variants must clean to
_PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000100000001008060000001ff3ff61")


def _big(seeds: Path, _: Path) -> None:
    with open(seeds / "big_50mb.txt", "wb") as fh:  # sparse: instant, and takes no disk space
        fh.truncate(BIG_FILE_BYTES)


def _symlinks(seeds: Path, outside: Path) -> None:
    (outside / "secret.txt").write_text(article(90), encoding="utf-8")
    (outside / "folder").mkdir(exist_ok=True)
    (outside / "folder" / "inner.txt").write_text(article(91), encoding="utf-8")
    os.symlink(outside / "secret.txt", seeds / "link_outside.txt")
    os.symlink(outside / "folder", seeds / "linked_folder_outside")
    os.symlink(seeds / "missing-target.txt", seeds / "broken_link.txt")


def _folder_named_txt(seeds: Path, _: Path) -> None:
    (seeds / "x.txt").mkdir()
    (seeds / "x.txt" / "inner.txt").write_text(article(12), encoding="utf-8")
    (seeds / "empty_dir.txt").mkdir()


def _fifo(seeds: Path, _: Path) -> None:
    os.mkfifo(seeds / "fifo.txt")


def _bad_name_bytes(seeds: Path, _: Path) -> None:
    with open(os.path.join(os.fsencode(seeds), b"latin1-caf\xe9.txt"), "wb") as fh:
        fh.write(article(13).encode("utf-8"))


def _run_date_plus(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def build_cases() -> list[Case]:
    """Every bad-input case of issue 7 (and a few more found while testing)."""
    base = article(1)
    crlf = base.replace("\n", "\r\n")
    return [
        Case("empty", lambda s, o: _write(s, "empty.txt", b""), {"empty.txt": "empty"}),
        Case("whitespace_only", lambda s, o: _write(s, "blank.txt", " \n\t\r\n \u00a0\n".encode()),
             {"blank.txt": "whitespace_only"}),
        Case("binary_nul", lambda s, o: _write(s, "nul.txt", b"Some text\x00\x00\x01 more" * 50), {"nul.txt": "binary"}),
        Case("binary_png_header", lambda s, o: _write(s, "image.txt", _PNG + bytes(range(256)) * 4), {"image.txt": "binary"}),
        Case("control_chars", lambda s, o: _write(s, "controls.txt", bytes(range(1, 32)) * 40), {"controls.txt": "binary"}),
        Case("invalid_utf8", lambda s, o: _write(s, "invalid_utf8.txt", article(2).encode() + b"\xff\xfe stray \xc3( bytes\n"),
             {"invalid_utf8.txt": "document"}),
        Case("utf16_bom", lambda s, o: _write(s, "utf16.txt", codecs.BOM_UTF16_LE + base.encode("utf-16-le")),
             {"utf16.txt": "document"}, same_text_as=BASE),
        Case("utf16_bom_big_endian", lambda s, o: _write(s, "utf16be.txt", codecs.BOM_UTF16_BE + base.encode("utf-16-be")),
             {"utf16be.txt": "document"}, same_text_as=BASE),
        Case("utf8_bom", lambda s, o: _write(s, "utf8bom.txt", codecs.BOM_UTF8 + base.encode()), {"utf8bom.txt": "document"},
             same_text_as=BASE),
        Case("cp1252_smart_quotes", lambda s, o: _write(s, "cp1252.txt", base.replace("£", "GBP ").encode("cp1252")),
             {"cp1252.txt": "document"}),
        Case("crlf", lambda s, o: _write(s, "crlf.txt", crlf), {"crlf.txt": "document"}, same_text_as=BASE),
        Case("lone_cr", lambda s, o: _write(s, "cr.txt", base.replace("\n", "\r")), {"cr.txt": "document"}, same_text_as=BASE),
        Case("base_lf_utf8", lambda s, o: _write(s, BASE, base), {BASE: "document"}),
        Case("too_large_50mb", _big, {"big_50mb.txt": "too_large"}),
        Case("single_line_1mb", lambda s, o: _write(s, "one_line.txt", single_line()),
             {"one_line.txt": "too_large_after_cleaning"}),
        Case("boilerplate_only", lambda s, o: _write(s, "boilerplate.txt", boilerplate_only()),
             {"boilerplate.txt": "empty_after_cleaning"}),
        Case("non_english_de", lambda s, o: _write(s, "german.txt", german_article()), {"german.txt": "document"}),
        Case("non_english_zh", lambda s, o: _write(s, "chinese.txt", chinese_article()), {"chinese.txt": "document"}),
        Case("non_english_ru", lambda s, o: _write(s, "russian.txt", russian_article()), {"russian.txt": "document"}),
        # 5,005 sentences of dialogue: over the 5,000-sentence cap whether or not the title line counts as one.
        Case("quotes_10k", lambda s, o: _write(s, "quotes.txt", dialog_quotes(10_010)), {"quotes.txt": "too_large_after_cleaning"}),
        Case("quote_marks_only_10k", lambda s, o: _write(s, "marks.txt", bare_quote_marks()), {"marks.txt": "document"}),
        Case("quotes_unbalanced", lambda s, o: _write(s, "unbalanced.txt", unbalanced_quotes()), {"unbalanced.txt": "document"}),
        Case("name_spaces", lambda s, o: _write(s, "name with  spaces.txt", article(3)), {"name with  spaces.txt": "document"}),
        Case("name_unicode", lambda s, o: _write(s, "sub/ünïcødé 新闻 ✓.txt", article(4)), {"sub/ünïcødé 新闻 ✓.txt": "document"}),
        Case("name_leading_dash", lambda s, o: _write(s, "-rf --help.txt", article(5)), {"-rf --help.txt": "document"}),
        Case("name_newline", lambda s, o: _write(s, "line\nbreak.txt", article(6)), {"line\nbreak.txt": "document"}),
        Case("name_not_utf8", _bad_name_bytes, {"latin1-caf\\xe9.txt": "unreadable"}),
        Case("symlinks", _symlinks, {"link_outside.txt": "symlink_outside", "linked_folder_outside": "symlink_outside",
                                     "broken_link.txt": "unreadable"}),
        Case("symlink_inside", lambda s, o: (_write(s, "target_inside.txt", article(7)),
                                             os.symlink(s / "target_inside.txt", s / "link_inside.txt")),
             {"target_inside.txt": "document", "link_inside.txt": "document"}),
        Case("folder_named_txt", _folder_named_txt, {"x.txt/inner.txt": "document"}),
        Case("fifo", _fifo, {"fifo.txt": "unreadable"}),
        Case("unsupported_extension", lambda s, o: (_write(s, "photo.png", _PNG), _write(s, "notes.md", article(8))),
             {"photo.png": "unsupported_extension", "notes.md": "unsupported_extension"}),
        Case("deleted_between_list_and_read", lambda s, o: _write(s, "vanishing.txt", article(9)),
             {"vanishing.txt": "unreadable"}),
        Case("impossible_date", lambda s, o: _write(s, "bad_date.txt", "date: 2023-02-30\n" + article(10)),
             {"bad_date.txt": "document"}),
        Case("future_date", lambda s, o: _write(s, "future_date.txt", f"date {_run_date_plus(400)}\n" + article(11)),
             {"future_date.txt": "document"}),
        Case("same_bytes_two_names", lambda s, o: (_write(s, "copy_a.txt", article(14)), _write(s, "nested/copy_b.txt", article(14))),
             {"copy_a.txt": "document", "nested/copy_b.txt": "document"}),
    ]


VANISHING = "vanishing.txt"


def build_matrix(seeds: Path, outside: Path, cases: list[Case], with_good_seeds: bool = True) -> dict[str, str]:
    """Fill a seeds folder with the good seeds and every case; return source_file -> expected outcome."""
    seeds.mkdir(parents=True, exist_ok=True)
    outside.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str] = {}
    if with_good_seeds:
        for p in sorted(SEEDS.glob("*.txt")):
            shutil.copyfile(p, seeds / p.name)
            expected[p.name] = "document"
    for case in cases:
        case.build(seeds, outside)
        expected.update(case.expect)
    return expected


# --------------------------------------------------------------------------------------------------
# Flow runs
# --------------------------------------------------------------------------------------------------

def validate_published(data: Path) -> list[str]:
    """Run every table's suite on the published tables (as the last run left them); return the failures."""
    from datetime import datetime, UTC

    from newsflow.validation import SuiteContext, Validator

    tables = {name: catalogue.read_table(data, name) for name in catalogue.TABLES if catalogue.exists(data, name)}
    runs = tables.get("runs")
    n_inputs = int(runs["n_inputs"].iloc[-1]) if runs is not None and len(runs) else None
    ctx = SuiteContext(datetime.now(UTC).date(), tables, n_inputs)
    validator = _VALIDATOR.setdefault("v", Validator(None))
    failed = []
    for name, frame in tables.items():
        report = validator.validate(name, frame, ctx)
        if not report.success:
            failed.append(report.message())
    return failed


_VALIDATOR: dict[str, object] = {}


def stray_files(data: Path) -> list[str]:
    """Temporary or staged files left in a data folder (none may remain after a run)."""
    found = [p for p in data.rglob("*") if p.is_file() and (p.name.endswith(".tmp") or ".staging" in p.parts)]
    return sorted(str(p.relative_to(data)) for p in found)


def key_duplicates(tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Rows sharing a key, per table (a duplicated row shows here)."""
    out = {}
    for name, frame in tables.items():
        key = list(catalogue.table(name).key)
        n = int(frame.duplicated(subset=key).sum()) if len(frame) else 0
        if n:
            out[name] = n
    return out


@dataclass
class FlowRun:
    """A flow run's folders, summary, wall time and published tables."""

    seeds: Path
    data: Path
    summary: object
    seconds: float
    expected: dict[str, str] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # as published right after the run
    files: dict[str, bytes] = field(default_factory=dict)  # the published Parquet files' bytes

    def __post_init__(self) -> None:
        self.tables = read_tables(self.data)
        self.files = parquet_files(self.data)


def parquet_files(data: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    """The bytes of every published Parquet file of a data folder (each part of a partitioned table, as
    `<table>.parquet/part-NNN.parquet`), by path relative to it; tables named in `skip` left out."""
    files = [p for p in [*data.glob("*.parquet"), *data.glob("*.parquet/*.parquet")] if p.is_file()]
    return {p.relative_to(data).as_posix(): p.read_bytes() for p in sorted(files)
            if p.relative_to(data).parts[0].removesuffix(".parquet") not in skip}


def table_files(data: Path, name: str) -> dict[str, bytes]:
    """The bytes of one published table's files (its parts, when partitioned), by path relative to the data folder."""
    return {rel: raw for rel, raw in parquet_files(data).items() if rel.split("/")[0] == f"{name}.parquet"}


def a_file_of(data: Path, name: str) -> Path:
    """One published file of a table: the file itself, or its first part when partitioned (to damage it)."""
    parts = catalogue.part_files(data, name)
    return next(iter(parts.values())) if parts else catalogue.path(data, name)


def remove_table(data: Path, name: str) -> None:
    """Remove a published table, whichever its layout (one file, or a folder of parts)."""
    target = catalogue.path(data, name)
    shutil.rmtree(target) if target.is_dir() else target.unlink()


def run_flow(seeds: Path, data: Path, **kwargs: object) -> tuple[object, float]:
    """Run the flow in-process (under the session harness); return its summary and wall time."""
    from flows.pipeline import pipeline

    t0 = time.perf_counter()
    summary = pipeline(seeds=str(seeds), data=str(data), **kwargs)
    return summary, time.perf_counter() - t0


def read_tables(data: Path) -> dict[str, pd.DataFrame]:
    """Every published table of a data folder, read as an analyst would (pandas)."""
    return {name: pd.read_parquet(catalogue.path(data, name)) for name in catalogue.TABLES
            if catalogue.exists(data, name)}


def without_run_metadata(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A table without the columns that name the run that wrote it."""
    return frame.drop(columns=list(RUN_METADATA.get(name, ()))).reset_index(drop=True)


def score(data: Path) -> list[str]:
    """The shared scorer's check lines for a data folder restricted to the five seeds (see seeds_only)."""
    proc = subprocess.run([sys.executable, str(SCORER), "--data", str(data), "--gold", str(GOLD)],
                          capture_output=True, text=True, timeout=120)
    return proc.stdout.splitlines()


def seeds_only(data: Path, target: Path) -> Path:
    """Copy a data folder keeping only rows about the five good seeds, so the gold scorer sees what it scores."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    tables = read_tables(data)
    docs = tables["documents"]
    keep = set(docs.loc[docs["source_file"].isin(gold["documents"]), "doc_id"])
    target.mkdir(parents=True, exist_ok=True)
    out: dict[str, pd.DataFrame] = {}
    for name, frame in tables.items():
        if "doc_id" in frame:
            frame = frame[frame["doc_id"].isin(keep)]
        elif "doc_id_a" in frame:
            frame = frame[frame["doc_id_a"].isin(keep) & frame["doc_id_b"].isin(keep)]
        elif name == "stories":
            frame = frame[frame["doc_ids"].map(lambda ids: bool(set(ids) & keep))]
        out[name] = frame
    if "summaries" in out:
        s = out["summaries"]
        stories = set(out.get("stories", pd.DataFrame({"story_id": []}))["story_id"])
        out["summaries"] = s[((s["scope"] == "document") & s["scope_id"].isin(keep))
                             | ((s["scope"] == "story") & s["scope_id"].isin(stories))]
    for name, frame in out.items():
        frame.reset_index(drop=True).to_parquet(target / f"{name}.parquet")
    return target


# --------------------------------------------------------------------------------------------------
# Subprocess runs
# --------------------------------------------------------------------------------------------------

def cli_env(api_url: str, **extra: str) -> dict[str, str]:
    """Environment for a `newsflow run` subprocess that uses the session's Prefect API."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSFLOW_TEST_")}
    env.update(PREFECT_API_URL=api_url, PREFECT_SERVER_ANALYTICS_ENABLED="false", GX_ANALYTICS_ENABLED="false",
               PREFECT_LOGGING_LEVEL="WARNING", COLUMNS="200",
               PYTHONPATH=os.pathsep.join(p for p in (os.environ.get("PYTHONPATH"), str(ROOT)) if p))
    env.update(extra)
    return env


def newsflow_cmd(seeds: Path, data: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "newsflow", "run", "--seeds", str(seeds), "--data", str(data), *args]


