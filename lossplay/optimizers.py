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
    """The running mean v of the squared gradient, and the momentum buffer (None without momentum)."""

    v: np.ndarray
    buffer: np.ndarray | None = None


class AdagradState(NamedTuple):
    """The running sum G of the squared gradient."""

    G: np.ndarray


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
    behaviour = ("every step is lr times the gradient: slow on gentle slopes, unstable when lr is too large; "
                 "momentum builds speed along a consistent direction and damps zig-zags")
    use_when = "you want to see the plain loop, or tune a schedule by hand; momentum 0.9 is the usual upgrade"

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

    def update(self, grad, state, lr, params=None, trace=None):
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
    behaviour = ("each parameter gets its own step size, about lr at first whatever the gradient's scale; "
                 "momentum (m) and scaling (v) together")
    use_when = "a good default that needs little tuning; lr around 0.001 to 0.1"
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
    option_names = ("beta1", "beta2", "eps", "weight_decay")

    def __init__(self, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01):
        super().__init__(beta1, beta2, eps)
        if weight_decay < 0:
            raise ValueError(f"weight_decay must be >= 0, got {weight_decay}")
        self.weight_decay = float(weight_decay)

    def params(self):
        return {**super().params(), "weight_decay": self.weight_decay}

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


class Adagrad:
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
    option_names = ("eps",)

    def __init__(self, eps=1e-8):
        if not eps > 0:
            raise ValueError(f"eps must be positive, got {eps}")
        self.eps = float(eps)

    def params(self):
        return {"eps": self.eps}

    def init(self, theta):
        return AdagradState(G=np.zeros_like(theta))

    def update(self, grad, state, lr, params=None, trace=None):
        G = state.G + grad * grad
        return -lr * grad / (np.sqrt(G) + self.eps), AdagradState(G=G)


class RMSprop:
    """RMSprop (Hinton, 2012): divide the step by a running root-mean-square of the gradient.

    Inputs: learning rate lr, decay rho in [0, 1), eps > 0, momentum mu >= 0, gradient g_t.

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
    option_names = ("rho", "eps", "momentum")

    def __init__(self, rho=0.99, eps=1e-8, momentum=0.0):
        if not 0 <= rho < 1:
            raise ValueError(f"rho must be in [0, 1), got {rho}")
        if not eps > 0:
            raise ValueError(f"eps must be positive, got {eps}")
        if momentum < 0:
            raise ValueError(f"momentum must be >= 0, got {momentum}")
        self.rho = float(rho)
        self.eps = float(eps)
        self.momentum = float(momentum)

    def params(self):
        return {"rho": self.rho, "eps": self.eps, "momentum": self.momentum}

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


OPTIMIZERS = {cls.name: cls for cls in (SGD, Adam, AdamW, RMSprop, Adagrad)}

def make_optimizer(name, **options):
    """Build the optimizer called ``name``, passing it only the options it takes."""
    cls = OPTIMIZERS[name]
    return cls(**{key: options[key] for key in cls.option_names if key in options})
