"""Evaluation metrics: what a person reads, as opposed to the cost the optimizer minimises.

Regression, with residual r = prediction - y over n rows:

    mse  = (1/n) sum r^2          rmse = sqrt(mse)
    mae  = (1/n) sum |r|          r2   = 1 - sum r^2 / sum (y - mean y)^2  (NaN for one row)

Classification, from the logits z (the label is 1 when p = σ(z) ≥ t, the
decision threshold, 0.5 unless set — computed as z ≥ log(t / (1 − t)), which is
z ≥ 0 at 0.5 — or the largest logit for several classes):

    accuracy  = correct / n
    precision = TP / (TP + FP)     recall = TP / (TP + FN)
    f1        = 2 TP / (2 TP + FP + FN)
    balanced_accuracy = the mean over the classes present in y of each class's recall
    log_loss  = -(1/n) sum log p_y  (the cross-entropy, computed from the logits)

Binary tasks score the positive class 1. Several classes are macro averaged:
the mean of the per-class scores over every class present in y or in the
predictions. A ratio whose denominator is zero counts as 0. These are the
definitions of scikit-learn's ``r2_score`` (with ``force_finite``),
``precision_score``, ``recall_score``, ``f1_score``, ``balanced_accuracy_score``
and ``log_loss``. The end-of-run view of a classifier (confusion matrix, ROC,
calibration) is in ``evaluation.py``.
"""

import numpy as np

from lossplay.functions import binary_cross_entropy, logit, softmax_cross_entropy

REGRESSION = ("mse", "rmse", "mae", "r2")
CLASSIFICATION = ("accuracy", "precision", "recall", "f1", "balanced_accuracy", "log_loss")


def names(task):
    """The metric names recorded for a task, in order."""
    return REGRESSION if task == "regression" else CLASSIFICATION


def totals(task, y):
    """What a split's metrics need of its targets alone, computed once: the total sum of squares
    sum (y - mean y)^2 (the denominator of R²) for regression, the mask y == 1 for a binary task."""
    if task == "regression":
        centred = y - y.mean()
        return float(np.dot(centred, centred))
    if task == "binary":
        return y == 1
    return None


def regression(y, prediction, sst=None, work=None, mse=None):
    """mse, rmse, mae and r2 of a prediction against targets y.

    ``sst`` is the targets' total sum of squares when already known; ``work``
    an array of y's shape to compute the residual in; ``mse`` the mean squared
    error when already known (it is the cost of the MSE loss).
    """
    if sst is None:
        sst = totals("regression", y)
    return regression_of_residual(np.subtract(prediction, y, out=work), sst, mse)


def regression_of_residual(r, sst, mse=None):
    """The regression metrics from the residual r = prediction - y (r is overwritten)."""
    n = r.shape[0]
    sse = float(np.dot(r, r)) if mse is None else mse * n
    if n < 2:
        r2 = float("nan")  # undefined for a single row
    elif sst > 0:
        r2 = 1.0 - sse / sst
    else:
        r2 = 1.0 if sse == 0 else 0.0
    return {
        "mse": sse / n,
        "rmse": float(np.sqrt(sse / n)),
        "mae": float(np.abs(r, out=r).sum()) / n,
        "r2": r2,
    }


def _ratio(numerator, denominator):
    return np.divide(numerator, denominator, out=np.zeros_like(numerator, dtype=float), where=denominator > 0)


def classification(y, z, log_loss=None, actual=None, threshold=0.5):
    """accuracy, precision, recall, f1, balanced_accuracy and log_loss of logits z against integer labels y.

    z has shape (n,) for a binary task (the logit of class 1) or (n, k). Pass
    ``log_loss`` when it is already known (it is the cost of a cross-entropy
    loss) and, for a binary task, ``actual`` = (y == 1) when it is; ``threshold``
    is the binary decision threshold t on p = σ(z).
    """
    if z.ndim == 1:
        return _binary(y, z, log_loss, actual, threshold)
    k = z.shape[1]
    predicted = np.argmax(z, axis=1)
    if log_loss is None:
        log_loss = float(np.mean(softmax_cross_entropy(z, y)))
    true_counts = np.bincount(y, minlength=k)
    predicted_counts = np.bincount(predicted, minlength=k)
    present = (true_counts + predicted_counts) > 0
    tp = np.bincount(y[predicted == y], minlength=k)[present].astype(float)
    fp = predicted_counts[present] - tp
    fn = true_counts[present] - tp
    in_y = true_counts[present] > 0
    balanced = float(np.mean(tp[in_y] / true_counts[present][in_y]))
    return _scores(float(tp.sum()) / y.shape[0], tp, fp, fn, balanced, log_loss)


def _binary(y, z, log_loss, actual=None, threshold=0.5):
    """Binary metrics from three counts: predicted positives, actual positives and their overlap.

    ``actual`` is the mask y == 1 when already known (it never changes during training).
    """
    if log_loss is None:
        log_loss = float(np.mean(binary_cross_entropy(z, y)))
    predicted = z >= logit(threshold)
    if actual is None:
        actual = y == 1
    said, really = np.count_nonzero(predicted), np.count_nonzero(actual)
    hits = np.count_nonzero(np.logical_and(predicted, actual, out=predicted))
    n = y.shape[0]
    negatives_right = n - said - really + hits  # TN
    accuracy = (negatives_right + hits) / n
    recalls = [hits / really] if really else []
    if n - really:
        recalls.append(negatives_right / (n - really))
    tp, fp, fn = (np.array([count], dtype=float) for count in (hits, said - hits, really - hits))
    return _scores(accuracy, tp, fp, fn, float(np.mean(recalls)), log_loss)


def _scores(accuracy, tp, fp, fn, balanced_accuracy, log_loss):
    """The metrics from per-class counts (one class for a binary task), macro averaged."""
    return {
        "accuracy": float(accuracy),
        "precision": float(np.mean(_ratio(tp, tp + fp))),
        "recall": float(np.mean(_ratio(tp, tp + fn))),
        "f1": float(np.mean(_ratio(2 * tp, 2 * tp + fp + fn))),
        "balanced_accuracy": float(balanced_accuracy),
        "log_loss": log_loss,
    }


def compute(task, y, z, known=None, fixed=None, work=None, residual=None, threshold=0.5):
    """The metrics of ``task`` for raw outputs z (predictions for regression, logits otherwise).

    ``known`` holds metrics already computed elsewhere ({"mse": ...} or
    {"log_loss": ...}); ``fixed`` is ``totals(task, y)``, when already computed;
    ``threshold`` the binary decision threshold.
    """
    known = known or {}
    if task == "regression":
        if residual is not None:
            return regression_of_residual(residual, fixed if fixed is not None else totals(task, y),
                                          known.get("mse"))
        return regression(y, z, fixed, work, known.get("mse"))
    return classification(y, z, known.get("log_loss"), fixed, threshold)

