"""The Python API: ``train(**options)`` returns a ``Run``.

    >>> import lossplay
    >>> run = lossplay.train(loss="huber", optimizer="adam", epochs=50)
    >>> run.metrics["val"]["r2"]                       # doctest: +SKIP
    >>> run.plot()                                     # the loss curve, a matplotlib Figure
    >>> run.history.to_records()                       # the rows of history.csv   # doctest: +SKIP
    >>> run.save("my-run")                             # the same folder the CLI writes

The options are those of ``lossplay train`` (see ``TrainConfig``), each a keyword
parameter (``TrainOptions``). The API prints nothing and writes nothing unless
``out`` is given or ``save`` is called; ``quiet``, ``log_every`` and ``pace``
only shape the command line's output.
"""

import os
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

import numpy as np

from lossplay import runs
from lossplay.config import STEP_DEFAULTS, TrainConfig, TrainOptions, as_config, check_steps, coerce, takes_options
from lossplay.errors import LossplayError, called_as
from lossplay.experiment import build
from lossplay.formatting import plural
from lossplay.interrupt import graceful_interrupt
from lossplay.loop import StepRecord, history_columns
from lossplay.observers import History, Observer
from lossplay.reference import mse_minimum
from lossplay.terminal import printable
from lossplay.verdicts import diagnose
from lossplay.version import __version__

if TYPE_CHECKING:
    from matplotlib.figure import Figure


class Run:
    """One finished (or stopped) training run: its config, history, parameters and metrics.

    As every result of the API (``Comparison``, ``Landscape``, ``LRFindResult``), it draws its main
    picture with ``plot()``, gives the content of its JSON file with ``to_json()`` and writes its folder
    with ``save()``; ``history.to_records()`` has its numbers epoch by epoch, rows for a DataFrame.
    """

    history: History  # one record per epoch, epoch 0 (before the first update) first
    folder: Path | None  # where ``save`` wrote the run, or None

    def __init__(self, experiment, history, outcome, final, started_at):
        self.experiment = experiment
        self.history = history
        self.outcome = outcome
        self.final = final
        self.started_at = started_at
        self.folder = None
        self.files = {}
        self._diagnosis = None
        self._advice = None
        self._evaluations = {}
        self.advice_stopped: KeyboardInterrupt | None = None  # a Ctrl-C or SIGTERM while advice was checked

    def __repr__(self):
        return printable(f"<Run {self.config.loss_label}/{self.config.optimizer_label} on {self.config.dataset}: "
                         f"{self.status} after {plural(self.epochs_run, 'epoch')}>")

    # -- what happened ----------------------------------------------------------------

    @property
    def config(self):
        """The resolved ``TrainConfig``: every option with the value actually used."""
        return self.experiment.config

    @property
    def data(self):
        """The ``PreparedData``: the split, standardised arrays the model trained on."""
        return self.experiment.data

    @property
    def status(self):
        """'completed', 'diverged', 'interrupted' or 'early_stopped'."""
        return self.outcome.status

    @property
    def message(self):
        """Why training stopped early, or None."""
        return self.outcome.message

    @property
    def epochs_run(self):
        return self.outcome.epochs_run

    @property
    def theta(self):
        """The final parameters as one array; the last row is the bias."""
        return self.outcome.theta

    @property
    def params(self):
        """{'weights': array (d,) or (d, k), 'bias': float or array (k,)}, in the model's feature space."""
        model = self.experiment.model
        bias = model.bias(self.theta)
        return {"weights": model.weights(self.theta).copy(),
                "bias": float(bias) if np.ndim(bias) == 0 else bias.copy()}

    def original_params(self):
        """(weights, bias) converted back to the features' original units (undoing standardisation): those of
        the columns as read, or of the expanded columns (x^2, x1·x2) with polynomial features."""
        params = self.params
        return self.data.transform.to_original_units(params["weights"], params["bias"])

    @property
    def metrics(self):
        """{'train': {'loss': ..., metric: ...}, 'val': {...} or None}, with the final parameters."""
        final = self.final
        train = {"loss": final.train_loss, **final.train_metrics}
        val = None if final.val_metrics is None else {"loss": final.val_loss, **final.val_metrics}
        return {"train": train, "val": val}

    def evaluation(self, split="val"):
        """A classifier's view of a split with the final parameters (``lossplay.evaluation.evaluate``):
        confusion matrix (rows = true class, columns = predicted, in the order of ``data.classes``), balanced
        accuracy, per-class precision and recall (several classes), ROC and precision-recall areas and the
        calibration error (binary). None for regression, a split without rows or parameters not finite."""
        if split not in self._evaluations:
            self._evaluations[split] = self._evaluate(split)
        return self._evaluations[split]

    @property
    def judged_split(self):
        """The split a classifier's end-of-run view is drawn and printed for: 'val', or 'train' without one."""
        return "val" if self.data.n_val else "train"

    def outputs(self, split="val"):
        """(y, z) of a split: its targets and the model's raw outputs with the final parameters; None for a
        split without rows."""
        data = self.data
        X, y = (data.X_val, data.y_val) if split == "val" else (data.X_train, data.y_train)
        if X is None:
            return None
        with np.errstate(all="ignore"):
            return y, self.experiment.model.raw(self.theta, X)

    def _evaluate(self, split):
        from lossplay.evaluation import evaluate

        outputs = self.outputs(split)
        if self.data.task == "regression" or outputs is None or not np.isfinite(self.theta).all():
            return None
        return evaluate(*outputs, self.data.n_classes, self.config.threshold)

    def metrics_with_evaluation(self):
        """``metrics`` with each split's ``evaluation`` added (what run.json records)."""
        out = {}
        for split, values in self.metrics.items():
            extra = self.evaluation(split) if values is not None else None
            out[split] = None if values is None else {**values, **(extra or {})}
        return out

    @property
    def diagnosis(self):
        """What the recorded numbers say about this run (see ``lossplay.verdicts``): its findings
        (converged, still_improving, unstable, diverged, overfitting, interrupted), the best epoch,
        the kept epoch and notes. Computed once, from the history."""
        if self._diagnosis is None:
            self._diagnosis = diagnose(self.history.curves(), self.status, self.message,
                                       self.outcome.kept_epoch, int(self.data.outliers.sum()))
        return self._diagnosis

    @property
    def findings(self):
        """The diagnosis's findings, each with ``kind``, ``epoch`` and ``detail``."""
        return list(self.diagnosis.findings)

    @property
    def best_epoch(self):
        """The epoch of the lowest validation cost (training cost without validation)."""
        return self.diagnosis.best_epoch

    @property
    def kept_epoch(self):
        """The epoch whose parameters the run ended with: early stopping's restored one, or the last."""
        return self.diagnosis.kept_epoch

    @property
    def overfitting(self):
        """{'detected': bool, 'began_at_epoch': int or None}, from the diagnosis."""
        return self.diagnosis.overfitting

    def advice(self):
        """Commands that fix what the diagnosis found (a rate that does not diverge, more epochs, early
        stopping), each checked by training it first; see ``lossplay.advice``. Computed once."""
        if self._advice is None:
            from lossplay.advice import advise

            self._advice = advise(self.experiment, self.diagnosis)
        return list(self._advice)

    def advice_notes(self):
        """Why no advice is given when its checking was interrupted (else none)."""
        if self.advice_stopped is None:
            return []
        return ["The advice was not checked: the checking was interrupted, so none is given."]

    @property
    def notes(self):
        """Things worth knowing about the data and options (a constant feature, a batch too large)."""
        return list(self.experiment.notes)

    def least_squares(self):
        """(weights, bias) minimising this run's MSE objective in closed form, or None for other losses."""
        c = self.config
        if not self.experiment.loss.quadratic or c.l1 > 0:
            return None
        theta = mse_minimum(self.data.X_train, self.data.y_train, c.l2)
        return theta[:-1], float(theta[-1])

    def predict(self, X, theta=None):
        """Predictions for raw rows X (original units): values, or probabilities for classifiers.

        X holds one row per example, one column per feature of the dataset (n x d); with a single
        feature, a list of n values (or one value) does too. ``theta`` gives other parameters than
        the final ones (those of an epoch of the history, say).
        """
        names = self.data.transform.raw_names
        d = len(names)
        try:
            rows = np.asarray(X, dtype=np.float64)
        except (TypeError, ValueError):
            rows = None
        if rows is None or rows.ndim > 2 or (rows.ndim < 2 and d != 1):
            raise LossplayError(f"Run.predict: X must be rows of {d} number{'s' if d != 1 else ''} (one per "
                                f"feature: {printable(', '.join(names))}), like [[{', '.join(['1.0'] * d)}]]; "
                                f"got {type(X).__name__} {printable(repr(X))[:60]}.")
        single = rows.ndim == 0
        rows = rows.reshape(-1, 1) if rows.ndim < 2 else rows
        if rows.shape[1] != d:
            raise LossplayError(f"Run.predict: X has {rows.shape[1]} columns, but the run learned from {d} "
                                f"feature{'s' if d != 1 else ''} ({printable(', '.join(names))}): give one column "
                                "per feature, in that order.")
        if rows.shape[0] == 0:
            raise LossplayError("Run.predict: X holds no rows.")
        if theta is None:
            theta = self.theta
        else:
            try:
                theta = np.asarray(theta, dtype=np.float64)
            except (TypeError, ValueError):
                theta = None
            if theta is None or theta.shape != self.theta.shape:
                raise LossplayError(f"Run.predict: theta must be parameters of this run's shape "
                                    f"{self.theta.shape} (like run.theta or run.history[epoch].params).")
        model = self.experiment.model
        predictions = model.predict(model.raw(theta, self.data.transform.transform(rows)))
        return predictions[0] if single else predictions

    # -- pictures and files -------------------------------------------------------------

    def plot(self) -> "Figure":
        """The run's picture: its loss curve (``plot_loss_curve``), as a matplotlib Figure; nothing is written."""
        return self.plot_loss_curve()

    def plot_loss_curve(self) -> "Figure":
        """The loss curve as a matplotlib Figure (nothing is written)."""
        from lossplay import plots

        return plots.loss_curve(self)

    def plot_fit(self) -> "Figure | None":
        """The data with the fitted line or decision regions as a Figure, or None when it cannot be drawn."""
        from lossplay import plots

        return plots.fit(self) if plots.can_draw_fit(self.data) else None

    def to_json(self) -> dict[str, Any]:
        """The content of run.json, as a dict."""
        data = self.data
        transform = data.transform
        standardization = None
        original = {}
        if transform.mean is not None:
            # the population standard deviation of the training rows, (1/n) sum (x - mean)^2 under the root
            standardization = {"mean": transform.mean, "std": transform.std, "std_divides_by": "n"}
            weights, bias = self.original_params()
            original = {"params_original": {"weights": weights, "bias": bias}}
        return {
            "lossplay_version": __version__,
            "status": self.status,
            "config": self.config.to_dict(),
            "data": {
                "task": data.task, "n_train": data.n_train, "n_val": data.n_val,
                "features": list(data.feature_names), "target": data.target_name,
                "classes": None if data.classes is None else list(data.classes),
                "standardization": standardization,
            },
            "params": self.params,
            **original,
            "epochs_run": self.epochs_run,
            "best_epoch": self.best_epoch,
            "overfitting": self.overfitting,
            "metrics": self.metrics_with_evaluation(),
            "files": dict(self.files),
            "kept_epoch": self.kept_epoch,
            "diagnosis": {"findings": [f.to_dict() for f in self.diagnosis.findings],
                          "advice": [a.to_dict() for a in (self._advice or [])],
                          "notes": [*self.diagnosis.notes, *self.advice_notes()]},
        }

    def default_folder_name(self):
        """<YYYYmmdd-HHMMSS>-<loss>-<optimizer>, from the start of the run."""
        e = self.experiment
        return f"{runs.timestamp(self.started_at)}-{e.loss.name}-{e.optimizer.name}"

    def animate(self):
        """The fit changing over the epochs beside the loss curves so far, as GIF bytes; None when the
        fit cannot be drawn (it can for 1-feature regression and 2-feature classification)."""
        from lossplay import plots
        from lossplay.plots import evolution

        return evolution.training_gif(self) if plots.can_draw_fit(self.data) else None

    def contents(self, plots=True, animate=False):
        """What the run folder holds, as ``runs.Contents``: run.json, history.csv and the pictures of
        ``run_files``, drawn when the folder is written."""
        from lossplay import plots as drawing
        from lossplay.plots.classifier import classifier as classifier_picture

        self.files = run_files(self.data, plots, animate)
        makers = {
            "history": lambda: runs.history_csv(history_columns(self.data.task), self.history.to_records()),
            "loss_curve": lambda: drawing.png_bytes(drawing.loss_curve(self)),
            "fit": lambda: drawing.png_bytes(drawing.fit(self)),
            "classifier": lambda: drawing.png_bytes(classifier_picture(self)),
            "animation": self.animate,
        }
        return runs.Contents("run.json", self.to_json(), {name: makers[key] for key, name in self.files.items()})

    def save(self, out: str | os.PathLike[str] | None = None, *, force: bool | None = None,
             plots: bool | None = None, animate: bool | None = None, advice: bool = True) -> Path:
        """Write the run folder and return its path.

        ``out`` defaults to the config's ``out``, else ``runs/<timestamp>-<loss>-<optimizer>``;
        ``force`` (default: the config's) allows a non-empty ``out``, where only the files lossplay
        wrote are replaced; ``plots`` (default: not ``no_plot``) draws loss_curve.png and, when
        possible, fit.png; ``animate`` (default: the config's) adds animation.gif when the fit can be
        drawn; ``advice`` checks the advice of the diagnosis (``advice()``) so that run.json records it (a
        Ctrl-C or SIGTERM while it does skips the advice, kept in ``advice_stopped``, and the run is saved).
        The folder is written by ``runs.write_folder``: whole or not at all; a first Ctrl-C or
        SIGTERM while saving is ignored so the folder is finished, a second one abandons it (the old
        folder stays as it was).
        """
        c = self.config
        out = c.out if out is None else out
        force = c.force if force is None else force
        plots = (not c.no_plot) if plots is None else plots
        animate = c.animate if animate is None else animate
        if advice:
            try:
                self.advice()
            except KeyboardInterrupt as stop:  # checking advice trains more runs: a Ctrl-C skips it, not the run
                self._advice, self.advice_stopped = [], stop
        self.folder = runs.write_folder(out, self.contents(plots, animate), force=force,
                                        default_name=self.default_folder_name())
        return self.folder


def run_files(data, plots=True, animate=False):
    """The files of a run folder besides run.json, by their key in its "files": history.csv; with ``plots``
    loss_curve.png, fit.png when the fit can be drawn and classifier.png for a classifier; with ``animate``
    animation.gif (when the fit can be drawn)."""
    from lossplay.plots import can_draw_fit

    files = {"history": "history.csv"}
    drawable = can_draw_fit(data)
    if plots:
        files["loss_curve"] = "loss_curve.png"
        if drawable:
            files["fit"] = "fit.png"
        if data.task != "regression":
            files["classifier"] = "classifier.png"
    if animate and drawable:
        files["animation"] = "animation.gif"
    return files


def planned_run(data, plots=True, animate=False):
    """The names of a run folder's files, as ``runs.Contents``, for ``runs.check_destination``."""
    return runs.Contents("run.json", files=dict.fromkeys(run_files(data, plots, animate).values()))


def check_run_destination(config, data):
    """Refuse, before training, an ``out`` (the config's) that cannot take the run folder of ``data``."""
    runs.check_destination(config.out, planned_run(data, not config.no_plot, config.animate), force=config.force)


def run_experiment(experiment, observers=(), stop=None):
    """Train a built experiment; returns a ``Run`` (nothing written).

    Ctrl-C or SIGTERM ends it gracefully: pass a ``StopSignal`` to share one
    between several runs, or leave ``stop`` out to have one installed for this run.
    """
    if stop is None:
        with graceful_interrupt() as stop:
            return run_experiment(experiment, observers, stop)
    started_at = datetime.now()
    trained = experiment.run(observers, stop)
    return Run(experiment, trained.history, trained.outcome, trained.final, started_at)


def step_records(experiment, steps):
    """The loop's records for the first ``steps`` updates: epoch records (epoch 0 first) and step records.

    The loop is the one ``train`` runs, asked for step detail, so the numbers
    are the same: after n steps the parameters are those of ``train`` after n updates.
    """
    epochs = -(-steps // experiment.batches_per_epoch)
    loop = experiment.training_loop(epochs=epochs)
    taken = 0
    for record in loop.records(experiment.theta0, detail=True):
        yield record
        if isinstance(record, StepRecord):
            taken += 1
            if taken == steps:
                return


def step_experiment(config):
    """The experiment of a step-by-step view: ``config`` with the 'tiny' dataset when none is named and the
    loss learns a regression target."""
    from lossplay.experiment import task_of

    if config.dataset is None and (config.loss is None or task_of(config.loss, config.model) == "regression"):
        config = config.replace(dataset="tiny")
    return build(config)


@takes_options(defaults=STEP_DEFAULTS)
def step(config: TrainConfig | None = None, /, *, steps: int = 3,
         **options: Unpack[TrainOptions]) -> Iterator[StepRecord]:
    """Yield ``StepRecord``s, one per update, for the first ``steps`` updates of a run.

    >>> for record in lossplay.step(steps=2, loss="huber", optimizer="adam"):   # doctest: +SKIP
    ...     record.cost, record.grad, record.update

    Options as for ``train`` (``epochs`` is set by ``steps``), with the defaults of ``lossplay step``:
    batches of 4, unscaled features and the 'tiny' dataset for regression, so the records are the ones
    the command line shows. Each record holds every number of its update; ``record.to_dict()`` gives
    them as plain lists.
    """
    with called_as("lossplay.step"):
        steps = coerce(steps, int, "lossplay.step: 'steps'")
        check_steps(steps)
        experiment = step_experiment(as_config(config, options, "lossplay.step", defaults=STEP_DEFAULTS))
    for record in step_records(experiment, steps):
        if isinstance(record, StepRecord):
            yield record


HOOKS = ("on_train_begin", "on_epoch_end", "on_step_end", "on_train_end")


def _observers(observers, origin):
    """The observers as a list, each an ``Observer`` (or anything with its four hooks)."""
    if isinstance(observers, (str, bytes)) or not hasattr(observers, "__iter__"):
        raise LossplayError(f"{origin}: 'observers' must be a list of observers, got {type(observers).__name__} "
                            f"{observers!r}.")
    observers = list(observers)
    for observer in observers:
        if not isinstance(observer, Observer) and not all(callable(getattr(observer, h, None)) for h in HOOKS):
            raise LossplayError(f"{origin}: each of 'observers' must be an Observer (a subclass of "
                                f"lossplay.observers.Observer), got {type(observer).__name__} {observer!r}.")
    return observers


@takes_options()
@called_as("lossplay.train")
def train(config: TrainConfig | None = None, /, *, observers: Iterable[Observer] = (),
          **options: Unpack[TrainOptions]) -> Run:
    """Train a model and return its ``Run``; options as for ``lossplay train`` (underscores for dashes).

    >>> run = lossplay.train(loss="huber", optimizer="adam", epochs=50)   # doctest: +SKIP
    >>> run.plot(); run.history.to_records(); run.save("my-run")          # doctest: +SKIP

    Pass a ``TrainConfig`` (its options, with the keywords given over them) or keyword options, each
    a field of ``TrainConfig`` with its default. ``observers`` listen to the training loop (see
    ``lossplay.observers``). Files are written only when ``out`` is given (then exactly as the command
    line writes them).
    """
    config = as_config(config, options, "lossplay.train")
    observers = _observers(observers, "lossplay.train")
    experiment = build(config)
    config = experiment.config
    check_run_destination(config, experiment.data)
    run = run_experiment(experiment, observers)
    if config.out is not None:
        run.save()
    return run
