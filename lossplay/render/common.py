"""Helpers shared by everything lossplay prints: the console, number formatting, status words."""

from rich.console import Console
from rich.markup import escape
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
