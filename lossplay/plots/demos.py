"""The demos' own pictures, where the usual comparison picture would not show the lesson.

``accuracy_and_loss``: the imagined models A and B, then the real runs' validation
accuracy and log loss per epoch side by side. ``learning_rates``: the cost of each
rate per epoch, beside the rates on one axis with the stability limit 2/lambda_max.
"""

import numpy as np

from lossplay.plots import PALETTE, _figure, _finite_or_nan, _styled, legend_below, markevery, run_style


@_styled
def accuracy_and_loss(cmp, models):
    """Left: models A and B, the same accuracy and different cross-entropy. Middle and right: each
    run's validation accuracy and log loss per epoch; a run that is the first epochs of a longer one
    (same seed, same batches) is drawn as a marker where it stopped, since its line lies under the other."""
    fig = _figure(15.0, 5.4)
    ax_models, ax_accuracy, ax_loss = fig.subplots(1, 3, width_ratios=[0.8, 1, 1])
    names = list(models)
    x = np.arange(len(names))
    accuracy = [models[n]["accuracy"] for n in names]
    loss = [models[n]["cross_entropy"] for n in names]
    bars = ax_models.bar(x - 0.2, accuracy, width=0.38, color=PALETTE["blue"], label="accuracy")
    twin = ax_models.twinx()
    twin.bar(x + 0.2, loss, width=0.38, color=PALETTE["orange"], hatch="//", edgecolor="black", label="cross-entropy")
    for rect, value in zip(bars, accuracy):
        ax_models.text(rect.get_x() + rect.get_width() / 2, value, f"{value:.0%}", ha="center", va="bottom",
                       fontsize=11)
    for xi, value in zip(x, loss):
        twin.text(xi + 0.2, value, f"{value:.3f}", ha="center", va="bottom", fontsize=11)
    ax_models.set_xticks(x, [f"model {n}" for n in names])
    ax_models.set_ylim(0, 1.15)
    ax_models.set_ylabel("accuracy (plain bars)")
    twin.set_ylim(0, max(loss) * 1.3)
    twin.set_ylabel("cross-entropy (hatched bars)")
    twin.grid(False)
    ax_models.set_title("Imagined: 9 of 10 right, both", fontsize=11.5)

    split = "validation" if cmp.split == "val" else "training"
    longest = max(cmp.entries, key=lambda e: e.run.epochs_run)
    for index, entry in enumerate(cmp.entries):
        history = entry.run.history
        epochs = history.column("epoch")
        style = run_style(index)
        for ax, metric in ((ax_accuracy, "accuracy"), (ax_loss, "log_loss")):
            values = _finite_or_nan(history.column(f"{cmp.split}_{metric}"))
            prefix = entry is not longest and _is_prefix(entry.run, longest.run)
            if not prefix:
                ax.plot(epochs, values, **style, lw=2.2, ms=5,
                        markevery=markevery(len(epochs), index, len(cmp.entries)), label=entry.name)
            ax.plot([epochs[-1]], [values[-1]], marker=style["marker"], ms=12, color=style["color"], mec="black",
                    ls="none", zorder=6, label=f"{entry.name}: ends at epoch {int(epochs[-1])}"
                    + (" (its line lies under the longer run's)" if prefix else ""))
    ax_accuracy.set_title(f"Real runs: {split} accuracy", fontsize=11.5)
    ax_accuracy.set_ylabel(f"{split} accuracy")
    ax_loss.set_title(f"Real runs: {split} log loss (cross-entropy)", fontsize=11.5)
    ax_loss.set_ylabel(f"{split} log loss")
    for ax in (ax_accuracy, ax_loss):
        ax.set_xlabel("epoch")
        legend_below(ax, ncols=1, offset=-0.16, fontsize=10)
    holds = cmp.claim is not None and cmp.claim.holds
    fig.suptitle("The same accuracy, a different loss" if holds else
                 "Accuracy and loss of the real runs: on this seed they do not show the lesson", fontweight="bold")
    return fig


def _is_prefix(short, long):
    """True when the shorter run's history is exactly the first epochs of the longer one."""
    a, b = short.history.column("val_loss"), long.history.column("val_loss")
    return a.size <= b.size and np.array_equal(a, b[:a.size], equal_nan=True)


@_styled
def learning_rates(cmp, limit):
    """Left: each rate's training cost per epoch (log scale; a diverged run is drawn until it leaves the
    axes). Right: the rates on one axis, with the stability limit 2/lambda_max between them."""
    fig = _figure(14.0, 5.4)
    ax_cost, ax_rates = fig.subplots(1, 2, width_ratios=[1.4, 1])
    finite_costs = []
    for index, entry in enumerate(cmp.entries):
        history = entry.run.history
        costs = _finite_or_nan(history.column("train_loss"))
        finite_costs.append(costs[np.isfinite(costs)])
    shown = np.concatenate(finite_costs)
    low = max(float(shown.min()) / 2, 1e-300)
    top = min(float(shown.max()) * 2, low * 1e6)
    for index, entry in enumerate(cmp.entries):
        history = entry.run.history
        costs = np.minimum(_finite_or_nan(history.column("train_loss")), top * 10)
        label = f"{entry.name}" + (" (diverged)" if entry.run.status == "diverged" else "")
        ax_cost.plot(history.column("epoch"), costs, **run_style(index), markevery=markevery(len(costs)), lw=2.2,
                     label=label)
    ax_cost.set_yscale("log")
    ax_cost.set_ylim(low, top)
    ax_cost.set_xlabel("epoch")
    ax_cost.set_ylabel("training cost (log scale)")
    ax_cost.set_title("The cost of each learning rate", fontsize=11.5)
    legend_below(ax_cost, ncols=3)

    rates = [entry.run.config.lr for entry in cmp.entries]
    ax_rates.axvspan(min(rates + [limit]) / 3, limit, color=PALETTE["bluish green"], alpha=0.12)
    ax_rates.axvspan(limit, max(rates + [limit]) * 3, color=PALETTE["vermillion"], alpha=0.12)
    ax_rates.axvline(limit, color="black", lw=2, ls="--")
    ax_rates.text(limit, 0.95, f"2/λmax = {limit:.3g} ", ha="right", va="top", fontsize=11)
    ax_rates.text(0.02, 0.06, "converges", transform=ax_rates.transAxes, fontsize=11)
    ax_rates.text(0.98, 0.06, "diverges", transform=ax_rates.transAxes, fontsize=11, ha="right")
    for index, entry in enumerate(cmp.entries):
        diverged = entry.run.status == "diverged"
        ax_rates.plot([entry.run.config.lr], [0.5], marker="X" if diverged else run_style(index)["marker"], ms=16,
                      color=run_style(index)["color"], mec="black", ls="none")
        right = entry.run.config.lr > limit  # labels sit on the far side from the limit's line
        ax_rates.annotate(f"lr {entry.run.config.lr:g}\n{entry.run.status}", (entry.run.config.lr, 0.5),
                          xytext=(14 if right else -14, 0), textcoords="offset points",
                          ha="left" if right else "right", va="center", fontsize=10)
    ax_rates.set_xscale("log")
    ax_rates.set_xlim(min(rates + [limit]) / 3, max(rates + [limit]) * 3)
    ax_rates.set_ylim(0, 1)
    ax_rates.set_yticks([])
    ax_rates.grid(False)
    ax_rates.set_xlabel("learning rate (log scale)")
    ax_rates.set_title("The rates and the limit computed from the data", fontsize=11.5)
    fig.suptitle("The learning rate: too small, good, too large", fontweight="bold")
    return fig
