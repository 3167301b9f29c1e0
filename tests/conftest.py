"""Shared fixtures for the unit tests of course_utils."""

import matplotlib
import pytest

matplotlib.use("Agg")  # unit tests draw off-screen; notebooks keep their inline backend
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    """Keep every test's runs, Keras cache and data scale away from the user's."""
    monkeypatch.setenv("COURSE_RUNS", str(tmp_path / "runs"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setenv("COURSE_DATA", "sample")
    monkeypatch.delenv("COURSE_REPORT_FILE", raising=False)
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def tiny_classifier_data():
    """200 real MNIST sample digits, flattened to 49 features (4x4 average pooling)."""
    from course_utils.data import load_dataset

    ds = load_dataset("mnist", scale="sample", verbose=False)
    x = ds.x_train[:200].reshape(200, 7, 4, 7, 4).mean(axis=(2, 4)).reshape(200, -1) / 255.0
    return x.astype("float32"), ds.y_train[:200]
