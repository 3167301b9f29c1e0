"""The data layer: the files in data/, and the one cache -> download -> sample path."""

import dataclasses
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from course_utils import data
from course_utils.data import DataError, load_dataset

ROOT = Path(__file__).resolve().parents[1]


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_mnist_npz(path, n_train=6, n_test=4):
    """Write a tiny file in the real format of keras.datasets.mnist (mnist.npz)."""
    rng = np.random.default_rng(0)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, x_train=rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
             y_train=np.arange(n_train, dtype=np.uint8) % 10,
             x_test=rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
             y_test=np.arange(n_test, dtype=np.uint8) % 10)
    return path


def trust(monkeypatch, name, *paths):
    """Make the registry publish the hashes of these (tiny, test-made) files."""
    spec = data.DATASETS[name]
    files = tuple(dataclasses.replace(f, sha=sha256(p) if len(f.sha) == 64 else hashlib.md5(
        Path(p).read_bytes()).hexdigest()) for f, p in zip(spec.full_files, paths))
    monkeypatch.setitem(data.DATASETS, name, dataclasses.replace(spec, full_files=files))


@pytest.fixture
def cache(tmp_path):
    return tmp_path / "keras" / "datasets"


@pytest.fixture
def offline(monkeypatch):
    """Make every download fail at once, as it does without network; count the attempts."""
    import keras

    attempts = []

    def fail(fname, origin, **kwargs):
        attempts.append(origin)
        raise Exception(f"URL fetch failure on {origin}: None -- [Errno -2] Name or service not known")

    monkeypatch.setattr(keras.utils, "get_file", fail)
    return attempts


# ---------------------------------------------------------------- data/ itself

def test_every_data_file_matches_its_published_hash():
    sums = (ROOT / "data" / "SHA256SUMS").read_text().splitlines()
    listed = dict(reversed(line.split("  ")) for line in sums)
    files = sorted(p.name for p in (ROOT / "data").iterdir() if p.name not in ("README.md", "SHA256SUMS"))
    assert sorted(listed) == files, "data/SHA256SUMS must list exactly the data files"
    for name, digest in listed.items():
        assert sha256(ROOT / "data" / name) == digest, f"data/{name} differs from its SHA256SUMS entry"


def test_readme_documents_every_data_file_with_licence_and_hash():
    readme = (ROOT / "data" / "README.md").read_text()
    for line in (ROOT / "data" / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert name in readme and digest in readme, f"data/README.md does not document {name} and its hash"
    assert readme.lower().count("licence") >= 5


def test_every_registered_sample_file_exists():
    for spec in data.DATASETS.values():
        assert (data.DATA_DIR / spec.sample_file).is_file(), spec.name


# ---------------------------------------------------------------- samples

def test_mnist_sample_is_real_and_deterministic(capsys):
    ds = load_dataset("mnist", scale="sample")
    assert ds.scale == "sample" and ds.name == "mnist"
    assert ds.x_train.shape == (4000, 28, 28) and ds.x_test.shape == (1000, 28, 28)
    assert ds.x_train.dtype == np.uint8 and ds.y_train.dtype == np.int64
    assert np.bincount(ds.y_test).tolist() == [100] * 10  # stratified split
    assert 20 < ds.x_train.mean() < 50 and ds.x_train.max() == 255  # real digits: mostly dark
    assert capsys.readouterr().out == ("mnist: sample data — 5,000 real MNIST digits, 4,000 train / "
                                       "1,000 test (COURSE_DATA=sample)\n")
    again = load_dataset("mnist", scale="sample", verbose=False)
    np.testing.assert_array_equal(ds.x_test, again.x_test)


def test_auto_mpg():
    ds = load_dataset("auto_mpg", verbose=False)
    assert ds.x_train.shape == (313, 7) and ds.x_test.shape == (79, 7)
    assert ds.x_train.dtype == np.float32 and not np.isnan(ds.x_train).any()
    assert ds.feature_names[3] == "weight" and 9 <= ds.y_train.min() and ds.y_train.max() <= 47


def test_movie_reviews_sample():
    ds = load_dataset("movie_reviews", scale="sample", verbose=False)
    assert (len(ds.x_train), len(ds.x_test)) == (10201, 2551)
    assert ds.x_train.dtype == object and isinstance(ds.x_train[0], str) and ds.y_train.dtype == np.int64
    assert set(np.unique(ds.y_train)) == {0, 1} and 0.4 < ds.y_train.mean() < 0.6
    assert ds.class_names == ("negative", "positive") and not set(ds.x_train) & set(ds.x_test)


# ---------------------------------------------------------------- the one path: cache, download, sample

def test_cached_full_file_is_used_at_full_and_auto(cache, monkeypatch, offline, capsys):
    path = write_mnist_npz(cache / "mnist.npz")
    trust(monkeypatch, "mnist", path)
    for scale in ("full", "auto"):
        ds = load_dataset("mnist", scale=scale)
        assert ds.scale == "full" and ds.x_train.shape == (6, 28, 28) and ds.x_test.shape == (4, 28, 28)
        assert ds.y_train.dtype == np.int64 and ds.class_names[3] == "3"
    assert f"mnist: full data — keras.datasets.mnist, 60,000 train / 10,000 test (cached in {cache})" \
        in capsys.readouterr().out
    assert offline == []  # nothing was downloaded
    assert data.scale_in_use("auto") == "auto: full for mnist; sample for movie_reviews"


def test_full_downloads_a_missing_file_with_its_hash(cache, monkeypatch):
    import keras

    calls = []

    def fake_get_file(fname, origin, file_hash, cache_dir, cache_subdir):
        calls.append((fname, origin, file_hash, cache_dir, cache_subdir))
        return str(write_mnist_npz(Path(cache_dir) / cache_subdir / fname))

    monkeypatch.setattr(keras.utils, "get_file", fake_get_file)
    trust(monkeypatch, "mnist", write_mnist_npz(cache.parent / "reference.npz"))
    ds = load_dataset("mnist", scale="full", verbose=False)
    assert ds.scale == "full" and calls == [("mnist.npz", data.KERAS_DATASETS + "mnist.npz",
                                             data.DATASETS["mnist"].full_files[0].sha,
                                             str(cache.parent), "datasets")]


def test_the_published_hash_is_keras_own():
    import inspect

    from keras.src.datasets import imdb, mnist

    assert data.DATASETS["mnist"].full_files[0].sha in inspect.getsource(mnist)
    for f in data.DATASETS["movie_reviews"].full_files:
        assert f.sha in inspect.getsource(imdb)


def test_failed_download_says_what_to_do(offline):
    with pytest.raises(DataError, match=r"needs mnist.npz in .*downloading it from https://.*failed "
                                        r"\(Exception: URL fetch failure.*COURSE_DATA=sample"):
        load_dataset("mnist", scale="full")
    assert len(offline) == 1


def test_auto_offline_uses_the_sample_without_trying_to_download(offline, capsys):
    ds = load_dataset("mnist", scale="auto")
    out = capsys.readouterr().out
    assert ds.scale == "sample" and len(ds.x_train) == 4000 and offline == []
    assert out == ("mnist: sample data — 5,000 real MNIST digits, 4,000 train / 1,000 test "
                   "(full data not cached — run with COURSE_DATA=full to download)\n")
    assert "Downloading" not in out and data.scale_in_use("auto") == "sample (auto: no full data cached)"


def test_corrupt_cache_is_reported_kept_and_never_downloaded_over(cache, offline, capsys):
    path = cache / "mnist.npz"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"half a download")
    with pytest.raises(DataError, match="mnist.npz in .* does not match the published hash.*delete it"):
        load_dataset("mnist", scale="full")
    ds = load_dataset("mnist", scale="auto")  # auto keeps its promise: the sample
    assert ds.scale == "sample" and "does not match the published hash" in capsys.readouterr().out
    assert path.read_bytes() == b"half a download" and offline == []  # kept, and not overwritten


def test_imdb_full_is_decoded_to_words(cache, monkeypatch, offline):
    cache.mkdir(parents=True)
    ids = np.empty(2, dtype=object)
    ids[:] = [[1, 2, 3], [3, 2]]
    np.savez(cache / "imdb.npz", x_train=ids, y_train=np.array([1, 0]), x_test=ids[:1], y_test=np.array([0]))
    (cache / "imdb_word_index.json").write_text(json.dumps({"a": 1, "great": 2, "film": 3}))
    trust(monkeypatch, "movie_reviews", cache / "imdb.npz", cache / "imdb_word_index.json")
    ds = load_dataset("movie_reviews", scale="full", verbose=False)
    assert ds.scale == "full" and ds.x_train.tolist() == ["a great film", "film great"]
    assert ds.y_train.tolist() == [1, 0] and ds.x_test.tolist() == ["a great film"]


def test_missing_imdb_word_index_is_named(cache, monkeypatch, offline):
    cache.mkdir(parents=True)
    (cache / "imdb.npz").write_bytes(b"x")
    trust(monkeypatch, "movie_reviews", cache / "imdb.npz", cache / "imdb.npz")
    with pytest.raises(DataError, match="needs imdb_word_index.json"):
        load_dataset("movie_reviews", scale="full")


# ---------------------------------------------------------------- bad input

def test_unknown_dataset_name_and_scale():
    with pytest.raises(ValueError, match="Unknown dataset 'minst'.*Did you mean 'mnist'"):
        load_dataset("minst")
    with pytest.raises(ValueError, match="expected one of sample, full, auto"):
        load_dataset("mnist", scale="large")
    with pytest.raises(ValueError, match="verbose must be True or False"):
        load_dataset("mnist", verbose="yes")


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
    for bad in (0, True, 2.5, "100"):
        with pytest.raises(ValueError, match="max_chars must be a positive int"):
            data.load_text_corpus(max_chars=bad)


def test_korean_corpus_is_the_constitution():
    text = data.load_text_corpus("korean_constitution")
    assert text.startswith("대한민국헌법") and "제1조 ① 대한민국은 민주공화국이다." in text
    assert 18_000 < len(text) < 21_000
    assert sum("가" <= c <= "힣" for c in text) > 10_000  # mostly Hangul syllables
    with pytest.raises(ValueError, match="Unknown text corpus 'korean'; expected one of python_docs, korean"):
        data.load_text_corpus("korean")
