"""Helpers shared by everything lossplay prints: the console, number formatting, status words."""

from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.segment import Segment
from rich.text import Text

from lossplay.formatting import number  # noqa: F401  (re-exported: the renderers import it from here)
from lossplay.terminal import printable, silence

STATUS_STYLE = {"completed": "green", "early_stopped": "green", "diverged": "red", "interrupted": "yellow"}
STATUS_TITLE = {
    "completed": "Training completed",
    "early_stopped": "Training stopped early",
    "diverged": "Training diverged",
    "interrupted": "Training interrupted",
}


class LossplayConsole(Console):
    """A rich console that stops printing, quietly, when its reader goes away.

    Rich's own console exits the program with code 1 on a broken pipe; this one
    (``lossplay train | head -1``) stops printing and lets the command finish its
    work and save its files.
    """

    def on_broken_pipe(self):
        self.quiet = True
        silence(self.file)


def make_console(stderr=False):
    """The console every command prints to (colour and width follow the terminal)."""
    return LossplayConsole(stderr=stderr, highlight=False)


def shown(name):
    """A name read from a file (a feature, the target, a class label, a dataset or its path), ready for
    rich markup: its control characters escaped (see ``terminal.printable``), its brackets too."""
    return escape(printable(name))


def main_metric(task):
    """The metric shown in the live table: R² for regression, accuracy for classification."""
    return ("r2", "R²") if task == "regression" else ("accuracy", "accuracy")


class Hanging:
    """Text wrapped to the width with a prefix on its first line (a bullet, an indent) and the
    continuation lines aligned under the text; no line is padded on the right."""

    def __init__(self, text, first="• ", rest=None):
        self.text = text if isinstance(text, Text) else Text(text)
        self.first = first
        self.rest = " " * len(first) if rest is None else rest

    def __rich_console__(self, console, options):
        lines = self.text.wrap(console, max(options.max_width - len(self.first), 20))
        for i, line in enumerate(lines):
            line.rstrip()
            yield Segment(self.first if i == 0 else self.rest)
            yield from line.render(console)
            yield Segment.line()


class Fitted:
    """The first of several layouts that fits the width it is drawn at: a table with every column, then one
    with shorter headings or fewer columns, then one stacked in lines.

    A layout fits when drawing it at the width shows every word it shows without a limit (``words``): lines
    may wrap between words, but no word or number is cut with "…", folded, or lost with a column that found
    no room. The last layout is drawn when none fits. A layout is a renderable or a function that makes one
    (called only when the layouts before it do not fit). Choosing when it is drawn lets the same renderable
    fit a terminal, a panel inside it and a test's console alike.
    """

    UNLIMITED = 10_000

    def __init__(self, *layouts):
        self.layouts = layouts

    def choose(self, console, options):
        """The layout drawn at ``options.max_width``."""
        chosen = None
        for layout in self.layouts:
            chosen = layout() if callable(layout) else layout
            if words(console, options, chosen) == words(console, options.update_width(self.UNLIMITED), chosen):
                break
        return chosen

    def __rich_console__(self, console, options):
        yield self.choose(console, options)

    def __rich_measure__(self, console, options):
        return Measurement.get(console, options, self.choose(console, options))


# the characters of rules and borders, whose length follows the width
_LINE_DRAWING = set("─━═│┃║╭╮╰╯┌┐└┘├┤┬┴┼╶╴╸╺ ")


def words(console, options, renderable):
    """The words a renderable shows when drawn with ``options``, sorted (rules and borders left out): the same
    at two widths when the narrower one only wraps lines between words."""
    lines = console.render_lines(renderable, options, pad=False)
    text = "\n".join("".join(segment.text for segment in line) for line in lines)
    return sorted(word for word in text.split() if not set(word) <= _LINE_DRAWING)


# Columns that a live display (a progress bar) leaves free at the right of the terminal. Ctrl-C makes the terminal
# echo "^C" at the cursor; at the end of a full line that echo wraps to a new line, rich then redraws the bar one
# line too low, and the old bar stays on the screen above the new one.
ROOM_FOR_CTRL_C = 2


class Narrower:
    """A renderable drawn ``by`` columns narrower than the width it is given (see ``ROOM_FOR_CTRL_C``)."""

    def __init__(self, renderable, by=ROOM_FOR_CTRL_C):
        self.renderable = renderable
        self.by = by

    def __rich_console__(self, console, options):
        yield from console.render(self.renderable, options.update_width(max(options.max_width - self.by, 1)))


def shell_lines(command, width=78, indent="    "):
    """A long command broken before its options into lines of at most ``width`` columns, each but the last
    ending in a backslash, so that it prints whole in a narrow terminal and a shell still reads it as one."""
    words = command.split(" --")
    lines, line = [], words[0]
    for word in words[1:]:
        if len(line) + 3 + len(word) > width - 2:
            lines.append(line + " \\")
            line = indent + "--" + word
        else:
            line += " --" + word
    lines.append(line)
    return "\n".join(lines)


def parameter_spreads(data, units="model"):
    """The size of what each parameter multiplies, weights then bias (see ``formatting.parameter_numbers``):
    each feature's standard deviation on the training rows, as the model sees them or (``units`` 'original')
    in the data's own units; 1 for the bias."""
    import numpy as np

    if units == "original" and data.transform.std is not None:
        features = data.transform.std
    else:
        with np.errstate(over="ignore", invalid="ignore"):
            features = data.X_train.std(axis=0)
    return [*features, 1.0]
