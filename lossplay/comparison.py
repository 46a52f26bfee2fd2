"""Comparing runs: the same data, split, corrupted rows, initial parameters and batch order,
with one thing changed at a time (the loss, the optimizer, the learning rate, any option).

Runs with different losses have costs on different scales, so they are ranked
on common metrics measured on the clean validation split: MSE, MAE and R² for
regression; accuracy, F1 and log loss for classification.

For data with corrupted training targets, each run also reports the share of
the total gradient magnitude that comes from the corrupted rows, at its final
parameters: the gradient of row i is dL_i/dz_i times [x_i, 1], so its size is
|dL_i/dz_i| * ||[x_i, 1]||. Under MSE a residual pulls in proportion to its
size, so a few far-off rows can own most of the pull; under MAE every row
pulls with |dL/dz| <= 1.
"""

import itertools
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

import numpy as np

from lossplay import runs as run_folders
from lossplay.api import planned_run, run_experiment
from lossplay.catalog import canonical_name
from lossplay.config import (
    FIELDS,
    TrainConfig,
    TrainOptions,
    as_config,
    coerce,
    make_config,
    optimizer_spec,
    option_value,
    parse_list,
    suggest_option,
    takes_options,
)
from lossplay.errors import LossplayError, called_as, spell, spelling_flags
from lossplay.experiment import build
from lossplay.formatting import plural
from lossplay.interrupt import graceful_interrupt
from lossplay.registry import display_name
from lossplay.verdicts import (
    SPEED_MARGIN,
    comparison_sentences,
    epochs_to_reach,
    groups,
    speed_groups,
    tail_noise,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

COMMON_METRICS = {"regression": ("mse", "mae", "r2"), "binary": ("accuracy", "f1", "log_loss"),
                  "multiclass": ("accuracy", "f1", "log_loss")}

NOT_VARIED = ("out", "force", "log_every", "pace", "quiet", "no_plot", "animate")


@dataclass(frozen=True)
class Variant:
    """One run of a comparison: its name, its folder and the options it changes."""

    name: str
    dir: str
    changes: dict


# how the lists are named in messages: as the arguments of lossplay.compare (the command line gives its own)
LIST_LABELS = {key: f"lossplay.compare: {key}" for key in ("losses", "optimizers", "lrs", "vary")}


def parse_vary(items, label=None):
    """['l2=0,0.01', ...] (or [('l2', [0, 0.01])], or {'l2': [0, 0.01]}) -> [('l2', [0.0, 0.01]), ...],
    checking the option names and values; ``label`` names the list in messages (default: vary, or --vary on
    the command line)."""
    label = spell("vary") if label is None else label
    if isinstance(items, str):
        items = [items]
    elif isinstance(items, Mapping):
        items = list(items.items())
    out = []
    for item in parse_list(items, label):
        if isinstance(item, (tuple, list)) and len(item) == 2:
            name, values = coerce(item[0], str, f"{label}: each option name"), item[1]
        elif isinstance(item, str) and "=" in item:
            name, values = item.split("=", 1)
        else:
            raise LossplayError(f"{label} takes OPTION=V1,V2,..., like l2=0,0.01 (or a pair: an option's name "
                                f"and its values); got {item!r}.")
        name = name.strip().lstrip("-").replace("-", "_")
        if name not in FIELDS or name in NOT_VARIED:
            known = [k for k in FIELDS if k not in NOT_VARIED]
            raise LossplayError(f"{label}: there is no option '{name}' to vary.{suggest_option(name, known)}")
        what = f"{label} {name}"
        out.append((name, [option_value(name, v, f"{what}: each value", from_text=True)
                           for v in parse_list(values, what)]))
    return out


def parse_lists(losses=(), optimizers=(), lrs=(), vary=(), labels=None):
    """The lists of a comparison, read and checked: (losses, optimizers, learning rates, [(option, values)]).

    Each may be a list or a text with commas; a list left empty (or None) is not compared.
    ``labels`` names the lists in messages (default: ``LIST_LABELS``).
    """
    labels = {**LIST_LABELS, **(labels or {})}

    def given(value):
        return value is not None and not (hasattr(value, "__len__") and len(value) == 0)

    def texts(key, value):
        return [coerce(v, str, f"{labels[key]}: each value") for v in parse_list(value, labels[key])]

    return ([canonical_name(name) for name in texts("losses", losses)] if given(losses) else [],
            texts("optimizers", optimizers) if given(optimizers) else [],
            [coerce(v, float, f"{labels['lrs']}: each value", from_text=True) for v in parse_list(lrs, labels["lrs"])]
            if given(lrs) else [],
            parse_vary(vary, labels["vary"]) if given(vary) else [])


def _label(name, value):
    shown = "none" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
    return f"{name}={shown}"


def short(spec, kind):
    """How a run of a loss or optimizer is named: its own name ('cauchy' for my_loss.py:Cauchy), with an
    optimizer's @LR kept."""
    name, at, rate = str(spec).partition("@")
    return display_name(name, kind) + at + rate


def variants(losses=(), optimizers=(), lrs=(), vary=()):
    """Every combination of the values given, each a ``Variant`` named after what varies."""
    dimensions = []
    if losses:
        dimensions.append([(short(loss, "loss"), short(loss, "loss"), {"loss": loss}) for loss in losses])
    if optimizers:
        dimensions.append([(short(spec, "optimizer"), short(spec, "optimizer").replace("@", "-lr"),
                            optimizer_spec(spec)) for spec in optimizers])
    if lrs:
        dimensions.append([(_label("lr", lr), f"lr_{lr:g}", {"lr": lr}) for lr in lrs])
    for name, values in vary:
        dimensions.append([(_label(name, v), _label(name, v).replace("=", "_"), {name: v}) for v in values])
    if not dimensions:
        example = "lossplay compare mse mae" if spelling_flags() else "losses=['mse', 'mae']"
        raise LossplayError(f"Nothing to compare: name losses ({example}), or give {spell('optimizers')}, "
                            f"{spell('lrs')} or {spell('vary')}.")
    # a run is named after what varies: a dimension with a single value names no one
    named = [i for i, dimension in enumerate(dimensions) if len(dimension) > 1] or [0]
    out = []
    for combination in itertools.product(*dimensions):
        changes = {}
        for _, _, change in combination:
            changes.update(change)
        out.append(Variant("-".join(combination[i][0] for i in named), "-".join(combination[i][1] for i in named),
                           changes))
    names = [v.name for v in out]
    if len(set(names)) != len(names):
        raise LossplayError(f"The comparison names the same run twice ({', '.join(names)}): give each value once.")
    return out


@dataclass
class ComparedRun:
    """A run of a comparison, with its name and folder."""

    name: str
    dir: str
    run: object
    changes: dict


class Comparison:
    """Several runs on the same data, and what they show side by side.

    ``entries`` hold each run (a ``Run``) with its name. As every result of the API: ``plot()`` draws
    the comparison, ``to_json()`` gives compare.json, ``save()`` writes the folder; ``history()`` and
    ``to_records()`` give every run's history.csv rows.
    """

    def __init__(self, entries, started_at, stopped=False, skipped=()):
        self.entries = entries
        self.started_at = started_at
        self.stopped = stopped
        self.skipped = list(skipped)
        self.folder = None
        first = entries[0].run
        self.task = first.data.task
        self.common_metrics = COMMON_METRICS[self.task]
        self.split = "val" if first.data.n_val else "train"
        self.claim = None  # a demo's lesson (``verdicts.Lesson``), checked against these runs
        self.picture = None  # a demo's own picture: a function returning a Figure

    def __repr__(self):
        return f"<Comparison of {plural(len(self.entries), 'run')}: {', '.join(e.name for e in self.entries)}>"

    @property
    def runs(self):
        return [entry.run for entry in self.entries]

    @property
    def data(self):
        """The data of the first run (every run shares the split, unless a data option is varied)."""
        return self.entries[0].run.data

    @property
    def true_params(self):
        true = self.data.true_params
        if true is None or self.entries[0].run.config.poly_degree != 1:
            return None
        return {"weights": list(true["weights"]), "bias": true["bias"]}

    def common(self, entry):
        """The common metrics of one run on the comparison's split (None when not finite)."""
        metrics = entry.run.metrics[self.split] or {}
        return {name: _finite(metrics.get(name)) for name in self.common_metrics}

    def rankings(self):
        """For each common metric, the runs in groups best first (see ``verdicts.groups``): runs of one
        group do not differ beyond their noise and the practical margin. Diverged runs are left out."""
        rows = self.data.n_val if self.split == "val" else self.data.n_train
        out = {}
        for metric in self.common_metrics:
            values, noises = {}, {}
            for entry in self.entries:
                if entry.run.status == "diverged":
                    continue
                values[entry.name] = self.common(entry)[metric]
                noises[entry.name] = tail_noise(entry.run.history.column(f"{self.split}_{metric}"))
            out[metric] = groups(values, metric, noises, rows)
        return out

    @property
    def main_metric(self):
        """The metric the runs are ranked on: MSE for regression, accuracy for classification."""
        return "mse" if self.task == "regression" else "accuracy"

    def best(self):
        """For each common metric, the names of the runs in its best group, when there is more than one
        group (a metric on which every run ties has no best)."""
        return {metric: set(found[0]) if len(found) > 1 else set() for metric, found in self.rankings().items()}

    def speed(self):
        """How soon each run came within 2% of the best final value of the loss-like common metric (MSE,
        or log loss for classifiers): {"metric", "within", "epochs": {name: epoch or None}, "groups"}."""
        metric = "mse" if self.task == "regression" else "log_loss"
        finals = [v for e in self.entries if e.run.status != "diverged"
                  and (v := self.common(e)[metric]) is not None]
        if not finals:
            return {"metric": metric, "within": SPEED_MARGIN, "epochs": {}, "groups": []}
        target = min(finals) + SPEED_MARGIN * abs(min(finals))
        reached = {}
        for entry in self.entries:
            history = entry.run.history
            reached[entry.name] = None if entry.run.status == "diverged" else epochs_to_reach(
                history.column("epoch"), history.column(f"{self.split}_{metric}"), target)
        return {"metric": metric, "within": SPEED_MARGIN, "epochs": reached, "groups": speed_groups(reached)}

    def wrong_row_pull(self, entry):
        """|dL/dz| of the training row a classifier gets most confidently wrong, at its final parameters
        (None for regression, or when it gets every row right)."""
        run = entry.run
        if self.task == "regression" or not np.isfinite(run.theta).all():
            return None
        data, model, loss = run.data, run.experiment.model, run.experiment.loss
        with np.errstate(all="ignore"):
            z = model.raw(run.theta, data.X_train)
            labels = model.labels(z, run.config.threshold)
            wrong = np.flatnonzero(labels != data.y_train)
            if not wrong.size:
                return None
            dz = loss.derivative(z[wrong], data.y_train[wrong])
        if z.ndim == 1:
            confidence = np.abs(z[wrong])
            pull = np.abs(dz)
        else:
            rows = np.arange(wrong.size)
            confidence = z[wrong][rows, labels[wrong]] - z[wrong][rows, data.y_train[wrong].astype(np.intp)]
            pull = np.sqrt((dz * dz).sum(axis=1))
        return float(pull[int(np.argmax(confidence))])

    def outlier_share(self, entry):
        """Share of the total gradient magnitude from the corrupted training rows, at the final parameters."""
        run = entry.run
        data = run.data
        if not data.outliers.any() or not np.isfinite(run.theta).all():
            return None
        model, loss = run.experiment.model, run.experiment.loss
        with np.errstate(all="ignore"):
            dz = loss.derivative(model.raw(run.theta, data.X_train), data.y_train)
        size = np.abs(dz) if dz.ndim == 1 else np.sqrt((dz * dz).sum(axis=1))
        size = size * np.sqrt(1.0 + (data.X_train * data.X_train).sum(axis=1))
        total = float(size.sum())
        return float(size[data.outliers].sum()) / total if total > 0 and np.isfinite(total) else None

    def line(self, entry):
        """(slope, intercept) in the data's units for a 1-feature straight-line fit, else None."""
        run = entry.run
        if self.task != "regression" or run.config.poly_degree != 1 or run.data.n_features != 1:
            return None
        weights, bias = run.original_params()
        return float(weights[0]), float(bias)

    def history(self) -> dict[str, list[dict[str, float | int | None]]]:
        """Each run's history, by the run's name: the rows of its history.csv (see ``History.to_records``)."""
        return {entry.name: entry.run.history.to_records() for entry in self.entries}

    def to_records(self) -> list[dict[str, object]]:
        """Every run's history in one table: the rows of each history.csv, run after run, each with the run's
        name first ('run'), so that ``pandas.DataFrame(comparison.to_records())`` holds them all."""
        return [{"run": name, **row} for name, rows in self.history().items() for row in rows]

    def lesson(self):
        """The sentences that read the comparison's numbers (``verdicts.comparison_sentences`` of
        compare.json: the handout prints the same)."""
        sentences = comparison_sentences(self.to_json())
        if self.stopped:
            sentences.append("Interrupted: the runs after the one stopped were not trained.")
        return sentences

    # -- files ------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The content of compare.json."""
        runs = []
        for entry in self.entries:
            run = entry.run
            runs.append({
                "name": entry.name, "dir": entry.dir, "loss": run.config.loss, "optimizer": run.config.optimizer,
                "lr": run.config.lr, "status": run.status, "params": run.params, "metrics": run.metrics,
                "outlier_gradient_share": self.outlier_share(entry),
                "wrong_row_pull": self.wrong_row_pull(entry),
                "diagnosis": {"findings": [f.to_dict() for f in run.diagnosis.findings]},
            })
        rankings = self.rankings()
        document = {"runs": runs, "true_params": self.true_params, "common_metrics": list(self.common_metrics),
                    "split": self.split,
                    "ranking": {"metric": self.main_metric, "groups": rankings[self.main_metric],
                                "by_metric": rankings},
                    "speed": self.speed(),
                    "lesson": None if self.claim is None else self.claim.to_dict()}
        if self.task != "regression":
            document["secondary_ranking"] = {"metric": "log_loss", "groups": rankings["log_loss"]}
        return document

    def plot(self) -> "Figure":
        """The comparison as a matplotlib Figure (a demo's own picture, when it has one); nothing is written."""
        if self.picture is not None:
            return self.picture()
        from lossplay import plots

        return plots.comparison(self)

    def default_folder_name(self, prefix="compare"):
        return f"{prefix}-{run_folders.timestamp(self.started_at)}"

    def animate(self):
        """Every run's line (1-feature regression) or boundary (2-feature binary classification) over the
        epochs, beside the common metric so far, as GIF bytes; None for other data."""
        from lossplay.plots import evolution

        return evolution.comparison_gif(self) if evolution.can_animate_comparison(self.data) else None

    def contents(self, plots=True, animate=False):
        """What the comparison folder holds, as ``runs.Contents``: compare.json, compare.png (with
        ``plots``), compare.gif (with ``animate``, when the data allows it) and one run folder per run."""
        from lossplay import plots as drawing
        from lossplay.plots.evolution import can_animate_comparison

        files = {}
        if plots:
            files["compare.png"] = lambda: drawing.png_bytes(self.plot())
        if animate and can_animate_comparison(self.data):
            files["compare.gif"] = self.animate
        folders = {entry.dir: entry.run.contents(plots, animate=False) for entry in self.entries}
        return run_folders.Contents("compare.json", self.to_json(), files, folders)

    def save(self, out: str | os.PathLike[str] | None = None, *, force: bool = False, plots: bool = True,
             prefix: str = "compare", animate: bool = False) -> Path:
        """Write the comparison folder (see ``contents``) and return its path.

        Without ``out`` the folder is runs/<prefix>-<timestamp>. Like ``Run.save``, it is written
        whole or not at all; a first Ctrl-C or SIGTERM while saving is ignored and a second abandons it.
        """
        self.folder = run_folders.write_folder(out, self.contents(plots, animate), force=force,
                                               default_name=self.default_folder_name(prefix))
        return self.folder


def check_comparison_destination(out, built, *, force=False, plots=True, animate=False):
    """Refuse, before anything trains, an ``out`` that cannot take the folder of the comparison of the
    prepared experiments ``built`` (see ``prepare``); nothing to check when ``out`` is None."""
    from lossplay.plots.evolution import can_animate_comparison

    files = [*(["compare.png"] if plots else []),
             *(["compare.gif"] if animate and can_animate_comparison(built[0][1].data) else [])]
    folders = {variant.dir: planned_run(experiment.data, plots) for variant, experiment in built}
    run_folders.check_destination(out, run_folders.Contents("compare.json", files=dict.fromkeys(files),
                                                            folders=folders), force=force)


def _finite(value):
    return None if value is None or not np.isfinite(value) else float(value)


def prepare(config=None, *, losses=(), optimizers=(), lrs=(), vary=(), labels=None, **options):
    """The experiments of a comparison, built and checked before anything trains: [(Variant, Experiment)].

    ``labels`` names the lists in messages (see ``parse_lists``).
    """
    base = as_config(config, options, "lossplay.compare")
    plan = variants(*parse_lists(losses, optimizers, lrs, vary, labels))
    built = []
    for variant in plan:
        try:
            experiment = build(make_config(**{**base.to_dict(), **variant.changes}))
        except LossplayError as error:
            raise LossplayError(f"{variant.name}: {error}") from None
        built.append((variant, experiment))
    tasks = {experiment.data.task for _, experiment in built}
    if len(tasks) > 1:
        raise LossplayError(
            "These runs do not learn the same kind of target (" + ", ".join(
                f"{v.name}: {e.data.task}" for v, e in built) + "): compare losses of one task at a time.")
    return built


def run(built, observers_for=None, stop=None):
    """Train prepared experiments one after the other; returns a ``Comparison``.

    ``observers_for(variant, experiment)`` may give observers for each run.
    A Ctrl-C or SIGTERM stops the current run and skips the rest.
    """
    if stop is None:
        with graceful_interrupt() as stop:
            return run(built, observers_for, stop)
    started_at = datetime.now()
    entries = []
    skipped = []
    for variant, experiment in built:
        if stop.requested:
            skipped.append(variant.name)
            continue
        observers = observers_for(variant, experiment) if observers_for else ()
        result = run_experiment(experiment, observers, stop)
        entries.append(ComparedRun(variant.name, variant.dir, result, variant.changes))
    return Comparison(entries, started_at, stopped=bool(stop.requested), skipped=skipped)


# what the lists of a comparison take: a list of values, or one text with commas ("mse,mae")
Names = str | Iterable[str]
Rates = str | float | Iterable[str | float]
# options to vary with their values: {"l2": [0, 0.01]}, [("l2", [0, 0.01])] or ["l2=0,0.01"]
Varied = str | Mapping[str, object] | Iterable[str | tuple[str, object]]


@takes_options()
@called_as("lossplay.compare")
def compare(config: TrainConfig | None = None, /, *, losses: Names = (), optimizers: Names = (), lrs: Rates = (),
            vary: Varied = (), **options: Unpack[TrainOptions]) -> Comparison:
    """Train one run per loss (and optimizer, learning rate, varied option) and compare them.

    >>> cmp = lossplay.compare(losses=["mse", "mae", "huber"], outliers=True)   # doctest: +SKIP
    >>> cmp.lesson(); cmp.plot(); cmp.history(); cmp.save()                     # doctest: +SKIP

    Options are those of ``train``, shared by every run; ``optimizers`` also takes 'momentum',
    'nesterov' and NAME@LR ('sgd@0.01'); ``vary`` takes ``{"l2": [0, 0.01]}``, ``[("l2", [0, 0.01])]``
    or ``["l2=0,0.01"]``, and several options vary together in every combination. Nothing is written
    unless ``out`` is given or ``save`` is called.
    """
    built = prepare(config, losses=losses, optimizers=optimizers, lrs=lrs, vary=vary, **options)
    c = built[0][1].config
    check_comparison_destination(c.out, built, force=c.force, plots=not c.no_plot, animate=c.animate)
    comparison = run(built)
    if c.out is not None:
        comparison.save(c.out, force=c.force, plots=not c.no_plot, animate=c.animate)
    return comparison
