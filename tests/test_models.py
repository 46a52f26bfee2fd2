"""The chain rule from loss to parameters, for every model and loss, with and without penalties."""

import numpy as np
import pytest

from lossplay.losses import make_loss
from lossplay.models import LinearModel, LogisticModel, SoftmaxModel
from lossplay.penalties import Penalty

from conftest import central_difference

rng = np.random.default_rng(3)

PAIRS = [
    (LinearModel(), "mse"),
    (LinearModel(), "mae"),
    (LinearModel(), "huber"),
    (LogisticModel(), "bce"),
    (SoftmaxModel(), "cce"),
]
PENALTIES = [Penalty(), Penalty(l2=0.3), Penalty(l1=0.2), Penalty(l1=0.1, l2=0.5)]


def problem(model, n=7, d=3, k=3):
    X = rng.normal(0, 1, (n, d))
    if model.task == "regression":
        y = rng.normal(0, 3, n)
    elif model.task == "binary":
        y = rng.integers(0, 2, n)
    else:
        y = rng.integers(0, k, n)
    theta = model.init(d, k, "normal", rng) + rng.normal(0, 0.5, model.init(d, k, "zeros", rng).shape)
    return X, y, theta


@pytest.mark.parametrize("penalty", PENALTIES, ids=lambda p: f"l1={p.l1},l2={p.l2}")
@pytest.mark.parametrize(("model", "loss_name"), PAIRS, ids=lambda v: getattr(v, "name", v))
def test_objective_gradient_matches_central_difference(model, loss_name, penalty):
    loss = make_loss(loss_name)
    X, y, theta = problem(model)

    def objective(t):
        return loss.cost(model.raw(t, X), y) + penalty.value(t[:-1])

    grad = model.backward(X, loss.derivative(model.raw(theta, X), y))
    penalty.add_gradient(theta[:-1], grad[:-1])
    np.testing.assert_allclose(grad, central_difference(objective, theta), rtol=1e-5, atol=1e-7)


def test_raw_output_is_x_dot_w_plus_b():
    X = np.array([[1.0, 2.0], [3.0, -1.0]])
    theta = np.array([0.5, -2.0, 1.0])  # w = [0.5, -2], b = 1
    np.testing.assert_allclose(LinearModel().raw(theta, X), [1 * 0.5 + 2 * -2 + 1, 3 * 0.5 + 1 * 2 + 1])
    W = np.array([[1.0, 0.0, -1.0], [0.0, 2.0, 1.0], [0.1, 0.2, 0.3]])  # 2 features x 3 classes, then bias
    np.testing.assert_allclose(SoftmaxModel().raw(W, X), X @ W[:2] + W[2])


def test_backward_is_the_mean_over_rows():
    X = np.array([[1.0, 2.0], [3.0, 4.0]])
    dz = np.array([1.0, -1.0])
    # (1/2) X^T dz = [(1 - 3)/2, (2 - 4)/2];  bias: (1 - 1)/2
    np.testing.assert_allclose(LinearModel().backward(X, dz), [-1.0, -1.0, 0.0])


def test_predictions():
    z = np.array([0.0, 2.0, -2.0])
    np.testing.assert_allclose(LogisticModel().predict(z), [0.5, 1 / (1 + np.exp(-2)), 1 / (1 + np.exp(2))])
    np.testing.assert_array_equal(LogisticModel().labels(z), [1, 1, 0])  # p ≥ 0.5 is class 1
    logits = np.array([[1.0, 3.0, 2.0]])
    assert SoftmaxModel().labels(logits)[0] == 1
    assert SoftmaxModel().predict(logits).sum() == pytest.approx(1.0)


def test_init_shapes_and_seeded_normal():
    assert LinearModel().init(4, None, "zeros", rng).shape == (5,)
    assert SoftmaxModel().init(4, 3, "zeros", rng).shape == (5, 3)
    a = LinearModel().init(4, None, "normal", np.random.default_rng(1))
    b = LinearModel().init(4, None, "normal", np.random.default_rng(1))
    np.testing.assert_array_equal(a, b)
    assert a[-1] == 0.0 and 0 < np.abs(a[:-1]).max() < 0.1


def test_penalty_values_and_bias_is_free():
    w = np.array([1.0, -2.0, 0.0])
    assert Penalty(l2=0.5).value(w) == pytest.approx(0.5 * 0.5 * 5)
    assert Penalty(l1=0.1).value(w) == pytest.approx(0.3)
    np.testing.assert_allclose(Penalty(l1=0.1, l2=0.5).gradient(w), [0.6, -1.1, 0.0])
    theta = np.array([1.0, -2.0, 7.0])  # last entry is the bias
    grad = np.zeros(3)
    Penalty(l1=1.0, l2=1.0).add_gradient(theta[:-1], grad[:-1])
    assert grad[-1] == 0.0
