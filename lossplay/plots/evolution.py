"""Animations of training: the fit changing over the epochs, beside the loss curves drawn so far.

``training_gif`` animates one run (its line, or its decision regions), and
``comparison_gif`` several runs of a comparison on one panel (their lines, or
their decision boundaries). Both read the parameters each epoch record keeps,
so every frame shows the model exactly as the loop left it at that epoch.
"""

import numpy as np

from lossplay.plots import (
    CLASS_COLORS,
    CLASS_MARKERS,
    FIT_COLOR,
    RUN_COLORS,
    TRAIN_COLOR,
    VAL_COLOR,
    _figure,
    _finite_or_nan,
    _span,
    _styled,
    can_draw_fit,
    draw_true_line,
    run_style,
    run_title,
)
from lossplay.plots.animation import frame_positions, gif_bytes


def _curve_limits(ax, values):
    """Fixed y limits that hold every finite value (log scale when they span more than 30x)."""
    shown = values[np.isfinite(values)]
    if not shown.size:
        return
    if shown.min() > 0 and shown.max() / shown.min() > 30:
        ax.set_yscale("log")
        ax.set_ylim(shown.min() / 1.5, min(shown.max() * 1.5, shown.min() * 1e12))
    else:
        low, high = _span(shown, margin=0.08)
        ax.set_ylim(low, high)


def _data_points(ax, data, grey=False):
    """The training (and validation) rows in their own units; corrupted rows marked. Returns the markers."""
    if data.task == "regression":
        x = data.raw_train[:, 0]
        clean = ~data.outliers
        ax.scatter(x[clean], data.y_train[clean], s=22, color="0.55" if grey else TRAIN_COLOR, alpha=0.7,
                   label="training rows")
        if data.outliers.any():
            ax.scatter(x[data.outliers], data.y_train[data.outliers], s=70, marker="X", color="black",
                       label="corrupted targets")
        if data.raw_val is not None:
            ax.scatter(data.raw_val[:, 0], data.y_val, s=28, marker="s", facecolor="none",
                       edgecolor="0.35" if grey else VAL_COLOR, lw=1.2, label="validation rows")
        targets = data.y_train if data.y_val is None else np.concatenate([data.y_train, data.y_val])
        xs = x if data.raw_val is None else np.concatenate([x, data.raw_val[:, 0]])
        ax.set_xlim(*_span(xs))
        ax.set_ylim(*_span(targets, margin=0.1))
        ax.set_xlabel(data.transform.raw_names[0])
        ax.set_ylabel(data.target_name)
        return []
    names = data.classes or tuple(str(c) for c in range(data.n_classes))
    markers = []
    for c in range(data.n_classes):
        rows = data.y_train == c
        markers.append(ax.scatter(*data.raw_train[rows].T, s=22, color=CLASS_COLORS[c % len(CLASS_COLORS)],
                                  marker=CLASS_MARKERS[c % len(CLASS_MARKERS)], edgecolor="white", lw=0.4,
                                  label=f"class {names[c]}", zorder=3))
    points = data.raw_train if data.raw_val is None else np.vstack([data.raw_train, data.raw_val])
    ax.set_xlim(*_span(points[:, 0]))
    ax.set_ylim(*_span(points[:, 1]))
    ax.set_xlabel(data.transform.raw_names[0])
    ax.set_ylabel(data.transform.raw_names[1])
    ax.grid(False)
    return markers


def _grid_of(ax, size):
    """A size x size grid over the axes' limits: (gx, gy, rows of points)."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    gx, gy = np.meshgrid(np.linspace(x0, x1, size), np.linspace(y0, y1, size))
    return gx, gy, np.column_stack([gx.ravel(), gy.ravel()])


class _Regions:
    """A classifier's decision regions at one epoch: an image of the probabilities (or of the predicted
    class) and, for two classes, the boundary p = 0.5, made anew for each frame."""

    def __init__(self, ax, run):
        from matplotlib.colors import ListedColormap

        self.ax, self.run = ax, run
        self.gx, self.gy, self.points = _grid_of(ax, 160)
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        k = run.data.n_classes
        if k == 2:
            colors, limits = "RdBu_r", (0.0, 1.0)
        else:
            colors, limits = ListedColormap([CLASS_COLORS[c % len(CLASS_COLORS)] for c in range(k)]), (-0.5, k - 0.5)
        self.image = ax.imshow(np.full(self.gx.shape, np.nan), extent=(x0, x1, y0, y1), origin="lower",
                               cmap=colors, vmin=limits[0], vmax=limits[1], alpha=0.3 if k == 2 else 0.2,
                               aspect="auto", interpolation="nearest", zorder=0)
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)

    def show(self, theta):
        """Update the image for parameters theta; returns the boundary made for them (or nothing)."""
        with np.errstate(all="ignore"):
            probabilities = self.run.predict(self.points, theta)
        if not np.isfinite(probabilities).all():
            self.image.set_data(np.full(self.gx.shape, np.nan))
            return []
        if probabilities.ndim == 2:
            self.image.set_data(np.argmax(probabilities, axis=1).reshape(self.gx.shape).astype(float))
            return []
        p = probabilities.reshape(self.gx.shape)
        self.image.set_data(p)
        if not p.min() < 0.5 < p.max():
            return []
        boundary = self.ax.contour(self.gx, self.gy, p, levels=[0.5], colors="black", linewidths=2.4, zorder=2)
        boundary.remove()  # drawn for this frame only, not kept in the axes
        return [boundary]


@_styled
def training_gif(run):
    """One run: its line or decision regions at each shown epoch, beside its loss curves so far; GIF bytes.

    Only for data whose fit can be drawn (``can_draw_fit``).
    """
    data, history = run.data, run.history
    records = list(history)
    fig = _figure(12.5, 5.4)
    fig.set_dpi(80)
    ax_fit, ax_curve = fig.subplots(1, 2, width_ratios=[1.15, 1])
    markers = _data_points(ax_fit, data)
    epochs = history.column("epoch")
    train, val = _finite_or_nan(history.column("train_loss")), _finite_or_nan(history.column("val_loss"))
    has_val = np.isfinite(val).any()
    ax_curve.set_xlim(epochs[0], max(epochs[-1], 1))
    _curve_limits(ax_curve, np.concatenate([train, val]))
    train_line, = ax_curve.plot([], [], color=TRAIN_COLOR, lw=2.4, label="training cost")
    val_line, = ax_curve.plot([], [], color=VAL_COLOR, lw=2.4, label="validation cost")
    if not has_val:
        val_line.set_label("_no validation split")
    ax_curve.set_xlabel("epoch")
    ax_curve.set_ylabel(f"cost: mean {run.config.loss_label} loss")
    ax_curve.set_title("The loss curves so far", fontsize=11.5)
    ax_curve.legend(loc="upper right")
    title = fig.suptitle("", fontweight="bold")
    fig.supxlabel(run_title(run.config), fontsize=10, color="0.3")
    animated = [train_line, val_line, title]
    if data.task == "regression":
        grid = np.linspace(*ax_fit.get_xlim(), 300)
        draw_true_line(ax_fit, data, grid)
        fit_line, = ax_fit.plot([], [], color=FIT_COLOR, lw=2.8, label="the model at this epoch")
        ax_fit.legend(loc="best", fontsize=9.5)
        ax_fit.set_title("The fitted line", fontsize=11.5)
        animated.append(fit_line)

        def show_fit(theta):
            with np.errstate(all="ignore"):
                fit_line.set_data(grid, run.predict(grid[:, None], theta))
            return None
    else:
        regions = _Regions(ax_fit, run)
        legend = ax_fit.legend(loc="upper left", fontsize=9, framealpha=0.9)
        ax_fit.set_title("Decision regions (black line: p = 0.5)" if data.n_classes == 2 else "Decision regions",
                         fontsize=11.5)
        curves = animated
        animated = [regions.image, *markers, legend, *curves]

        def show_fit(theta):
            boundary = regions.show(theta)  # the regions, then the boundary, the points and the legend on top
            return [regions.image, *boundary, *markers, legend, *curves]

    def draw(index):
        record = records[index]
        drawn = show_fit(record.params)
        train_line.set_data(epochs[: index + 1], train[: index + 1])
        val_line.set_data(epochs[: index + 1], val[: index + 1])
        title.set_text(f"Epoch {record.epoch} of {records[-1].epoch}: training cost {record.train_loss:.4g}")
        return drawn

    colors = [FIT_COLOR, TRAIN_COLOR, VAL_COLOR, "black", *CLASS_COLORS[:data.n_classes]]
    return gif_bytes(fig, draw, frame_positions(len(records)), animated, colors)


def can_animate_comparison(data):
    """A comparison on ``data`` animates like its picture: 1-feature regression or 2-feature binary
    classification."""
    return can_draw_fit(data) and data.task != "multiclass"


@_styled
def comparison_gif(cmp):
    """Every run of a comparison on one panel (lines, or p = 0.5 boundaries) at each shown epoch, beside
    the common metric per epoch so far; GIF bytes."""
    data = cmp.data
    entries = cmp.entries
    fig = _figure(12.5, 5.4)
    fig.set_dpi(80)
    ax_fit, ax_curve = fig.subplots(1, 2, width_ratios=[1.15, 1])
    _data_points(ax_fit, data, grey=True)
    metric = cmp.common_metrics[0] if cmp.task == "regression" else "log_loss"
    column = f"{cmp.split}_{metric}"
    curves = [_finite_or_nan(e.run.history.column(column)) for e in entries]
    longest = max(len(e.run.history) for e in entries)
    last_epoch = max(e.run.history[-1].epoch for e in entries)
    ax_curve.set_xlim(0, max(last_epoch, 1))
    _curve_limits(ax_curve, np.concatenate(curves))
    split = "validation" if cmp.split == "val" else "training"
    names = {"mse": "MSE", "log_loss": "log loss (cross-entropy)"}
    ax_curve.set_xlabel("epoch")
    ax_curve.set_ylabel(f"{split} {names[metric]}")
    ax_curve.set_title(f"One yardstick for every run: {split} {names[metric].split(' (')[0]}", fontsize=11.5)
    colors = [RUN_COLORS[i % len(RUN_COLORS)] for i in range(len(entries))]
    styles = [run_style(i) for i in range(len(entries))]
    curve_lines = [ax_curve.plot([], [], color=color, ls=style, lw=2.4, label=e.name)[0]
                   for color, style, e in zip(colors, styles, entries)]
    ax_curve.legend(loc="upper right", fontsize=9.5)
    title = fig.suptitle("", fontweight="bold")
    regression = cmp.task == "regression"
    if regression:
        grid = np.linspace(*ax_fit.get_xlim(), 300)
        draw_true_line(ax_fit, data, grid)
        fit_lines = [ax_fit.plot([], [], color=color, ls=style, lw=2.6, label=e.name)[0]
                     for color, style, e in zip(colors, styles, entries)]
        ax_fit.set_title("Each run's line", fontsize=11.5)
    else:
        gx, gy, points = _grid_of(ax_fit, 160)
        for color, style, entry in zip(colors, styles, entries):
            ax_fit.plot([], [], color=color, ls=style, lw=2.4, label=f"{entry.name}: p = 0.5")
        ax_fit.set_title("Each run's decision boundary", fontsize=11.5)
    # a legend that moves from frame to frame would be hard to read: "best" only where it is drawn once
    fit_legend = ax_fit.legend(loc="best" if regression else "upper left", fontsize=9, framealpha=0.9)

    def draw(index):
        epoch = None
        for i, entry in enumerate(entries):
            records = entry.run.history.records
            record = records[min(index, len(records) - 1)]
            epoch = record.epoch if epoch is None else max(epoch, record.epoch)
            shown = min(index, len(records) - 1) + 1
            curve_lines[i].set_data(entry.run.history.column("epoch")[:shown], curves[i][:shown])
            if regression:
                with np.errstate(all="ignore"):
                    fit_lines[i].set_data(grid, entry.run.predict(grid[:, None], record.params))
        title.set_text(f"Comparison on dataset {entries[0].run.config.dataset}: epoch {epoch}")
        if regression:
            return None
        boundaries = []  # made for this frame only
        for color, style, entry in zip(colors, styles, entries):
            records = entry.run.history.records
            theta = records[min(index, len(records) - 1)].params
            with np.errstate(all="ignore"):
                p = entry.run.predict(points, theta).reshape(gx.shape)
            if np.isfinite(p).all() and p.min() < 0.5 < p.max():
                boundary = ax_fit.contour(gx, gy, p, levels=[0.5], colors=[color], linestyles=[style],
                                          linewidths=2.4)
                boundary.remove()
                boundaries.append(boundary)
        return [*boundaries, *animated]  # the boundaries under the legend

    animated = [*curve_lines, title, *(fit_lines if regression else [fit_legend])]
    return gif_bytes(fig, draw, frame_positions(longest), animated, [*colors, "black", *CLASS_COLORS[:2]])
