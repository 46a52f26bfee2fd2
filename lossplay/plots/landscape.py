"""The loss landscape: filled contours of the objective over two parameters, each optimizer's path on them.

Two pictures: ``landscape`` (the contours with every full path, beside the
objective per update) and ``landscape_gif`` (the paths growing update by update,
beside the data with each optimizer's current line or boundary).
"""

import numpy as np

from lossplay.catalog import label
from lossplay.plots import (
    CLASS_COLORS,
    CLASS_MARKERS,
    NOTE_COLOR,
    PALETTE,
    RUN_COLORS,
    _figure,
    _span,
    _styled,
    draw_outliers,
    legend_below,
    markevery,
    run_style,
)
from lossplay.plots.animation import frame_positions, gif_bytes
from lossplay.plots.legibility import FrameNote, in_view, overlap_note, overlapping, shared_steps

LEVELS = 18


def _background_colormap():
    """Near white (low objective) to mid grey (high): no hue, so every path's colour stands out on every
    part of it."""
    from matplotlib import colormaps
    from matplotlib.colors import ListedColormap

    return ListedColormap(colormaps["Greys"](np.linspace(0.0, 0.42, 256)))


def _levels(costs):
    """Contour levels at evenly spaced quantiles of the grid's values: every band covers as much area,
    so both the floor of a bowl and its steep walls show their shape."""
    finite = costs[np.isfinite(costs)]
    levels = np.unique(np.quantile(finite, np.linspace(0, 1, LEVELS + 1) ** 1.5))
    return levels if levels.size > 1 else np.array([finite.min(), finite.min() + 1.0])


def _objective_label(scape, short=False):
    c = scape.config
    penalised = scape.experiment.penalty.active
    if short:
        return "objective" if penalised else "cost"
    if penalised:
        return f"objective: mean {c.loss_label} loss + penalty"
    return f"cost: mean {c.loss_label} loss (training rows)"


def _axis_label(scape, index):
    name = scape.parameter_names[index]
    words = {"w": "weight w (slope)", "b": "bias b (intercept)"}
    return words.get(name, f"weight {name}")


def _draw_contours(scape, ax, fig, colorbar=True):
    first, second = scape.axes
    costs = np.ma.masked_invalid(scape.costs)  # a corner where the cost overflows is left blank
    levels = _levels(scape.costs)
    cmap = _background_colormap()
    filled = ax.contourf(first, second, costs, levels=levels, cmap=cmap, extend="max")
    ax.contour(first, second, costs, levels=levels, colors="0.4", linewidths=0.6, alpha=0.45)
    if colorbar:
        bar = fig.colorbar(filled, ax=ax, shrink=0.9, pad=0.02)
        bar.set_label(_objective_label(scape))
        bar.ax.tick_params(labelsize=10)
    w_min, b_min, cost_min = scape.minimum
    ax.plot([w_min], [b_min], marker="*", ms=22, color=PALETTE["yellow"], mec="black", mew=1.2, ls="none", zorder=9,
            label=f"{scape.minimum_words} ({_objective_label(scape, short=True)} {cost_min:.4g})")
    ax.plot([scape.start[0]], [scape.start[1]], marker="o", ms=13, color="white", mec="black", mew=2, ls="none",
            zorder=9, label=f"start ({scape.start[0]:g}, {scape.start[1]:g})")
    low1, high1, low2, high2 = scape.extent
    ax.set_xlim(low1, high1)
    ax.set_ylim(low2, high2)
    ax.set_aspect("equal")
    ax.grid(False)
    ax.set_xlabel(_axis_label(scape, 0))
    ax.set_ylabel(_axis_label(scape, 1))


def _path_label(path, short=False):
    if path.status == "diverged":
        return f"{path.label}: diverged"
    if short:
        return path.label
    return f"{path.label}: final cost {path.final_cost:.4g}"


def _title(scape):
    c = scape.config
    data = scape.experiment.data
    units = "standardised features" if c.standardize else "the data's own units"
    return (f"{c.loss_label} loss · {c.model} model · dataset {c.dataset_label} ({data.n_train} training rows, "
            f"{units}) · "
            f"{'full batch' if scape.experiment.batches_per_epoch == 1 else f'batches of {c.batch_size}'}")


@_styled
def landscape(scape):
    """The contours with every path and its end, beside the objective of each path per update."""
    fig = _figure(14.0, 6.4)
    ax_map, ax_cost = fig.subplots(1, 2, width_ratios=[1.35, 1])
    _draw_contours(scape, ax_map, fig)
    count = len(scape.paths)
    longest = max(p.steps for p in scape.paths) + 1
    curves = []
    for index, path in enumerate(scape.paths):
        look = {**run_style(index), "lw": 2.4, "ms": 4.5, "markevery": markevery(path.steps + 1, index, count, 20)}
        points = path.points
        ax_map.plot(points[:, 0], points[:, 1], **look, zorder=4)
        if np.isfinite(points[-1]).all():
            ax_map.plot(*points[-1], marker=look["marker"], ms=11, color=look["color"], mec="black", mew=1.2, zorder=7)
        costs = np.where(np.isfinite(path.costs), path.costs, np.nan)
        ax_cost.plot(np.arange(len(costs)), costs, **look, label=_path_label(path))
        curves.append((path.label, np.pad(costs, (0, longest - len(costs)), constant_values=np.nan)))
    ax_map.set_title("The landscape and each optimizer's path (large marker: where it ended)", fontsize=11.5)
    legend_below(ax_map, _shared_steps_note(scape, ax_map), offset=-0.1, fontsize=10)
    finite = np.concatenate([p.costs[np.isfinite(p.costs)] for p in scape.paths])
    w_min, b_min, cost_min = scape.minimum
    ax_cost.axhline(cost_min, color="0.3", ls=":", lw=1.5, label=f"{scape.minimum_words} ({cost_min:.4g})")
    log_scale = bool(finite.size and finite.min() > 0 and finite.max() / max(finite.min(), 1e-300) > 30)
    if log_scale:
        ax_cost.set_yscale("log")
    ax_cost.set_xlabel("update")
    ax_cost.set_ylabel(f"{_objective_label(scape, short=True)} after each update")
    ax_cost.set_title("How fast each one gets down", fontsize=11.5)
    legend_below(ax_cost, overlap_note(overlapping(curves, *ax_cost.get_ylim(), log=log_scale)), ncols=1,
                 offset=-0.1, fontsize=10)
    fig.suptitle(f"Loss landscape over {scape.parameter_names[0]} and {scape.parameter_names[1]}",
                 fontweight="bold")
    fig.supxlabel(_title(scape), fontsize=10, color=NOTE_COLOR)
    return fig


def _shared_steps_note(scape, ax):
    """'On this map, sgd and momentum lie on one another for the first update': the paths whose first
    updates are drawn closer than the overlap share of the axes (not that their steps are equal), or None."""
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    clauses = []
    for i, first in enumerate(scape.paths):
        for second in scape.paths[i + 1:]:
            shared = shared_steps(first.points, second.points, (x1 - x0, y1 - y0))
            if shared == min(first.steps, second.steps):
                clauses.append(f"{first.label} and {second.label} lie on one another all the way")
            elif shared:
                clauses.append(f"{first.label} and {second.label} lie on one another for the first "
                               + ("update" if shared == 1 else f"{shared} updates"))
    return ("On this map, " + "; ".join(clauses) + ".") if clauses else None


# -- the animation --------------------------------------------------------------------------


class _DataPanel:
    """The training rows in the model's feature space, with one line (or boundary) per optimizer, and a note
    naming the lines too steep to draw at this update."""

    def __init__(self, scape, ax):
        self.scape = scape
        self.ax = ax
        data = scape.experiment.data
        self.regression = data.task == "regression"
        X = data.design_train[:, :-1]
        suffix = " (standardised)" if scape.config.standardize else ""
        self.crosses = []  # the corrupted rows, drawn again over each update's lines
        if self.regression:
            x, y = X[:, 0], data.y_train
            clean = ~data.outliers
            ax.scatter(x[clean], y[clean], s=18, color="0.5", alpha=0.7, label="training rows")
            if data.outliers.any():
                self.crosses.append(draw_outliers(ax, x[data.outliers], y[data.outliers], "corrupted targets"))
            self.x_range = _span(x)
            ax.set_xlim(*self.x_range)
            ax.set_ylim(*_span(y, margin=0.15))
            ax.set_xlabel(data.feature_names[0] + suffix)
            ax.set_ylabel(data.target_name)
            title = "The line of each optimizer at this update"
        else:
            names = data.classes or ("0", "1")
            for c in range(2):
                rows = data.y_train == c
                ax.scatter(*X[rows].T, s=18, color=CLASS_COLORS[c], marker=CLASS_MARKERS[c], alpha=0.7,
                           edgecolor="white", lw=0.3, label=f"class {names[c]}")
            (x0, x1), (y0, y1) = _span(X[:, 0]), _span(X[:, 1])
            self.limits = (x0, x1, y0, y1)
            ax.set_xlim(x0, x1)
            ax.set_ylim(y0, y1)
            ax.set_xlabel(data.feature_names[0] + suffix)
            ax.set_ylabel(data.feature_names[1] + suffix)
            title = "The boundary w1·x1 + w2·x2 = 0 of each optimizer"
        ax.grid(True)
        self.lines = []
        for index, path in enumerate(scape.paths):
            style = run_style(index)
            line, = ax.plot([], [], color=style["color"], ls=style["ls"], lw=2.6, label=label(path.name))
            self.lines.append(line)
        self.legend = legend_below(ax, ncols=3, offset=-0.11, fontsize=10)
        self.note = FrameNote(ax, title, 11.5)
        self.steep = set()

    def show(self, index, point):
        """Draw the index-th optimizer's line (or boundary) for parameters ``point``."""
        line = self.lines[index]
        self.steep.discard(index)
        if not np.isfinite(point).all():
            line.set_data([], [])
        elif self.regression:
            xs = np.linspace(*self.x_range, 50)
            ys = point[0] * xs + point[1]
            if in_view(ys, *self.ax.get_ylim()):
                line.set_data(xs, ys)
            else:  # a near-vertical stroke would say nothing: named in the note instead
                line.set_data([], [])
                self.steep.add(index)
        else:
            # the boundary through the origin, perpendicular to w, long enough to cross the whole panel
            x0, x1, y0, y1 = self.limits
            length = 2 * np.hypot(max(abs(x0), abs(x1)), max(abs(y0), abs(y1)))
            norm = np.hypot(*point)
            if norm == 0:
                line.set_data([], [])
                return
            direction = np.array([-point[1], point[0]]) / norm
            ends = np.outer([-length, length], direction)
            line.set_data(ends[:, 0], ends[:, 1])

    def show_note(self):
        """Name the lines left out at this update (or say nothing)."""
        names = [self.scape.paths[i].label for i in sorted(self.steep)]
        self.note.show(f"too steep to draw here: {', '.join(names)}" if names else None)


@_styled
def landscape_gif(scape):
    """The paths growing update by update on the contours, beside the data and each current fit; GIF bytes."""
    fig = _figure(12.5, 6.6)
    fig.set_dpi(80)
    ax_map, ax_data = fig.subplots(1, 2, width_ratios=[1.2, 1])
    _draw_contours(scape, ax_map, fig, colorbar=False)
    trails = []
    for index, path in enumerate(scape.paths):
        # the path so far, with its marker at its head only
        trail, = ax_map.plot([], [], **run_style(index), lw=2.4, ms=10, mec="black", mew=1.2, markevery=[-1],
                             zorder=4, label=_path_label(path, short=True))
        trails.append(trail)
    legend = legend_below(ax_map, _shared_steps_note(scape, ax_map), offset=-0.11, fontsize=10)
    labels = legend.get_texts()[-len(scape.paths):]
    panel = _DataPanel(scape, ax_data)
    longest = max(p.steps for p in scape.paths) + 1
    title = fig.suptitle("", fontweight="bold")
    word = _objective_label(scape, short=True)

    def draw(k):
        for index, path in enumerate(scape.paths):
            at = min(k, path.steps)
            shown = path.points[: at + 1]
            trails[index].set_data(shown[:, 0], shown[:, 1])
            panel.show(index, shown[-1])
            labels[index].set_text(f"{path.label}: {word} {path.costs[at]:.4g}")
        panel.show_note()
        title.set_text(f"Loss landscape: update {k} of {longest - 1}")

    animated = [*trails, *panel.lines, *panel.crosses, panel.note.artist, legend, title]
    colors = [*RUN_COLORS, PALETTE["yellow"], "white", "black", *CLASS_COLORS[:2]]
    return gif_bytes(fig, draw, frame_positions(longest), animated, colors)
