"""The penalty that turns a cost into an objective.

    objective = cost + l2 * (1/2) * ||W||^2 + l1 * ||W||_1
    d(penalty)/dW = l2 * W + l1 * sign(W)     (sign(0) = 0, a subgradient)

Only the weights are penalised, never the bias: shrinking the bias would pull
every prediction towards zero without making the model any simpler.
"""

import numpy as np


class Penalty:
    """L1 and L2 penalties on the weights W (theta without its bias row)."""

    def __init__(self, l1=0.0, l2=0.0):
        if l1 < 0 or l2 < 0:
            raise ValueError(f"penalties must be >= 0, got l1={l1}, l2={l2}")
        self.l1 = float(l1)
        self.l2 = float(l2)

    @property
    def active(self):
        """True when either penalty is non-zero."""
        return self.l1 > 0 or self.l2 > 0

    def value(self, weights):
        """l2 * (1/2) * sum(W^2) + l1 * sum(|W|)."""
        total = 0.0
        if self.l2:
            total += 0.5 * self.l2 * float(np.vdot(weights, weights))
        if self.l1:
            total += self.l1 * float(np.abs(weights).sum())
        return total

    def gradient(self, weights):
        """l2 * W + l1 * sign(W), the same shape as W."""
        g = self.l2 * weights if self.l2 else np.zeros_like(weights)
        if self.l1:
            g = g + self.l1 * np.sign(weights)
        return g

    def add_gradient(self, weights, grad_weights):
        """Add the penalty's gradient to the weight rows of a gradient, in place."""
        if self.l2:
            grad_weights += self.l2 * weights
        if self.l1:
            grad_weights += self.l1 * np.sign(weights)
