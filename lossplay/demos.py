"""The classroom demos: each a comparison from a shipped config, with what to watch for before it runs,
what happened after, and its lesson checked against this run's numbers.

A demo is data (its config file and its words) plus three functions of the
finished comparison: ``report`` (what happened, in its numbers), ``check``
(whether the numbers support the demo's claim: a ``verdicts.Lesson`` with the
evidence) and ``picture`` (its own figure, or None for the usual comparison
picture). A lesson is never assumed: on a seed where the numbers do not show
it, the demo says so. ``benchmarks/demo_lessons.py`` runs every demo over 20
seeds and counts how often its lesson holds. Nothing here prints:
``render.demo`` shows it.
"""

from dataclasses import dataclass, field
from importlib import resources

import numpy as np

from lossplay import comparison as comparing
from lossplay.config import COMPARE_KEYS, make_config, read_toml
from lossplay.errors import LossplayError, did_you_mean
from lossplay.formatting import number, plural
from lossplay.reference import stable_lr_limit
from lossplay.verdicts import Lesson


@dataclass(frozen=True)
class Demo:
    """A named lesson: a config to run, what to watch for, how to read the result and check its claim."""

    name: str
    title: str
    summary: str
    config: str
    shows: str
    watch: str
    lesson: str
    report: object = field(repr=False)
    check: object = field(repr=False)
    picture: object = field(default=None, repr=False)

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


def finish(demo, cmp):
    """Give a finished comparison its demo's checked lesson and picture; returns it."""
    if cmp.entries:
        cmp.claim = demo.check(cmp)
        if demo.picture is not None:
            cmp.picture = lambda: demo.picture(cmp)
    return cmp


def run(demo, observers_for=None, **overrides):
    """Run a demo (``seed=...`` and other options override its config); returns its ``Comparison``."""
    return finish(demo, comparing.run(prepare(demo, **overrides), observers_for))


def find(name):
    """The demo called ``name`` (dashes or underscores), or a clear error."""
    key = name.replace("_", "-")
    if key not in DEMOS:
        raise LossplayError(f"Unknown demo '{name}'.{did_you_mean(key, DEMOS)} Run 'lossplay demo' for the list.")
    return DEMOS[key]


def _entry(cmp, name):
    return next(e for e in cmp.entries if e.name == name)


def _group_of(cmp, metric, name):
    """The index of the ranking group (0: best) that holds run ``name`` on ``metric``, or None."""
    for index, members in enumerate(cmp.rankings()[metric]):
        if name in members:
            return index
    return None


def _line(cmp, entry):
    line = cmp.line(entry)
    if line is None:
        return "no line"
    slope, intercept = line
    return f"y = {slope:.3g}x {'+' if intercept >= 0 else '−'} {abs(intercept):.3g}"


def _split_words(cmp):
    return "validation" if cmp.split == "val" else "training"


def _finding_words(run):
    """The run's findings in a few words, in time order: 'unstable, then converged' (it jumped, then settled)."""
    kinds = [f.kind.replace("_", " ") for f in run.diagnosis.findings]
    return ", then ".join(kinds) if kinds else "no finding"


# -- outliers ---------------------------------------------------------------------------


def _report_outliers(cmp):
    true = cmp.true_params
    truth = f"y = {true['weights'][0]:g}x + {true['bias']:g}" if true else "unknown"
    count = int(cmp.data.outliers.sum())
    lines = [f"The true line is {truth}; {count} of the {cmp.data.n_train} training targets were pushed far up."]
    for entry in cmp.entries:
        share = cmp.outlier_share(entry)
        metric = cmp.common(entry)["mse"]
        pull = "—" if share is None else f"{share:.0%}"
        lines.append(f"{entry.name}: fitted {_line(cmp, entry)}; clean validation MSE {number(metric, 3)}; "
                     f"the corrupted rows pull {pull} of its gradient.")
    return lines


def _check_outliers(cmp):
    claim = "the corrupted rows drag MSE's fit away from the clean rows more than MAE's and Huber's"
    mse, robust = "mse", [e.name for e in cmp.entries if e.name != "mse"]
    groups = {e.name: _group_of(cmp, "mse", e.name) for e in cmp.entries}
    shares = {e.name: cmp.outlier_share(e) for e in cmp.entries}
    worse = all(groups[mse] is not None and groups[r] is not None and groups[mse] > groups[r] for r in robust)
    pulled = all(shares[mse] is not None and shares[r] is not None and shares[mse] > shares[r] for r in robust)
    values = {e.name: cmp.common(e)["mse"] for e in cmp.entries}
    summary = ("Clean validation MSE: " + ", ".join(f"{n} {number(v, 3)}" for n, v in values.items())
               + "; share of the gradient from the corrupted rows: "
               + ", ".join(f"{n} {'—' if s is None else f'{s:.0%}'}" for n, s in shares.items()) + ".")
    if not worse:
        summary += " MSE's validation MSE is not clearly worse than every robust loss's."
    if not pulled:
        summary += " The corrupted rows do not pull MSE hardest."
    return Lesson(claim, worse and pulled, summary,
                  {"val_mse": values, "outlier_gradient_share": shares, "mse_groups": cmp.rankings()["mse"]})


# -- overfitting -------------------------------------------------------------------------


def _report_overfitting(cmp):
    lines = []
    for entry in cmp.entries:
        run = entry.run
        history = run.history
        best = run.diagnosis.best_epoch
        lowest = next(r for r in history if r.epoch == best)
        last = history[-1]
        penalty = last.objective - last.train_loss
        text = (f"{entry.name}: training cost {number(history[0].train_loss, 3)} → {number(last.train_loss, 3)}; "
                f"validation cost lowest {number(lowest.val_loss, 3)} at epoch {best}, "
                f"{number(last.val_loss, 3)} at the end ({_finding_words(run)})")
        if penalty > 0:
            text += (f"; objective = cost + penalty = {number(last.train_loss, 3)} + {number(penalty, 3)} = "
                     f"{number(last.objective, 3)}")
        lines.append(text + ".")
    return lines


def _rise(run):
    """(lowest validation cost, final validation cost, the final's rise above the lowest, as a fraction)."""
    values = run.history.column("val_loss")
    low = float(np.nanmin(values))
    final = float(run.final.val_loss)
    return low, final, (final - low) / low if low > 0 else 0.0


def _check_overfitting(cmp):
    claim = ("without a penalty the validation cost turns up and climbs while the training cost keeps falling; "
             "an L2 penalty keeps it from climbing far")
    plain = next((e for e in cmp.entries if e.changes.get("l2") == 0), None)
    if plain is None:
        return Lesson(claim, False, "There is no run without a penalty (l2=0) to compare with.")
    rises = {e.name: _rise(e.run) for e in cmp.entries}
    overfits = plain.run.diagnosis.has("overfitting")
    metric = "mse" if cmp.task == "regression" else "log_loss"  # the validation cost, on one scale for all
    plain_group = _group_of(cmp, metric, plain.name)
    # a penalty helps when its run ends clearly lower (a better group) and its cost climbed less than half as much
    helped = [e.name for e in cmp.entries if e is not plain and not e.run.diagnosis.troubled
              and plain_group is not None and (_group_of(cmp, metric, e.name) or 0) < plain_group
              and rises[e.name][2] < 0.5 * rises[plain.name][2]]
    low, final, rise = rises[plain.name]
    turn = plain.run.diagnosis.find("overfitting")
    if overfits:
        summary = (f"Without a penalty the validation cost turned up at epoch {turn.epoch} and climbed from "
                   f"{number(low, 3)} to {number(final, 3)} ({rise:+.0%}); ")
    else:
        summary = (f"Without a penalty the validation cost did not turn up clearly on this seed ({number(low, 3)} "
                   f"at its lowest, {number(final, 3)} at the end); ")
    if helped:
        best = min(helped, key=lambda name: rises[name][1])
        b_low, b_final, b_rise = rises[best]
        summary += (f"with {best} it went from {number(b_low, 3)} at its lowest to {number(b_final, 3)} at the "
                    f"end ({b_rise:+.0%}).")
    else:
        summary += "no penalty here both climbed less than half as much and ended clearly lower."
    return Lesson(claim, overfits and bool(helped), summary,
                  {"final_val_cost": {name: r[1] for name, r in rises.items()},
                   "lowest_val_cost": {name: r[0] for name, r in rises.items()},
                   "overfitting": {e.name: e.run.overfitting for e in cmp.entries}, "helped_by": helped})


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
            mistakes, who = ("its mistake costs", "it") if wrong.size == 1 else \
            (f"its {wrong.size} mistakes cost", "the most confident one")
        text += (f"; {mistakes} {', '.join(f'{v:.3g}' for v in wrong[:8])}"
                 f"{', …' if wrong.size > 8 else ''} — {who} gave the true class a "
                 f"probability of only {worst:.2g}")
        lines.append(text + ".")
    return lines


def _check_accuracy(cmp):
    claim = "two models can have the same accuracy and a different loss"
    names = [e.name for e in cmp.entries]
    accuracy = {e.name: cmp.common(e)["accuracy"] for e in cmp.entries}
    log_loss = {e.name: cmp.common(e)["log_loss"] for e in cmp.entries}
    same_accuracy = len(cmp.rankings()["accuracy"]) == 1
    different_loss = len(cmp.rankings()["log_loss"]) > 1
    summary = ("Validation accuracy " + ", ".join(f"{n} {accuracy[n]:.1%}" for n in names)
               + (" (a tie)" if same_accuracy else " (they differ)") + "; log loss "
               + ", ".join(f"{n} {number(log_loss[n], 3)}" for n in names)
               + (" (they differ)." if different_loss else " (a tie)."))
    return Lesson(claim, same_accuracy and different_loss, summary,
                  {"accuracy": accuracy, "log_loss": log_loss})


def _picture_accuracy(cmp):
    from lossplay.plots.demos import accuracy_and_loss

    return accuracy_and_loss(cmp, two_models())


# -- learning rate ----------------------------------------------------------------------


def stability_limit(cmp):
    """2 / lambda_max of the MSE Hessian on the comparison's training rows."""
    return stable_lr_limit(cmp.data.X_train, cmp.entries[0].run.config.l2)


def _report_learning_rate(cmp):
    limit = stability_limit(cmp)
    lines = [f"From the data: the Hessian of the MSE is (2/n)·AᵀA with A = [X, 1]; its largest eigenvalue is "
             f"{number(2 / limit)}, so full-batch gradient descent converges only for lr < {number(limit)}."]
    for entry in cmp.entries:
        run = entry.run
        side = "below" if run.config.lr < limit else "above"
        if run.status == "diverged":
            lines.append(f"{entry.name} ({side} the limit): diverged during epoch {run.epochs_run}.")
        else:
            first, last = run.history[0].train_loss, run.history[-1].train_loss
            lines.append(f"{entry.name} ({side} the limit): training cost {number(first, 3)} → {number(last, 3)} in "
                         f"{plural(run.epochs_run, 'epoch')} ({_finding_words(run)}).")
    return lines


def _check_learning_rate(cmp):
    limit = stability_limit(cmp)
    claim = (f"full-batch gradient descent converges below lr = 2/λmax = {number(limit)} and diverges above it, "
             "and the smallest rate is the slowest")
    below = [e for e in cmp.entries if e.run.config.lr < limit]
    above = [e for e in cmp.entries if e.run.config.lr > limit]
    calm = all(not e.run.diagnosis.troubled for e in below)
    blew = all(e.run.status == "diverged" for e in above)
    reached = cmp.speed()["epochs"]
    slowest = min(below, key=lambda e: e.run.config.lr) if below else None
    others = [reached[e.name] for e in below if e is not slowest and reached[e.name] is not None]
    slow = slowest is not None and bool(others) and (reached[slowest.name] is None
                                                     or reached[slowest.name] > max(others))
    summary = (f"Below the limit: {', '.join(f'{e.name} ({_finding_words(e.run)})' for e in below) or 'none'}; "
               f"above it: {', '.join(f'{e.name} ({e.run.status})' for e in above) or 'none'}.")
    if slowest is not None:
        epochs = reached[slowest.name]
        summary += (f" {slowest.name} " + ("never came within 2% of the best validation MSE." if epochs is None
                                           else f"came within 2% of the best validation MSE after "
                                                f"{plural(epochs, 'epoch')}."))
    return Lesson(claim, calm and blew and slow, summary,
                  {"stability_limit": limit, "below": [e.name for e in below], "above": [e.name for e in above],
                   "status": {e.name: e.run.status for e in cmp.entries}, "epochs_to_best": reached})


def _picture_learning_rate(cmp):
    from lossplay.plots.demos import learning_rates

    return learning_rates(cmp, stability_limit(cmp))


# -- optimizers --------------------------------------------------------------------------


def _report_optimizers(cmp):
    speed = cmp.speed()
    reached = speed["epochs"]
    lines = [f"Target: a {_split_words(cmp)} MSE within {speed['within']:.0%} of the best final one."]
    for entry in cmp.entries:
        epoch = reached[entry.name]
        when = f"reached it at epoch {epoch}" if epoch is not None else "never reached it"
        lines.append(f"{entry.name} (lr {number(entry.run.config.lr)}): {when}; final training cost "
                     f"{number(entry.run.history[-1].train_loss, 3)} ({_finding_words(entry.run)}).")
    return lines


def _check_optimizers(cmp):
    claim = ("in a narrow valley plain SGD crawls along the floor, while momentum, RMSprop and Adam reach the "
             "bottom sooner")
    sgd = [e for e in cmp.entries  # plain gradient descent: no momentum, no per-parameter scaling
           if not e.run.experiment.optimizer.adaptive and not e.run.experiment.optimizer.carries_momentum]
    reached = cmp.speed()["epochs"]
    others = [e for e in cmp.entries if e not in sgd]
    if not sgd or not others:
        return Lesson(claim, False, "The comparison needs plain SGD and another optimizer.")
    slowest = max((reached[e.name] for e in sgd), key=lambda v: float("inf") if v is None else v)
    faster = [e.name for e in others if reached[e.name] is not None
              and (slowest is None or reached[e.name] <= 0.75 * slowest)]
    holds = len(faster) == len(others) and not any(e.run.status == "diverged" for e in cmp.entries)
    split = _split_words(cmp)
    when = f"never got within 2% of the best {split} MSE" if slowest is None else \
        f"needed {plural(slowest, 'epoch')} to get within 2% of the best {split} MSE"
    summary = f"Plain SGD {when}; " + ", ".join(
        f"{e.name} {'never' if reached[e.name] is None else plural(reached[e.name], 'epoch')}" for e in others) + "."
    return Lesson(claim, holds, summary, {"epochs_to_best": reached, "faster_than_sgd": faster})


def valley(cmp):
    """The comparison's runs as a ``Landscape``: the objective over (w, b) and each run's path, epoch by
    epoch (the demo trains a 1-feature line with full batches, so each epoch is one update)."""
    from lossplay.landscapes import Landscape, OptimizerPath, exact_minimum, grid_axes, objective, objective_grid

    experiment = cmp.entries[0].run.experiment
    paths = []
    for entry in cmp.entries:
        run = entry.run
        points = np.array([record.params[:2] for record in run.history])
        costs = np.array([objective(experiment, p) for p in points])
        paths.append(OptimizerPath(entry.name, run.config.optimizer, run.config.lr,
                                   run.experiment.optimizer.params(), points, costs,
                                   "diverged" if run.status == "diverged" else "completed"))
    start = experiment.theta0[:2].copy()
    exact = exact_minimum(experiment)
    centre = exact if exact is not None else paths[0].points[-1]
    first, second = grid_axes(start, centre, paths, 101)
    return Landscape(experiment, ("w", "b"), (first, second), objective_grid(experiment, first, second), start,
                     paths, exact, reference=(exact, objective(experiment, exact)) if exact is not None else
                     (None, np.inf))


def _picture_optimizers(cmp):
    return valley(cmp).plot()


# -- imbalance ---------------------------------------------------------------------------


def confusion(run):
    """The validation confusion matrix of a binary run: rows are the true class, columns the predicted."""
    return np.array(run.evaluation("val")["confusion_matrix"])


def recalls(run):
    """The recall of each class on the validation rows: the share of its rows the model finds."""
    counts = confusion(run)
    totals = counts.sum(axis=1)
    return np.divide(np.diag(counts), totals, out=np.zeros(len(totals)), where=totals > 0)


def _report_imbalance(cmp):
    data = cmp.data
    share = float(np.mean(data.y_val == 0))
    lines = [f"{share:.1%} of the validation rows are class 0: a model that always answers 0 scores "
             f"{share:.1%} accuracy and finds none of class 1."]
    for entry in cmp.entries:
        metrics = entry.run.metrics["val"]
        counts = confusion(entry.run)
        found = recalls(entry.run)
        lines.append(f"{entry.name}: accuracy {metrics['accuracy']:.1%}; recall on class 0 {found[0]:.0%}, on "
                     f"class 1 {found[1]:.0%} ({counts[1, 1]} of {counts[1].sum()} found); precision "
                     f"{metrics['precision']:.0%} ({counts[0, 1]} false alarms).")
    return lines


def _check_imbalance(cmp):
    claim = ("balanced class weights find more of the rare class (a higher recall on class 1) at the price of "
             "some accuracy, which the plain model's high accuracy hides")
    plain = next((e for e in cmp.entries if e.changes.get("class_weight") in (None, "none")), None)
    weighted = next((e for e in cmp.entries if e.changes.get("class_weight") == "balanced"), None)
    if plain is None or weighted is None:
        return Lesson(claim, False, "The comparison needs a plain and a balanced run.")
    rare = int(np.sum(cmp.data.y_val == 1))
    plain_recall, weighted_recall = recalls(plain.run)[1], recalls(weighted.run)[1]
    margin = max(0.1, 2.0 / rare) if rare else 1.0
    gains = weighted_recall - plain_recall > margin
    accuracy = {e.name: e.run.metrics["val"]["accuracy"] for e in (plain, weighted)}
    costs = accuracy[weighted.name] <= accuracy[plain.name]
    summary = (f"Recall on class 1 ({rare} validation rows): {plain.name} {plain_recall:.0%}, {weighted.name} "
               f"{weighted_recall:.0%}; accuracy {accuracy[plain.name]:.1%} and {accuracy[weighted.name]:.1%}.")
    return Lesson(claim, gains and costs, summary,
                  {"recall_class_1": {plain.name: plain_recall, weighted.name: weighted_recall},
                   "accuracy": accuracy, "rare_rows": rare})


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
             _report_outliers, _check_outliers),
        Demo("overfitting", "Overfitting, and a penalty that cures it",
             "few rows, many features: the model memorises them; an L2 penalty keeps it honest",
             "demo_overfitting.toml",
             "Logistic regression on the breast cancer data with 90% of the rows held out for validation: "
             "about 57 tumours to learn 30 measurements from, for 1000 epochs — without a penalty, then with "
             "an L2 penalty λ·½‖w‖² of growing λ.",
             "The training cost keeps falling while the validation cost turns back up; and with a penalty, "
             "the objective (cost + penalty) that the optimizer minimises is no longer the cost.",
             "With almost as many weights as training rows, the model can draw a boundary that puts every "
             "training row on its right side, and then only grows more confident: the training cost keeps "
             "falling towards 0 while the cost on unseen rows rises, because its confident mistakes there cost "
             "more and more. That turn is overfitting, and the epoch where validation is lowest is where to "
             "stop. An L2 penalty makes large weights cost something, so the optimizer trades a little "
             "training cost for a calmer model; too large a λ smooths away the signal too.",
             _report_overfitting, _check_overfitting),
        Demo("accuracy-vs-loss", "Accuracy vs loss: the same accuracy, a different cross-entropy",
             "two models with the same accuracy and very different cross-entropy",
             "demo_accuracy_vs_loss.toml",
             "Two imagined models that are each right on 9 of 10 rows, then one real logistic model on the "
             "breast cancer data, stopped early and trained for long.",
             "Identical accuracies next to cross-entropies far apart, and how confident each model is when "
             "it is wrong.",
             "Accuracy counts right answers; cross-entropy also weighs how sure each answer was, and punishes "
             "a confident mistake without bound. A model can keep its accuracy while growing overconfident, "
             "and only the loss shows it. That is why training minimises the loss and people read the accuracy.",
             _report_accuracy, _check_accuracy, _picture_accuracy),
        Demo("learning-rate", "The learning rate: too small, good, too large",
             "three learning rates, and the largest stable one computed from the data",
             "demo_learning_rate.toml",
             "Full-batch gradient descent on a straight line with three learning rates: 0.01, 0.5 and 1.2.",
             "The slow crawl, the quick descent, and the run whose cost explodes — and the bound, computed "
             "from the data, that separates them.",
             "For gradient descent on the MSE, each step multiplies the error along the Hessian's steepest "
             "direction by (1 − lr·λmax). Below lr = 2/λmax that factor shrinks the error; above it the error "
             "grows at every step, and the run diverges. Too small a rate is safe but slow.",
             _report_learning_rate, _check_learning_rate, _picture_learning_rate),
        Demo("optimizers", "Optimizers racing down a valley",
             "SGD, SGD with momentum, RMSprop and Adam in a long, narrow valley",
             "demo_optimizers.toml",
             "A straight line fitted to x between −30 and 30, in the data's own units: the cost is steep in the "
             "slope w and shallow in the intercept b, a long narrow valley. Plain SGD and SGD with momentum at "
             "0.0025, below the limit the steep direction sets, RMSprop at 0.03 and Adam at 0.1, all with full "
             "batches from the same start.",
             "Which optimizer is first to the bottom, how each path crosses the valley, and which one is still "
             "crawling along its floor when the race ends.",
             "The steep direction caps plain SGD's rate (lr < 2/λmax), and with that rate the shallow direction "
             "moves by a tiny step at a time. Momentum adds up the steps that agree (along the floor) and "
             "cancels those that alternate (across it). RMSprop and Adam divide each parameter's step by the "
             "size of its own recent gradients, so the steep and the shallow parameter move at similar speeds "
             "(this works because the valley runs along a parameter's axis); Adam adds momentum too.",
             _report_optimizers, _check_optimizers, _picture_optimizers),
        Demo("imbalance", "Imbalanced classes: when accuracy flatters",
             "95% of one class: high accuracy, poor recall, and class weights",
             "demo_imbalance.toml",
             "A binary dataset with about 5% of class 1, fitted with plain cross-entropy and with balanced "
             "class weights (each class weighs n / (2·its count)).",
             "The accuracy that stays high while recall on the rare class is poor, the recall of each class, "
             "and the confusion matrices.",
             "When one class dominates, accuracy mostly measures the common class: always answering 'class 0' "
             "already scores 95%. Recall asks how many of the rare rows were found. Weighting the rare class "
             "in the cost makes each of its mistakes count more, which raises recall at the price of false "
             "alarms: the trade-off is a choice, not a bug.",
             _report_imbalance, _check_imbalance),
    )
}
