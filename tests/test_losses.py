"""Each loss: hand-worked values, derivatives against central differences, stability at extremes."""

import numpy as np
import pytest

from lossplay.functions import logsumexp, sigmoid, softmax, softplus
from lossplay.losses import LOSSES, BinaryCrossEntropy, CategoricalCrossEntropy, Huber, make_loss

from conftest import central_difference

rng = np.random.default_rng(7)


def sample(name, n=6, k=3):
    """Raw outputs z and targets y fitting the loss's task."""
    task = LOSSES[name].task
    if task == "regression":
        return rng.normal(0, 2, n), rng.normal(0, 2, n)
    if task == "binary":
        return rng.normal(0, 2, n), rng.integers(0, 2, n)
    return rng.normal(0, 2, (n, k)), rng.integers(0, k, n)


LOSS_CASES = [make_loss(name) for name in LOSSES] + [Huber(delta=0.3), Huber(delta=5.0)]


@pytest.mark.parametrize("loss", LOSS_CASES, ids=repr)
def test_derivative_matches_central_difference(loss):
    z, y = sample(loss.name)
    if loss.name in ("mae", "huber"):
        # keep residuals away from the kinks, where a difference quotient straddles two pieces
        z = np.where(np.abs(np.abs(z - y) - getattr(loss, "delta", 0.0)) < 1e-3, z + 0.01, z)
        z = np.where(np.abs(z - y) < 1e-3, z + 0.01, z)
    numeric = central_difference(lambda v: loss.losses(v, y).sum(), z)
    np.testing.assert_allclose(loss.derivative(z, y), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("loss", LOSS_CASES, ids=repr)
def test_cost_is_mean_of_losses_and_shares_work_correctly(loss):
    z, y = sample(loss.name, n=9)
    cost, dz = loss.cost_and_derivative(z.copy(), y)
    assert cost == pytest.approx(np.mean(loss.losses(z, y)), rel=1e-12)
    assert loss.cost(z, y) == pytest.approx(cost, rel=1e-12)
    np.testing.assert_allclose(dz, loss.derivative(z, y), rtol=1e-12)


def test_hand_worked_regression_values():
    z = np.array([3.0, 0.5, -1.0])
    y = np.array([1.0, 0.5, 2.0])  # residuals 2, 0, -3
    assert make_loss("mse").cost(z, y) == pytest.approx((4 + 0 + 9) / 3)
    assert make_loss("mae").cost(z, y) == pytest.approx((2 + 0 + 3) / 3)
    np.testing.assert_allclose(make_loss("mse").derivative(z, y), [4.0, 0.0, -6.0])
    np.testing.assert_allclose(make_loss("mae").derivative(z, y), [1.0, 0.0, -1.0])
    huber = Huber(delta=1.5)
    # |r| = 2 > 1.5: 1.5 * (2 - 0.75) = 1.875;  r = 0: 0;  |r| = 3: 1.5 * (3 - 0.75) = 3.375
    np.testing.assert_allclose(huber.losses(z, y), [1.875, 0.0, 3.375])
    np.testing.assert_allclose(huber.derivative(z, y), [1.5, 0.0, -1.5])
    np.testing.assert_allclose(Huber(delta=10).losses(z, y), [2.0, 0.0, 4.5])  # all quadratic: r^2 / 2


def test_mae_derivative_is_zero_at_zero_residual():
    assert make_loss("mae").derivative(np.array([2.0]), np.array([2.0]))[0] == 0.0


def test_huber_is_continuous_with_continuous_slope_at_delta():
    huber = Huber(delta=0.7)
    y = np.zeros(2)
    for r in (0.7, -0.7):
        left, right = np.array([r * (1 - 1e-9)] * 2), np.array([r * (1 + 1e-9)] * 2)
        assert huber.losses(left, y)[0] == pytest.approx(huber.losses(right, y)[0], abs=1e-9)
        assert huber.derivative(left, y)[0] == pytest.approx(huber.derivative(right, y)[0], abs=1e-8)


def test_huber_rejects_a_non_positive_delta():
    with pytest.raises(ValueError):
        Huber(delta=0.0)


def test_hand_worked_binary_cross_entropy():
    z = np.array([0.0, np.log(3.0), -np.log(3.0)])  # p = 1/2, 3/4, 1/4
    y = np.array([1, 1, 1])
    np.testing.assert_allclose(BinaryCrossEntropy().losses(z, y), [np.log(2), np.log(4 / 3), np.log(4)])
    np.testing.assert_allclose(BinaryCrossEntropy().derivative(z, y), [-0.5, -0.25, -0.75])


def test_hand_worked_categorical_cross_entropy():
    z = np.array([[np.log(2.0), 0.0, 0.0]])  # p = [1/2, 1/4, 1/4]
    loss = CategoricalCrossEntropy()
    np.testing.assert_allclose(loss.losses(z, np.array([1])), [np.log(4)])
    np.testing.assert_allclose(loss.derivative(z, np.array([1])), [[0.5, -0.75, 0.25]])


def test_two_class_cce_equals_bce_of_the_logit_difference():
    z = rng.normal(0, 3, (20, 2))
    y = rng.integers(0, 2, 20)
    np.testing.assert_allclose(CategoricalCrossEntropy().losses(z, y),
                               BinaryCrossEntropy().losses(z[:, 1] - z[:, 0], y), rtol=1e-12)


@pytest.mark.parametrize("z", [1e4, -1e4, 745.0, -745.0, 40.0, -40.0])
def test_cross_entropy_is_finite_and_exact_at_extreme_logits(z):
    bce = BinaryCrossEntropy()
    zs = np.array([z])
    loss_if_1 = bce.losses(zs, np.array([1]))[0]
    loss_if_0 = bce.losses(zs, np.array([0]))[0]
    assert np.isfinite(loss_if_1) and np.isfinite(loss_if_0)
    # the wrong label costs |z| (plus a negligible log1p term); the right one costs about exp(-|z|)
    assert max(loss_if_1, loss_if_0) == pytest.approx(abs(z), rel=1e-12)
    assert min(loss_if_1, loss_if_0) == pytest.approx(np.exp(-abs(z)), rel=1e-9)
    d = bce.derivative(zs, np.array([1]))[0]
    assert np.isfinite(d) and -1.0 <= d <= 0.0
    logits = np.array([[z, 0.0, -z]])
    cce = CategoricalCrossEntropy()
    assert np.isfinite(cce.losses(logits, np.array([2]))).all()
    assert np.isfinite(cce.derivative(logits, np.array([2]))).all()


def test_stable_functions_agree_with_naive_forms_where_those_are_safe():
    z = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-12)
    np.testing.assert_allclose(softplus(z), np.log1p(np.exp(z)), rtol=1e-12)
    m = rng.normal(0, 5, (4, 3))
    np.testing.assert_allclose(logsumexp(m), np.log(np.exp(m).sum(axis=1)), rtol=1e-12)
    np.testing.assert_allclose(softmax(m), np.exp(m) / np.exp(m).sum(axis=1, keepdims=True), rtol=1e-12)
    assert sigmoid(np.array([-800.0]))[0] == 0.0 and sigmoid(np.array([800.0]))[0] == 1.0


def test_regression_losses_stay_finite_for_large_targets():
    z, y = np.zeros(3), np.array([1e8, -1e8, 3.0])
    for name in ("mse", "mae", "huber"):
        loss = make_loss(name)
        assert np.isfinite(loss.cost(z, y)) and np.isfinite(loss.derivative(z, y)).all()


def test_cross_entropy_keeps_tiny_losses_of_confident_right_answers():
    assert BinaryCrossEntropy().losses(np.array([40.0]), np.array([1]))[0] == pytest.approx(np.exp(-40.0), rel=1e-12)
    assert BinaryCrossEntropy().losses(np.array([30.0]), np.array([1]))[0] == pytest.approx(np.log1p(np.exp(-30.0)),
                                                                                           rel=1e-12)
    z = np.array([[40.0, 0.0]])
    assert CategoricalCrossEntropy().losses(z, np.array([0]))[0] == pytest.approx(np.exp(-40.0), rel=1e-12)


def test_huber_does_not_overflow_for_huge_residuals():
    with np.errstate(all="raise"):
        assert Huber(delta=1.0).losses(np.array([1e200]), np.array([0.0]))[0] == pytest.approx(1e200)
