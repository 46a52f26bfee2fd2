"""The loss landscape: the objective over two parameters, and each optimizer's path across it.

A model with exactly two free parameters can have its whole objective drawn:
(w, b) of a 1-feature linear model, or (w1, w2) of a 2-feature logistic model
whose bias is held at 0 (``models.WithoutBias``). On a G x G grid of those
two parameters,

    J(p1, p2) = C(p1, p2) + penalty = (1/n) sum_i L(z_i, y_i) + l2 * (1/2) ||w||^2 + l1 * ||w||_1

is computed from the training rows with the same model, loss and penalty as
training. Each optimizer then starts from the same point and runs the same
training loop as ``lossplay train`` for a number of updates; its path is the
list of parameters after each update, and each point's objective is computed
by the same function as the grid, so a path always lies on the surface drawn.
"""

import dataclasses
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Unpack

import numpy as np

from lossplay import runs as run_folders
from lossplay.advice import RATE_FACTORS, Advice, one_digit
from lossplay.catalog import OPTIONS, label
from lossplay.config import (
    OUTPUT_OPTIONS,
    TrainConfig,
    TrainOptions,
    as_config,
    changed_options,
    coerce,
    command_line,
    optimizer_spec,
    parse_list,
    takes_options,
)
from lossplay.errors import LossplayError, called_as, spell, spell_settings, spelling_flags
from lossplay.experiment import Experiment, build, make_experiment_optimizer, option_defaults
from lossplay.loop import Stop
from lossplay.models import WithoutBias
from lossplay.observers import DivergenceGuard, Observer
from lossplay.reference import mse_minimum
from lossplay.registry import default_lr
from lossplay.version import __version__

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DEFAULT_OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
DEFAULT_STEPS = 200
DEFAULT_GRID = 121
# options of a landscape that differ from lossplay train's defaults: full batch, so that a path follows
# the gradient of the surface drawn; the data's own units, so that the axes are its slope and intercept
LANDSCAPE_DEFAULTS = {"batch_size": 0, "standardize": False}
# options of lossplay train that a landscape does not read: each path names its own optimizer and rate,
# and runs a number of updates rather than epochs
NOT_FOR_LANDSCAPE = ("optimizer", "epochs", "lr_schedule", "lr_step_size", "lr_gamma", "warmup_epochs",
                     "patience", "min_delta", "restore_best", "log_every", "pace", "quiet", "no_plot", "animate")


@dataclass(frozen=True)
class OptimizerPath:
    """One optimizer's walk across the landscape: the parameters after each update, from the start."""

    name: str
    optimizer: str
    lr: float
    hyperparameters: dict
    points: np.ndarray  # (updates + 1, 2): the start, then the parameters after each update
    costs: np.ndarray  # the objective at each point
    status: str  # "completed" or "diverged"
    message: str | None = None

    @property
    def steps(self):
        return len(self.points) - 1

    @property
    def final_cost(self):
        return float(self.costs[-1])

    @property
    def label(self):
        """'adam (lr 0.05)', or the name alone when it names its rate ('adam@0.1')."""
        return label(self.name) if "@" in self.name else f"{label(self.name)} (lr {self.lr:g})"


@dataclass
class Landscape:
    """The objective on a grid of two parameters, its lowest point, and the optimizers' paths.

    As every result of the API: ``plot()`` draws it, ``to_json()`` gives landscape.json, ``save()``
    writes the folder; ``to_records()`` gives the points of every path, rows for a DataFrame.
    """

    experiment: Experiment
    parameter_names: tuple
    axes: tuple  # (values of the first parameter, values of the second)
    costs: np.ndarray  # costs[i, j]: the objective at (axes[0][j], axes[1][i])
    start: np.ndarray
    paths: list
    exact_minimum: np.ndarray | None = None  # the closed-form minimum, for MSE
    lr: float | None = None  # the rate given for every path, or None: each optimizer's own
    reference: tuple = (None, np.inf)  # (point, objective) where a long search for the minimum ended
    started_at: datetime = field(default_factory=datetime.now)
    notes: list = field(default_factory=list)
    folder: Path | None = None
    files: dict = field(default_factory=dict)
    steps: int | None = None  # the updates asked for on each path (a diverged path stops sooner)
    requested: dict = field(default_factory=dict)  # the landscape's own options as given, for advice commands
    _advice: list | None = None

    @property
    def config(self):
        return self.experiment.config

    @property
    def grid_minimum(self):
        """(p1, p2, objective) of the lowest grid point."""
        i, j = np.unravel_index(np.nanargmin(self.costs), self.costs.shape)
        return float(self.axes[0][j]), float(self.axes[1][i]), float(self.costs[i, j])

    @property
    def minimum(self):
        """(p1, p2, objective) of the lowest point known: the closed-form minimum for MSE, otherwise the
        lowest of the grid points, of the points the paths visited and of the reference search's."""
        if self.exact_minimum is not None:
            return (*map(float, self.exact_minimum), self.objective(self.exact_minimum))
        best = self.grid_minimum
        for point, cost in [lowest_point(path) for path in self.paths] + [self.reference]:
            if cost < best[2]:
                best = (float(point[0]), float(point[1]), float(cost))
        return best

    @property
    def minimum_words(self):
        """How the minimum was found, for legends and tables."""
        if self.exact_minimum is None:
            return "the lowest point found"
        return "the minimum (closed form, with the L2 penalty)" if self.config.l2 > 0 else \
            "the minimum (least squares)"

    @property
    def minimum_on_edge(self):
        """True when no closed form is known and the lowest grid point lies on the grid's edge: the minimum
        may then lie outside the picture."""
        if self.exact_minimum is not None:
            return False
        i, j = np.unravel_index(np.nanargmin(self.costs), self.costs.shape)
        return i in (0, self.costs.shape[0] - 1) or j in (0, self.costs.shape[1] - 1)

    @property
    def extent(self):
        """(p1 low, p1 high, p2 low, p2 high) of the grid."""
        return (float(self.axes[0][0]), float(self.axes[0][-1]), float(self.axes[1][0]), float(self.axes[1][-1]))

    @property
    def surface_words(self):
        """What this loss's cost surface looks like, in the loss's own words (None when it has none, or when
        they speak of a closed-form minimum this landscape does not have, as with an L1 penalty)."""
        loss = self.experiment.loss
        if loss.quadratic and self.exact_minimum is None:
            return None
        return loss.landscape_words

    @property
    def steps_asked(self):
        """The updates asked for on each path (the longest path's, when not recorded)."""
        return self.steps if self.steps is not None else max((p.steps for p in self.paths), default=0)

    def reached(self):
        """{path name: the updates after which its objective stays within 1% of the minimum, or None}."""
        cost_min = self.minimum[2]
        return {p.name: None if p.status == "diverged" else updates_to_reach(p, cost_min) for p in self.paths}

    def advice(self):
        """Checked advice for the paths that did not get down: more updates for a path still on its way,
        a smaller rate for one that diverged, each tried on the same landscape before it is suggested
        (see ``lossplay.advice``). Computed once."""
        if self._advice is None:
            self._advice = landscape_advice(self)
        return list(self._advice)

    def objective(self, point):
        """The objective at one (p1, p2), computed as the grid is."""
        return objective(self.experiment, point)

    def plot(self) -> "Figure":
        """The landscape with every path, as a matplotlib Figure; nothing is written."""
        from lossplay.plots import landscape as drawing

        return drawing.landscape(self)

    def animate(self):
        """The paths growing step by step, beside the data and each optimizer's current fit, as GIF bytes."""
        from lossplay.plots import landscape as drawing

        return drawing.landscape_gif(self)

    def to_records(self) -> list[dict[str, object]]:
        """Every point of every path, path after path: {'path': its name, 'step': the updates made (0: the
        start), the two parameters by their names ('w', 'b' or 'w[x1]', 'w[x2]'), 'cost': the objective there}."""
        first, second = self.parameter_names
        return [{"path": path.name, "step": step, first: float(point[0]), second: float(point[1]),
                 "cost": float(cost)}
                for path in self.paths for step, (point, cost) in enumerate(zip(path.points, path.costs))]

    def to_json(self) -> dict[str, Any]:
        """The content of landscape.json."""
        data = self.experiment.data
        w_min, b_min, cost_min = self.minimum
        first, second = self.parameter_names
        low1, high1, low2, high2 = self.extent
        return {
            "lossplay_version": __version__,
            "config": {**{k: v for k, v in self.config.to_dict().items() if k not in NOT_FOR_LANDSCAPE},
                       "lr": self.lr, "optimizers": [p.name for p in self.paths],
                       "start": self.start.tolist(), "steps": self.steps_asked,
                       "grid": len(self.axes[0]), "no_bias": isinstance(self.experiment.model, WithoutBias)},
            "data": {"task": data.task, "n_train": data.n_train, "features": list(data.feature_names),
                     "target": data.target_name},
            "parameters": list(self.parameter_names),
            "grid": {first: [low1, high1], second: [low2, high2], "points": len(self.axes[0])},
            "minimum": {first: w_min, second: b_min, "cost": cost_min,
                        "found_by": "closed form" if self.exact_minimum is not None else
                        "the lowest of the grid, the paths and a long Adam search",
                        "grid": dict(zip((first, second, "cost"), self.grid_minimum))},
            "paths": [{"name": p.name, "optimizer": p.optimizer, "lr": p.lr, "hyperparameters": p.hyperparameters,
                       "status": p.status, "message": p.message, "steps": p.steps, "final_cost": p.final_cost,
                       "points": p.points, "costs": p.costs} for p in self.paths],
            "notes": list(self.notes),
            "files": dict(self.files),
            "reached": self.reached(),
            "surface": self.surface_words,
            "near": NEAR,
            "batches_per_update": self.experiment.batches_per_epoch,
            "advice": [a.to_dict() for a in self.advice()],
        }

    def default_folder_name(self):
        return f"{run_folders.timestamp(self.started_at)}-landscape-{self.experiment.loss.name}"

    def contents(self, plots=True, animate=False):
        """What the landscape folder holds, as ``runs.Contents``: landscape.json, landscape.png (with
        ``plots``) and landscape.gif (with ``animate``), drawn when the folder is written."""
        from lossplay.plots import png_bytes

        self.files = landscape_files(plots, animate)
        makers = {"picture": lambda: png_bytes(self.plot()), "animation": self.animate}
        return run_folders.Contents("landscape.json", self.to_json(),
                                    {name: makers[key] for key, name in self.files.items()})

    def save(self, out: str | os.PathLike[str] | None = None, *, force: bool = False, plots: bool = True,
             animate: bool = False) -> Path:
        """Write the landscape folder (see ``contents``) and return its path.

        Without ``out`` the folder is runs/<timestamp>-landscape-<loss>. As with ``Run.save``, it is
        written whole or not at all; a first Ctrl-C or SIGTERM while saving is ignored and a second
        abandons it.
        """
        self.folder = run_folders.write_folder(out, self.contents(plots, animate), force=force,
                                               default_name=self.default_folder_name())
        return self.folder


def landscape_files(plots=True, animate=False):
    """The files of a landscape folder besides landscape.json, by their key in its "files"."""
    return {**({"picture": "landscape.png"} if plots else {}), **({"animation": "landscape.gif"} if animate else {})}


def check_landscape_destination(out, *, force=False, plots=True, animate=False):
    """Refuse, before any computing, an ``out`` that cannot take a landscape folder (None: nothing to check)."""
    names = dict.fromkeys(landscape_files(plots, animate).values())
    run_folders.check_destination(out, run_folders.Contents("landscape.json", files=names), force=force)


# -- the two parameters ---------------------------------------------------------------------


def landscape_experiment(config, no_bias=False):
    """The experiment whose objective is drawn, checked to have exactly two free parameters.

    A classifier's bias is held at 0 (``no_bias`` is implied for it): its two
    weights are then the two parameters.
    """
    experiment = build(config)
    data, c = experiment.data, experiment.config
    if data.task == "multiclass":
        raise LossplayError(
            f"A landscape needs a model with two parameters; {c.model} regression on '{c.dataset}' has "
            f"{data.n_classes} classes. Use a regression loss on a 1-feature dataset ({spell('dataset', 'linear')}) "
            f"or a binary loss on a 2-feature dataset ({spell_settings(loss='bce', dataset='blobs')}).")
    if data.task == "regression":
        if data.n_features != 1:
            raise LossplayError(
                f"A landscape of a linear model needs exactly one feature (w and b); '{c.dataset}' gives "
                f"{data.n_features}{' after ' + spell('poly_degree') if c.poly_degree > 1 else ''}. Use "
                f"{spell('dataset', 'linear')} or sine without {spell('poly_degree')}, or a CSV file with one feature "
                "column.")
        if no_bias:
            raise LossplayError(
                f"{spell('no_bias', True)} would leave a 1-feature linear model a single parameter: the landscape of "
                "a linear model is drawn over its weight w and its bias b.")
        return experiment, ("w", "b")
    if data.n_features != 2:
        raise LossplayError(
            f"A landscape of a logistic model without bias needs exactly two features (w1 and w2); "
            f"'{c.dataset}' gives {data.n_features}. Use {spell('dataset', 'blobs')}, or a CSV file with two feature "
            "columns.")
    names = tuple(f"w[{name}]" for name in data.feature_names)
    if c.init_bias is not None:
        raise LossplayError(f"{spell('init_bias')} has no place here: the landscape of a logistic model holds its "
                            f"bias at 0 and its two weights are the axes (start them with {spell('init_weights')}).")
    theta0 = experiment.theta0.copy()
    theta0[-1] = 0.0
    notes = list(experiment.notes)
    if not no_bias:
        notes.append("The logistic model's bias is held at 0 (--no-bias), so that its two weights are the "
                     "two axes of the landscape.")
    return dataclasses.replace(experiment, model=WithoutBias(experiment.model), theta0=theta0, notes=notes), names


def full_parameters(experiment, point):
    """theta for a point (p1, p2): [w, b] for a linear model, [w1, w2, 0] for a logistic one."""
    theta = np.zeros_like(experiment.theta0)
    theta[:2] = point
    return theta


def objective(experiment, point):
    """J at one point: the cost on the training rows plus the penalty, as the training loop computes them."""
    theta = full_parameters(experiment, point)
    data = experiment.data
    with np.errstate(all="ignore"):
        z = experiment.model.raw_design(theta, data.design_train)
        return experiment.loss.cost(z, data.y_train) + experiment.penalty.value(theta[:-1])


def objective_grid(experiment, first, second):
    """J on every point of the grid first x second: an array [i, j] for (first[j], second[i])."""
    costs = np.empty((len(second), len(first)))
    for i, q in enumerate(second):
        for j, p in enumerate(first):
            costs[i, j] = objective(experiment, (p, q))
    return costs


def exact_minimum(experiment):
    """The closed-form minimum (w, b) of the MSE objective with an L2 penalty, or None for other losses."""
    c = experiment.config
    if not experiment.loss.quadratic or c.l1 > 0:
        return None
    data = experiment.data
    return mse_minimum(data.design_train[:, :-1], data.y_train, c.l2)[:2]


def lowest_point(path):
    """(point, objective) of the lowest finite point of a path, or (None, inf) when none is finite."""
    finite = np.flatnonzero(np.isfinite(path.costs))
    if not finite.size:
        return None, np.inf
    k = finite[np.argmin(path.costs[finite])]
    return path.points[k], float(path.costs[k])


def search_minimum(experiment, steps=500):
    """(point, objective): the lowest point of a long full-batch Adam run, a reference for where the minimum is.

    A linear model starts from its least-squares solution (the minimum of MSE, and
    near that of any regression loss), with a learning rate scaled to its size; a logistic
    model starts from zero.
    """
    start = np.zeros(2)
    lr = 0.1
    if experiment.data.task == "regression":
        data = experiment.data
        start = mse_minimum(data.design_train[:, :-1], data.y_train)[:2]
        lr = 0.01 * max(1.0, float(np.abs(start).max()))
    config = experiment.config.replace(batch_size=0)
    searcher = dataclasses.replace(experiment, config=config)
    return lowest_point(follow(searcher, "adam", {"optimizer": "adam", "lr": lr}, start, steps))


def default_start(centre):
    """A start up and to the left of the lowest point, far enough that the paths differ visibly."""
    reach = max(2.0, float(np.hypot(*centre)))
    return np.round(centre + reach * np.array([-1.0, 0.75]), 1)


# -- the paths ------------------------------------------------------------------------------


def optimizer_changes(name, lr=None):
    """The options a path name sets: {'optimizer', 'lr', ...}; 'momentum' and 'nesterov' are SGD with mu = 0.9,
    NAME@LR has its own rate, otherwise ``lr`` or the optimizer's default rate."""
    changes = optimizer_spec(name)
    changes.setdefault("lr", default_lr(changes["optimizer"]) if lr is None else lr)
    return changes


class _PathRecorder(Observer):
    """Keeps the parameters after every update, and ends the loop after ``steps`` updates.

    Full batch: one update per epoch, so the epoch records hold the path.
    Mini-batch: the step records do (and the last epoch may hold more updates than asked).
    """

    def __init__(self, steps, wants_steps):
        self.steps = steps
        self.wants_steps = wants_steps
        self.points = {}

    def on_epoch_end(self, record):
        if not self.wants_steps or record.steps == 0:
            self.points[record.steps] = record.params[:2].copy()
        return Stop("completed", None) if record.steps >= self.steps else None

    def on_step_end(self, record):
        self.points[record.step] = record.params_after[:2].copy()
        return Stop("completed", None) if record.step >= self.steps else None


def follow(experiment, name, changes, start, steps):
    """Run the training loop from ``start`` with the optimizer in ``changes`` for ``steps`` updates."""
    requested = experiment.requested or experiment.config
    # the options of the loss and optimizer as given, so that another optimizer's own defaults fill the rest
    config = experiment.config.replace(**{**{name: getattr(requested, name) for name in OPTIONS}, **changes})
    config = config.replace(**option_defaults(config, config.loss))
    optimizer = make_experiment_optimizer(config, experiment.theta0.shape)
    runner = dataclasses.replace(experiment, config=config, optimizer=optimizer)
    epochs = math.ceil(steps / runner.batches_per_epoch)
    loop = runner.training_loop(epochs=epochs)
    recorder = _PathRecorder(steps, wants_steps=runner.batches_per_epoch > 1)
    outcome = loop.run(full_parameters(experiment, start), [recorder, DivergenceGuard()])
    taken = sorted(k for k in recorder.points if k <= steps)
    points = np.array([recorder.points[k] for k in taken])
    costs = np.array([objective(experiment, p) for p in points])
    status = "diverged" if outcome.status == "diverged" or not np.isfinite(costs[-1]) else "completed"
    message = outcome.message if outcome.status == "diverged" else None
    return OptimizerPath(name, config.optimizer, config.lr, optimizer.params(), points, costs, status, message)


NEAR = 0.01  # a path is "down" once its objective is within 1% of the minimum's


def updates_to_reach(path, minimum_cost):
    """The first update after which the path's objective stays within 1% of the minimum, or None."""
    target = minimum_cost + NEAR * max(abs(minimum_cost), 1e-12)
    above = ~(path.costs <= target)
    if above[-1]:
        return None
    return int(np.flatnonzero(above)[-1] + 1) if above.any() else 0


MAX_STEPS = 5000


def landscape_command(scape, changes):
    """The ``lossplay landscape`` command of this landscape, with ``changes`` to its own options (steps,
    optimizers, lr): its train options away from the landscape's defaults, then its own."""
    leave_out = (*NOT_FOR_LANDSCAPE, *OUTPUT_OPTIONS)
    requested = scape.experiment.requested or scape.config
    options = {name: value for name, value in changed_options(requested, leave_out=leave_out).items()
               if LANDSCAPE_DEFAULTS.get(name, object()) != value}
    for name, value in LANDSCAPE_DEFAULTS.items():
        if getattr(requested, name) != value:
            options[name] = getattr(requested, name)
    own = {**scape.requested, **changes}
    if list(own.get("optimizers", [])) == list(DEFAULT_OPTIMIZERS):
        own.pop("optimizers")
    for name, default in (("steps", DEFAULT_STEPS), ("grid", DEFAULT_GRID), ("no_bias", False)):
        if own.get(name) == default:
            own.pop(name)
    if "lr" in changes:
        options["lr"] = changes["lr"]
    options.update({k: v for k, v in own.items() if k != "lr"})
    return command_line(options, "landscape")


def landscape_advice(scape):
    """Checked advice for the paths that did not get within 1% of the minimum (see ``Landscape.advice``)."""
    cost_min = scape.minimum[2]
    reached = scape.reached()
    advice = []
    late = [p for p in scape.paths if p.status != "diverged" and reached[p.name] is None]
    if late and scape.experiment.batches_per_epoch == 1:
        for steps in (2 * scape.steps_asked, 4 * scape.steps_asked, 8 * scape.steps_asked):
            if steps > MAX_STEPS:
                break
            tried = {p.name: follow(scape.experiment, p.name, optimizer_changes(p.name, scape.lr), scape.start, steps)
                     for p in late}
            if all(t.status != "diverged" and updates_to_reach(t, cost_min) is not None for t in tried.values()):
                counts = ", ".join(f"{label(name)} after {updates_to_reach(t, cost_min)}" for name, t in tried.items())
                why = (f"{', '.join(map(label, tried))} had not got within 1% of the minimum after "
                       f"{scape.steps_asked} updates; checked with {steps}: {counts}.")
                advice.append(Advice(why, landscape_command(scape, {"steps": steps}), {"steps": steps}))
                break
    for path in (p for p in scape.paths if p.status == "diverged"):
        for factor in RATE_FACTORS:
            rate = one_digit(path.lr * factor, below=path.lr)
            if rate <= 0:
                continue
            changes = {**optimizer_changes(path.name, scape.lr), "lr": rate}
            tried = follow(scape.experiment, path.name, changes, scape.start, scape.steps_asked)
            if tried.status != "diverged" and np.isfinite(tried.costs).all() and tried.costs[-1] < tried.costs[0]:
                name = path.name.split("@")[0]
                where = updates_to_reach(tried, cost_min)
                result = f"within 1% of the minimum after {where} updates" if where is not None else \
                    f"down to {tried.final_cost:.4g} without diverging"
                why = f"{path.name} diverged at lr {path.lr:g}; checked at lr {rate:g}: {result}."
                advice.append(Advice(why, landscape_command(scape, {"optimizers": [name], "lr": rate}),
                                     {"optimizers": [name], "lr": rate}))
                break
    return advice


# -- the grid -------------------------------------------------------------------------------


def grid_axes(start, centre, paths, points):
    """Two axes of the same span, covering the start, the centre and the paths (with a margin).

    Points of a path that runs far away (it diverged) do not stretch the grid:
    only those within four times the distance from the start to the centre count.
    """
    reach = max(float(np.hypot(*(start - centre))), 1e-3)
    kept = [start, centre]
    for path in paths:
        finite = path.points[np.isfinite(path.points).all(axis=1)]
        kept.extend(finite[np.hypot(*(finite - centre).T) <= 4 * reach])
    kept = np.array(kept)
    low, high = kept.min(axis=0), kept.max(axis=0)
    middle, half = (low + high) / 2, max((high - low).max() / 2, reach / 2) * 1.15
    return tuple(np.linspace(m - half, m + half, points) for m in middle)


@takes_options(defaults=LANDSCAPE_DEFAULTS)
@called_as("lossplay.landscape")
def landscape(config: TrainConfig | None = None, /, *, optimizers: str | Iterable[str] = DEFAULT_OPTIMIZERS,
              start: str | Sequence[float] | None = None, steps: int = DEFAULT_STEPS, grid: int = DEFAULT_GRID,
              no_bias: bool = False, **options: Unpack[TrainOptions]) -> Landscape:
    """Compute a ``Landscape``: the objective over two parameters and each optimizer's path.

    >>> scape = lossplay.landscape(loss="mae", optimizers=["sgd", "adam"])   # doctest: +SKIP
    >>> scape.minimum, [p.final_cost for p in scape.paths]                 # doctest: +SKIP
    >>> scape.plot(); scape.to_records(); scape.save()                      # doctest: +SKIP

    Options are those of ``train`` (data, loss, penalty, optimizer hyperparameters;
    ``lr`` sets every optimizer's rate, otherwise each keeps its own default; ``optimizer``,
    ``epochs``, the schedule and early stopping are not read), with full batch and
    unstandardised features unless set (a ``TrainConfig`` given is taken as it is).
    ``optimizers`` also takes 'momentum', 'nesterov' and NAME@LR; ``start`` is (p1, p2) or
    the text 'p1,p2' (``init_weights`` and ``init_bias`` give it too); ``steps`` the updates of
    each path; ``grid`` the points on each side.
    """
    origin = "lossplay.landscape"
    config = as_config(config, options, origin, defaults=LANDSCAPE_DEFAULTS)
    steps = coerce(steps, int, f"{origin}: 'steps'")
    grid = coerce(grid, int, f"{origin}: 'grid'")
    no_bias = coerce(no_bias, bool, f"{origin}: 'no_bias'")
    if not 1 <= steps <= MAX_STEPS:
        raise LossplayError(f"{spell('steps')} must be at least 1 and at most {MAX_STEPS:,}, got {steps}.")
    if not 11 <= grid <= 401:
        raise LossplayError(f"{spell('grid')} must be between 11 and 401 points a side, got {grid}.")
    label = spell("optimizers")
    names = [coerce(name, str, f"{label}: each value") for name in parse_list(optimizers, label)]
    if len(set(names)) != len(names):
        raise LossplayError(f"{label} names '{next(n for n in names if names.count(n) > 1)}' twice.")
    user_lr = config.lr
    plan = [(name, optimizer_changes(name, user_lr)) for name in names]
    experiment, parameter_names = landscape_experiment(config, no_bias)
    exact = exact_minimum(experiment)
    reference = (exact, objective(experiment, exact)) if exact is not None else search_minimum(experiment)
    centre = reference[0] if reference[0] is not None else np.zeros(2)
    chosen = config.init_weights is not None or config.init_bias is not None
    if start is not None and chosen:
        raise LossplayError(f"{spell('start')} and {spell('init_weights')}/{spell('init_bias')} both set where the "
                            f"paths start: give one of them.")
    if start is not None:
        point = parse_start(start)
    else:
        point = experiment.theta0[:2].copy() if chosen else default_start(centre)
    paths = [follow(experiment, name, changes, point, steps) for name, changes in plan]
    first, second = grid_axes(point, centre, paths, grid)
    costs = objective_grid(experiment, first, second)
    finite = np.isfinite(costs)
    if finite.sum() < costs.size / 2 or np.ptp(costs[finite]) == 0:
        where = f"{point[0]:g},{point[1]:g}" if spelling_flags() else f"({point[0]:g}, {point[1]:g})"
        raise LossplayError(
            f"The cost cannot be drawn around {spell('start', point, where)}: it overflows, "
            "or is the same everywhere, over the grid from there to the minimum. Start nearer the data's own scale, "
            f"or leave {spell('start')} out.")
    scape = Landscape(experiment, parameter_names, (first, second), costs, point, paths, exact, user_lr,
                      reference, notes=list(experiment.notes), steps=steps,
                      requested={"optimizers": names, "start": point.tolist(), "steps": steps, "grid": grid,
                                 "no_bias": no_bias})
    if scape.minimum_on_edge:
        scape.notes.append("The lowest point of the grid lies on its edge: the cost may fall further outside the "
                           "picture (try another --start).")
    return scape


def parse_start(start):
    """(p1, p2) from a pair of numbers or the text 'p1,p2'."""
    try:
        values = [coerce(value, float, spell("start"), from_text=True) for value in parse_list(start, spell("start"))]
    except LossplayError:
        values = []
    if len(values) != 2 or not np.isfinite(values).all():
        how = ("two numbers separated by a comma, like --start -1,5" if spelling_flags() else
               "two numbers, like start=(-1, 5)")
        raise LossplayError(f"{spell('start')} takes {how}; got '{start}'.")
    return np.array(values, dtype=np.float64)

