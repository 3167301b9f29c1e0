"""pytest configuration for running the notebooks under nbval.

- stderr is never compared: TensorFlow's C++ logging writes there and cannot
  be silenced reliably.
- nbval waits only 5 s for a finished cell's output by default; training cells
  on a busy 2-core machine can need longer.
- Only the notebooks git tracks under notebooks/ are collected (not the
  NN_topic.nbconvert.ipynb that `jupyter nbconvert --execute` writes there).
"""

import functools
from pathlib import Path

from nbval.plugin import IPyNbCell

from course_utils.tools.notebooks import tracked_notebooks

OUTPUT_TIMEOUT_S = 120

_compare_outputs = IPyNbCell.compare_outputs


def _no_stderr(outputs):
    return [o for o in outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]


def _compare_without_stderr(self, test, ref, skip_compare=None):
    return _compare_outputs(self, _no_stderr(test), _no_stderr(ref), skip_compare)


IPyNbCell.compare_outputs = _compare_without_stderr


def pytest_collection_modifyitems(items):
    """Give every notebook cell a longer output timeout."""
    for item in items:
        if isinstance(item, IPyNbCell):
            item.output_timeout = OUTPUT_TIMEOUT_S


ROOT = Path(__file__).resolve().parent
NOTEBOOKS = ROOT / "notebooks"


@functools.cache
def _tracked_notebooks():
    return frozenset(tracked_notebooks(ROOT))


def pytest_ignore_collect(collection_path, config):
    """Collect only the tracked notebooks under notebooks/.

    `jupyter nbconvert --execute` leaves NN_topic.nbconvert.ipynb beside the source, and a
    maintainer may keep scratch notebooks there: neither is part of the course. Outside a git
    checkout (a downloaded archive) only the *.nbconvert.ipynb files are skipped.
    """
    path = Path(collection_path).resolve()
    if path.suffix != ".ipynb" or NOTEBOOKS not in path.parents:
        return None
    return True if path not in _tracked_notebooks() else None


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "notebook_run: executes whole course notebooks (about 2 minutes); "
        "run alone with `pytest -m notebook_run tests/test_quiet_notebooks.py`",
    )
