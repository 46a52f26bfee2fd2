"""The training loop: forward pass, loss, backward pass, update, again and again.

One step on a batch (X_b, y_b):

    z      = model.raw(theta, X_b)                 forward pass
    dL/dz  = loss.derivative(z, y_b)               how each row's loss moves with z
    g      = model.backward(X_b, dL/dz) + penalty  gradient of the objective
    step, state = optimizer.update(g, state, lr)
    theta  = theta + step

After every epoch, and once before the first update (epoch 0), the loop
evaluates the current parameters on the whole training split and the whole
validation split: cost, objective, gradient norm and metrics. With full-batch
gradient descent that evaluation *is* the next step's forward and backward
pass, so it is computed once and used twice.

The loop never prints. It produces records (``EpochRecord`` after each
epoch, ``StepRecord`` after each step when step detail is asked for), and
observers (the history, the divergence guard, the live table) listen to them.
A step record is only built when an observer asks for it, so the fast path
pays nothing for the step-by-step view.
"""

import math
from dataclasses import dataclass

import numpy as np

from lossplay import metrics
from lossplay.formatting import plural
from lossplay.interrupt import StopSignal  # noqa: F401  (the flag the loop checks; callers import it from here)


@dataclass(frozen=True)
class EpochRecord:
    """The state of training at the end of an epoch (epoch 0: before any update)."""

    epoch: int
    steps: int
    lr: float
    train_loss: float
    val_loss: float | None
    objective: float
    grad_norm: float
    train_metrics: dict
    val_metrics: dict | None
    params: np.ndarray

    @property
    def finite(self):
        """True when the cost, the objective and the gradient norm are finite numbers."""
        return bool(np.isfinite(self.train_loss) and np.isfinite(self.objective) and np.isfinite(self.grad_norm))

    def row(self):
        """The record as one flat row of history.csv (see ``history_columns``)."""
        row = {"epoch": self.epoch, "steps": self.steps, "train_loss": self.train_loss,
               "val_loss": self.val_loss, "objective": self.objective, "grad_norm": self.grad_norm,
               "lr": self.lr}
        for name, value in self.train_metrics.items():
            row[f"train_{name}"] = value
        for name in self.train_metrics:
            row[f"val_{name}"] = None if self.val_metrics is None else self.val_metrics[name]
        return row


def history_columns(task):
    """The columns of history.csv for a task, in order."""
    names = metrics.names(task)
    return ["epoch", "steps", "train_loss", "val_loss", "objective", "grad_norm", "lr",
            *(f"train_{m}" for m in names), *(f"val_{m}" for m in names)]


@dataclass(frozen=True)
class StepRecord:
    """Every number of one update, for the step-by-step view. Built only on request.

    ``rows`` are positions in the training split, ``batch`` the same rows as
    indices of the dataset. Parameter-shaped arrays (``params_before``,
    ``grad``, ``update``, ``params_after`` and the optimizer's state) keep the
    bias in their last row.
    """

    step: int
    epoch: int
    batch_in_epoch: int
    batches_per_epoch: int
    lr: float
    rows: np.ndarray
    batch: np.ndarray
    X: np.ndarray
    y: np.ndarray
    params_before: np.ndarray
    z: np.ndarray
    predictions: np.ndarray
    losses: np.ndarray
    cost: float
    penalty: float
    dz: np.ndarray
    grad: np.ndarray
    grad_norm: float
    clipped: bool
    optimizer: str
    hyperparameters: dict
    state_before: tuple
    state_after: tuple
    trace: dict
    update: np.ndarray
    params_after: np.ndarray
    batch_cost_after: float
    train_cost_before: float
    train_cost_after: float
    task: str = "regression"

    @property
    def objective(self):
        """The batch objective: batch cost + penalty."""
        return self.cost + self.penalty

    def to_dict(self):
        """Every number as plain Python lists and floats; parameters as {"weights", "bias"} like run.json."""

        def params(theta):
            return {"weights": theta[:-1].tolist(), "bias": theta[-1].tolist()}

        def state(named):
            return {key: params(v) if isinstance(v, np.ndarray) else v for key, v in named._asdict().items()}

        return {
            "step": self.step, "epoch": self.epoch, "lr": self.lr,
            "batch": self.batch.tolist(), "x": self.X.tolist(),
            "y": self.y.tolist() if self.task == "regression" else self.y.astype(np.int64).tolist(),
            "params_before": params(self.params_before),
            "z": self.z.tolist(), "predictions": self.predictions.tolist(), "losses": self.losses.tolist(),
            "cost": self.cost, "penalty": self.penalty, "objective": self.objective,
            "dz": self.dz.tolist(), "grads": params(self.grad), "grad_norm": self.grad_norm,
            "clipped": self.clipped,
            "optimizer_state": {
                "name": self.optimizer, "hyperparameters": dict(self.hyperparameters),
                "before": state(self.state_before),
                "after": {**state(self.state_after), **{k: params(v) for k, v in self.trace.items()}},
            },
            "update": params(self.update), "params_after": params(self.params_after),
            "batch_cost_after": self.batch_cost_after,
            "train_cost_before": self.train_cost_before, "train_cost_after": self.train_cost_after,
        }


@dataclass(frozen=True)
class BatchRecord:
    """A batch about to be used for an update: its update number (from 1), its epoch, the rate of the update
    and the batch's cost at the parameters before it (the whole split's, with full batches)."""

    step: int
    epoch: int
    lr: float
    cost: float


@dataclass(frozen=True)
class Stop:
    """An observer's request to end training, with the status to record and why.

    ``params`` replaces the final parameters (early stopping restores the best
    ones); ``kept_epoch`` is the epoch they come from.
    """

    status: str
    message: str
    params: np.ndarray | None = None
    kept_epoch: int | None = None


@dataclass(frozen=True)
class Outcome:
    """How a run ended: the final parameters, the status and the counts."""

    theta: np.ndarray
    status: str
    message: str | None
    epochs_run: int
    steps: int
    kept_epoch: int | None = None


@dataclass
class _Evaluation:
    record: EpochRecord
    z: np.ndarray
    dz: np.ndarray
    grad: np.ndarray
    penalty: float


def batches(n, batch_size, shuffle, rng):
    """The row positions of each batch of one epoch.

    Full batch (batch_size 0 or >= n): one slice of every row. Otherwise
    consecutive batches of ``batch_size`` rows (the last may be shorter),
    taken in order or from a fresh permutation drawn from ``rng``.
    """
    if batch_size == 0 or batch_size >= n:
        return [slice(0, n)]
    if not shuffle:
        return [slice(start, min(start + batch_size, n)) for start in range(0, n, batch_size)]
    order = rng.permutation(n)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]


BLOCK_BYTES = 4 * 2**20


def row_blocks(n, row_bytes):
    """Consecutive slices of about ``BLOCK_BYTES`` of design rows, covering all n rows.

    An evaluation of the whole training split runs block by block, so that the
    rows the forward pass has just read are still in the processor's cache when
    the backward pass reads them again; on a design of many megabytes that is
    most of the memory traffic of a full-batch epoch. Small designs are one block.
    """
    size = max(BLOCK_BYTES // max(row_bytes, 1), 4096)
    return [slice(start, min(start + size, n)) for start in range(0, n, size)] or [slice(0, 0)]


def row_positions(rows, n):
    """Row positions as an index array, whether given as a slice or as indices."""
    return np.arange(n)[rows] if isinstance(rows, slice) else rows


def objective_gradient(model, loss, penalty, theta, A, y, buffers=None, residual=None):
    """(z, cost, dL/dz, gradient of the objective, penalty) on the rows of design A (see models.py), y.

    ``buffers`` = (z, dL/dz, scratch) arrays to write into, so that no large
    array is allocated; with a ``residual`` array (a loss that declares
    ``residual_only``), r = z - y is kept in it. This is the gradient the
    training loop uses, with its speed shortcuts; ``lossplay gradcheck`` checks it.

    With buffers and a large design, the rows go through in blocks (see
    ``row_blocks``); a cost that is a plain mean over rows is then the
    row-weighted mean of the blocks' costs, and so is the gradient.
    """
    blocks = row_blocks(A.shape[0], A.shape[1] * A.itemsize) if buffers else [slice(None)]
    if len(blocks) == 1 or not loss.mean_over_rows:
        z, cost, dz, grad = _forward_backward(model, loss, theta, A, y, buffers, residual)
    else:
        z_out, dz_out, scratch = buffers
        n = A.shape[0]
        cost, grad = 0.0, np.zeros_like(theta)
        for rows in blocks:
            share = (rows.stop - rows.start) / n
            _, block_cost, dz, block_grad = _forward_backward(
                model, loss, theta, A[rows], y[rows], (z_out[rows], dz_out[rows], scratch[rows]),
                None if residual is None else residual[rows])
            cost += share * block_cost
            grad += share * block_grad
        z, dz = z_out, None if dz is None else dz_out
    value = 0.0
    if penalty.active:
        weights = theta[:-1]
        penalty.add_gradient(weights, grad[:-1])
        value = penalty.value(weights)
    return z, cost, dz, grad, value


def _forward_backward(model, loss, theta, A, y, buffers, residual):
    """(z, cost, dL/dz, gradient of the cost) on the rows of A; see ``objective_gradient``."""
    z_out, dz_out, scratch = buffers or (None, None, None)
    z = model.raw_design(theta, A, out=z_out)
    factor = loss.residual_factor
    if residual is not None and factor is not None:
        # dL/dz = factor * r (MSE): the factor goes into the small gradient instead of a pass over
        # every row, and dL/dz itself is returned as None (``derivative`` gives it when wanted)
        r = np.subtract(z, y, out=residual)
        cost, dz = loss.cost_of_residual(r), None
        grad = model.backward_design(A, r)
        grad *= factor
        return z, cost, dz, grad
    if residual is not None:
        cost, dz = loss.cost_and_derivative_of_residual(np.subtract(z, y, out=residual), out=dz_out)
    else:
        cost, dz = loss.cost_and_derivative(z, y, out=dz_out, scratch=scratch)
    return z, cost, dz, model.backward_design(A, dz)


class TrainingLoop:
    """Runs one training run; ``theta``, ``state``, ``epoch`` and ``steps`` hold where it is.

    ``schedule`` maps an epoch (1-based) to its learning rate (default: ``lr``
    throughout). ``clip_grad`` rescales any gradient whose norm exceeds it to
    that norm. A gradient that is not finite, or more than ``GRADIENT_GROWTH``
    times the size of the full gradient before training, stops the run
    (status "diverged") before it is applied. ``threshold`` is a binary
    classifier's decision threshold on p = σ(z), for the metrics it records.
    """

    GRADIENT_GROWTH = 1e6

    def __init__(self, model, loss, optimizer, penalty, data, *, lr, epochs, batch_size, shuffle, rng,
                 schedule=None, clip_grad=None, step_lr=None, guard_growth=True, threshold=0.5):
        self.model = model
        self.loss = loss
        self.optimizer = optimizer
        self.penalty = penalty
        self.data = data
        self.base_lr = float(lr)
        self.lr = float(lr)
        self.epochs = int(epochs)
        self.batch_size = int(batch_size)
        self.shuffle = bool(shuffle)
        self.rng = rng
        self.schedule = schedule
        self.clip_grad = clip_grad
        self.step_lr = step_lr
        self.guard_growth = guard_growth
        self.threshold = threshold
        self.theta = None
        self.state = None
        self.epoch = 0
        self.steps = 0
        self.grad_limit = np.inf
        self.halted = None
        self.interrupted = False
        self._work = None
        with np.errstate(all="ignore"):
            self._totals_train = metrics.totals(data.task, data.y_train)
            self._totals_val = None if data.y_val is None else metrics.totals(data.task, data.y_val)

    @property
    def full_batch(self):
        return self.batch_size == 0 or self.batch_size >= self.data.n_train

    # -- the math -----------------------------------------------------------------

    def gradient(self, theta, A, y, buffers=None, residual=None):
        """(z, cost, dL/dz, gradient of the objective, penalty) on the rows of design A; see ``objective_gradient``."""
        return objective_gradient(self.model, self.loss, self.penalty, theta, A, y, buffers, residual)

    def cost(self, theta, A, y):
        """The cost (mean loss) of parameters theta on the rows of design A, y."""
        return self.loss.cost(self.model.raw_design(theta, A), y)

    def _metrics(self, y, z, cost, totals, work=None, residual=None):
        """The split's metrics; a cost that is one of them (MSE, log loss) is not computed twice."""
        known = {self.loss.same_as_metric: cost} if self.loss.same_as_metric else {}
        return metrics.compute(self.data.task, y, z, known, totals, work=work, residual=residual,
                               threshold=self.threshold)

    def _buffers(self):
        """Arrays reused by every evaluation of the training split: z, dL/dz and a residual."""
        if self._work is None:
            shape = (self.data.n_train,) if self.model.n_outputs(self.data.n_classes) is None else \
                (self.data.n_train, self.data.n_classes)
            self._work = (np.empty(shape), np.empty(shape), np.empty(self.data.n_train))
        return self._work

    def evaluate(self, theta):
        """Cost, objective, gradient norm and metrics of theta on the training and validation splits.

        The z and dL/dz it returns live in buffers that the next evaluation overwrites.
        """
        data = self.data
        z_out, dz_out, work = self._buffers()
        # a loss that declares it depends on r = z - y only shares r with the metrics (see losses.Loss)
        residual = work if self.loss.residual_only else None
        with np.errstate(all="ignore"):
            z, cost, dz, grad, penalty = self.gradient(theta, data.design_train, data.y_train,
                                                       (z_out, dz_out, work), residual)
            grad_norm = float(np.sqrt(np.vdot(grad, grad)))
            train_metrics = self._metrics(data.y_train, z, cost, self._totals_train, work, residual)
            val_loss = val_metrics = None
            if data.design_val is not None:
                z_val = self.model.raw_design(theta, data.design_val)
                val_loss = self.loss.cost(z_val, data.y_val)
                val_metrics = self._metrics(data.y_val, z_val, val_loss, self._totals_val)
        record = EpochRecord(
            epoch=self.epoch, steps=self.steps, lr=self.lr, train_loss=cost, val_loss=val_loss,
            objective=cost + penalty, grad_norm=grad_norm, train_metrics=train_metrics, val_metrics=val_metrics,
            params=theta.copy(),
        )
        return _Evaluation(record, z, dz, grad, penalty)

    def apply_gradient(self, grad, trace=None):
        """Clip, guard and apply one gradient; returns (step, gradient used, its norm before clipping).

        The step is None, and nothing changes, when the gradient has exploded.
        """
        norm = math.sqrt(np.vdot(grad, grad))
        if not norm <= self.grad_limit:
            size = "is not finite" if not math.isfinite(norm) else f"reached {norm:.4g}"
            self.halted = Stop(
                "diverged",
                f"the gradient norm {size} at epoch {self.epoch}, update {self.steps + 1}, more than "
                f"{self.GRADIENT_GROWTH:.0e} times its size before training: each step overshot further than "
                f"the last, so the learning rate {self.lr:g} is too large for this problem",
            )
            return None, grad, norm
        if self.clip_grad is not None and norm > self.clip_grad:
            grad = grad * (self.clip_grad / norm)
        step, self.state = self.optimizer.update(grad, self.state, self.lr, self.theta, trace)
        self.theta += step
        self.steps += 1
        return step, grad, norm

    def _detailed_step(self, rows, evaluation, position):
        """One update with every intermediate number kept, as a ``StepRecord``."""
        data = self.data
        theta_before = self.theta.copy()
        state_before = self.state
        A = data.design_train[rows]
        y = data.y_train[rows]
        if self.full_batch:  # the epoch's evaluation is this step's forward and backward pass
            cost, grad, penalty = evaluation.record.train_loss, evaluation.grad, evaluation.penalty
            z = evaluation.z.copy()
            dz = self.loss.derivative(z, y) if evaluation.dz is None else evaluation.dz.copy()
            train_cost_before = cost
        else:
            z, cost, dz, grad, penalty = self.gradient(self.theta, A, y)
            train_cost_before = self.cost(self.theta, data.design_train, data.y_train)
        losses = self.loss.losses(z, y)
        trace = {}
        step, used, norm = self.apply_gradient(grad, trace)
        if step is None:
            return None
        positions = row_positions(rows, data.n_train)
        return StepRecord(
            step=self.steps, epoch=self.epoch, batch_in_epoch=position[0], batches_per_epoch=position[1],
            lr=self.lr, rows=positions, batch=data.train_rows[positions], X=A[:, :-1], y=y,
            params_before=theta_before, z=z, predictions=self.model.predict(z), losses=losses, cost=cost,
            penalty=penalty, dz=dz, grad=used.copy(), grad_norm=norm, clipped=used is not grad,
            optimizer=self.optimizer.name,
            hyperparameters=self.optimizer.params(), state_before=state_before, state_after=self.state,
            trace=trace, update=step, params_after=self.theta.copy(), batch_cost_after=self.cost(self.theta, A, y),
            train_cost_before=train_cost_before,
            train_cost_after=self.cost(self.theta, data.design_train, data.y_train), task=data.task,
        )

    # -- the loop -----------------------------------------------------------------

    def begin(self, theta):
        """Start from parameters theta: a fresh optimizer state, no epoch or update made yet."""
        self.theta = np.array(theta, dtype=np.float64)
        self.state = self.optimizer.init(self.theta)
        self.epoch = self.steps = 0
        self.halted = None
        self.lr = self._lr_of(1)

    def records(self, theta, *, detail=False, stop=None, batch_observers=()):
        """Train from theta, yielding an ``EpochRecord`` per epoch and, with ``detail``, a ``StepRecord`` per step.

        Stops early when ``stop.requested`` becomes true: the current step is
        finished and the parameters reached are evaluated in a last record.
        ``batch_observers`` hear of every batch before its update (see ``BatchRecord``).
        """
        self.begin(theta)
        evaluation = self.evaluate(self.theta)
        if self.guard_growth:
            self.grad_limit = self.GRADIENT_GROWTH * max(evaluation.record.grad_norm, 1.0)
        yield evaluation.record
        n = self.data.n_train
        self.interrupted = False
        for epoch in range(1, self.epochs + 1):
            if stop is not None and stop.requested:  # asked while the last epoch's record was being shown
                self.interrupted = True
                return
            self.epoch = epoch
            self.lr = self._lr_of(epoch)
            if self.full_batch:
                schedule = [slice(0, n)]
            else:
                schedule = batches(n, self.batch_size, self.shuffle, self.rng)
            if detail:
                interrupted = False
                for position, rows in enumerate(schedule, start=1):
                    with np.errstate(all="ignore"):
                        record = self._detailed_step(rows, evaluation, (position, len(schedule)))
                    if record is not None:
                        yield record
                    if record is None or (stop is not None and stop.requested):
                        interrupted = True
                        break
            else:
                interrupted = self._fast_epoch(schedule, evaluation, stop, batch_observers)
            evaluation = self.evaluate(self.theta)
            self.interrupted = interrupted and self.halted is None
            yield evaluation.record
            if interrupted:
                return

    def _lr_of(self, epoch):
        return self.base_lr if self.schedule is None else float(self.schedule(epoch))

    def _fast_epoch(self, schedule, evaluation, stop, batch_observers=()):
        """The updates of one epoch with nothing kept; True when training must stop.

        With ``step_lr``, each update's rate is ``step_lr(update number)``; None ends training before that
        update. ``batch_observers`` are told of each batch's cost before its update, and may stop it.
        """
        with np.errstate(all="ignore"):
            if self.full_batch:
                if self._before_update(evaluation.record.train_loss, batch_observers):
                    return True
                self.apply_gradient(evaluation.grad)
                return self.halted is not None or (stop is not None and stop.requested)
            A, y = self.data.design_train, self.data.y_train
            model, loss, penalty = self.model, self.loss, self.penalty
            for rows in schedule:
                Ab = A[rows]
                if batch_observers:  # the batch's cost is wanted too: the plain gradient, with its cost
                    _, cost, _, grad, _ = self.gradient(self.theta, Ab, y[rows])
                else:
                    grad = model.backward_design(Ab, loss.derivative(model.raw_design(self.theta, Ab), y[rows]))
                    if penalty.active:
                        penalty.add_gradient(self.theta[:-1], grad[:-1])
                    cost = None
                if self._before_update(cost, batch_observers):
                    return True
                self.apply_gradient(grad)
                if self.halted is not None or (stop is not None and stop.requested):
                    return True
        return False

    def _before_update(self, cost, batch_observers):
        """Set the rate of the next update (``step_lr``) and tell the batch observers its batch's cost; True
        when training ends here instead (the schedule is over, or an observer said stop)."""
        if self.step_lr is not None:
            lr = self.step_lr(self.steps + 1)
            if lr is None:
                self.halted = Stop("completed", None)
                return True
            self.lr = float(lr)
        for observer in batch_observers:
            answer = observer.on_batch(BatchRecord(self.steps + 1, self.epoch, self.lr, cost))
            if answer is not None:
                self.halted = answer
                return True
        return False

    def run(self, theta, observers=(), stop=None):
        """Train from theta, passing every record to the observers; returns an ``Outcome``.

        An observer's ``on_epoch_end`` (or ``on_step_end``) may return a
        ``Stop`` to end training; the first one wins. When training stops in
        the middle of an epoch, the parameters reached are evaluated in a
        last epoch record, so the history always ends with the final parameters.
        """
        detail = any(getattr(o, "wants_steps", False) for o in observers)
        batch_observers = [o for o in observers if getattr(o, "wants_batches", False)]
        for observer in observers:
            observer.on_train_begin(self)
        verdict = None
        last = None
        records = self.records(theta, detail=detail, stop=stop, batch_observers=batch_observers)
        for record in records:
            is_step = isinstance(record, StepRecord)
            if not is_step:
                last = record
            for observer in observers:
                answer = observer.on_step_end(record) if is_step else observer.on_epoch_end(record)
                verdict = verdict or answer
            if self.halted is not None and not is_step:
                verdict = self.halted
            if verdict is not None:
                records.close()
                break
        if last is not None and last.steps != self.steps:
            last = self.evaluate(self.theta).record
            for observer in observers:
                observer.on_epoch_end(last)
        if verdict is None and self.interrupted:
            verdict = Stop("interrupted",
                           f"interrupted during epoch {self.epoch}, after {plural(self.steps, 'update')}")
        theta = self.theta if verdict is None or verdict.params is None else verdict.params
        outcome = Outcome(
            theta=theta,
            status="completed" if verdict is None else verdict.status,
            message=None if verdict is None else verdict.message,
            epochs_run=0 if last is None else last.epoch,
            steps=self.steps,
            kept_epoch=None if verdict is None else verdict.kept_epoch,
        )
        for observer in observers:
            observer.on_train_end(outcome)
        return outcome
