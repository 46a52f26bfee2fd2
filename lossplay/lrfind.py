"""The learning-rate range test: raise the learning rate step by step and watch the cost.

One short run from the initial parameters, one update per step n = 1 .. N,
with a learning rate that grows geometrically from ``lr_min`` to ``lr_max``:

    lr_n = lr_min * (lr_max / lr_min) ** ((n - 1) / (N - 1))

Step n takes the next batch exactly as ``lossplay train`` draws it (the same
shuffling stream and batch size; every training row with batch size 0),
records the batch cost c_n at the parameters *before* the update, then updates
them with rate lr_n through the training loop's own gradient, penalty and optimizer.

Each batch holds other rows, so the costs are noisy. They are smoothed with an
exponential moving average with bias correction:

    a_0 = 0,    a_n = beta * a_(n-1) + (1 - beta) * c_n,    s_n = a_n / (1 - beta ** n)

The correction divides by the total weight given so far, so s_1 = c_1 instead
of a value pulled towards 0. The choice of beta: the average spans about
1 / (1 - beta) steps and trails the batch costs by about beta / (1 - beta)
steps. fastai's beta = 0.98 trails by 49 steps, half of a 100-step test, and
drags the curve, and the steepest fall read from it, far to the right; a small
beta leaves the suggestion at the mercy of one odd batch (the short last batch
of an epoch, say). lossplay takes

    beta = 1 - 10 / steps,  kept within [0.5, 0.98]

an average over about a tenth of the test: beta = 0.9 for the default 100
steps, ten batches averaged and a lag of nine steps (about half a decade of
the default range), the smallest beta whose suggestion stayed put across seeds
on lossplay's datasets. Full batch is not smoothed (beta = 0): each cost is the
exact training cost, there is no noise to average, only lag to add.

The test stops at the blow-up: as soon as s_n > 4 * min(s_1, ..., s_(n-1)), or
s_n is not finite (the step that shows it is recorded, and no update follows).

The suggested learning rate is where the smoothed cost falls fastest against
log(lr), looked for only before the lowest smoothed cost k (so never in the
blow-up) and after the average's first w = round(beta / (1 - beta)) steps,
when it still rests on fewer batches than its window and is as noisy as they
are. The slope is measured across h = round(1 / (2 (1 - beta))) steps (at least
1) on each side, the width of the average, so that one odd batch does not
decide. With x_n = ln(lr_n):

    slope_n = (s_b - s_a) / (x_b - x_a),    a = max(n - h, w + 1),  b = min(n + h, k),    w < n < k

The suggestion is lr_n at the most negative slope_n. There is none when the
lowest smoothed cost comes at or before step w + 1 (no fall can be read
before it), or when the fall is no larger than the batch costs' own scatter
(``batch_noise``, measured over every step).

For MSE on a linear model the objective is a quadratic, and
``stability_limit`` gives 2 / lambda_max of its Hessian on the training
features: the largest constant learning rate for which full-batch gradient
descent does not diverge (see ``reference.py``).
"""

import math
import numbers
import os
import signal
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

import numpy as np

from lossplay import runs
from lossplay.config import TrainConfig, TrainOptions, takes_options
from lossplay.errors import LossplayError, called_as, spell
from lossplay.formatting import number
from lossplay.interrupt import graceful_interrupt
from lossplay.loop import Stop
from lossplay.observers import Observer
from lossplay.reference import stable_lr_limit
from lossplay.version import __version__

if TYPE_CHECKING:
    from matplotlib.figure import Figure

LR_MIN = 1e-5
LR_MAX = 10.0
STEPS = 100
MIN_STEPS = 5
MAX_STEPS = 100_000
LR_CEILING = 1e100  # beyond it a rate only overflows: the test is over long before
BLOW_UP_FACTOR = 4.0
FASTAI_BETA = 0.98

# the options of 'lossplay train' that mean nothing in a range test: the test sets the rate and the number of
# updates itself, and it never validates, stops early or prints a table every N epochs
NOT_FOR_LR_FIND = ("lr", "epochs", "lr_schedule", "lr_step_size", "lr_gamma", "warmup_epochs",
                   "patience", "min_delta", "restore_best", "log_every", "pace", "animate")

PICTURE = "lr_find.png"
DOCUMENT = "lr_find.json"


# -- the math ---------------------------------------------------------------------------


def check_range(lr_min, lr_max, steps):
    """Raise ``LossplayError`` unless 0 < lr_min < lr_max <= 1e100 and 5 <= steps <= 100,000."""
    for name, value in (("lr_min", lr_min), ("lr_max", lr_max)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise LossplayError(f"{spell(name)} must be a number, got {value!r}.")
        if not math.isfinite(value):
            raise LossplayError(f"{spell(name)} must be a finite number, got {value}.")
    if lr_min <= 0:
        raise LossplayError(f"{spell('lr_min')} must be > 0, got {lr_min:g}: the rates grow geometrically from it, "
                            f"so it cannot be 0 or negative. Try {spell('lr_min', LR_MIN, f'{LR_MIN:g}')}.")
    if lr_max <= lr_min:
        suggestion = LR_MAX if lr_min < LR_MAX / 100 else lr_min * 1000
        raise LossplayError(f"{spell('lr_max')} ({lr_max:g}) must be larger than {spell('lr_min')} ({lr_min:g}): the "
                            f"rate grows from one to the other. Try {spell('lr_max', suggestion, f'{suggestion:g}')}.")
    if lr_max > LR_CEILING:
        raise LossplayError(f"{spell('lr_max')} must be at most {LR_CEILING:g}, got {lr_max:g}: far past any rate "
                            f"that trains. Try {spell('lr_max', LR_MAX, f'{LR_MAX:g}')}.")
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral):
        raise LossplayError(f"{spell('steps')} must be a whole number, got {steps!r}.")
    if steps > MAX_STEPS:
        raise LossplayError(f"{spell('steps')} must be at most {MAX_STEPS}, got {steps}. Try {spell('steps', STEPS)}.")
    if steps < MIN_STEPS:
        raise LossplayError(f"{spell('steps')} must be at least {MIN_STEPS}, got {steps}: fewer points cannot show "
                            f"the cost falling and then rising. Try {spell('steps', STEPS)}.")


def learning_rates(lr_min, lr_max, steps):
    """lr_i = lr_min * (lr_max / lr_min) ** (i / (steps - 1)), i = 0 .. steps - 1 (ends exactly at both)."""
    return np.geomspace(float(lr_min), float(lr_max), int(steps))


def smoothing_beta(steps, full_batch=False):
    """beta = 1 - 10 / steps within [0.5, 0.98] (an average over about a tenth of the test); 0 for full batch."""
    if full_batch:
        return 0.0
    return min(FASTAI_BETA, max(0.5, 1.0 - 10.0 / steps))


class SmoothedCost:
    """The bias-corrected moving average, one cost at a time.

        a_n = beta * a_(n-1) + (1 - beta) * c_n  (a_0 = 0),    s_n = a_n / (1 - beta ** n)
    """

    def __init__(self, beta):
        if not 0 <= beta < 1:
            raise ValueError(f"beta must be in [0, 1), got {beta}")
        self.beta = float(beta)
        self.average = 0.0
        self.count = 0

    def add(self, cost):
        """Take the next cost c_n; return s_n."""
        self.count += 1
        self.average = self.beta * self.average + (1.0 - self.beta) * cost
        return self.average / (1.0 - self.beta ** self.count)


def smooth(costs, beta):
    """The smoothed costs s_1 .. s_n of a sequence of costs (see ``SmoothedCost``)."""
    smoother = SmoothedCost(beta)
    with np.errstate(all="ignore"):
        return np.array([smoother.add(float(c)) for c in costs], dtype=np.float64)


def blew_up(smoothed, lowest):
    """True when the smoothed cost is not finite or more than 4 times the lowest one so far."""
    return not math.isfinite(smoothed) or smoothed > BLOW_UP_FACTOR * lowest


@dataclass(frozen=True)
class Suggestion:
    """The step (0-based index) of the steepest fall and the slope there, or the reason there is none."""

    index: int | None
    slope: float | None
    reason: str | None


def batch_noise(costs):
    """The scatter of the batch costs from one step to the next, robust to their trend and to odd batches.

        d_n = c_n - c_(n-1),    noise = 1.4826 * median(|d_n - median(d)|) / sqrt(2)

    (1.4826 * the median absolute deviation is the standard deviation of normal noise,
    and the difference of two independent costs has sqrt(2) times the scatter of one).
    """
    costs = np.asarray(costs, dtype=np.float64)
    steps = np.diff(costs[np.isfinite(costs)])
    if not steps.size:
        return 0.0
    return float(1.4826 * np.median(np.abs(steps - np.median(steps))) / math.sqrt(2.0))


def steepest_fall(lrs, costs, smoothed, beta=0.0):
    """Where the smoothed cost falls fastest against ln(lr), before its lowest value (see the module).

    ``beta`` is the smoothing the costs had: it sets the steps left out at the start
    (w = round(beta / (1 - beta))) and the half-width of the slope (h = round(1 / (2 (1 - beta))), at least 1).
    A fall no larger than the batch costs' own scatter (``batch_noise``) cannot be told from noise:
    then there is no suggestion.
    """
    lrs = np.asarray(lrs, dtype=np.float64)
    smoothed = np.asarray(smoothed, dtype=np.float64)
    finite = np.isfinite(smoothed)
    if not finite.any():
        return Suggestion(None, None, "no finite cost was recorded")
    if smoothed.size < 2:
        return Suggestion(None, None, "a single step was recorded: the cost needs two to fall")
    lowest = int(np.argmin(np.where(finite, smoothed, np.inf)))
    if lowest == 0:
        return Suggestion(None, None, f"the smoothed cost never fell below its first value, "
                                      f"{smoothed[0]:.4g} at lr {lrs[0]:.3g}: the rates tried were all too large "
                                      f"to help, or the cost was already as low as it gets")
    half_width = max(1, round(0.5 / (1.0 - beta)))
    first = round(beta / (1.0 - beta))  # 0-based: index n - 1 of step n
    if lowest <= first:
        return Suggestion(None, None, f"the lowest smoothed cost came at step {lowest + 1}, among the first "
                                      f"{first + 1} steps, while the average still rests on a few batches: "
                                      "no fall can be read before it")
    fall = float(smoothed[first:lowest].max() - smoothed[lowest])
    noise = batch_noise(np.asarray(costs, dtype=np.float64))
    if fall <= noise:
        return Suggestion(None, None, f"the smoothed cost fell by only {fall:.3g}, no more than the scatter of "
                                      f"the batch costs (about {noise:.3g}): no fall stands out from the noise")
    x = np.log(lrs)
    i = np.arange(first, lowest)
    a, b = np.maximum(i - half_width, first), np.minimum(i + half_width, lowest)
    slopes = (smoothed[b] - smoothed[a]) / (x[b] - x[a])
    best = int(np.argmin(slopes))
    return Suggestion(int(i[best]), float(slopes[best]), None)


def stability_limit(experiment):
    """2 / lambda_max of the MSE objective's Hessian on the training features, or None for other losses.

    Only a loss that declares itself ``quadratic`` (MSE, on a linear model) has a constant Hessian,
    (2/n) A^T A + l2 D with A = [X, 1] (the standardised, expanded training features the model sees). An L1
    penalty has no curvature away from 0 and is left out.
    """
    if not experiment.loss.quadratic:
        return None
    return stable_lr_limit(experiment.data.X_train, experiment.config.l2)


def limit_sentences(limit, optimizer, batch_size=0):
    """What the stability limit 2 / lambda_max is, and how far it applies to an optimizer and batch size."""
    if limit is None:
        return []
    sentences = [
        f"Stability limit: full-batch gradient descent on this MSE converges only for lr < 2 / λmax = "
        f"{number(limit)} (λmax = {number(2 / limit)}, the largest curvature of the cost); above it each step "
        f"overshoots the minimum further than the last."
    ]
    own = optimizer.stability_limit(limit)
    if own is None:
        why = ("divides each step by a running size of the gradient, so this is no limit on its learning rate"
               if optimizer.adaptive else "declares no stability limit of its own, so this one is not claimed for "
               "it")
        sentences.append(f"{optimizer.name} {why}: read it only as the landmark of plain gradient descent.")
        return sentences
    if own != limit:
        sentences.append(f"For {optimizer.name} with these settings ({optimizer.rule}) the full-batch limit is "
                         f"{number(own)} instead.")
    sentences.append("The test raises the rate every step, so an unstable rate has few steps to show it: "
                     "the blow-up can come after the limit.")
    if batch_size != 0:
        sentences.append(
            f"With batches of {batch_size} each batch has its own curvature, so training at a fixed rate can "
            f"turn unstable a little below the limit: read it as a landmark, not a promise.")
    return sentences


# -- the test ---------------------------------------------------------------------------


@dataclass
class LRFindResult:
    """What a learning-rate range test recorded, and what it suggests.

    ``lrs``, ``costs`` and ``smoothed`` have one entry per step taken (step n at
    index n - 1); ``to_records()`` gives them as rows. ``status`` is "completed" (every
    step), "blew_up" (stopped at ``stopped_at_step``, see ``stop_reason``) or
    "interrupted" (Ctrl-C or SIGTERM). As every result of the API: ``plot()`` draws the
    test, ``to_json()`` gives lr_find.json, ``save()`` writes the folder.
    """

    experiment: object
    requested: object
    lr_min: float
    lr_max: float
    steps: int
    beta: float
    lrs: np.ndarray
    costs: np.ndarray
    smoothed: np.ndarray
    status: str
    stop_reason: str | None
    stopped_at_step: int | None
    suggestion: Suggestion
    stability_limit: float | None
    started_at: datetime
    folder: Path | None = None
    files: dict = field(default_factory=dict)
    _checked: tuple | None = None

    def __repr__(self):
        lr = "none" if self.suggested_lr is None else f"{self.suggested_lr:.3g}"
        return (f"<LRFindResult {self.config.loss_label}/{self.config.optimizer_label} on {self.config.dataset}: "
                f"{len(self.lrs)} steps, {self.status}, suggested lr {lr}>")

    @property
    def config(self):
        """The resolved ``TrainConfig`` (its lr and epochs are not used by the test)."""
        return self.experiment.config

    @property
    def data(self):
        return self.experiment.data

    @property
    def suggested_lr(self):
        """The learning rate where the smoothed cost falls fastest, or None (see ``why_no_suggestion``)."""
        index = self.suggestion.index
        return None if index is None else float(self.lrs[index])

    @property
    def suggested_step(self):
        """The step number (from 1) of the suggestion, or None."""
        index = self.suggestion.index
        return None if index is None else index + 1

    @property
    def why_no_suggestion(self):
        return self.suggestion.reason

    @property
    def lowest_step(self):
        """The step number (from 1) of the lowest smoothed cost, or None when none is finite."""
        finite = np.isfinite(self.smoothed)
        return int(np.argmin(np.where(finite, self.smoothed, np.inf))) + 1 if finite.any() else None

    @property
    def still_falling(self):
        """True when every step was taken and the smoothed cost was lowest at the last one."""
        return self.status == "completed" and self.lowest_step == len(self.lrs)

    def train_options(self, lr=None):
        """The options of a ``lossplay train`` run with the checked rate (or ``lr``): those set away from
        their defaults for this test, plus ``lr``; None without a suggestion."""
        if lr is None:
            checked = self.checked_rate()
            if checked is None:
                return None
            lr = checked[0]
        from lossplay.config import OUTPUT_OPTIONS, changed_options

        options = changed_options(self.requested, leave_out=(*NOT_FOR_LR_FIND, *OUTPUT_OPTIONS))
        options["lr"] = lr
        return options

    def checked_rate(self):
        """(rate, sentence): the suggested rate, rounded to two digits and checked by training with it
        (the options of ``train_options``, the epochs of ``lossplay train``): when that run diverges or
        jumps up, the first smaller rate (lr/3, lr/10, ... rounded to one digit) whose run does not.
        None without a suggestion, or when no rate passes. Computed once."""
        if self._checked is not None or self.suggested_lr is None:
            return self._checked or None
        from lossplay.advice import RATE_FACTORS, one_digit, trial
        from lossplay.config import make_config

        suggested = float(f"{self.suggested_lr:.2g}")
        base = make_config(**{k: v for k, v in self.train_options(suggested).items() if k != "lr"})
        candidates = [suggested, *(one_digit(suggested * f, below=suggested) for f in RATE_FACTORS)]
        for rate in (r for r in dict.fromkeys(candidates) if r > 0):
            tried = trial(base, {"lr": rate}, self.experiment.dataset)
            if tried is None or tried.diagnosis.troubled:
                continue
            kinds = ", ".join(k.replace("_", " ") for k in tried.diagnosis.kinds) or "no trouble"
            if rate == suggested:
                words = f"Checked by training with it for {base.epochs} epochs: {kinds}."
            else:
                words = (f"Checked by training: at {suggested:g} the run diverged or jumped up, so the command "
                         f"uses {rate:g}, the largest smaller rate tried whose run did not ({kinds}).")
            self._checked = (rate, words)
            return self._checked
        self._checked = ()
        return None

    def train_command(self):
        """The ``lossplay train`` command line with the checked rate, or None (see ``checked_rate``)."""
        from lossplay.config import command_line

        options = self.train_options()
        return None if options is None else command_line(options)

    def limit_sentences(self):
        """What the stability limit means for this test's optimizer and batches ([] without a limit)."""
        c = self.config
        return limit_sentences(self.stability_limit, self.experiment.optimizer, c.batch_size)

    # -- pictures and files ---------------------------------------------------------------

    def plot(self) -> "Figure":
        """The test as a matplotlib Figure (nothing is written)."""
        from lossplay.plots.lrfind import lr_find_curve

        return lr_find_curve(self)

    def to_records(self) -> list[dict[str, float | int]]:
        """One row per step taken: {'step': n (from 1), 'lr': its rate, 'cost': the batch cost before its
        update, 'smoothed': the moving average of the costs}; NaN or inf where a cost was not finite."""
        return [{"step": n, "lr": float(lr), "cost": float(cost), "smoothed": float(smoothed)}
                for n, (lr, cost, smoothed) in enumerate(zip(self.lrs, self.costs, self.smoothed), start=1)]

    def to_json(self) -> dict[str, Any]:
        """The content of lr_find.json, as a dict."""
        config = {k: v for k, v in self.config.to_dict().items() if k not in NOT_FOR_LR_FIND}
        data = self.data
        return {
            "lossplay_version": __version__,
            "config": {**config, "lr_min": self.lr_min, "lr_max": self.lr_max, "steps": self.steps},
            "data": {"task": data.task, "n_train": data.n_train, "features": list(data.feature_names),
                     "target": data.target_name},
            "status": self.status,
            "stop_reason": self.stop_reason,
            "smoothing_beta": self.beta,
            "lrs": self.lrs,
            "costs": self.costs,
            "smoothed": self.smoothed,
            "stopped_at_step": self.stopped_at_step,
            "suggested_lr": self.suggested_lr,
            "suggested_command": self.train_command(),
            "suggested_command_check": None if self.checked_rate() is None else self.checked_rate()[1],
            "why_no_suggestion": self.why_no_suggestion,
            "stability_limit": self.stability_limit,
            "stability_limit_means": self.limit_sentences(),
            "files": dict(self.files),
        }

    def default_folder_name(self):
        """<YYYYmmdd-HHMMSS>-lr-find-<loss>-<optimizer>, from the start of the test."""
        e = self.experiment
        return f"{runs.timestamp(self.started_at)}-lr-find-{e.loss.name}-{e.optimizer.name}"

    def contents(self, plots=True):
        """What the folder holds, as ``runs.Contents``: lr_find.json and, with ``plots``, lr_find.png,
        drawn when the folder is written."""
        from lossplay.plots import png_bytes

        self.files = lr_find_files(plots)
        return runs.Contents(DOCUMENT, self.to_json(), {PICTURE: lambda: png_bytes(self.plot())} if plots else {})

    def save(self, out: str | os.PathLike[str] | None = None, *, force: bool = False, plots: bool = True) -> Path:
        """Write the folder (lr_find.png unless ``plots`` is false, then lr_find.json) and return its path.

        ``out`` defaults to the config's ``out``, else runs/<timestamp>-lr-find-<loss>-<optimizer>;
        a non-empty ``out`` is only written with ``force``, which replaces only lossplay's own files
        there. As with ``Run.save``, the folder is written whole or not at all; a first Ctrl-C or
        SIGTERM while saving is ignored and a second abandons it.
        """
        out = self.config.out if out is None else out
        self.folder = runs.write_folder(out, self.contents(plots), force=force,
                                        default_name=self.default_folder_name())
        return self.folder


def lr_find_files(plots=True):
    """The files of an lr-find folder besides lr_find.json, by their key in its "files"."""
    return {"picture": PICTURE} if plots else {}


def check_lr_find_destination(out, *, force=False, plots=True):
    """Refuse, before the test runs, an ``out`` that cannot take its folder (None: nothing to check)."""
    runs.check_destination(out, runs.Contents(DOCUMENT, files=dict.fromkeys(lr_find_files(plots).values())),
                           force=force)


def _signal_name(signum):
    return "SIGTERM" if signum == signal.SIGTERM else "Ctrl-C"


class _RangeTest(Observer):
    """Hears each batch's cost before its update: smooths it and stops the loop at the blow-up."""

    wants_batches = True

    def __init__(self, beta):
        self.beta = beta
        self.smoother = SmoothedCost(beta)
        self.costs, self.smoothed = [], []
        self.lowest = math.inf
        self.reason = None

    def on_batch(self, record):
        self.costs.append(record.cost)
        value = self.smoother.add(record.cost)
        self.smoothed.append(value)
        if blew_up(value, self.lowest):
            if math.isfinite(value):
                what = "smoothed cost" if self.beta > 0 else "cost"
                self.reason = f"the {what} {value:.4g} passed {BLOW_UP_FACTOR:g} × its lowest value, {self.lowest:.4g}"
            else:
                self.reason = "the batch cost stopped being a finite number"
            return Stop("blew_up", self.reason)
        self.lowest = min(self.lowest, value)
        return None


def run_lr_find(experiment, lr_min=LR_MIN, lr_max=LR_MAX, steps=STEPS, *, stop=None, beta=None, requested=None):
    """Run the range test on a built experiment; returns an ``LRFindResult`` (nothing written).

    It is the training loop of ``lossplay train`` with a rate per update (``step_lr``) and an observer that
    hears each batch's cost before its update. Ctrl-C or SIGTERM ends it after the current step (pass a
    ``StopSignal``, or leave ``stop`` out to have one installed). ``requested`` is the config as given,
    before the options that follow others were resolved (for the suggested train command).
    """
    if stop is None:
        with graceful_interrupt() as stop:
            return run_lr_find(experiment, lr_min, lr_max, steps, stop=stop, beta=beta, requested=requested)
    started_at = datetime.now()
    schedule = learning_rates(lr_min, lr_max, steps)
    epochs = -(-steps // experiment.batches_per_epoch) + 1
    loop = experiment.training_loop(epochs=epochs, guard_growth=False,
                                    step_lr=lambda n: float(schedule[n - 1]) if n <= steps else None)
    beta = smoothing_beta(steps, loop.full_batch) if beta is None else float(beta)
    test = _RangeTest(beta)
    outcome = loop.run(experiment.theta0, [test], stop=stop)
    taken = len(test.costs)
    status, reason, stopped_at = "completed", None, None
    if outcome.status == "blew_up":
        status, reason, stopped_at = "blew_up", test.reason, taken
    elif outcome.status == "diverged":  # the gradient itself stopped being a finite number
        status, reason, stopped_at = "blew_up", "the gradient stopped being a finite number", taken
    elif outcome.status == "interrupted" and loop.steps < steps:
        status, reason = "interrupted", f"interrupted ({_signal_name(stop.signum)})"
    lrs = schedule[:taken].copy()
    costs, smoothed = np.array(test.costs, dtype=np.float64), np.array(test.smoothed, dtype=np.float64)
    return LRFindResult(
        experiment=experiment, requested=experiment.config if requested is None else requested,
        lr_min=float(lr_min), lr_max=float(lr_max), steps=int(steps), beta=beta,
        lrs=lrs, costs=costs, smoothed=smoothed,
        status=status, stop_reason=reason, stopped_at_step=stopped_at,
        suggestion=steepest_fall(lrs, costs, smoothed, beta), stability_limit=stability_limit(experiment),
        started_at=started_at,
    )


@takes_options(leave_out=NOT_FOR_LR_FIND)
@called_as("lossplay.lr_find")
def lr_find(config: TrainConfig | None = None, /, *, lr_min: float = LR_MIN, lr_max: float = LR_MAX,
            steps: int = STEPS, smoothing: float | None = None, **options: Unpack[TrainOptions]) -> LRFindResult:
    """Run a learning-rate range test and return its ``LRFindResult``.

    >>> result = lossplay.lr_find(loss="bce", optimizer="adam")     # doctest: +SKIP
    >>> result.suggested_lr, result.stability_limit                 # doctest: +SKIP
    >>> result.plot(); result.to_records(); result.save()           # doctest: +SKIP

    Options are those of ``lossplay train`` (a ``TrainConfig`` or keywords; the
    learning rate, its schedule, epochs and early stopping are not used).
    ``smoothing`` is the moving average's beta (default: see ``smoothing_beta``;
    ``beta`` is smooth_l1's option, as for ``train``). Files are
    written only when ``out`` is given or ``save`` is called.
    """
    from lossplay.config import as_config, coerce
    from lossplay.experiment import build

    check_range(lr_min, lr_max, steps)
    smoothing = coerce(smoothing, float, "lossplay.lr_find: 'smoothing'", optional=True)
    if smoothing is not None and not 0 <= smoothing < 1:
        raise LossplayError(f"smoothing must be in [0, 1), got {smoothing}.")
    unused = [name for name in options if name in NOT_FOR_LR_FIND]
    if unused:
        raise LossplayError(f"lossplay.lr_find does not use {', '.join(unused)}: it sets the learning rate itself, "
                            "from lr_min to lr_max, one update per step.")
    requested = as_config(config, options, "lossplay.lr_find")
    check_lr_find_destination(requested.out, force=requested.force, plots=not requested.no_plot)
    result = run_lr_find(build(requested), lr_min, lr_max, steps, beta=smoothing, requested=requested)
    if requested.out is not None:
        result.save(requested.out, force=requested.force, plots=not requested.no_plot)
    return result
