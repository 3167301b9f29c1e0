"""The course's one training-log helper: short epoch lines instead of progress bars.

Everything else a notebook needs from callbacks it writes with Keras itself
(``keras.callbacks.ModelCheckpoint``, ``EarlyStopping``, ``TensorBoard``), in
the lesson that teaches it.
"""

import keras


def _format_logs(logs):
    return "  ".join(f"{k}={v:.4f}" for k, v in sorted((logs or {}).items())
                     if isinstance(v, (int, float)))


def epoch_logger(every=1):
    """Return a ``LambdaCallback`` that prints one short line per epoch.

    Use it with ``fit(..., verbose=0)`` for compact logs without progress bars.

    Args:
        every: Print every ``every``-th epoch (the first and every multiple).

    Returns:
        A ``keras.callbacks.LambdaCallback``.

    Raises:
        ValueError: If ``every`` is not a positive int.
    """
    if isinstance(every, bool) or not isinstance(every, int) or every < 1:
        raise ValueError(f"every must be a positive int, got {every!r}")

    def on_epoch_end(epoch, logs):
        if epoch == 0 or (epoch + 1) % every == 0:
            print(f"epoch {epoch + 1:3d}  {_format_logs(logs)}")

    return keras.callbacks.LambdaCallback(on_epoch_end=on_epoch_end)
