"""Tests for course_utils.transfer, offline, on a tiny MobileNetV2 the tests build themselves.

A randomly initialised MobileNetV2 (alpha 0.35, 96x96, no top) is saved in the
legacy ``.h5`` format under a temporary ``KERAS_HOME/models`` with the file
name ``keras.applications`` looks for. Loading "ImageNet" weights must then
give back exactly those weights, without touching the network.
"""

import socket
import warnings

import keras
import numpy as np
import pytest

from course_utils import transfer

ALPHA, SHAPE = 0.35, (96, 96, 3)


def _tiny_base(weights=None):
    return keras.applications.MobileNetV2(input_shape=SHAPE, alpha=ALPHA, include_top=False, weights=weights)


@pytest.fixture(scope="module")
def fake_home(tmp_path_factory):
    """A KERAS_HOME whose models/ folder holds a tiny 'ImageNet' weights file, and its weights."""
    home = tmp_path_factory.mktemp("keras_home")
    (home / "models").mkdir()
    keras.utils.set_random_seed(0)
    model = _tiny_base()
    path = home / "models" / transfer.weights_filename("MobileNetV2", SHAPE, ALPHA)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras notes that .h5 is a legacy format: that is the point here
        model.save(path)  # legacy HDF5, the format of the files keras.applications downloads
    return home, [w.copy() for w in model.get_weights()]


@pytest.fixture
def no_network(monkeypatch):
    """Make every connection attempt fail at once."""
    def refuse(*args, **kwargs):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)


def _same(weights_a, weights_b):
    return len(weights_a) == len(weights_b) and all(
        np.array_equal(a, b) for a, b in zip(weights_a, weights_b))


def test_weights_filename_is_the_one_keras_uses():
    assert (transfer.weights_filename("MobileNetV2", (96, 96, 3), 1.0)
            == "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5")
    assert transfer.weights_filename(input_shape=(224, 224, 3), alpha=0.35).endswith("_0.35_224_no_top.h5")


def test_weights_path_follows_keras_home(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert transfer.weights_path().parent == tmp_path / "models"


def test_loads_cached_weights_offline(fake_home, monkeypatch, no_network, capsys):
    home, expected = fake_home
    monkeypatch.setenv("KERAS_HOME", str(home))
    base = transfer.load_pretrained_base("MobileNetV2", SHAPE, alpha=ALPHA)
    assert base is not None
    assert _same(base.get_weights(), expected)
    assert base.output.shape == (None, 3, 3, 1280)
    assert "loaded with ImageNet weights" in capsys.readouterr().out


def test_keras_applications_finds_the_same_file(fake_home, monkeypatch):
    """keras.applications itself, asked for weights='imagenet', loads our file (no download)."""
    from keras.src.backend import config as keras_config
    from keras.src.utils import file_utils

    home, expected = fake_home

    def no_download(*args, **kwargs):
        raise AssertionError("keras tried to download: the cached file name is wrong")

    # Keras reads KERAS_HOME once at import time, so point its private copy at the fake home.
    monkeypatch.setattr(keras_config, "_KERAS_DIR", str(home))
    monkeypatch.setattr(file_utils, "urlretrieve", no_download)
    assert _same(_tiny_base(weights="imagenet").get_weights(), expected)


def test_missing_weights_offline_returns_none_quickly(monkeypatch, tmp_path, no_network, capsys):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert transfer.load_pretrained_base(alpha=ALPHA, timeout=1) is None
    out = capsys.readouterr().out
    assert "not available" in out and "cannot be reached" in out
    assert str(tmp_path / "models" / transfer.weights_filename(alpha=ALPHA)) in out
    assert "Continuing without the pretrained model" in out


def test_download_false_never_connects(monkeypatch, tmp_path, capsys):
    def fail(*args, **kwargs):
        raise AssertionError("must not connect")

    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(transfer, "can_reach", fail)
    assert transfer.load_pretrained_base(alpha=ALPHA, download=False) is None
    assert "download=False" in capsys.readouterr().out


def test_can_reach_is_false_without_network(no_network):
    assert transfer.can_reach(timeout=1) is False


def test_corrupt_cache_file_returns_none(monkeypatch, tmp_path, capsys):
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / transfer.weights_filename(alpha=ALPHA)).write_bytes(b"not an HDF5 file")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert transfer.load_pretrained_base(alpha=ALPHA) is None
    assert "Delete the file" in capsys.readouterr().out


def test_random_and_explicit_path_weights(fake_home, no_network):
    home, expected = fake_home
    assert transfer.load_pretrained_base(input_shape=(64, 64, 3), weights=None, alpha=ALPHA) is not None
    path = home / "models" / transfer.weights_filename(alpha=ALPHA)
    base = transfer.load_pretrained_base(input_shape=SHAPE, weights=path, alpha=ALPHA)
    assert _same(base.get_weights(), expected)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"name": "MobileNetv2"}, ValueError, "Did you mean 'MobileNetV2'"),
    ({"input_shape": (100, 100, 3)}, ValueError, "square inputs"),
    ({"input_shape": (96, 96, 1)}, ValueError, "3 \\(RGB\\) channels"),
    ({"input_shape": (96, 96)}, ValueError, "height, width, 3"),
    ({"alpha": 0.3}, ValueError, "alpha in"),
    ({"alpha": -1}, ValueError, "positive number"),
    ({"weights": "imagenet21k"}, FileNotFoundError, "does not exist"),
    ({"weights": 3}, ValueError, "'imagenet', None or a file path"),
    ({"input_shape": (16, 16, 3), "weights": None}, ValueError, "at least 32x32"),
    ({"timeout": 0}, ValueError, "timeout"),
])
def test_bad_arguments_raise_clear_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        transfer.load_pretrained_base(**kwargs)
