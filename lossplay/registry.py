"""Which class a loss or an optimizer name means: a built-in one, or a user's class from a Python file.

``--loss mse`` names a built-in loss; ``--loss my_loss.py:Cauchy`` names the
class ``Cauchy`` in the file ``my_loss.py``. lossplay then **runs that file as
Python** (as ``python my_loss.py`` would, once per process) to find the class:
use only files you trust. The class follows the protocol of ``losses.Loss``
(``losses(z, y)``, ``derivative(z, y)`` and ``task``) or of
``optimizers.Optimizer`` (``init(theta)`` and ``update(grad, state, lr, params,
trace)``); it need not subclass them, since the defaults of the protocol are
added to it here.

A user's loss is checked before anything trains (``check_loss``): its
derivative against central finite differences of its own losses, at random
points of its task. A wrong derivative is refused with an error that shows the
row where it differs. A user's optimizer is checked for the shapes and finite
numbers of one step (``check_optimizer``).
"""

import hashlib
import importlib.util
import sys
from pathlib import Path

import numpy as np

from lossplay.catalog import PLUGIN_LR, canonical_name, is_plugin
from lossplay.errors import LossplayError, did_you_mean, spell
from lossplay.formatting import number
from lossplay.losses import LOSSES, Loss, build_loss
from lossplay.optimizers import OPTIMIZERS, Optimizer, build_optimizer

TASKS = ("regression", "binary", "multiclass")
_LOADED: dict[tuple[str, str, str], type] = {}  # (kind, resolved path, class name) -> class


def loss_class(name):
    """The class of loss ``name``: a built-in one (in any case) or a user's (``PATH.py:CLASS``)."""
    return _class_of(name, LOSSES, "loss")


def optimizer_class(name):
    """The class of optimizer ``name``: a built-in one (in any case) or a user's (``PATH.py:CLASS``)."""
    return _class_of(name, OPTIMIZERS, "optimizer")


def _class_of(name, built_in, kind):
    name = canonical_name(name)
    if name in built_in:
        return built_in[name]
    if is_plugin(name):
        return _load(name, kind)
    raise LossplayError(f"Unknown {kind} '{name}'.{did_you_mean(name, built_in)} Choose from: "
                        f"{', '.join(built_in)}, or give your own as FILE.py:CLASS.")


def make_loss(name, **options):
    """The loss called ``name`` with the options it takes from ``options`` (None: its own default)."""
    return build_loss(loss_class(name), options)


def make_optimizer(name, **options):
    """The optimizer called ``name`` with the options it takes from ``options`` (None: its own default)."""
    return build_optimizer(optimizer_class(name), options)


def default_lr(name):
    """The learning rate of optimizer ``name`` when none is given: its own ``default_lr``, the catalog's
    for a built-in one, else 0.01."""
    from lossplay.catalog import DEFAULT_LR

    name = canonical_name(name)
    cls = optimizer_class(name)
    return cls.default_lr if cls.default_lr is not None else DEFAULT_LR.get(name, PLUGIN_LR)


def display_name(name, kind="loss"):
    """The short name of a loss or an optimizer: 'mse', or a user's class's own ``name`` (its class name
    in lower case when it has none), for folder names and tables."""
    if not is_plugin(name):
        return name
    return (loss_class if kind == "loss" else optimizer_class)(name).name


def _load(spec, kind):
    """The class named by ``PATH.py:CLASS``, with the protocol's defaults added; loaded once per process."""
    path_text, _, cls_name = spec.rpartition(":")
    path = Path(path_text).expanduser()
    if not path.is_file():
        raise LossplayError(f"{spell(kind, spec)}: there is no file '{path_text}'. Give the path of your Python file, "
                            f"then a colon and the class, like my_{kind}.py:MyClass.")
    key = (kind, str(path.resolve()), cls_name)
    if key in _LOADED:
        return _LOADED[key]
    module_name = "lossplay_user_" + hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:12]
    module = sys.modules.get(module_name)
    if module is None:
        module_spec = importlib.util.spec_from_file_location(module_name, path)
        if module_spec is None or module_spec.loader is None:
            raise LossplayError(f"{spell(kind, spec)}: '{path_text}' cannot be read as a Python module.")
        module = importlib.util.module_from_spec(module_spec)
        try:
            module_spec.loader.exec_module(module)
        except SyntaxError as error:
            raise LossplayError(f"{spell(kind, spec)}: '{path_text}' line {error.lineno}: {error.msg}.") from None
        except Exception as error:  # the user's own code failed while loading
            where = _user_line(error, path)
            raise LossplayError(f"{spell(kind, spec)}: running '{path_text}' raised {type(error).__name__}: "
                                f"{error}{where}.") from None
        sys.modules[module_name] = module
    found = getattr(module, cls_name, None)
    if not isinstance(found, type):
        classes = [n for n, v in vars(module).items() if isinstance(v, type) and v.__module__ == module_name]
        raise LossplayError(f"{spell(kind, spec)}: '{path_text}' defines no class '{cls_name}'."
                            f"{did_you_mean(cls_name, classes)}"
                            + (f" Its classes: {', '.join(classes)}." if classes else ""))
    base, needed = (Loss, ("losses", "derivative")) if kind == "loss" else (Optimizer, ("init", "update"))
    missing = [m for m in needed if not callable(getattr(found, m, None))]
    if missing:
        raise LossplayError(f"{spell(kind, spec)}: the class {cls_name} has no method {' or '.join(missing)}; a {kind} "
                            f"defines {' and '.join(needed)} (see docs/your-own-loss.md).")
    if not issubclass(found, base):
        added = {"__module__": found.__module__, "__doc__": found.__doc__}
        if kind == "optimizer" and not hasattr(found, "stability_limit"):
            added["stability_limit"] = _no_claim  # gradient descent's limit is claimed only when declared
        found = type(cls_name, (found, base), added)
    cls = found
    if kind == "loss" and getattr(cls, "task", None) not in TASKS:
        raise LossplayError(f"{spell('loss', spec)}: {cls_name}.task must be one of {', '.join(TASKS)}, got "
                            f"{getattr(cls, 'task', None)!r}.")
    if not getattr(cls, "name", ""):
        cls.name = cls_name.lower()
    _LOADED[key] = cls
    return cls


def _no_claim(optimizer, limit):
    """The stability limit of a user's optimizer that does not declare one: none is claimed."""
    return None


def _user_line(error, path):
    """', at line N of the file' from a traceback that passed through the user's file."""
    tb = error.__traceback__
    line = None
    while tb is not None:
        if Path(tb.tb_frame.f_code.co_filename).resolve() == path.resolve():
            line = tb.tb_lineno
        tb = tb.tb_next
    return f", at line {line} of the file" if line else ""


def _points(task, rng, n=30, k=3):
    """Random raw outputs z and targets y of a task, for checking a loss: two thirds at an ordinary scale
    (normal, standard deviation 2), a third far out (standard deviation 10)."""
    scale = np.where(np.arange(n) < 2 * n // 3, 2.0, 10.0)
    if task == "regression":
        return rng.normal(0.0, 1.0, n) * scale, rng.normal(0.0, 2.0, n)
    if task == "binary":
        return rng.normal(0.0, 1.0, n) * scale, rng.integers(0, 2, n).astype(np.float64)
    return rng.normal(0.0, 1.0, (n, k)) * scale[:, None], rng.integers(0, k, n)


# a user's loss may leave out (``near_kink``) at most this share of the rows checked
MOST_KINKS = 0.5


def check_loss(loss, spec, n_classes=3, tolerance=1e-5, h=1e-6, seed=0):
    """Refuse a user's loss whose ``derivative`` disagrees with central finite differences of its ``losses``
    (each row's loss against its own z), or whose outputs have the wrong shape or are not finite.

    At each row (and class), with a = derivative and d = (L(z + h) − L(z − h)) / 2h, the gap
    |a − d| must be at most tolerance·(|a| + |d| + 0.01·S) + 10·ε·(|L| + 1)/h, where S is the largest
    |a| + |d| of all rows: the last two terms allow for rounding (ε, the float64 spacing at 1; a finite
    difference divides the rounding of L by h), so a right derivative that is tiny where L is computed from
    large numbers is not refused, while a wrong one, off by a share of its size, still is. Rows within
    1e-4 of a kink the loss declares (``near_kink``) are left out, but no more than half of them.
    ``n_classes`` is the number of classes of the data (several-class losses).
    """
    rng = np.random.default_rng(seed)
    z, y = _points(loss.task, rng, k=n_classes)
    what = spell("loss", spec)
    try:
        with np.errstate(all="ignore"):
            values = np.asarray(loss.losses(z, y), dtype=np.float64)
            analytic = np.asarray(loss.derivative(z, y), dtype=np.float64)
    except Exception as error:  # the user's own code
        raise LossplayError(f"{what}: calling it on {z.shape[0]} rows raised {type(error).__name__}: {error}.") \
            from None
    if values.shape != (z.shape[0],):
        raise LossplayError(f"{what}: losses(z, y) must give one loss per row, shape ({z.shape[0]},), "
                            f"got shape {values.shape}.")
    if analytic.shape != z.shape:
        raise LossplayError(f"{what}: derivative(z, y) must have z's shape {z.shape}, got {analytic.shape}.")
    if not (np.isfinite(values).all() and np.isfinite(analytic).all()):
        raise LossplayError(f"{what}: losses or derivative gave a number that is not finite at ordinary values of "
                            "z and y.")
    numeric = np.zeros_like(z)
    with np.errstate(all="ignore"):
        for index in np.ndindex(z.shape):
            up, down = z.copy(), z.copy()
            up[index] += h
            down[index] -= h
            row = index[0]
            numeric[index] = (loss.losses(up, y)[row] - loss.losses(down, y)[row]) / (2 * h)
    rounding = 10 * np.finfo(np.float64).eps * (np.abs(values) + 1.0) / h
    size = np.abs(analytic) + np.abs(numeric)
    allowed = tolerance * (size + 0.01 * size.max()) + (rounding[:, None] if z.ndim == 2 else rounding)
    excess = np.abs(analytic - numeric) - allowed
    kinks = np.asarray(loss.near_kink(z, y, 1e-4), dtype=bool).reshape(z.shape[0])
    if kinks.mean() > MOST_KINKS:
        raise LossplayError(f"{what}: near_kink(z, y, tolerance) leaves out {int(kinks.sum())} of the {kinks.size} "
                            "rows checked: it should be true only within the tolerance of a point where the loss "
                            "has no derivative.")
    excess[kinks] = -np.inf
    worst = np.unravel_index(int(np.argmax(excess)), excess.shape)
    if excess[worst] > 0:
        row = worst[0]
        at = f"z = {number(z[worst])}" if z.ndim == 1 else f"z[{row}, {worst[1]}] = {number(z[worst])}"
        raise LossplayError(
            f"{what}: derivative(z, y) disagrees with the slope of losses(z, y) at {at}, y = {number(y[row])}: "
            f"derivative gives {number(analytic[worst])}, the finite difference (L(z + h) − L(z − h)) / 2h gives "
            f"{number(numeric[worst])}. Check the formula of derivative; lossplay gradcheck --loss {spec} "
            "shows it against every model.")
    return loss


def check_optimizer(optimizer, spec, shape=(3,)):
    """Refuse a user's optimizer whose first steps on a small parabola, with theta of ``shape`` (the run's),
    are not finite arrays of theta's shape."""
    theta = np.linspace(-2.0, 1.0, int(np.prod(shape))).reshape(shape)
    what = spell("optimizer", spec)
    try:
        state = optimizer.init(theta)
        for _ in range(3):
            step, state = optimizer.update(2.0 * theta, state, 0.01, theta.copy(), None)
            step = np.asarray(step, dtype=np.float64)
            if step.shape != theta.shape:
                raise LossplayError(f"{what}: update must return a step of theta's shape {theta.shape}, got "
                                    f"{step.shape}.")
            if not np.isfinite(step).all():
                raise LossplayError(f"{what}: update gave a step that is not finite on a plain parabola.")
            theta = theta + step
    except LossplayError:
        raise
    except Exception as error:  # the user's own code
        raise LossplayError(f"{what}: a first step on a parabola raised {type(error).__name__}: {error}.") from None
    if not (isinstance(state, tuple) and hasattr(state, "_asdict")):
        raise LossplayError(f"{what}: init and update must return the state as a NamedTuple (its fields are shown "
                            f"step by step), got {type(state).__name__}.")
    return optimizer
