"""Gradient checking: every analytic gradient against central finite differences.

For a loss, a model and a penalty, draw a small random problem and compare the
gradient the training loop uses,

    g = model.backward(X, loss.derivative(z, y)) + penalty gradient,

with the central difference of the objective J(theta) = cost + penalty in
every coordinate,

    (J(theta + h e_i) - J(theta - h e_i)) / (2 h),

and report the relative error max_i |g_i - g_num,i| / max(max_i |g_i| + max_i |g_num,i|, 1e-8),
the largest disagreement measured against the size of the gradient. A
correct gradient gives about 1e-9; a wrong one, something near 1. Points
within 1e-3 of a kink (|r| = 0 or delta, a weight at 0, a hinge margin of 1)
are moved away, since no derivative exists there to compare with.
"""

from dataclasses import dataclass

import numpy as np

from lossplay.losses import LOSSES, ClassWeighted, OnProbability, make_loss
from lossplay.models import MODELS
from lossplay.penalties import Penalty

MODEL_OF_TASK = {"regression": "linear", "binary": "logistic", "multiclass": "softmax"}
PENALTIES = {"no penalty": Penalty(), "l2=0.1": Penalty(l2=0.1), "l1=0.1": Penalty(l1=0.1),
             "l1+l2": Penalty(l1=0.05, l2=0.2)}


@dataclass(frozen=True)
class Check:
    """The outcome of one gradient check."""

    loss: str
    model: str
    penalty: str
    relative_error: float
    parameters: int

    def passed(self, tolerance):
        return bool(self.relative_error <= tolerance)


def cases():
    """(label, loss, model) for every loss on its own model, plus the wrapped variants."""
    out = []
    for name, cls in LOSSES.items():
        out.append((name, make_loss(name), MODELS[MODEL_OF_TASK[cls.task]]()))
    out.append(("mse on σ(z)", OnProbability(make_loss("mse")), MODELS["logistic"]()))
    out.append(("bce, weighted", ClassWeighted(make_loss("bce"), [1.0, 4.0]), MODELS["logistic"]()))
    out.append(("focal, weighted", ClassWeighted(make_loss("focal", alpha=0.3), [2.0, 1.0]),
                MODELS["logistic"]()))
    out.append(("cce, weighted", ClassWeighted(make_loss("cce"), [1.0, 2.0, 0.5]), MODELS["softmax"]()))
    return out


def _problem(loss, model, rng, n=12, d=3, k=3):
    X = rng.normal(0.0, 1.0, (n, d))
    if model.task == "regression":
        y = rng.normal(0.0, 2.0, n)
    else:
        y = rng.integers(0, 2 if model.task == "binary" else k, n)
        y[:2] = [0, 1]  # every class present, so class weights matter
    theta = model.init(d, k, "zeros", rng) + rng.normal(0.0, 0.7, model.init(d, k, "zeros", rng).shape)
    return X, y, theta


def _away_from_kinks(loss, model, X, y, theta, rng):
    """Nudge theta until no residual, margin or weight sits within 1e-3 of a kink."""
    base = loss
    while hasattr(base, "base"):
        base = base.base
    kinks = [0.0]
    if base.name in ("huber", "smooth_l1"):
        kinks.append(getattr(base, "delta", getattr(base, "beta", 0.0)))
    for _ in range(100):
        z = model.raw(theta, X)
        if base.task == "regression" and model.task == "regression":
            a = np.abs(z - y)
            bad = any(np.any(np.abs(a - k) < 1e-3) for k in kinks)
        elif base.name == "hinge":
            bad = np.any(np.abs(np.abs(z) - 1.0) < 1e-3)
        else:
            bad = False
        bad = bad or np.any(np.abs(theta[:-1]) < 1e-3)
        if not bad:
            return theta
        theta = theta + rng.normal(0.0, 0.01, theta.shape)
    return theta


def check(label, loss, model, penalty_label, penalty, rng, h=1e-6):
    """One ``Check``: the loop's gradient against central differences of the objective."""
    X, y, theta = _problem(loss, model, rng)
    theta = _away_from_kinks(loss, model, X, y, theta, rng)

    def objective(t):
        return loss.cost(model.raw(t, X), y) + penalty.value(t[:-1])

    analytic = model.backward(X, loss.derivative(model.raw(theta, X), y))
    penalty.add_gradient(theta[:-1], analytic[:-1])
    numeric = np.zeros_like(theta)
    for i in np.ndindex(theta.shape):
        step = np.zeros_like(theta)
        step[i] = h
        numeric[i] = (objective(theta + step) - objective(theta - step)) / (2 * h)
    scale = max(float(np.max(np.abs(analytic)) + np.max(np.abs(numeric))), 1e-8)
    error = float(np.max(np.abs(analytic - numeric))) / scale
    return Check(label, model.name, penalty_label, error, theta.size)


def check_all(seed=0):
    """Every loss and model, with every penalty, on random problems drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    return [check(label, loss, model, name, penalty, rng)
            for label, loss, model in cases() for name, penalty in PENALTIES.items()]
