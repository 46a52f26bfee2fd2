"""What ``lossplay landscape`` prints: the paths side by side and what they show."""

from rich import box
from rich.console import Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from lossplay.catalog import label
from lossplay.formatting import plural
from lossplay.render.common import Fitted, Hanging, number, shown
from lossplay.terminal import printable
from lossplay.verdicts import landscape_sentences


def describe_landscape(scape):
    """One sentence: which cost, over which parameters, on how fine a grid, from where."""
    c = scape.config
    count = len(scape.paths)
    over = " and ".join(printable(name) for name in scape.parameter_names)
    return Text.assemble(
        f"The {c.loss_label} cost of a {c.model} model on ", (printable(c.dataset), "bold"),
        f" over {over}, {len(scape.axes[0])}×{len(scape.axes[1])} points; "
        f"{count} optimizer{'' if count == 1 else 's'} from ({scape.start[0]:g}, {scape.start[1]:g}).")


def _table_title(scape):
    stopped = [p for p in scape.paths if p.steps < scape.steps_asked]
    title = f"From ({scape.start[0]:g}, {scape.start[1]:g}), {plural(scape.steps_asked, 'update')} each"
    if stopped:
        title += " (" + ", ".join(f"{label(p.name)} stopped after {p.steps}: {p.status}" for p in stopped) + ")"
    return title


def landscape_table(scape):
    """One row per optimizer: its rate, where it ended, its objective, how soon it got down. In a narrow
    terminal the end point takes a column per parameter, under shorter headings, and in a narrower one the
    sentences under the table alone say how soon each got down."""
    return Fitted(lambda: _paths_table(scape), lambda: _paths_table(scape, narrow=True),
                  lambda: _paths_table(scape, narrow=True, how_soon=False))


def _paths_table(scape, narrow=False, how_soon=True):
    first, second = scape.parameter_names
    w_min, b_min, cost_min = scape.minimum
    word = "objective" if scape.experiment.penalty.active else "cost"
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title=_table_title(scape))
    table.add_column("optimizer", no_wrap=True)
    table.add_column("lr", justify="right", no_wrap=True)
    if narrow:
        table.add_column("ended at\n" + shown(first), justify="right", no_wrap=True)
        table.add_column(shown(second), justify="right", no_wrap=True)
    else:
        table.add_column("ended at\n" + shown(f"({first}, {second})"), justify="right", no_wrap=True)
    table.add_column(f"final\n{word}", justify="right", no_wrap=True)
    if how_soon:
        table.add_column("within\n1% after" if narrow else "within 1%\nafter", justify="right")

    def point(w, b):
        return [number(w), number(b)] if narrow else [f"({number(w)}, {number(b)})"]

    reached_all = scape.reached()
    finals = [p.final_cost for p in scape.paths if p.status != "diverged"]
    best = min(finals) if finals else None
    for path in scape.paths:
        if path.status == "diverged":
            table.add_row(escape(label(path.name)), number(path.lr), *["—"] * len(point(0, 0)), "[red]diverged[/]",
                          *(["—"] if how_soon else []), style="red")
            continue
        end = path.points[-1]
        final = number(path.final_cost)
        reached = reached_all[path.name]
        table.add_row(escape(label(path.name)), number(path.lr), *point(*end[:2]),
                      f"[bold green]{final}[/]" if path.final_cost == best else final,
                      *([plural(reached, "update") if reached is not None else "not yet"] if how_soon else []))
    lowest = "minimum" if scape.exact_minimum is not None else "lowest found"
    table.add_row(f"[dim]{lowest}[/]", "", *(f"[dim]{cell}[/]" for cell in point(w_min, b_min)),
                  f"[dim]{number(cost_min)}[/]", *([""] if how_soon else []))
    return table


def landscape_lesson(scape):
    """Sentences that read the table (``verdicts.landscape_sentences``, as the handout prints them)."""
    return landscape_sentences(scape.to_json())


def landscape_summary(scape):
    """The table, the sentences that read it, and where the files are."""
    parts = [landscape_table(scape), Text("")]
    parts += [Text(sentence, style="bold") for sentence in landscape_lesson(scape)]
    advice = scape.advice()
    if advice:
        parts.append(Text("Advice, checked on this landscape first (the command is below):", style="bold"))
        parts += [Hanging(Text(item.why)) for item in advice]
    if scape.folder is not None:
        files = ", ".join([*scape.files.values(), "landscape.json"])
        parts.append(Text(f"Saved in {printable(scape.folder)}/: {files}"))
    return Group(*parts)
