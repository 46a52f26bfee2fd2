"""Every speed shortcut a loss declares, against the plain path of its ``losses`` and ``derivative``."""

import numpy as np
import pytest

from lossplay import loop, metrics
from lossplay.losses import LOSSES, ClassWeighted, OnProbability, make_loss
from lossplay.models import MODELS
from lossplay.penalties import Penalty

MODEL_OF_TASK = {"regression": "linear", "binary": "logistic", "multiclass": "softmax"}
LOSS_CASES = [*((name, make_loss(name)) for name in LOSSES),
              ("mse on σ(z)", OnProbability(make_loss("mse"))),
              ("bce, weighted", ClassWeighted(make_loss("bce"), [1.0, 3.0])),
              ("cce, weighted", ClassWeighted(make_loss("cce"), [1.0, 2.0, 0.5]))]


def problem(loss, rng, n=200, k=3):
    if loss.task == "regression":
        return rng.normal(0.0, 3.0, n), rng.normal(0.0, 2.0, n)
    if loss.task == "binary":
        return rng.normal(0.0, 3.0, n), rng.integers(0, 2, n).astype(np.float64)
    return rng.normal(0.0, 3.0, (n, k)), rng.integers(0, k, n)


@pytest.mark.parametrize(("name", "loss"), LOSS_CASES, ids=[name for name, _ in LOSS_CASES])
def test_cost_and_derivative_together_equal_them_apart(name, loss):
    z, y = problem(loss, np.random.default_rng(0))
    cost, derivative = loss.cost_and_derivative(z.copy(), y, out=np.empty_like(z), scratch=np.empty_like(z))
    assert cost == pytest.approx(float(np.average(loss.losses(z, y), weights=_weights(loss, y))), rel=1e-12)
    np.testing.assert_allclose(derivative, loss.derivative(z, y), rtol=1e-12, atol=1e-15)


def _weights(loss, y):
    return None if loss.weights is None else loss.weights[y.astype(np.intp)]


@pytest.mark.parametrize(("name", "loss"), LOSS_CASES, ids=[name for name, _ in LOSS_CASES])
def test_declared_shortcuts_agree_with_the_plain_path(name, loss):
    z, y = problem(loss, np.random.default_rng(1))
    if loss.residual_only:  # L depends on r = z - y alone: computed from r, it is the same
        r = z - y
        cost, derivative = loss.cost_and_derivative_of_residual(r.copy(), out=np.empty_like(r))
        assert cost == pytest.approx(loss.cost(z, y), rel=1e-12)
        assert loss.cost_of_residual(r.copy()) == pytest.approx(loss.cost(z, y), rel=1e-12)
        np.testing.assert_allclose(derivative, loss.derivative(z, y), rtol=1e-12)
        shifted = loss.losses(z + 5.0, y + 5.0)
        np.testing.assert_allclose(shifted, loss.losses(z, y), rtol=1e-9, atol=1e-12)
    if loss.residual_factor is not None:  # dL/dz = factor * r
        np.testing.assert_allclose(loss.derivative(z, y), loss.residual_factor * (z - y), rtol=1e-12)
    if loss.same_as_metric is not None:  # its cost is that metric
        task = "regression" if loss.task == "regression" else loss.task
        assert metrics.compute(task, y, z)[loss.same_as_metric] == pytest.approx(loss.cost(z, y), rel=1e-12)
    if loss.mean_over_rows:  # the cost of all rows is the row-weighted mean of the parts'
        half = z.shape[0] // 3
        parts = (half * loss.cost(z[:half], y[:half]) + (len(y) - half) * loss.cost(z[half:], y[half:])) / len(y)
        assert parts == pytest.approx(loss.cost(z, y), rel=1e-12)


@pytest.mark.parametrize(("name", "loss"), LOSS_CASES, ids=[name for name, _ in LOSS_CASES])
def test_the_loop_s_gradient_with_every_shortcut_equals_the_plain_chain_rule(name, loss, monkeypatch):
    rng = np.random.default_rng(2)
    model = MODELS[MODEL_OF_TASK[loss.task]]() if not isinstance(loss, OnProbability) else MODELS["logistic"]()
    n, d, k = 300, 4, 3
    A = np.hstack([rng.normal(size=(n, d)), np.ones((n, 1))])
    _, y = problem(loss, rng, n, k)
    theta = rng.normal(size=(d + 1,) if model.name != "softmax" else (d + 1, k))
    penalty = Penalty(l1=0.05, l2=0.1)
    z = model.raw_design(theta, A)
    plain = model.backward_design(A, loss.derivative(z, y))
    penalty.add_gradient(theta[:-1], plain[:-1])
    monkeypatch.setattr(loop, "row_blocks", lambda rows, row_bytes: [slice(s, min(s + 70, rows))
                                                                    for s in range(0, rows, 70)])
    buffers = (np.empty_like(z), np.empty_like(z), np.empty(n))
    residual = np.empty(n) if loss.residual_only else None
    _, cost, _, fused, _ = loop.objective_gradient(model, loss, penalty, theta, A, y, buffers, residual)
    np.testing.assert_allclose(fused, plain, rtol=1e-10, atol=1e-13)
    assert cost == pytest.approx(float(np.average(loss.losses(z, y), weights=_weights(loss, y))), rel=1e-12)
