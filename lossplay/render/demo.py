"""What ``lossplay demo`` prints: the list of demos, and each demo's before and after."""

from rich import box
from rich.columns import Columns
from rich.console import Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from lossplay.render.common import Hanging, number, shown
from lossplay.terminal import printable


def demos_table(demos):
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title="Demos (run one with lossplay demo NAME)")
    table.add_column("name", style="bold", no_wrap=True)
    table.add_column("what it shows")
    for demo in demos.values():
        table.add_row(demo.name, escape(demo.summary))
    return table


def intro(demo):
    """Before the run: what it shows and what to watch for."""
    body = Group(Text.assemble(("What you will see: ", "bold"), demo.shows),
                 Text.assemble(("Watch for: ", "bold"), demo.watch))
    return Panel(body, title=f"Demo: {demo.title}", title_align="left", border_style="cyan")


def two_models_table(models):
    """The classic example: per-row probability of the true class and loss, for models A and B."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False,
                  title="Two imagined models, ten rows of class 1: the probability each gives the true class")
    table.add_column("row", justify="right")
    for name in models:
        table.add_column(f"{name}: p", justify="right")
        table.add_column(f"{name}: loss −log p", justify="right")
    rows = len(next(iter(models.values()))["p"])
    for i in range(rows):
        cells = [str(i + 1)]
        for m in models.values():
            right = m["p"][i] > 0.5
            cells += [number(m["p"][i]) + ("" if right else " ✗"), number(m["losses"][i], 3)]
        table.add_row(*cells)
    cells = ["all"]
    for m in models.values():
        cells += [f"accuracy {m['accuracy']:.0%}", f"mean {m['cross_entropy']:.3f}"]
    table.add_row(*cells, style="bold")
    return table


def confusion_tables(entries_and_counts, classes):
    """Confusion matrices side by side: rows are the true class, columns the predicted one."""
    tables = []
    for name, counts in entries_and_counts:
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title=shown(name))
        table.add_column("true ↓ / predicted →")
        for c in classes:
            table.add_column(shown(c), justify="right")
        for c, row in zip(classes, counts):
            table.add_row(shown(c), *(str(v) for v in row))
        tables.append(table)
    return Columns(tables, padding=(0, 4))


def outro(demo, lines, claim=None, folder=None):
    """After the run: what happened, in this run's numbers; whether they support the demo's claim; the lesson."""
    happened = Group(*(Hanging(line) for line in lines))
    parts = [Text("What happened", style="bold underline"), happened, Text("")]
    if claim is not None:
        if claim.holds:
            verdict = Text.assemble(("These numbers show it: ", "bold green"), f"{claim.claim}. ", claim.summary)
        else:
            verdict = Text.assemble(("On this seed the numbers do not show it: ", "bold yellow"),
                                    f"{claim.claim}. ", claim.summary,
                                    " The lesson below is the general rule; these numbers do not show it.")
        parts += [Hanging(verdict, ""), Text("")]
    parts.append(Panel(Text(demo.lesson), title="The lesson", title_align="left", border_style="green"))
    if folder is not None:
        parts.append(Text(f"Saved in {printable(folder)}/: compare.png, compare.json and one run folder per run."))
    return Group(*parts)
