"""Everything lossplay prints, with rich: the only package that imports it.

It reads records, runs and catalogs and never changes them. Numbers are shown
with 4 significant digits.
"""

from lossplay.render.catalog import (
    datasets_table,
    gradcheck_table,
    loss_card,
    losses_table,
    optimizer_card,
    optimizers_table,
)
from lossplay.render.common import make_console, number
from lossplay.render.compare import CompareProgress, comparison_summary, comparison_table
from lossplay.render.demo import confusion_tables, demos_table, two_models_table
from lossplay.render.demo import intro as demo_intro
from lossplay.render.demo import outro as demo_outro
from lossplay.render.step import StepView, describe_steps, epoch_line
from lossplay.render.training import LiveTraining, describe_run, print_notes, summary

__all__ = [
    "CompareProgress", "LiveTraining", "StepView", "comparison_summary", "comparison_table", "confusion_tables",
    "datasets_table", "demo_intro", "demo_outro", "demos_table", "describe_run", "describe_steps", "epoch_line",
    "gradcheck_table", "loss_card", "losses_table", "make_console", "number", "optimizer_card", "optimizers_table",
    "print_notes", "summary", "two_models_table",
]
