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
"""

from typing import NamedTuple

import numpy as np


class SGDState(NamedTuple):
    """The momentum buffer buf (None without momentum)."""

    buffer: np.ndarray | None


class AdamState(NamedTuple):
    """Step count t and the running moments m (of g) and v (of g^2)."""

    count: int
    m: np.ndarray
    v: np.ndarray


class RMSpropState(NamedTuple):
    """The running mean v of the squared gradient."""

    v: np.ndarray


class SGD:
    """Stochastic gradient descent, with optional (Nesterov) momentum.

    Inputs: learning rate lr, momentum mu >= 0, gradient g_t at step t.

        without momentum (mu = 0):  step = -lr * g_t
        with momentum:              buf_t = mu * buf_{t-1} + g_t     (buf_0 = 0)
                                    step  = -lr * buf_t
        Nesterov:                   step  = -lr * (g_t + mu * buf_t)

    This is the convention of PyTorch's SGD (the buffer accumulates raw
    gradients; the learning rate multiplies the whole buffer).
    """

    name = "sgd"
    title = "stochastic gradient descent"
    option_names = ("momentum", "nesterov")

    def __init__(self, momentum=0.0, nesterov=False):
        if momentum < 0:
            raise ValueError(f"momentum must be >= 0, got {momentum}")
        if nesterov and momentum == 0:
            raise ValueError("Nesterov momentum needs a momentum > 0")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def params(self):
        return {"momentum": self.momentum, "nesterov": self.nesterov}

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

    def update(self, grad, state, lr, trace=None):
        if state.buffer is None:
            return -lr * grad, state
        buffer = self.momentum * state.buffer + grad
        direction = grad + self.momentum * buffer if self.nesterov else buffer
        if trace is not None:
            trace["direction"] = direction
        return -lr * direction, SGDState(buffer=buffer)


class Adam:
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
    rule = "m = β₁m + (1−β₁)g;  v = β₂v + (1−β₂)g²;  θ ← θ − lr·m̂/(√v̂ + ε)"
    option_names = ("beta1", "beta2", "eps")

    def __init__(self, beta1=0.9, beta2=0.999, eps=1e-8):
        for label, beta in (("beta1", beta1), ("beta2", beta2)):
            if not 0 <= beta < 1:
                raise ValueError(f"{label} must be in [0, 1), got {beta}")
        if not eps > 0:
            raise ValueError(f"eps must be positive, got {eps}")
        self.beta1 = float(beta1)
        self.beta2 = float(beta2)
        self.eps = float(eps)

    def params(self):
        return {"beta1": self.beta1, "beta2": self.beta2, "eps": self.eps}

    def init(self, theta):
        return AdamState(count=0, m=np.zeros_like(theta), v=np.zeros_like(theta))

    def update(self, grad, state, lr, trace=None):
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


class RMSprop:
    """RMSprop (Hinton, 2012): divide the step by a running root-mean-square of the gradient.

    Inputs: learning rate lr, decay rho in [0, 1), eps > 0, gradient g_t.

        v_t  = rho * v_{t-1} + (1 - rho) * g_t^2     (v_0 = 0)
        step = -lr * g_t / (sqrt(v_t) + eps)

    eps is added after the square root, as in PyTorch (TensorFlow adds it inside).
    """

    name = "rmsprop"
    title = "RMSprop"
    rule = "v = ρv + (1−ρ)g²;  θ ← θ − lr·g/(√v + ε)"
    option_names = ("rho", "eps")

    def __init__(self, rho=0.99, eps=1e-8):
        if not 0 <= rho < 1:
            raise ValueError(f"rho must be in [0, 1), got {rho}")
        if not eps > 0:
            raise ValueError(f"eps must be positive, got {eps}")
        self.rho = float(rho)
        self.eps = float(eps)

    def params(self):
        return {"rho": self.rho, "eps": self.eps}

    def init(self, theta):
        return RMSpropState(v=np.zeros_like(theta))

    def update(self, grad, state, lr, trace=None):
        v = self.rho * state.v + (1.0 - self.rho) * (grad * grad)
        step = -lr * grad / (np.sqrt(v) + self.eps)
        return step, RMSpropState(v=v)


OPTIMIZERS = {cls.name: cls for cls in (SGD, Adam, RMSprop)}


def make_optimizer(name, **options):
    """Build the optimizer called ``name``, passing it only the options it takes."""
    cls = OPTIMIZERS[name]
    return cls(**{key: options[key] for key in cls.option_names if key in options})
