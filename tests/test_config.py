import os

import pytest

from course_utils import config


def test_data_scale_defaults_to_auto(monkeypatch):
    monkeypatch.delenv("COURSE_DATA")
    assert config.data_scale() == "auto"
    monkeypatch.setenv("COURSE_DATA", "")
    assert config.data_scale() == "auto"


def test_data_scale_reads_env_and_argument(monkeypatch):
    monkeypatch.setenv("COURSE_DATA", " Full ")
    assert config.data_scale() == "full"
    assert config.data_scale("sample") == "sample"


@pytest.mark.parametrize("bad", ["smal", " ", "everything"])
def test_data_scale_rejects_unknown_values(monkeypatch, bad):
    monkeypatch.setenv("COURSE_DATA", bad)
    with pytest.raises(ValueError, match="COURSE_DATA.*expected one of sample, full, auto"):
        config.data_scale()


def test_keras_home_follows_env(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "kh"))
    assert config.keras_home() == tmp_path / "kh"
    monkeypatch.delenv("KERAS_HOME")
    assert config.keras_home().name == ".keras"


def test_run_dir_is_created_under_course_runs(tmp_path):
    path = config.run_dir("04_checkpoints")
    assert path == tmp_path / "runs" / "04_checkpoints" and path.is_dir()


@pytest.mark.parametrize("bad", ["", "..", "a/b", "../escape", "with space", None, 4])
def test_run_dir_rejects_paths(bad):
    with pytest.raises(ValueError, match="folder name"):
        config.run_dir(bad)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_read_only_course_runs_names_the_variable(tmp_path, monkeypatch):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    monkeypatch.setenv("COURSE_RUNS", str(locked))
    with pytest.raises(OSError, match="Point COURSE_RUNS at a writable folder"):
        config.run_dir("x")


def test_unwritable_course_runs_names_the_variable(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")  # fails for root too
    monkeypatch.setenv("COURSE_RUNS", str(blocker))
    with pytest.raises(OSError, match=r"Cannot create the run folder .*a-file/x.*COURSE_RUNS"):
        config.run_dir("x")
    assert blocker.read_text() == "not a folder"
