"""Advice that works: a command is suggested only after lossplay has run it and read the result.

A run's diagnosis (``lossplay.verdicts``) may call for a change: a smaller
learning rate after a run diverged or jumped about, more epochs for a run
still improving, early stopping for one that overfits. For each, a few
candidate changes are tried, in order, by training the very run the command
would train (the same options, data, seed and batch order, with one change),
and the first whose own diagnosis is clean is suggested:

- a smaller learning rate: no ``diverged`` and no ``unstable`` finding. For
  the MSE of a linear model trained by full-batch SGD, the first candidate is
  derived from the data: half the stability limit 2 / lambda_max (see
  ``reference.stable_lr_limit``; with momentum mu the limit is (1 + mu) times
  larger); then lr / 3, lr / 10, ... down to lr / 1000, rounded to one digit.
- more epochs: 2, 4 and 8 times as many, until a run ``converged``.
- early stopping: ``--patience`` of 5% of the epochs (at least 5), with
  the best epoch restored, which must end the run without a trouble.

A candidate that would not be valid (a rate that rounds to 0, more epochs than
allowed) is skipped; trying stops after ``BUDGET_SECONDS``. When nothing
passes, no command is suggested. Every suggested command repeats the run's own
options (data, loss, model, seed, ...) and names the one change.
"""

import math
import time
from dataclasses import dataclass, field

from lossplay.config import changed_options, command_line, make_config
from lossplay.errors import LossplayError
from lossplay.experiment import build
from lossplay.formatting import number
from lossplay.reference import stable_lr_limit
from lossplay.verdicts import diagnose

BUDGET_SECONDS = 20.0
RATE_FACTORS = (1 / 3, 1 / 10, 1 / 30, 1 / 100, 1 / 300, 1 / 1000)
EPOCH_FACTORS = (2, 4, 8)
MAX_EPOCHS = 100_000


@dataclass(frozen=True)
class Advice:
    """A checked suggestion: why, the command, the options it changes and what the check found."""

    why: str
    command: str
    changes: dict = field(default_factory=dict)

    def to_dict(self):
        return {"why": self.why, "command": self.command}


@dataclass(frozen=True)
class Trial:
    """A candidate change, trained: its experiment, its ``Trained`` record and its ``Diagnosis``."""

    changes: dict
    experiment: object
    trained: object
    diagnosis: object


def trial(requested, changes, dataset=None):
    """Train ``requested`` with ``changes`` (none of them a data option, so an already loaded ``dataset``
    serves) and diagnose it; None when the changed options are not valid."""
    try:
        config = make_config(**{**requested.to_dict(), **changes, "out": None, "force": False})
        experiment = build(config, dataset)
    except LossplayError:
        return None
    trained = experiment.run()
    outcome = trained.outcome
    diagnosis = diagnose(trained.history.curves(), outcome.status, outcome.message, outcome.kept_epoch,
                         int(experiment.data.outliers.sum()))
    return Trial(changes, experiment, trained, diagnosis)


def one_digit(value, below=None):
    """``value`` rounded to one significant digit (0.0333 -> 0.03), so commands stay readable; rounded
    down instead when rounding to the nearest would not stay below ``below``."""
    if not (math.isfinite(value) and value > 0):
        return 0.0  # no rate: the caller skips it
    exponent = math.floor(math.log10(value))
    nearest = float(f"{value:.0e}")
    if below is None or nearest < below:
        return nearest
    return float(f"{math.floor(value / 10**exponent)}e{exponent}")


def derived_rate(experiment):
    """The full-batch stability limit of this run's optimizer on a quadratic loss (MSE), from the data;
    None for another loss, mini-batches, an L1 penalty or an adaptive optimizer."""
    c = experiment.config
    if not experiment.loss.quadratic or experiment.batches_per_epoch != 1 or c.l1 > 0:
        return None
    return experiment.optimizer.stability_limit(stable_lr_limit(experiment.data.X_train, c.l2))


def _command(requested, changes):
    return command_line(changed_options(requested, changes))


def _calmer_rate(experiment, diagnosis, deadline):
    c, requested = experiment.config, experiment.requested or experiment.config
    trouble = "diverged" if diagnosis.has("diverged") else "jumped up (unstable)"
    candidates = []
    limit = derived_rate(experiment)
    if limit is not None and 0 < limit / 2 < c.lr and one_digit(limit / 2, below=0.9 * limit) > 0:
        derivation = (f"For the MSE of a linear model with full batches the largest stable rate of "
                      f"{experiment.optimizer.name} is {number(limit)}, from the data (2/λmax for plain gradient "
                      "descent); half of it")
        candidates.append((one_digit(limit / 2, below=0.9 * limit), derivation))
    for factor in RATE_FACTORS:
        rate = one_digit(c.lr * factor, below=c.lr)
        if rate > 0 and all(rate != r for r, _ in candidates):
            candidates.append((rate, None))
    for rate, derivation in candidates:
        if time.monotonic() > deadline:
            break
        tried = trial(requested, {"lr": rate}, experiment.dataset)
        if tried is None or tried.diagnosis.troubled:
            continue
        result = "it converged" if tried.diagnosis.has("converged") else "it ran without jumps"
        if tried.diagnosis.has("still_improving"):
            result += ", still improving at the end"
        lead = f"{derivation}, {number(rate)}," if derivation else f"A rate of {number(rate)}"
        why = (f"At lr {number(c.lr)} the training {trouble}. {lead} was checked by training this run "
               f"with it: {result}.")
        return [Advice(why, _command(requested, {"lr": rate}), {"lr": rate})]
    return []


def _more_epochs(experiment, deadline):
    c, requested = experiment.config, experiment.requested or experiment.config
    for factor in EPOCH_FACTORS:
        epochs = c.epochs * factor
        if epochs > MAX_EPOCHS or time.monotonic() > deadline:
            break
        tried = trial(requested, {"epochs": epochs}, experiment.dataset)
        if tried is None or tried.diagnosis.troubled:
            break  # longer runs of the same rate will not calm down
        if tried.diagnosis.has("converged"):
            final = tried.trained.final
            why = (f"The training objective was still falling after {c.epochs} epochs. Checked: with {epochs} "
                   f"it flattened at {number(final.objective)}")
            if final.val_loss is not None:
                why += f" (validation cost {number(final.val_loss)})"
            return [Advice(why + ".", _command(requested, {"epochs": epochs}), {"epochs": epochs})]
    return []


def _early_stopping(experiment, diagnosis, deadline):
    c, requested = experiment.config, experiment.requested or experiment.config
    if time.monotonic() > deadline:
        return []
    patience = max(5, round(0.05 * c.epochs))
    tried = trial(requested, {"patience": patience}, experiment.dataset)
    if tried is None or tried.diagnosis.troubled or tried.trained.outcome.status != "early_stopped":
        return []
    turn = diagnosis.find("overfitting").epoch
    final = tried.trained.final
    why = (f"The validation cost turned up after epoch {turn}. Checked: with early stopping (patience "
           f"{patience}) the run stops at epoch {tried.trained.outcome.epochs_run} and keeps epoch "
           f"{tried.diagnosis.kept_epoch}, validation cost {number(final.val_loss)}.")
    return [Advice(why, _command(requested, {"patience": patience}), {"patience": patience})]


def advise(experiment, diagnosis, budget=BUDGET_SECONDS):
    """The checked ``Advice`` for a trained experiment and its diagnosis (see the module); [] when none."""
    deadline = time.monotonic() + budget
    c = experiment.config
    if diagnosis.has("interrupted"):
        return []
    if diagnosis.troubled:
        return _calmer_rate(experiment, diagnosis, deadline)
    if diagnosis.has("overfitting") and c.patience is None:
        return _early_stopping(experiment, diagnosis, deadline)
    if diagnosis.has("still_improving") and c.patience is None:
        return _more_epochs(experiment, deadline)
    return []
