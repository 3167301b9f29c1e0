import numpy as np
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


@pytest.mark.parametrize("bad", ["", "..", "a/b", "../escape", "with space"])
def test_run_dir_rejects_paths(bad):
    with pytest.raises(ValueError, match="folder name"):
        config.run_dir(bad)


def test_setup_prints_one_line_and_seeds(capsys):
    import keras
    import tensorflow as tf

    assert config.setup(seed=7) is None
    first = (np.random.rand(3), keras.random.uniform((3,)).numpy())
    config.setup(seed=7)
    second = (np.random.rand(3), keras.random.uniform((3,)).numpy())
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 2 and out[0] == (f"TensorFlow {tf.__version__} | Keras {keras.__version__} | "
                                        f"{config.device_name()} | data: sample | seed: 7")
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


def test_device_name_matches_visible_gpus():
    import tensorflow as tf

    name = config.device_name()
    if tf.config.list_physical_devices("GPU"):
        assert name.startswith("GPU: ")
    else:
        assert name == "CPU only"


def test_setup_turns_off_tensorfloat32_unless_asked():
    import tensorflow as tf

    config.setup(seed=None, exact_float32=False)
    assert tf.config.experimental.tensor_float_32_execution_enabled()
    config.setup(seed=None)
    assert not tf.config.experimental.tensor_float_32_execution_enabled()
