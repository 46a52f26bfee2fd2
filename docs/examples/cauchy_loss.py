"""A loss of your own for lossplay: the Cauchy (Lorentzian) loss.

    L = (c² / 2) · log(1 + (r / c)²),   r = z − y
    dL/dz = r / (1 + (r / c)²)

Near zero it behaves like r² / 2, like MSE; far away it grows only with
log |r|, so a wild target pulls on the fit less and less the wilder it is
(the pull dL/dz is largest at |r| = c and falls back towards 0 after it).

Try it:

    lossplay gradcheck --loss docs/examples/cauchy_loss.py:Cauchy
    lossplay train --loss docs/examples/cauchy_loss.py:Cauchy --outliers
    lossplay compare mse docs/examples/cauchy_loss.py:Cauchy --outliers

The scale c is given with --delta (a loss of your own takes its options from
the flags lossplay knows; see docs/your-own-loss.md).
"""

import numpy as np


class Cauchy:
    """The Cauchy loss with scale c: L = (c²/2)·log(1 + (r/c)²); dL/dz = r / (1 + (r/c)²)."""

    name = "cauchy"
    task = "regression"  # "regression", "binary" (z is a logit) or "multiclass" (z has one column per class)
    title = "Cauchy loss (Lorentzian)"
    formula = "L = (δ²/2)·log(1 + (r/δ)²),  r = z − y"
    derivative_formula = "dL/dz = r / (1 + (r/δ)²)"
    behaviour = "the pull of an outlier peaks at |r| = δ, then fades"

    def __init__(self, delta=1.0):
        self.delta = delta

    def losses(self, z, y):
        """The loss of every row, shape (n,)."""
        r = z - y
        return 0.5 * self.delta**2 * np.log1p((r / self.delta) ** 2)

    def derivative(self, z, y):
        """dL_i/dz_i of every row: the loop does the rest (the mean over rows, the chain rule into w)."""
        r = z - y
        return r / (1.0 + (r / self.delta) ** 2)
