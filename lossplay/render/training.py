"""What ``lossplay train`` prints: the run's description, the live table and the summary."""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from rich import box
from rich.console import Group
from rich.panel import Panel
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from lossplay.evaluation import per_class
from lossplay.formatting import parameter_numbers, plural
from lossplay.observers import Observer
from lossplay.reference import stable_lr_limit
from lossplay.render.common import (
    ROOM_FOR_CTRL_C,
    STATUS_STYLE,
    STATUS_TITLE,
    Fitted,
    Hanging,
    main_metric,
    number,
    parameter_spreads,
    shell_lines,
    shown,
)
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
        f"{plural(c.epochs, 'epoch')}, {batch}" + "".join(f"; {e}" for e in extras) + "."
    )
    print_notes(console, experiment.notes)


def print_notes(console, notes):
    for note in notes:
        console.print(f"[yellow]Note:[/] {shown(note)}")


class EpochBar:
    """``training ━━━━━━╸━━━━━━ 40/100 epochs 0:00:03``: a one-line progress bar.

    Drawn in a tenth of the time of rich's general ``Progress`` table, which matters because the
    bar is redrawn whenever a row is printed above it. It leaves ``ROOM_FOR_CTRL_C`` columns free
    at the right, so that a Ctrl-C does not leave a second bar on the screen.
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
        words = len("training ") + len(" ") + len(count) + len(" epochs ") + len(elapsed)
        self.bar.width = max(options.max_width - words - ROOM_FOR_CTRL_C, 10)
        yield Segment("training ", self.BOLD)
        yield from self.bar.__rich_console__(console, options)
        yield from (Segment(" "), Segment(count, self.GREEN), Segment(" epochs "), Segment(elapsed, self.YELLOW))
        yield Segment.line()


@dataclass(frozen=True)
class LiveColumn:
    """One column of the live table: its heading and the text of its cell for an epoch's record."""

    key: str
    label: str
    cell: Callable[[Any], str]


class LiveTraining(Observer):
    """A progress bar at the bottom of the terminal and a table row every ``log_every`` epochs.

    Rows are printed once, above the bar, and the bar alone is redrawn. Both happen at most
    ``REDRAWS_PER_SECOND`` times a second (rows that arrive faster wait for the next redraw),
    so drawing costs the same small share of any run, however fast its epochs.

    With ``pace`` (seconds) each row is printed as soon as it is logged and stays alone on the screen for
    that long before training goes on, so that a class can read it; the wait happens here, in the display
    that listens to the loop, never in the loop. It ends at once when ``stop`` (the run's ``StopSignal``)
    is set by a Ctrl-C, so that the run stops after its current step and is saved as usual.

    The table fits the console's width: its columns are those that fit, in the order ``DROPPED_FIRST``
    leaves them out (the objective first when it is the cost, without a penalty), with a note naming
    those left out. Without a validation split there is no validation column and the metric is the
    training split's, labelled so.
    """

    NUMBER_WIDTH = 10  # the widest string number() makes with 4 digits: "-1.235e+10"
    REDRAWS_PER_SECOND = 8
    GAP = "   "
    NAP = 0.1  # seconds: how often a paced wait looks for a Ctrl-C and redraws the bar's clock
    # the columns a narrow terminal leaves out, first to last (the objective first only without a penalty)
    DROPPED_FIRST = ("grad_norm", "objective", "metric")

    def __init__(self, console, epochs, task, log_every=None, *, validation=True, penalty=False, pace=0.0,
                 stop=None):
        self.console = console
        self.epochs = epochs
        self.log_every = log_every or max(1, math.ceil(epochs / 10))
        self.pace = pace
        self.stop = stop
        self.columns, self.left_out = self._columns(task, validation, penalty, console.width)
        self.widths = [max(len(column.label), self.NUMBER_WIDTH) for column in self.columns]
        self.widths[0] = max(len("epoch"), len(str(epochs)))
        self.header = self._line([column.label for column in self.columns])
        self.bar = EpochBar(epochs)
        self.live = None
        self.pending = Text()  # rows not printed yet
        self.printed_at = -math.inf
        self.last_row = None
        self.latest = None

    def _columns(self, task, validation, penalty, width):
        """The columns that fit in ``width``, and the labels of those left out."""
        metric, metric_label = main_metric(task)
        split = "val" if validation else "train"

        def metric_cell(record):
            metrics = record.val_metrics if validation else record.train_metrics
            return number(None if metrics is None else metrics[metric])

        columns = [
            LiveColumn("epoch", "epoch", lambda r: str(r.epoch)),
            LiveColumn("train_loss", "train cost", lambda r: number(r.train_loss)),
            *([LiveColumn("val_loss", "val cost", lambda r: number(r.val_loss))] if validation else []),
            LiveColumn("objective", "objective", lambda r: number(r.objective)),
            LiveColumn("metric", f"{split} {metric_label}", metric_cell),
            LiveColumn("grad_norm", "‖gradient‖", lambda r: number(r.grad_norm)),
        ]
        order = self.DROPPED_FIRST if penalty else ("objective", *(k for k in self.DROPPED_FIRST if k != "objective"))
        left_out = []
        for key in order:
            if self._table_width(columns) <= width:
                break
            left_out += [column.label for column in columns if column.key == key]
            columns = [column for column in columns if column.key != key]
        return columns, left_out

    def _table_width(self, columns):
        epoch = max(len("epoch"), len(str(self.epochs)))
        numbers = sum(max(len(column.label), self.NUMBER_WIDTH) for column in columns[1:])
        return epoch + numbers + len(self.GAP) * (len(columns) - 1)

    def _line(self, cells):
        return self.GAP.join(cell.rjust(width) for cell, width in zip(cells, self.widths))

    def on_train_begin(self, loop):
        if self.left_out:  # a sentence, wrapped to the width (the rows are printed as they are)
            self.console.print()
            self.console.print(f"Left out at this width: {', '.join(self.left_out)} (history.csv has every column).",
                               style="dim")
        self.pending = Text.assemble("" if self.left_out else "\n", (self.header, "bold"), "\n",
                                     "─" * len(self.header))

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
        if self.pending:
            self.pending.append("\n")
        self.pending.append(self._line([column.cell(record) for column in self.columns]),
                            style=None if record.finite else "red")
        self.last_row = record.epoch

    def _print_pending(self, now=None):
        if self.pending:
            self.console.print(self.pending, soft_wrap=True)
            self.pending = Text()
            self.printed_at = time.monotonic() if now is None else now

    def on_epoch_end(self, record):
        self.bar.completed = record.epoch
        logged = record.epoch % self.log_every == 0 or record.epoch == self.epochs or not record.finite
        if logged:
            self._add_row(record)
        now = time.monotonic()
        if self.live is None:
            self._print_pending(now)
            self._start_bar()
        elif (logged and self.pace) or now - self.printed_at >= 1 / self.REDRAWS_PER_SECOND:
            if self.pending:
                self._print_pending(now)
            elif self.live:
                self.live.refresh()
                self.printed_at = now
        if logged and self.pace and record.epoch < self.epochs:
            self._wait(self.pace)
        self.latest = record

    def _wait(self, seconds):
        """Leave the last row alone on the screen for ``seconds``, in naps of ``NAP`` seconds that end at
        once when a Ctrl-C has asked the run to stop; the bar's clock is redrawn after each."""
        left = seconds
        while left > 0 and not (self.stop is not None and self.stop.requested):
            nap = min(left, self.NAP)
            time.sleep(nap)
            left -= nap
            if self.live:
                self.live.refresh()
        self.printed_at = time.monotonic()

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
    split = run.judged_split
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
    rows, predicted = counts.sum(axis=1), counts.sum(axis=0)
    for i, name in enumerate(names):  # a share of no row is shown as —, not 0%
        table.add_row(shown(name), *(str(c) for c in counts[i]), f"{recall[i]:.0%}" if rows[i] else "—")
    table.add_row("precision", *(f"{v:.0%}" if n else "—" for v, n in zip(precision, predicted)), "",
                  style="dim")
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


@dataclass(frozen=True)
class ParamColumn:
    """A column of the learned-parameters table: its heading, its short heading with the words that
    explain it (for a narrow terminal), and its cells."""

    label: str
    short: str
    legend: str | None
    cells: list


def _param_table(names, columns, short=False, fold=False):
    """The parameters table: the full headings, or (``short``) the short ones with a legend under it; with
    ``fold`` a long parameter name is folded onto more lines (the narrowest layout) rather than cut."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("parameter", overflow="fold" if fold else "ellipsis")
    for column in columns:
        table.add_column(column.short if short else column.label, justify="right", no_wrap=True)
    for i, name in enumerate(names):
        table.add_row(name, *(column.cells[i] for column in columns))
    legend = [f"{c.short}: {c.legend}" for c in columns if short and c.legend]
    return Group(table, Text("; ".join(legend) + ".", style="dim")) if legend else table


def _fitted_params(names, columns, optional=()):
    """The table with full headings, else short ones, else without the ``optional`` columns (labels), the
    last first, until it fits the width it is drawn at."""
    layouts = [lambda: _param_table(names, columns), lambda: _param_table(names, columns, short=True)]
    kept = list(columns)
    for label in reversed(optional):
        kept = [column for column in kept if column.label != label]
        layouts.append(lambda kept=kept: _param_table(names, kept, short=True))
    layouts.append(lambda: _param_table(names, kept, short=True, fold=True))
    return Fitted(*layouts)


def _vector_params(run):
    """One row per weight and the bias: learned, in original units, least squares, true (each written with
    ``parameter_numbers``: float noise shows as 0)."""
    data, config = run.data, run.config
    weights, bias = run.params["weights"], run.params["bias"]
    standardized = data.transform.mean is not None
    model_spreads, original_spreads = parameter_spreads(data), parameter_spreads(data, "original")

    def cells(w, b, spreads):
        return parameter_numbers([*w, b], spreads)

    columns = [ParamColumn("learned (standardised)" if standardized else "learned", "learned",
                           "in standardised units" if standardized else None,
                           cells(weights, bias, model_spreads))]
    if standardized:
        columns.append(ParamColumn("original units", "original", "in the data's units",
                                   cells(*run.original_params(), original_spreads)))
    lsq = run.least_squares()
    optional = []
    if lsq is not None:
        reference = data.transform.to_original_units(*lsq) if standardized else lsq
        label, short = ("least squares", "least sq.") if run.config.l2 == 0 else ("exact minimum", "exact min.")
        columns.append(ParamColumn(label, short, None, cells(*reference, original_spreads)))
        optional.append(label)
    true = data.true_params
    if true is not None and config.poly_degree == 1 and len(true["weights"]) == weights.shape[0]:
        columns.append(ParamColumn("true", "true", None, cells(true["weights"], true["bias"], original_spreads)))
        optional.append("true")
    return _fitted_params(_parameter_names(data), columns, optional)


def _matrix_params(run):
    """One row per weight and the bias, one column per class (softmax); float noise shows as 0."""
    data = run.data
    rows = np.vstack([run.params["weights"], run.params["bias"][None, :]])
    spreads = np.repeat(parameter_spreads(data), rows.shape[1])
    cells = np.array(parameter_numbers(rows.ravel(), spreads)).reshape(rows.shape)
    columns = [ParamColumn(shown(f"class {name}"), shown(str(name)), None, list(cells[:, c]))
               for c, name in enumerate(data.classes)]
    return _fitted_params(_parameter_names(data), columns)


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
    title = (f"{STATUS_TITLE.get(run.status, run.status)}: {plural(run.epochs_run, 'epoch')}, "
             f"{plural(run.outcome.steps, 'update')}")
    return Panel(Group(*parts), title=title, title_align="left", border_style=style, padding=(0, 1))
