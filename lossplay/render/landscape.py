"""What ``lossplay landscape`` prints: the paths side by side and what they show."""

import numpy as np
from rich import box
from rich.console import Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from lossplay.render.common import number, shown
from lossplay.terminal import printable

NEAR = 0.01  # a path is "down" once its objective is within 1% of the minimum's


def updates_to_reach(path, minimum_cost):
    """The first update after which the path's objective stays within 1% of the minimum, or None."""
    target = minimum_cost + NEAR * max(abs(minimum_cost), 1e-12)
    above = ~(path.costs <= target)
    if above[-1]:
        return None
    return int(np.flatnonzero(above)[-1] + 1) if above.any() else 0


def describe_landscape(scape):
    """One sentence: which cost, over which parameters, on how fine a grid, from where."""
    c = scape.config
    count = len(scape.paths)
    over = " and ".join(printable(name) for name in scape.parameter_names)
    return Text.assemble(
        f"The {c.loss} cost of a {c.model} model on ", (printable(c.dataset), "bold"),
        f" over {over}, {len(scape.axes[0])}×{len(scape.axes[1])} points; "
        f"{count} optimizer{'' if count == 1 else 's'} from ({scape.start[0]:g}, {scape.start[1]:g}).")


def landscape_table(scape):
    """One row per optimizer: its rate, where it ended, its objective, how soon it got down."""
    first, second = scape.parameter_names
    w_min, b_min, cost_min = scape.minimum
    word = "objective" if scape.experiment.penalty.active else "cost"
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False,
                  title=f"From ({scape.start[0]:g}, {scape.start[1]:g}), {scape.paths[0].steps} updates each")
    table.add_column("optimizer", no_wrap=True)
    table.add_column("lr", justify="right")
    table.add_column("ended at\n" + shown(f"({first}, {second})"), justify="right", no_wrap=True)
    table.add_column(f"final\n{word}", justify="right")
    table.add_column("within 1%\nafter", justify="right")
    finals = [p.final_cost for p in scape.paths if p.status != "diverged"]
    best = min(finals) if finals else None
    for path in scape.paths:
        if path.status == "diverged":
            table.add_row(escape(path.name), number(path.lr), "—", "[red]diverged[/]", "—", style="red")
            continue
        end = path.points[-1]
        final = number(path.final_cost)
        reached = updates_to_reach(path, cost_min)
        table.add_row(escape(path.name), number(path.lr), f"({number(end[0])}, {number(end[1])})",
                      f"[bold green]{final}[/]" if path.final_cost == best else final,
                      "not yet" if reached is None else f"{reached} updates")
    label = "minimum" if scape.exact_minimum is not None else "lowest found"
    table.add_row(f"[dim]{label}[/]", "", f"[dim]({number(w_min)}, {number(b_min)})[/]",
                  f"[dim]{number(cost_min)}[/]", "")
    return table


def landscape_lesson(scape):
    """Sentences that read the table: who got down first, who never did, who diverged."""
    _, _, cost_min = scape.minimum
    sentences = []
    reached = {p.name: r for p in scape.paths if p.status != "diverged"
               and (r := updates_to_reach(p, cost_min)) is not None}
    if reached:
        fastest = min(reached, key=reached.get)
        sentence = f"{fastest} got within 1% of the minimum first, after {reached[fastest]} updates"
        if len(reached) > 1:
            slowest = max(reached, key=reached.get)
            sentence += f"; {slowest} took {reached[slowest]}"
        sentences.append(sentence + ".")
    late = [p.name for p in scape.paths if p.status != "diverged" and p.name not in reached]
    if late:
        why = ("each batch's gradient points a little off the slope of the whole surface, so a path jitters "
               "around the minimum" if scape.experiment.batches_per_epoch > 1 else "more --steps, or a larger --lr")
        sentences.append(f"Not within 1% of the minimum after {scape.paths[0].steps} updates: {', '.join(late)} "
                         f"({why}).")
    diverged = [p.name for p in scape.paths if p.status == "diverged"]
    if diverged:
        sentences.append(f"Diverged: {', '.join(diverged)}: each step overshot further than the last; "
                         "try a smaller --lr.")
    loss = scape.config.loss
    if loss == "mse" and scape.exact_minimum is not None:
        sentences.append("The MSE landscape is a smooth bowl with one lowest point, the least-squares solution; "
                         "try lossplay landscape --loss mae, whose surface has creases where a residual "
                         "crosses zero.")
    elif loss in ("mae", "quantile"):
        sentences.append(f"The {loss} landscape is made of tilted planes joined at creases, one where each "
                         "row's residual crosses zero: a row pulls just as hard when it is nearly fitted as when "
                         "it is far off, so the slope does not fade smoothly near the minimum as MSE's does, and "
                         "a path can rock across the crease at the bottom.")
    return sentences


def landscape_summary(scape):
    """The table, the sentences that read it, and where the files are."""
    parts = [landscape_table(scape), Text("")]
    parts += [Text(sentence, style="bold") for sentence in landscape_lesson(scape)]
    if scape.folder is not None:
        files = ", ".join([*scape.files.values(), "landscape.json"])
        parts.append(Text(f"Saved in {printable(scape.folder)}/: {files}"))
    return Group(*parts)
