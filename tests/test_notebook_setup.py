import numpy as np
import pytest

from course_utils.notebook_setup import device_name, setup


def test_setup_prints_one_line_and_seeds(capsys):
    import keras
    import tensorflow as tf

    assert setup(seed=7) is None
    first = (np.random.rand(3), keras.random.uniform((3,)).numpy())
    setup(seed=7)
    second = (np.random.rand(3), keras.random.uniform((3,)).numpy())
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 2 and out[0] == (f"TensorFlow {tf.__version__} | Keras {keras.__version__} | "
                                        f"{device_name()} | data: sample | seed: 7")
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


def test_setup_line_shows_the_data_really_used_in_auto_mode(monkeypatch, capsys):
    monkeypatch.setenv("COURSE_DATA", "auto")
    setup(seed=None)
    assert "| data: sample (auto: no full data cached) |" in capsys.readouterr().out


@pytest.mark.parametrize("bad", ["abc", -1, 1.5, True])
def test_setup_rejects_bad_seeds(bad):
    with pytest.raises(ValueError, match=r"seed must be a non-negative int \(e.g. 42\) or None"):
        setup(seed=bad)


def test_device_name_matches_visible_gpus():
    import tensorflow as tf

    name = device_name()
    if tf.config.list_physical_devices("GPU"):
        assert name.startswith("GPU: ")
    else:
        assert name == "CPU only"


def test_setup_turns_off_tensorfloat32_unless_asked():
    import tensorflow as tf

    setup(seed=None, exact_float32=False)
    assert tf.config.experimental.tensor_float_32_execution_enabled()
    setup(seed=None)
    assert not tf.config.experimental.tensor_float_32_execution_enabled()
