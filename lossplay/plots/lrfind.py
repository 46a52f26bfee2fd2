"""The picture of a learning-rate range test: the cost against a rising learning rate."""

import textwrap

import numpy as np

from lossplay.plots import FIT_COLOR, PALETTE, TRAIN_COLOR, _figure, _finite_or_nan, _styled
from lossplay.plots.legibility import corner_note

SUGGESTION_COLOR = PALETTE["bluish green"]
LIMIT_COLOR = PALETTE["reddish purple"]
LOWEST_COLOR = PALETTE["orange"]


def _view(result):
    """(bottom, top, log scale?) of the y axis: from the lowest cost to the highest smoothed cost before the
    blow-up, so that a cost that shoots up to 1e30 in the last step does not flatten the rest of the curve.
    Only the view is limited: the points above it are drawn, beyond the top of the axes."""
    smoothed = result.smoothed
    before = smoothed[:-1] if result.status == "blew_up" and smoothed.size > 1 else smoothed
    shown = before[np.isfinite(before)]
    if not shown.size:
        return None
    low, high = float(shown.min()), float(shown.max())
    if low > 0 and high / low > 30:
        return low / 2, high * 2, True
    raw = result.costs[np.isfinite(result.costs)]
    bottom = 0.0 if raw.size and raw.min() >= 0 else min(low, float(raw.min(initial=low)))
    pad = (high - bottom) * 0.12 or abs(high) * 0.1 or 1.0
    return bottom, high + pad, False


@_styled
def lr_find_curve(result):
    """Batch cost (faint) and smoothed cost (bold) against the learning rate on a log axis, with the
    suggested rate, the lowest smoothed cost, where the test stopped and (MSE, linear model) the
    stability limit of full-batch gradient descent."""
    c = result.config
    fig = _figure(9.0, 6.4)
    ax = fig.add_subplot()
    lrs, costs, smoothed = result.lrs, _finite_or_nan(result.costs), _finite_or_nan(result.smoothed)
    ax.set_xscale("log")
    ax.set_xlim(result.lr_min, result.lr_max)
    smoothing = result.beta > 0
    if smoothing:
        ax.plot(lrs, costs, color=TRAIN_COLOR, lw=1.0, alpha=0.35, marker=".", ms=4,
                label="batch cost, before each update")
        lag = round(result.beta / (1 - result.beta))
        label = f"smoothed (β = {result.beta:g}): trails the batches by ~{lag} steps"
    else:  # every cost is exact: nothing to smooth, one curve
        label = "cost of all training rows, before each update"
    ax.plot(lrs, smoothed, color=TRAIN_COLOR, lw=2.8, label=label)
    view = _view(result)
    top = None
    if view is not None:
        bottom, top, log_scale = view
        if log_scale:
            ax.set_yscale("log")
        ax.set_ylim(bottom, top)
    _mark_the_end(ax, result, top)
    lowest = result.lowest_step
    if lowest is not None and lowest != result.suggested_step:
        what = "lowest smoothed cost" if smoothing else "lowest cost"
        ax.plot([lrs[lowest - 1]], [result.smoothed[lowest - 1]], "D", color=LOWEST_COLOR, ms=9, mec="black",
                zorder=5, clip_on=False, label=f"{what}, at lr {lrs[lowest - 1]:.2g}")
    if result.suggested_lr is not None:
        lr = result.suggested_lr
        look = {"color": SUGGESTION_COLOR, "lw": 2.4, "marker": "o", "ms": 10, "mec": "black"}
        ax.axvline(lr, color=SUGGESTION_COLOR, lw=2.4, zorder=4)
        ax.plot([lr], [result.smoothed[result.suggested_step - 1]], **look, zorder=6, clip_on=False)
        ax.plot([], [], **look, label=f"suggested lr {lr:.2g}: steepest fall")  # the line and its dot, as drawn
    limit = result.stability_limit
    if limit is not None:
        label = f"full-batch GD stability limit 2/λmax = {limit:.2g}"
        if result.lr_min <= limit <= result.lr_max:
            ax.axvline(limit, color=LIMIT_COLOR, lw=2.2, ls="--", zorder=3, label=label)
        else:
            ax.plot([], [], color=LIMIT_COLOR, lw=2.2, ls="--", label=label + " (off the axis)")
    if result.suggested_lr is None:
        corner_note(ax, textwrap.fill(f"No suggestion: {result.why_no_suggestion}.", 48), color=FIT_COLOR, fontsize=12)
    ax.set_xlabel("learning rate (log scale)")
    what = "batch cost" if result.beta > 0 else "cost of all training rows"
    ax.set_ylabel(f"{what}: mean {c.loss_label} loss" + (" (log scale)" if view is not None and view[2] else ""))
    batch = "full batch" if c.batch_size == 0 else f"batches of {c.batch_size}"
    fig.suptitle("Learning-rate range test: the rate grows at every step", fontweight="bold")
    ax.set_title(f"{c.loss_label} loss · {c.optimizer_label} · {c.model} model · dataset {c.dataset_label} · {batch}",
                 fontsize=11)
    handles, labels = ax.get_legend_handles_labels()
    order = sorted(range(len(labels)), key=lambda i: _legend_rank(labels[i]))
    fig.legend([handles[i] for i in order], [labels[i] for i in order], loc="outside lower center", ncols=2,
               fontsize=10)
    return fig


def _short(value):
    """A cost for a legend: 3 significant digits, or whole numbers with separators (87,975) for large ones."""
    return f"{value:,.0f}" if 1e3 <= abs(value) < 1e7 else f"{value:.3g}"


def _mark_the_end(ax, result, top):
    """Where the test stopped, and the rates it never reached (the blow-up, or Ctrl-C)."""
    lrs = result.lrs
    if result.status == "completed" or not len(lrs):
        return
    last = lrs[-1]
    if result.status == "interrupted":
        ax.axvspan(last, result.lr_max, color="0.5", alpha=0.12, label="rates not tried: interrupted")
        return
    ax.axvspan(last, result.lr_max, color=FIT_COLOR, alpha=0.10, label="rates not tried: past the blow-up")
    value = result.smoothed[-1]
    off_the_top = top is None or not (np.isfinite(value) and value <= top)
    shown = _short(value) if np.isfinite(value) else "not a number"
    where = top if off_the_top and top is not None else value
    if where is None or not np.isfinite(where):
        return
    lowest = np.nanmin(np.where(np.isfinite(result.smoothed), result.smoothed, np.nan))
    ax.plot([last], [where], "^" if off_the_top else "X", color=FIT_COLOR, ms=12, mec="black", zorder=8,
            clip_on=False, label=f"stopped: {'smoothed' if result.beta > 0 else 'cost'} {shown} > 4 × lowest "
                                 f"{_short(lowest)}"
                                 + (" (off the top)" if off_the_top else ""))


LEGEND_ORDER = ("batch cost", "smoothed", "cost of all", "suggested", "lowest", "stopped", "rates not tried",
                "full-batch GD")


def _legend_rank(label):
    """The legend reads from the data to the landmarks: costs first, then what the test found."""
    return next((i for i, start in enumerate(LEGEND_ORDER) if label.startswith(start)), len(LEGEND_ORDER))
