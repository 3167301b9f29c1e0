"""The course's datasets: one registry, one loading path, two scales.

Every labelled dataset is a :class:`Spec` in :data:`DATASETS`: a small real
sample that ships in the repository's ``data/`` folder, and (for most) the
canonical full files that ``keras.datasets`` downloads, with their published
hashes. :func:`load_dataset` follows one path for all of them, chosen by the
``COURSE_DATA`` switch (see :func:`course_utils.config.data_scale`):

- ``sample``: the file in ``data/``; never touches the network.
- ``full``: the Keras files under ``$KERAS_HOME/datasets`` (``~/.keras/datasets``);
  downloaded once when missing; every file's hash is checked before use.
- ``auto``: the full files when they are cached and intact, otherwise the sample;
  it never downloads.

A loader prints one line saying which data it used and why. Nothing here ever
deletes or overwrites a cached file.
"""

import csv
import difflib
import gzip
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from course_utils.config import data_scale, keras_home

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
"""The repository's ``data/`` folder (``course_utils`` is installed with ``pip install -e .``)."""

KERAS_DATASETS = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


class DataError(RuntimeError):
    """A dataset cannot be loaded; the message says what to do about it."""


@dataclass(frozen=True)
class Dataset:
    """A train/test split of a labelled dataset (build it with keyword arguments).

    Attributes:
        name: Dataset name, e.g. ``"mnist"``.
        scale: ``"sample"`` or ``"full"``: the scale actually loaded.
        x_train, y_train, x_test, y_test: The split.
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
    class_names: tuple = ()
    feature_names: tuple = ()
    source: str = ""

    def describe(self):
        """Return a one-line summary of the split's shapes."""
        return (f"train {self.x_train.shape} {self.x_train.dtype}, "
                f"test {self.x_test.shape} {self.x_test.dtype}")


@dataclass(frozen=True)
class FullFile:
    """One file of a full dataset: its name in ``$KERAS_HOME/datasets``, URL and published hash."""

    name: str
    sha: str  # SHA-256 (64 hex digits) or, where Keras publishes only that, MD5 (32)

    @property
    def url(self):
        return KERAS_DATASETS + self.name


@dataclass(frozen=True)
class Spec:
    """How to load one dataset at each scale.

    Attributes:
        name: The name :func:`load_dataset` takes.
        sample_file: File in ``data/`` holding the sample.
        sample_description: What the sample is, for the one-line message.
        read_sample: ``f(path) -> dict`` of keyword arguments for :class:`Dataset`.
        full_files: The Keras files of the full dataset (empty: sample only).
        full_description: What the full data is.
        read_full: ``f(paths) -> dict`` of keyword arguments for :class:`Dataset`.
    """

    name: str
    sample_file: str
    sample_description: str
    read_sample: callable
    full_files: tuple = ()
    full_description: str = ""
    read_full: callable = None
    extra: dict = field(default_factory=dict)


# ---------------------------------------------------------------- readers

def _read_csv_gz(path):
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _mnist_sample(path):
    with np.load(path, allow_pickle=False) as f:
        return {k: f[k].astype(np.int64) if k.startswith("y") else f[k]
                for k in ("x_train", "y_train", "x_test", "y_test")}


def _mnist_full(paths):
    return _mnist_sample(paths[0])  # the same four arrays, in the same layout


AUTO_MPG_FEATURES = ("cylinders", "displacement", "horsepower", "weight",
                     "acceleration", "model_year", "origin")


def _auto_mpg(path):
    rows = _read_csv_gz(path)
    parts = {}
    for part in ("train", "test"):
        chosen = [r for r in rows if r["split"] == part]
        parts[f"x_{part}"] = np.array([[float(r[c]) for c in AUTO_MPG_FEATURES] for r in chosen], np.float32)
        parts[f"y_{part}"] = np.array([float(r["mpg"]) for r in chosen], np.float32)
    return parts


def _reviews_sample(path):
    rows = _read_csv_gz(path)
    parts = {}
    for part in ("train", "test"):
        chosen = [r for r in rows if r["split"] == part]
        parts[f"x_{part}"] = np.array([r["text"] for r in chosen], dtype=object)
        parts[f"y_{part}"] = np.array([int(r["fresh"]) for r in chosen], np.int64)
    return parts


def _imdb_full(paths):
    import json

    npz, index = paths
    # allow_pickle is safe here: the file's hash equals the one Keras publishes.
    with np.load(npz, allow_pickle=True) as f:
        arrays = {k: f[k] for k in ("x_train", "y_train", "x_test", "y_test")}
    words = {i: w for w, i in json.loads(Path(index).read_text(encoding="utf-8")).items()}
    parts = {}
    for part in ("train", "test"):
        parts[f"x_{part}"] = np.array([" ".join(words.get(int(i), "[UNK]") for i in ids)
                                       for ids in arrays[f"x_{part}"]], dtype=object)
        parts[f"y_{part}"] = arrays[f"y_{part}"].astype(np.int64)
    return parts


DATASETS = {spec.name: spec for spec in (
    Spec(name="mnist", sample_file="mnist_5k.npz",
         sample_description="5,000 real MNIST digits, 4,000 train / 1,000 test",
         read_sample=_mnist_sample,
         full_files=(FullFile("mnist.npz",
                              "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"),),
         full_description="keras.datasets.mnist, 60,000 train / 10,000 test",
         read_full=_mnist_full,
         extra={"class_names": tuple(str(d) for d in range(10))}),
    Spec(name="auto_mpg", sample_file="auto_mpg.csv.gz",
         sample_description="392 cars of UCI's Auto MPG, 313 train / 79 test",
         read_sample=_auto_mpg,
         extra={"feature_names": AUTO_MPG_FEATURES}),
    Spec(name="movie_reviews", sample_file="rotten_tomatoes.csv.gz",
         sample_description=("12,752 one-sentence Rotten Tomatoes critic reviews (Pang & Lee), "
                             "fresh = 1 / rotten = 0, 10,201 train / 2,551 test"),
         read_sample=_reviews_sample,
         full_files=(FullFile("imdb.npz", "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"),
                     FullFile("imdb_word_index.json", "bfafd718b763782e994055a2d397834f")),
         full_description="IMDB reviews of keras.datasets.imdb decoded to words, 25,000 train / 25,000 test",
         read_full=_imdb_full,
         extra={"class_names": ("negative", "positive")}),
)}


def dataset_names():
    """Return the names accepted by :func:`load_dataset`, sorted."""
    return sorted(DATASETS)


def unknown_name(kind, name, choices):
    """Return the ValueError for an unknown name, with a "did you mean" hint."""
    close = difflib.get_close_matches(str(name), [str(c) for c in choices], n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    return ValueError(f"Unknown {kind} {name!r}; expected one of {', '.join(map(str, choices))}.{hint}")


# ---------------------------------------------------------------- the one loading path

def file_hash(path, expected):
    """Return ``path``'s hash in the algorithm of ``expected`` (SHA-256 if 64 hex digits, else MD5)."""
    digest = hashlib.sha256() if len(expected) == 64 else hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _sample(spec):
    path = DATA_DIR / spec.sample_file
    if not path.is_file():
        raise DataError(f"The sample file {path} is missing. It ships with the course repository: "
                        "use a full clone and install the helpers with `pip install -e .` from it.")
    return spec.read_sample(path)


def _bad_cache(spec, folder):
    """Return a sentence naming the cached full files that are missing or damaged, else ``None``."""
    missing = [f.name for f in spec.full_files if not (folder / f.name).is_file()]
    if missing:
        return f"{' and '.join(missing)} not cached in {folder}"
    damaged = [f.name for f in spec.full_files if file_hash(folder / f.name, f.sha) != f.sha]
    if damaged:
        return (f"{' and '.join(damaged)} in {folder} does not match the published hash "
                "(a truncated or altered download); delete it to download it again")
    return None


def _download(spec, folder):
    import keras

    for f in spec.full_files:
        if (folder / f.name).is_file():
            continue
        try:
            keras.utils.get_file(f.name, f.url, file_hash=f.sha, cache_dir=str(folder.parent),
                                 cache_subdir=folder.name)
        except Exception as exc:  # noqa: BLE001 - any failure means "not available"
            raise DataError(
                f"The full {spec.name!r} data needs {f.name} in {folder}; downloading it from {f.url} "
                f"failed ({type(exc).__name__}: {exc}). Connect to the internet once, copy the file "
                "there, or run with COURSE_DATA=sample.") from exc


def load(spec, scale):
    """Load ``spec`` at ``scale``; return ``(Dataset, why)`` where ``why`` explains the choice."""
    folder = keras_home() / "datasets"
    use_full, why = False, "COURSE_DATA=sample"
    if spec.full_files and scale != "sample":
        problem = _bad_cache(spec, folder)
        if problem is None:
            use_full, why = True, f"cached in {folder}"
        elif scale == "auto":
            why = ("full data not cached — run with COURSE_DATA=full to download" if "not cached" in problem
                   else problem)
        elif problem.endswith("not cached in " + str(folder)):
            _download(spec, folder)
            problem = _bad_cache(spec, folder)
            if problem is not None:
                raise DataError(f"The full {spec.name!r} data cannot be used: {problem}.")
            use_full, why = True, f"downloaded to {folder}"
        else:
            raise DataError(f"The full {spec.name!r} data cannot be used: {problem}. "
                            "Or run with COURSE_DATA=sample.")
    elif not spec.full_files:
        why = "one size at every scale"
    if use_full:
        arrays = spec.read_full([folder / f.name for f in spec.full_files])
        description = spec.full_description
    else:
        arrays, description = _sample(spec), spec.sample_description
    ds = Dataset(name=spec.name, scale="full" if use_full else "sample", source=description,
                 **arrays, **spec.extra)
    return ds, why


def load_dataset(name, scale=None, verbose=True):
    """Load a labelled dataset as a deterministic train/test split.

    Args:
        name: One of :func:`dataset_names`:

            - ``"mnist"``: images ``(n, 28, 28)`` uint8 in 0..255, int64 labels 0..9;
            - ``"auto_mpg"``: float32 features ``(n, 7)`` and miles per gallon ``(n,)``;
            - ``"movie_reviews"``: 1-D object arrays of review text and int64
              labels, 1 = positive. Sample: Rotten Tomatoes snippets; full: IMDB.
        scale: ``"sample"``, ``"full"`` or ``"auto"``; ``None`` reads ``COURSE_DATA``.
        verbose: Print one line saying which data is used and why.

    Returns:
        A :class:`Dataset`.

    Raises:
        ValueError: For an unknown name or scale, or a non-bool ``verbose``.
        DataError: When ``full`` data is neither cached nor downloadable, or a
            cached file does not match its published hash.
    """
    if name not in DATASETS:
        raise unknown_name("dataset", name, dataset_names())
    if not isinstance(verbose, bool):
        raise ValueError(f"verbose must be True or False, got {verbose!r}")
    ds, why = load(DATASETS[name], data_scale(scale))
    if verbose:
        print(f"{name}: {ds.scale} data — {ds.source} ({why})")
    return ds


# ---------------------------------------------------------------- unlabelled real data

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


SERIES_NAMES = ("sunspots", "co2")


def load_series(name):
    """Load a real time series from ``data/``.

    Args:
        name: ``"sunspots"`` (yearly mean sunspot number, 1700–2008, 309
            values) or ``"co2"`` (monthly mean atmospheric CO2 at Mauna Loa in
            ppm, 1958–2001, 526 values; missing weeks interpolated before averaging).

    Returns:
        A :class:`Series`.

    Raises:
        ValueError: For an unknown name.
    """
    if name == "sunspots":
        rows = _read_csv_gz(DATA_DIR / "sunspots.csv.gz")
        return Series("sunspots", np.array([float(r["year"]) for r in rows]),
                      np.array([float(r["sunspot_number"]) for r in rows], np.float32),
                      "sunspot number", "yearly sunspot numbers 1700–2008")
    if name == "co2":
        rows = _read_csv_gz(DATA_DIR / "co2.csv.gz")
        return Series("co2", np.array([int(r["year"]) + (int(r["month"]) - 1) / 12.0 for r in rows]),
                      np.array([float(r["co2_ppm"]) for r in rows], np.float32),
                      "ppm", "Mauna Loa CO2, monthly means 1958–2001")
    raise unknown_name("series", name, SERIES_NAMES)


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
        raise unknown_name("photo", name, PHOTO_NAMES)
    return load_sample_image(f"{name}.jpg")


TEXT_CORPORA = ("python_docs", "korean_constitution")


def load_text_corpus(name="python_docs", max_chars=None):
    """Load real prose as one string.

    Args:
        name: ``"python_docs"``: English, the help topics of CPython's
            ``pydoc_data`` (about 460,000 characters, topics separated by blank
            lines, tabs expanded); ``"korean_constitution"``: Korean, the
            Constitution of the Republic of Korea (대한민국헌법, 1987; about 19,000
            characters) from ``data/``.
        max_chars: Keep only the first ``max_chars`` characters (``None`` keeps all).

    Returns:
        The text as one ``str``.

    Raises:
        ValueError: For an unknown name, or if ``max_chars`` is not a positive
            int (``True`` is not a number of characters).
    """
    if max_chars is not None and (isinstance(max_chars, bool) or not isinstance(max_chars, (int, np.integer))
                                  or max_chars <= 0):
        raise ValueError(f"max_chars must be a positive int or None, got {max_chars!r}")
    if name == "python_docs":
        from pydoc_data.topics import topics

        text = "\n\n".join(topics[key].strip() for key in sorted(topics)).expandtabs(4)
    elif name == "korean_constitution":
        with gzip.open(DATA_DIR / "korean_constitution.txt.gz", "rt", encoding="utf-8") as f:
            text = f.read()
    else:
        raise unknown_name("text corpus", name, TEXT_CORPORA)
    return text if max_chars is None else text[:int(max_chars)]



def scale_in_use(scale=None):
    """Say which data the loaders will really use, e.g. ``"sample (auto: no full data cached)"``.

    Args:
        scale: ``"sample"``, ``"full"`` or ``"auto"``; ``None`` reads ``COURSE_DATA``.

    Returns:
        A short string for the Setup line.
    """
    scale = data_scale(scale)
    if scale != "auto":
        return scale
    folder = keras_home() / "datasets"
    cached = [s.name for s in DATASETS.values() if s.full_files and _bad_cache(s, folder) is None]
    if not cached:
        return "sample (auto: no full data cached)"
    others = [s.name for s in DATASETS.values() if s.full_files and s.name not in cached]
    return f"auto: full for {', '.join(cached)}" + (f"; sample for {', '.join(others)}" if others else "")
