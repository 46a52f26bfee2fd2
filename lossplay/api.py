"""The Python API: ``train(**options)`` returns a ``Run``.

    >>> import lossplay
    >>> run = lossplay.train(loss="huber", optimizer="adam", epochs=50)
    >>> run.metrics["val"]["r2"]                       # doctest: +SKIP
    >>> run.plot_loss_curve()                          # a matplotlib Figure
    >>> run.save("my-run")                             # the same folder the CLI writes

The options are those of ``lossplay train`` (see ``TrainConfig``). The API
prints nothing and writes nothing unless ``out`` is given or ``save`` is
called; ``quiet`` and ``log_every`` only shape the command line's output.
"""

from datetime import datetime
from pathlib import Path

import numpy as np

from lossplay import __version__, runs
from lossplay.config import TrainConfig, check_steps, make_config
from lossplay.experiment import build
from lossplay.interrupt import graceful_interrupt
from lossplay.loop import StepRecord, history_columns
from lossplay.observers import DivergenceGuard, EarlyStopping, History
from lossplay.reference import mse_minimum


class Run:
    """One finished (or stopped) training run: its config, history, parameters and metrics."""

    def __init__(self, experiment, history, outcome, final, started_at):
        self.experiment = experiment
        self.history = history
        self.outcome = outcome
        self.final = final
        self.started_at = started_at
        self.folder = None
        self.files = {}

    def __repr__(self):
        return (f"<Run {self.config.loss}/{self.config.optimizer} on {self.config.dataset}: "
                f"{self.status} after {self.epochs_run} epochs>")

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
        """(weights, bias) converted back to the features' original units (undoing standardisation)."""
        params = self.params
        return self.data.transform.to_original_units(params["weights"], params["bias"])

    @property
    def metrics(self):
        """{'train': {'loss': ..., metric: ...}, 'val': {...} or None}, with the final parameters."""
        final = self.final
        train = {"loss": final.train_loss, **final.train_metrics}
        val = None if final.val_metrics is None else {"loss": final.val_loss, **final.val_metrics}
        return {"train": train, "val": val}

    @property
    def best_epoch(self):
        """The epoch of the lowest validation cost (training cost without validation)."""
        best = self.history.best()
        return None if best is None else best.epoch

    @property
    def overfitting(self):
        """{'detected': bool, 'began_at_epoch': int or None}; see ``History.overfitting``."""
        return self.history.overfitting()

    @property
    def notes(self):
        """Things worth knowing about the data and options (a constant feature, a batch too large)."""
        return list(self.experiment.notes)

    def least_squares(self):
        """(weights, bias) minimising this run's MSE objective in closed form, or None for other losses."""
        c = self.config
        if c.loss != "mse" or c.l1 > 0:
            return None
        theta = mse_minimum(self.data.X_train, self.data.y_train, c.l2)
        return theta[:-1], float(theta[-1])

    def predict(self, X, theta=None):
        """Predictions for raw rows X (original units): values, or probabilities for classifiers.

        ``theta`` gives other parameters than the final ones (those of an epoch of the history, say).
        """
        X = np.asarray(X, dtype=np.float64)
        model = self.experiment.model
        return model.predict(model.raw(self.theta if theta is None else theta, self.data.transform.transform(X)))

    # -- pictures and files -------------------------------------------------------------

    def plot_loss_curve(self):
        """The loss curve as a matplotlib Figure (nothing is written)."""
        from lossplay import plots

        return plots.loss_curve(self)

    def plot_fit(self):
        """The data with the fitted line or decision regions as a Figure, or None when it cannot be drawn."""
        from lossplay import plots

        return plots.fit(self) if plots.can_draw_fit(self.data) else None

    def to_json(self):
        """The content of run.json, as a dict."""
        data = self.data
        transform = data.transform
        standardization = None
        if transform.mean is not None:
            standardization = {"mean": transform.mean, "std": transform.std}
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
            "epochs_run": self.epochs_run,
            "best_epoch": self.best_epoch,
            "overfitting": self.overfitting,
            "metrics": self.metrics,
            "files": dict(self.files),
        }

    def default_folder_name(self):
        """<YYYYmmdd-HHMMSS>-<loss>-<optimizer>, from the start of the run."""
        return f"{runs.timestamp(self.started_at)}-{self.config.loss}-{self.config.optimizer}"

    def animate(self):
        """The fit changing over the epochs beside the loss curves so far, as GIF bytes; None when the
        fit cannot be drawn (it can for 1-feature regression and 2-feature classification)."""
        from lossplay import plots
        from lossplay.plots import evolution

        return evolution.training_gif(self) if plots.can_draw_fit(self.data) else None

    def save(self, out=None, *, force=None, plots=None, animate=None):
        """Write the run folder and return its path.

        ``out`` defaults to the config's ``out``, else ``runs/<timestamp>-<loss>-<optimizer>``;
        ``force`` (default: the config's) allows a non-empty ``out``; ``plots``
        (default: not ``no_plot``) draws loss_curve.png and, when possible, fit.png;
        ``animate`` (default: the config's) adds animation.gif when the fit can be drawn.
        A first Ctrl-C while saving is ignored so the folder is finished; a second one
        abandons it (a new folder is removed; an overwritten one is left without run.json).
        """
        c = self.config
        out = c.out if out is None else out
        force = c.force if force is None else force
        plots = (not c.no_plot) if plots is None else plots
        animate = c.animate if animate is None else animate
        fresh = out is None or not Path(out).exists()
        folder = runs.new_folder(self.default_folder_name()) if out is None else runs.open_folder(out, force)
        with graceful_interrupt(), runs.cleanup_on_failure(folder, fresh):
            previous = runs.retire(folder)
            files = {"history": "history.csv"}
            runs.write_atomic(folder / "history.csv",
                              runs.history_csv(history_columns(self.data.task), self.history.rows()))
            if plots:
                from lossplay import plots as drawing

                runs.write_atomic(folder / "loss_curve.png", drawing.png_bytes(drawing.loss_curve(self)))
                files["loss_curve"] = "loss_curve.png"
                if drawing.can_draw_fit(self.data):
                    runs.write_atomic(folder / "fit.png", drawing.png_bytes(drawing.fit(self)))
                    files["fit"] = "fit.png"
            if animate and (animation := self.animate()) is not None:
                runs.write_atomic(folder / "animation.gif", animation)
                files["animation"] = "animation.gif"
            self.files = files
            runs.remove_stale(folder, {*files.values(), "run.json"}, previous)
            runs.write_atomic(folder / "run.json", runs.to_json(self.to_json()))
        self.folder = Path(folder)
        return self.folder


def run_experiment(experiment, observers=(), stop=None):
    """Train a built experiment; returns a ``Run`` (nothing written).

    Ctrl-C ends it gracefully: pass a ``StopSignal`` to share one between
    several runs, or leave ``stop`` out to have one installed for this run.
    """
    if stop is None:
        with graceful_interrupt() as stop:
            return run_experiment(experiment, observers, stop)
    history = History()
    loop = experiment.training_loop()
    started_at = datetime.now()
    c = experiment.config
    watchers = [history, DivergenceGuard()]
    if c.patience is not None:
        watchers.append(EarlyStopping(c.patience, c.min_delta, c.restore_best))
    outcome = loop.run(experiment.theta0, [*watchers, *observers], stop=stop)
    if outcome.theta is loop.theta:
        final = history[-1]
    else:
        final = loop.evaluate(outcome.theta).record
    return Run(experiment, history, outcome, final, started_at)


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


def step(config=None, /, *, steps=3, **options):
    """Yield ``StepRecord``s, one per update, for the first ``steps`` updates of a run.

    Options as for ``train`` (``epochs`` is set by ``steps``). Each record holds
    every number of its update; ``record.to_dict()`` gives them as plain lists.
    """
    check_steps(steps)
    experiment = build(_config(config, options))
    for record in step_records(experiment, steps):
        if isinstance(record, StepRecord):
            yield record


def _config(config, options):
    if config is None:
        return make_config(**options)
    if not isinstance(config, TrainConfig):
        raise TypeError("expected a TrainConfig or keyword options")
    return make_config(**{**config.to_dict(), **options}) if options else config


def train(config=None, /, *, observers=(), **options):
    """Train a model and return its ``Run``; options as for ``lossplay train`` (underscores for dashes).

    Pass a ``TrainConfig`` or keyword options. Files are written only when
    ``out`` is given (then exactly as the command line writes them).
    """
    config = _config(config, options)
    if config.out is not None:
        runs.check_destination(config.out, config.force)
    run = run_experiment(build(config), observers)
    if config.out is not None:
        run.save()
    return run
