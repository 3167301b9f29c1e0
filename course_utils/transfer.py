"""Pretrained ``keras.applications`` bases that degrade gracefully offline.

``keras.applications.MobileNetV2(weights="imagenet")`` downloads its ImageNet
weights on first use and caches them under ``$KERAS_HOME/models``
(``~/.keras/models`` by default). Without internet that download fails, or
can wait a long time, so notebooks call :func:`load_pretrained_base` instead:

- the cached weights file is used when it is there (no network needed);
- otherwise the file is downloaded when the host answers within ``timeout``;
- otherwise one clear message says what is missing and how to get it, and
  ``None`` is returned so the notebook can carry on.

The helper looks for exactly the file name ``keras.applications`` uses (see
:func:`weights_filename`) and hands Keras the file's path, so its behaviour
does not depend on when ``KERAS_HOME`` was set (Keras reads that variable
only once, when it is imported).
"""

import difflib
import socket
import threading
from pathlib import Path

from course_utils.config import keras_home

SUPPORTED = ("MobileNetV2",)
"""Names :func:`load_pretrained_base` accepts."""

MOBILENET_V2_ALPHAS = (0.35, 0.5, 0.75, 1.0, 1.3, 1.4)
"""Width multipliers with published ImageNet weights."""

MOBILENET_V2_SIZES = (96, 128, 160, 192, 224)
"""Square input sizes with published ImageNet weights."""

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/"
"""Folder that ``keras.applications`` downloads MobileNetV2 weights from."""

WEIGHTS_HOST = "storage.googleapis.com"


def _check_args(name, input_shape, weights, alpha):
    if name not in SUPPORTED:
        close = difflib.get_close_matches(str(name), SUPPORTED, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"Unknown pretrained base {name!r}; supported: {', '.join(SUPPORTED)}.{hint} "
                         "Other models can be built directly with keras.applications.")
    shape = tuple(input_shape) if isinstance(input_shape, (tuple, list)) else None
    if (shape is None or len(shape) != 3
            or not all(isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in shape)):
        raise ValueError(f"input_shape must be (height, width, 3) with positive ints, got {input_shape!r}")
    rows, cols, channels = shape
    if channels != 3:
        raise ValueError(f"input_shape must have 3 (RGB) channels, got {channels}; "
                         "repeat a grey channel with np.repeat(x, 3, axis=-1)")
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or alpha <= 0:
        raise ValueError(f"alpha must be a positive number, got {alpha!r}")
    if weights == "imagenet":
        if rows != cols or rows not in MOBILENET_V2_SIZES:
            raise ValueError(f"ImageNet weights exist for square inputs of size "
                             f"{MOBILENET_V2_SIZES}; got input_shape {shape}. Resize the images "
                             "(e.g. keras.layers.Resizing(96, 96)) or pass weights=None.")
        if float(alpha) not in MOBILENET_V2_ALPHAS:
            raise ValueError(f"ImageNet weights exist for alpha in {MOBILENET_V2_ALPHAS}; got {alpha!r}")
    elif weights is None:
        if min(rows, cols) < 32:
            raise ValueError(f"MobileNetV2 needs inputs of at least 32x32, got {shape}")
    elif isinstance(weights, (str, Path)):
        if not Path(weights).is_file():
            raise FileNotFoundError(f"weights file {str(weights)!r} does not exist; pass "
                                    "weights='imagenet', weights=None or the path of an existing file")
    else:
        raise ValueError(f"weights must be 'imagenet', None or a file path, got {weights!r}")
    return shape


def weights_filename(name="MobileNetV2", input_shape=(96, 96, 3), alpha=1.0):
    """Return the file name ``keras.applications`` caches the ImageNet weights under.

    Only the convolutional base (``include_top=False``) is covered.

    Args:
        name: The model name, one of :data:`SUPPORTED`.
        input_shape: ``(size, size, 3)`` with ``size`` in :data:`MOBILENET_V2_SIZES`.
        alpha: Width multiplier, one of :data:`MOBILENET_V2_ALPHAS`.

    Returns:
        The file name, e.g.
        ``"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5"``.

    Raises:
        ValueError: If an argument has no published ImageNet weights.
    """
    rows = _check_args(name, input_shape, "imagenet", alpha)[0]
    return f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(alpha)}_{rows}_no_top.h5"


def weights_path(name="MobileNetV2", input_shape=(96, 96, 3), alpha=1.0):
    """Return where the ImageNet weights file is cached: ``keras_home()/models/<file name>``.

    Args:
        name: See :func:`weights_filename`.
        input_shape: See :func:`weights_filename`.
        alpha: See :func:`weights_filename`.

    Returns:
        A :class:`pathlib.Path`; the file may not exist.
    """
    return keras_home() / "models" / weights_filename(name, input_shape, alpha)


def can_reach(host=WEIGHTS_HOST, port=443, timeout=3.0):
    """Tell whether a TCP connection to ``host`` opens within ``timeout`` seconds.

    The name look-up runs in a helper thread, so a missing or slow DNS server
    cannot make this wait longer than ``timeout`` either.

    Args:
        host: Host name.
        port: TCP port.
        timeout: Seconds to wait at most.

    Returns:
        ``True`` if the connection opened, else ``False``.
    """
    result = []

    def attempt():
        try:
            socket.create_connection((host, port), timeout=timeout).close()
            result.append(True)
        except OSError:
            result.append(False)

    thread = threading.Thread(target=attempt, daemon=True)
    thread.start()
    thread.join(timeout)
    return bool(result and result[0])


def _download(url, path, timeout):
    import keras

    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout)
    try:
        return Path(keras.utils.get_file(path.name, url, cache_dir=str(path.parent.parent),
                                         cache_subdir=path.parent.name))
    finally:
        socket.setdefaulttimeout(previous)


def load_pretrained_base(name="MobileNetV2", input_shape=(96, 96, 3), weights="imagenet", alpha=1.0,
                         download=True, timeout=5.0):
    """Build a ``keras.applications`` convolutional base, or return ``None`` when its weights are missing.

    The base is built with ``include_top=False`` (no ImageNet classifier) and
    no pooling, so it outputs feature maps; feed it images passed through
    ``keras.applications.mobilenet_v2.preprocess_input`` (pixels 0..255 mapped
    to -1..1).

    Args:
        name: Model name, one of :data:`SUPPORTED`.
        input_shape: ``(height, width, 3)``. ImageNet weights need a square
            size in :data:`MOBILENET_V2_SIZES`.
        weights: ``"imagenet"`` (cached file, else a download), ``None``
            (random initialisation, never needs the network), or the path
            of a weights file.
        alpha: Width multiplier; ImageNet weights need one of
            :data:`MOBILENET_V2_ALPHAS`.
        download: Whether missing ImageNet weights may be downloaded.
        timeout: Seconds to wait for the weights host to answer (and per
            network read while downloading).

    Returns:
        A ``keras.Model``, or ``None`` (after printing what is needed) when
        ImageNet weights were asked for and cannot be had: not cached, and
        not downloadable, or the cached file cannot be read.

    Raises:
        ValueError: If an argument is invalid (unknown name, bad shape, an
            ``alpha`` or size without ImageNet weights, non-positive timeout).
        FileNotFoundError: If ``weights`` is a path that does not exist.
    """
    shape = _check_args(name, input_shape, weights, alpha)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    import keras

    def build(w):
        return keras.applications.MobileNetV2(input_shape=shape, alpha=alpha, include_top=False, weights=w)

    if weights != "imagenet":
        base = build(None if weights is None else str(weights))
        print(f"{name} (alpha {alpha}, input {shape}) built with "
              f"{'random weights' if weights is None else f'weights from {weights}'}.")
        return base
    path = weights_path(name, shape, alpha)
    url = WEIGHTS_URL + path.name
    if not path.is_file():
        reason = None
        if not download:
            reason = "downloading is switched off (download=False)"
        elif not can_reach(timeout=timeout):
            reason = f"{WEIGHTS_HOST} cannot be reached (offline?)"
        else:
            try:
                path = _download(url, path, timeout)
            except Exception as exc:  # noqa: BLE001 - any failure means "not available"
                reason = f"the download failed ({type(exc).__name__}: {exc})"
        if reason is not None:
            print(f"{name} ImageNet weights are not available: {path} does not exist and {reason}.\n"
                  f"To use them, run once on a machine with internet access:\n"
                  f"    keras.applications.{name}(input_shape={shape}, alpha={alpha}, "
                  f"include_top=False, weights='imagenet')\n"
                  f"or download {url}\n"
                  f"and save it as {path}. Continuing without the pretrained model.")
            return None
    try:
        base = build(str(path))
    except Exception as exc:  # noqa: BLE001 - a broken cache file must not stop a notebook
        print(f"{name} ImageNet weights in {path} cannot be read ({type(exc).__name__}: {exc}).\n"
              "Delete the file so that it is downloaded again. Continuing without the pretrained model.")
        return None
    print(f"{name} (alpha {alpha}, input {shape}) loaded with ImageNet weights from {path}.")
    return base
