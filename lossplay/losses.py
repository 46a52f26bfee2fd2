"""Loss functions, each written on the model's raw output z.

Three words, kept apart everywhere in lossplay:

- the *loss* L_i is the error of one sample i;
- the *cost* C = (1/n) * sum_i L_i is the mean loss over a batch or a split;
- the *objective* is the cost plus the penalty (see ``penalties.py``), the
  number the optimizer actually minimises.

The protocol of a loss (``Loss``): it takes the raw output z of the model (a
prediction for regression, a logit for classification, never a probability)
and the targets y, and gives

- ``losses(z, y)``: the per-sample losses L_i, shape (n,);
- ``derivative(z, y)``: dL_i/dz_i for every sample, the same shape as z.

That is all a loss must define, with its ``task`` ("regression", "binary" or
"multiclass"); everything else has a default here, worked out from those two:
the cost, the cost and derivative together, the words of the catalogs and of
the step-by-step view. A loss may declare speed shortcuts (``residual_only``,
``residual_factor``, ``same_as_metric``); the plain path through ``losses`` and
``derivative`` is the reference, and a test checks every shortcut against it.
A user's own loss in a file (``--loss my_loss.py:Cauchy``) follows the same
protocol: see ``lossplay.registry`` and docs/your-own-loss.md.

The derivative is of one sample's loss, not of the mean: the model's backward
pass takes the mean over the rows (dC/dw = (1/n) * X^T dL/dz). The formula and
its derivative sit side by side in each class so they can be checked at a glance.
"""

import numpy as np

from lossplay.catalog import Configurable, check
from lossplay.formatting import factor, number
from lossplay.functions import binary_cross_entropy, sigmoid, softmax, softmax_cross_entropy, softplus


class Loss(Configurable):
    """The protocol every loss follows; subclasses define ``losses`` and ``derivative`` (and ``task``).

    Words, for the catalogs and the step-by-step view: ``name``, ``title``,
    ``formula`` and ``derivative_formula`` (in r = z - y for regression, in the
    logit z for classification), ``behaviour`` (with outliers or class
    imbalance), ``use_when`` and ``landscape_words`` (what its cost surface
    looks like, or None). Options are the constructor's keyword arguments, each
    kept as an attribute of the same name (``option_names``, ``params()``).

    Speed shortcuts, each declared (the default is the plain path):

    - ``residual_only``: L depends on z and y only through r = z - y, so the
      loop computes r once and shares it with the metrics (MSE, MAE, R² are made
      of it too);
    - ``residual_factor``: c when dL/dz = c * r, folded into the small gradient;
    - ``same_as_metric``: the metric the cost equals ("mse", "log_loss"), so it
      is not computed twice;
    - ``mean_over_rows``: C = (1/n) sum_i L_i, so a cost of many rows is the
      row-weighted mean of the costs of its parts;
    - ``quadratic``: L = r², so the objective of a linear model is a quadratic
      with a closed-form minimum and the stability limit 2/lambda_max.
    """

    name = ""
    task = "regression"
    title = ""
    formula = ""
    derivative_formula = ""
    behaviour = ""
    use_when = ""
    landscape_words: str | None = None
    weights: np.ndarray | None = None
    residual_only = False
    residual_factor: float | None = None
    same_as_metric: str | None = None
    mean_over_rows = True
    quadratic = False

    def losses(self, z, y):
        raise NotImplementedError(f"{type(self).__name__} must define losses(z, y)")

    def derivative(self, z, y):
        raise NotImplementedError(f"{type(self).__name__} must define derivative(z, y)")

    def cost(self, z, y):
        """C = (1/n) * sum_i L_i."""
        return float(np.mean(self.losses(z, y)))

    def cost_and_derivative(self, z, y, out=None, scratch=None):
        """(C, dL/dz) for one batch, dL/dz written into ``out`` when given.

        Subclasses share the work between the two; the training loop passes
        ``out`` (and ``scratch``, an array like z the loss may overwrite) so that
        a full-batch epoch allocates no new large arrays.
        """
        derivative = self.derivative(z, y)
        if out is None:
            return self.cost(z, y), derivative
        out[...] = derivative
        return self.cost(z, y), out

    def cost_and_derivative_of_residual(self, r, out=None):
        """(C, dL/dz) from the residual r = z - y alone: only for a loss that declares ``residual_only``."""
        return self.cost_and_derivative(r, np.zeros_like(r), out)

    def cost_of_residual(self, r):
        """C from the residual r = z - y alone: only for a loss that declares ``residual_only``."""
        return self.cost(r, np.zeros_like(r))

    def worked_loss(self, z, y, loss, prediction, names=None):
        """One row's loss with its numbers put into the formula (the step-by-step view): z, y, L and the
        model's prediction of that row; ``names`` are the class names. The default reads r = z - y for
        regression and states L otherwise."""
        if self.task == "regression":
            return f"r = z − y = {number(z)} − {factor(y)} = {number(z - y)};  L = {number(loss)}"
        return f"y = {_label(y, names)}; L = {number(loss)}"

    def worked_derivative(self, z, y, dz, prediction, names=None):
        """One row's dL/dz with its numbers (the step-by-step view); the default states it."""
        if np.ndim(dz):
            return "dL/dz_k = " + _first(dz)
        return f"dL/dz = {number(dz)}"

    def near_kink(self, z, y, tolerance):
        """True for the rows within ``tolerance`` of a point where the loss has no derivative (gradient checks
        move them away); none by default."""
        return np.zeros(np.shape(y), dtype=bool)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.params().items())
        return f"{type(self).__name__}({args})"


def _label(y, names):
    return names[int(y)] if names else str(int(y))


def _first(values, count=3):
    values = np.ravel(values)
    return ", ".join(number(v) for v in values[:count]) + (" …" if values.size > count else "")


def _near(a, points, tolerance):
    """True where |a| is within ``tolerance`` of any of ``points``."""
    return np.any([np.abs(a - k) < tolerance for k in points], axis=0)


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
    behaviour = "outliers pull hard: a residual twice as large pulls twice as hard"
    use_when = "errors are roughly normal and large mistakes should cost much more"
    landscape_words = ("The MSE landscape is a smooth bowl with one lowest point, the least-squares solution; "
                       "lossplay landscape --loss mae draws a surface with creases where a residual crosses zero.")
    residual_only = True
    residual_factor = 2.0
    same_as_metric = "mse"
    quadratic = True

    def losses(self, z, y):
        r = z - y
        return r * r

    def derivative(self, z, y):
        return 2.0 * (z - y)

    def cost(self, z, y):
        r = z - y
        return float(np.dot(r, r)) / r.shape[0]

    def cost_and_derivative(self, z, y, out=None, scratch=None):
        r = np.subtract(z, y, out=out)
        cost = float(np.dot(r, r)) / r.shape[0]
        r *= 2.0
        return cost, r

    def cost_and_derivative_of_residual(self, r, out=None):
        return self.cost_of_residual(r), np.multiply(r, 2.0, out=out)

    def cost_of_residual(self, r):
        """C = (1/n) r . r"""
        return float(np.dot(r, r)) / r.shape[0]

    def worked_loss(self, z, y, loss, prediction, names=None):
        r = z - y
        return f"r = z − y = {number(z)} − {factor(y)} = {number(r)};  L = r² = {factor(r)}² = {number(loss)}"

    def worked_derivative(self, z, y, dz, prediction, names=None):
        return f"dL/dz = 2r = 2·{factor(z - y)} = {number(dz)}"


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
    behaviour = "robust: every row pulls with strength 1, however far off it is"
    use_when = "the data has outliers; it fits the median rather than the mean"
    landscape_words = ("The mae landscape is made of tilted planes joined at creases, one where each row's residual "
                       "crosses zero: a row pulls just as hard when it is nearly fitted as when it is far off, so the "
                       "slope does not fade smoothly near the minimum as MSE's does, and a path can rock across the "
                       "crease at the bottom.")
    residual_only = True

    def losses(self, z, y):
        return np.abs(z - y)

    def derivative(self, z, y):
        return np.sign(z - y)

    def cost_and_derivative(self, z, y, out=None, scratch=None):
        r = np.subtract(z, y, out=out)
        return float(np.mean(np.abs(r))), np.sign(r, out=r)

    def worked_loss(self, z, y, loss, prediction, names=None):
        return f"r = z − y = {number(z)} − {factor(y)} = {number(z - y)};  L = |r| = {number(loss)}"

    def worked_derivative(self, z, y, dz, prediction, names=None):
        return f"dL/dz = sign(r) = {number(dz)}"

    def near_kink(self, z, y, tolerance):
        return np.abs(z - y) < tolerance


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
    behaviour = "like MSE for small residuals, like MAE beyond δ: outliers pull at most δ"
    use_when = "mostly well-behaved data with some outliers; δ sets where a residual counts as large"
    residual_only = True

    def __init__(self, delta=1.0):
        self.delta = float(check("delta", delta))

    def losses(self, z, y):
        # with q = min(|r|, delta): q^2 / 2 + delta (|r| - q) is the same piecewise formula,
        # written so that the quadratic never sees a huge residual
        a = np.abs(z - y)
        q = np.minimum(a, self.delta)
        return 0.5 * q * q + self.delta * (a - q)

    def derivative(self, z, y):
        return np.clip(z - y, -self.delta, self.delta)

    def worked_loss(self, z, y, loss, prediction, names=None):
        r = z - y
        head = f"r = z − y = {number(z)} − {factor(y)} = {number(r)}"
        if abs(r) <= self.delta:
            return f"{head};  |r| within δ = {number(self.delta)}, so L = ½r² = {number(loss)}"
        return f"{head};  |r| beyond δ = {number(self.delta)}, so L = δ(|r| − ½δ) = {number(loss)}"

    def worked_derivative(self, z, y, dz, prediction, names=None):
        d = self.delta
        return f"dL/dz = clip(r, −δ, δ) = clip({number(z - y)}, {number(-d)}, {number(d)}) = {number(dz)}"

    def near_kink(self, z, y, tolerance):
        return _near(np.abs(z - y), (0.0, self.delta), tolerance)


class BinaryCrossEntropy(Loss):
    """Binary cross-entropy on the logit z, for labels y in {0, 1}:

        p = sigma(z)
        L = -[y log p + (1 - y) log(1 - p)] = softplus(z) - y * z
        dL/dz = p - y

    Computed from the logit, never from p, as (max(z, 0) - y z) + log1p(exp(-|z|)):
    finite and accurate for any finite z, where log(sigma(z)) would round to
    log(0) once sigma(z) rounds to 1 or 0.
    A confident wrong answer (p near 0 for a true 1) costs without bound.
    """

    name = "bce"
    task = "binary"
    title = "binary cross-entropy (log loss)"
    formula = "L = −[y·log p + (1 − y)·log(1 − p)],  p = σ(z)"
    derivative_formula = "dL/dz = p − y"
    behaviour = "a confident wrong answer costs without bound; the rare class counts as little as its share"
    same_as_metric = "log_loss"
    use_when = "two classes and you want calibrated probabilities (the standard choice)"

    def losses(self, z, y):
        return binary_cross_entropy(z, y)

    def derivative(self, z, y):
        return sigmoid(z) - y

    def cost_and_derivative(self, z, y, out=None, scratch=None):
        # both from e = exp(-|z|), in place in out:
        #   L = log1p(e) + max(z, 0) - y z, with sum max(z, 0) = (sum |z| + sum z) / 2
        #   p = sigma(z) = max(e, [z >= 0]) / (1 + e): the numerator is 1 for z >= 0 and e = exp(z)
        #   for z < 0, so both tails are exact
        n = z.shape[0]
        e = np.copysign(z, -1.0, out=out)  # -|z|
        positive_part = 0.5 * (float(z.sum()) - float(e.sum()))
        np.exp(e, out=e)
        scratch = np.log1p(e, out=scratch)
        total = float(scratch.sum()) + positive_part - float(np.dot(z, y))
        np.add(e, 1.0, out=scratch)
        np.maximum(e, z >= 0, out=e)
        np.divide(e, scratch, out=e)
        e -= y
        return total / n, e

    def worked_loss(self, z, y, loss, prediction, names=None):
        if int(y) == 1:
            return f"p = σ({number(z)}) = {number(prediction)}; y = 1, so L = −log p = {number(loss)}"
        return f"p = σ({number(z)}) = {number(prediction)}; y = 0, so L = −log(1 − p) = {number(loss)}"

    def worked_derivative(self, z, y, dz, prediction, names=None):
        return f"dL/dz = p − y = {number(prediction)} − {int(y)} = {number(dz)}"


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
    behaviour = "as binary cross-entropy, over k classes: only the true class's probability counts"
    use_when = "three or more classes (or two, with one logit per class)"
    same_as_metric = "log_loss"

    def losses(self, z, y):
        return softmax_cross_entropy(z, y)

    def derivative(self, z, y):
        g = softmax(z)
        g[np.arange(g.shape[0]), y] -= 1.0
        return g

    def cost_and_derivative(self, z, y, out=None, scratch=None):
        # one exp for both: with m the row maximum and s the sum of exp(z_k - m) over the other classes,
        # L = (m - z_y) + log1p(s) and p = exp(z - m) / (1 + s); in place in out
        n = z.shape[0]
        top = np.argmax(z, axis=1)[:, None]
        true = y[:, None]
        m = np.take_along_axis(z, top, axis=1)
        e = np.subtract(z, m, out=out)
        np.exp(e, out=e)
        np.put_along_axis(e, top, 0.0, axis=1)
        s = e.sum(axis=1, keepdims=True)
        total = float((m - np.take_along_axis(z, true, axis=1)).sum()) + float(np.log1p(s).sum())
        s += 1.0
        e /= s
        np.put_along_axis(e, top, 1.0 / s, axis=1)
        np.put_along_axis(e, true, np.take_along_axis(e, true, axis=1) - 1.0, axis=1)
        return total / n, e

    def worked_loss(self, z, y, loss, prediction, names=None):
        c = int(y)
        return (f"p = softmax(z); the true class is {_label(c, names)}, with p = {number(prediction[c])}, "
                f"so L = −log p = {number(loss)}")

    def worked_derivative(self, z, y, dz, prediction, names=None):
        return "dL/dz_k = p_k − [k = true class] = " + _first(dz)


class SmoothL1(Loss):
    """Smooth L1 loss with threshold beta > 0, r = z - y:

        L = r^2 / (2 beta)   if |r| < beta
        L = |r| - beta / 2   otherwise

        dL/dz = r / beta if |r| < beta, else sign(r)

    This is the smooth L1 of the deep-learning libraries. It is Huber's loss
    divided by its threshold: smooth_l1(beta) = huber(delta = beta) / beta, so
    beyond beta every row pulls with strength 1 (as in MAE), where Huber's rows
    pull with strength delta.
    """

    name = "smooth_l1"
    task = "regression"
    title = "smooth L1 loss"
    formula = "L = r²/(2β) if |r| < β, else |r| − ½β"
    derivative_formula = "dL/dz = r/β if |r| < β, else sign(r)"
    behaviour = "robust like MAE beyond β, smooth near 0; Huber with δ = β, divided by β"
    use_when = "as Huber, when the pull of a large residual should be 1 whatever the threshold"
    residual_only = True

    def __init__(self, beta=1.0):
        self.beta = float(check("beta", beta))

    def losses(self, z, y):
        a = np.abs(z - y)
        b = self.beta
        return np.where(a < b, 0.5 * a * a / b, a - 0.5 * b)

    def derivative(self, z, y):
        r = z - y
        return np.where(np.abs(r) < self.beta, r / self.beta, np.sign(r))

    def worked_loss(self, z, y, loss, prediction, names=None):
        r = z - y
        head = f"r = z − y = {number(z)} − {factor(y)} = {number(r)}"
        if abs(r) < self.beta:
            return f"{head};  |r| within β = {number(self.beta)}, so L = r²/(2β) = {number(loss)}"
        return f"{head};  |r| beyond β = {number(self.beta)}, so L = |r| − ½β = {number(loss)}"

    def worked_derivative(self, z, y, dz, prediction, names=None):
        return f"dL/dz = r/β or sign(r) = {number(dz)}  (r = {number(z - y)}, β = {number(self.beta)})"

    def near_kink(self, z, y, tolerance):
        return _near(np.abs(z - y), (0.0, self.beta), tolerance)


class LogCosh(Loss):
    """Log-cosh loss, r = z - y:

        L = log(cosh(r)) = |r| + softplus(-2|r|) - log 2
        dL/dz = tanh(r)

    About r^2 / 2 near zero and |r| - log 2 far away, like Huber with delta = 1,
    but smooth everywhere. The second form never overflows: cosh(r) itself
    does for |r| > 710.
    """

    name = "log_cosh"
    task = "regression"
    title = "log-cosh loss"
    formula = "L = log(cosh(r))"
    derivative_formula = "dL/dz = tanh(r)"
    behaviour = "about ½r² near 0 and |r| far away: robust, with a smooth pull that never exceeds 1"
    use_when = "you want Huber's robustness without choosing a threshold"
    residual_only = True

    def losses(self, z, y):
        a = np.abs(z - y)
        return a + softplus(-2.0 * a) - np.log(2.0)

    def derivative(self, z, y):
        return np.tanh(z - y)

    def worked_loss(self, z, y, loss, prediction, names=None):
        return f"r = z − y = {number(z)} − {factor(y)} = {number(z - y)};  L = log(cosh(r)) = {number(loss)}"

    def worked_derivative(self, z, y, dz, prediction, names=None):
        return f"dL/dz = tanh(r) = tanh({number(z - y)}) = {number(dz)}"


class Quantile(Loss):
    """Quantile (pinball) loss for the quantile tau in (0, 1), with e = y - z:

        L = tau * e          if e >= 0   (the prediction is too low)
        L = (tau - 1) * e    if e < 0    (the prediction is too high)

        dL/dz = -tau if z < y, 1 - tau if z > y, and 0 when z = y

    Its minimum is the tau-quantile of y, not the mean: tau = 0.9 predicts a
    value that 90% of targets fall below. tau = 0.5 is half the absolute error.
    """

    name = "quantile"
    task = "regression"
    title = "quantile (pinball) loss"
    formula = "L = τ·(y − z) if y ≥ z, else (1 − τ)·(z − y)"
    derivative_formula = "dL/dz = −τ if z < y, 1 − τ if z > y"
    behaviour = "robust like MAE; under- and over-predictions cost τ and 1 − τ per unit"
    use_when = "you want a quantile (say the 90th percentile), not the mean; τ = 0.5 gives the median"
    landscape_words = ("The quantile landscape is made of tilted planes joined at creases, one where each row's "
                       "residual crosses zero: a row pulls just as hard when it is nearly fitted as when it is far "
                       "off, so the slope does not fade smoothly near the minimum as MSE's does, and a path can rock "
                       "across the crease at the bottom.")
    residual_only = True

    def __init__(self, quantile=0.5):
        self.quantile = float(check("quantile", quantile))

    def losses(self, z, y):
        e = y - z
        return np.maximum(self.quantile * e, (self.quantile - 1.0) * e)

    def derivative(self, z, y):
        r = z - y
        return np.where(r > 0, 1.0 - self.quantile, np.where(r < 0, -self.quantile, 0.0))

    def worked_loss(self, z, y, loss, prediction, names=None):
        r = z - y
        head = f"r = z − y = {number(z)} − {factor(y)} = {number(r)}"
        tau = self.quantile
        if r <= 0:
            return f"{head};  y ≥ z, so L = τ·(y − z) = {number(tau)}·{number(-r)} = {number(loss)}"
        return f"{head};  y < z, so L = (1 − τ)·(z − y) = {number(1 - tau)}·{number(r)} = {number(loss)}"

    def worked_derivative(self, z, y, dz, prediction, names=None):
        return f"dL/dz = {number(dz)}  (−τ when z < y, 1 − τ when z > y; τ = {number(self.quantile)})"

    def near_kink(self, z, y, tolerance):
        return np.abs(z - y) < tolerance


class Focal(Loss):
    """Focal loss (Lin et al., 2017) on the logit z, for labels y in {0, 1}:

        s = 2y - 1,  p_t = sigma(s z)  (the probability given to the true class)
        L = -alpha_t * (1 - p_t)^gamma * log p_t
          = alpha_t * sigma(-s z)^gamma * softplus(-s z)
        dL/dz = -s * alpha_t * sigma(-s z)^gamma * [gamma * sigma(s z) * softplus(-s z) + sigma(-s z)]

    alpha_t is alpha for class 1 and 1 - alpha for class 0 (1 for both when
    alpha is None). The factor (1 - p_t)^gamma shrinks the loss of rows the
    model already gets right, so training focuses on the hard ones. gamma = 0
    and no alpha is exactly the binary cross-entropy. Everything is computed
    from the logit with softplus and a stable sigmoid.
    """

    name = "focal"
    task = "binary"
    title = "focal loss"
    formula = "L = −α_t·(1 − p_t)^γ·log p_t,  p_t = p if y = 1 else 1 − p"
    derivative_formula = "dL/dz = −s·α_t·(1−p_t)^γ·[γ·p_t·(−log p_t) + 1 − p_t], s = 2y−1"
    behaviour = "easy rows fade: (1 − p_t)^γ turns down the loss of rows already right; α weighs the classes"
    use_when = "imbalanced classes where the many easy examples drown the few hard ones"

    def __init__(self, gamma=2.0, alpha=None):
        self.gamma = float(check("gamma", gamma))
        self.alpha = None if alpha is None else float(check("alpha", alpha))

    def _parts(self, z, y):
        s = 2.0 * y - 1.0
        u = s * z
        alpha = 1.0 if self.alpha is None else np.where(y == 1, self.alpha, 1.0 - self.alpha)
        return s, u, alpha

    def losses(self, z, y):
        s, u, alpha = self._parts(z, y)
        return alpha * sigmoid(-u) ** self.gamma * softplus(-u)

    def derivative(self, z, y):
        s, u, alpha = self._parts(z, y)
        miss = sigmoid(-u)
        return -s * alpha * miss**self.gamma * (self.gamma * sigmoid(u) * softplus(-u) + miss)

    def worked_loss(self, z, y, loss, prediction, names=None):
        p = prediction
        p_t = p if int(y) == 1 else 1 - p
        alpha = "" if self.alpha is None else f"α_t = {number(self.alpha if int(y) == 1 else 1 - self.alpha)}, "
        return (f"p = σ({number(z)}) = {number(p)}; y = {int(y)}, so p_t = {number(p_t)}; {alpha}"
                f"L = −α_t·(1 − p_t)^{number(self.gamma)}·log p_t = {number(loss)}")

    def worked_derivative(self, z, y, dz, prediction, names=None):
        return f"dL/dz = {number(dz)}  (cross-entropy alone would give p − y = {number(prediction - y)})"


class Hinge(Loss):
    """Hinge loss on the score z, for labels y in {0, 1} mapped to s = 2y - 1 in {-1, +1}:

        L = max(0, 1 - s z)
        dL/dz = -s if s z < 1, else 0

    The loss of support vector machines: a row costs nothing once it is on
    the right side with a margin s z of at least 1, and the score is not a
    probability (the class is the sign of z). The kink at s z = 1 takes the
    subgradient 0.
    """

    name = "hinge"
    task = "binary"
    title = "hinge loss"
    formula = "L = max(0, 1 − s·z),  s = 2y − 1"
    derivative_formula = "dL/dz = −s if s·z < 1, else 0"
    behaviour = "rows beyond the margin cost nothing; a wrong row costs linearly, not without bound"
    use_when = "you want a maximum-margin boundary and no probabilities"

    def losses(self, z, y):
        return np.maximum(0.0, 1.0 - (2.0 * y - 1.0) * z)

    def derivative(self, z, y):
        s = 2.0 * y - 1.0
        return np.where(s * z < 1.0, -s, 0.0)

    def worked_loss(self, z, y, loss, prediction, names=None):
        s = 2 * int(y) - 1
        return f"y = {int(y)}, so s = {s:+d}; margin s·z = {number(s * z)}; L = max(0, 1 − s·z) = {number(loss)}"

    def worked_derivative(self, z, y, dz, prediction, names=None):
        if dz == 0:
            return "dL/dz = 0  (the margin s·z is at least 1: this row is already safe)"
        return f"dL/dz = −s = {number(dz)}  (the margin s·z is below 1)"

    def near_kink(self, z, y, tolerance):
        return np.abs((2.0 * y - 1.0) * z - 1.0) < tolerance


class ClassWeighted(Loss):
    """A classification loss whose cost is the weighted mean over rows:

        C = sum_i w_{y_i} L_i / sum_i w_{y_i}

    with one weight per class (as PyTorch's ``weight`` and scikit-learn's
    ``sample_weight`` do). ``losses`` stays unweighted; ``derivative``
    returns (n w_i / sum w) dL_i/dz_i, so that the model's mean over the n
    rows is the gradient of the weighted cost.
    """

    same_as_metric = None  # a weighted cost is no longer the plain metric
    mean_over_rows = False  # normalised by the weights of the rows present, not by their number

    def __init__(self, base, weights):
        self.base = base
        self.weights = np.asarray(weights, dtype=np.float64)
        for attribute in ("name", "task", "title", "formula", "derivative_formula", "behaviour", "use_when",
                          "landscape_words"):
            setattr(self, attribute, getattr(base, attribute))

    @property
    def option_names(self):
        return self.base.option_names

    def params(self):
        return {**self.base.params(), "class_weight": self.weights.tolist()}

    def row_weights(self, y):
        """The share n w_i / sum w of each row (1 for every row when all weights are equal)."""
        w = self.weights[y.astype(np.intp)]
        return w * (w.shape[0] / w.sum())

    def losses(self, z, y):
        return self.base.losses(z, y)

    def cost(self, z, y):
        return float(np.average(self.base.losses(z, y), weights=self.weights[y.astype(np.intp)]))

    def derivative(self, z, y):
        share = self.row_weights(y)
        d = self.base.derivative(z, y)
        return d * (share[:, None] if d.ndim == 2 else share)

    def worked_loss(self, z, y, loss, prediction, names=None):
        return self.base.worked_loss(z, y, loss, prediction, names)

    def worked_derivative_weighted(self, z, y, dz, share, prediction, names=None):
        """The base loss's dL/dz of one row, then its weighting by n w / sum w (``share``)."""
        plain = self.base.worked_derivative(z, y, dz / share, prediction, names)
        return f"{plain};  weighted: × n·w/Σw = {number(share)} → {_first(dz) if np.ndim(dz) else number(dz)}"

    def near_kink(self, z, y, tolerance):
        return self.base.near_kink(z, y, tolerance)


class OnProbability(Loss):
    """A regression loss applied to a logistic model's probability p = sigma(z):

        L = loss(p, y),   dL/dz = loss'(p, y) * p * (1 - p)

    This is how a squared error "for classification" trains, and why it is a
    poor choice: when the model is confidently wrong, p (1 - p) is nearly 0,
    so the gradient vanishes exactly where the model most needs to learn.
    Cross-entropy's derivative p - y has no such factor.
    """

    task = "binary"

    def __init__(self, base):
        self.base = base
        self.name = base.name
        self.title = f"{base.title} on the probability p = σ(z)"
        self.formula = f"{base.formula}, with z replaced by p = σ(z)"
        self.derivative_formula = f"dL/dz = [{base.derivative_formula.split('=', 1)[-1].strip()}]·p(1 − p)"
        self.behaviour = "flat where the model is confidently wrong: p(1 − p) ≈ 0 stalls learning"
        self.use_when = "as a lesson only: it shows why classifiers use cross-entropy"

    @property
    def option_names(self):
        return self.base.option_names

    def params(self):
        return self.base.params()

    def losses(self, z, y):
        return self.base.losses(sigmoid(z), y)

    def derivative(self, z, y):
        p = sigmoid(z)
        return self.base.derivative(p, y) * (p * (1.0 - p))

    def worked_loss(self, z, y, loss, prediction, names=None):
        p = prediction
        inner = self.base.worked_loss(p, y, loss, p, names).replace("r = z − y", "r = p − y", 1)
        return f"p = σ({number(z)}) = {number(p)}; {inner}"

    def worked_derivative(self, z, y, dz, prediction, names=None):
        p = prediction
        inner = self.base.derivative(np.array([p]), np.array([y]))[0]
        return (f"dL/dz = dL/dp · p(1 − p) = {factor(inner)}·{number(p)}·{number(1 - p)} = {number(dz)}"
                "  (the sigmoid's slope p(1 − p) shrinks it)")


LOSSES = {
    cls.name: cls
    for cls in (MeanSquaredError, MeanAbsoluteError, Huber, SmoothL1, LogCosh, Quantile,
                BinaryCrossEntropy, Focal, Hinge, CategoricalCrossEntropy)
}


def make_loss(name, **options):
    """Build the built-in loss called ``name``, passing it the options it takes (``delta`` for huber) that are
    given and not None; see ``registry.make_loss`` for a user's loss too."""
    return build_loss(LOSSES[name], options)


def build_loss(cls, options):
    """An instance of loss class ``cls`` with the options it takes from ``options`` (None: its own default)."""
    return cls(**{key: options[key] for key in cls.option_defaults() if options.get(key) is not None})


def balanced_weights(y, n_classes):
    """w_c = n / (k * n_c): each class then carries the same total weight (scikit-learn's 'balanced')."""
    counts = np.bincount(y.astype(np.intp), minlength=n_classes).astype(float)
    return np.divide(y.shape[0], n_classes * counts, out=np.zeros(n_classes), where=counts > 0)
