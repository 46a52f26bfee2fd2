"""Gradient checking: the gradient the training loop computes, against central finite differences.

For a loss, a model and a penalty, draw a small random problem and compare the
gradient of the objective as the training loop computes it — through
``loop.objective_gradient`` with the loop's own working arrays and with every
speed shortcut the loss declares (the residual path, the folded factor of MSE) —

    g = (1/n) A^T dL/dz + penalty gradient,      A = [X, 1]

with the central difference of the objective J(theta) = cost + penalty in
every coordinate,

    (J(theta + h e_i) - J(theta - h e_i)) / (2 h),

and report the relative error max_i |g_i - g_num,i| / max(max_i |g_i| + max_i |g_num,i|, 1e-8),
the largest disagreement measured against the size of the gradient. A
correct gradient gives about 1e-9; a wrong one, something near 1. Points
within 1e-3 of a kink of the loss (``Loss.near_kink``: |r| = 0 or delta, a
hinge margin of 1) or of a weight at 0 (the L1 penalty's kink) are moved away,
since no derivative exists there to compare with.
"""

from dataclasses import dataclass

import numpy as np

from lossplay.catalog import OPTIONS
from lossplay.loop import objective_gradient
from lossplay.losses import LOSSES, ClassWeighted, OnProbability, build_loss, make_loss
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
    out = [(name, make_loss(name), MODELS[MODEL_OF_TASK[cls.task]]()) for name, cls in LOSSES.items()]
    out.append(("mse on σ(z)", OnProbability(make_loss("mse")), MODELS["logistic"]()))
    out.append(("bce, weighted", ClassWeighted(make_loss("bce"), [1.0, 4.0]), MODELS["logistic"]()))
    out.append(("focal, weighted", ClassWeighted(make_loss("focal", alpha=0.3), [2.0, 1.0]),
                MODELS["logistic"]()))
    out.append(("cce, weighted", ClassWeighted(make_loss("cce"), [1.0, 2.0, 0.5]), MODELS["softmax"]()))
    return out


def cases_of(name, loss):
    """(label, loss, model) for one loss (a user's, say): on its own model, and a regression loss on a logistic
    model's probability too."""
    out = [(name, loss, MODELS[MODEL_OF_TASK[loss.task]]())]
    if loss.task == "regression":
        out.append((f"{name} on σ(z)", OnProbability(loss), MODELS["logistic"]()))
    return out


def other_values(defaults):
    """{option: a second value} for each option of ``defaults`` ({option: default}) that lossplay knows as a
    number (``catalog.OPTIONS``) or whose default is a float: twice the default, else half of it, else 0.3
    or 0.7, the first in the option's range. Checking a loss there too catches a
    derivative right only at the default (a forgotten δ is invisible at δ = 1)."""
    out = {}
    for name, default in defaults.items():
        option = OPTIONS.get(name)
        if isinstance(default, bool) or not (isinstance(default, float) or (option and option.kind is float)):
            continue  # a number lossplay knows nothing of (a count, a list, None) is left as it is
        candidates = ([] if default is None else [2.0 * default, 0.5 * default]) + [0.3, 0.7]
        for value in candidates:
            if value != default and (option is None or option.test(value)):
                out[name] = value
                break
    return out


def variants(label, cls):
    """(label, loss) of a loss class at its defaults, then with each of its options at a second value."""
    out = [(label, build_loss(cls, {}))]
    for name, value in other_values(cls.option_defaults()).items():
        out.append((f"{label} ({name} = {value:g})", build_loss(cls, {name: value})))
    return out


def cases_with_options(label, cls):
    """``cases_of`` every one of a loss class's ``variants``."""
    return [case for name, loss in variants(label, cls) for case in cases_of(name, loss)]


def _problem(model, rng, n=12, d=3, k=3):
    X = rng.normal(0.0, 1.0, (n, d))
    if model.task == "regression":
        y = rng.normal(0.0, 2.0, n)
    else:
        y = rng.integers(0, 2 if model.task == "binary" else k, n)
        y[:2] = [0, 1]  # every class present, so class weights matter
        y = y.astype(np.float64) if model.task == "binary" else y
    theta = model.init(d, k, "zeros", rng) + rng.normal(0.0, 0.7, model.init(d, k, "zeros", rng).shape)
    return np.hstack([X, np.ones((n, 1))]), y, theta


def _away_from_kinks(loss, model, A, y, theta, rng):
    """Nudge theta until no row sits within 1e-3 of a kink of the loss and no weight within 1e-3 of 0."""
    for _ in range(100):
        z = model.raw_design(theta, A)
        bad = np.any(loss.near_kink(z, y, 1e-3)) or np.any(np.abs(theta[:-1]) < 1e-3)
        if not bad:
            return theta
        theta = theta + rng.normal(0.0, 0.01, theta.shape)
    return theta


def loop_gradient(loss, model, penalty, theta, A, y):
    """The gradient of the objective as the training loop computes it when it evaluates a split: into its
    working arrays, with the residual shared when the loss declares ``residual_only``."""
    z = np.empty(A.shape[:1] + theta.shape[1:])
    buffers = (z, np.empty_like(z), np.empty(A.shape[0]))
    residual = np.empty(A.shape[0]) if loss.residual_only else None
    return objective_gradient(model, loss, penalty, theta, A, y, buffers, residual)[3]


def check(label, loss, model, penalty_label, penalty, rng, h=1e-6):
    """One ``Check``: the loop's gradient against central differences of the objective."""
    A, y, theta = _problem(model, rng)
    theta = _away_from_kinks(loss, model, A, y, theta, rng)

    def objective(t):
        return loss.cost(model.raw_design(t, A), y) + penalty.value(t[:-1])

    analytic = loop_gradient(loss, model, penalty, theta, A, y)
    numeric = np.zeros_like(theta)
    for i in np.ndindex(theta.shape):
        step = np.zeros_like(theta)
        step[i] = h
        numeric[i] = (objective(theta + step) - objective(theta - step)) / (2 * h)
    scale = max(float(np.max(np.abs(analytic)) + np.max(np.abs(numeric))), 1e-8)
    error = float(np.max(np.abs(analytic - numeric))) / scale
    return Check(label, model.name, penalty_label, error, theta.size)


def check_all(seed=0, only=None):
    """Every loss and model (or ``only``: a list of (label, loss, model)), with every penalty, on random
    problems drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    return [check(label, loss, model, name, penalty, rng)
            for label, loss, model in (cases() if only is None else only) for name, penalty in PENALTIES.items()]
