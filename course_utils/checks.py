"""Learning-objective checks: state a target, check it, record it.

``expect("cnn_test_accuracy", acc, at_least={"sample": 0.95, "full": 0.99})``
prints one readable line and raises :class:`ExpectationError` when the target
is missed.

The course run report (``course_utils.tools.report``) collects every check a
notebook makes through one pair of functions defined here:
:func:`record_checks_to` (the report asks the notebook's kernel, through the
environment variable :data:`RECORDS_ENV`, to append each record to a file) and
:func:`read_checks` (the report reads them back).
"""

import json
import math
import numbers
import os

from course_utils.config import SCALES, data_scale

RECORDS_ENV = "COURSE_REPORT_FILE"
"""Environment variable naming the JSON-lines file that receives every check's record."""


class ExpectationError(AssertionError):
    """A notebook's learning objective was not met."""


def record_checks_to(path, env=None):
    """Make every kernel started with ``env`` append its check records to ``path``.

    Args:
        path: The JSON-lines file (created by the first record).
        env: The environment mapping to change (default: ``os.environ``).

    Returns:
        The previous value of :data:`RECORDS_ENV` (``None`` if unset), to restore later.
    """
    env = os.environ if env is None else env
    previous = env.get(RECORDS_ENV)
    env[RECORDS_ENV] = str(path)
    return previous


def read_checks(path):
    """Return the check records in ``path`` (written by :func:`expect`), oldest first.

    A missing file means no check was made; a line that is not a complete
    record (a kernel killed mid-write) is skipped.
    """
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        return []
    records = []
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and {"name", "value", "target", "scale", "passed"} <= set(record):
            records.append(record)
    return records


def _number(value, what, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"expect({name!r}): {what} must be a real number, got {value!r} "
                        f"({type(value).__name__})")
    return float(value)


def _target(bound, scale, name, which):
    if bound is None:
        return None
    if isinstance(bound, dict):
        unknown = [k for k in bound if k not in SCALES]
        if unknown:
            raise ValueError(f"expect({name!r}): {which} has keys {unknown}; use the data scales "
                             "'sample' and 'full', e.g. {'sample': 0.9, 'full': 0.97}")
        key = scale if scale in bound else "sample" if scale == "auto" else None
        if key not in bound:
            raise ValueError(f"expect({name!r}): {which} has no target for scale {scale!r}: {bound}")
        return _number(bound[key], f"{which}[{key!r}]", name)
    return _number(bound, which, name)


def expect(name, value, at_least=None, at_most=None, scale=None):
    """Check that ``value`` meets its target, print the result and record it.

    Args:
        name: A short identifier, e.g. ``"mlp_test_accuracy"``.
        value: The measured number: a Python, NumPy or 0-d tensor real number;
            a bool counts as 1 (True) or 0 (False), for checks of a property.
        at_least: Lower bound (inclusive), a number or a dict such as
            ``{"sample": 0.90, "full": 0.97}`` keyed by data scale.
        at_most: Upper bound (inclusive), same forms as ``at_least``.
        scale: The scale the value was measured at (``Dataset.scale``);
            ``None`` uses ``COURSE_DATA``, and ``"auto"`` picks the sample target.

    Returns:
        None (so that a check as a cell's last line echoes nothing).

    Raises:
        ValueError: If neither bound is given, a bound's dict has no target
            for the scale, or ``value`` has more than one element.
        TypeError: If ``value`` or a bound is not a real number (a string or
            ``None`` is not, and a bound may not be ``True``/``False``).
        ExpectationError: If the value is NaN or outside the bounds.
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"expect: name must be a non-empty string, got {name!r}")
    if at_least is None and at_most is None:
        raise ValueError(f"expect({name!r}) needs at_least and/or at_most")
    scale = data_scale(scale)
    low, high = _target(at_least, scale, name, "at_least"), _target(at_most, scale, name, "at_most")
    if hasattr(value, "numpy"):
        value = value.numpy()
    if hasattr(value, "shape") and hasattr(value, "item"):
        if getattr(value, "size", 1) != 1:
            raise ValueError(f"expect({name!r}): value must be one number, "
                             f"got an array of shape {value.shape}")
        value = value.item()
    value = _number(int(value) if isinstance(value, bool) else value, "value", name)
    ok = not math.isnan(value) and (low is None or value >= low) and (high is None or value <= high)
    parts = ([f">= {low:g}"] if low is not None else []) + ([f"<= {high:g}"] if high is not None else [])
    target = " and ".join(parts)
    record = {"name": name, "value": value, "target": target, "scale": scale, "passed": ok}
    records_file = os.environ.get(RECORDS_ENV)
    if records_file:
        with open(records_file, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
    print(f"{'PASS' if ok else 'FAIL'} {name} = {value:.6g} (target {target}, {scale} scale)")
    if not ok:
        raise ExpectationError(
            f"{name} = {value:.6g} misses its target ({target}) at {scale} scale. "
            "Re-run the notebook from the top (Restart & Run All); if it still fails, "
            "the model or data changed: see the cells above this check.")
