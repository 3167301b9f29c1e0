"""Keras callbacks with course-friendly defaults.

All files (checkpoints, TensorBoard logs) go under
:func:`course_utils.config.run_dir`, outside the repository.
"""

import time

import keras

from course_utils.config import run_dir


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
    if not isinstance(every, int) or every < 1:
        raise ValueError(f"every must be a positive int, got {every!r}")

    def on_epoch_end(epoch, logs):
        if epoch == 0 or (epoch + 1) % every == 0:
            print(f"epoch {epoch + 1:3d}  {_format_logs(logs)}")

    return keras.callbacks.LambdaCallback(on_epoch_end=on_epoch_end)


def early_stopping(monitor="val_loss", patience=5, **kwargs):
    """Return ``EarlyStopping`` that restores the best weights when it stops.

    Args:
        monitor: Quantity to watch (``"val_loss"`` by default).
        patience: Epochs without improvement before stopping.
        **kwargs: Any other ``keras.callbacks.EarlyStopping`` argument.

    Returns:
        A ``keras.callbacks.EarlyStopping``; after ``fit`` its
        ``stopped_epoch`` is the 0-based epoch it stopped at (0 if it never
        stopped) and ``best_epoch`` the epoch whose weights were kept.
    """
    kwargs.setdefault("restore_best_weights", True)
    return keras.callbacks.EarlyStopping(monitor=monitor, patience=patience, **kwargs)


def checkpoint(name, monitor="val_loss", filename="best.keras"):
    """Return ``ModelCheckpoint`` saving the best model to a run folder.

    Args:
        name: Run folder name, e.g. ``"04_checkpoint"`` (see ``run_dir``).
        monitor: Quantity that decides which model is best.
        filename: File name ending in ``.keras``.

    Returns:
        A ``keras.callbacks.ModelCheckpoint``; its ``filepath`` attribute is
        the file to pass to ``keras.models.load_model``.

    Raises:
        ValueError: If ``filename`` does not end in ``.keras``.
    """
    if not str(filename).endswith(".keras"):
        raise ValueError(f"filename must end in '.keras' (the Keras 3 format), got {filename!r}")
    path = run_dir(name) / filename
    return keras.callbacks.ModelCheckpoint(str(path), monitor=monitor, save_best_only=True)


def tensorboard_dir(name):
    """Return a new, empty TensorBoard log folder for one run.

    Args:
        name: Experiment name; each call adds a time-stamped sub-folder, so
            earlier runs are kept for comparison.

    Returns:
        A :class:`pathlib.Path`. Open the logs with
        ``%load_ext tensorboard`` then ``%tensorboard --logdir <its parent>``.
    """
    path = run_dir("tensorboard") / name / time.strftime("%Y%m%d-%H%M%S")
    suffix = 1
    while path.exists():
        path = path.with_name(f"{path.name.split('_')[0]}_{suffix}")
        suffix += 1
    path.mkdir(parents=True)
    return path


def tensorboard(name, **kwargs):
    """Return a ``TensorBoard`` callback logging to :func:`tensorboard_dir`.

    Args:
        name: Experiment name.
        **kwargs: Any other ``keras.callbacks.TensorBoard`` argument.

    Returns:
        A ``keras.callbacks.TensorBoard``; its ``log_dir`` is the folder.
    """
    return keras.callbacks.TensorBoard(log_dir=str(tensorboard_dir(name)), **kwargs)


class LivePlot(keras.callbacks.Callback):
    """Redraw the training curves in the notebook while ``fit`` runs.

    Args:
        metrics: Metrics to plot (see ``plots.plot_history``).
        every: Redraw every ``every`` epochs.
    """

    def __init__(self, metrics=("loss",), every=1):
        super().__init__()
        self.metrics, self.every, self.history = tuple(metrics), every, {}

    def on_epoch_end(self, epoch, logs=None):
        """Record the epoch's logs and redraw every ``every`` epochs."""
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(float(value))
        if (epoch + 1) % self.every == 0:
            from IPython.display import clear_output

            from course_utils.plots import plot_history

            clear_output(wait=True)
            plot_history(self.history, metrics=self.metrics, title=f"epoch {epoch + 1}")
