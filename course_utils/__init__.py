"""Helpers for the Keras course's notebooks (learner side).

Typical notebook opening::

    from course_utils import setup, load_dataset, expect
    setup(seed=42)

Modules: ``notebook_setup`` (``setup``), ``config`` (settings from the
environment), ``data`` (every dataset), ``checks`` (``expect``), ``plots``,
``callbacks`` (``epoch_logger``), ``transfer`` (pretrained bases). Maintainer
tools live apart, in ``course_utils.tools``.
"""

from course_utils.checks import expect
from course_utils.config import data_scale, run_dir
from course_utils.data import (
    DataError,
    load_dataset,
    load_photo,
    load_series,
    load_text_corpus,
)
from course_utils.notebook_setup import setup

__all__ = ["DataError", "data_scale", "expect", "load_dataset", "load_photo", "load_series",
           "load_text_corpus", "run_dir", "setup"]
