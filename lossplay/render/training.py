"""What ``lossplay train`` prints: the run's description, the live table and the summary."""

import math
import time

import numpy as np
from rich import box
from rich.console import Group
from rich.panel import Panel
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from lossplay.evaluation import per_class
from lossplay.observers import Observer
from lossplay.reference import stable_lr_limit
from lossplay.render.common import STATUS_STYLE, STATUS_TITLE, Hanging, main_metric, number, shell_lines, shown
from lossplay.terminal import printable
from lossplay.verdicts import KIND_TITLES


def describe_run(console, experiment):
    """One paragraph saying what is about to be trained, then any notes."""
    c, data = experiment.config, experiment.data
    batch = "full batch" if c.batch_size == 0 else f"batches of {c.batch_size}"
    val = f"{data.n_val} validation rows" if data.n_val else "no validation rows"
    features = f"{data.n_features} feature{'s' if data.n_features != 1 else ''}"
    extras = []
    if c.outliers:
        extras.append(f"{int(data.outliers.sum())} corrupted training targets")
    if c.l1 or c.l2:
        extras.append("penalty " + " + ".join(f"{k} {v:g}" for k, v in (("L1", c.l1), ("L2", c.l2)) if v))
    console.print(
        f"Training a [bold]{c.model}[/] model with [bold]{c.loss_label}[/] loss and [bold]{c.optimizer_label}[/] "
        f"(lr {c.lr:g}) on [bold]{shown(c.dataset)}[/]: {data.n_train} training rows, {val}, {features}; "
        f"{c.epochs} epochs, {batch}" + "".join(f"; {e}" for e in extras) + "."
    )
    print_notes(console, experiment.notes)


def print_notes(console, notes):
    for note in notes:
        console.print(f"[yellow]Note:[/] {shown(note)}")


class EpochBar:
    """``training ━━━━━━╸━━━━━━ 40/100 epochs 0:00:03``: a one-line progress bar.

    Drawn in a tenth of the time of rich's general ``Progress`` table, which matters because the
    bar is redrawn whenever a row is printed above it.
    """

    BOLD, GREEN, YELLOW = Style(bold=True), Style(color="green"), Style(color="yellow")

    def __init__(self, total):
        from rich.progress_bar import ProgressBar

        self.total = total
        self.completed = 0
        self.started = time.monotonic()
        self.bar = ProgressBar(total=total)

    def __rich_console__(self, console, options):
        seconds = int(time.monotonic() - self.started)
        elapsed = f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        count = f"{self.completed:>{len(str(self.total))}}/{self.total}"
        self.bar.completed = self.completed
        self.bar.width = max(options.max_width - len("training ") - len(count) - len(elapsed) - 9, 10)
        yield Segment("training ", self.BOLD)
        yield from self.bar.__rich_console__(console, options)
        yield from (Segment(" "), Segment(count, self.GREEN), Segment(" epochs "), Segment(elapsed, self.YELLOW))
        yield Segment.line()


class LiveTraining(Observer):
    """A progress bar at the bottom of the terminal and a table row every ``log_every`` epochs.

    Rows are printed once, above the bar, and the bar alone is redrawn. Both happen at most
    ``REDRAWS_PER_SECOND`` times a second (rows that arrive faster wait for the next redraw),
    so drawing costs the same small share of any run, however fast its epochs.
    """

    NUMBER_WIDTH = 10  # the widest string number() makes with 4 digits: "-1.235e+10"
    REDRAWS_PER_SECOND = 8

    def __init__(self, console, epochs, task, log_every=None):
        self.console = console
        self.epochs = epochs
        self.log_every = log_every or max(1, math.ceil(epochs / 10))
        self.metric, metric_label = main_metric(task)
        labels = ("epoch", "train cost", "val cost", "objective", f"val {metric_label}", "‖gradient‖")
        self.widths = [max(len("epoch"), len(str(epochs)))] + [max(len(label), self.NUMBER_WIDTH)
                                                                 for label in labels[1:]]
        self.header = self._line(labels)
        self.bar = EpochBar(epochs)
        self.live = None
        self.pending = Text()  # rows not printed yet
        self.printed_at = -math.inf
        self.last_row = None
        self.latest = None

    def _line(self, cells):
        return "   ".join(cell.rjust(width) for cell, width in zip(cells, self.widths))

    def on_train_begin(self, loop):
        self.pending = Text.assemble("\n", (self.header, "bold"), "\n", "─" * len(self.header))

    def _start_bar(self):
        """The bar appears under the header and first row (one drawing fewer than before them).

        Output that goes to a file or a pipe gets the rows alone: a bar there is only noise.
        """
        if not self.console.is_terminal:
            self.live = False
            return
        from rich.live import Live

        self.live = Live(self.bar, console=self.console, auto_refresh=False)
        self.live.start()

    def _add_row(self, record):
        split = record.val_metrics if record.val_metrics is not None else record.train_metrics
        cells = (str(record.epoch), number(record.train_loss), number(record.val_loss), number(record.objective),
                 number(split[self.metric]), number(record.grad_norm))
        if self.pending:
            self.pending.append("\n")
        self.pending.append(self._line(cells), style=None if record.finite else "red")
        self.last_row = record.epoch

    def _print_pending(self, now=None):
        if self.pending:
            self.console.print(self.pending, soft_wrap=True)
            self.pending = Text()
            self.printed_at = time.monotonic() if now is None else now

    def on_epoch_end(self, record):
        self.bar.completed = record.epoch
        if record.epoch % self.log_every == 0 or record.epoch == self.epochs or not record.finite:
            self._add_row(record)
        now = time.monotonic()
        if self.live is None:
            self._print_pending(now)
            self._start_bar()
        elif now - self.printed_at >= 1 / self.REDRAWS_PER_SECOND:
            if self.pending:
                self._print_pending(now)
            elif self.live:
                self.live.refresh()
                self.printed_at = now
        self.latest = record

    def on_train_end(self, outcome):
        record = self.latest
        if record is not None and record.epoch != self.last_row:
            self._add_row(record)
        self._print_pending()
        if self.live:
            self.live.stop()
        self.console.print()


def _metrics_table(run):
    names = ["loss", *run.history[-1].train_metrics]
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("metric")
    table.add_column("training", justify="right")
    table.add_column("validation", justify="right")
    train, val = run.metrics["train"], run.metrics["val"]
    for name in names:
        label = f"loss ({run.config.loss_label} cost)" if name == "loss" else name
        table.add_row(label, number(train[name]), number(None if val is None else val[name]))
    return table


def classifier_block(run):
    """A classifier's confusion matrix of its validation split (training without one), with each true class's
    recall and each predicted class's precision, and for a binary task the ROC and precision-recall areas and
    the calibration error; [] for regression or parameters that are not finite."""
    split = "val" if run.data.n_val else "train"
    evaluation = run.evaluation(split) if run.data.task != "regression" else None
    if evaluation is None:
        return []
    counts = np.array(evaluation["confusion_matrix"])
    names = list(run.data.classes or [str(c) for c in range(run.data.n_classes)])
    precision, recall = per_class(counts)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("true \\ predicted")
    for name in names:
        table.add_column(shown(name), justify="right")
    table.add_column("recall", justify="right")
    for i, name in enumerate(names):
        table.add_row(shown(name), *(str(c) for c in counts[i]), f"{recall[i]:.0%}")
    table.add_row("precision", *(f"{v:.0%}" for v in precision), "", style="dim")
    words = "validation" if split == "val" else "training"
    rule = f", p ≥ {run.config.threshold:g} is class 1" if run.data.task == "binary" else ""
    parts = [Text(f"Confusion matrix of the {counts.sum()} {words} rows (rows: true class{rule}):", style="bold"),
             table]
    if run.data.task == "binary":
        areas = [f"ROC area {number(evaluation['roc_auc'])}" if evaluation["roc_auc"] is not None else
                 "no ROC area (one class only among these rows)"]
        if evaluation["average_precision"] is not None:
            areas.append(f"average precision {number(evaluation['average_precision'])}")
        areas.append(f"calibration error {number(evaluation['ece'])}")
        drawn = " (classifier.png draws them)" if "classifier" in run.files else ""
        parts.append(Text(" · ".join(areas) + drawn + ".", style="dim"))
    return [*parts, Text("")]


def _params_table(run):
    """Learned parameters of a small model, with the references that exist; None for a large one."""
    weights = run.params["weights"]
    if weights.shape[0] > 12:
        return None
    if weights.ndim == 1:
        return _vector_params(run)
    if weights.shape[1] <= 4:
        return _matrix_params(run)
    return None


def _parameter_names(data):
    return [shown(f"w[{name}]") for name in data.feature_names] + ["b (bias)"]


def _vector_params(run):
    """One row per weight and the bias: learned, in original units, least squares, true."""
    data, config = run.data, run.config
    weights, bias = run.params["weights"], run.params["bias"]
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("parameter")
    standardized = data.transform.mean is not None
    table.add_column("learned (standardised)" if standardized else "learned", justify="right")
    columns = []
    if standardized:
        columns.append(("original units", run.original_params()))
    lsq = run.least_squares()
    if lsq is not None:
        reference = data.transform.to_original_units(*lsq) if standardized else lsq
        columns.append(("least squares" if run.config.l2 == 0 else "exact minimum", reference))
    true = data.true_params
    if true is not None and config.poly_degree == 1 and len(true["weights"]) == weights.shape[0]:
        columns.append(("true", (np.array(true["weights"]), true["bias"])))
    for label, _ in columns:
        table.add_column(label, justify="right")
    learned = [*weights, bias]
    for i, name in enumerate(_parameter_names(data)):
        cells = [number(learned[i])]
        for _, (w, b) in columns:
            cells.append(number(w[i] if i < len(w) else b))
        table.add_row(name, *cells)
    return table


def _matrix_params(run):
    """One row per weight and the bias, one column per class (softmax)."""
    data = run.data
    weights, bias = run.params["weights"], run.params["bias"]
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("parameter")
    for name in data.classes:
        table.add_column(shown(f"class {name}"), justify="right")
    rows = np.vstack([weights, bias[None, :]])
    for name, row in zip(_parameter_names(data), rows):
        table.add_row(name, *(number(v) for v in row))
    return table


FINDING_STYLE = {"converged": "green", "still_improving": "cyan", "unstable": "yellow", "overfitting": "yellow",
                 "diverged": "red", "interrupted": "yellow"}


def findings_block(diagnosis, advice=()):
    """The diagnosis in words: each finding, the notes, then why each piece of checked advice helps
    (its command is printed apart, whole, by ``advice_commands``)."""
    parts = []
    if diagnosis.findings:
        parts.append(Text("What the curves say:", style="bold"))
        for finding in diagnosis.findings:
            text = Text.assemble((f"{KIND_TITLES[finding.kind]}: ", f"bold {FINDING_STYLE[finding.kind]}"),
                                 finding.detail)
            parts.append(Hanging(text))
    for note in diagnosis.notes:
        parts.append(Hanging(Text.assemble(("Note: ", "bold"), note)))
    if advice:
        parts.append(Text("Advice, checked by training it first (the command is below):", style="bold"))
        for item in advice:
            parts.append(Hanging(Text(item.why)))
    return parts


def advice_commands(advice):
    """The commands of checked advice, one per line, to print whole (soft-wrapped, never cut) under
    the summary so that they can be copied."""
    return [Text(shell_lines(printable(item.command)), style="bold") for item in advice]


def summary(run):
    """The end-of-run panel: status, costs, metrics, parameters, the diagnosis and its advice, files."""
    parts = []
    if run.message and run.status != "diverged":
        parts.append(Text(f"Stopped: {run.message}.", style=STATUS_STYLE.get(run.status)))
    kept = run.outcome.kept_epoch
    if kept is not None:
        parts.append(Text(f"The parameters and metrics below are those of epoch {kept}.", style="bold"))
    if run.status == "diverged" and run.experiment.loss.quadratic:
        limit = stable_lr_limit(run.data.X_train, run.config.l2)
        parts.append(Text(
            f"For MSE on these training rows, full-batch gradient descent only converges for "
            f"lr < 2 / (largest eigenvalue of the Hessian) = {number(limit)}.", style="red"))
    diagnosis = run.diagnosis
    final = run.final
    if final.val_loss is not None:
        line = f"Final validation cost {number(final.val_loss)} (training {number(final.train_loss)})"
        best = diagnosis.best_epoch
        if best is not None:
            lowest = next(r for r in run.history if r.epoch == best)
            line += f"; lowest validation cost {number(lowest.val_loss)} at epoch {best}"
        parts.append(Text(line + "."))
    else:
        parts.append(Text(f"Final training cost {number(final.train_loss)} (no validation split)."))
    if run.experiment.penalty.active:
        parts.append(Text(f"Objective = cost + penalty = {number(final.train_loss)} + "
                          f"{number(final.objective - final.train_loss)} = {number(final.objective)}."))
    parts += [Text(""), _metrics_table(run), Text("")]
    parts += classifier_block(run)
    params = _params_table(run)
    weights = run.params["weights"]
    if params is not None:
        heading = "Learned parameters"
        if weights.ndim == 2 and run.data.transform.mean is not None:
            heading += " (in standardised units; run.json has them too)"
        parts += [Text(heading + ":", style="bold"), params]
    else:
        parts.append(Text(f"The {weights.size + np.size(run.params['bias'])} learned parameters are too many "
                          "to list here: they are in run.json.", style="dim"))
    block = findings_block(diagnosis, run.advice())
    if block:
        parts += [Text(""), *block]
    if run.folder is not None:
        files = ", ".join(run.files.values())
        parts += [Text(""), Text(f"Saved in {printable(run.folder)}/: run.json, {files}")]
    style = STATUS_STYLE.get(run.status, "white")
    title = f"{STATUS_TITLE.get(run.status, run.status)}: {run.epochs_run} epochs, {run.outcome.steps} updates"
    return Panel(Group(*parts), title=title, title_align="left", border_style=style, padding=(0, 1))
