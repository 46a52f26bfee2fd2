"""What ``lossplay compare`` prints: a progress bar per run, the comparison table and its lesson."""

from rich import box
from rich.console import Group
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text

from lossplay.formatting import plural
from lossplay.observers import Observer
from lossplay.render.common import Fitted, Narrower, number, shown
from lossplay.terminal import printable

# the words of the handout's table too (report.common.STATUS_TITLES)
STATUS_WORDS = {"completed": "completed", "diverged": "[red]diverged[/]", "interrupted": "[yellow]interrupted[/]",
                "early_stopped": "stopped early"}
TITLES = {"mse": "MSE", "mae": "MAE", "r2": "R²", "accuracy": "accuracy", "f1": "F1", "log_loss": "log loss"}


def describe_comparison(built):
    """One line: how many runs, on which data, and their names."""
    base = built[0][1].config
    return (f"Comparing {plural(len(built), 'run')} on [bold]{shown(base.dataset)}[/]: "
            f"{', '.join(shown(variant.name) for variant, _ in built)}.")


class NarrowerProgress(Progress):
    """rich's ``Progress``, drawn ``ROOM_FOR_CTRL_C`` columns short of the terminal's width so that a Ctrl-C
    leaves no second copy of the bars on the screen."""

    def get_renderable(self):
        return Narrower(super().get_renderable())


class CompareProgress:
    """One progress bar per run, each showing the run's latest validation (or training) cost."""

    def __init__(self, console, quiet=False):
        self.progress = NarrowerProgress(
            TextColumn("{task.description}", style="bold"), BarColumn(bar_width=24), MofNCompleteColumn(),
            TextColumn("{task.fields[cost]}"), console=console, disable=quiet,
        )

    def __enter__(self):
        self.progress.start()
        return self

    def __exit__(self, *exc):
        self.progress.stop()

    def observers_for(self, variant, experiment):
        task = self.progress.add_task(shown(variant.name), total=experiment.config.epochs, cost="")
        return [_RunBar(self.progress, task)]


class _RunBar(Observer):
    def __init__(self, progress, task):
        self.progress = progress
        self.task = task

    def on_epoch_end(self, record):
        if record.val_loss is not None:
            cost = f"val cost {number(record.val_loss)}"
        else:
            cost = f"train cost {number(record.train_loss)}"
        self.progress.update(self.task, completed=record.epoch, cost=cost)

    def on_train_end(self, outcome):
        if outcome.status != "completed":
            self.progress.update(self.task, cost=f"{outcome.status} at epoch {outcome.epochs_run}")


def comparison_table(cmp):
    """The runs side by side on the common metrics, the best value of each in bold green.

    In a narrow terminal the status goes under the run's name, and the fitted line and the outlier pull
    move to a table of their own (see ``Fitted``).
    """
    return Fitted(lambda: _metrics_table(cmp, wide=True), lambda: Group(_metrics_table(cmp), _lines_table(cmp)))


def _title(cmp):
    split = "validation" if cmp.split == "val" else "training"
    clean = " (clean: no corrupted rows)" if cmp.data.outliers.any() and cmp.split == "val" else ""
    return f"Compared on the {split} split{clean}"


def _run_cell(entry, wide):
    """The run's name; in the narrow table, with its status under it when it did not simply complete."""
    name = shown(entry.name)
    status = entry.run.status
    if wide or status == "completed":
        return name
    return f"{name}\n{STATUS_WORDS.get(status, status)}"


def _metrics_table(cmp, wide=False):
    """The table of the runs: status, own cost and the common metrics, and (``wide``) the fitted line and
    the outlier pull too."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title=_title(cmp))
    table.add_column("run", no_wrap=True)
    if wide:
        table.add_column("status", no_wrap=True)
    table.add_column("own\ncost", justify="right", no_wrap=True)
    for metric in cmp.common_metrics:
        table.add_column(TITLES[metric], justify="right", no_wrap=True)
    extra = _line_columns(cmp) if wide else []
    for label in extra:
        table.add_column(label, justify="right", no_wrap=True)
    best = cmp.best()
    for entry, line_cells in zip(cmp.entries, _line_cells(cmp)):
        run = entry.run
        cells = [_run_cell(entry, wide), *([STATUS_WORDS.get(run.status, run.status)] if wide else [])]
        if run.status == "diverged":  # its parameters are meaningless: no numbers, just the mark
            table.add_row(*cells, *["—"] * (len(table.columns) - len(cells)), style="red")
            continue
        own = run.metrics["val" if cmp.split == "val" else "train"]
        cells.append(number(own["loss"] if own else None))
        common = cmp.common(entry)
        for metric in cmp.common_metrics:
            text = number(common[metric])
            cells.append(f"[bold green]{text}[/]" if entry.name in best[metric] else text)
        table.add_row(*cells, *(line_cells if wide else []))
    true_line = _true_line(cmp)
    if wide and true_line is not None:
        blanks = [""] * (len(table.columns) - 1 - len(extra))
        table.add_row("[dim]true[/]", *blanks, *true_line)
    return table


def _line_columns(cmp):
    """The headings of the fitted line and outlier pull columns, those this comparison has."""
    labels = []
    if any(cmp.line(e) is not None for e in cmp.entries):
        labels.append("fitted line")
    if any(cmp.outlier_share(e) is not None for e in cmp.entries):
        labels.append("outlier\npull")
    return labels


def _line_cells(cmp):
    """Each run's cells under ``_line_columns``."""
    columns = _line_columns(cmp)
    rows = []
    for entry in cmp.entries:
        line, share = cmp.line(entry), cmp.outlier_share(entry)
        cells = []
        if "fitted line" in columns:
            cells.append("—" if line is None else f"{number(line[0], 3)}x {_signed(line[1])}")
        if "outlier\npull" in columns:
            cells.append("—" if share is None else f"{share:.0%}")
        rows.append(cells)
    return rows


def _true_line(cmp):
    """The cells of the 'true' row under ``_line_columns``, or None when there is no line to show."""
    true = cmp.true_params
    columns = _line_columns(cmp)
    if "fitted line" not in columns or true is None:
        return None
    return [f"[dim]{true['weights'][0]:g}x {_signed(true['bias'])}[/]", *([""] if len(columns) > 1 else [])]


def _lines_table(cmp):
    """The fitted lines and outlier pulls in a table of their own (the narrow layout), or nothing."""
    columns = _line_columns(cmp)
    if not columns:
        return Group()
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("run", no_wrap=True)
    for label in columns:
        table.add_column(label, justify="right", no_wrap=True)
    for entry, cells in zip(cmp.entries, _line_cells(cmp)):
        if entry.run.status == "diverged":
            table.add_row(shown(entry.name), *["—"] * len(columns), style="red")
        else:
            table.add_row(shown(entry.name), *cells)
    true_line = _true_line(cmp)
    if true_line is not None:
        table.add_row("[dim]true[/]", *true_line)
    return table


def _signed(value):
    return f"+ {number(value, 3)}" if value >= 0 else f"− {number(-value, 3)}"


def comparison_summary(cmp):
    """The table, what its columns mean, and the sentences that read it."""
    parts = [comparison_table(cmp)]
    notes = ["own cost: each run's own loss, on its own scale; the other columns are one yardstick for all."]
    if any(cmp.outlier_share(e) is not None for e in cmp.entries):
        notes.append("outlier pull: the share of the total gradient that comes from the corrupted rows, at the "
                     "final parameters (under MSE a far-off row pulls hard; under MAE each row pulls at most 1).")
    parts += [Text(note, style="dim") for note in notes]
    parts.append(Text(""))
    parts += [Text(sentence, style="bold") for sentence in cmp.lesson()]
    if cmp.folder is not None:
        pictures = [name for name in ("compare.png", "compare.gif") if (cmp.folder / name).exists()]
        pictures = ", ".join(pictures) + " and " if pictures else ""
        parts.append(Text(f"Saved in {printable(cmp.folder)}/: compare.json, {pictures}one run folder per run."))
    return Group(*parts)
