"""What ``lossplay compare`` prints: a progress bar per run, the comparison table and its lesson."""

from rich import box
from rich.console import Group
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from rich.text import Text

from lossplay.observers import Observer
from lossplay.render.common import number, shown
from lossplay.terminal import printable

# the words of the handout's table too (report.common.STATUS_TITLES)
STATUS_WORDS = {"completed": "completed", "diverged": "[red]diverged[/]", "interrupted": "[yellow]interrupted[/]",
                "early_stopped": "stopped early"}
TITLES = {"mse": "MSE", "mae": "MAE", "r2": "R²", "accuracy": "accuracy", "f1": "F1", "log_loss": "log loss"}


def describe_comparison(built):
    """One line: how many runs, on which data, and their names."""
    base = built[0][1].config
    return (f"Comparing {len(built)} runs on [bold]{shown(base.dataset)}[/]: "
            f"{', '.join(shown(variant.name) for variant, _ in built)}.")


class CompareProgress:
    """One progress bar per run, each showing the run's latest validation (or training) cost."""

    def __init__(self, console, quiet=False):
        self.progress = Progress(
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
    """The runs side by side on the common metrics, the best value of each in bold green."""
    split = "validation" if cmp.split == "val" else "training"
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False,
                  title=f"Compared on the {split} split" + (" (clean: no corrupted rows)"
                                                            if cmp.data.outliers.any() and cmp.split == "val"
                                                            else ""))
    table.add_column("run", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("own\ncost", justify="right")
    for metric in cmp.common_metrics:
        table.add_column(TITLES[metric], justify="right")
    lines = [cmp.line(e) for e in cmp.entries]
    has_lines = any(line is not None for line in lines)
    if has_lines:
        table.add_column("fitted line", justify="right", no_wrap=True)
    shares = [cmp.outlier_share(e) for e in cmp.entries]
    has_shares = any(share is not None for share in shares)
    if has_shares:
        table.add_column("outlier\npull", justify="right")
    best = cmp.best()
    for entry, line, share in zip(cmp.entries, lines, shares):
        run = entry.run
        cells = [shown(entry.name), STATUS_WORDS.get(run.status, run.status)]
        if run.status == "diverged":  # its parameters are meaningless: no numbers, just the mark
            table.add_row(*cells, *["—"] * (len(table.columns) - 2), style="red")
            continue
        own = run.metrics["val" if cmp.split == "val" else "train"]
        cells.append(number(own["loss"] if own else None))
        common = cmp.common(entry)
        for metric in cmp.common_metrics:
            text = number(common[metric])
            cells.append(f"[bold green]{text}[/]" if entry.name in best[metric] else text)
        if has_lines:
            cells.append("—" if line is None else f"{number(line[0], 3)}x {_signed(line[1])}")
        if has_shares:
            cells.append("—" if share is None else f"{share:.0%}")
        table.add_row(*cells)
    true = cmp.true_params
    if has_lines and true is not None:
        blanks = [""] * (2 + len(cmp.common_metrics))
        table.add_row("[dim]true[/]", *blanks, f"[dim]{true['weights'][0]:g}x {_signed(true['bias'])}[/]",
                      *([""] if has_shares else []))
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
