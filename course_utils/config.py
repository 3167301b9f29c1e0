"""Course-wide settings, read from environment variables on every call.

- ``COURSE_DATA``: the data scale (:func:`data_scale`);
- ``KERAS_HOME``: where full datasets and weights are cached (:func:`keras_home`);
- ``COURSE_RUNS``: where checkpoints, logs and reports go (:func:`run_dir`).

Changing one and re-running a cell takes effect without restarting the kernel.
"""

import os
from pathlib import Path

SCALES = ("sample", "full", "auto")
"""Valid values of the ``COURSE_DATA`` environment variable."""


def data_scale(scale=None):
    """Return the data scale to use: ``"sample"``, ``"full"`` or ``"auto"``.

    Args:
        scale: An explicit scale. When ``None``, the ``COURSE_DATA``
            environment variable is used, and ``"auto"`` when it is unset or
            empty.

    Returns:
        The validated scale as a lower-case string.

    Raises:
        ValueError: If the scale is not one of :data:`SCALES`.
    """
    value = scale if scale is not None else os.environ.get("COURSE_DATA") or "auto"
    value = str(value).strip().lower()
    if value not in SCALES:
        source = "scale argument" if scale is not None else "COURSE_DATA"
        raise ValueError(
            f"{source}={value!r} is not a data scale; expected one of "
            f"{', '.join(SCALES)}. Example: COURSE_DATA=sample make lab"
        )
    return value


def keras_home():
    """Return the folder where Keras caches datasets and weights.

    This follows Keras' own rule: ``$KERAS_HOME`` when set, else ``~/.keras``.

    Returns:
        A :class:`pathlib.Path` (it may not exist yet).
    """
    return Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras").expanduser()


def run_dir(name):
    """Return (and create) a folder for run artefacts outside the repository.

    Checkpoints, TensorBoard logs and reports go here so that training never
    writes into the course's git checkout. The root is ``$COURSE_RUNS`` when
    set, else ``~/.cache/keras-course/runs``.

    Args:
        name: A short folder name such as ``"04_checkpoints"``. Only letters,
            digits, ``-``, ``_`` and ``.`` are allowed.

    Returns:
        The created :class:`pathlib.Path`.

    Raises:
        ValueError: If ``name`` is empty or contains other characters.
        OSError: If the folder cannot be created (the message names ``COURSE_RUNS``).
    """
    valid = isinstance(name, str) and name not in ("", ".", "..")
    if not valid or not all(c.isalnum() or c in "-_." for c in name):
        raise ValueError(
            f"run_dir name {name!r} must be a non-empty folder name of letters, "
            "digits, '-', '_' or '.', e.g. '04_checkpoints'"
        )
    root = Path(os.environ.get("COURSE_RUNS") or Path.home() / ".cache" / "keras-course" / "runs")
    path = root.expanduser() / name
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        source = "COURSE_RUNS" if os.environ.get("COURSE_RUNS") else "the default runs folder"
        raise OSError(f"Cannot create the run folder {path} ({exc.strerror or exc}). Point COURSE_RUNS "
                      f"at a writable folder (now: {source} = {root}), e.g. "
                      "COURSE_RUNS=/tmp/keras-course-runs") from exc
    return path
