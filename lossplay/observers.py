"""Observers of the training loop: they listen to its records and never do I/O.

An observer implements any of ``on_train_begin(loop)``, ``on_epoch_end(record)``,
``on_step_end(record)`` and ``on_train_end(outcome)``; ``on_epoch_end`` and
``on_step_end`` may return a ``Stop`` to end training. Setting
``wants_steps = True`` asks the loop for a ``StepRecord`` after every update;
``wants_batches = True`` for a ``BatchRecord`` before every update, passed to
``on_batch(record)``, which may return a ``Stop`` (that update is then not made).
"""

import math

import numpy as np

from lossplay.formatting import plural
from lossplay.loop import Stop
from lossplay.verdicts import Curves


class Observer:
    """Does nothing; subclasses override the hooks they need."""

    wants_steps = False
    wants_batches = False

    def on_train_begin(self, loop):
        pass

    def on_epoch_end(self, record):
        return None

    def on_step_end(self, record):
        return None

    def on_batch(self, record):
        return None

    def on_train_end(self, outcome):
        pass


class History(Observer):
    """Keeps every epoch record, in order; ``verdicts`` reads them (best epoch, overfitting, ...)."""

    def __init__(self, records=None):
        self.records = list(records or [])

    def on_epoch_end(self, record):
        self.records.append(record)

    def __len__(self):
        return len(self.records)

    def __getitem__(self, index):
        return self.records[index]

    def __iter__(self):
        return iter(self.records)

    def to_records(self) -> list[dict[str, float | int | None]]:
        """Every epoch as a flat dict of plain numbers, epoch 0 first: the rows of history.csv, with its column
        names (None where a cell is empty). ``pandas.DataFrame(history.to_records())`` is the history as a
        table."""
        return [record.row() for record in self.records]

    def rows(self):
        """The rows of history.csv: the same as ``to_records``."""
        return self.to_records()

    def to_dict(self) -> dict[str, list[float | int | None]]:
        """The history by column: {column of history.csv: its value at each epoch}, the columns in the file's
        order (empty before the first epoch)."""
        records = self.to_records()
        return {name: [row[name] for row in records] for name in (records[0] if records else ())}

    def column(self, name):
        """One column of the history as a float array (None becomes NaN)."""
        return np.array([np.nan if (v := record.row()[name]) is None else v for record in self.records],
                        dtype=float)

    def curves(self):
        """The epochs, objective, training and validation costs as the ``verdicts.Curves`` a diagnosis reads."""
        val = self.column("val_loss")
        return Curves.of(self.column("epoch"), self.column("objective"), self.column("train_loss"),
                         None if np.isnan(val).all() else val)


class DivergenceGuard(Observer):
    """Stops training when it has clearly diverged.

    Diverged means: the cost, the objective or the gradient norm is not finite,
    or the training objective has grown to more than ``growth`` (a million)
    times its value before the first update. A run that grows that much is
    overshooting further at every step; waiting for the overflow to infinity
    would only waste epochs.
    """

    def __init__(self, growth=1e6):
        self.growth = growth
        self.first = None
        self.last_finite = None

    def on_epoch_end(self, record):
        if self.first is None:
            self.first = record
        if not record.finite:
            if not math.isfinite(record.train_loss):
                what = "cost"
            elif not math.isfinite(record.objective):
                what = "objective"
            else:
                what = "gradient"
            if self.last_finite is None:
                return Stop("diverged", f"the {what} is not finite at the initial parameters: the data's "
                                        "values are too large for this loss (rescale them)")
            last = self.last_finite
            return Stop(
                "diverged",
                f"the training {what} became infinite or NaN during epoch {record.epoch} "
                f"(last finite cost {last.train_loss:.4g} at epoch {last.epoch}); "
                f"{self._advice(record)}",
            )
        self.last_finite = record
        start = self.first.objective
        if start > 0 and record.objective > self.growth * start:
            return Stop(
                "diverged",
                f"the training objective grew from {start:.4g} to {record.objective:.4g} by epoch "
                f"{record.epoch}, more than {self.growth:.0e} times its starting value; {self._advice(record)}",
            )
        return None

    @staticmethod
    def _advice(record):
        return (f"each step overshot further than the last, so the learning rate {record.lr:g} is too large for "
                "this problem")


class EarlyStopping(Observer):
    """Stops training when the validation cost has not improved for ``patience`` epochs.

    An epoch counts as an improvement when its validation cost is lower than
    the lowest so far by more than ``min_delta``; ``patience`` epochs in a row
    without one end the run. On stopping, ``restore_best`` goes back to the
    parameters of the epoch with the lowest validation cost (which may be a
    later epoch than the last improvement, when it was lower by less than
    ``min_delta``); otherwise the last parameters are kept. A run that never
    stops keeps its last parameters either way.
    """

    def __init__(self, patience, min_delta=0.0, restore_best=True):
        self.patience = patience
        self.min_delta = min_delta
        self.restore_best = restore_best
        self.best = None  # the record with the lowest validation cost
        self.reference = None  # the validation cost of the last improvement
        self.reference_epoch = None
        self.waited = 0

    def on_epoch_end(self, record):
        if record.val_loss is None or not math.isfinite(record.val_loss):
            return None
        if self.best is None or record.val_loss < self.best.val_loss:
            self.best = record
        if self.reference is None or record.val_loss < self.reference - self.min_delta:
            self.reference = record.val_loss
            self.reference_epoch = record.epoch
            self.waited = 0
            return None
        self.waited += 1
        if self.waited < self.patience:
            return None
        best = self.best
        by = f" by more than {self.min_delta:g}" if self.min_delta else ""
        why = (f"the validation cost has not fallen{by} since epoch {self.reference_epoch} "
               f"({plural(self.patience, 'epoch')}); "
               f"its lowest was {best.val_loss:.4g} at epoch {best.epoch}")
        if self.restore_best:
            return Stop("early_stopped", f"{why}; the parameters of epoch {best.epoch} were restored",
                        params=best.params.copy(), kept_epoch=best.epoch)
        return Stop("early_stopped", f"{why}; the parameters of the last epoch, {record.epoch}, were kept",
                    kept_epoch=record.epoch)
