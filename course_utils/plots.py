"""Plots used throughout the course.

Each function draws one figure, shows it once and returns it, so a notebook can
write ``fig = plot_history(history)`` and still inspect the figure afterwards.
"""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np


def _show(fig):
    """Show ``fig`` once (a no-op on non-interactive backends such as Agg)."""
    if matplotlib.get_backend().lower() != "agg":
        plt.show()
    return fig


def _history_dict(history):
    if hasattr(history, "history"):
        history = history.history
    if not isinstance(history, dict):
        raise TypeError("expected a keras History or its .history dict, "
                        f"got {type(history).__name__}")
    return history


def plot_history(histories, metrics=("loss",), title=None, logy=False):
    """Plot training curves: training solid, validation dashed, one colour per run.

    Args:
        histories: A ``keras.callbacks.History`` (what ``fit`` returns), its
            ``.history`` dict, or a dict mapping run names to either.
        metrics: Metric names to plot, one panel each (e.g.
            ``("loss", "accuracy")``).
        title: Optional figure title.
        logy: Use a logarithmic y axis.

    Returns:
        The matplotlib figure.

    Raises:
        TypeError: If ``histories`` is none of those forms.
        KeyError: If a metric was not recorded in a run.
    """
    if isinstance(metrics, str):
        metrics = (metrics,)
    if not (hasattr(histories, "history") or isinstance(histories, dict)):
        raise TypeError("histories must be what fit() returns (a keras History), its .history dict, "
                        f"or a dict of run name -> History; got {type(histories).__name__}")
    runs = {"": histories} if hasattr(histories, "history") or (
        isinstance(histories, dict) and all(isinstance(v, list) for v in histories.values())
    ) else histories
    runs = {name: _history_dict(h) for name, h in runs.items()}
    fig, axes = plt.subplots(1, len(metrics), figsize=(5.5 * len(metrics), 3.8), squeeze=False)
    for ax, metric in zip(axes[0], metrics):
        for i, (name, hist) in enumerate(runs.items()):
            if metric not in hist:
                raise KeyError(f"metric {metric!r} not in run {name or 'history'}; "
                               f"recorded: {sorted(hist)}")
            color = f"C{i % 10}"
            epochs = np.arange(1, len(hist[metric]) + 1)
            label = f"{name} " if name else ""
            ax.plot(epochs, hist[metric], "-", color=color, label=f"{label}train")
            if f"val_{metric}" in hist:
                ax.plot(epochs, hist[f"val_{metric}"], "--", color=color, label=f"{label}validation")
        ax.set(xlabel="epoch", ylabel=metric, yscale="log" if logy else "linear")
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return _show(fig)


def show_images(images, labels=None, predictions=None, ncols=8, cmap="gray", title=None):
    """Show images in a grid, titled with labels (and predictions, red when wrong).

    Args:
        images: Array of shape ``(n, h, w)`` or ``(n, h, w, c)`` with c in 1, 3.
        labels: Optional sequence of ``n`` labels.
        predictions: Optional sequence of ``n`` predicted labels.
        ncols: Images per row.
        cmap: Colour map for single-channel images.
        title: Optional figure title.

    Returns:
        The matplotlib figure.

    Raises:
        ValueError: If the images' shape or the label counts are wrong.
    """
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim not in (3, 4) or (images.ndim == 4 and images.shape[-1] != 3) or len(images) == 0:
        raise ValueError(f"images must have shape (n, h, w), (n, h, w, 1) or (n, h, w, 3) "
                         f"with n >= 1; got {images.shape}")
    for what, seq in (("labels", labels), ("predictions", predictions)):
        if seq is not None and len(seq) != len(images):
            raise ValueError(f"{len(seq)} {what} for {len(images)} images")
    n = len(images)
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.3 * ncols, 1.5 * nrows), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= n:
            continue
        ax.imshow(images[i], cmap=cmap if images.ndim == 3 else None)
        text, color = "", "black"
        if labels is not None:
            text = f"{labels[i]}"
        if predictions is not None:
            text = f"{text}→{predictions[i]}" if text else f"{predictions[i]}"
            if labels is not None and labels[i] != predictions[i]:
                color = "red"
        ax.set_title(text, fontsize=9, color=color)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return _show(fig)


def plot_confusion_matrix(y_true, y_pred, class_names=None, title="Confusion matrix"):
    """Plot a confusion matrix with counts in each cell.

    Args:
        y_true: True integer labels, shape ``(n,)``.
        y_pred: Predicted integer labels, shape ``(n,)``.
        class_names: Optional names, one per class.
        title: Figure title.

    Returns:
        The matplotlib figure (the matrix is ``fig.axes[0].images[0].get_array()``).

    Raises:
        ValueError: If the label arrays differ in length or hold something
            other than integer labels (NaN, negative, fractional).
    """
    from sklearn.metrics import confusion_matrix

    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has {len(y_true)} labels, y_pred {len(y_pred)}")
    for what, labels in (("y_true", y_true), ("y_pred", y_pred)):
        if labels.size == 0 or not np.issubdtype(labels.dtype, np.number) or not np.all(np.isfinite(labels)) \
                or np.any(labels < 0) or np.any(labels != np.round(labels)):
            raise ValueError(f"{what} must hold integer class labels 0, 1, 2, ... (e.g. "
                             "model.predict(x).argmax(axis=1)); it holds non-integer, negative, NaN "
                             "or no values")
    y_true, y_pred = y_true.astype(np.int64), y_pred.astype(np.int64)
    k = len(class_names) if class_names is not None else int(max(y_true.max(), y_pred.max())) + 1
    cm = confusion_matrix(y_true, y_pred, labels=np.arange(k))
    names = list(class_names) if class_names is not None else [str(i) for i in range(k)]
    fig, ax = plt.subplots(figsize=(0.5 * k + 2.5, 0.5 * k + 2))
    ax.imshow(cm, cmap="Blues")
    ax.grid(False)
    for (i, j), c in np.ndenumerate(cm):
        ax.text(j, i, str(c), ha="center", va="center", fontsize=8,
                color="white" if c > cm.max() / 2 else "black")
    ax.set(xticks=range(k), yticks=range(k), xticklabels=names, yticklabels=names,
           xlabel="predicted", ylabel="true", title=title)
    fig.tight_layout()
    return _show(fig)


def plot_functions(x, curves, title=None, ncols=None):
    """Plot named curves over a shared x axis, e.g. activation functions.

    Args:
        x: 1-D array of x values.
        curves: Dict mapping a name to a callable of ``x`` or to an array of
            ``len(x)`` values. A dict of dicts draws one panel per outer key.
        title: Optional figure title.
        ncols: Panels per row when ``curves`` has several panels.

    Returns:
        The matplotlib figure.
    """
    x = np.asarray(x)
    panels = curves if all(isinstance(v, dict) for v in curves.values()) else {"": curves}
    ncols = ncols or len(panels)
    nrows = -(-len(panels) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4 * ncols, 3.2 * nrows), squeeze=False)
    for ax in axes.flat[len(panels):]:
        ax.axis("off")
    for ax, (panel, funcs) in zip(axes.flat, panels.items()):
        for name, f in funcs.items():
            y = np.asarray(f(x) if callable(f) else f)
            if y.shape != x.shape:
                raise ValueError(f"curve {name!r} has shape {y.shape}, x has {x.shape}")
            ax.plot(x, y, label=name)
        ax.axhline(0, color="gray", lw=0.5)
        ax.axvline(0, color="gray", lw=0.5)
        ax.set_title(panel)
        ax.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return _show(fig)


def plot_feature_maps(maps, ncols=8, title=None, cmap="viridis"):
    """Show the channels of one feature map as a grid of images.

    Args:
        maps: Array of shape ``(h, w, channels)`` (a batch of one,
            ``(1, h, w, channels)``, is accepted too).
        ncols: Channels per row.
        title: Optional figure title.
        cmap: Colour map.

    Returns:
        The matplotlib figure.

    Raises:
        ValueError: If ``maps`` is not 3-D after dropping a batch of one.
    """
    maps = np.asarray(maps)
    if maps.ndim == 4 and maps.shape[0] == 1:
        maps = maps[0]
    if maps.ndim != 3:
        raise ValueError(f"feature maps must have shape (h, w, channels), got {maps.shape}")
    return show_images(np.moveaxis(maps, -1, 0), labels=[f"#{i}" for i in range(maps.shape[-1])],
                       ncols=ncols, cmap=cmap, title=title)


def plot_filters(kernel, ncols=8, title=None):
    """Show convolution filters, one small image per output channel.

    Args:
        kernel: A ``Conv2D`` kernel of shape ``(kh, kw, in_channels, filters)``.
            Single-channel filters are drawn in grey, RGB ones in colour;
            other channel counts are averaged over the input channels.
        ncols: Filters per row.
        title: Optional figure title.

    Returns:
        The matplotlib figure.

    Raises:
        ValueError: If ``kernel`` is not 4-D.
    """
    kernel = np.asarray(kernel)
    if kernel.ndim != 4:
        raise ValueError(f"kernel must have shape (kh, kw, in, filters), got {kernel.shape}")
    k = np.moveaxis(kernel, -1, 0)
    k = k if k.shape[-1] == 3 else k.mean(axis=-1)
    k = (k - k.min()) / (np.ptp(k) or 1.0)
    return show_images(k, labels=[f"#{i}" for i in range(len(k))], ncols=ncols,
                       cmap="gray", title=title)


def plot_decision_boundary(predict, x, y, resolution=200, ax=None, title=None):
    """Draw a 2-D classifier's decision regions with the data points on top.

    Args:
        predict: A function mapping an ``(m, 2)`` array to ``m`` scores or
            labels (a probability above 0.5 counts as class 1), or an
            ``(m, k)`` array of class scores.
        x: Points of shape ``(n, 2)``.
        y: Labels of shape ``(n,)``.
        resolution: Grid points per axis.
        ax: Optional axes to draw into (then nothing is shown).
        title: Optional axes title.

    Returns:
        The matplotlib figure.

    Raises:
        ValueError: If ``x`` is not of shape ``(n, 2)``.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y).ravel()
    if x.ndim != 2 or x.shape[1] != 2 or len(x) != len(y):
        raise ValueError(f"x must be (n, 2) with n labels; got x {x.shape}, y {y.shape}")
    pad = 0.5 * max(np.ptp(x[:, 0]), np.ptp(x[:, 1]), 1e-3) * 0.5
    gx, gy = np.meshgrid(np.linspace(x[:, 0].min() - pad, x[:, 0].max() + pad, resolution),
                         np.linspace(x[:, 1].min() - pad, x[:, 1].max() + pad, resolution))
    z = np.asarray(predict(np.c_[gx.ravel(), gy.ravel()]))
    z = z.argmax(axis=1) if z.ndim == 2 and z.shape[1] > 1 else (z.ravel() > 0.5).astype(int)
    k = int(max(z.max(), y.max())) + 1  # fixed class -> colour mapping, even if one class is absent
    own = ax is None
    fig, ax = plt.subplots(figsize=(4.5, 4)) if own else (ax.figure, ax)
    ax.contourf(gx, gy, z.reshape(gx.shape), alpha=0.3, cmap="coolwarm", levels=np.arange(-0.5, k),
                vmin=0, vmax=k - 1)
    ax.scatter(x[:, 0], x[:, 1], c=y, cmap="coolwarm", edgecolor="k", s=60, vmin=0, vmax=k - 1)
    ax.set(xlabel="$x_1$", ylabel="$x_2$", title=title or "")
    return _show(fig) if own else fig
