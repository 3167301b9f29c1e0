"""``setup()``: the one call at the top of every notebook.

It seeds the random number generators, turns on GPU memory growth, fixes the
float32 precision, sets the figure style and prints one line saying what the
notebook runs on. TensorFlow's C++ log level cannot be set here (TensorFlow
is already loaded when a notebook reaches ``setup()``): the course's kernel and
the ``make`` targets set ``TF_CPP_MIN_LOG_LEVEL`` before Python starts.
"""

import random

import numpy as np


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


def setup(seed=42, exact_float32=True):
    """Prepare a notebook: seeds, GPU memory growth, float32 precision, figure style.

    Call it once, right after the imports. It prints one line with the
    TensorFlow and Keras versions, the device and the data really used.

    Args:
        seed: Seed for Python's ``random``, NumPy and Keras, a non-negative
            int (``None`` skips seeding).
        exact_float32: Turn off TensorFloat-32, the reduced-precision float32
            matrix mode of recent NVIDIA GPUs, so hand computations match
            Keras to 1e-5 on every device (a small speed cost on such GPUs).

    Returns:
        None, so that ``setup()`` as a cell's last line shows only its line.

    Raises:
        ValueError: If ``seed`` is not a non-negative int or None.
    """
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
        raise ValueError(f"seed must be a non-negative int (e.g. 42) or None, got {seed!r}")
    import keras
    import matplotlib.pyplot as plt
    import tensorflow as tf

    from course_utils.data import scale_in_use

    tf.get_logger().setLevel("ERROR")
    tf.config.experimental.enable_tensor_float_32_execution(not exact_float32)
    for gpu in tf.config.list_physical_devices("GPU"):
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except RuntimeError:
            pass  # The GPU was initialised already; growth can only be set before.
    if seed is not None:
        random.seed(int(seed))
        np.random.seed(int(seed))
        keras.utils.set_random_seed(int(seed))
    plt.rcParams.update(
        {"figure.figsize": (6.4, 4.0), "figure.dpi": 90, "axes.grid": True,
         "grid.alpha": 0.3, "axes.spines.top": False, "axes.spines.right": False}
    )
    print(f"TensorFlow {tf.__version__} | Keras {keras.__version__} | "
          f"{device_name()} | data: {scale_in_use()} | seed: {seed}")
