"""Learning-objective checks: state a target, check it, record it.

``expect("cnn_test_accuracy", acc, at_least={"sample": 0.95, "full": 0.99})``
prints one readable line, raises :class:`ExpectationError` when the target is
missed, and records the value. When ``COURSE_REPORT_FILE`` is set (the course
run report sets it), each record is appended to that file as one JSON line.
"""

import json
import math
import os

from course_utils.config import data_scale

RECORDS = []
"""Every check made in this Python process, as dicts (newest last)."""


class ExpectationError(AssertionError):
    """A notebook's learning objective was not met."""


def _target(bound, scale, name):
    if bound is None or isinstance(bound, (int, float)):
        return bound
    if isinstance(bound, dict):
        key = scale if scale in bound else "sample" if scale == "auto" else None
        if key not in bound:
            raise ValueError(f"expect({name!r}): no target for scale {scale!r} in {bound}")
        return bound[key]
    raise TypeError(f"expect({name!r}): a bound must be a number or a dict of scale -> "
                    f"number, got {type(bound).__name__}")


def expect(name, value, at_least=None, at_most=None, scale=None):
    """Check that ``value`` meets its target, print the result and record it.

    Args:
        name: A short identifier, e.g. ``"mlp_test_accuracy"``.
        value: The measured number (anything ``float()`` accepts).
        at_least: Lower bound (inclusive), a number or a dict such as
            ``{"sample": 0.90, "full": 0.97}`` keyed by data scale.
        at_most: Upper bound (inclusive), same forms as ``at_least``.
        scale: The scale the value was measured at (``Dataset.scale``);
            ``None`` uses ``COURSE_DATA``, and ``"auto"`` picks the sample
            target.

    Returns:
        None (so that a check as a cell's last line echoes nothing); the record
        is appended to :data:`RECORDS`.

    Raises:
        ValueError: If neither bound is given, or no target exists for the scale.
        ExpectationError: If the value is NaN or outside the bounds.
    """
    if at_least is None and at_most is None:
        raise ValueError(f"expect({name!r}) needs at_least and/or at_most")
    scale = data_scale(scale)
    low, high = _target(at_least, scale, name), _target(at_most, scale, name)
    value = float(value)
    ok = not math.isnan(value) and (low is None or value >= low) and (high is None or value <= high)
    parts = ([f">= {low:g}"] if low is not None else []) + ([f"<= {high:g}"] if high is not None else [])
    target = " and ".join(parts)
    record = {"name": name, "value": value, "target": target, "scale": scale, "passed": ok}
    RECORDS.append(record)
    report_file = os.environ.get("COURSE_REPORT_FILE")
    if report_file:
        with open(report_file, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
    print(f"{'PASS' if ok else 'FAIL'} {name} = {value:.6g} (target {target}, {scale} scale)")
    if not ok:
        raise ExpectationError(
            f"{name} = {value:.6g} misses its target ({target}) at {scale} scale. "
            "Re-run the notebook from the top (Restart & Run All); if it still fails, "
            "the model or data changed: see the cells above this check.")
