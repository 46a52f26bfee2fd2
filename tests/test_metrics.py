"""Metrics against their definitions, on cases small enough to count by hand."""

import numpy as np
import pytest

from lossplay import evaluation, metrics


def test_regression_metrics_by_hand():
    y = np.array([1.0, 2.0, 3.0, 4.0])
    prediction = np.array([1.5, 2.0, 2.0, 5.0])  # residuals 0.5, 0, -1, 1
    m = metrics.regression(y, prediction)
    assert m["mse"] == pytest.approx((0.25 + 0 + 1 + 1) / 4)
    assert m["rmse"] == pytest.approx(np.sqrt(2.25 / 4))
    assert m["mae"] == pytest.approx(2.5 / 4)
    # sum of squares about the mean 2.5: 2.25 + 0.25 + 0.25 + 2.25 = 5
    assert m["r2"] == pytest.approx(1 - 2.25 / 5)


def test_r2_of_a_constant_target_follows_the_finite_convention():
    y = np.full(3, 2.0)
    assert metrics.regression(y, y.copy())["r2"] == 1.0
    assert metrics.regression(y, y + 1)["r2"] == 0.0


def test_binary_metrics_by_hand():
    y = np.array([1, 1, 1, 0, 0, 0, 0, 1])
    z = np.array([2.0, 0.5, -1.0, -3.0, 0.2, -0.1, -2.0, 3.0])  # predicted 1 1 0 0 1 0 0 1
    m = metrics.classification(y, z)
    # TP = 3 (rows 0, 1, 7), FP = 1 (row 4), FN = 1 (row 2), TN = 3
    assert m["accuracy"] == pytest.approx(6 / 8)
    assert m["precision"] == pytest.approx(3 / 4)
    assert m["recall"] == pytest.approx(3 / 4)
    assert m["f1"] == pytest.approx(0.75)
    p = 1 / (1 + np.exp(-z))
    assert m["log_loss"] == pytest.approx(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)), rel=1e-12)


def test_a_row_is_positive_when_p_reaches_the_threshold():
    """p ≥ t is positive (the course exercises' predict: sigmoid(X θ) ≥ 0.5), so a logit of exactly 0 is class 1."""
    assert metrics.classification(np.array([1]), np.array([0.0]))["accuracy"] == 1.0
    z = np.array([np.log(0.7 / 0.3), np.log(0.7 / 0.3) - 1e-9])
    assert metrics.classification(np.array([1, 1]), z, threshold=0.7)["recall"] == 0.5


def test_binary_metrics_with_no_predicted_positives_count_zero():
    m = metrics.classification(np.array([1, 0, 1]), np.array([-1.0, -1.0, -1.0]))
    assert m["precision"] == 0.0 and m["recall"] == 0.0 and m["f1"] == 0.0
    assert m["accuracy"] == pytest.approx(1 / 3)


def test_multiclass_macro_average_by_hand():
    y = np.array([0, 0, 1, 1, 2, 2])
    predicted = np.array([0, 1, 1, 1, 0, 2])
    z = np.eye(3)[predicted] * 5.0
    m = metrics.classification(y, z)
    # class 0: TP 1, FP 1, FN 1 -> P 1/2, R 1/2, F1 1/2
    # class 1: TP 2, FP 1, FN 0 -> P 2/3, R 1,   F1 4/5
    # class 2: TP 1, FP 0, FN 1 -> P 1,   R 1/2, F1 2/3
    assert m["accuracy"] == pytest.approx(4 / 6)
    assert m["precision"] == pytest.approx((1 / 2 + 2 / 3 + 1) / 3)
    assert m["recall"] == pytest.approx((1 / 2 + 1 + 1 / 2) / 3)
    assert m["f1"] == pytest.approx((1 / 2 + 4 / 5 + 2 / 3) / 3)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    assert m["log_loss"] == pytest.approx(-np.mean(logp[np.arange(6), y]), rel=1e-12)


def test_macro_average_skips_a_class_absent_from_truth_and_predictions():
    y = np.array([0, 0, 2, 2])
    z = np.eye(4)[np.array([0, 2, 2, 2])]  # class 1 and 3 never appear
    m = metrics.classification(y, z)
    # class 0: P 1, R 1/2;  class 2: P 2/3, R 1
    assert m["precision"] == pytest.approx((1 + 2 / 3) / 2)
    assert m["recall"] == pytest.approx((1 / 2 + 1) / 2)


def test_confusion_matrix_counts():
    counts = evaluation.confusion_matrix(np.array([0, 0, 1, 2]), np.array([0, 1, 1, 0]), 3)
    np.testing.assert_array_equal(counts, [[1, 1, 0], [0, 1, 0], [1, 0, 0]])


def test_names_follow_the_task():
    assert metrics.names("regression") == ("mse", "rmse", "mae", "r2")
    assert metrics.names("multiclass") == ("accuracy", "precision", "recall", "f1", "balanced_accuracy", "log_loss")


def test_r2_of_a_single_row_is_undefined():
    assert np.isnan(metrics.regression(np.array([1.0]), np.array([2.0]))["r2"])
