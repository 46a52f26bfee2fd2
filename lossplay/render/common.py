"""Helpers shared by everything lossplay prints: the console, number formatting, status words."""

from rich.console import Console
from rich.segment import Segment
from rich.text import Text

from lossplay.formatting import number  # noqa: F401  (re-exported: the renderers import it from here)

STATUS_STYLE = {"completed": "green", "early_stopped": "green", "diverged": "red", "interrupted": "yellow"}
STATUS_TITLE = {
    "completed": "Training completed",
    "early_stopped": "Training stopped early",
    "diverged": "Training diverged",
    "interrupted": "Training interrupted",
}


def make_console(stderr=False):
    """The console every command prints to (colour and width follow the terminal)."""
    return Console(stderr=stderr, highlight=False)


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
