"""Each loss: hand-worked values, derivatives against central differences, stability at extremes."""

import numpy as np
import pytest

from lossplay.functions import logsumexp, sigmoid, softmax, softplus
from lossplay.losses import (
    LOSSES,
    BinaryCrossEntropy,
    CategoricalCrossEntropy,
    ClassWeighted,
    Focal,
    Hinge,
    Huber,
    LogCosh,
    OnProbability,
    Quantile,
    SmoothL1,
    balanced_weights,
    make_loss,
)

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


LOSS_CASES = [make_loss(name) for name in LOSSES] + [
    Huber(delta=0.3), Huber(delta=5.0), SmoothL1(beta=0.4), Quantile(0.9), Focal(gamma=0.5, alpha=0.3),
    Focal(gamma=0.0)]


@pytest.mark.parametrize("loss", LOSS_CASES, ids=repr)
def test_derivative_matches_central_difference(loss):
    z, y = sample(loss.name)
    if loss.task == "regression":
        # keep residuals away from the kinks, where a difference quotient straddles two pieces
        kink = getattr(loss, "delta", getattr(loss, "beta", 0.0))
        z = np.where(np.abs(np.abs(z - y) - kink) < 1e-3, z + 0.01, z)
        z = np.where(np.abs(z - y) < 1e-3, z + 0.01, z)
    if loss.name == "hinge":
        z = np.where(np.abs(np.abs(z) - 1.0) < 1e-3, z + 0.01, z)
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
    exact = pytest.approx(np.exp(-40.0), rel=1e-12, abs=0)
    assert BinaryCrossEntropy().losses(np.array([40.0]), np.array([1]))[0] == exact
    assert BinaryCrossEntropy().losses(np.array([30.0]), np.array([1]))[0] == pytest.approx(
        np.log1p(np.exp(-30.0)), rel=1e-12, abs=0)
    assert CategoricalCrossEntropy().losses(np.array([[40.0, 0.0]]), np.array([0]))[0] == exact
    assert CategoricalCrossEntropy().losses(np.array([[0.0, 40.0, 0.0]]), np.array([1]))[0] == pytest.approx(
        2 * np.exp(-40.0), rel=1e-12, abs=0)


def test_huber_does_not_overflow_for_huge_residuals():
    with np.errstate(all="raise"):
        assert Huber(delta=1.0).losses(np.array([1e200]), np.array([0.0]))[0] == pytest.approx(1e200)


def test_focal_with_gamma_zero_is_binary_cross_entropy():
    z, y = rng.normal(0, 4, 50), rng.integers(0, 2, 50)
    np.testing.assert_allclose(Focal(gamma=0.0).losses(z, y), BinaryCrossEntropy().losses(z, y), rtol=1e-12)
    np.testing.assert_allclose(Focal(gamma=0.0).derivative(z, y), BinaryCrossEntropy().derivative(z, y),
                               rtol=1e-12, atol=1e-15)


def test_focal_by_hand_and_with_alpha():
    # z = 0: p = 1/2 for both labels; L = alpha_t * (1/2)^gamma * log 2
    z, y = np.zeros(2), np.array([1, 0])
    np.testing.assert_allclose(Focal(gamma=2.0).losses(z, y), [np.log(2) / 4] * 2)
    np.testing.assert_allclose(Focal(gamma=2.0, alpha=0.25).losses(z, y), [0.25 * np.log(2) / 4, 0.75 * np.log(2) / 4])
    # a confidently right row costs far less than with cross-entropy
    right = Focal(gamma=2.0).losses(np.array([3.0]), np.array([1]))[0]
    assert right < 0.01 * BinaryCrossEntropy().losses(np.array([3.0]), np.array([1]))[0]


def test_quantile_one_half_is_half_the_absolute_error():
    z, y = rng.normal(0, 3, 40), rng.normal(0, 3, 40)
    np.testing.assert_allclose(Quantile(0.5).losses(z, y), 0.5 * np.abs(z - y), rtol=1e-12)
    np.testing.assert_allclose(Quantile(0.5).derivative(z, y), 0.5 * np.sign(z - y), rtol=1e-12)


def test_quantile_by_hand():
    q = Quantile(0.9)
    # too low by 2 costs 0.9 * 2, too high by 2 costs 0.1 * 2
    np.testing.assert_allclose(q.losses(np.array([0.0, 4.0]), np.array([2.0, 2.0])), [1.8, 0.2])
    np.testing.assert_allclose(q.derivative(np.array([0.0, 4.0, 2.0]), np.array([2.0, 2.0, 2.0])), [-0.9, 0.1, 0.0])


@pytest.mark.parametrize("beta", [0.3, 1.0, 4.0])
def test_smooth_l1_is_huber_divided_by_its_threshold(beta):
    z, y = rng.normal(0, 5, 60), rng.normal(0, 5, 60)
    np.testing.assert_allclose(SmoothL1(beta).losses(z, y), Huber(beta).losses(z, y) / beta, rtol=1e-12)
    np.testing.assert_allclose(SmoothL1(beta).derivative(z, y), Huber(beta).derivative(z, y) / beta, rtol=1e-12)


def test_log_cosh_by_hand_and_far_away():
    z = np.array([0.0, 1.0, -800.0])
    np.testing.assert_allclose(LogCosh().losses(z, np.zeros(3)), [0.0, np.log(np.cosh(1.0)), 800 - np.log(2)])
    np.testing.assert_allclose(LogCosh().derivative(z, np.zeros(3)), [0.0, np.tanh(1.0), -1.0])


def test_hinge_by_hand():
    z = np.array([2.0, 0.5, -0.5, -2.0])
    y = np.array([1, 1, 0, 1])  # margins s z: 2, 0.5, 0.5, -2
    np.testing.assert_allclose(Hinge().losses(z, y), [0.0, 0.5, 0.5, 3.0])
    np.testing.assert_allclose(Hinge().derivative(z, y), [0.0, -1.0, 1.0, -1.0])


def test_class_weights_make_the_cost_a_weighted_mean():
    z = np.array([0.5, -1.0, 2.0, 0.0])
    y = np.array([1, 0, 1, 0])
    base = BinaryCrossEntropy()
    weighted = ClassWeighted(base, [1.0, 3.0])
    w = np.array([3.0, 1.0, 3.0, 1.0])
    assert weighted.cost(z, y) == pytest.approx(np.sum(w * base.losses(z, y)) / w.sum())
    # the model takes the mean over rows of the derivative: that mean must be d(cost)/dz summed
    numeric = central_difference(lambda v: weighted.cost(v, y), z)
    np.testing.assert_allclose(weighted.derivative(z, y) / z.size, numeric, rtol=1e-6)
    np.testing.assert_array_equal(weighted.losses(z, y), base.losses(z, y))


def test_class_weights_on_softmax_rows():
    z, y = rng.normal(0, 2, (6, 3)), np.array([0, 1, 2, 2, 1, 0])
    weighted = ClassWeighted(CategoricalCrossEntropy(), [0.5, 1.0, 2.0])
    numeric = central_difference(lambda v: weighted.cost(v, y), z)
    np.testing.assert_allclose(weighted.derivative(z, y) / 6, numeric, rtol=1e-6, atol=1e-9)


def test_balanced_weights_follow_the_usual_definition():
    np.testing.assert_allclose(balanced_weights(np.array([0, 0, 0, 1]), 2), [4 / 6, 4 / 2])


@pytest.mark.parametrize("base", [make_loss("mse"), make_loss("huber"), make_loss("log_cosh")], ids=repr)
def test_a_regression_loss_on_the_probability_follows_the_chain_rule_through_the_sigmoid(base):
    loss = OnProbability(base)
    z, y = rng.normal(0, 3, 12), rng.integers(0, 2, 12)
    np.testing.assert_allclose(loss.losses(z, y), base.losses(sigmoid(z), y))
    numeric = central_difference(lambda v: loss.losses(v, y).sum(), z)
    np.testing.assert_allclose(loss.derivative(z, y), numeric, rtol=1e-6, atol=1e-9)


def test_mse_on_the_probability_has_a_flat_gradient_when_confidently_wrong():
    wrong = np.array([-8.0])  # p = 0.0003 for a true 1
    flat = OnProbability(make_loss("mse")).derivative(wrong, np.array([1]))[0]
    steep = BinaryCrossEntropy().derivative(wrong, np.array([1]))[0]
    assert abs(flat) < 0.001 < 0.99 < abs(steep)
