"""Evaluation metrics: what a person reads, as opposed to the cost the optimizer minimises.

Regression, with residual r = prediction - y over n rows:

    mse  = (1/n) sum r^2          rmse = sqrt(mse)
    mae  = (1/n) sum |r|          r2   = 1 - sum r^2 / sum (y - mean y)^2  (NaN for one row)

Classification, from the logits z (the label is 1 when z > 0, or the largest
logit for several classes):

    accuracy  = correct / n
    precision = TP / (TP + FP)     recall = TP / (TP + FN)
    f1        = 2 TP / (2 TP + FP + FN)
    log_loss  = -(1/n) sum log p_y  (the cross-entropy, computed from the logits)

Binary tasks score the positive class 1. Several classes are macro averaged:
the mean of the per-class scores over every class present in y or in the
predictions. A ratio whose denominator is zero counts as 0. These are the
definitions of scikit-learn's ``r2_score`` (with ``force_finite``),
``precision_score``, ``recall_score``, ``f1_score`` and ``log_loss``.
"""

import numpy as np

from lossplay.functions import binary_cross_entropy, softmax_cross_entropy

REGRESSION = ("mse", "rmse", "mae", "r2")
CLASSIFICATION = ("accuracy", "precision", "recall", "f1", "log_loss")


def names(task):
    """The metric names recorded for a task, in order."""
    return REGRESSION if task == "regression" else CLASSIFICATION


def regression(y, prediction):
    """mse, rmse, mae and r2 of a prediction against targets y."""
    r = prediction - y
    sse = float(np.dot(r, r))
    n = r.shape[0]
    centred = y - y.mean()
    sst = float(np.dot(centred, centred))
    if n < 2:
        r2 = float("nan")  # undefined for a single row
    elif sst > 0:
        r2 = 1.0 - sse / sst
    else:
        r2 = 1.0 if sse == 0 else 0.0
    return {
        "mse": sse / n,
        "rmse": float(np.sqrt(sse / n)),
        "mae": float(np.abs(r).sum()) / n,
        "r2": r2,
    }


def _ratio(numerator, denominator):
    return np.divide(numerator, denominator, out=np.zeros_like(numerator, dtype=float), where=denominator > 0)


def classification(y, z):
    """accuracy, precision, recall, f1 and log_loss of logits z against integer labels y.

    z has shape (n,) for a binary task (the logit of class 1) or (n, k).
    """
    if z.ndim == 1:
        predicted = (z > 0).astype(np.int64)
        log_loss = float(np.mean(binary_cross_entropy(z, y)))
        positive = predicted == 1
        actual = y == 1
        tp = np.array([np.count_nonzero(positive & actual)], dtype=float)
        fp = np.array([np.count_nonzero(positive & ~actual)], dtype=float)
        fn = np.array([np.count_nonzero(~positive & actual)], dtype=float)
    else:
        k = z.shape[1]
        predicted = np.argmax(z, axis=1)
        log_loss = float(np.mean(softmax_cross_entropy(z, y)))
        true_counts = np.bincount(y, minlength=k)
        predicted_counts = np.bincount(predicted, minlength=k)
        present = (true_counts + predicted_counts) > 0
        tp = np.bincount(y[predicted == y], minlength=k)[present].astype(float)
        fp = predicted_counts[present] - tp
        fn = true_counts[present] - tp
    return {
        "accuracy": float(np.mean(predicted == y)),
        "precision": float(np.mean(_ratio(tp, tp + fp))),
        "recall": float(np.mean(_ratio(tp, tp + fn))),
        "f1": float(np.mean(_ratio(2 * tp, 2 * tp + fp + fn))),
        "log_loss": log_loss,
    }


def compute(task, y, z):
    """The metrics of ``task`` for raw outputs z (predictions for regression, logits otherwise)."""
    if task == "regression":
        return regression(y, z)
    return classification(y, z)


def confusion_matrix(y, predicted, n_classes):
    """counts[i, j] = number of rows of true class i predicted as class j."""
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (y, predicted), 1)
    return counts
