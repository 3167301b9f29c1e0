import numpy as np
import pytest

from course_utils import data
from course_utils.data import DataError, load_dataset


def write_mnist_npz(path, n_train=6, n_test=4):
    """Write a tiny file in the real format of keras.datasets.mnist (mnist.npz)."""
    rng = np.random.default_rng(0)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, x_train=rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
             y_train=np.arange(n_train, dtype=np.uint8) % 10,
             x_test=rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
             y_test=np.arange(n_test, dtype=np.uint8) % 10)
    return path


@pytest.fixture
def no_download(monkeypatch):
    """Make the Keras download fail at once, as it does offline."""
    def fail():
        raise OSError("no network")
    entry = data._DATASETS["mnist"]
    monkeypatch.setitem(data._DATASETS, "mnist", entry[:3] + (fail,) + entry[4:])


def test_mnist_sample_is_real_and_deterministic():
    ds = load_dataset("mnist", scale="sample")
    assert ds.scale == "sample"
    assert ds.x_train.shape == (4000, 28, 28) and ds.x_test.shape == (1000, 28, 28)
    assert ds.x_train.dtype == np.uint8 and ds.y_train.dtype == np.int64
    assert np.bincount(ds.y_test).tolist() == [100] * 10  # stratified split
    assert 20 < ds.x_train.mean() < 50 and ds.x_train.max() == 255  # real digits: mostly dark
    again = load_dataset("mnist", scale="sample", verbose=False)
    np.testing.assert_array_equal(ds.x_test, again.x_test)


def test_mnist_full_reads_keras_cache(tmp_path):
    write_mnist_npz(tmp_path / "keras" / "datasets" / "mnist.npz")
    for scale in ("full", "auto"):
        ds = load_dataset("mnist", scale=scale, verbose=False)
        assert ds.scale == "full" and ds.x_train.shape == (6, 28, 28) and ds.x_test.shape == (4, 28, 28)
        assert ds.y_train.dtype == np.int64 and ds.class_names[3] == "3"


def test_corrupt_cache_gives_clear_error_and_is_kept(tmp_path):
    path = tmp_path / "keras" / "datasets" / "mnist.npz"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"half a download")
    with pytest.raises(DataError, match="corrupt.*Delete it.*COURSE_DATA=sample"):
        load_dataset("mnist", scale="full")
    assert path.read_bytes() == b"half a download"  # nothing is deleted behind the user's back


def test_wrong_shapes_in_cache_are_reported(tmp_path):
    path = tmp_path / "keras" / "datasets" / "mnist.npz"
    path.parent.mkdir(parents=True)
    np.savez(path, x_train=np.zeros((3, 32, 32)), y_train=np.zeros(3), x_test=np.zeros((1, 28, 28)),
             y_test=np.zeros(1))
    with pytest.raises(DataError, match=r"x_train has shape \(3, 32, 32\)"):
        load_dataset("mnist", scale="full")


def test_full_without_cache_or_network_says_what_to_do(no_download):
    with pytest.raises(DataError, match="not cached at .*mnist.npz.*no network.*COURSE_DATA=sample"):
        load_dataset("mnist", scale="full")


def test_auto_falls_back_to_sample(no_download, capsys):
    ds = load_dataset("mnist", scale="auto")
    assert ds.scale == "sample" and len(ds.x_train) == 4000
    assert "full data unavailable offline" in capsys.readouterr().out


def test_unknown_dataset_name():
    with pytest.raises(ValueError, match="Unknown dataset 'minst'.*Did you mean 'mnist'"):
        load_dataset("minst")
    with pytest.raises(ValueError, match="expected one of sample, full, auto"):
        load_dataset("mnist", scale="large")


def test_auto_mpg():
    ds = load_dataset("auto_mpg", verbose=False)
    assert ds.x_train.shape == (313, 7) and ds.x_test.shape == (79, 7)
    assert ds.x_train.dtype == np.float32 and not np.isnan(ds.x_train).any()
    assert ds.feature_names[3] == "weight" and 9 <= ds.y_train.min() and ds.y_train.max() <= 47


def test_series():
    sun = data.load_series("sunspots")
    assert len(sun.values) == 309 and sun.time[0] == 1700 and sun.values.dtype == np.float32
    co2 = data.load_series("co2")
    assert len(co2.values) == 526 and not np.isnan(co2.values).any()
    assert np.all(np.diff(co2.time) > 0) and 310 < co2.values.min() < co2.values.max() < 380
    with pytest.raises(ValueError, match="Did you mean 'co2'"):
        data.load_series("c02")


def test_photo():
    img = data.load_photo("flower")
    assert img.shape == (427, 640, 3) and img.dtype == np.uint8
    with pytest.raises(ValueError, match="expected one of china, flower"):
        data.load_photo("cat")


def test_text_corpus():
    text = data.load_text_corpus()
    assert len(text) > 300_000 and "assert" in text and "\t" not in text
    assert data.load_text_corpus(max_chars=100) == text[:100]
    with pytest.raises(ValueError, match="positive int"):
        data.load_text_corpus(max_chars=0)
