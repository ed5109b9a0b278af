"""The run report's files: one page per run plus the latest, older pages pruned, never written through a symlink."""

from __future__ import annotations

from newsflow import report


def _write(data, run_id: str):
    return report.write(data, report.ReportInput(run_id=run_id, status="completed", stages=[], n_inputs=0,
                                                 n_documents=0, n_rejects=0))


def test_only_the_newest_run_reports_are_kept(tmp_path):
    data = tmp_path / "data"
    ids = [f"20261203T0000{i:02d}000000Z" for i in range(report.REPORTS_KEPT + 3)]
    for run_id in ids:
        _write(data, run_id)
    kept = sorted(p.stem for p in (data / "reports").glob("*.html"))
    assert kept == ids[-report.REPORTS_KEPT:]
    assert ids[-1] in (data / "report.html").read_text(encoding="utf-8")


def test_a_symlinked_reports_folder_is_never_written_through(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    data = tmp_path / "data"
    data.mkdir()
    (data / "reports").symlink_to(outside)
    page = _write(data, "20261203T000000000000Z")
    assert list(outside.iterdir()) == [] and page.parent == data / "reports" and page.is_file()
