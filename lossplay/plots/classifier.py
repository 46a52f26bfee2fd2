"""The classifier's pictures: a metric per epoch beside the loss curve, and classifier.png — the confusion
matrix, and for a binary task the ROC and precision-recall curves and the reliability diagram.

Everything is read from the run: its history for the metric curves, ``Run.evaluation`` and
``lossplay.evaluation`` for the rest, on the validation split when there is one.
"""

import numpy as np

from lossplay.plots import (
    PALETTE,
    TRAIN_COLOR,
    TRAIN_STYLE,
    VAL_COLOR,
    VAL_STYLE,
    _figure,
    _styled,
    legend_below,
    markevery,
)
from lossplay.plots.legibility import overlap_note, overlapping

METRIC_TITLES = {"accuracy": "accuracy", "precision": "precision", "recall": "recall", "f1": "F1",
                 "balanced_accuracy": "balanced accuracy"}
THRESHOLD_COLOR = PALETTE["vermillion"]


def draw_metric(ax, run):
    """The chosen metric (``--metric``) of the training and validation splits per epoch."""
    metric = run.config.metric
    history = run.history
    epochs = history.column("epoch")
    title = METRIC_TITLES[metric]
    count = len(epochs)
    train = history.column(f"train_{metric}")
    ax.plot(epochs, train, **TRAIN_STYLE, lw=2.2, ms=5, markevery=markevery(count, 0, 2), label=f"training {title}")
    curves = [(f"training {title}", train)]
    val = history.column(f"val_{metric}")
    if np.isfinite(val).any():
        ax.plot(epochs, val, **VAL_STYLE, lw=2.2, ms=5, markevery=markevery(count, 1, 2), label=f"validation {title}")
        curves.append((f"validation {title}", val))
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlim(epochs[0], max(epochs[-1], 1))
    ax.set_xlabel("epoch")
    ax.set_ylabel(title)
    threshold = f" (p ≥ {run.config.threshold:g} is class 1)" if run.data.task == "binary" else ""
    ax.set_title(f"{title[0].upper()}{title[1:]} per epoch{threshold}", fontsize=11)
    legend_below(ax, overlap_note(overlapping(curves, *ax.get_ylim())), ncols=1, offset=-0.16)


@_styled
def classifier(run):
    """The confusion matrix of the validation split (training without one) and, for a binary task, the
    ROC curve, the precision-recall curve and the reliability diagram, the threshold marked on each."""
    from lossplay.evaluation import probabilities

    split = run.judged_split
    data = run.data
    y, z = run.outputs(split)
    evaluation = run.evaluation(split)
    words = "validation" if split == "val" else "training"
    if evaluation is None:  # parameters that are not finite classify nothing
        fig = _figure(9.0, 4.0)
        ax = fig.add_subplot()
        ax.axis("off")
        ax.text(0.5, 0.5, f"The run {run.status}: its parameters are not finite numbers,\nso it classifies no row.",
                ha="center", va="center", fontsize=14)
        return fig
    names = list(data.classes or [str(c) for c in range(data.n_classes)])
    if data.task == "binary":
        fig = _figure(13.0, 11.0)
        (ax_roc, ax_pr), (ax_rel, ax_cm) = fig.subplots(2, 2)
        p = probabilities(z)
        _roc(ax_roc, y, z, evaluation, run.config.threshold)
        _precision_recall(ax_pr, y, z, evaluation, run.config.threshold)
        _reliability(ax_rel, y, p, evaluation)
    else:
        fig = _figure(13.0, 6.0)
        ax_cm, ax_bars = fig.subplots(1, 2)
        _per_class(ax_bars, evaluation, names)
    _confusion(ax_cm, np.array(evaluation["confusion_matrix"]), names)
    fig.suptitle(f"The classifier on its {len(y)} {words} rows", fontweight="bold")
    return fig


def _threshold_point(confusion):
    """(FPR, TPR, precision, recall) of the threshold's predictions, read from the binary confusion matrix
    run.json records (a precision over no predicted row is 0, as there)."""
    (tn, fp), (fn, tp) = np.asarray(confusion)
    return (fp / (tn + fp) if tn + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0,
            tp / (tp + fp) if tp + fp else 0.0, tp / (tp + fn) if tp + fn else 0.0)


def _roc(ax, y, z, evaluation, threshold):
    from lossplay.evaluation import roc_curve

    ax.plot([0, 1], [0, 1], color="0.5", ls=":", lw=1.5, label="guessing (area 0.5)")
    if evaluation["roc_auc"] is None:
        _one_class(ax)
    else:
        fpr, tpr, _ = roc_curve(y, z)
        ax.plot(fpr, tpr, color=TRAIN_COLOR, lw=2.4, drawstyle="default",
                label=f"ROC curve (area {evaluation['roc_auc']:.3f})")
        x, t, _, _ = _threshold_point(evaluation["confusion_matrix"])
        ax.plot([x], [t], "D", color=THRESHOLD_COLOR, ms=11, mec="black", zorder=5, label=f"threshold {threshold:g}")
    ax.set_xlabel("false positive rate: negatives called positive")
    ax.set_ylabel("true positive rate (recall)")
    ax.set_title("ROC: every threshold at once", fontsize=11)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    legend_below(ax, fontsize=10)


def _precision_recall(ax, y, z, evaluation, threshold):
    from lossplay.evaluation import precision_recall_curve

    share = float(np.mean(y == 1))
    ax.axhline(share, color="0.5", ls=":", lw=1.5, label=f"guessing (share of positives {share:.2f})")
    if evaluation["average_precision"] is None:
        _one_class(ax)
    else:
        precision, recall, _ = precision_recall_curve(y, z)
        area = evaluation["average_precision"]
        ax.plot(np.r_[0.0, recall], np.r_[precision[0], precision], color=TRAIN_COLOR, lw=2.4,
                drawstyle="steps-pre", label=f"precision-recall (average precision {area:.3f})")
        _, _, prec, rec = _threshold_point(evaluation["confusion_matrix"])
        ax.plot([rec], [prec], "D", color=THRESHOLD_COLOR, ms=11, mec="black", zorder=5,
                label=f"threshold {threshold:g}")
    ax.set_xlabel("recall: positives found")
    ax.set_ylabel("precision: called positive and right")
    ax.set_title("Precision against recall", fontsize=11)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.05)
    legend_below(ax, ncols=1, fontsize=10)


def _reliability(ax, y, p, evaluation):
    from lossplay.evaluation import calibration

    result = calibration(y, p)
    used = result.counts > 0
    centres = (result.edges[:-1] + result.edges[1:]) / 2
    ax.plot([0, 1], [0, 1], color="0.5", ls=":", lw=1.5, label="calibrated: as often as predicted")
    ax.bar(centres[used], result.frequency[used], width=0.09, color=VAL_COLOR, alpha=0.55, edgecolor="black",
           hatch="//", label="share of positives in the bin")
    ax.plot(result.confidence[used], result.frequency[used], "o-", color=TRAIN_COLOR, lw=2, ms=7,
            label="mean predicted p against the share")
    for x, height, count in zip(centres[used], result.frequency[used], result.counts[used]):
        ax.annotate(f"{count}", (x, height), xytext=(0, 4), textcoords="offset points", ha="center", fontsize=10,
                    color="0.3")
    ax.set_xlabel("predicted probability of class 1 (bins of 0.1)")
    ax.set_ylabel("share of class 1 among those rows")
    ax.set_title(f"Reliability: expected calibration error {evaluation['ece']:.3f} (rows per bin on top)",
                 fontsize=11)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.08)
    legend_below(ax, ncols=1, fontsize=10)


def _confusion(ax, counts, names):
    """Counts, and the share of each true class's rows, in each cell; rows are the true class."""
    totals = counts.sum(axis=1, keepdims=True)
    rates = np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0)
    ax.imshow(rates, cmap="Blues", vmin=0, vmax=1)
    for (i, j), count in np.ndenumerate(counts):
        ax.text(j, i, f"{count}\n{rates[i, j]:.0%}", ha="center", va="center", fontsize=12,
                color="white" if rates[i, j] > 0.6 else "black", fontweight="bold" if i == j else "normal")
    ax.set_xticks(range(len(names)), [_short(n) for n in names])
    ax.set_yticks(range(len(names)), [_short(n) for n in names])
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title("Confusion matrix: rows · share of the true class's rows", fontsize=11)
    ax.grid(False)


def _per_class(ax, evaluation, names):
    """Each class's precision and recall as bars; a share of no row (a class never predicted, or without
    rows) has no bar and is marked —."""
    x = np.arange(len(names))
    counts = np.array(evaluation["confusion_matrix"])
    for offset, values, rows, style in (
            (-0.2, evaluation["precision_per_class"], counts.sum(axis=0),
             {"color": TRAIN_COLOR, "label": "precision: called this class and right"}),
            (0.2, evaluation["recall_per_class"], counts.sum(axis=1),
             {"color": VAL_COLOR, "hatch": "//", "label": "recall: rows of this class found"})):
        heights = np.where(rows > 0, values, np.nan)
        ax.bar(x + offset, heights, width=0.4, edgecolor="black", **style)
        for position in x[rows == 0]:
            ax.text(position + offset, 0.02, "—", ha="center", va="bottom", fontsize=12)
    ax.set_xticks(x, [_short(n) for n in names])
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("share")
    ax.set_title("Each class's precision and recall", fontsize=11)
    legend_below(ax, ncols=1, offset=-0.12, fontsize=10)


def _one_class(ax):
    ax.text(0.5, 0.5, "only one class among these rows:\nno curve to draw", ha="center", va="center",
            transform=ax.transAxes, fontsize=12, color="0.3")


def _short(name, width=12):
    name = str(name)
    return name if len(name) <= width else name[: width - 1] + "…"
