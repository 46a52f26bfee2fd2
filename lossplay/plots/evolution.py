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
    CLASS_REGION_ALPHA,
    FIT_COLOR,
    NOTE_COLOR,
    PROBABILITY_ALPHA,
    RUN_COLORS,
    TRAIN_COLOR,
    TRAIN_STYLE,
    VAL_COLOR,
    VAL_STYLE,
    _figure,
    _finite_or_nan,
    _span,
    _styled,
    can_draw_fit,
    draw_outliers,
    draw_true_line,
    drawable_fit,
    left_out_note,
    left_out_words,
    legend_below,
    markevery,
    probability_colormap,
    run_style,
    run_title,
)
from lossplay.plots.animation import frame_positions, gif_bytes
from lossplay.plots.legibility import FrameNote, overlap_note, overlapping, overlapping_lines

GIF_SIZE = (12.5, 6.2)  # inches at GIF_DPI: 1000 x 496 pixels
GIF_DPI = 80


def _gif_figure():
    """Two panels side by side, the fit (wider) and the curves, for a GIF; returns (figure, fit axes, curve axes)."""
    fig = _figure(*GIF_SIZE)
    fig.set_dpi(GIF_DPI)
    ax_fit, ax_curve = fig.subplots(1, 2, width_ratios=[1.15, 1])
    return fig, ax_fit, ax_curve


def _curve_limits(ax, values):
    """Fixed y limits that hold every finite value (log scale when they span more than 30x); returns whether
    the scale is logarithmic."""
    shown = values[np.isfinite(values)]
    if not shown.size:
        return False
    if shown.min() > 0 and shown.max() / shown.min() > 30:
        ax.set_yscale("log")
        ax.set_ylim(shown.min() / 1.5, min(shown.max() * 1.5, shown.min() * 1e12))
        return True
    low, high = _span(shown, margin=0.08)
    ax.set_ylim(low, high)
    return False


def _data_points(ax, data, grey=False):
    """The training (and validation) rows in their own units; corrupted rows marked. Returns the markers each
    frame draws again over its lines or regions: the corrupted rows, or a classifier's points."""
    if data.task == "regression":
        x = data.raw_train[:, 0]
        clean = ~data.outliers
        ax.scatter(x[clean], data.y_train[clean], s=22, color="0.55" if grey else TRAIN_COLOR, alpha=0.7,
                   label="training rows")
        crosses = []
        if data.outliers.any():
            crosses.append(draw_outliers(ax, x[data.outliers], data.y_train[data.outliers], "corrupted targets"))
        if data.raw_val is not None:
            ax.scatter(data.raw_val[:, 0], data.y_val, s=28, marker="s", facecolor="none",
                       edgecolor="0.35" if grey else VAL_COLOR, lw=1.2, label="validation rows")
        targets = data.y_train if data.y_val is None else np.concatenate([data.y_train, data.y_val])
        xs = x if data.raw_val is None else np.concatenate([x, data.raw_val[:, 0]])
        ax.set_xlim(*_span(xs))
        ax.set_ylim(*_span(targets, margin=0.1))
        ax.set_xlabel(data.transform.raw_names[0])
        ax.set_ylabel(data.target_name)
        return crosses
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
            colors, limits = probability_colormap(), (0.0, 1.0)
        else:
            colors, limits = ListedColormap([CLASS_COLORS[c % len(CLASS_COLORS)] for c in range(k)]), (-0.5, k - 0.5)
        self.image = ax.imshow(np.full(self.gx.shape, np.nan), extent=(x0, x1, y0, y1), origin="lower",
                               cmap=colors, vmin=limits[0], vmax=limits[1],
                               alpha=PROBABILITY_ALPHA if k == 2 else CLASS_REGION_ALPHA,
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


def _diverged_by(run, index):
    """True when ``run`` diverged and the index-th frame shows its last epoch (or a later one)."""
    return run.status == "diverged" and index >= len(run.history) - 1


@_styled
def training_gif(run):
    """One run: its line or decision regions at each shown epoch, beside its loss curves so far; GIF bytes.

    Only for data whose fit can be drawn (``can_draw_fit``).
    """
    data, history = run.data, run.history
    records = list(history)
    fig, ax_fit, ax_curve = _gif_figure()
    markers = _data_points(ax_fit, data)
    epochs = history.column("epoch")
    train, val = _finite_or_nan(history.column("train_loss")), _finite_or_nan(history.column("val_loss"))
    has_val = np.isfinite(val).any()
    ax_curve.set_xlim(epochs[0], max(epochs[-1], 1))
    log_scale = _curve_limits(ax_curve, np.concatenate([train, val]))
    count = len(epochs)
    train_line, = ax_curve.plot([], [], **TRAIN_STYLE, lw=2.4, ms=6, markevery=markevery(count, 0, 2),
                                label="training cost")
    val_line, = ax_curve.plot([], [], **VAL_STYLE, lw=2.4, ms=6, markevery=markevery(count, 1, 2),
                              label="validation cost" if has_val else "_no validation split")
    ax_curve.set_xlabel("epoch")
    ax_curve.set_ylabel(f"cost: mean {run.config.loss_label} loss")
    ax_curve.set_title("The loss curves so far", fontsize=11.5)
    curves = [("training cost", train)] + ([("validation cost", val)] if has_val else [])
    legend_below(ax_curve, overlap_note(overlapping(curves, *ax_curve.get_ylim(), log=log_scale)), offset=-0.13,
                 fontsize=10)
    title = fig.suptitle("", fontweight="bold")
    fig.supxlabel(run_title(run.config), fontsize=10, color=NOTE_COLOR)
    animated = [train_line, val_line, title]
    if data.task == "regression":
        grid = np.linspace(*ax_fit.get_xlim(), 300)
        true = draw_true_line(ax_fit, data, grid)
        fit_line, = ax_fit.plot([], [], color=FIT_COLOR, lw=2.8, label="the model at this epoch")
        legend_below(ax_fit, offset=-0.13, fontsize=10)
        note = FrameNote(ax_fit, "The fitted line", 11.5)
        animated += [fit_line, *([true[2]] if true else []), *markers, note.artist]  # dashes, crosses over the model

        def show_fit(index):
            predicted = drawable_fit(run, grid, ax_fit.get_ylim(), records[index].params)
            fit_line.set_data(grid, predicted) if predicted is not None else fit_line.set_data([], [])
            left_out = None if predicted is not None else left_out_words(run, "line", at_end=_diverged_by(run, index))
            curves = ([("the model", predicted)] if predicted is not None else []) + ([true[:2]] if true else [])
            note.show(left_out, overlap_note(overlapping(curves, *ax_fit.get_ylim())))
            return None
    else:
        regions = _Regions(ax_fit, run)
        if data.n_classes == 2:
            ax_fit.plot([], [], color="black", lw=2.4, label="decision boundary (p = 0.5)")
        legend_below(ax_fit, ncols=3, offset=-0.13, fontsize=10)
        ax_fit.set_title("Decision regions", fontsize=11.5)
        curve_artists = animated
        animated = [regions.image, *markers, *curve_artists]

        def show_fit(index):
            boundary = regions.show(records[index].params)  # the regions, then the boundary and the points on top
            return [regions.image, *boundary, *markers, *curve_artists]

    def draw(index):
        record = records[index]
        drawn = show_fit(index)
        train_line.set_data(epochs[: index + 1], train[: index + 1])
        val_line.set_data(epochs[: index + 1], val[: index + 1])
        ending = " (diverged)" if index == len(records) - 1 and run.status == "diverged" else ""
        title.set_text(f"Epoch {record.epoch} of {records[-1].epoch}: training cost {record.train_loss:.4g}{ending}")
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
    fig, ax_fit, ax_curve = _gif_figure()
    markers = _data_points(ax_fit, data, grey=True)
    metric = cmp.common_metrics[0] if cmp.task == "regression" else "log_loss"
    column = f"{cmp.split}_{metric}"
    curves = [_finite_or_nan(e.run.history.column(column)) for e in entries]
    longest = max(len(e.run.history) for e in entries)
    last_epoch = max(e.run.history[-1].epoch for e in entries)
    ax_curve.set_xlim(0, max(last_epoch, 1))
    log_scale = _curve_limits(ax_curve, np.concatenate(curves))
    split = "validation" if cmp.split == "val" else "training"
    names = {"mse": "MSE", "log_loss": "log loss (cross-entropy)"}
    ax_curve.set_xlabel("epoch")
    ax_curve.set_ylabel(f"{split} {names[metric]}")
    ax_curve.set_title(f"One yardstick for every run: {split} {names[metric].split(' (')[0]}", fontsize=11.5)
    styles = [{**run_style(i), "markevery": markevery(longest, i, len(entries))} for i in range(len(entries))]
    curve_lines = [ax_curve.plot([], [], **style, lw=2.4, ms=6,
                                 label=e.name + (" (diverged)" if e.run.status == "diverged" else ""))[0]
                   for style, e in zip(styles, entries)]
    padded = [(e.name, np.pad(c, (0, longest - len(c)), constant_values=np.nan)) for e, c in zip(entries, curves)]
    legend_below(ax_curve, overlap_note(overlapping(padded, *ax_curve.get_ylim(), log=log_scale)), offset=-0.13,
                 fontsize=10)
    title = fig.suptitle("", fontweight="bold")
    regression = cmp.task == "regression"
    fit_look = [{**run_style(i), "lw": 2.6, "ms": 7, "markevery": markevery(300, i, len(entries), 8)}
                for i in range(len(entries))]
    true = None
    if regression:
        grid = np.linspace(*ax_fit.get_xlim(), 300)
        true = draw_true_line(ax_fit, data, grid)
        fit_lines = [ax_fit.plot([], [], **look, label=e.name)[0] for look, e in zip(fit_look, entries)]
    else:
        gx, gy, points = _grid_of(ax_fit, 160)
        for look, entry in zip(fit_look, entries):  # a contour has no markers: colour and dashes tell them apart
            ax_fit.plot([], [], color=look["color"], ls=look["ls"], lw=2.4, label=f"{entry.name}: p = 0.5")
    legend_below(ax_fit, ncols=3, offset=-0.13, fontsize=10)
    note = FrameNote(ax_fit, "Each run's line" if regression else "Each run's decision boundary", 11.5)
    (x0, x1), (y0, y1) = ax_fit.get_xlim(), ax_fit.get_ylim()

    def boundary(i, theta):
        """The i-th run's boundary p = 0.5 at parameters theta, made for one frame (None where p never
        crosses 0.5 or is not finite)."""
        with np.errstate(all="ignore"):
            p = entries[i].run.predict(points, theta).reshape(gx.shape)
        if not (np.isfinite(p).all() and p.min() < 0.5 < p.max()):
            return None
        made = ax_fit.contour(gx, gy, p, levels=[0.5], colors=[fit_look[i]["color"]], linestyles=[fit_look[i]["ls"]],
                              linewidths=2.4)
        made.remove()  # drawn for its frame only, not kept in the axes
        return made

    def draw(index):
        epoch = None
        drawn, diverged, steep = [], [], []  # drawn: (name, line over the grid or pieces of boundary, artist)
        for i, entry in enumerate(entries):
            records = entry.run.history.records
            at = min(index, len(records) - 1)
            record = records[at]
            epoch = record.epoch if epoch is None else max(epoch, record.epoch)
            curve_lines[i].set_data(entry.run.history.column("epoch")[: at + 1], curves[i][: at + 1])
            if regression:
                predicted = drawable_fit(entry.run, grid, (y0, y1), record.params)
                if predicted is None:
                    fit_lines[i].set_data([], [])
                    (diverged if _diverged_by(entry.run, index) else steep).append(entry.name)
                else:
                    fit_lines[i].set_data(grid, predicted)
                    drawn.append((entry.name, predicted, None))
            else:
                made = boundary(i, record.params)
                if made is not None:
                    drawn.append((entry.name, made.allsegs[0], made))
                elif _diverged_by(entry.run, index):
                    diverged.append(entry.name)
        title.set_text(f"Comparison on dataset {entries[0].run.config.dataset_label}: epoch {epoch}")
        lines = [d[:2] for d in drawn] + ([true[:2]] if true is not None else [])
        groups = overlapping(lines, y0, y1) if regression else overlapping_lines(lines, (x1 - x0, y1 - y0))
        note.show(left_out_note(diverged, steep) if diverged or steep else None, overlap_note(groups))
        if regression:
            return None
        return [*(d[2] for d in drawn), *animated]  # the boundaries under everything else

    # the true line's dashes over the runs' lines, which may lie on it
    true_line = [true[2]] if true is not None else []
    animated = [*curve_lines, title, *(fit_lines if regression else []), *true_line, *markers, note.artist]
    return gif_bytes(fig, draw, frame_positions(longest), animated, [*RUN_COLORS[:len(entries)], "black",
                                                                        *CLASS_COLORS[:2]])
