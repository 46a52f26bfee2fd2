"""Loss functions, each written on the model's raw output z.

Three words, kept apart everywhere in lossplay:

- the *loss* L_i is the error of one sample i;
- the *cost* C = (1/n) * sum_i L_i is the mean loss over a batch or a split;
- the *objective* is the cost plus the penalty (see ``penalties.py``), the
  number the optimizer actually minimises.

Every loss takes the raw output z of the model (a prediction for regression,
a logit for classification, never a probability) and the targets y, and gives

- ``losses(z, y)``: the per-sample losses L_i, shape (n,);
- ``derivative(z, y)``: dL_i/dz_i for every sample, the same shape as z;
- ``cost(z, y)``: the mean of the losses;
- ``cost_and_derivative(z, y)``: both, sharing the work.

The derivative is of one sample's loss, not of the mean: the model's backward
pass takes the mean over the rows (dC/dw = (1/n) * X^T dL/dz). The formula and
its derivative sit side by side in each class so they can be checked at a glance.
"""

import numpy as np

from lossplay.functions import logsumexp, sigmoid, softmax, softplus


class Loss:
    """Base class: subclasses define ``losses`` and ``derivative``.

    Class attributes used by the catalogs and the step-by-step view:
    ``name``, ``task`` ("regression", "binary" or "multiclass"), ``title``,
    ``formula`` and ``derivative_formula`` (in r = z - y for regression, in
    the logit z for classification).
    """

    name = ""
    task = ""
    title = ""
    formula = ""
    derivative_formula = ""
    option_names = ()

    def losses(self, z, y):
        raise NotImplementedError

    def derivative(self, z, y):
        raise NotImplementedError

    def cost(self, z, y):
        """C = (1/n) * sum_i L_i."""
        return float(np.mean(self.losses(z, y)))

    def cost_and_derivative(self, z, y):
        """(C, dL/dz) for one batch; subclasses share the residual between the two."""
        return self.cost(z, y), self.derivative(z, y)

    def params(self):
        """The loss's own hyperparameters, as a dict (empty for most losses)."""
        return {}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.params().items())
        return f"{type(self).__name__}({args})"


class MeanSquaredError(Loss):
    """Squared error: L = r^2 with r = z - y;  dL/dz = 2r.

    Large residuals dominate: a residual of 10 costs 100 times a residual of 1,
    so a few outliers can pull the whole fit towards them. The cost is smooth
    and, for a linear model, a convex bowl with a single minimum.
    """

    name = "mse"
    task = "regression"
    title = "mean squared error (L2)"
    formula = "L = r²,  r = z − y"
    derivative_formula = "dL/dz = 2r"

    def losses(self, z, y):
        r = z - y
        return r * r

    def derivative(self, z, y):
        return 2.0 * (z - y)

    def cost(self, z, y):
        r = z - y
        return float(np.dot(r, r)) / r.shape[0]

    def cost_and_derivative(self, z, y):
        r = z - y
        cost = float(np.dot(r, r)) / r.shape[0]
        r *= 2.0
        return cost, r


class MeanAbsoluteError(Loss):
    """Absolute error: L = |r| with r = z - y;  dL/dz = sign(r), and 0 at r = 0.

    Every sample pulls with the same strength whatever its residual, so
    outliers cannot dominate the gradient. |r| has no derivative at r = 0;
    lossplay uses the subgradient 0 there, as the common libraries do.
    """

    name = "mae"
    task = "regression"
    title = "mean absolute error (L1)"
    formula = "L = |r|,  r = z − y"
    derivative_formula = "dL/dz = sign(r)  (0 when r = 0)"

    def losses(self, z, y):
        return np.abs(z - y)

    def derivative(self, z, y):
        return np.sign(z - y)

    def cost_and_derivative(self, z, y):
        r = z - y
        return float(np.mean(np.abs(r))), np.sign(r, out=r)


class Huber(Loss):
    """Huber loss with threshold delta > 0, r = z - y:

        L = r^2 / 2                    if |r| <= delta
        L = delta * (|r| - delta / 2)  otherwise

        dL/dz = clip(r, -delta, delta)

    Quadratic like MSE for small residuals, linear like MAE for large ones; the
    two pieces meet with equal value and slope at |r| = delta, so the loss stays
    differentiable everywhere. Note the 1/2: for small residuals Huber is half
    of the squared error.
    """

    name = "huber"
    task = "regression"
    title = "Huber loss"
    formula = "L = ½r² if |r| ≤ δ, else δ(|r| − ½δ)"
    derivative_formula = "dL/dz = clip(r, −δ, δ)"
    option_names = ("delta",)

    def __init__(self, delta=1.0):
        if not delta > 0:
            raise ValueError(f"Huber's delta must be positive, got {delta}")
        self.delta = float(delta)

    def params(self):
        return {"delta": self.delta}

    def losses(self, z, y):
        a = np.abs(z - y)
        d = self.delta
        return np.where(a <= d, 0.5 * a * a, d * (a - 0.5 * d))

    def derivative(self, z, y):
        return np.clip(z - y, -self.delta, self.delta)


class BinaryCrossEntropy(Loss):
    """Binary cross-entropy on the logit z, for labels y in {0, 1}:

        p = sigma(z)
        L = -[y log p + (1 - y) log(1 - p)] = softplus(z) - y * z
        dL/dz = p - y

    Computed from the logit, never from p: softplus(z) = max(z, 0) +
    log1p(exp(-|z|)) stays finite and exact for any finite z, where
    log(sigma(z)) would round to log(0) once sigma(z) rounds to 1 or 0.
    A confident wrong answer (p near 0 for a true 1) costs without bound.
    """

    name = "bce"
    task = "binary"
    title = "binary cross-entropy (log loss)"
    formula = "L = −[y·log p + (1 − y)·log(1 − p)],  p = σ(z)"
    derivative_formula = "dL/dz = p − y"

    def losses(self, z, y):
        return softplus(z) - y * z

    def derivative(self, z, y):
        return sigmoid(z) - y


class CategoricalCrossEntropy(Loss):
    """Categorical (softmax) cross-entropy on the logits z (n x k), integer labels y:

        p = softmax(z)
        L = -log p_y = logsumexp(z) - z_y
        dL/dz_k = p_k - [k == y]

    The log-sum-exp subtracts each row's largest logit before exponentiating,
    so no logit overflows. With two classes this is the binary cross-entropy
    of the logit difference z_1 - z_0.
    """

    name = "cce"
    task = "multiclass"
    title = "categorical cross-entropy"
    formula = "L = −log p_y,  p = softmax(z)"
    derivative_formula = "dL/dz_k = p_k − [k = y]"

    def losses(self, z, y):
        return logsumexp(z) - np.take_along_axis(z, y[:, None], axis=1)[:, 0]

    def derivative(self, z, y):
        g = softmax(z)
        g[np.arange(g.shape[0]), y] -= 1.0
        return g


LOSSES = {
    cls.name: cls
    for cls in (MeanSquaredError, MeanAbsoluteError, Huber, BinaryCrossEntropy, CategoricalCrossEntropy)
}


def make_loss(name, **options):
    """Build the loss called ``name``, passing it only the options it takes (``delta`` for huber)."""
    cls = LOSSES[name]
    return cls(**{key: options[key] for key in cls.option_names if key in options})
