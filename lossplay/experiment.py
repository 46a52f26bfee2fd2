"""From a config to everything a run needs: data, model, loss, optimizer, penalty, initial parameters.

This is where the options that depend on each other are resolved: a loss
picks its model and default dataset, a dataset picks its loss, an optimizer
picks its learning rate. Every check that needs the data happens here, before
any training starts and before any file is written.
"""

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lossplay.catalog import LOSS_OPTIONS, OPTIONS, is_plugin
from lossplay.catalog import LOSSES as LOSS_CATALOG
from lossplay.catalog import OPTIMIZERS as OPTIMIZER_CATALOG
from lossplay.catalog import owners as owners_of
from lossplay.config import TrainConfig, parse_class_weight, parse_numbers
from lossplay.data import CATALOG, GENERATORS, Dataset, catalog_name, constant_target, default_for_task, load_dataset
from lossplay.errors import LossplayError, spell
from lossplay.loop import TrainingLoop
from lossplay.losses import ClassWeighted, OnProbability, balanced_weights
from lossplay.models import MODELS
from lossplay.observers import DivergenceGuard, EarlyStopping, History
from lossplay.penalties import Penalty
from lossplay.prepare import PreparedData, column_count, prepare
from lossplay.registry import (
    check_loss,
    check_optimizer,
    default_lr,
    loss_class,
    make_loss,
    make_optimizer,
    optimizer_class,
)
from lossplay.schedules import learning_rate
from lossplay.seeding import stream

MODEL_FOR_TASK = {"regression": "linear", "binary": "logistic", "multiclass": "softmax"}
LOSS_FOR_TASK = {"regression": "mse", "binary": "bce", "multiclass": "cce"}
TASK_WORDS = {"regression": "regression", "binary": "binary classification",
              "multiclass": "multi-class classification"}


@dataclass(frozen=True)
class Trained:
    """What one training run recorded: its ``History``, how it ended (``loop.Outcome``) and the
    epoch record of the parameters it ended with."""

    history: object
    outcome: object
    final: object


@dataclass
class Experiment:
    """A resolved config with its data and its parts, ready to train."""

    config: TrainConfig
    dataset: Dataset
    data: PreparedData
    model: Any  # a model of models.MODELS, or one wrapped in models.WithoutBias
    loss: Any  # a losses.Loss, or a user's class that follows its protocol
    optimizer: Any  # an optimizers.Optimizer, or a user's class that follows its protocol
    penalty: Penalty
    theta0: np.ndarray
    notes: list = field(default_factory=list)
    requested: TrainConfig | None = None  # the config as given, before the options that follow others were filled in

    def run(self, observers=(), stop=None):
        """Train from theta0 with the history, the divergence guard and (with ``patience``) early stopping
        listening, plus ``observers``; returns a ``Trained``. Nothing is printed or written."""
        history = History()
        loop = self.training_loop()
        c = self.config
        watchers = [history, DivergenceGuard()]
        if c.patience is not None:
            watchers.append(EarlyStopping(c.patience, c.min_delta, c.restore_best))
        outcome = loop.run(self.theta0, [*watchers, *observers], stop=stop)
        final = history[-1] if outcome.theta is loop.theta else loop.evaluate(outcome.theta).record
        return Trained(history, outcome, final)

    def training_loop(self, epochs=None, **hooks):
        """A fresh loop over this experiment's data, with its own shuffling stream (``hooks``: the loop's
        ``step_lr`` and ``guard_growth``)."""
        c = self.config
        epochs = c.epochs if epochs is None else epochs
        return TrainingLoop(
            self.model, self.loss, self.optimizer, self.penalty, self.data,
            lr=c.lr, epochs=epochs, batch_size=c.batch_size, shuffle=c.shuffle, rng=stream(c.seed, "shuffle"),
            schedule=self.schedule(epochs), clip_grad=c.clip_grad, threshold=c.threshold, **hooks,
        )

    def schedule(self, epochs):
        """The learning rate of each epoch as a function, or None for a constant rate."""
        c = self.config
        if c.lr_schedule == "constant" and c.warmup_epochs == 0:
            return None
        return functools.partial(learning_rate, c.lr, epochs=epochs, schedule=c.lr_schedule,
                                 step_size=c.lr_step_size, gamma=c.lr_gamma, warmup=c.warmup_epochs)

    @property
    def batches_per_epoch(self):
        """Updates in one epoch: ceil(training rows / batch size), or 1 for full batch."""
        n, size = self.data.n_train, self.config.batch_size
        return 1 if size == 0 or size >= n else -(-n // size)


REGRESSION_LOSSES = tuple(name for name, entry in LOSS_CATALOG.items() if entry.task == "regression")


def task_of(loss_name, model_name):
    """The task a loss trains for; a regression loss on the logistic model learns binary labels."""
    task = loss_class(loss_name).task
    return "binary" if task == "regression" and model_name == "logistic" else task


def _check_task(loss_name, needs, dataset):
    """Raise when the loss cannot learn this dataset's target."""
    has = dataset.task
    if needs == has or (needs == "multiclass" and has == "binary"):
        return
    label = f"'{dataset.name}'"
    if needs == "regression":
        fix = LOSS_FOR_TASK[has]
        raise LossplayError(
            f"{spell('loss', loss_name)} is a regression loss, but the {label} dataset is {TASK_WORDS[has]}: "
            f"use {spell('loss', fix)}, or a regression dataset such as {spell('dataset', 'linear')}."
        )
    if has == "regression":
        raise LossplayError(
            f"{spell('loss', loss_name)} needs class labels, but the {label} dataset is regression: "
            f"use {spell('dataset', default_for_task(needs))}, or a regression loss ({', '.join(REGRESSION_LOSSES)})."
        )
    raise LossplayError(
        f"{spell('loss', loss_name)} needs two classes, but the {label} dataset has {dataset.n_classes}: use "
        f"{spell('loss', 'cce')}."
    )


def resolve(config, dataset=None):
    """(resolved config, dataset): every None option that depends on another gets its value."""
    loss_name = config.loss
    if dataset is None:
        task = task_of(loss_name, config.model) if loss_name else None
        name = catalog_name(config.dataset) if config.dataset else default_for_task(task) if task else "linear"
        generator = GENERATORS.get(name)
        if generator is not None and not generator.fixed:  # before drawing rows that might not fit
            check_memory(config, config.samples or generator.samples, generator.n_features, generated=True)
        # a CSV file's target is read the way the loss needs; catalog datasets know their own task
        dataset = load_dataset(name, target=config.target, samples=config.samples, noise=config.noise,
                               seed=config.seed, task=None if name in CATALOG else task,
                               drop_missing=config.drop_missing, header=config.header, features=config.features,
                               drop=config.drop)
    if loss_name is None:
        loss_name = LOSS_FOR_TASK[dataset.task]
    task = task_of(loss_name, config.model)
    _check_task(loss_name, task, dataset)
    if dataset.task != task:
        dataset = dataclasses.replace(dataset, task=task)
    model_name = config.model or MODEL_FOR_TASK[task]
    if MODELS[model_name].task != task:
        raise LossplayError(
            f"{spell('loss', loss_name)} does not fit {spell('model', model_name)}: {loss_name} needs "
            f"{spell('model', MODEL_FOR_TASK[task])}, whose output is "
            f"{MODELS[MODEL_FOR_TASK[task]].output}."
        )
    if config.class_weight is not None and task == "regression":
        raise LossplayError(f"{spell('class_weight')} weighs classes: it applies to a classification loss, not to "
                            f"{spell('loss', loss_name)}.")
    if config.patience is not None and config.val_split == 0:
        raise LossplayError(f"{spell('patience')} watches the validation cost: it needs {spell('val_split')} above 0.")
    generator = GENERATORS.get(dataset.name) if dataset.source == "generated" else None
    resolved = config.replace(
        dataset=dataset.name if dataset.name in CATALOG else config.dataset,
        samples=config.samples if generator is None or config.samples else generator.samples,
        noise=config.noise if generator is None or config.noise is not None else generator.noise,
        loss=loss_name,
        model=model_name,
        lr=config.lr if config.lr is not None else default_lr(config.optimizer),
        **option_defaults(config, loss_name),
    )
    return resolved, dataset


def option_defaults(config, loss_name):
    """The values of the loss and optimizer options not given: the chosen loss's or optimizer's own default
    for an option it takes, the catalog's for the others (so run.json always lists every option)."""
    own = {**loss_class(loss_name).option_defaults(), **optimizer_class(config.optimizer).option_defaults()}
    return {name: own.get(name, option.default) for name, option in OPTIONS.items()
            if getattr(config, name) is None and name != "nesterov"}


def unused_options(config, requested=None):
    """Notes for options set away from their defaults that the chosen loss, optimizer or loop never reads
    (``config`` resolved; ``requested`` as given, where a loss or optimizer option not given is None)."""
    requested = config if requested is None else requested
    from lossplay.config import FIELDS, flag_name

    used = set(loss_class(config.loss).option_defaults()) | set(optimizer_class(config.optimizer).option_defaults())
    rules = {  # option -> (is it read?, which setting reads it)
        "lr_step_size": (config.lr_schedule == "step", "--lr-schedule step"),
        "lr_gamma": (config.lr_schedule in ("step", "exponential"), "--lr-schedule step or exponential"),
        "min_delta": (config.patience is not None, "--patience"),
        "restore_best": (config.patience is not None, "--patience"),
        "outlier_fraction": (config.outliers, "--outliers"),
        "interactions": (config.poly_degree > 1, "--poly-degree 2 or more"),
        "threshold": (config.model == "logistic", "a binary classifier (--model logistic)"),
        "metric": (config.model != "linear", "a classifier (--model logistic or softmax)"),
    }
    notes = []
    for name, option in FIELDS.items():
        value = getattr(config, name)
        if name in OPTIONS:
            if getattr(requested, name) in (None, False) or name in used:
                continue
            kind, table = ("--loss", LOSS_CATALOG) if name in LOSS_OPTIONS else ("--optimizer", OPTIMIZER_CATALOG)
            owners = owners_of(name, table)
            reader = f"{kind} " + (owners[0] if len(owners) == 1 else ", ".join(owners[:-1]) + " or " + owners[-1])
        elif name in rules and value != option.default:
            read, reader = rules[name]
            if read:
                continue
        else:
            continue
        notes.append(f"{flag_name(name)} {value} has no effect here: it is read only with {reader}.")
    return notes


def make_experiment_loss(config, data):
    """The loss of a resolved config: on the probability for a logistic model, class-weighted if asked."""
    loss = make_loss(config.loss, **{name: getattr(config, name) for name in OPTIONS})
    if is_plugin(config.loss):
        check_loss(loss, config.loss, n_classes=data.n_classes)
    if loss.task == "regression" and config.model == "logistic":
        loss = OnProbability(loss)
    if config.class_weight is not None:
        weights = parse_class_weight(config.class_weight)
        if weights == "balanced":
            weights = balanced_weights(data.y_train, data.n_classes)
        elif len(weights) != data.n_classes:
            raise LossplayError(
                f"{spell('class_weight')} gives {len(weights)} weights but there are {data.n_classes} classes "
                f"({', '.join(data.classes)}): give one weight per class, in that order."
            )
        loss = ClassWeighted(loss, weights)
    return loss


def make_experiment_optimizer(config, shape):
    """The optimizer of a resolved config, with the options it takes (a user's one checked first, on
    parameters of ``shape``, the run's)."""
    optimizer = make_optimizer(config.optimizer, **{name: getattr(config, name) for name in OPTIONS})
    if is_plugin(config.optimizer):
        check_optimizer(optimizer, config.optimizer, shape)
    return optimizer


# The memory a run may take: one that would need more is refused before its arrays are made.
MEMORY_BUDGET = 4 * 1000**3
# what one epoch's record costs besides its parameters (8 bytes each): about 1 kB measured for the record and
# its metrics, doubled for the rows of history.csv and the pictures' columns made from it when the run is saved
RECORD_BYTES = 2000


def memory_needed(config, rows, features, outputs, data_bytes):
    """{part: bytes} a run of ``config`` needs on ``rows`` rows of ``features`` features (``outputs`` per row):
    the data, the design matrices (with the loop's working arrays) and the history of its epochs, each record
    holding a copy of the parameters."""
    columns = column_count(features, config.poly_degree, config.interactions) + 1
    return {
        "data": data_bytes,
        "design": 8 * rows * columns + 64 * rows * outputs,
        "history": (config.epochs + 1) * (RECORD_BYTES + 8 * columns * outputs),
    }


def check_memory(config, rows, features, outputs=1, data_bytes=None, generated=False):
    """Raise ``LossplayError`` when a run would need more than ``MEMORY_BUDGET``, naming the option to lower.

    ``data_bytes`` defaults to the size of a generated dataset of that shape, not yet drawn.
    """
    if data_bytes is None:
        data_bytes = 8 * rows * (features + 1)
    parts = memory_needed(config, rows, features, outputs, data_bytes)
    total = sum(parts.values())
    if total <= MEMORY_BUDGET:
        return
    columns = column_count(features, config.poly_degree, config.interactions) + 1
    expansion = spell("poly_degree") + (f" (or leave out {spell('interactions')})" if config.interactions else "")
    if max(parts, key=parts.get) == "history":
        per_epoch = parts["history"] / (config.epochs + 1)
        fits = int((MEMORY_BUDGET - parts["data"] - parts["design"]) // per_epoch) - 1
        what = (f"its history keeps {config.epochs + 1:,} epochs of {columns * outputs:,} parameters "
                f"({_size(parts['history'])})")
        fix = f"Lower {spell('epochs')}" + (f" (to {fits:,} at most here)" if fits >= 1 else "")
        if config.poly_degree > 1:
            fix += f" or {expansion}"
    else:
        what = (f"its {rows:,} rows of {columns:,} columns take {_size(parts['data'] + parts['design'])} "
                "as data and design matrix")
        if config.poly_degree > 1:
            fix = f"Lower {expansion}" + (f" or {spell('samples')}" if generated else "")
        elif generated:
            fix = f"Lower {spell('samples')}"
        else:
            fix = "Use a sample of the file's rows or fewer of its columns"
    raise LossplayError(f"This run would need about {_size(total)} of memory, more than lossplay's budget of "
                        f"{_size(MEMORY_BUDGET)}: {what}. {fix}.")


def _size(size):
    """Bytes in words: '820 MB', '5.6 GB'."""
    return f"{size / 1000**3:.3g} GB" if size >= 1000**3 else f"{size / 1000**2:.3g} MB"


def single_row_r2_notes(data):
    """Why R² shows as nan for a regression split of a single row: R² = 1 − SSE/SST measures the errors
    against the spread of the targets about their mean, which one row does not have."""
    if data.task != "regression":
        return []
    notes = []
    for split, rows in (("training", data.n_train), ("validation", data.n_val)):
        if rows == 1:
            more = f" A larger {spell('val_split')} gives it more rows." if split == "validation" else ""
            notes.append(f"The {split} split has a single row, so its R² is nan (not a number): R² = 1 − SSE/SST "
                         f"needs at least 2 rows with different targets.{more}")
    return notes


def build(config, dataset=None):
    """The ``Experiment`` for a validated config (and optionally an already loaded dataset)."""
    requested = config
    config, dataset = resolve(config, dataset)
    if dataset.task == "regression" and np.ptp(dataset.y) == 0:
        raise constant_target(dataset.target_name, dataset.name, f"{dataset.y[0]:g}")
    check_memory(config, dataset.n_rows, dataset.n_features,
                 dataset.n_classes if dataset.task == "multiclass" else 1,
                 dataset.X.nbytes + dataset.y.nbytes, generated=dataset.source == "generated")
    notes = [*dataset.notes, *unused_options(config, requested)]
    data = prepare(
        dataset, val_split=config.val_split, outliers=config.outliers,
        outlier_fraction=config.outlier_fraction, poly_degree=config.poly_degree,
        interactions=config.interactions, standardize=config.standardize, split_rng=stream(config.seed, "split"),
        outlier_rng=stream(config.seed, "outliers"), batch_size=config.batch_size,
    )
    if data.task != "regression" and np.unique(data.y_train).size < 2:
        raise LossplayError(
            f"The training rows of '{dataset.name}' hold a single class; a classifier needs two or more."
        )
    if config.batch_size > data.n_train:
        notes.append(
            f"--batch-size {config.batch_size} is more than the {data.n_train} training rows: "
            "every update uses all of them (full batch)."
        )
        config = config.replace(batch_size=0)
    for j in data.transform.constant:
        notes.append(f"Feature '{data.feature_names[j]}' is constant on the training rows; it is kept, "
                     "centred but not rescaled.")
    if data.n_features + 1 >= data.n_train:
        notes.append(
            f"The model has {data.n_features + 1} parameters per output for {data.n_train} training rows: "
            "it can fit the training rows exactly, so expect overfitting."
        )
    notes += single_row_r2_notes(data)
    model = MODELS[config.model]()
    loss = make_experiment_loss(config, data)
    if isinstance(loss, OnProbability):
        notes.append(f"--loss {config.loss} on a logistic model trains the {config.loss} of the probability "
                     "σ(z): a lesson in why classifiers use cross-entropy, not a recommendation.")
    theta0 = initial_parameters(config, model, data, notes)
    optimizer = make_experiment_optimizer(config, theta0.shape)
    penalty = Penalty(l1=config.l1, l2=config.l2)
    return Experiment(config, dataset, data, model, loss, optimizer, penalty, theta0, notes, requested)


def initial_parameters(config, model, data, notes):
    """theta before the first update: from ``--init`` (zeros, or small normal weights), then the weights of
    ``--init-weights`` (softmax: feature by feature, every class of a feature before the next feature) and
    the bias of ``--init-bias``, exactly as given, in the units the model trains in."""
    theta = model.init(data.n_features, data.n_classes, config.init, stream(config.seed, "init"))
    classes = model.n_outputs(data.n_classes)
    for name, part, what in (("init_weights", model.weights(theta), _weights_words(data, classes)),
                             ("init_bias", theta[-1:].reshape(-1) if classes is None else theta[-1],
                              "one per class" if classes else "a single bias")):
        text = getattr(config, name)
        if text is None:
            continue
        values = parse_numbers(text, name)
        if len(values) != part.size:
            raise LossplayError(f"{spell(name)} gives {len(values)} value{'s' if len(values) != 1 else ''} but this "
                                f"{model.name} model has {part.size} ({what}): give {part.size}.")
        part[...] = np.reshape(values, part.shape)  # a view: theta itself changes
    if config.init_weights is not None and config.init != "zeros":
        notes.append(f"{spell('init', config.init)} has no effect: {spell('init_weights')} sets every weight.")
    if (config.init_weights is not None or config.init_bias is not None) and config.standardize:
        notes.append(f"The start of {spell('init_weights')}/{spell('init_bias')} is in standardised units, the "
                     f"ones the model trains in; with {spell('standardize', False)} the model trains on the "
                     "data's own units, and the start is given in them.")
    return theta


def _weights_words(data, classes):
    """Which weights a model has, in the order --init-weights gives them."""
    names = ", ".join(data.feature_names[:4]) + (", …" if data.n_features > 4 else "")
    if classes is None:
        return f"one per feature: {names}"
    return (f"{data.n_features} features × {classes} classes, feature by feature: every class's weight of "
            f"{data.feature_names[0]}, then of the next feature")
