"""The names lossplay knows and the options of its losses and optimizers: one table, without numpy.

The command line lists these names and options in ``--help`` without importing
numpy; ``config`` builds its fields and checks from them; the handout reads which
options belong to which loss or optimizer; the registries in ``losses.py`` and
``optimizers.py`` hold a class for each name (a test keeps the two in step, and
each class's own defaults equal the ones here).

An option of a loss or an optimizer is given once, as an ``Option``: its
default, its range (a test and the words for it), its symbol in the formulas and
its help text. ``check`` is the one place its range is enforced: the config, the
command line, the Python API and a class built by hand all call it.

A loss or an optimizer may also come from the user's own Python file:
``--loss my_loss.py:Cauchy``. Such a name is a *plugin spec*, ``PATH.py:CLASS``;
see ``lossplay.plugins``.
"""

import inspect
import math
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath

from lossplay.errors import LossplayError, spell


@dataclass(frozen=True)
class Option:
    """An option of a loss or an optimizer: its default, its range, its symbol and what it does."""

    name: str
    default: object
    expected: str  # the range in words, e.g. "in [0, 1)"
    test: object = field(repr=False)  # value -> True when in range
    symbol: str
    help: str
    kind: type = float

    def check(self, value):
        """Raise ``LossplayError`` unless ``value`` is in range (None, 'not given', always is); the message
        names the option as its reader knows it (``errors.spell``: delta, or --delta on the command line)."""
        if value is None or self.kind is bool:
            return value
        if isinstance(value, float) and not math.isfinite(value):
            raise LossplayError(f"{spell(self.name)} must be a finite number, got {value}.")
        if not self.test(value):
            raise LossplayError(f"{spell(self.name)} must be {self.expected}, got {value}.")
        return value


class Configurable:
    """The options of a loss or an optimizer are its constructor's keyword arguments, each kept as an
    attribute of the same name."""

    @classmethod
    def option_defaults(cls):
        """{option: default} of the constructor's keyword arguments."""
        return {name: p.default for name, p in inspect.signature(cls.__init__).parameters.items()
                if name != "self" and p.default is not inspect.Parameter.empty
                and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}

    @property
    def option_names(self):
        """The options it takes."""
        return tuple(self.option_defaults())

    def params(self):
        """Its options and their values, as a dict (empty for most losses)."""
        return {name: getattr(self, name, None) for name in self.option_names}


def _option(name, default, expected, test, symbol, help, kind=float):
    return Option(name, default, expected, test, symbol, help, kind)


OPTIONS = {o.name: o for o in (
    # losses
    _option("delta", 1.0, "> 0", lambda v: v > 0, "δ", "Huber's threshold: quadratic below it, linear above."),
    _option("beta", 1.0, "> 0", lambda v: v > 0, "β",
            "smooth_l1's threshold β (smooth_l1 = Huber with δ = β, divided by β)."),
    _option("quantile", 0.5, "in (0, 1)", lambda v: 0 < v < 1, "τ",
            "The quantile τ of the quantile loss (0.5: the median)."),
    _option("gamma", 2.0, ">= 0", lambda v: v >= 0, "γ", "Focal loss's focusing power γ (0 gives the cross-entropy)."),
    _option("alpha", None, "in (0, 1)", lambda v: 0 < v < 1, "α",
            "Focal loss's weight α of class 1 (class 0 gets 1 − α); none: both classes weigh 1."),
    # optimizers
    _option("momentum", 0.0, "in [0, 1)", lambda v: 0 <= v < 1, "μ",
            "Momentum μ of sgd and rmsprop: buf = μ·buf + g, step = −lr·buf."),
    _option("nesterov", False, "true or false", None, "", "Use Nesterov momentum with SGD (needs --momentum > 0).",
            bool),
    _option("beta1", 0.9, "in [0, 1)", lambda v: 0 <= v < 1, "β₁", "The decay rate of the mean gradient m (Adam)."),
    _option("beta2", 0.999, "in [0, 1)", lambda v: 0 <= v < 1, "β₂",
            "The decay rate of the mean squared gradient v (Adam)."),
    _option("eps", 1e-8, "> 0", lambda v: v > 0, "ε", "ε added after the square root (adam, adamw, rmsprop, adagrad)."),
    _option("rho", 0.99, "in [0, 1)", lambda v: 0 <= v < 1, "ρ", "RMSprop's decay rate of the mean squared gradient."),
    _option("weight_decay", 0.01, ">= 0", lambda v: v >= 0, "λ",
            "AdamW's decoupled weight decay λ: w shrinks by lr·λ·w each step, outside Adam's scaling "
            "(unlike --l2 with adam, whose penalty gradient is divided by √v̂ like any other)."),
)}


def check(name, value):
    """Check one option's value against its range (see ``Option.check``); returns the value."""
    return OPTIONS[name].check(value)


@dataclass(frozen=True)
class Entry:
    """A built-in loss or optimizer: its name, title and options; a loss's task, an optimizer's default rate."""

    name: str
    title: str
    options: tuple = ()
    task: str | None = None
    lr: float | None = None


LOSSES = {e.name: e for e in (
    Entry("mse", "mean squared error (L2)", task="regression"),
    Entry("mae", "mean absolute error (L1)", task="regression"),
    Entry("huber", "Huber loss", ("delta",), task="regression"),
    Entry("smooth_l1", "smooth L1 loss", ("beta",), task="regression"),
    Entry("log_cosh", "log-cosh loss", task="regression"),
    Entry("quantile", "quantile (pinball) loss", ("quantile",), task="regression"),
    Entry("bce", "binary cross-entropy (log loss)", task="binary"),
    Entry("focal", "focal loss", ("gamma", "alpha"), task="binary"),
    Entry("hinge", "hinge loss", task="binary"),
    Entry("cce", "categorical cross-entropy", task="multiclass"),
)}

OPTIMIZERS = {e.name: e for e in (
    Entry("sgd", "stochastic gradient descent", ("momentum", "nesterov"), lr=0.1),
    Entry("adam", "Adam", ("beta1", "beta2", "eps"), lr=0.05),
    Entry("adamw", "AdamW", ("beta1", "beta2", "eps", "weight_decay"), lr=0.05),
    Entry("rmsprop", "RMSprop", ("rho", "eps", "momentum"), lr=0.03),
    Entry("adagrad", "Adagrad", ("eps",), lr=0.5),
)}

LOSS_NAMES = tuple(LOSSES)
OPTIMIZER_NAMES = tuple(OPTIMIZERS)
LOSS_OPTIONS = tuple(dict.fromkeys(o for e in LOSSES.values() for o in e.options))
OPTIMIZER_OPTIONS = tuple(dict.fromkeys(o for e in OPTIMIZERS.values() for o in e.options))
DEFAULT_LR = {name: e.lr for name, e in OPTIMIZERS.items()}
PLUGIN_LR = 0.01  # the rate of a user's optimizer that does not name its own (``default_lr``)


def is_plugin(name):
    """True when a loss or optimizer name is a user's class in a file: 'PATH.py:CLASS'."""
    path, colon, cls = str(name).rpartition(":")
    return bool(colon) and path.endswith(".py") and cls.isidentifier()


def canonical_name(name):
    """A name as the catalog spells it: names are case-insensitive, so a built-in one in lower case ('MSE' ->
    'mse'); a user's class in a file ('PATH.py:CLASS', see ``is_plugin``) as written."""
    return name if is_plugin(name) else name.lower()


def file_name(value):
    """A path's last part, the name of the file or folder without the folders above it (either separator);
    any other text as it is. Pictures and handouts are shared: the folders of the machine that made them
    are nobody else's business."""
    text = str(value)
    return (PureWindowsPath(text) if "\\" in text else PurePosixPath(text)).name or text


def label(name):
    """A loss or optimizer name as tables and pictures show it: a built-in name as it is, a user's class as
    'FILE.py:CLASS' without its folders (short, and readable without running the file)."""
    head, at, rate = str(name).rpartition("@")
    if at and is_plugin(head):  # a user's optimizer with a rate of its own in --optimizers: FILE.py:CLASS@LR
        return f"{label(head)}@{rate}"
    if not is_plugin(name):
        return name
    path, _, cls = str(name).rpartition(":")
    return f"{file_name(path)}:{cls}"


def owners(option, table):
    """The names in ``table`` (LOSSES or OPTIMIZERS) that take ``option``."""
    return [name for name, entry in table.items() if option in entry.options]
