from datetime import UTC, date, datetime

import pandas as pd

from newsflow.validation import SuiteContext

RUN_DATE = date(2026, 11, 22)
TEXT = "First sentence here. Second one."


def _documents(**changes) -> pd.DataFrame:
    row = {
        "doc_id": "d1", "source_file": "a.txt", "sha256": "a" * 64, "encoding": "utf-8",
        "published_date": date(2023, 3, 22), "date_source": "header", "date_issue": None, "title": None,
        "clean_text": TEXT, "n_sentences": 2, "n_paragraphs": 1, "n_boilerplate": 1,
        "duplicate_group": None, "is_canonical": None, "story_id": None,
        "ingested_at": datetime(2026, 1, 1, tzinfo=UTC), "run_id": "r1",
    }
    return pd.DataFrame([{**row, **changes}])


def _sentences(**changes) -> pd.DataFrame:
    rows = [
        {"sentence_id": "d1-s0000", "doc_id": "d1", "sentence_index": 0, "paragraph": 0, "char_start": 0,
         "char_end": 20, "text": "First sentence here.", "is_heading": False},
        {"sentence_id": "d1-s0001", "doc_id": "d1", "sentence_index": 1, "paragraph": 0, "char_start": 21,
         "char_end": 32, "text": "Second one.", "is_heading": False},
    ]
    rows[1].update(changes)
    return pd.DataFrame(rows)


def _rejects(**changes) -> pd.DataFrame:
    return pd.DataFrame([{"source_file": "b.bin", "sha256": None, "size_bytes": 3, "reason": "binary",
                          "detail": "NUL byte at offset 1", "run_id": "r1", **changes}])


def _ctx(docs=None, sents=None, rejects=None, n_inputs=2) -> SuiteContext:
    return SuiteContext(RUN_DATE, {"documents": _documents() if docs is None else docs,
                                   "sentences": _sentences() if sents is None else sents,
                                   "rejects": _rejects() if rejects is None else rejects}, n_inputs)


def _failed(report) -> set[str]:
    return {f.expectation for f in report.failures}


def test_documents_suite_passes_good_and_names_each_bad_rule(validator):
    assert validator.validate("documents", _documents(), _ctx()).success
    future = _documents(published_date=date(2030, 1, 1))
    report = validator.validate("documents", future, _ctx(docs=future))
    assert not report.success and "check_date_in_range" in report.message()
    assert report.failures[0].sample_rows[0]["doc_id"] == "d1"
    nulldate = _documents(published_date=None)
    assert "check_date_null_iff_none" in validator.validate("documents", nulldate, _ctx(docs=nulldate)).message()
    assert "expect_table_row_count_to_equal" in _failed(validator.validate("documents", _documents(), _ctx(n_inputs=5)))
    dup = pd.concat([_documents(), _documents(source_file="b.txt")])
    assert "expect_column_values_to_be_unique" in _failed(validator.validate("documents", dup, _ctx(docs=dup, n_inputs=3)))


def test_sentences_suite_checks_offsets_verbatim(validator):
    assert validator.validate("sentences", _sentences(), _ctx()).success
    shifted = _sentences(char_start=22)
    report = validator.validate("sentences", shifted, _ctx(sents=shifted))
    assert not report.success and "check_offsets_verbatim" in report.message()
    orphan = _sentences(doc_id="zz")
    assert "check_doc_exists" in validator.validate("sentences", orphan, _ctx(sents=orphan)).message()


def test_rejects_suite_requires_known_reason_and_detail(validator):
    assert validator.validate("rejects", _rejects(), _ctx()).success
    assert not validator.validate("rejects", _rejects(reason="weird"), _ctx()).success
    assert not validator.validate("rejects", _rejects(detail=""), _ctx()).success


def test_boilerplate_suite_requires_rule_and_document(validator):
    good = pd.DataFrame([{"doc_id": "d1", "line_no": 3, "line": "JOIN US ON TELEGRAM", "rule": "promo"}])
    assert validator.validate("boilerplate", good, _ctx()).success
    assert not validator.validate("boilerplate", good.assign(doc_id="zz"), _ctx()).success
    assert not validator.validate("boilerplate", good.assign(rule="Bad Rule"), _ctx()).success


def test_runs_suite(validator):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    row = {"run_id": "r1", "started_at": start, "finished_at": start, "status": "completed", "mode": "full",
           "n_inputs": 5, "n_new": 5, "n_documents": 5, "n_rejects": 0, "seconds_ingest": 0.1, "seconds_clean": 0.1,
           "seconds_deduplicate": 0.1, "seconds_extract_claims": 0.1, "seconds_summarise": 0.1, "message": None,
           "flow_run_id": None, "parameters": "{}", "config_hash": "0" * 64}
    assert validator.validate("runs", pd.DataFrame([row]), _ctx()).success
    assert not validator.validate("runs", pd.DataFrame([{**row, "status": "odd"}]), _ctx()).success
    assert not validator.validate("runs", pd.DataFrame([{**row, "config_hash": "not a hash"}]), _ctx()).success


def test_validation_results_are_kept_as_json_and_data_docs(validator):
    report = validator.validate("rejects", _rejects(), _ctx())
    assert report.json_path is not None and report.json_path.exists()
    index = validator.build_docs()
    assert index is not None and index.exists() and "rejects" in index.read_text()


def test_a_relative_report_folder_gets_data_docs(tmp_path, monkeypatch, validator):
    from pathlib import Path

    from newsflow.validation import Validator

    monkeypatch.chdir(tmp_path)
    relative = Validator(Path("data") / "validation")
    assert relative.validate("rejects", _rejects(), _ctx()).success
    assert relative.build_docs() == tmp_path / "data" / "validation" / "docs" / "index.html"
    assert (tmp_path / "data" / "validation" / "docs" / "index.html").exists()


def test_data_docs_keep_only_the_latest_validation_pages(tmp_path):
    from newsflow.validation import Validator

    for _ in range(2):
        fresh = Validator(tmp_path)
        assert fresh.validate("rejects", _rejects(), _ctx()).success
        fresh.build_docs()
    pages = list((tmp_path / "docs" / "validations").rglob("*.html"))
    assert len(pages) == 1 and "rejects" in (tmp_path / "docs" / "index.html").read_text()


def test_data_docs_render_no_copy_into_the_temporary_folder(tmp_path, monkeypatch):
    import tempfile

    from newsflow.validation import Validator

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where GX's ephemeral default docs site would go
    reports = tmp_path / "reports"
    validator = Validator(reports)
    assert validator.validate("rejects", _rejects(), _ctx()).success
    assert validator.build_docs() == reports / "docs" / "index.html"
    assert (reports / "docs" / "index.html").exists()
    assert not list(scratch.rglob("index.html"))
