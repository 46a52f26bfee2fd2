"""Every picture lossplay draws, with matplotlib imported only when a picture is made.

The figures are plain ``matplotlib.figure.Figure`` objects (no pyplot, no
GUI backend): a notebook shows them as they are, and ``save_png`` writes them.
They are made for a projector: large type, thick lines, every axis labelled.
"""

import io

import numpy as np

from lossplay.formatting import plural
from lossplay.plots.legibility import corner_note, in_view, overlap_note, overlapping

STYLE = {
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.labelsize": 12,
    "legend.fontsize": 10.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
}

PALETTE = {  # Okabe and Ito's eight colours, told apart with every common colour-vision deficiency
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}
TRAIN_COLOR = PALETTE["blue"]
VAL_COLOR = PALETTE["orange"]
FIT_COLOR = PALETTE["vermillion"]
# colour is never the only difference: training is solid with circles, validation dashed with squares
TRAIN_STYLE = {"color": TRAIN_COLOR, "ls": "-", "marker": "o"}
VAL_STYLE = {"color": VAL_COLOR, "ls": "--", "marker": "s"}
CLASS_COLORS = tuple(PALETTE[name] for name in ("blue", "vermillion", "bluish green", "reddish purple", "orange",
                                                "sky blue", "black", "yellow"))
CLASS_MARKERS = ("o", "^", "s", "D", "v", "P", "X", "*")
# the runs of a comparison and the paths of a landscape, in order: each has its own colour, dash pattern and
# marker. Yellow is left out: a thin yellow line on white cannot be read.
RUN_COLORS = tuple(PALETTE[name] for name in ("blue", "vermillion", "bluish green", "reddish purple", "orange",
                                              "sky blue"))
RUN_STYLES = ("-", "--", "-.", (0, (1, 1.2)))
RUN_MARKERS = ("o", "s", "^", "D", "v", "P")
PROBABILITY_ALPHA = 0.25  # light enough that a class's markers stand out on its own side
CLASS_REGION_ALPHA = 0.18
NOTE_COLOR = "0.25"  # the grey of the small notes under a legend or a picture
NOTE_SIZE = 10


def run_style(index):
    """The colour, line style and marker of the index-th run (or optimizer path), as keyword arguments of
    ``plot``: runs that end on the same line stay distinguishable, with colour vision and without it."""
    return {"color": RUN_COLORS[index % len(RUN_COLORS)], "ls": RUN_STYLES[index % len(RUN_STYLES)],
            "marker": RUN_MARKERS[index % len(RUN_MARKERS)]}


def markevery(count, index=0, lines=1, marks=10):
    """Where the markers go on a line of ``count`` points: about ``marks`` of them, the ``index``-th of
    ``lines`` lines drawn over the same x shifted along, so that lines lying on one another each show
    their markers."""
    every = max(1, count // marks)
    return (index * every // max(lines, 1), every)


def probability_colormap():
    """The shading of a binary classifier's probability: class 0's colour, white at p = 0.5, class 1's colour
    (blue to vermillion: apart in lightness and in the blue-yellow direction every colour vision keeps)."""
    from matplotlib.colors import LinearSegmentedColormap

    return LinearSegmentedColormap.from_list("class_probability", [CLASS_COLORS[0], "white", CLASS_COLORS[1]])


NOTE_WIDTH = 60  # characters per line of a note under a panel


def legend_below(ax, note=None, ncols=2, offset=-0.14, **options):
    """The legend of ``ax`` under its x label, never over the data; ``note`` (which lines overlap, say) is
    its title, in grey."""
    if note:
        note = _wrapped(note, NOTE_WIDTH)  # a long note stays within its panel
    legend = ax.legend(loc="upper center", bbox_to_anchor=(0.5, offset), ncols=ncols, frameon=False,
                       title=note, title_fontsize=NOTE_SIZE, **options)
    legend.get_title().set_color(NOTE_COLOR)
    return legend


def _figure(width=8.0, height=5.0):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _styled(function):
    """Run a drawing function with the lossplay style."""
    def draw(*args, **kwargs):
        import matplotlib

        with matplotlib.rc_context(STYLE):
            return function(*args, **kwargs)
    draw.__doc__ = function.__doc__
    draw.__name__ = function.__name__
    return draw


def png_bytes(figure):
    """The figure as PNG bytes, its texts with any control character shown escaped (a name read from a
    file may hold one; no font has a glyph for it)."""
    import matplotlib

    printable_texts(figure)
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        figure.savefig(buffer, format="png")
    return buffer.getvalue()


def printable_texts(figure):
    """Escape the control characters of every text of ``figure`` (titles, labels, legends, ticks)."""
    from matplotlib.text import Text

    from lossplay.terminal import printable

    for text in figure.findobj(Text):
        words = text.get_text()
        shown = "\n".join(printable(line) for line in words.split("\n"))  # line breaks are the figure's own
        if shown != words:
            text.set_text(shown)


def run_title(config):
    """'huber loss · adam (lr 0.05) · linear model · dataset linear'."""
    return (f"{config.loss_label} loss · {config.optimizer_label} (lr {config.lr:g}) · "
            f"{config.model} model · dataset {config.dataset_label}")


@_styled
def loss_curve(run):
    """Training and validation cost per epoch, the best epoch marked, overfitting shaded."""
    history = run.history
    if run.data.task == "regression":
        fig = _figure(9.0, 6.2)
        ax = fig.add_subplot()
    else:  # a classifier: its metric per epoch beside the cost
        from lossplay.plots.classifier import draw_metric

        fig = _figure(15.0, 6.6)
        ax, ax_metric = fig.subplots(1, 2, width_ratios=[1.45, 1])
        draw_metric(ax_metric, run)
    epochs = history.column("epoch")
    train, val, objective = (_finite_or_nan(history.column(name))
                             for name in ("train_loss", "val_loss", "objective"))
    shown = np.concatenate([train[np.isfinite(train)], val[np.isfinite(val)]])
    log_scale = shown.size and shown.min() > 0 and shown.max() / shown.min() > 30
    if log_scale:
        # a diverging cost climbs to 1e308: twelve decades above the lowest cost are plenty to watch
        # it go, and the points above the top of the axes are drawn just beyond it
        top = min(shown.max() * 2, shown.min() * 1e12)
        train, val, objective = (np.minimum(v, top * 10) for v in (train, val, objective))
    count = len(epochs)
    ax.plot(epochs, train, **TRAIN_STYLE, lw=2.2, ms=5, markevery=markevery(count, 0, 2), label="training cost")
    curves = [("training cost", train)]
    has_val = np.isfinite(val).any()
    if has_val:
        ax.plot(epochs, val, **VAL_STYLE, lw=2.2, ms=5, markevery=markevery(count, 1, 2), label="validation cost")
        curves.append(("validation cost", val))
    if run.experiment.penalty.active:
        ax.plot(epochs, objective, color=TRAIN_COLOR, lw=1.8, ls=":", label="training objective (cost + penalty)")
        curves.append(("training objective", objective))
    diagnosis = run.diagnosis
    best = diagnosis.best_epoch
    if best is not None and has_val:
        lowest = val[list(epochs).index(best)]
        ax.axvline(best, color="0.4", ls=":", lw=1.5)
        ax.plot([best], [lowest], "*", color=VAL_COLOR, ms=17, mec="black", zorder=5,
                label=f"lowest validation cost {lowest:.4g} (epoch {best})")
    draw_findings(ax, diagnosis, epochs, train)
    kept = run.outcome.kept_epoch
    if run.status == "early_stopped" and kept is not None:
        ax.axvline(kept, color="black", ls="--", lw=1.6,
                   label=f"early stopping kept epoch {kept} (it stopped at {epochs[-1]:.0f})")
    if log_scale:
        ax.set_yscale("log")
        ax.set_ylim(shown.min() / 2, top)
        ax.set_ylabel(f"cost: mean {run.config.loss_label} loss (log scale)")
    else:
        ax.set_ylabel(f"cost: mean {run.config.loss_label} loss")
    ax.set_xlabel("epoch (passes over the training rows)")
    ax.set_xlim(epochs[0], max(epochs[-1], 1))
    fig.suptitle("Loss curve", fontweight="bold")
    if run.status == "diverged":
        ax.set_title(f"{run_title(run.config)}\ndiverged during epoch {epochs[-1]:.0f}: the cost blew up",
                     fontsize=11, color=FIT_COLOR)
    else:
        ax.set_title(run_title(run.config), fontsize=11)
    if diagnosis.notes:
        fig.supxlabel(_wrapped(" ".join(diagnosis.notes), 120), fontsize=NOTE_SIZE, color=NOTE_COLOR)
    legend_below(ax, overlap_note(overlapping(curves, *ax.get_ylim(), log=bool(log_scale))), offset=-0.16)
    return fig


FINDING_COLORS = {"unstable": PALETTE["reddish purple"], "overfitting": FIT_COLOR, "converged": PALETTE["bluish green"],
                  "still_improving": PALETTE["black"], "interrupted": "0.3"}


def draw_findings(ax, diagnosis, epochs, train):
    """The diagnosis on a loss curve: overfitting shaded from its turn, the jumps of an unstable run
    marked, where the objective flattened or that it was still falling, an interruption."""
    epochs = np.asarray(epochs)
    last = epochs[-1]
    for finding in diagnosis.findings:
        color = FINDING_COLORS.get(finding.kind)
        if finding.kind == "overfitting":
            ax.axvspan(finding.epoch, last, color=FIT_COLOR, alpha=0.08,
                       label=f"overfitting: validation cost rising from epoch {finding.epoch}")
        elif finding.kind == "unstable":
            from lossplay.verdicts import jumps

            finite = np.isfinite(train)
            at = [t for t, _ in jumps(train[finite])]
            ax.plot(epochs[finite][at], train[finite][at], "v", color=color, ms=9, mec="black", zorder=6,
                    label=f"unstable: the training cost jumped up (first at epoch {finding.epoch})")
        elif finding.kind == "converged":
            ax.axvline(finding.epoch, color=color, ls="-.", lw=1.4,
                       label=f"converged: flat from epoch {finding.epoch}")
        elif finding.kind == "still_improving":
            ax.annotate("still falling", xy=(last, train[np.isfinite(train)][-1]), xytext=(-10, 28),
                        textcoords="offset points", ha="right", color=color, fontsize=11,
                        arrowprops={"arrowstyle": "->", "color": color, "lw": 1.5})
            ax.plot([], [], color=color, ls="none", marker=r"$\searrow$", ms=13,
                    label="still improving: the training cost was still falling at the end")
        elif finding.kind == "interrupted":
            ax.axvline(finding.epoch, color=color, ls="--", lw=1.2, label=f"interrupted at epoch {finding.epoch}")


def _wrapped(text, width):
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def _finite_or_nan(values):
    """The values with infinities replaced by NaN, which matplotlib leaves out of lines and limits."""
    return np.where(np.isfinite(values), values, np.nan)


def can_draw_fit(data):
    """A fit picture exists for 1-feature regression and 2-feature classification (raw features)."""
    d = len(data.transform.raw_names)
    return (data.task == "regression" and d == 1) or (data.task != "regression" and d == 2)


@_styled
def fit(run):
    """The data with the fitted line (regression) or the decision regions (classification)."""
    data = run.experiment.data
    if data.task == "regression":
        return _regression_fit(run, data)
    return _decision_regions(run, data)


def _span(values, margin=0.06):
    low, high = float(np.min(values)), float(np.max(values))
    pad = (high - low) * margin or 1.0
    return low - pad, high + pad


def _regression_fit(run, data):
    fig = _figure()
    ax = fig.add_subplot()
    x_train = data.raw_train[:, 0]
    clean = ~data.outliers
    ax.scatter(x_train[clean], data.y_train[clean], s=28, color=TRAIN_COLOR, alpha=0.75, label="training rows")
    if data.outliers.any():
        draw_outliers(ax, x_train[data.outliers], data.y_train[data.outliers], "corrupted training targets (outliers)")
    xs = [x_train]
    if data.raw_val is not None:
        ax.scatter(data.raw_val[:, 0], data.y_val, s=34, marker="s", facecolor="none", edgecolor=VAL_COLOR,
                   lw=1.4, label="validation rows")
        xs.append(data.raw_val[:, 0])
    low, high = _span(np.concatenate(xs))
    grid = np.linspace(low, high, 400)
    targets = [data.y_train] if data.y_val is None else [data.y_train, data.y_val]
    # the limits come from the data, set before the line is drawn: a diverged line near 1e308 would
    # overflow matplotlib's own autoscaling
    ax.set_ylim(*_span(np.concatenate(targets), margin=0.1))
    predicted = drawable_fit(run, grid, ax.get_ylim())
    curves = []
    if predicted is not None:
        ax.plot(grid, predicted, color=FIT_COLOR, lw=2.6, label=_fit_label(run))
        curves.append(("the fitted line", predicted))
    true = draw_true_line(ax, data, grid)
    if true is not None:
        curves.append(true[:2])
    ax.set_xlabel(data.transform.raw_names[0])
    ax.set_ylabel(data.target_name)
    fig.suptitle(f"The fit {_when(run)}", fontweight="bold")
    ax.set_title(run_title(run.config), fontsize=11)
    if predicted is None:
        corner_note(ax, left_out_words(run, "line"), color=FIT_COLOR)
    legend_below(ax, overlap_note(overlapping(curves, *ax.get_ylim())))
    return fig


def draw_outliers(ax, x, y, label):
    """The corrupted rows as black crosses above every line, so that no fitted line hides them; returns them
    (an animation draws them again over each frame's lines)."""
    return ax.scatter(x, y, s=70, marker="X", color="black", edgecolor="white", lw=0.5, zorder=6, label=label)


def drawable_fit(run, grid, limits, theta=None):
    """The run's predictions over the 1-feature ``grid`` (at ``theta``, or its final parameters), or None
    when they cannot be drawn honestly: the run diverged (at its final parameters), a prediction is not a
    finite number, or the line is so steep that it would cross the picture (y ``limits``) as a
    near-vertical stroke."""
    if theta is None and run.status == "diverged":
        return None
    with np.errstate(all="ignore"):
        predicted = run.predict(grid[:, None], theta)
    if not np.isfinite(predicted).all() or not in_view(predicted, *limits):
        return None
    return predicted


def left_out_words(run, what, at_end=True):
    """Why a run's fitted ``what`` ('line', 'boundary') is not drawn: it diverged (when the picture shows the
    run ``at_end``), or it lies off the picture."""
    if at_end and run.status == "diverged":
        return f"Training diverged during epoch {run.epochs_run}:\nthe weights blew up, so no {what} is drawn"
    return f"The fitted {what} lies off the picture:\nit is too steep to draw over the data"


def draw_true_line(ax, data, grid):
    """The line (or curve) a generated dataset was drawn from, dashed, over the raw feature values ``grid``;
    returns (its name, its values, the line drawn), or None for data with no known line."""
    true = data.true_params
    if true is not None and len(true["weights"]) == 1:
        values = true["weights"][0] * grid + true["bias"]
        line, = ax.plot(grid, values, color="black", lw=1.5, ls="--",
                        label=f"true line: y = {true['weights'][0]:g}x {_signed(true['bias'])}")
        return "the true line", values, line
    if data.true_curve is not None:
        label, function = data.true_curve
        values = function(grid)
        line, = ax.plot(grid, values, color="black", lw=1.5, ls="--", label=label)
        return "the true curve", values, line
    return None


def _when(run):
    """'after 100 epochs', or, when early stopping kept an earlier epoch's parameters, which one."""
    kept = run.outcome.kept_epoch
    if kept is not None and kept != run.epochs_run:
        return f"of epoch {kept}, the best (stopped at {run.epochs_run})"
    return f"after {plural(run.epochs_run, 'epoch')}"


def _signed(value):
    return f"+ {value:.4g}" if value >= 0 else f"− {-value:.4g}"


def _fit_label(run):
    if run.config.poly_degree > 1:
        return f"fitted curve (polynomial of degree {run.config.poly_degree})"
    weights, bias = run.original_params()
    if not np.isfinite(weights).all():
        return "fitted line"
    return f"fitted line: y = {weights[0]:.4g}x {_signed(float(bias))}"


def _decision_regions(run, data):
    fig = _figure(8.0, 6.0)
    ax = fig.add_subplot()
    points = data.raw_train if data.raw_val is None else np.vstack([data.raw_train, data.raw_val])
    ax.set_xlim(*_span(points[:, 0]))
    ax.set_ylim(*_span(points[:, 1]))
    k = data.n_classes
    names = data.classes or tuple(str(c) for c in range(k))
    shading = draw_regions(ax, run, 300, 2.2)
    if shading is not None and k == 2:
        fig.colorbar(shading, ax=ax, label=f"probability of class {names[1]}")
    if shading is not None:
        ax.plot([], [], color="black", lw=2.2, label="decision boundary (p = 0.5)" if k == 2 else "decision boundaries")
    for c in range(k):
        color, marker = CLASS_COLORS[c % len(CLASS_COLORS)], CLASS_MARKERS[c % len(CLASS_MARKERS)]
        rows = (data.y_train == c) & ~data.outliers
        ax.scatter(*data.raw_train[rows].T, s=30, color=color, marker=marker, edgecolor="white", lw=0.5,
                   label=f"class {names[c]} (training)")
        if data.raw_val is not None:
            rows = data.y_val == c
            ax.scatter(*data.raw_val[rows].T, s=40, marker=marker, facecolor="none", edgecolor=color, lw=1.5,
                       label=f"class {names[c]} (validation)")
    if data.outliers.any():
        draw_outliers(ax, *data.raw_train[data.outliers].T, "flipped training labels (outliers)")
    if shading is None:
        corner_note(ax, left_out_words(run, "boundary"), color=FIT_COLOR)
    ax.set_xlabel(data.transform.raw_names[0])
    ax.set_ylabel(data.transform.raw_names[1])
    ax.grid(False)
    accuracy = run.metrics["val" if run.metrics["val"] else "train"]["accuracy"]
    split_word = "validation" if run.metrics["val"] else "training"
    fig.suptitle(f"Decision regions {_when(run)} ({split_word} accuracy {accuracy:.1%})",
                 fontweight="bold")
    ax.set_title(run_title(run.config), fontsize=11, loc="left")  # wider than the axes: it runs on to the right
    fig.legend(*ax.get_legend_handles_labels(), loc="outside right center", fontsize=10, frameon=False)
    return fig


def draw_regions(ax, run, size, line_width):
    """The decision regions of ``run`` over the limits of ``ax`` on a ``size`` x ``size`` grid: for two
    classes the probability of class 1 shaded (``probability_colormap``) with the boundary p = 0.5, for more
    the predicted class in its colour with the boundaries between classes. Returns the shading, or None when
    there is nothing honest to draw: the run diverged, or its predictions are not finite numbers."""
    from matplotlib.colors import ListedColormap

    if run.status == "diverged":
        return None
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    gx, gy = np.meshgrid(np.linspace(x0, x1, size), np.linspace(y0, y1, size))
    with np.errstate(all="ignore"):
        probabilities = run.predict(np.column_stack([gx.ravel(), gy.ravel()]))
    if not np.isfinite(probabilities).all():
        return None
    if probabilities.ndim == 1:
        p = probabilities.reshape(gx.shape)
        shading = ax.contourf(gx, gy, p, levels=np.linspace(0, 1, 11), cmap=probability_colormap(),
                              alpha=PROBABILITY_ALPHA)
        ax.contour(gx, gy, p, levels=[0.5], colors="black", linewidths=line_width)
        return shading
    k = probabilities.shape[1]
    labels = np.argmax(probabilities, axis=1).reshape(gx.shape)
    colors = ListedColormap([CLASS_COLORS[c % len(CLASS_COLORS)] for c in range(k)])
    shading = ax.contourf(gx, gy, labels, levels=np.arange(k + 1) - 0.5, cmap=colors, alpha=CLASS_REGION_ALPHA)
    ax.contour(gx, gy, labels, levels=np.arange(k) + 0.5, colors="black", linewidths=line_width * 0.85)
    return shading


@_styled
def loss_shapes():
    """Every loss as a curve: regression losses and their derivatives against the residual,
    classification losses against the probability of the true class, and hinge against the margin."""
    from lossplay.functions import binary_cross_entropy
    from lossplay.losses import Focal, Hinge, Huber, LogCosh, MeanAbsoluteError, MeanSquaredError, Quantile

    fig = _figure(12.0, 11.5)
    top, bottom = fig.subfigures(2, 1, height_ratios=[1, 1.08])
    ax_loss, ax_grad = top.subplots(1, 2)
    ax_prob, ax_margin = bottom.subplots(1, 2)
    r = np.linspace(-3, 3, 601)
    zero = np.zeros_like(r)
    regression = [
        ("MSE: r²", MeanSquaredError()),
        ("MAE: |r|", MeanAbsoluteError()),
        ("Huber, δ = 1", Huber(1.0)),
        ("Huber, δ = 0.3", Huber(0.3)),
        ("log-cosh", LogCosh()),
        ("quantile, τ = 0.9", Quantile(0.9)),
    ]
    for index, (label, loss) in enumerate(regression):
        look = {**run_style(index), "lw": 2.2, "ms": 6, "markevery": markevery(r.size, index, len(regression), 8)}
        ax_loss.plot(r, loss.losses(r, zero), **look, label=label)
        ax_grad.plot(r, loss.derivative(r, zero), **look)
    ax_loss.set_ylim(-0.1, 4.5)
    ax_loss.set_title("Regression losses: how much a residual costs")
    ax_loss.set_xlabel("residual r = prediction − target")
    ax_loss.set_ylabel("loss L")
    ax_grad.set_ylim(-3.2, 3.2)
    ax_grad.set_title("Their derivatives: how hard a residual pulls")
    ax_grad.set_xlabel("residual r = prediction − target")
    ax_grad.set_ylabel("dL/dz")
    top.legend(loc="outside lower center", ncols=3, frameon=False)

    p = np.linspace(0.005, 0.995, 400)
    z = np.log(p / (1 - p))  # the logit that gives class 1 the probability p
    ones = np.ones_like(z, dtype=np.int64)
    ax_prob.plot(p, binary_cross_entropy(z, ones), lw=2.6, color="black", label="cross-entropy: −log p")
    gammas = (0.5, 1.0, 2.0, 5.0)
    for index, gamma in enumerate(gammas):
        ax_prob.plot(p, Focal(gamma=gamma).losses(z, ones), **run_style(index), lw=2, ms=6,
                     markevery=markevery(p.size, index, len(gammas), 8), label=f"focal, γ = {gamma:g}")
    ax_prob.set_ylim(0, 5)
    ax_prob.set_title("Classification losses: the cost of a row")
    ax_prob.set_xlabel("probability the model gives the true class")
    ax_prob.set_ylabel("loss L")
    legend_below(ax_prob)

    margin = np.linspace(-3, 3, 601)
    positive = np.ones_like(margin, dtype=np.int64)
    ax_margin.plot(margin, Hinge().losses(margin, positive), **run_style(0), lw=2.6, ms=6,
                   markevery=markevery(margin.size, 0, 2, 8), label="hinge: max(0, 1 − s·z)")
    ax_margin.plot(margin, binary_cross_entropy(margin, positive), **run_style(1), lw=2.2, ms=6,
                   markevery=markevery(margin.size, 1, 2, 8), label="cross-entropy: log(1 + e^(−s·z))")
    ax_margin.plot(margin, (margin < 0).astype(float), lw=1.8, color="0.4", ls=":",
                   label="0-1 error: wrong side of 0")
    ax_margin.set_title("Against the margin s·z (s = ±1 for the true class)")
    ax_margin.set_xlabel("margin s·z: positive = right side of the boundary")
    ax_margin.set_ylabel("loss L")
    legend_below(ax_margin, ncols=1)
    fig.suptitle("lossplay's losses", fontweight="bold", fontsize=15)
    return fig


@_styled
def comparison(cmp):
    """Side by side: 1-D regression fits with the common metric per epoch, 2-D classification
    boundaries, or the common metric per epoch alone."""
    data = cmp.data
    d = len(data.transform.raw_names)
    if cmp.task == "regression" and d == 1:
        fig = _figure(14.0, 5.6)
        ax_fit, ax_curve = fig.subplots(1, 2, width_ratios=[1.15, 1])
        _comparison_fits(cmp, ax_fit)
        _comparison_curves(cmp, ax_curve)
    elif cmp.task != "regression" and d == 2:
        n = len(cmp.entries)
        columns = min(n, 3)
        rows = -(-n // columns)
        fig = _figure(5.2 * columns, 4.8 * rows + 0.6)
        axes = np.atleast_1d(fig.subplots(rows, columns)).ravel()
        for ax, entry in zip(axes, cmp.entries):
            _boundary_panel(entry, cmp, ax)
        for ax in axes[n:]:
            ax.set_visible(False)
        _class_legend(fig, data)
    else:
        fig = _figure(9.0, 5.6)
        _comparison_curves(cmp, fig.add_subplot())
    first = cmp.entries[0].run.config
    fig.suptitle(f"Comparison on dataset {first.dataset_label}: {', '.join(e.name for e in cmp.entries)}",
                 fontweight="bold")
    return fig


def _comparison_fits(cmp, ax):
    data = cmp.data
    x = data.raw_train[:, 0]
    clean = ~data.outliers
    ax.scatter(x[clean], data.y_train[clean], s=22, color="0.55", alpha=0.7, label="training rows")
    if data.raw_val is not None:
        ax.scatter(data.raw_val[:, 0], data.y_val, s=28, marker="s", facecolor="none", edgecolor="0.35",
                   lw=1.1, label="validation rows")
    if data.outliers.any():
        draw_outliers(ax, x[data.outliers], data.y_train[data.outliers], "corrupted training targets")
    xs = x if data.raw_val is None else np.concatenate([x, data.raw_val[:, 0]])
    low, high = _span(xs)
    grid = np.linspace(low, high, 300)
    targets = data.y_train if data.y_val is None else np.concatenate([data.y_train, data.y_val])
    ax.set_ylim(*_span(targets, margin=0.08))  # before the lines: see _regression_fit
    curves, left_out = [], []
    for index, entry in enumerate(cmp.entries):
        run = entry.run
        predicted = drawable_fit(run, grid, ax.get_ylim())
        line = cmp.line(entry)
        label = entry.name if line is None else f"{entry.name}: y = {line[0]:.3g}x {_signed(line[1])}"
        look = {**run_style(index), "lw": 2.4, "ms": 6,
                "markevery": markevery(grid.size, index, len(cmp.entries), 8)}
        if predicted is None:  # in the legend, with a word on why it is not in the picture
            why = "diverged" if run.status == "diverged" else "too steep"
            ax.plot([], [], **look, label=f"{entry.name}: {why}, not drawn")
            left_out.append(entry)
            continue
        ax.plot(grid, predicted, **look, label=label)
        curves.append((entry.name, predicted))
    true = draw_true_line(ax, data, grid)
    if true is not None:
        curves.append(true[:2])
    ax.set_xlabel(data.transform.raw_names[0])
    ax.set_ylabel(data.target_name)
    ax.set_title("The fitted lines" if cmp.entries[0].run.config.poly_degree == 1 else "The fitted curves")
    if left_out:
        diverged = [e.name for e in left_out if e.run.status == "diverged"]
        corner_note(ax, left_out_note(diverged, [e.name for e in left_out if e.name not in diverged]), color=FIT_COLOR)
    legend_below(ax, overlap_note(overlapping(curves, *ax.get_ylim())), fontsize=10)


def left_out_note(diverged, steep):
    """'lr=1.5 diverged: its line is left out', for the runs (by name) whose line is not drawn: those that
    ``diverged`` and those whose line is too ``steep`` to draw."""
    parts = []
    if diverged:
        parts.append(f"{', '.join(diverged)} diverged")
    if steep:
        parts.append(f"{', '.join(steep)} {'is' if len(steep) == 1 else 'are'} too steep to draw")
    one = len(diverged) + len(steep) == 1
    return " and ".join(parts) + (":\nits line is left out" if one else ":\ntheir lines are left out")


def _comparison_curves(cmp, ax):
    metric = cmp.common_metrics[0] if cmp.task == "regression" else "log_loss"
    column = f"{cmp.split}_{metric}"
    longest = max(len(entry.run.history) for entry in cmp.entries)
    curves = []
    marked = False
    for index, entry in enumerate(cmp.entries):
        history = entry.run.history
        epochs = history.column("epoch")
        values = _finite_or_nan(history.column(column))
        label = entry.name + (" (diverged)" if entry.run.status == "diverged" else "")
        ax.plot(epochs, values, **run_style(index), lw=2.2, ms=5,
                markevery=markevery(len(epochs), index, len(cmp.entries)), label=label)
        curves.append((entry.name, np.pad(values, (0, longest - len(values)), constant_values=np.nan)))
        overfitting = entry.run.diagnosis.find("overfitting")
        if overfitting is not None:
            at = overfitting.epoch
            ax.plot([at], [values[list(epochs).index(at)]], "*", color=run_style(index)["color"], ms=16, mec="black",
                    zorder=5)
            marked = True
    if marked:  # one legend entry for every such star, each in its run's colour
        ax.plot([], [], "*", color="white", mec="black", ms=16, label="where a run starts to overfit")
    shown = np.concatenate([values[np.isfinite(values)] for _, values in curves])
    log_scale = bool(shown.size and shown.min() > 0 and shown.max() / shown.min() > 30)
    if log_scale:
        ax.set_yscale("log")
        ax.set_ylim(shown.min() / 2, min(shown.max() * 2, shown.min() * 1e12))
    split = "validation" if cmp.split == "val" else "training"
    names = {"mse": "MSE", "log_loss": "log loss (cross-entropy)"}
    ax.set_xlabel("epoch")
    ax.set_ylabel(f"{split} {names[metric]}")
    ax.set_title(f"The same yardstick for every run: {split} {names[metric]}")
    legend_below(ax, overlap_note(overlapping(curves, *ax.get_ylim(), log=log_scale)), fontsize=10)


def _boundary_panel(entry, cmp, ax):
    run, data = entry.run, entry.run.data
    points = data.raw_train if data.raw_val is None else np.vstack([data.raw_train, data.raw_val])
    ax.set_xlim(*_span(points[:, 0]))
    ax.set_ylim(*_span(points[:, 1]))
    shading = draw_regions(ax, run, 200, 2.0)
    k = data.n_classes
    for c in range(k):
        rows = data.y_train == c
        size = 14 if rows.sum() > 100 else 34  # a rare class gets larger markers, so it can be seen
        ax.scatter(*data.raw_train[rows].T, s=size, color=CLASS_COLORS[c % len(CLASS_COLORS)],
                   marker=CLASS_MARKERS[c % len(CLASS_MARKERS)], edgecolor="white", lw=0.3)
    if shading is None:
        corner_note(ax, left_out_words(run, "boundary"), color=FIT_COLOR)
    metrics = cmp.common(entry)
    scores = ", ".join(f"{METRIC_WORDS[m]} {metrics[m]:.3g}" for m in cmp.common_metrics if metrics[m] is not None)
    recalls = _recall_per_class(run, cmp.split)
    if recalls is not None:
        names = data.classes or tuple(str(c) for c in range(k))
        scores += "\nrecall of each class: " + ", ".join(f"{names[c]}: {r:.0%}" for c, r in enumerate(recalls))
    ax.set_title(f"{entry.name}: {scores}" if scores else f"{entry.name} ({run.status})", fontsize=11)
    ax.set_xlabel(data.transform.raw_names[0])
    ax.set_ylabel(data.transform.raw_names[1])
    ax.grid(False)


def _class_legend(fig, data):
    """A legend of the classes' colours and markers under the panels, and of the boundary."""
    from matplotlib.lines import Line2D

    names = data.classes or tuple(str(c) for c in range(data.n_classes))
    handles = [Line2D([], [], ls="none", marker=CLASS_MARKERS[c % len(CLASS_MARKERS)], ms=9,
                      color=CLASS_COLORS[c % len(CLASS_COLORS)], label=f"class {name}") for c, name in enumerate(names)]
    handles.append(Line2D([], [], color="black", lw=2, label="decision boundary"))
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False, fontsize=11)


def _recall_per_class(run, split):
    """The share of each class's rows (of the split) that the run's final parameters classify right."""
    from lossplay.evaluation import per_class

    evaluation = run.evaluation(split)
    return None if evaluation is None else per_class(evaluation["confusion_matrix"])[1]


METRIC_WORDS = {"accuracy": "acc", "f1": "F1", "log_loss": "log loss", "mse": "MSE", "mae": "MAE", "r2": "R²"}
