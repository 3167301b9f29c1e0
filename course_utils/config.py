"""Course-wide settings: data scale, folders outside the repo, and `setup()`.

Every notebook calls :func:`setup` once at the top. The other functions read
environment variables each time they are called, so changing ``COURSE_DATA``
and re-running a cell takes effect without restarting the kernel.
"""

import os
import random
from pathlib import Path

import numpy as np

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
    """
    if not name or not all(c.isalnum() or c in "-_." for c in str(name)) or name in (".", ".."):
        raise ValueError(
            f"run_dir name {name!r} must be a non-empty folder name of letters, "
            "digits, '-', '_' or '.', e.g. '04_checkpoints'"
        )
    root = Path(os.environ.get("COURSE_RUNS") or Path.home() / ".cache" / "keras-course" / "runs")
    path = root.expanduser() / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def device_name():
    """Describe the device TensorFlow will use.

    Returns:
        The first GPU's name (e.g. ``"GPU: NVIDIA H100"``) or ``"CPU only"``.
    """
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return "CPU only"
    details = tf.config.experimental.get_device_details(gpus[0])
    return f"GPU: {details.get('device_name', gpus[0].name)}" + (
        f" (+{len(gpus) - 1} more)" if len(gpus) > 1 else ""
    )


def setup(seed=42, quiet=True, exact_float32=True):
    """Prepare a notebook: seeds, quiet logs, GPU memory growth, figure style.

    Call it once, right after the imports. It prints one line with the
    TensorFlow and Keras versions, the device and the data scale.

    Args:
        seed: Seed for Python's ``random``, NumPy and Keras (``None`` skips
            seeding).
        quiet: Lower TensorFlow's Python and C++ log levels.
        exact_float32: Turn off TensorFloat-32, the reduced-precision float32
            matrix mode of recent NVIDIA GPUs, so hand computations match
            Keras to 1e-5 on every device (a small speed cost on such GPUs).

    Returns:
        None, so that ``setup()`` as a cell's last line shows only its line.
    """
    if quiet:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras
    import matplotlib.pyplot as plt
    import tensorflow as tf

    if quiet:
        tf.get_logger().setLevel("ERROR")
        import absl.logging

        absl.logging.set_verbosity(absl.logging.ERROR)
    tf.config.experimental.enable_tensor_float_32_execution(not exact_float32)
    for gpu in tf.config.list_physical_devices("GPU"):
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except RuntimeError:
            pass  # The GPU was initialised already; growth can only be set before.
    if seed is not None:
        random.seed(seed)
        np.random.seed(seed)
        keras.utils.set_random_seed(seed)
    plt.rcParams.update(
        {"figure.figsize": (6.4, 4.0), "figure.dpi": 90, "axes.grid": True,
         "grid.alpha": 0.3, "axes.spines.top": False, "axes.spines.right": False}
    )
    print(f"TensorFlow {tf.__version__} | Keras {keras.__version__} | "
          f"{device_name()} | data: {data_scale()} | seed: {seed}")
