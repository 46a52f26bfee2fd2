"""Every option of a training run, in one place.

``TrainConfig`` is the single list of options: the command line builds its
flags from it, a TOML file (``--config``) fills it with the same names, and
``lossplay.train(**options)`` takes them as keyword arguments. Each field
carries its help text and the section it is listed under.

Precedence: the defaults here, then the TOML file, then the command line.
Options whose default depends on another one (the model and dataset follow
the loss, the learning rate follows the optimizer) stay None until a run is
built; see ``experiment.resolve``.

Every value that reaches an option, from Python, a TOML file or a list of
``lossplay compare``, is brought to the option's type in one place, ``coerce``:
numpy's numbers count as the numbers they hold, a path as its text, and
anything else is a ``LossplayError`` that names the option and the value.
"""

import dataclasses
import inspect
import math
import numbers
import os
import shlex
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypedDict, TypeVar

from lossplay import catalog
from lossplay.catalog import DEFAULT_LR, LOSS_NAMES, OPTIMIZER_NAMES, canonical_name, is_plugin
from lossplay.errors import LossplayError, did_you_mean, flag_name, spell
from lossplay.inputs import read_bytes

# The names of the losses and optimizers come from the catalog; those of the registries in models.py and
# schedules.py are written out here so that 'lossplay train --help' can list them without importing numpy
# (a test keeps them in step).
MODEL_NAMES = ("linear", "logistic", "softmax")
SCHEDULES = ("constant", "step", "exponential", "cosine")
INIT_NAMES = ("zeros", "normal")
# names accepted where runs are set side by side (compare --optimizers, landscape --optimizers):
# SGD with momentum 0.9, plain or Nesterov
OPTIMIZER_SPECS = {
    "momentum": {"optimizer": "sgd", "momentum": 0.9},
    "nesterov": {"optimizer": "sgd", "momentum": 0.9, "nesterov": True},
}

SECTIONS = ("Data", "Model and loss", "Optimizer", "Training loop", "Output")
# the longest --pace, in seconds: time for a class to read a row, not a run that seems to hang
MAX_PACE = 10.0


def option(default, section, help, *, metavar=None, flag=None, shown=None):
    """A config field with its command-line help.

    ``flag`` is the click spelling of a boolean (e.g. "--shuffle/--no-shuffle");
    ``shown`` replaces the default printed in the help.
    """
    return field(default=default, metadata={
        "section": section, "help": help, "metavar": metavar, "flag": flag, "shown": shown,
    })


def catalog_option(name, section, shown=None):
    """A config field for an option of a loss or an optimizer, from the catalog: None until a run is built,
    when the chosen loss or optimizer's own default fills it."""
    entry = catalog.OPTIONS[name]
    owners = catalog.owners(name, catalog.LOSSES) or catalog.owners(name, catalog.OPTIMIZERS)
    range_words = f" ({entry.symbol} {entry.expected})" if entry.symbol else ""
    return option(None, section, f"{entry.help}{range_words}", metavar="F",
                  shown=shown or f"{entry.default:g}; read by {', '.join(owners)}")


@dataclass(frozen=True)
class TrainConfig:
    """The options of one training run; see ``lossplay train --help`` for each one."""

    # Data
    dataset: str | None = option(
        None, "Data",
        "Built-in or shipped dataset (see 'lossplay datasets') or the path of a CSV or text file of numbers "
        "(- reads it from standard input).",
        metavar="NAME|PATH", shown="linear; blobs for bce, blobs3 for cce")
    target: str | None = option(
        None, "Data", "Target column of a CSV file.", metavar="COLUMN", shown="the last column")
    header: bool | None = option(
        None, "Data",
        "Whether the first line of a CSV file names its columns. Without names the columns are called x1, x2, "
        "... and y (the last).", flag="--header/--no-header",
        shown="a first line of numbers is data, anything else names the columns")
    features: str | None = option(
        None, "Data", "Learn from these columns of a CSV file or shipped dataset only, in this order (names "
        "separated by commas).",
        metavar="A,B", shown="every column but the target")
    drop: str | None = option(
        None, "Data", "Leave these columns out (names separated by commas).", metavar="A,B", shown="none")
    samples: int | None = option(
        None, "Data", "Rows to generate (generated datasets only).", metavar="N",
        shown="the dataset's own, e.g. 200")
    noise: float | None = option(
        None, "Data",
        "Noise of a generated dataset: the standard deviation of the target noise (regression) "
        "or of each cloud of points (classification).", metavar="F", shown="the dataset's own, e.g. 1.0")
    drop_missing: bool = option(
        False, "Data", "Leave out the rows of a CSV file that have missing or non-finite values.",
        flag="--drop-missing")
    val_split: float = option(
        0.2, "Data", "Fraction of rows held out for validation; 0 trains on every row, in file order.",
        metavar="F")
    standardize: bool = option(
        True, "Data", "Rescale each feature to mean 0 and standard deviation 1 (the population one, divided by n), "
        "fitted on the training rows.",
        flag="--standardize/--no-standardize")
    poly_degree: int = option(
        1, "Data", "Add the powers 2..N of each feature (polynomial features) to let a linear model bend.",
        metavar="N")
    interactions: bool = option(
        False, "Data", "With --poly-degree N, add every product of the features up to degree N (x1·x2, "
        "x1^2·x2, ...), not only the powers of each one.", flag="--interactions")
    outliers: bool = option(
        False, "Data", "Corrupt a fraction of the training targets (the validation rows stay clean).",
        flag="--outliers")
    outlier_fraction: float = option(
        0.1, "Data", "Fraction of training rows corrupted by --outliers, in (0, 0.5].", metavar="F")
    seed: int = option(
        0, "Data", "Seed of every random choice: data, split, outliers, initial weights, batch order.",
        metavar="N")

    # Model and loss
    loss: str | None = option(
        None, "Model and loss",
        f"Loss function: {', '.join(LOSS_NAMES)}, or your own class in a Python file: FILE.py:CLASS "
        "(this runs that file).", metavar="NAME",
        shown="mse; bce or cce for a classification dataset")
    model: str | None = option(
        None, "Model and loss", f"Model: {', '.join(MODEL_NAMES)}.", metavar="NAME",
        shown="from the loss: linear for mse/mae/huber, logistic for bce, softmax for cce")
    delta: float | None = catalog_option("delta", "Model and loss")
    beta: float | None = catalog_option("beta", "Model and loss")
    quantile: float | None = catalog_option("quantile", "Model and loss")
    gamma: float | None = catalog_option("gamma", "Model and loss")
    alpha: float | None = catalog_option("alpha", "Model and loss", shown="none: both classes weigh 1")
    class_weight: str | None = option(
        None, "Model and loss",
        "Class weights for bce, cce and focal: 'balanced' (n / (k·n_class)) or one number per class, "
        "e.g. 1,5. The cost becomes the weighted mean of the losses.", metavar="W",
        shown="none: every row weighs the same")
    init: str = option(
        "zeros", "Model and loss", "Initial weights: zeros, or normal (small random values, std 0.01).",
        metavar="NAME")
    threshold: float = option(
        0.5, "Model and loss",
        "Decision threshold of a binary classifier: a row is positive when p ≥ F. Accuracy, precision, "
        "recall, F1 and the confusion matrix use it.", metavar="F")
    metric: str = option(
        "accuracy", "Model and loss",
        "The classification metric drawn beside the loss curve: accuracy, precision, recall, f1 or "
        "balanced_accuracy (every one is recorded in history.csv).", metavar="NAME")
    init_weights: str | None = option(
        None, "Model and loss",
        "Start from these weights, separated by commas: one per feature (softmax: one per feature and class, "
        "feature by feature), in the units the model trains in (standardised unless --no-standardize). "
        "Replaces --init.", metavar="V1,V2,…", shown="none: from --init")
    init_bias: str | None = option(
        None, "Model and loss",
        "Start from this bias (softmax: one per class, separated by commas).", metavar="B",
        shown="none: 0")
    l1: float = option(
        0.0, "Model and loss", "L1 penalty λ: objective = cost + λ·Σ|w| (the bias is not penalised).",
        metavar="F")
    l2: float = option(
        0.0, "Model and loss", "L2 penalty λ: objective = cost + λ·½Σw² (the bias is not penalised).",
        metavar="F")

    # Optimizer
    optimizer: str = option(
        "sgd", "Optimizer",
        f"Optimizer: {', '.join(OPTIMIZER_NAMES)}, or your own class in a Python file: FILE.py:CLASS "
        "(this runs that file).", metavar="NAME")
    lr: float | None = option(
        None, "Optimizer", "Learning rate: the size of each step.", metavar="F",
        shown=", ".join(f"{v} for {k}" for k, v in DEFAULT_LR.items()))
    momentum: float | None = catalog_option("momentum", "Optimizer")
    nesterov: bool = option(
        False, "Optimizer", catalog.OPTIONS["nesterov"].help, flag="--nesterov")
    beta1: float | None = catalog_option("beta1", "Optimizer")
    beta2: float | None = catalog_option("beta2", "Optimizer")
    eps: float | None = catalog_option("eps", "Optimizer")
    rho: float | None = catalog_option("rho", "Optimizer")
    weight_decay: float | None = catalog_option("weight_decay", "Optimizer")
    lr_schedule: str = option(
        "constant", "Optimizer", f"How the learning rate changes per epoch: {', '.join(SCHEDULES)}.",
        metavar="NAME")
    lr_step_size: int = option(
        30, "Optimizer", "Epochs between two drops of the 'step' schedule.", metavar="N")
    lr_gamma: float | None = option(
        None, "Optimizer", "The factor of the 'step' and 'exponential' schedules, in (0, 1].", metavar="F",
        shown="0.1 for step, 0.95 for exponential")
    warmup_epochs: int = option(
        0, "Optimizer", "Epochs of linear warm-up from lr/N to lr before the schedule starts.", metavar="N")
    clip_grad: float | None = option(
        None, "Optimizer", "Rescale any gradient whose norm exceeds F down to norm F.", metavar="F",
        shown="no clipping")

    # Training loop
    epochs: int = option(100, "Training loop", "Passes over the training rows.", metavar="N")
    batch_size: int = option(
        32, "Training loop", "Rows per update; 0 means all training rows (full-batch gradient descent).",
        metavar="N")
    shuffle: bool = option(
        True, "Training loop", "Shuffle the training rows before each epoch (seeded).",
        flag="--shuffle/--no-shuffle")
    patience: int | None = option(
        None, "Training loop",
        "Early stopping: stop when the validation cost has not improved for N epochs.", metavar="N",
        shown="no early stopping")
    min_delta: float = option(
        0.0, "Training loop", "Early stopping: the smallest fall of the validation cost that counts.",
        metavar="F")
    restore_best: bool = option(
        True, "Training loop", "Early stopping: go back to the parameters of the best epoch when it stops.",
        flag="--restore-best/--no-restore-best")

    # Output
    out: str | None = option(
        None, "Output", "Folder for the run's files.", metavar="DIR",
        shown="runs/<timestamp>-<loss>-<optimizer>")
    force: bool = option(
        False, "Output", "Allow --out to name a folder that already holds files: what lossplay wrote there before "
        "(what its run.json or other .json lists) is replaced, other files are left alone, and a file of yours "
        "with a name lossplay writes is an error.",
        flag="--force")
    log_every: int | None = option(
        None, "Output", "Print a table row every N epochs.", metavar="N", shown="about 10 rows in all")
    quiet: bool = option(False, "Output", "Print only the summary: no table, no progress bar.", flag="--quiet")
    pace: float = option(
        0.0, "Output", f"Wait this many seconds after each row of the live table, so that a class can read it "
        f"before the next one comes (at most {MAX_PACE:g}). Training waits too; Ctrl-C ends the wait at once "
        "and keeps the run as usual. With --quiet there is no table, so nothing waits.", metavar="SECONDS",
        shown="0, no waiting")
    no_plot: bool = option(False, "Output", "Do not draw the PNG pictures.", flag="--no-plot")
    animate: bool = option(
        False, "Output", "Also write a GIF of the fit (line or decision boundary) changing over the epochs, "
        "beside the loss curves drawn so far: animation.gif (compare: compare.gif).", flag="--animate")

    @property
    def dataset_label(self):
        """The dataset as pictures show it: a file by its own name, without the folders it is in (a picture
        is shared; the path of the machine it was made on is nobody's business)."""
        return catalog.file_name(self.dataset)

    @property
    def loss_label(self):
        """The loss as tables and pictures show it (``catalog.label``)."""
        return catalog.label(self.loss)

    @property
    def optimizer_label(self):
        """The optimizer as tables and pictures show it (``catalog.label``)."""
        return catalog.label(self.optimizer)

    def replace(self, **changes):
        """A copy with some options changed."""
        return dataclasses.replace(self, **changes)

    def to_dict(self):
        """Every option as a plain dict (the ``config`` of run.json)."""
        return dataclasses.asdict(self)


FIELDS = {f.name: f for f in dataclasses.fields(TrainConfig)}


class TrainOptions(TypedDict, total=False):
    """The options of ``TrainConfig`` as keyword arguments: ``train(**options: Unpack[TrainOptions])`` lets an
    editor list them and mypy check their names and types. The same names and types as the fields, in their
    order (a test keeps them so); ``dataset`` and ``out`` also take a ``pathlib.Path``, the options of
    several numbers (``NUMBER_LIST_OPTIONS``) a sequence of numbers, and those of column names
    (``NAME_LIST_OPTIONS``) a sequence of names. Their defaults are the fields' own, shown by
    ``help(lossplay.train)`` (see ``takes_options``)."""

    # Data
    dataset: str | os.PathLike[str] | None
    target: str | None
    header: bool | None
    features: str | Sequence[str] | None
    drop: str | Sequence[str] | None
    samples: int | None
    noise: float | None
    drop_missing: bool
    val_split: float
    standardize: bool
    poly_degree: int
    interactions: bool
    outliers: bool
    outlier_fraction: float
    seed: int
    # Model and loss
    loss: str | None
    model: str | None
    delta: float | None
    beta: float | None
    quantile: float | None
    gamma: float | None
    alpha: float | None
    class_weight: str | Sequence[float] | None
    init: str
    threshold: float
    metric: str
    init_weights: str | Sequence[float] | None
    init_bias: str | float | Sequence[float] | None
    l1: float
    l2: float
    # Optimizer
    optimizer: str
    lr: float | None
    momentum: float | None
    nesterov: bool
    beta1: float | None
    beta2: float | None
    eps: float | None
    rho: float | None
    weight_decay: float | None
    lr_schedule: str
    lr_step_size: int
    lr_gamma: float | None
    warmup_epochs: int
    clip_grad: float | None
    # Training loop
    epochs: int
    batch_size: int
    shuffle: bool
    patience: int | None
    min_delta: float
    restore_best: bool
    # Output
    out: str | os.PathLike[str] | None
    force: bool
    log_every: int | None
    quiet: bool
    pace: float
    no_plot: bool
    animate: bool


Function = TypeVar("Function", bound=Callable[..., object])


def takes_options(defaults: Mapping[str, object] | None = None,
                  leave_out: Iterable[str] = ()) -> Callable[[Function], Function]:
    """Give an API function that takes ``**options`` the signature that lists them, for ``help()``, an
    editor's hints and a notebook's Shift-Tab: after its own parameters, each option of ``TrainConfig`` as a
    keyword with its type and default (``defaults`` where the function has its own; ``leave_out`` those it
    refuses). Only the signature shown changes: the function still takes ``**options`` and tells the options
    given from those left out."""
    defaults = dict(defaults or {})
    leave_out = set(leave_out)
    types = typing.get_type_hints(TrainOptions)

    def decorate(function: Function) -> Function:
        signature = inspect.signature(function)
        own = [p for p in signature.parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD]
        options = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=defaults.get(name, f.default),
                                     annotation=types[name])
                   for name, f in FIELDS.items() if name not in leave_out]
        setattr(function, "__signature__", signature.replace(parameters=[*own, *options]))
        return function

    return decorate

# Upper bounds that keep a run within a classroom computer's time and memory (a run's memory as a whole is
# checked against experiment.MEMORY_BUDGET once its data is known).
MAX_EPOCHS = 1_000_000
MAX_SAMPLES = 10_000_000
MAX_STEPS = 10_000  # lossplay step --steps: every number of every update is shown
# the largest config file read: a config is a few lines of options
MAX_CONFIG_BYTES = 1_000_000

_RANGES = {
    # name: (test, what is expected)
    "samples": (lambda v: 4 <= v <= MAX_SAMPLES, f"at least 4 and at most {MAX_SAMPLES:,}"),
    "noise": (lambda v: v >= 0, ">= 0"),
    "val_split": (lambda v: 0 <= v < 1, "in [0, 1)"),
    "poly_degree": (lambda v: 1 <= v <= 30, "between 1 and 30"),
    "outlier_fraction": (lambda v: 0 < v <= 0.5, "in (0, 0.5]"),
    "seed": (lambda v: v >= 0, ">= 0"),
    "l1": (lambda v: v >= 0, ">= 0"),
    "l2": (lambda v: v >= 0, ">= 0"),
    "lr": (lambda v: v > 0, "> 0"),
    "lr_step_size": (lambda v: v >= 1, "at least 1"),
    "lr_gamma": (lambda v: 0 < v <= 1, "in (0, 1]"),
    "warmup_epochs": (lambda v: v >= 0, ">= 0"),
    "clip_grad": (lambda v: v > 0, "> 0"),
    "patience": (lambda v: v >= 1, "at least 1"),
    "min_delta": (lambda v: v >= 0, ">= 0"),
    "epochs": (lambda v: 1 <= v <= MAX_EPOCHS, f"at least 1 and at most {MAX_EPOCHS:,}"),
    "batch_size": (lambda v: v >= 0, ">= 0 (0 means full batch)"),
    "log_every": (lambda v: v >= 1, "at least 1"),
    "pace": (lambda v: 0 <= v <= MAX_PACE, f"between 0 and {MAX_PACE:g} seconds"),
    "threshold": (lambda v: 0 < v < 1, "in (0, 1)"),
}

# the ranges of the options some commands add to train's (not TrainConfig fields)
COMMAND_RANGES = {
    "steps": (lambda v: 1 <= v <= MAX_STEPS, f"at least 1 and at most {MAX_STEPS:,}"),
}

# the classification metrics --metric may draw (numpy-free here; a test keeps them in step with metrics.py)
CURVE_METRICS = ("accuracy", "precision", "recall", "f1", "balanced_accuracy")
_NAMES = {"loss": LOSS_NAMES, "optimizer": OPTIMIZER_NAMES, "model": MODEL_NAMES, "init": INIT_NAMES,
          "lr_schedule": SCHEDULES, "metric": CURVE_METRICS}


def value_type(name):
    """The type of an option's values, without its None: float for ``float | None``."""
    annotation = FIELDS[name].type
    return next(a for a in typing.get_args(annotation) or (annotation,) if a is not type(None))


# the options that name a file or a folder: a pathlib.Path is taken as its text
PATH_OPTIONS = ("dataset", "out")

_TYPE_WORDS = {bool: "true or false", int: "a whole number", float: "a number", str: "a text"}
_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


def coerce(value, kind, what, *, optional=False, from_text=False, path=False):
    """``value`` as a ``kind`` (bool, int, float or str), or a ``LossplayError`` '<what> must be ..., got ...'.

    The one place where a value meets the type it should have. A numpy number counts as the Python
    number it holds; an int is a float where a float is expected (never the other way round, and a
    bool is neither); with ``path`` a ``pathlib.Path`` is a text; None passes only when ``optional``.
    With ``from_text`` a text is read the way the command line reads it ('3', '0.1', 'true', and
    'none' when ``optional``).
    """
    if getattr(value, "shape", None) == () and hasattr(value, "item"):
        value = value.item()  # a numpy scalar (or 0-d array): the Python value it holds
    words = _TYPE_WORDS[kind] + (" or a path" if path else "")
    if from_text and isinstance(value, str):
        text = value.strip()
        if optional and text.lower() == "none":
            return None
        if kind is bool and text.lower() in _TRUE + _FALSE:
            return text.lower() in _TRUE
        if kind in (int, float):
            try:
                return coerce(kind(text), kind, what)
            except ValueError:
                pass
        if kind is not str:
            raise LossplayError(f"{what} must be {words}{' (or none)' if optional else ''}, got '{value}'.")
    if value is None:
        if optional:
            return None
    elif isinstance(value, bool):
        if kind is bool:
            return value
    elif kind is str:
        if path and isinstance(value, os.PathLike):
            value = os.fspath(value)
        if isinstance(value, str):
            return str(value)
    elif kind is int and isinstance(value, numbers.Integral):
        return int(value)
    elif kind is float and isinstance(value, numbers.Real):
        try:
            return float(value)
        except OverflowError:
            raise LossplayError(f"{what} must be a finite number, got {value!r}.") from None
    raise LossplayError(f"{what} must be {words}, got {type(value).__name__} {value!r}.")


# the options that hold several numbers as a text '1,5': a list of numbers (TOML, Python) is taken as that text
NUMBER_LIST_OPTIONS = ("class_weight", "init_weights", "init_bias")
# the options that hold several column names as a text 'a,b': a list of names (TOML, Python) is taken as that text
NAME_LIST_OPTIONS = ("features", "drop")


def option_value(name, value, what, from_text=False):
    """``value`` as the type of option ``name`` (see ``coerce``); None only for an option that may be None."""
    optional = type(None) in typing.get_args(FIELDS[name].type)
    if name in NUMBER_LIST_OPTIONS:
        value = _numbers_as_text(value)
    elif name in NAME_LIST_OPTIONS:
        value = _names_as_text(value)
    return coerce(value, value_type(name), what, optional=optional, from_text=from_text,
                  path=name in PATH_OPTIONS)


def check_types(values, origin):
    """Every value brought to its option's type (see ``coerce``), or an error naming ``origin`` and the option."""
    return {name: option_value(name, value, f"{origin}: '{name}'") for name, value in values.items()}


def parse_list(value, what):
    """The values of a list option: 'a,b, c' -> ['a', 'b', 'c']; a list (tuple, array) as it is; a
    single value as a list of one. Its values are checked by whoever knows their type (``coerce``)."""
    if isinstance(value, str):
        items = [item.strip() for item in value.split(",") if item.strip()]
    elif isinstance(value, Iterable) and not isinstance(value, Mapping):
        items = list(value)
    else:
        items = [value]
    if not items:
        raise LossplayError(f"{what} needs at least one value, separated by commas.")
    return items


# names people reach for that lossplay spells differently
ALIASES = {
    "learning_rate": "lr", "learningrate": "lr", "rate": "lr", "step_size": "lr", "batch": "batch_size",
    "batchsize": "batch_size", "epoch": "epochs", "data": "dataset", "loss_function": "loss", "opt": "optimizer",
    "lambda": "l2", "l2_penalty": "l2", "ridge": "l2", "lasso": "l1", "l1_penalty": "l1", "decay": "weight_decay",
    "wd": "weight_decay", "huber_delta": "delta", "tau": "quantile", "schedule": "lr_schedule",
    "early_stopping": "patience", "validation_split": "val_split", "test_split": "val_split",
    "degree": "poly_degree", "polynomial_degree": "poly_degree", "normalize": "standardize",
    "standardise": "standardize", "clip": "clip_grad", "grad_clip": "clip_grad", "warmup": "warmup_epochs",
}


def suggest_option(key, known=FIELDS):
    """' Did you mean ...?' for an unknown option name, knowing the usual other names for options."""
    import difflib

    key = key.lstrip("-").replace("-", "_").lower()
    if key in ALIASES and ALIASES[key] in known:
        return f" Did you mean '{ALIASES[key]}'?"
    candidates = {name: name for name in known}
    candidates.update({alias: name for alias, name in ALIASES.items() if name in known})
    cutoff = 0.5 if len(key) <= 3 else 0.7  # 'l3' is as close to 'l2' as a two-letter name can be
    close = difflib.get_close_matches(key, list(candidates), n=1, cutoff=cutoff)
    return f" Did you mean '{candidates[close[0]]}'?" if close else ""


def check_unknown(keys, origin, known=FIELDS):
    for key in keys:
        if key not in known:
            raise LossplayError(f"{origin}: unknown option '{key}'.{suggest_option(key, known)}")


def _numbers_as_text(value):
    """'1,5' for a list, a tuple or an array of numbers (or one number); anything else as it is."""
    if hasattr(value, "tolist"):
        value = value.tolist()  # a numpy array or number
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        value = [value]
    if isinstance(value, (list, tuple)) and value and all(
            isinstance(v, numbers.Real) and not isinstance(v, bool) for v in value):
        return ",".join(repr(float(v)) if isinstance(v, float) else str(v) for v in value)
    return value


def _names_as_text(value):
    """'a,b' for a list or a tuple of texts; anything else as it is."""
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return ",".join(value)
    return value


def check_range(name, value, ranges=_RANGES):
    """Raise ``LossplayError`` when an option's value is outside its range."""
    test, expected = ranges[name]
    if value is not None and not test(value):
        raise LossplayError(f"{spell(name)} must be {expected}, got {value}.")


def check_steps(steps):
    """The number of updates ``lossplay step`` shows, checked (``COMMAND_RANGES``)."""
    check_range("steps", steps, COMMAND_RANGES)
    return steps


def validate(config):
    """Raise ``LossplayError`` for the first option out of its range or not a known name."""
    for name, value in config.to_dict().items():
        if isinstance(value, float) and not math.isfinite(value):
            raise LossplayError(f"{spell(name)} must be a finite number, got {value}.")
    for name in _RANGES:
        check_range(name, getattr(config, name))
    for name in catalog.OPTIONS:
        catalog.check(name, getattr(config, name))
    if config.dataset is not None and not config.dataset.strip():
        raise LossplayError(f"{spell('dataset')} is empty: name a dataset (see 'lossplay datasets'), give the path of "
                            "a CSV file or - for standard input, or leave the option out for the default.")
    for name, choices in _NAMES.items():
        value = getattr(config, name)
        if value is not None and value not in choices and not (name in ("loss", "optimizer") and is_plugin(value)):
            raise LossplayError(
                f"Unknown {name} '{value}'.{did_you_mean(value, choices)} Choose from: {', '.join(choices)}."
            )
    if config.features is not None and config.drop is not None:
        raise LossplayError(f"{spell('features')} and {spell('drop')} both choose the columns to learn from: give "
                            f"one of them ({spell('features')} names the columns kept, {spell('drop')} those left "
                            "out).")
    if config.nesterov and not config.momentum:
        raise LossplayError(f"{spell('nesterov')} needs a momentum: add {spell('momentum', 0.9)}, for example.")
    if config.warmup_epochs >= config.epochs:
        raise LossplayError(
            f"{spell('warmup_epochs', config.warmup_epochs)} leaves no epoch for training: use fewer than "
            f"{spell('epochs')} ({config.epochs}).")
    if config.class_weight is not None:
        parse_class_weight(config.class_weight)
    for name in ("init_weights", "init_bias"):
        if getattr(config, name) is not None:
            parse_numbers(getattr(config, name), name)
    return config


def parse_numbers(text, name):
    """The finite numbers of an option given as a text like '-1, 2.5' (``init_weights``, ``init_bias``)."""
    try:
        values = [float(part) for part in str(text).split(",")]
    except ValueError:
        values = []
    if not values or not all(math.isfinite(v) for v in values):
        raise LossplayError(f"{spell(name)} must be numbers separated by commas (like -1,2), got '{text}'.")
    return values


def parse_class_weight(text):
    """'balanced', or the list of weights in a string like '1,5'; raises on anything else."""
    text = text.strip()
    if text.lower() == "balanced":
        return "balanced"
    try:
        weights = [float(part) for part in text.split(",")]
    except ValueError:
        raise LossplayError(
            f"{spell('class_weight')} must be 'balanced' or numbers separated by commas (like 1,5), got '{text}'."
        ) from None
    if not all(w > 0 and w < float("inf") for w in weights):
        raise LossplayError(f"{spell('class_weight')} weights must be positive numbers, got '{text}'.")
    return weights


def make_config(**options):
    """A validated ``TrainConfig`` from keyword options (unknown names are an error)."""
    return as_config(None, options)


def as_config(config=None, options=None, origin="lossplay.train", defaults=None):
    """A validated ``TrainConfig``: ``config`` (a ``TrainConfig``; None for the defaults, then ``defaults``)
    with ``options`` over it. Errors name ``origin``, the API function the options were given to."""
    options = dict(options or {})
    if config is None:
        options = {**(defaults or {}), **options}
    elif isinstance(config, TrainConfig):
        options = {**config.to_dict(), **options}
    else:
        raise LossplayError(f"{origin}: config must be a TrainConfig (or left out, with the options as keywords), "
                            f"got {type(config).__name__} {config!r}.")
    check_unknown(options, origin)
    return validate(TrainConfig(**lower_names(check_types(options, origin))))


def lower_names(options):
    """``options`` with the names of the options that take one lossplay knows (``_NAMES``: loss, optimizer,
    model, ...) in lower case, as they are written in any case (--loss MSE, --optimizer Adam); a user's class in
    a file (FILE.py:CLASS) keeps its own spelling (``catalog.canonical_name``)."""
    return {name: canonical_name(value) if name in _NAMES and isinstance(value, str) else value
            for name, value in options.items()}


# where the step-by-step view (lossplay step, lossplay.step) differs from train: small batches and features as
# they are in the data, so that the numbers can be followed by hand (and the 8-row 'tiny' dataset for
# regression, see ``api.step_experiment``)
STEP_DEFAULTS = {"batch_size": 4, "standardize": False}

# the lists of lossplay compare (and its demos)
COMPARE_KEYS = ("losses", "optimizers", "lrs", "vary")
# keys a config file may hold for one command's own options (besides lossplay train's); every command
# reads the same file and skips the keys of the others
COMMAND_KEYS = {
    "compare": COMPARE_KEYS,
    "landscape": ("optimizers", "start", "steps", "grid", "no_bias"),
    "lr-find": ("lr_min", "lr_max", "steps"),
}
ALL_COMMAND_KEYS = tuple(dict.fromkeys(key for keys in COMMAND_KEYS.values() for key in keys))


def read_toml(path, known=FIELDS, extra=()):
    """The options in a TOML file, as a dict; errors name the file, the line and the key.

    Keys in ``extra`` are allowed besides the options (those of ``COMMAND_KEYS``); compare's
    lists must be lists or texts, the others are checked by the command that reads them.
    """
    import tomllib

    content = read_bytes(path, what="Config file", kind="TOML", limit=MAX_CONFIG_BYTES,
                         smaller="a config file holds a few lines of options; is it the right file?")
    try:
        values = tomllib.loads(content.decode("utf-8-sig"))  # -sig: a byte order mark is not part of the text
    except UnicodeDecodeError:
        raise LossplayError(f"Config file '{path}' is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as e:
        raise LossplayError(f"Config file '{path}' is not valid TOML: {e}.") from None
    except RecursionError:
        raise LossplayError(f"Config file '{path}' nests its arrays or tables too deeply to be read: a config "
                            "holds 'key = value' lines.") from None
    origin = f"Config file '{path}'"
    for key, value in values.items():
        if isinstance(value, dict):
            raise LossplayError(f"{origin}: [{key}] tables are not options; write 'key = value' lines.")
    check_unknown([k for k in values if k not in extra], origin, [*known, *extra])
    check_types({k: v for k, v in values.items() if k in FIELDS}, origin)
    for key in COMPARE_KEYS:
        if key in extra and key in values and not isinstance(values[key], (list, str)):
            raise LossplayError(f"{origin}: '{key}' must be a list, like {key} = [\"a\", \"b\"].")
    return values


# the package that holds the shipped configs: the repository's configs/ folder, installed as package data
SHIPPED_CONFIGS = "lossplay.configs"
# the files of that folder that are lessons (lossplay lesson NAME reads them), not options
LESSON_FILES = "lesson_"


@dataclass(frozen=True)
class ShippedConfig:
    """A config file shipped with lossplay: its name (``--config NAME``), the command that reads it (compare
    when it lists losses, optimizers, rates or values to vary, else train), the first line of its top
    comment, which says what it shows, and its text."""

    name: str
    command: str
    summary: str
    text: str


def shipped_configs():
    """Every shipped config, {name: ``ShippedConfig``}, in the order of their names (the lessons of the same
    folder left out)."""
    import tomllib
    from importlib import resources

    found = {}
    for entry in sorted(resources.files(SHIPPED_CONFIGS).iterdir(), key=lambda entry: entry.name):
        if not entry.name.endswith(".toml") or entry.name.startswith(LESSON_FILES):
            continue
        text = entry.read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        summary = first.lstrip("#").strip() if first.startswith("#") else ""
        command = "compare" if any(key in tomllib.loads(text) for key in COMPARE_KEYS) else "train"
        name = entry.name.removesuffix(".toml")
        found[name] = ShippedConfig(name, command, summary, text)
    return found


def _config_key(name):
    """A name as shipped configs are named: lower case, underscores, no .toml."""
    return str(name).strip().lower().replace("-", "_").removesuffix(".toml")


def _closest_config(key, configs):
    """What to say of a name that is no shipped config: that it is a lesson's file, or the closest name."""
    if key.startswith(LESSON_FILES):
        lesson = key.removeprefix(LESSON_FILES).replace("_", "-")
        return f" '{key}' is a lesson, not options: lossplay lesson {lesson} runs it."
    return f"{did_you_mean(key, list(configs))} 'lossplay configs' lists them."


def shipped_config(name):
    """The ``ShippedConfig`` called ``name`` (with or without .toml, dashes or underscores, any case), or a
    ``LossplayError`` that names the closest one."""
    configs = shipped_configs()
    key = _config_key(name)
    if key not in configs:
        raise LossplayError(f"lossplay ships no config called '{name}'.{_closest_config(key, configs)}")
    return configs[key]


def read_config(name, known=FIELDS, extra=()):
    """The options of ``--config NAME`` (see ``read_toml``): the file NAME when there is one (- is standard
    input), else the shipped config of that name, from any folder (see ``lossplay configs``). A file in the
    current folder wins over a shipped config of the same name."""
    from importlib import resources

    path = os.fspath(name)
    if path == "-" or os.path.lexists(path):
        return read_toml(path, known, extra)
    configs = shipped_configs()
    key = _config_key(path)
    if key not in configs:
        base = _config_key(os.path.basename(path))
        if base in configs:
            raise LossplayError(f"Config file '{path}' does not exist. lossplay ships a config called '{base}': "
                                f"{spell('config', base)} reads it from any folder.")
        raise LossplayError(f"Config file '{path}' does not exist, and no shipped config has that name."
                            f"{_closest_config(key, configs)}")
    with resources.as_file(resources.files(SHIPPED_CONFIGS).joinpath(f"{key}.toml")) as shipped:
        return read_toml(shipped, known, extra)


# options that only shape what is printed or written: a suggested command leaves them out
OUTPUT_OPTIONS = ("out", "force", "quiet", "no_plot", "log_every", "pace", "animate")


def command_line(options, command="train"):
    """'lossplay train --loss bce --lr 0.2': the command line that sets a dict of options (lists are
    joined with commas)."""
    words = ["lossplay", command]
    for name, value in options.items():
        # a command's own options (landscape's --steps, say) are spelt from their names
        flag = FIELDS[name].metadata["flag"] if name in FIELDS else flag_name(name)
        if isinstance(value, bool):
            if flag and "/" in flag:
                on, off = flag.split("/")
                words.append(on if value else off)
            elif value:
                words.append(flag)
            continue
        if value is None:
            continue
        words += [flag_name(name), _value_text(value)]
    return " ".join(words)


def _value_text(value):
    if isinstance(value, (list, tuple)):
        return shlex.quote(",".join(_value_text(v) for v in value))
    if isinstance(value, float):
        short = format(value, "g")
        return short if float(short) == value else repr(value)
    return shlex.quote(str(value))


def changed_options(config, changes=None, leave_out=OUTPUT_OPTIONS):
    """The options of ``config`` set away from their defaults (output options left out), then ``changes``."""
    options = {name: getattr(config, name) for name, option in FIELDS.items()
               if name not in leave_out and getattr(config, name) != option.default}
    for name, value in (changes or {}).items():
        if value == FIELDS[name].default:
            options.pop(name, None)
        else:
            options[name] = value
    return options


def optimizer_spec(text):
    """The options one entry of --optimizers sets: 'adam' -> {'optimizer': 'adam'}, 'momentum' -> SGD with
    momentum 0.9, and NAME@LR with its own learning rate ('sgd@0.003' -> {'optimizer': 'sgd', 'lr': 0.003})."""
    name, at, rate = str(text).strip().rpartition("@")
    name = (name if at else rate).strip()
    name = canonical_name(name)
    changes = dict(OPTIMIZER_SPECS.get(name, {"optimizer": name}))
    if changes["optimizer"] not in OPTIMIZER_NAMES and not is_plugin(changes["optimizer"]):
        known = [*OPTIMIZER_NAMES, *OPTIMIZER_SPECS]
        raise LossplayError(f"Unknown optimizer '{name}' in {spell('optimizers')}.{did_you_mean(name, known)} "
                            f"Choose from {', '.join(known)} (add @LR for a rate of its own, like sgd@0.01).")
    if at:
        try:
            lr = float(rate)
        except ValueError:
            lr = math.nan
        if not (math.isfinite(lr) and lr > 0):
            raise LossplayError(f"{spell('optimizers')}: '{text}' gives the rate '{rate}'; after @ write a positive "
                                "number, like sgd@0.01.")
        changes["lr"] = lr
    return changes
