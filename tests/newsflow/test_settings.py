"""The settings file: where it is found, what it may hold, and how flags override it."""

from __future__ import annotations

import pytest

from newsflow import settings


def test_no_file_gives_the_built_in_defaults(tmp_path, monkeypatch):
    monkeypatch.delenv(settings.ENV, raising=False)
    assert settings.load(tmp_path) == settings.Settings()


def test_newsflow_toml_wins_over_pyproject(tmp_path, monkeypatch):
    monkeypatch.delenv(settings.ENV, raising=False)
    (tmp_path / "pyproject.toml").write_text("[tool.newsflow]\nstory_threshold = 0.3\n")
    assert settings.load(tmp_path).story_threshold == 0.3
    (tmp_path / "newsflow.toml").write_text("story_threshold = 0.45\nsummary_sentences = 2\n")
    loaded = settings.load(tmp_path)
    assert (loaded.story_threshold, loaded.summary_sentences, loaded.source) == (0.45, 2, str(tmp_path / "newsflow.toml"))


def test_a_pyproject_without_the_table_is_no_settings_file(tmp_path, monkeypatch):
    monkeypatch.delenv(settings.ENV, raising=False)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert settings.settings_file(tmp_path) is None


def test_flags_override_the_file_and_none_keeps_it(tmp_path, monkeypatch):
    monkeypatch.delenv(settings.ENV, raising=False)
    (tmp_path / "newsflow.toml").write_text("spun_threshold = 0.7\nmax_file_mb = 2\n")
    merged = settings.with_flags(settings.load(tmp_path), spun_threshold=0.8, max_file_mb=None)
    assert (merged.spun_threshold, merged.max_file_mb) == (0.8, 2)
    assert merged.flow_parameters() == {"max_file_mb": 2, "near_duplicate_jaccard": None, "spun_threshold": 0.8,
                                        "story_threshold": None, "summary_sentences": None}


@pytest.mark.parametrize("text", ["near_duplicate_jaccard = 1.2\n", "summary_sentences = 0\n", "port = 70000\n",
                                  "max_file_mb = true\n", "colour = 'blue'\n"])
def test_bad_values_are_refused(tmp_path, monkeypatch, text):
    monkeypatch.delenv(settings.ENV, raising=False)
    (tmp_path / "newsflow.toml").write_text(text)
    with pytest.raises(settings.SettingsError):
        settings.load(tmp_path)


@pytest.mark.parametrize("flags", [{"story_threshold": 0.0}, {"spun_threshold": float("nan")},
                                   {"wait_for_lock_seconds": float("nan")}, {"wait_for_lock_seconds": float("inf")}])
def test_flags_the_flow_would_refuse_are_refused_before_it_starts(flags):
    with pytest.raises(settings.SettingsError):
        settings.with_flags(settings.Settings(), **flags)


@pytest.mark.parametrize("threshold", [1e-9, 0.5, 1.0])
def test_thresholds_the_settings_accept_the_flow_accepts(threshold, tmp_path):
    from newsflow.config import build_config

    checked = settings.with_flags(settings.Settings(), story_threshold=threshold, near_duplicate_jaccard=threshold)
    config = build_config(tmp_path / "seeds", tmp_path / "data", story_threshold=checked.story_threshold,
                          near_duplicate_jaccard=checked.near_duplicate_jaccard)
    assert config.dedup.story_threshold == threshold


def test_every_flow_parameter_has_a_setting():
    import inspect

    from flows.pipeline import pipeline

    names = set(inspect.signature(pipeline.fn).parameters) - {"full_refresh", "allow_shrink"}
    assert names <= {f for f in settings.Settings.__dataclass_fields__}


def test_the_dask_engine_settings_are_read_checked_and_not_flow_parameters(tmp_path, monkeypatch):
    monkeypatch.delenv(settings.ENV, raising=False)
    (tmp_path / "newsflow.toml").write_text('workers = 2\ndask_address = "tcp://10.0.0.5:8786"\n')
    loaded = settings.load(tmp_path)
    assert (loaded.workers, loaded.dask_address) == (2, "tcp://10.0.0.5:8786")
    assert "workers" not in loaded.flow_parameters()  # where the steps run never changes what they compute
    assert settings.with_flags(loaded, workers=0).workers == 0
    for bad in ("workers = -1\n", "workers = 1000\n", "workers = 1.5\n", 'dask_address = " "\n'):
        (tmp_path / "newsflow.toml").write_text(bad)
        with pytest.raises(settings.SettingsError):
            settings.load(tmp_path)
