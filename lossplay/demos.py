"""The classroom demos: each a comparison from a shipped config, with what to watch for
before it runs and what happened, in its own numbers, after.

A demo is data (its config file and its words) plus a ``report`` that reads the
finished comparison. Nothing here prints: ``render.demo`` shows it.
"""

from dataclasses import dataclass, field
from importlib import resources

import numpy as np

from lossplay import comparison as comparing
from lossplay.config import COMPARE_KEYS, make_config, read_toml
from lossplay.errors import LossplayError, did_you_mean
from lossplay.metrics import confusion_matrix
from lossplay.reference import stable_lr_limit


@dataclass(frozen=True)
class Demo:
    """A named lesson: a config to run, what to watch for, and how to read the result."""

    name: str
    title: str
    summary: str
    config: str
    shows: str
    watch: str
    lesson: str
    report: object = field(repr=False)

    def config_text(self):
        """The demo's TOML, as shipped."""
        return resources.files("lossplay.configs").joinpath(self.config).read_text(encoding="utf-8")

    def options(self, **overrides):
        """(options for train, comparison lists) read from the config, with ``overrides`` applied."""
        with resources.as_file(resources.files("lossplay.configs").joinpath(self.config)) as path:
            values = read_toml(path, extra=COMPARE_KEYS)
        lists = {key: values.pop(key) for key in COMPARE_KEYS if key in values}
        for key in list(overrides):
            if key in COMPARE_KEYS:
                lists[key] = overrides.pop(key)
        return {**values, **overrides}, lists


def prepare(demo, **overrides):
    """The demo's comparison, built and checked: see ``comparison.prepare``."""
    options, lists = demo.options(**overrides)
    return comparing.prepare(make_config(**options), **lists)


def run(demo, observers_for=None, **overrides):
    """Run a demo; returns its ``Comparison``."""
    return comparing.run(prepare(demo, **overrides), observers_for)


def find(name):
    """The demo called ``name`` (dashes or underscores), or a clear error."""
    key = name.replace("_", "-")
    if key not in DEMOS:
        raise LossplayError(f"Unknown demo '{name}'.{did_you_mean(key, DEMOS)} Run 'lossplay demo' for the list.")
    return DEMOS[key]


def _entry(cmp, name):
    return next(e for e in cmp.entries if e.name == name)


def _line(cmp, entry):
    line = cmp.line(entry)
    if line is None:
        return "no line"
    slope, intercept = line
    return f"y = {slope:.3g}x {'+' if intercept >= 0 else '−'} {abs(intercept):.3g}"


# -- outliers ---------------------------------------------------------------------------


def _report_outliers(cmp):
    true = cmp.true_params
    truth = f"y = {true['weights'][0]:g}x + {true['bias']:g}" if true else "unknown"
    count = int(cmp.data.outliers.sum())
    lines = [f"The true line is {truth}; {count} of the {cmp.data.n_train} training targets were pushed far up."]
    for entry in cmp.entries:
        share = cmp.outlier_share(entry)
        metric = cmp.common(entry)["mse"]
        lines.append(f"{entry.name}: fitted {_line(cmp, entry)}; clean validation MSE {metric:.3g}; "
                     f"the corrupted rows pull {share:.0%} of its gradient.")
    return lines


# -- overfitting -------------------------------------------------------------------------


def _report_overfitting(cmp):
    lines = []
    for entry in cmp.entries:
        run = entry.run
        history = run.history
        best = history.best()
        last = history[-1]
        penalty = last.objective - last.train_loss
        text = (f"{entry.name}: training cost {history[0].train_loss:.3g} → {last.train_loss:.3g}; validation "
                f"cost lowest {best.val_loss:.3g} at epoch {best.epoch}, {last.val_loss:.3g} at the end")
        if run.overfitting["detected"]:
            text += " — overfitting"
        if penalty > 0:
            text += f"; objective = cost + penalty = {last.train_loss:.3g} + {penalty:.3g} = {last.objective:.3g}"
        lines.append(text + ".")
    finals = {e.name: e.run.history[-1].val_loss for e in cmp.entries}
    best_name = min(finals, key=finals.get)
    lines.append(f"Lowest final validation cost: {best_name} ({finals[best_name]:.3g}).")
    return lines


# -- accuracy vs loss --------------------------------------------------------------------

# The two models of the classic example: ten rows of the positive class, each model right on nine.
# Model A is confident when right and only slightly wrong once; model B is barely right nine times
# and confidently wrong once. The numbers are the probabilities each gives the true class.
TWO_MODELS = {"A": [0.99] * 9 + [0.45], "B": [0.51] * 9 + [0.05]}


def two_models():
    """Per-row probabilities of the true class, losses, accuracy and cross-entropy of models A and B."""
    out = {}
    for name, probabilities in TWO_MODELS.items():
        p = np.array(probabilities)
        losses = -np.log(p)
        out[name] = {"p": p, "losses": losses, "accuracy": float(np.mean(p > 0.5)),
                     "cross_entropy": float(losses.mean())}
    return out


def losses_by_outcome(run):
    """On the validation rows: (mean loss of the right answers, losses of the wrong ones, the smallest
    probability a mistake gave the true class, which is exp(-its loss))."""
    data = run.data
    z = run.experiment.model.raw(run.theta, data.X_val)
    losses = run.experiment.loss.losses(z, data.y_val)
    wrong = (z > 0).astype(np.int64) != data.y_val
    worst = float(np.exp(-losses[wrong].max())) if wrong.any() else None
    return float(losses[~wrong].mean()), losses[wrong], worst


def _report_accuracy(cmp):
    models = two_models()
    lines = [f"Model {name}: accuracy {m['accuracy']:.0%}, cross-entropy {m['cross_entropy']:.3f}."
             for name, m in models.items()]
    for entry in cmp.entries:
        common = cmp.common(entry)
        right, wrong, worst = losses_by_outcome(entry.run)
        text = (f"{entry.name} on real data: validation accuracy {common['accuracy']:.1%}, log loss "
                f"{common['log_loss']:.3f}. Its right answers cost {right:.3f} on average")
        if wrong.size:
            text += (f"; its {wrong.size} mistakes cost {', '.join(f'{v:.3g}' for v in wrong)} — the most "
                     f"confident one gave the true class a probability of only {worst:.2g}")
        lines.append(text + ".")
    return lines


# -- learning rate ----------------------------------------------------------------------


def _report_learning_rate(cmp):
    data = cmp.data
    limit = stable_lr_limit(data.X_train, cmp.entries[0].run.config.l2)
    lines = [f"From the data: the Hessian of the MSE is (2/n)·AᵀA with A = [X, 1]; its largest eigenvalue is "
             f"{2 / limit:.4g}, so full-batch gradient descent converges only for lr < {limit:.4g}."]
    for entry in cmp.entries:
        run = entry.run
        if run.status == "diverged":
            lines.append(f"{entry.name} (above the limit): diverged — {run.message}.")
        else:
            first, last = run.history[0].train_loss, run.history[-1].train_loss
            side = "below" if run.config.lr < limit else "above"
            lines.append(f"{entry.name} ({side} the limit): training cost {first:.3g} → {last:.3g} in "
                         f"{run.epochs_run} epochs.")
    return lines


# -- optimizers --------------------------------------------------------------------------


def race(cmp, margin=0.1):
    """(target cost, {run name: first epoch whose training cost is within ``margin`` of the best final one})."""
    finals = [e.run.history[-1].train_loss for e in cmp.entries if e.run.status != "diverged"]
    target = (1 + margin) * min(finals)
    reached = {}
    for entry in cmp.entries:
        costs = entry.run.history.column("train_loss")
        hits = np.flatnonzero(costs <= target)
        reached[entry.name] = int(entry.run.history[int(hits[0])].epoch) if hits.size else None
    return target, reached


def _report_optimizers(cmp):
    target, reached = race(cmp)
    lines = [f"Target: a training cost within 10% of the best final one, {target:.3g}."]
    for entry in cmp.entries:
        epoch = reached[entry.name]
        when = f"reached it at epoch {epoch}" if epoch is not None else "never reached it"
        lines.append(f"{entry.name} (lr {entry.run.config.lr:g}): {when}; final training cost "
                     f"{entry.run.history[-1].train_loss:.3g}.")
    ranked = sorted((e for e in reached.items() if e[1] is not None), key=lambda item: item[1])
    if ranked:
        lines.append(f"First to the target: {ranked[0][0]}.")
    return lines


# -- imbalance ---------------------------------------------------------------------------


def confusion(run):
    """The validation confusion matrix of a binary run: rows are the true class, columns the predicted."""
    data = run.data
    z = run.experiment.model.raw(run.theta, data.X_val)
    return confusion_matrix(data.y_val, (z > 0).astype(np.int64), 2)


def _report_imbalance(cmp):
    data = cmp.data
    share = float(np.mean(data.y_val == 0))
    lines = [f"{share:.1%} of the validation rows are class 0: a model that always answers 0 scores "
             f"{share:.1%} accuracy and finds none of class 1."]
    for entry in cmp.entries:
        metrics = entry.run.metrics["val"]
        counts = confusion(entry.run)
        lines.append(f"{entry.name}: accuracy {metrics['accuracy']:.1%}, recall on class 1 {metrics['recall']:.0%} "
                     f"({counts[1, 1]} of {counts[1].sum()} found), precision {metrics['precision']:.0%} "
                     f"({counts[0, 1]} false alarms).")
    return lines


DEMOS = {
    d.name: d
    for d in (
        Demo("outliers", "Outliers: why robust losses exist",
             "MSE vs MAE vs Huber on data with corrupted targets",
             "demo_outliers.toml",
             "A straight line with a tenth of its training targets pushed far up, fitted three times: with the "
             "mean squared error, the mean absolute error and the Huber loss.",
             "Which fitted line stays on the true one, and how much of each loss's gradient the corrupted "
             "rows own.",
             "A squared loss lets a row pull in proportion to how far off it is, so a few corrupted targets can "
             "own a large share of the gradient and drag the whole fit towards them. MAE caps every row's pull "
             "at 1 and Huber at δ, so the bulk of the data decides. Use a robust loss when the data may hold "
             "outliers; keep MSE when large errors are real and must count more.",
             _report_outliers),
        Demo("overfitting", "Overfitting, and a penalty that cures it",
             "a degree-9 polynomial learns the noise; an L2 penalty keeps it honest",
             "demo_overfitting.toml",
             "Twenty noisy points of a sine, half kept for validation, fitted with polynomial features up to "
             "x⁹ for 3000 epochs — without a penalty, then with an L2 penalty λ·½‖w‖² of growing λ.",
             "The training cost keeps falling while the validation cost turns back up; and with a penalty, "
             "the objective (cost + penalty) that the optimizer minimises is no longer the cost.",
             "With nine powers of x for ten training points, the model can bend through every noisy point: the "
             "training cost keeps falling while the cost on unseen rows rises. That turn is overfitting, and "
             "the epoch where validation is lowest is where to stop. An L2 penalty makes large weights cost "
             "something, so the optimizer trades a little training cost for a smoother curve; too large a λ "
             "smooths away the signal too.",
             _report_overfitting),
        Demo("accuracy-vs-loss", "Accuracy vs loss: the same 90%, very different cross-entropy",
             "two models with the same accuracy and very different cross-entropy",
             "demo_accuracy_vs_loss.toml",
             "Two imagined models that are each right on 9 of 10 rows, then one real logistic model on the "
             "breast cancer data, stopped after 10 epochs and after 300.",
             "Identical accuracies next to cross-entropies far apart, and how confident each model is when "
             "it is wrong.",
             "Accuracy counts right answers; cross-entropy also weighs how sure each answer was, and punishes "
             "a confident mistake without bound. A model can keep its accuracy while growing overconfident, "
             "and only the loss shows it. That is why training minimises the loss and people read the accuracy.",
             _report_accuracy),
        Demo("learning-rate", "The learning rate: too small, good, too large",
             "three learning rates, and the largest stable one computed from the data",
             "demo_learning_rate.toml",
             "Full-batch gradient descent on a straight line with three learning rates: 0.01, 0.5 and 1.2.",
             "The slow crawl, the quick descent, and the run whose cost explodes — and the bound, computed "
             "from the data, that separates them.",
             "For gradient descent on the MSE, each step multiplies the error along the Hessian's steepest "
             "direction by (1 − lr·λmax). Below lr = 2/λmax that factor shrinks the error; above it the error "
             "grows at every step, and the run diverges. Too small a rate is safe but slow.",
             _report_learning_rate),
        Demo("optimizers", "Optimizers racing",
             "SGD, SGD with momentum, RMSprop and Adam on a narrow valley",
             "demo_optimizers.toml",
             "SGD, SGD with momentum (μ = 0.9), RMSprop and Adam, each with its default learning rate, fitting "
             "polynomial features of a sine: strongly correlated features, a long narrow valley.",
             "Which optimizer is first to a given cost, and which never gets there in 400 epochs.",
             "In a narrow valley the gradient points mostly across it, so plain SGD zig-zags and crawls along "
             "the floor. Momentum adds up the steps that agree (along the valley) and cancels those that "
             "alternate (across it). RMSprop and Adam divide each parameter's step by the size of its recent "
             "gradients, so the steep and the flat directions move at similar speeds; Adam adds momentum too.",
             _report_optimizers),
        Demo("imbalance", "Imbalanced classes: when accuracy flatters",
             "95% of one class: high accuracy, poor recall, and class weights",
             "demo_imbalance.toml",
             "A binary dataset with about 5% of class 1, fitted with plain cross-entropy and with balanced "
             "class weights (each class weighs n / (2·its count)).",
             "The accuracy that stays high while recall on the rare class is poor, and the confusion matrices.",
             "When one class dominates, accuracy mostly measures the common class: always answering 'class 0' "
             "already scores 95%. Recall asks how many of the rare rows were found. Weighting the rare class "
             "in the cost makes each of its mistakes count more, which raises recall at the price of false "
             "alarms: the trade-off is a choice, not a bug.",
             _report_imbalance),
    )
}
