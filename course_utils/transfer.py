"""A ``keras.applications`` base with ImageNet weights, or a clear message when they cannot be had.

``keras.applications.MobileNetV2(weights="imagenet")`` uses the weights file
that Keras cached under ``$KERAS_HOME/models`` (``~/.keras/models``) and
otherwise downloads it. Offline and with nothing cached, that fails; notebook
11 calls :func:`load_pretrained_base` so it can say so and carry on.
"""

import contextlib
import io
import socket
import urllib.error


def load_pretrained_base(name="MobileNetV2", input_shape=(96, 96, 3), weights="imagenet", timeout=10.0,
                         **kwargs):
    """Build ``keras.applications.<name>(include_top=False)``; ``None`` when its weights can't be had.

    Args:
        name: A model in ``keras.applications``, e.g. ``"MobileNetV2"``.
        input_shape: ``(height, width, 3)``.
        weights: ``"imagenet"``, ``None`` (random) or a weights file path; passed to Keras.
        timeout: Seconds to wait for the download server at each network step.
        **kwargs: Any other argument of the Keras constructor (e.g. ``alpha``).

    Returns:
        The base model (a ``keras.Model`` without the ImageNet classifier), or
        ``None`` after printing what is missing when the weights are neither
        cached nor downloadable.

    Raises:
        ValueError: For an unknown ``name``; Keras' own errors for invalid arguments.
    """
    import keras

    constructor = getattr(keras.applications, str(name), None)
    if not callable(constructor):
        from course_utils.data import unknown_name

        choices = [n for n in dir(keras.applications) if n[:1].isupper()]
        raise unknown_name("keras.applications model", name, choices)
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout)
    download_log = io.StringIO()
    try:
        with contextlib.redirect_stdout(download_log):  # hide "Downloading data from ..." when it fails
            base = constructor(input_shape=input_shape, include_top=False, weights=weights, **kwargs)
    except (urllib.error.URLError, OSError) as exc:
        return _unavailable(name, input_shape, exc)
    except ValueError as exc:
        if "hash" not in str(exc):
            raise
        return _unavailable(name, input_shape, exc)
    except Exception as exc:  # Keras wraps a failed download in a plain Exception
        if type(exc) is not Exception:
            raise
        return _unavailable(name, input_shape, exc)
    finally:
        socket.setdefaulttimeout(previous)
    print(download_log.getvalue(), end="")
    print(f"{name} base built (input {tuple(input_shape)}, weights: {weights}).")
    return base


def _unavailable(name, input_shape, exc):
    print(f"{name} ImageNet weights are not cached in Keras' folder ($KERAS_HOME/models, by default "
          f"~/.keras/models) and cannot be downloaded here ({type(exc).__name__}: {exc}).\n"
          f"To use them, run this once on a machine with internet access:\n"
          f"    keras.applications.{name}(input_shape={tuple(input_shape)}, include_top=False, "
          "weights='imagenet')\n"
          "Continuing without the pretrained model.")
    return None
