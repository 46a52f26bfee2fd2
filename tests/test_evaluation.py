"""A classifier's end-of-run view against hand-worked values and the definitions."""

import itertools
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lossplay
from lossplay import evaluation


def test_the_roc_and_pr_areas_of_the_textbook_example():
    """y = 0 0 1 1, scores 0.1 0.4 0.35 0.8: of the 4 (positive, negative) pairs 3 are ordered right, so
    AUC = 3/4; the positives are found at ranks 1 and 3, so AP = ½·1 + ½·(2/3) = 5/6."""
    y, s = np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8])
    assert evaluation.roc_auc(y, s) == pytest.approx(0.75)
    assert evaluation.average_precision(y, s) == pytest.approx(5 / 6)
    fpr, tpr, thresholds = evaluation.roc_curve(y, s)
    np.testing.assert_allclose(fpr, [0, 0, 0.5, 0.5, 1])
    np.testing.assert_allclose(tpr, [0, 0.5, 0.5, 1, 1])
    assert thresholds[0] == np.inf


def test_tied_scores_move_together():
    """y = 1 0 1 0 with scores 0.5 0.5 0.9 0.1: the tie at 0.5 is one step of the curve. Pairs: (0.9 > 0.5,
    0.9 > 0.1, 0.5 = 0.5 counts ½, 0.5 > 0.1) → AUC = 3.5/4; AP = ½·1 + ½·(2/3)."""
    y, s = np.array([1, 0, 1, 0]), np.array([0.5, 0.5, 0.9, 0.1])
    assert evaluation.roc_auc(y, s) == pytest.approx(0.875)
    assert evaluation.average_precision(y, s) == pytest.approx(5 / 6)
    precision, recall, thresholds = evaluation.precision_recall_curve(y, s)
    np.testing.assert_allclose(thresholds, [0.9, 0.5, 0.1])
    np.testing.assert_allclose(precision, [1, 2 / 3, 0.5])
    np.testing.assert_allclose(recall, [0.5, 1, 1])


def _pairwise_auc(y, s):
    pairs = [(p, n) for p, n in itertools.product(s[y == 1], s[y == 0])]
    return np.mean([1.0 if p > n else 0.5 if p == n else 0.0 for p, n in pairs])


def _average_precision_by_definition(y, s):
    """sum over distinct thresholds, highest first, of (recall gained) × (precision there)."""
    total, previous = 0.0, 0.0
    for t in sorted(set(s), reverse=True):
        chosen = s >= t
        recall = np.sum(y[chosen] == 1) / np.sum(y == 1)
        total += (recall - previous) * np.mean(y[chosen] == 1)
        previous = recall
    return total


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 6)), min_size=2, max_size=25))
def test_the_areas_match_their_definitions_with_ties(rows):
    y = np.array([r[0] for r in rows])
    s = np.array([r[1] / 6 for r in rows])  # few distinct values: many ties
    if len(set(y)) < 2:
        assert evaluation.roc_auc(y, s) is None and evaluation.average_precision(y, s) is None
        return
    assert evaluation.roc_auc(y, s) == pytest.approx(_pairwise_auc(y, s), abs=1e-12)
    assert evaluation.average_precision(y, s) == pytest.approx(_average_precision_by_definition(y, s), abs=1e-12)


def test_calibration_error_by_hand():
    """Bins of 0.1: 0.05 and 0.15 each alone (outcomes 0, 1); 0.95 twice (outcomes 1, 1).
    ECE = ¼|0 − 0.05| + ¼|1 − 0.15| + ½|1 − 0.95| = 0.0125 + 0.2125 + 0.025."""
    result = evaluation.calibration(np.array([0, 1, 1, 1]), np.array([0.05, 0.15, 0.95, 0.95]))
    assert result.ece == pytest.approx(0.25)
    assert result.counts.tolist() == [1, 1, 0, 0, 0, 0, 0, 0, 0, 2]
    assert np.isnan(result.frequency[2])
    one = evaluation.calibration(np.array([1]), np.array([1.0]))  # p = 1 falls in the last bin
    assert one.counts[-1] == 1 and one.ece == 0.0


def test_confusion_matrix_per_class_scores_and_balanced_accuracy():
    y = np.array([0, 0, 0, 1, 1, 2])
    predicted = np.array([0, 0, 1, 1, 2, 2])
    confusion = evaluation.confusion_matrix(y, predicted, 3)
    assert confusion.tolist() == [[2, 1, 0], [0, 1, 1], [0, 0, 1]]
    precision, recall = evaluation.per_class(confusion)
    np.testing.assert_allclose(precision, [1, 0.5, 0.5])
    np.testing.assert_allclose(recall, [2 / 3, 0.5, 1])
    assert evaluation.balanced_accuracy(confusion) == pytest.approx((2 / 3 + 0.5 + 1) / 3)
    missing = evaluation.confusion_matrix(np.array([0, 0]), np.array([0, 1]), 2)  # class 1 has no row
    assert evaluation.balanced_accuracy(missing) == 0.5


def test_the_threshold_decides_the_confusion_matrix():
    z = np.log(np.array([0.2, 0.45, 0.55, 0.8]) / (1 - np.array([0.2, 0.45, 0.55, 0.8])))
    y = np.array([0, 1, 0, 1])
    at_half = evaluation.evaluate(y, z, 2)
    assert at_half["confusion_matrix"] == [[1, 1], [1, 1]]
    at_four_tenths = evaluation.evaluate(y, z, 2, threshold=0.4)
    assert at_four_tenths["confusion_matrix"] == [[1, 1], [0, 2]]
    assert at_half["roc_auc"] == at_four_tenths["roc_auc"] == 0.75  # the areas do not depend on it


def test_run_json_records_the_classifiers_view_of_each_split(tmp_path):
    run = lossplay.train(loss="bce", epochs=20, threshold=0.6, out=str(tmp_path / "r"))
    document = json.loads((tmp_path / "r" / "run.json").read_text())
    val = document["metrics"]["val"]
    counts = np.array(val["confusion_matrix"])
    assert counts.sum() == run.data.n_val
    assert val["accuracy"] == pytest.approx(np.trace(counts) / counts.sum())
    assert 0.5 < val["roc_auc"] <= 1 and 0 < val["average_precision"] <= 1 and 0 <= val["ece"] <= 1
    assert set(document["metrics"]["train"]) >= {"confusion_matrix", "roc_auc", "average_precision", "ece"}
    assert document["config"]["threshold"] == 0.6


def test_the_areas_rank_rows_by_their_logits_where_p_rounds_to_one():
    """σ(40) and σ(50) are both exactly 1.0 in float64; the logits still order the rows."""
    out = evaluation.evaluate(np.array([1, 0, 1, 0]), np.array([40.0, 38.0, 50.0, -3.0]), 2)
    assert out["roc_auc"] == 1.0 and out["average_precision"] == 1.0


def test_the_threshold_point_counts_no_predicted_row_as_precision_zero():
    from lossplay.plots.classifier import _threshold_point

    confusion = evaluation.evaluate(np.array([0, 1, 1]), np.array([-3.0, -2.0, -1.0]), 2, 0.9)["confusion_matrix"]
    fpr, tpr, precision, recall = _threshold_point(confusion)
    assert (fpr, tpr, precision, recall) == (0.0, 0.0, 0.0, 0.0)


def test_a_class_without_predictions_shows_no_precision_rather_than_zero():
    from rich.console import Console

    from lossplay.render.training import classifier_block

    run = lossplay.train(dataset="blobs", loss="bce", threshold=0.99, epochs=1, lr=1e-6)
    console = Console(width=80, record=True)
    for part in classifier_block(run):
        console.print(part)
    text = console.export_text()
    precision = [line.split() for line in text.splitlines() if line.startswith("precision")]
    assert precision == [["precision", "50%", "—"]]
