"""pytest configuration for running the notebooks under nbval.

- stderr is never compared: TensorFlow's C++ logging writes there and cannot
  be silenced reliably.
- nbval waits only 5 s for a finished cell's output by default; training cells
  on a busy 2-core machine can need longer.
"""

from nbval.plugin import IPyNbCell

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
