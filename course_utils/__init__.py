"""Helpers for the Keras course: setup, data, plots, callbacks and checks.

Typical notebook opening::

    from course_utils import setup, load_dataset, expect
    setup(seed=42)
"""

from course_utils.checks import expect
from course_utils.config import data_scale, run_dir, setup
from course_utils.data import (
    DataError,
    load_dataset,
    load_photo,
    load_series,
    load_text_classification,
    load_text_corpus,
)

__all__ = ["DataError", "data_scale", "expect", "load_dataset", "load_photo", "load_series",
           "load_text_classification", "load_text_corpus", "run_dir", "setup"]
