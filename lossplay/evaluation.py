"""A classifier judged at the end of its run: confusion matrix, per-class scores, ROC and precision-recall
curves with their areas, and calibration.

Binary tasks score the positive class 1 with the probability p = σ(z) of each row; a row is predicted
positive when p ≥ t, the decision threshold (0.5 unless ``--threshold``). Several classes take the class
with the largest logit.

    confusion[i, j]    rows of true class i predicted as class j
    recall_c           confusion[c, c] / (rows of true class c)          0 when the class has no row
    precision_c        confusion[c, c] / (rows predicted as class c)     0 when no row is predicted so
    balanced accuracy  the mean of recall_c over the classes present in y

The curves sweep the threshold over every distinct score, highest first: at score s the rows with
a score ≥ s are positive, so rows that tie move together. The score of a row is its logit z, which orders
the rows as p = σ(z) does without p's rounding to exactly 1 for z beyond about 37.

    ROC            TPR = TP / P against FPR = FP / N, from (0, 0) to (1, 1)
    roc_auc        the area under it by the trapezoid rule; equal to the chance that a random positive row
                   scores above a random negative one, a tie counting one half
    precision-recall   precision TP / (TP + FP) against recall TP / P
    average_precision  sum over the thresholds of (R_n − R_(n−1))·P_n: each step of recall weighted by the
                   precision there, no interpolation

These are scikit-learn's ``roc_auc_score`` and ``average_precision_score`` on the same scores; both need
both classes in y (otherwise they are None, and the caller says why).

Calibration (the reliability diagram): the rows are put in B equal-width bins of p over [0, 1] (the last
bin includes 1). In each bin b with n_b rows, the mean predicted probability conf_b and the share of
positive rows freq_b; a calibrated model has freq_b ≈ conf_b.

    ece = sum_b (n_b / n) · |freq_b − conf_b|

For several classes the same is done with the probability of the predicted class and whether it was
right (top-label calibration).
"""

from dataclasses import dataclass

import numpy as np

from lossplay.functions import logit, sigmoid, softmax

CALIBRATION_BINS = 10


def confusion_matrix(y, predicted, n_classes):
    """counts[i, j] = number of rows of true class i predicted as class j."""
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (np.asarray(y, dtype=np.intp), np.asarray(predicted, dtype=np.intp)), 1)
    return counts


def per_class(confusion):
    """(precision, recall) of every class from a confusion matrix; a ratio over zero rows is 0."""
    confusion = np.asarray(confusion, dtype=np.float64)
    hits = np.diag(confusion)
    predicted, actual = confusion.sum(axis=0), confusion.sum(axis=1)
    precision = np.divide(hits, predicted, out=np.zeros_like(hits), where=predicted > 0)
    recall = np.divide(hits, actual, out=np.zeros_like(hits), where=actual > 0)
    return precision, recall


def balanced_accuracy(confusion):
    """The mean recall over the classes that have rows (scikit-learn's ``balanced_accuracy_score``)."""
    confusion = np.asarray(confusion)
    present = confusion.sum(axis=1) > 0
    return float(np.mean(per_class(confusion)[1][present])) if present.any() else 0.0


def _sweep(y, scores):
    """(TP, FP) after each distinct score, highest first: every row scoring at least that is positive."""
    y = np.asarray(y) == 1
    scores = np.asarray(scores, dtype=np.float64)
    order = np.argsort(-scores, kind="mergesort")
    scores, y = scores[order], y[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(scores)), scores.size - 1]
    tp = np.cumsum(y)[last_of_tie].astype(np.float64)
    fp = (last_of_tie + 1) - tp
    return tp, fp, scores[last_of_tie]


def roc_curve(y, scores):
    """(fpr, tpr, thresholds) from (0, 0) to (1, 1); thresholds[0] is +inf (nothing positive)."""
    tp, fp, thresholds = _sweep(y, scores)
    positives, negatives = tp[-1], fp[-1]
    tpr = np.r_[0.0, tp / positives] if positives else np.r_[0.0, np.zeros_like(tp)]
    fpr = np.r_[0.0, fp / negatives] if negatives else np.r_[0.0, np.zeros_like(fp)]
    return fpr, tpr, np.r_[np.inf, thresholds]


def roc_auc(y, scores):
    """The area under the ROC curve, or None when y holds one class only."""
    if not _has_both(y):
        return None
    fpr, tpr, _ = roc_curve(y, scores)
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2.0))


def precision_recall_curve(y, scores):
    """(precision, recall, thresholds), one point per distinct score, highest first."""
    tp, fp, thresholds = _sweep(y, scores)
    precision = tp / (tp + fp)
    recall = tp / tp[-1] if tp[-1] else np.zeros_like(tp)
    return precision, recall, thresholds


def average_precision(y, scores):
    """sum_n (R_n − R_(n−1))·P_n, or None when y holds one class only."""
    if not _has_both(y):
        return None
    precision, recall, _ = precision_recall_curve(y, scores)
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def _has_both(y):
    y = np.asarray(y)
    return bool(np.any(y == 1) and np.any(y != 1))


@dataclass(frozen=True)
class Calibration:
    """A reliability diagram: per bin its edges, rows, mean predicted probability and observed frequency
    (NaN for an empty bin), and the expected calibration error."""

    edges: np.ndarray
    counts: np.ndarray
    confidence: np.ndarray
    frequency: np.ndarray
    ece: float


def calibration(outcome, probability, bins=CALIBRATION_BINS):
    """The ``Calibration`` of predicted probabilities against outcomes (1 when the predicted event happened)."""
    probability = np.asarray(probability, dtype=np.float64)
    outcome = np.asarray(outcome, dtype=np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.searchsorted(edges, probability, side="right") - 1, 0, bins - 1)
    counts = np.bincount(which, minlength=bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        confidence = np.bincount(which, probability, minlength=bins) / counts
        frequency = np.bincount(which, outcome, minlength=bins) / counts
    used = counts > 0
    ece = float(np.sum(counts[used] / probability.size * np.abs(frequency[used] - confidence[used])))
    return Calibration(edges, counts, confidence, frequency, ece)


def probabilities(z):
    """p = σ(z) for a binary task (shape (n,)), softmax(z) for several classes (shape (n, k))."""
    z = np.asarray(z, dtype=np.float64)
    return sigmoid(z) if z.ndim == 1 else softmax(z)


def predictions(z, threshold=0.5):
    """The predicted class of every row: p ≥ threshold (z ≥ logit(threshold)) for a binary task, the largest
    logit otherwise."""
    z = np.asarray(z)
    if z.ndim == 1:
        return (z >= logit(threshold)).astype(np.intp)
    return np.argmax(z, axis=1)


def evaluate(y, z, n_classes, threshold=0.5, bins=CALIBRATION_BINS):
    """What run.json records of a classifier on one split: ``confusion_matrix``, ``balanced_accuracy``,
    per-class ``precision_per_class`` and ``recall_per_class`` (several classes), and for a binary task
    ``roc_auc``, ``average_precision`` and ``ece``."""
    y = np.asarray(y).astype(np.intp)
    predicted = predictions(z, threshold)
    confusion = confusion_matrix(y, predicted, n_classes)
    out = {"confusion_matrix": confusion.tolist(), "balanced_accuracy": balanced_accuracy(confusion)}
    p = probabilities(z)
    if np.ndim(z) == 1:
        # the curves rank the rows by their logits: the same order as p = σ(z), which rounds to 1 beyond z ≈ 37
        out["roc_auc"] = roc_auc(y, z)
        out["average_precision"] = average_precision(y, z)
        out["ece"] = calibration(y, p, bins).ece
    else:
        precision, recall = per_class(confusion)
        out["precision_per_class"] = precision.tolist()
        out["recall_per_class"] = recall.tolist()
        out["ece"] = calibration(predicted == y, p[np.arange(y.size), predicted], bins).ece
    return out
