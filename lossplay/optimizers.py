"""Optimizers: how a gradient becomes a change of the parameters.

Each optimizer is a pair of functions over an explicit state, as in optax:

    state = optimizer.init(theta)
    step, state = optimizer.update(grad, state, lr)
    theta = theta + step

``update`` never changes ``state`` or ``grad``: it returns a new state, so the
state before and after a step can both be shown. The learning rate is passed
in at every step because a schedule may change it. Pass a dict as ``trace``
to receive the intermediate quantities of the rule (Adam's bias-corrected
moments, for example); the training loop does so only for the step-by-step view.

The protocol (``Optimizer``): ``init`` and ``update`` are all an optimizer must
define; the state is a NamedTuple whose array fields have theta's shape (None
for a part not in use). Its words (``title``, ``rule``, ``behaviour``,
``use_when``), the columns and the worked update of the step-by-step view have
defaults here, read from the state; an optimizer may give better ones. Options
are the constructor's keyword arguments, kept as attributes of the same name.
A user's own optimizer in a file (``--optimizer my_opt.py:Lion``) follows the
same protocol: see ``lossplay.registry``.
"""

from typing import NamedTuple

import numpy as np

from lossplay.catalog import Configurable, check
from lossplay.errors import LossplayError, spell
from lossplay.formatting import factor, number


class Optimizer(Configurable):
    """The protocol every optimizer follows; subclasses define ``init`` and ``update``.

    ``default_lr`` is its learning rate when none is given (None: the catalog's,
    or 0.01 for a user's optimizer). ``adaptive`` says that it divides each step by
    a running size of the gradient, so the stability limit of gradient descent
    2/lambda_max is no limit on its rate. ``carries_momentum`` says that a step
    also follows earlier gradients.
    """

    name = ""
    title = ""
    rule = ""
    behaviour = ""
    use_when = ""
    default_lr = None
    adaptive = False
    carries_momentum = False

    def init(self, theta):
        raise NotImplementedError(f"{type(self).__name__} must define init(theta)")

    def update(self, grad, state, lr, params=None, trace=None):
        raise NotImplementedError(f"{type(self).__name__} must define update(grad, state, lr, params, trace)")

    def stability_limit(self, limit):
        """The largest stable constant rate of this optimizer on a quadratic whose plain gradient-descent
        limit is ``limit`` = 2/lambda_max; None when there is none to speak of (an adaptive optimizer)."""
        return None if self.adaptive else limit

    def state_columns(self, before, after, trace):
        """The state for the step-by-step view: ([(label, before, after)], [(label, values)]) with arrays of
        theta's shape: each array of the state before → after, then what ``trace`` recorded. The default reads
        the state's fields."""
        columns = [(f"{field}: before → after", getattr(before, field), value)
                   for field, value in after._asdict().items() if isinstance(value, np.ndarray)]
        return columns, [(label, values) for label, values in trace.items()]

    def worked_update(self, i, name, grad, lr, step, before, after, trace):
        """The update of the parameter at flat index ``i`` (called ``name``) with its numbers."""
        parts = [f"{field} = {number(np.ravel(value)[i])}" for field, value in after._asdict().items()
                 if isinstance(value, np.ndarray)]
        g = np.ravel(grad)[i]
        return f"{name}: g = {number(g)}; " + "; ".join([*parts, f"step = {number(np.ravel(step)[i])}"])


class SGDState(NamedTuple):
    """The momentum buffer buf (None without momentum)."""

    buffer: np.ndarray | None


class AdamState(NamedTuple):
    """Step count t and the running moments m (of g) and v (of g^2)."""

    count: int  # type: ignore[assignment]  # the step count t, which hides tuple.count
    m: np.ndarray
    v: np.ndarray


class RMSpropState(NamedTuple):
    """The running mean v of the squared gradient, and the momentum buffer (None without momentum)."""

    v: np.ndarray
    buffer: np.ndarray | None = None


class AdagradState(NamedTuple):
    """The running sum G of the squared gradient."""

    G: np.ndarray


def _at(array, i):
    return np.ravel(array)[i]


class SGD(Optimizer):
    """Stochastic gradient descent, with optional (Nesterov) momentum.

    Inputs: learning rate lr, momentum mu in [0, 1), gradient g_t at step t.

        without momentum (mu = 0):  step = -lr * g_t
        with momentum:              buf_t = mu * buf_{t-1} + g_t     (buf_0 = 0)
                                    step  = -lr * buf_t
        Nesterov:                   step  = -lr * (g_t + mu * buf_t)

    This is the convention of PyTorch's SGD (the buffer accumulates raw
    gradients; the learning rate multiplies the whole buffer).
    """

    name = "sgd"
    title = "stochastic gradient descent"
    behaviour = ("every step is lr times the gradient: slow on gentle slopes, unstable when lr is too large; "
                 "momentum builds speed along a consistent direction and damps zig-zags")
    use_when = "you want to see the plain loop, or tune a schedule by hand; momentum 0.9 is the usual upgrade"

    def __init__(self, momentum=0.0, nesterov=False):
        self.momentum = float(check("momentum", momentum))
        if nesterov and momentum == 0:
            raise LossplayError(f"{spell('nesterov')} needs a momentum: add {spell('momentum', 0.9)}, for example.")
        self.nesterov = bool(nesterov)

    @property
    def carries_momentum(self):
        return self.momentum > 0

    @property
    def rule(self):
        """The update rule for these settings, in one line."""
        if not self.momentum:
            return "θ ← θ − lr·g"
        if self.nesterov:
            return "buf = μ·buf + g;  θ ← θ − lr·(g + μ·buf)"
        return "buf = μ·buf + g;  θ ← θ − lr·buf"

    def init(self, theta):
        return SGDState(buffer=np.zeros_like(theta) if self.momentum else None)

    def update(self, grad, state, lr, params=None, trace=None):
        if state.buffer is None:
            return -lr * grad, state
        buffer = self.momentum * state.buffer + grad
        direction = grad + self.momentum * buffer if self.nesterov else buffer
        if trace is not None:
            trace["direction"] = direction
        return -lr * direction, SGDState(buffer=buffer)

    def stability_limit(self, limit):
        """Heavy ball (buf = mu buf + g, step = -lr buf): lr < 2 (1 + mu) / lambda_max = (1 + mu) * limit;
        Nesterov (step = -lr (g + mu buf)): lr < 2 (1 + mu) / ((1 + 2 mu) lambda_max). Both follow from the
        roots of the two-step recurrence on one eigenvector staying inside the unit circle."""
        if self.nesterov:
            return limit * (1 + self.momentum) / (1 + 2 * self.momentum)
        return limit * (1 + self.momentum)

    def state_columns(self, before, after, trace):
        if after.buffer is None:
            return [], []
        return [("buf: before → after", before.buffer, after.buffer)], []

    def worked_update(self, i, name, grad, lr, step, before, after, trace):
        g, s = _at(grad, i), _at(step, i)
        if after.buffer is None:
            return f"{name}: step = −lr·g = −{number(lr)}·{factor(g)} = {number(s)}"
        b0, b1 = _at(before.buffer, i), _at(after.buffer, i)
        text = f"{name}: buf = μ·buf + g = {number(self.momentum)}·{factor(b0)} + {factor(g)} = {number(b1)}; "
        if self.nesterov:
            return text + f"step = −lr·(g + μ·buf) = {number(s)}"
        return text + f"step = −lr·buf = −{number(lr)}·{factor(b1)} = {number(s)}"


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015) with bias correction.

    Inputs: learning rate lr, decay rates beta1 and beta2, eps > 0, gradient g_t.

        t   = t + 1                                (t_0 = 0, m_0 = v_0 = 0)
        m_t = beta1 * m_{t-1} + (1 - beta1) * g_t
        v_t = beta2 * v_{t-1} + (1 - beta2) * g_t^2
        m^  = m_t / (1 - beta1^t)
        v^  = v_t / (1 - beta2^t)
        step = -lr * m^ / (sqrt(v^) + eps)

    eps is added after the square root, as in PyTorch and the paper (optax
    offers an ``eps_root`` inside it as well; lossplay does not).
    """

    name = "adam"
    title = "Adam"
    behaviour = ("each parameter gets its own step size, about lr at first whatever the gradient's scale; "
                 "momentum (m) and scaling (v) together")
    use_when = "a good default that needs little tuning; lr around 0.001 to 0.1"
    rule = "m = β₁m + (1−β₁)g;  v = β₂v + (1−β₂)g²;  θ ← θ − lr·m̂/(√v̂ + ε)"
    adaptive = True
    carries_momentum = True

    def __init__(self, beta1=0.9, beta2=0.999, eps=1e-8):
        self.beta1 = float(check("beta1", beta1))
        self.beta2 = float(check("beta2", beta2))
        self.eps = float(check("eps", eps))

    def init(self, theta):
        return AdamState(count=0, m=np.zeros_like(theta), v=np.zeros_like(theta))

    def update(self, grad, state, lr, params=None, trace=None):
        t = state.count + 1
        m = self.beta1 * state.m + (1.0 - self.beta1) * grad
        v = self.beta2 * state.v + (1.0 - self.beta2) * (grad * grad)
        m_hat = m / (1.0 - self.beta1**t)
        v_hat = v / (1.0 - self.beta2**t)
        step = -lr * m_hat / (np.sqrt(v_hat) + self.eps)
        if trace is not None:
            trace["m_hat"] = m_hat
            trace["v_hat"] = v_hat
        return step, AdamState(count=t, m=m, v=v)

    def state_columns(self, before, after, trace):
        derived = [("m̂", trace["m_hat"]), ("v̂", trace["v_hat"])]
        if "decay" in trace:
            derived.append(("decay", trace["decay"]))
        return ([(f"m: before → after (t = {after.count})", before.m, after.m),
                 ("v: before → after", before.v, after.v)], derived)

    def worked_update(self, i, name, grad, lr, step, before, after, trace):
        t, s, g = after.count, _at(step, i), _at(grad, i)
        m, v = _at(after.m, i), _at(after.v, i)
        m_hat, v_hat = _at(trace["m_hat"], i), _at(trace["v_hat"], i)
        b1, b2 = self.beta1, self.beta2
        text = (f"{name}: t = {t}; m = β₁·m + (1 − β₁)·g = {number(b1)}·{factor(_at(before.m, i))} + "
                f"{number(1 - b1)}·{factor(g)} = {number(m)}; v = β₂·v + (1 − β₂)·g² = "
                f"{number(b2)}·{factor(_at(before.v, i))} + {number(1 - b2)}·{factor(g)}² = {number(v)}; "
                f"m̂ = m/(1 − β₁^{t}) = {number(m_hat)}, v̂ = v/(1 − β₂^{t}) = {number(v_hat)}; "
                "step = −lr·m̂/(√v̂ + ε)")
        if "decay" in trace:
            decay = _at(trace["decay"], i)
            return text + f" − lr·λ·w = {number(s - decay)} + {factor(decay)} = {number(s)}"
        return text + (f" = −{number(lr)}·{factor(m_hat)}/({number(np.sqrt(v_hat))} + {number(self.eps)}) "
                       f"= {number(s)}")


class AdamW(Adam):
    """AdamW (Loshchilov & Hutter, 2019): Adam with decoupled weight decay.

    Inputs: as Adam, plus the weight decay lambda >= 0 and the parameters theta.

        m, v, m^, v^ as in Adam
        step = -lr * (m^ / (sqrt(v^) + eps) + lambda * w)      (the bias is not decayed)

    The decay is applied to the weights directly, outside Adam's rescaling.
    That is not the same as an L2 penalty (--l2) with Adam: the penalty's
    gradient l2 * w would go through m and v and be divided by sqrt(v^), so
    weights with large gradients would be decayed less. PyTorch's AdamW decays
    every parameter it is given; lossplay leaves the bias alone, as with --l2.
    With lambda = 0 this is exactly Adam.
    """

    name = "adamw"
    title = "AdamW"
    behaviour = "Adam, plus a pull of every weight towards 0 that Adam's scaling does not weaken"
    use_when = "you want Adam with regularisation that behaves like weight decay should"
    rule = "Adam's step, plus the decay: θ ← θ − lr·(m̂/(√v̂ + ε) + λ·w)"

    def __init__(self, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
        super().__init__(beta1, beta2, eps)
        self.weight_decay = float(check("weight_decay", weight_decay))

    def update(self, grad, state, lr, params=None, trace=None):
        step, state = super().update(grad, state, lr, params, trace)
        if self.weight_decay:
            if params is None:
                raise ValueError("AdamW needs the parameters to decay them")
            decay = np.zeros_like(params)
            decay[:-1] = self.weight_decay * params[:-1]
            step = step - lr * decay
            if trace is not None:
                trace["decay"] = -lr * decay
        return step, state


class Adagrad(Optimizer):
    """Adagrad (Duchi et al., 2011): every parameter's step shrinks with its own gradient history.

    Inputs: learning rate lr, eps > 0, gradient g_t.

        G_t  = G_{t-1} + g_t^2          (G_0 = 0)
        step = -lr * g_t / (sqrt(G_t) + eps)

    G only grows, so the steps only shrink: no learning-rate schedule is
    needed, but a long run slows to a crawl. eps is added after the square
    root, as in PyTorch.
    """

    name = "adagrad"
    title = "Adagrad"
    behaviour = "steps shrink as squared gradients pile up: big at first, ever smaller, never growing again"
    use_when = "features whose gradients differ a lot in size, on short runs"
    rule = "G = G + g²;  θ ← θ − lr·g/(√G + ε)"
    adaptive = True

    def __init__(self, eps=1e-8):
        self.eps = float(check("eps", eps))

    def init(self, theta):
        return AdagradState(G=np.zeros_like(theta))

    def update(self, grad, state, lr, params=None, trace=None):
        G = state.G + grad * grad
        return -lr * grad / (np.sqrt(G) + self.eps), AdagradState(G=G)

    def state_columns(self, before, after, trace):
        return [("G: before → after", before.G, after.G)], []

    def worked_update(self, i, name, grad, lr, step, before, after, trace):
        g, G0, G1 = _at(grad, i), _at(before.G, i), _at(after.G, i)
        return (f"{name}: G = G + g² = {number(G0)} + {factor(g)}² = {number(G1)}; step = −lr·g/(√G + ε) = "
                f"−{number(lr)}·{factor(g)}/{number(np.sqrt(G1))} = {number(_at(step, i))}")


class RMSprop(Optimizer):
    """RMSprop (Hinton, 2012): divide the step by a running root-mean-square of the gradient.

    Inputs: learning rate lr, decay rho in [0, 1), eps > 0, momentum mu in [0, 1), gradient g_t.

        v_t  = rho * v_{t-1} + (1 - rho) * g_t^2          (v_0 = 0)
        without momentum:  step = -lr * g_t / (sqrt(v_t) + eps)
        with momentum:     buf_t = mu * buf_{t-1} + g_t / (sqrt(v_t) + eps)
                           step  = -lr * buf_t

    eps is added after the square root, as in PyTorch (TensorFlow adds it
    inside); the momentum follows PyTorch's RMSprop too.
    """

    name = "rmsprop"
    title = "RMSprop"
    behaviour = "like Adagrad, but the memory of squared gradients fades (ρ), so steps do not shrink forever"
    use_when = "noisy gradients or changing scales; lr around 0.001 to 0.03"
    adaptive = True

    def __init__(self, rho=0.99, eps=1e-8, momentum=0.0):
        self.rho = float(check("rho", rho))
        self.eps = float(check("eps", eps))
        self.momentum = float(check("momentum", momentum))

    @property
    def carries_momentum(self):
        return self.momentum > 0

    @property
    def rule(self):
        """The update rule for these settings, in one line."""
        if self.momentum:
            return "v = ρv + (1−ρ)g²;  buf = μ·buf + g/(√v + ε);  θ ← θ − lr·buf"
        return "v = ρv + (1−ρ)g²;  θ ← θ − lr·g/(√v + ε)"

    def init(self, theta):
        return RMSpropState(v=np.zeros_like(theta), buffer=np.zeros_like(theta) if self.momentum else None)

    def update(self, grad, state, lr, params=None, trace=None):
        v = self.rho * state.v + (1.0 - self.rho) * (grad * grad)
        scaled = grad / (np.sqrt(v) + self.eps)
        if state.buffer is None:
            return -lr * scaled, RMSpropState(v=v)
        buffer = self.momentum * state.buffer + scaled
        return -lr * buffer, RMSpropState(v=v, buffer=buffer)

    def state_columns(self, before, after, trace):
        columns = [("v: before → after", before.v, after.v)]
        if after.buffer is not None:
            columns.append(("buf: before → after", before.buffer, after.buffer))
        return columns, []

    def worked_update(self, i, name, grad, lr, step, before, after, trace):
        g, s = _at(grad, i), _at(step, i)
        v0, v1 = _at(before.v, i), _at(after.v, i)
        text = (f"{name}: v = ρv + (1−ρ)g² = {number(self.rho)}·{factor(v0)} + {number(1 - self.rho)}·{factor(g)}² "
                f"= {number(v1)}; ")
        if after.buffer is not None:
            return text + f"buf = μ·buf + g/(√v + ε) = {number(_at(after.buffer, i))}; step = −lr·buf = {number(s)}"
        return text + (f"step = −lr·g/(√v + ε) = −{number(lr)}·{factor(g)}/({number(np.sqrt(v1))} + "
                       f"{number(self.eps)}) = {number(s)}")


OPTIMIZERS = {cls.name: cls for cls in (SGD, Adam, AdamW, RMSprop, Adagrad)}


def make_optimizer(name, **options):
    """Build the built-in optimizer called ``name``, passing it the options it takes that are given and not
    None; see ``registry.make_optimizer`` for a user's optimizer too."""
    return build_optimizer(OPTIMIZERS[name], options)


def build_optimizer(cls, options):
    """An instance of optimizer class ``cls`` with the options it takes from ``options`` (None: its default)."""
    return cls(**{key: options[key] for key in cls.option_defaults() if options.get(key) is not None})
