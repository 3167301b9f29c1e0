"""course_utils.transfer, offline: cached weights are used, a missing download is explained.

A randomly initialised MobileNetV2 (alpha 0.35, 96x96, no top) is saved in
the legacy ``.h5`` format where ``keras.applications`` caches ImageNet
weights (Keras' own cache folder, redirected to a temporary one). Loading
"ImageNet" weights must then give back exactly those weights with no network.
"""

import urllib.error
import urllib.request
import warnings

import keras
import numpy as np
import pytest
from keras.src.backend import config as keras_config

from course_utils import transfer

ALPHA, SHAPE = 0.35, (96, 96, 3)
WEIGHTS_FILE = f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{ALPHA}_{SHAPE[0]}_no_top.h5"


@pytest.fixture
def offline(monkeypatch):
    """Every download fails at once, as on a machine without network; count the attempts."""
    from keras.src.utils import file_utils

    attempts = []

    def fail(url, *args, **kwargs):
        attempts.append(url)
        raise urllib.error.URLError("[Errno -2] Name or service not known")

    monkeypatch.setattr(file_utils, "urlretrieve", fail)
    return attempts


@pytest.fixture
def keras_cache(tmp_path, monkeypatch):
    """Point Keras' cache (read once at import from KERAS_HOME) at a temporary folder."""
    monkeypatch.setattr(keras_config, "_KERAS_DIR", str(tmp_path / "keras_cache"))
    return tmp_path / "keras_cache"


def test_cached_weights_are_used_without_network(keras_cache, offline, capsys):
    keras.utils.set_random_seed(0)
    model = keras.applications.MobileNetV2(input_shape=SHAPE, alpha=ALPHA, include_top=False, weights=None)
    (keras_cache / "models").mkdir(parents=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # .h5 is Keras' legacy format: that of the published files
        model.save(keras_cache / "models" / WEIGHTS_FILE)
    base = transfer.load_pretrained_base("MobileNetV2", input_shape=SHAPE, alpha=ALPHA)
    assert base is not None and offline == []
    for got, want in zip(base.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(got, want)
    assert "MobileNetV2 base built (input (96, 96, 3), weights: imagenet)." in capsys.readouterr().out


def test_missing_weights_offline_give_none_and_one_clear_message(keras_cache, offline, capsys):
    assert transfer.load_pretrained_base("MobileNetV2", input_shape=SHAPE, alpha=ALPHA) is None
    out = capsys.readouterr().out
    assert len(offline) == 1 and "Downloading data from" not in out
    assert "MobileNetV2 ImageNet weights are not cached" in out and "Name or service not known" in out
    assert ("keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, "
            "weights='imagenet')") in out
    assert not (keras_cache / "models" / WEIGHTS_FILE).exists()


def test_random_weights_never_need_the_network(offline):
    base = transfer.load_pretrained_base("MobileNetV2", input_shape=SHAPE, weights=None, alpha=ALPHA)
    assert base.output.shape == (None, 3, 3, 1280) and offline == []


def test_unknown_model_and_bad_arguments():
    with pytest.raises(ValueError, match="Unknown keras.applications model 'MobilenetV2'.*'MobileNetV2'"):
        transfer.load_pretrained_base("MobilenetV2")
    with pytest.raises(ValueError):  # Keras' own check, passed on untouched
        transfer.load_pretrained_base("MobileNetV2", input_shape=(96, 96, 3), alpha=0.33)
