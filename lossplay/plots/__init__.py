"""Every picture lossplay draws, with matplotlib imported only when a picture is made.

The figures are plain ``matplotlib.figure.Figure`` objects (no pyplot, no
GUI backend): a notebook shows them as they are, and ``save_png`` writes them.
They are made for a projector: large type, thick lines, every axis labelled.
"""

import io

import numpy as np

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

TRAIN_COLOR = "#1f77b4"
VAL_COLOR = "#ff7f0e"
FIT_COLOR = "#d62728"
CLASS_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22")
CLASS_MARKERS = ("o", "^", "s", "D", "v", "P", "X", "*")


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
            f"{config.model} model · dataset {config.dataset}")


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
    ax.plot(epochs, train, color=TRAIN_COLOR, lw=2.2, label="training cost")
    has_val = np.isfinite(val).any()
    if has_val:
        ax.plot(epochs, val, color=VAL_COLOR, lw=2.2, label="validation cost")
    if run.experiment.penalty.active:
        ax.plot(epochs, objective, color=TRAIN_COLOR, lw=1.5, ls="--",
                label="training objective (cost + penalty)")
    diagnosis = run.diagnosis
    best = diagnosis.best_epoch
    if best is not None and has_val:
        lowest = val[list(epochs).index(best)]
        ax.axvline(best, color="0.4", ls=":", lw=1.5)
        ax.plot([best], [lowest], "o", color=VAL_COLOR, ms=9, mec="black", zorder=5,
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
        fig.supxlabel(_wrapped(" ".join(diagnosis.notes), 120), fontsize=10, color="0.25")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncols=2, frameon=False)
    return fig


FINDING_COLORS = {"unstable": "#cc79a7", "overfitting": FIT_COLOR, "converged": "#009e73",
                  "still_improving": "#0072b2", "interrupted": "0.3"}


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
            ax.plot([], [], color=color, lw=1.5,
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
        ax.scatter(x_train[data.outliers], data.y_train[data.outliers], s=70, marker="X", color=FIT_COLOR,
                   edgecolor="black", lw=0.6, label="corrupted training targets (outliers)")
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
    with np.errstate(all="ignore"):
        predicted = run.predict(grid[:, None])
    if np.isfinite(predicted).all():
        ax.plot(grid, predicted, color=FIT_COLOR, lw=2.6, label=_fit_label(run))
    draw_true_line(ax, data, grid)
    ax.set_xlabel(data.transform.raw_names[0])
    ax.set_ylabel(data.target_name)
    fig.suptitle(f"The fit {_when(run)}", fontweight="bold")
    ax.set_title(run_title(run.config), fontsize=11)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=2, frameon=False)
    return fig


def draw_true_line(ax, data, grid):
    """The line (or curve) a generated dataset was drawn from, dashed, over the raw feature values ``grid``."""
    true = data.true_params
    if true is not None and len(true["weights"]) == 1:
        ax.plot(grid, true["weights"][0] * grid + true["bias"], color="black", lw=1.5, ls="--",
                label=f"true line: y = {true['weights'][0]:g}x {_signed(true['bias'])}")
    elif data.true_curve is not None:
        label, function = data.true_curve
        ax.plot(grid, function(grid), color="black", lw=1.5, ls="--", label=label)


def _when(run):
    """'after 100 epochs', or, when early stopping kept an earlier epoch's parameters, which one."""
    kept = run.outcome.kept_epoch
    if kept is not None and kept != run.epochs_run:
        return f"of epoch {kept}, the best (stopped at {run.epochs_run})"
    return f"after {run.epochs_run} epochs"


def _signed(value):
    return f"+ {value:.4g}" if value >= 0 else f"− {-value:.4g}"


def _fit_label(run):
    if run.status == "diverged":
        return "fitted line when training diverged"
    if run.config.poly_degree > 1:
        return f"fitted curve (polynomial of degree {run.config.poly_degree})"
    weights, bias = run.original_params()
    if not np.isfinite(weights).all():
        return "fitted line"
    return f"fitted line: y = {weights[0]:.4g}x {_signed(float(bias))}"


def _decision_regions(run, data):
    from matplotlib.colors import ListedColormap

    fig = _figure(8.0, 6.0)
    ax = fig.add_subplot()
    points = data.raw_train if data.raw_val is None else np.vstack([data.raw_train, data.raw_val])
    (x0, x1), (y0, y1) = _span(points[:, 0]), _span(points[:, 1])
    gx, gy = np.meshgrid(np.linspace(x0, x1, 300), np.linspace(y0, y1, 300))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    with np.errstate(all="ignore"):
        probabilities = run.predict(grid)
    k = data.n_classes
    names = data.classes or tuple(str(c) for c in range(k))
    if np.isfinite(probabilities).all():
        if probabilities.ndim == 1:
            p = probabilities.reshape(gx.shape)
            shading = ax.contourf(gx, gy, p, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.35)
            fig.colorbar(shading, ax=ax, label=f"probability of class {names[1]}")
            ax.contour(gx, gy, p, levels=[0.5], colors="black", linewidths=2.2)
            ax.plot([], [], color="black", lw=2.2, label="decision boundary (p = 0.5)")
        else:
            labels = np.argmax(probabilities, axis=1).reshape(gx.shape)
            colors = ListedColormap([CLASS_COLORS[c % len(CLASS_COLORS)] for c in range(k)])
            ax.contourf(gx, gy, labels, levels=np.arange(k + 1) - 0.5, cmap=colors, alpha=0.18)
            ax.contour(gx, gy, labels, levels=np.arange(k) + 0.5, colors="black", linewidths=1.8)
            ax.plot([], [], color="black", lw=1.8, label="decision boundaries")
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
        ax.scatter(*data.raw_train[data.outliers].T, s=70, marker="X", color="black",
                   label="flipped training labels (outliers)")
    ax.set_xlabel(data.transform.raw_names[0])
    ax.set_ylabel(data.transform.raw_names[1])
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.grid(False)
    accuracy = run.metrics["val" if run.metrics["val"] else "train"]["accuracy"]
    split_word = "validation" if run.metrics["val"] else "training"
    fig.suptitle(f"Decision regions {_when(run)} ({split_word} accuracy {accuracy:.1%})",
                 fontweight="bold")
    ax.set_title(run_title(run.config), fontsize=11)
    ax.legend(loc="upper left", bbox_to_anchor=(1.25, 1.0), fontsize=10, frameon=False)
    return fig


@_styled
def loss_shapes():
    """Every loss as a curve: regression losses and their derivatives against the residual,
    classification losses against the probability of the true class, and hinge against the margin."""
    from lossplay.functions import binary_cross_entropy
    from lossplay.losses import Focal, Hinge, Huber, LogCosh, MeanAbsoluteError, MeanSquaredError, Quantile

    fig = _figure(12.0, 9.0)
    (ax_loss, ax_grad), (ax_prob, ax_margin) = fig.subplots(2, 2)
    r = np.linspace(-3, 3, 601)
    zero = np.zeros_like(r)
    regression = [
        ("MSE: r²", MeanSquaredError(), "-"),
        ("MAE: |r|", MeanAbsoluteError(), "-"),
        ("Huber, δ = 1", Huber(1.0), "-"),
        ("Huber, δ = 0.3", Huber(0.3), "--"),
        ("log-cosh", LogCosh(), "-"),
        ("quantile, τ = 0.9", Quantile(0.9), "-."),
    ]
    for label, loss, style in regression:
        line, = ax_loss.plot(r, loss.losses(r, zero), style, lw=2.2, label=label)
        ax_grad.plot(r, loss.derivative(r, zero), style, lw=2.2, color=line.get_color(), label=label)
    ax_loss.set_ylim(-0.1, 4.5)
    ax_loss.set_title("Regression losses: how much a residual costs")
    ax_loss.set_xlabel("residual r = prediction − target")
    ax_loss.set_ylabel("loss L")
    ax_loss.legend(loc="upper center")
    ax_grad.set_ylim(-3.2, 3.2)
    ax_grad.set_title("Their derivatives: how hard a residual pulls")
    ax_grad.set_xlabel("residual r = prediction − target")
    ax_grad.set_ylabel("dL/dz")
    ax_grad.legend(loc="upper left", fontsize=9)

    p = np.linspace(0.005, 0.995, 400)
    z = np.log(p / (1 - p))  # the logit that gives class 1 the probability p
    ones = np.ones_like(z, dtype=np.int64)
    ax_prob.plot(p, binary_cross_entropy(z, ones), lw=2.6, color="black", label="cross-entropy: −log p")
    for gamma in (0.5, 1.0, 2.0, 5.0):
        ax_prob.plot(p, Focal(gamma=gamma).losses(z, ones), lw=2, label=f"focal, γ = {gamma:g}")
    ax_prob.set_ylim(0, 5)
    ax_prob.set_title("Classification losses: the cost of a row")
    ax_prob.set_xlabel("probability the model gives the true class")
    ax_prob.set_ylabel("loss L")
    ax_prob.legend()

    margin = np.linspace(-3, 3, 601)
    ax_margin.plot(margin, Hinge().losses(margin, np.ones_like(margin, dtype=np.int64)), lw=2.6,
                   label="hinge: max(0, 1 − s·z)")
    ax_margin.plot(margin, binary_cross_entropy(margin, np.ones_like(margin, dtype=np.int64)), lw=2.2, ls="--",
                   label="cross-entropy: log(1 + e^(−s·z))")
    ax_margin.plot(margin, (margin < 0).astype(float), lw=1.8, color="0.4", ls=":",
                   label="0-1 error: wrong side of 0")
    ax_margin.set_title("Against the margin s·z (s = ±1 for the true class)")
    ax_margin.set_xlabel("margin s·z: positive = right side of the boundary")
    ax_margin.set_ylabel("loss L")
    ax_margin.legend()
    fig.suptitle("lossplay's losses", fontweight="bold", fontsize=15)
    return fig


RUN_COLORS = ("#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#bcbd22", "#1f77b4")
RUN_STYLES = ("-", "--", "-.", (0, (1, 1.2)))


def run_style(index):
    """The line style of the index-th run: runs that end on the same line stay distinguishable."""
    return RUN_STYLES[index % len(RUN_STYLES)]


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
    fig.suptitle(f"Comparison on dataset {first.dataset}: {', '.join(e.name for e in cmp.entries)}",
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
        ax.scatter(x[data.outliers], data.y_train[data.outliers], s=70, marker="X", color="black",
                   label="corrupted training targets")
    xs = x if data.raw_val is None else np.concatenate([x, data.raw_val[:, 0]])
    low, high = _span(xs)
    grid = np.linspace(low, high, 300)
    targets = data.y_train if data.y_val is None else np.concatenate([data.y_train, data.y_val])
    ax.set_ylim(*_span(targets, margin=0.08))  # before the lines: see _regression_fit
    for index, (color, entry) in enumerate(zip(RUN_COLORS * 3, cmp.entries)):
        run = entry.run
        with np.errstate(all="ignore"):
            predicted = run.predict(grid[:, None])
        if not np.isfinite(predicted).all():
            continue
        line = cmp.line(entry)
        label = entry.name if line is None else f"{entry.name}: y = {line[0]:.3g}x {_signed(line[1])}"
        if run.status == "diverged":
            label += " (diverged)"
        ax.plot(grid, predicted, color=color, ls=run_style(index), lw=2.4, label=label)
    draw_true_line(ax, data, grid)
    ax.set_xlabel(data.transform.raw_names[0])
    ax.set_ylabel(data.target_name)
    ax.set_title("The fitted lines" if cmp.entries[0].run.config.poly_degree == 1 else "The fitted curves")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=2, fontsize=10, frameon=False)


def _comparison_curves(cmp, ax):
    metric = cmp.common_metrics[0] if cmp.task == "regression" else "log_loss"
    column = f"{cmp.split}_{metric}"
    positive = []
    marked = False
    for index, (color, entry) in enumerate(zip(RUN_COLORS * 3, cmp.entries)):
        history = entry.run.history
        epochs = history.column("epoch")
        values = _finite_or_nan(history.column(column))
        label = entry.name + (" (diverged)" if entry.run.status == "diverged" else "")
        ax.plot(epochs, values, color=color, ls=run_style(index), lw=2.2, label=label)
        positive.append(values[np.isfinite(values)])
        overfitting = entry.run.diagnosis.find("overfitting")
        if overfitting is not None:
            at = overfitting.epoch
            ax.plot([at], [values[list(epochs).index(at)]], "o", color=color, ms=9, mec="black", zorder=5,
                    label=None if marked else "lowest validation cost of a run that then overfits")
            marked = True
    shown = np.concatenate(positive) if positive else np.array([])
    if shown.size and shown.min() > 0 and shown.max() / shown.min() > 30:
        ax.set_yscale("log")
        ax.set_ylim(shown.min() / 2, min(shown.max() * 2, shown.min() * 1e12))
    split = "validation" if cmp.split == "val" else "training"
    names = {"mse": "MSE", "log_loss": "log loss (cross-entropy)"}
    ax.set_xlabel("epoch")
    ax.set_ylabel(f"{split} {names[metric]}")
    ax.set_title(f"The same yardstick for every run: {split} {names[metric]}")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=2, fontsize=10, frameon=False)


def _boundary_panel(entry, cmp, ax):
    from matplotlib.colors import ListedColormap

    run, data = entry.run, entry.run.data
    points = data.raw_train if data.raw_val is None else np.vstack([data.raw_train, data.raw_val])
    (x0, x1), (y0, y1) = _span(points[:, 0]), _span(points[:, 1])
    gx, gy = np.meshgrid(np.linspace(x0, x1, 200), np.linspace(y0, y1, 200))
    with np.errstate(all="ignore"):
        probabilities = run.predict(np.column_stack([gx.ravel(), gy.ravel()]))
    k = data.n_classes
    if np.isfinite(probabilities).all():
        if probabilities.ndim == 1:
            p = probabilities.reshape(gx.shape)
            ax.contourf(gx, gy, p, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.35)
            ax.contour(gx, gy, p, levels=[0.5], colors="black", linewidths=2)
        else:
            labels = np.argmax(probabilities, axis=1).reshape(gx.shape)
            colors = ListedColormap([CLASS_COLORS[c % len(CLASS_COLORS)] for c in range(k)])
            ax.contourf(gx, gy, labels, levels=np.arange(k + 1) - 0.5, cmap=colors, alpha=0.18)
            ax.contour(gx, gy, labels, levels=np.arange(k) + 0.5, colors="black", linewidths=1.6)
    for c in range(k):
        rows = data.y_train == c
        size = 14 if rows.sum() > 100 else 34  # a rare class gets larger markers, so it can be seen
        ax.scatter(*data.raw_train[rows].T, s=size, color=CLASS_COLORS[c % len(CLASS_COLORS)],
                   marker=CLASS_MARKERS[c % len(CLASS_MARKERS)], edgecolor="white", lw=0.3)
    metrics = cmp.common(entry)
    scores = ", ".join(f"{METRIC_WORDS[m]} {metrics[m]:.3g}" for m in cmp.common_metrics if metrics[m] is not None)
    recalls = _recall_per_class(run, cmp.split)
    if recalls is not None:
        names = data.classes or tuple(str(c) for c in range(k))
        scores += "\nrecall of each class: " + ", ".join(f"{names[c]}: {r:.0%}" for c, r in enumerate(recalls))
    ax.set_title(f"{entry.name}: {scores}" if scores else f"{entry.name} ({run.status})", fontsize=11)
    ax.set_xlabel(data.transform.raw_names[0])
    ax.set_ylabel(data.transform.raw_names[1])
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
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
