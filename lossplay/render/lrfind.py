"""What ``lossplay lr-find`` prints: what is tested, a few of its steps, and the rate it suggests."""

import math

import numpy as np
from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from lossplay.render.common import Hanging, number, shell_lines, shown
from lossplay.terminal import printable

TABLE_ROWS = 10


def describe_lr_find(experiment, lr_min, lr_max, steps):
    """One line saying what the range test is about to do."""
    c, data = experiment.config, experiment.data
    batch = "full batch" if c.batch_size == 0 else f"batches of {c.batch_size}"
    features = f"{data.n_features} feature{'s' if data.n_features != 1 else ''}"
    return Hanging(Text.from_markup(
        f"Learning-rate range test: [bold]{c.optimizer_label}[/] on a [bold]{c.model}[/] model with "
        f"[bold]{c.loss_label}[/] loss, dataset [bold]{shown(c.dataset)}[/] ({data.n_train} training rows, "
        f"{features}), {batch}; lr from {lr_min:g} to {lr_max:g} over {steps} updates, one per step."
    ), "")


def _shown_steps(result):
    """About ten steps spread over the test, plus the suggested, lowest and last ones."""
    n = len(result.lrs)
    chosen = set(np.linspace(0, n - 1, min(n, TABLE_ROWS)).round().astype(int) + 1)
    chosen |= {s for s in (result.suggested_step, result.lowest_step, n) if s is not None}
    return sorted(chosen)


def lr_find_table(result):
    """Sampled steps: the rate, the batch cost before the update, the smoothed cost, and the landmarks.

    Full batch has no smoothed column: its costs are exact and not smoothed.
    """
    if not len(result.lrs):
        return Text("No update was made: the test was stopped before its first step.")
    smoothing = result.beta > 0
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("step", justify="right", no_wrap=True)
    table.add_column("lr", justify="right", no_wrap=True)
    table.add_column("batch cost" if smoothing else "cost (all rows)", justify="right", no_wrap=True)
    if smoothing:
        table.add_column("smoothed", justify="right", no_wrap=True)
    table.add_column("")
    marks = {}
    if result.stopped_at_step is not None:
        marks[result.stopped_at_step] = ("← blow-up: stopped here", "red")
    if result.lowest_step is not None:
        marks.setdefault(result.lowest_step, (f"← lowest {'smoothed ' if smoothing else ''}cost", "yellow"))
    if result.suggested_step is not None:
        marks[result.suggested_step] = ("← steepest fall: suggested", "bold green")
    # enough digits to tell the rates apart, even over a narrow range
    digits = 3 if result.lr_max / result.lr_min >= 10 else 3 + math.ceil(-math.log10(math.log10(
        result.lr_max / result.lr_min) / max(len(result.lrs) - 1, 1)))
    for step in _shown_steps(result):
        i = step - 1
        mark, style = marks.get(step, ("", None))
        smoothed = [number(result.smoothed[i])] if smoothing else []
        table.add_row(str(step), number(result.lrs[i], digits), number(result.costs[i]), *smoothed, mark, style=style)
    return table


def lr_find_summary(result):
    """How the test ended, the suggestion and how to use it, the stability limit, the files."""
    parts = []
    taken = len(result.lrs)
    if result.status == "blew_up":
        step = result.stopped_at_step
        parts += [Hanging(Text(f"Stopped at step {step} of {result.steps} (lr {result.lrs[step - 1]:.2g}): "
                               f"{result.stop_reason}. That is the blow-up: rates this large make the cost grow.",
                               style="red"), ""), Text("")]
    elif result.status == "interrupted":
        parts += [Hanging(Text(f"Interrupted after step {taken} of {result.steps}: the suggestion below "
                               "uses the steps recorded.", style="yellow"), ""), Text("")]
    lr = result.suggested_lr
    if lr is None:
        parts.append(Hanging(Text.assemble(("No suggestion: ", "bold"), f"{result.why_no_suggestion}."), ""))
    else:
        checked = result.checked_rate()
        parts.append(Hanging(Text.assemble(
            ("Suggested learning rate: ", "bold"), (f"{lr:.2g}", "bold green"),
            f", where the {'smoothed ' if result.beta > 0 else ''}cost falls fastest (step "
            f"{result.suggested_step}). "), ""))
        if checked is None:
            parts.append(Hanging(Text("Training with it (and with rates down to a thousandth of it) diverged or "
                                      "jumped up every time, so no train command is suggested.", style="yellow"),
                                 ""))
        else:
            parts.append(Hanging(Text(f"{checked[1]} Train with the same options and a fixed rate:"), ""))
            # one line even when wider than the terminal, so that it can be copied as it is
            parts.append(Text(shell_lines("  " + printable(result.train_command())), style="bold"))
        lowest = result.lowest_step
        if lowest != len(result.lrs):
            parts.append(Hanging(Text(
                f"Not the rate of the lowest cost ({result.lrs[lowest - 1]:.2g}, step {lowest}): the test only "
                "passed through it after smaller rates had done the work, and kept fixed it is often too large."),
                ""))
        limit = result.stability_limit
        own = None if limit is None else result.experiment.optimizer.stability_limit(limit)
        if own is not None and lr >= own:
            parts.append(Hanging(Text(
                f"Careful: {lr:.2g} is not below the full-batch stability limit {own:.2g} of "
                f"{result.experiment.optimizer.name} (see below): kept fixed with full batches, it diverges.",
                style="yellow"), ""))
        if result.status == "blew_up" and result.stopped_at_step <= 2 / (1 - result.beta):
            parts.append(Hanging(Text(
                f"Note: the cost blew up after only {result.stopped_at_step} steps, too soon for the fall before "
                f"it to say much: --lr-min {result.lr_min:g} may already be too large, and a smaller one would "
                "show more of the fall.", style="yellow"), ""))
        if result.still_falling:
            parts.append(Hanging(Text(
                f"Note: the cost was still falling at --lr-max {result.lr_max:g}, so faster rates may lie beyond "
                "the range.", style="yellow"), ""))
    sentences = result.limit_sentences()
    if sentences:
        parts += [Text(""), Hanging(Text(" ".join(sentences)), "")]
    if result.beta > 0:
        smoothing = f"smoothed: the batch costs' moving average with bias correction, β = {result.beta:g}."
    else:
        smoothing = "Full batch: each cost is that of all training rows, exact, so it is not smoothed."
    parts += [Text(""), Hanging(Text(smoothing, style="dim"), "")]
    if result.folder is not None:
        files = ", ".join([*result.files.values(), "lr_find.json"])
        parts.append(Text(f"Saved in {printable(result.folder)}/: {files}"))
    return Group(*parts)
