"""An optimizer of your own for lossplay: Lion (EvoLved Sign Momentum).

    c_t   = β₁ · m_{t−1} + (1 − β₁) · g_t     the direction: a blend of memory and today's gradient
    step  = −lr · (sign(c_t) + λ · θ)         every parameter moves by the same size, lr
    m_t   = β₂ · m_{t−1} + (1 − β₂) · g_t     the memory, kept with the slower β₂  (m_0 = 0)

Only the sign of c_t is used, so every step has the same size whatever the
gradient's scale: lr must be small (about ten times smaller than Adam's),
and near the minimum the parameters keep hopping by ±lr.

Try it:

    lossplay train --optimizer docs/examples/lion_optimizer.py:Lion
    lossplay step --optimizer docs/examples/lion_optimizer.py:Lion
    lossplay compare --optimizers adam,docs/examples/lion_optimizer.py:Lion

β₁, β₂ and λ are given with --beta1, --beta2 and --weight-decay; left out,
they take this class's own defaults (0.9, 0.99 and 0).
"""

from typing import NamedTuple

import numpy as np


class LionState(NamedTuple):
    """The momentum m: a running mean of the gradient, of theta's shape."""

    m: np.ndarray


class Lion:
    """Lion: step = −lr·(sign(β₁·m + (1 − β₁)·g) + λ·θ), then m ← β₂·m + (1 − β₂)·g."""

    name = "lion"
    title = "Lion (sign of a momentum)"
    rule = "step = −lr·(sign(β₁m + (1 − β₁)g) + λθ);  m ← β₂m + (1 − β₂)g"
    default_lr = 0.01
    carries_momentum = True

    def __init__(self, beta1=0.9, beta2=0.99, weight_decay=0.0):
        self.beta1 = beta1
        self.beta2 = beta2
        self.weight_decay = weight_decay

    def stability_limit(self, limit):
        """Optional: the largest stable rate, given plain gradient descent's 2/λmax. A sign step has the same
        size lr whatever the gradient, so it never blows up: there is no limit to claim."""
        return None

    def init(self, theta):
        """The state before the first step: m = 0."""
        return LionState(m=np.zeros_like(theta))

    def update(self, grad, state, lr, params=None, trace=None):
        """(step, new state) for gradient ``grad``; ``params`` is theta (for the weight decay), ``trace`` a dict
        to fill with what the step-by-step view may show, or None."""
        direction = self.beta1 * state.m + (1.0 - self.beta1) * grad
        step = -lr * np.sign(direction)
        if self.weight_decay and params is not None:
            step = step - lr * self.weight_decay * params
        if trace is not None:
            trace["c = β₁m + (1 − β₁)g"] = direction
        return step, LionState(m=self.beta2 * state.m + (1.0 - self.beta2) * grad)

    # Optional: how lossplay step writes out one parameter's update with its numbers (``i`` is the
    # parameter's flat index, ``name`` its label; ``before`` and ``after`` are the states around the step).
    def worked_update(self, i, name, grad, lr, step, before, after, trace):
        g, m, c = grad.flat[i], before.m.flat[i], trace["c = β₁m + (1 − β₁)g"].flat[i]
        return (f"{name}: c = {self.beta1:g}·{m:.4g} + {1 - self.beta1:g}·({g:.4g}) = {c:.4g};  "
                f"step = −{lr:g}·sign(c) = {step.flat[i]:.4g};  "
                f"m ← {self.beta2:g}·{m:.4g} + {1 - self.beta2:.2g}·({g:.4g}) = {after.m.flat[i]:.4g}")
