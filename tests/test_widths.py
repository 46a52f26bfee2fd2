"""Every table lossplay prints stays readable at 60, 80 and 120 columns.

Each renderer is drawn into a rich console of that width. Readable means: no line wider than the
console (a live-table row that a terminal would wrap is such a line: the rows are printed as they are),
no word or number cut by rich with "…" (lossplay's own "…" always follows a space: "… and 2 more rows"),
and the numbers and headings that matter are all there.
"""

import io
import re

import pytest
from rich.cells import cell_len
from rich.console import Console

import lossplay
from lossplay import render

WIDTHS = (60, 80, 120)


def drawn(width, *renderables, terminal=False):
    """The text of the renderables printed to a console ``width`` columns wide."""
    console = Console(file=io.StringIO(), width=width, force_terminal=terminal, color_system=None,
                      highlight=False)
    for renderable in renderables:
        console.print(renderable)
    return console.file.getvalue()


def assert_readable(text, width, *expected):
    """No line wider than ``width``, nothing cut with "…", and every ``expected`` text shown (whitespace
    between its words may differ)."""
    for line in text.splitlines():
        assert cell_len(line) <= width, f"wider than {width} columns:\n{line}\n\n{text}"
    cut = re.search(r"\S…", text)
    assert cut is None, f"cut at {width} columns: ...{text[max(cut.start() - 30, 0):cut.end() + 10]}...\n\n{text}"
    words = " ".join(text.split())
    for item in expected:
        assert " ".join(item.split()) in words, f"{item!r} missing at {width} columns:\n{text}"


def live_and_summary(width, **options):
    """A run's live table, as ``lossplay train`` sets it up (printed to a file: rows as they are), and its
    summary."""
    from lossplay.api import run_experiment
    from lossplay.config import make_config
    from lossplay.experiment import build

    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False)
    experiment = build(make_config(**{"epochs": 12, **options}))
    live = render.LiveTraining(console, experiment.config.epochs, experiment.data.task,
                               validation=experiment.data.n_val > 0, penalty=experiment.penalty.active)
    console.print(render.summary(run_experiment(experiment, [live])))
    return console.file.getvalue()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("options", [
    {},
    {"l2": 0.1, "val_split": 0},
    {"dataset": "iris", "optimizer": "adam"},
    {"dataset": "multi", "noise": 0},
    {"loss": "bce", "epochs": 1},
], ids=["linear", "l2-no-validation", "iris", "multi", "bce-one-epoch"])
def test_train_live_table_and_summary(width, options):
    text = live_and_summary(width, **options)
    assert_readable(text, width, "train cost", "Learned parameters")
    if width >= 80:
        assert "‖gradient‖" in text and "Left out" not in text
    if width == 60 and options.get("val_split") != 0:
        assert "Left out at this width" in text


def test_without_a_validation_split_the_live_metric_is_the_training_splits():
    text = live_and_summary(80, val_split=0)
    assert "train R²" in text and "val R²" not in text and "val cost" not in text
    run = lossplay.train(epochs=12, val_split=0)
    last_row = [line for line in text.splitlines() if line.strip().startswith("12 ")][0]
    assert last_row.split()[3] == render.number(run.history[-1].train_metrics["r2"])


def test_a_narrow_table_leaves_out_the_objective_first_when_it_is_the_cost():
    console = Console(file=io.StringIO(), width=60)
    live = render.LiveTraining(console, 100, "regression")
    assert [c.label for c in live.columns] == ["epoch", "train cost", "val cost", "val R²", "‖gradient‖"]
    with_penalty = render.LiveTraining(console, 100, "regression", penalty=True)
    assert [c.label for c in with_penalty.columns] == ["epoch", "train cost", "val cost", "objective", "val R²"]
    wide = render.LiveTraining(Console(file=io.StringIO(), width=80), 100, "regression")
    assert [c.label for c in wide.columns] == ["epoch", "train cost", "val cost", "objective", "val R²",
                                                "‖gradient‖"]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("options", [
    {"losses": ["mse", "mae", "huber"], "outliers": True},
    {"lrs": [0.01, 5.0], "batch_size": 0},
    {"losses": ["bce"], "optimizers": ["sgd", "momentum", "adam"]},
], ids=["losses-outliers", "a-diverged-run", "classifiers"])
def test_compare_table(width, options):
    cmp = lossplay.compare(epochs=8, **options)
    assert_readable(drawn(width, render.comparison_summary(cmp)), width, "own cost", *(e.name for e in cmp.entries))


STEP_CASES = [
    {},
    {"optimizer": "adam"},
    {"loss": "bce", "dataset": "blobs", "l2": 0.1},
    {"loss": "cce", "dataset": "iris", "batch_size": 3, "optimizer": "adam"},
    {"dataset": "breast_cancer", "batch_size": 64, "loss": "bce", "optimizer": "rmsprop", "momentum": 0.9},
]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("compact", [False, True], ids=["full", "compact"])
@pytest.mark.parametrize("options", STEP_CASES, ids=lambda o: "-".join(map(str, o.values())) or "default")
def test_step_tables(width, compact, options):
    from lossplay.api import step_experiment, step_records
    from lossplay.config import STEP_DEFAULTS, make_config
    from lossplay.loop import StepRecord

    experiment = step_experiment(make_config(**{**STEP_DEFAULTS, **options}))
    view = render.StepView(experiment, compact=compact, width=width)
    records = [r for r in step_records(experiment, 2) if isinstance(r, StepRecord)]
    text = drawn(width, render.describe_steps(experiment, 2), *(view.render(record) for record in records))
    assert_readable(text, width, "1. The batch", "5. Update", "6. Did it help?", "step", "after")


def test_lr_find_and_landscape_tables():
    result = lossplay.lr_find(steps=20)
    scape = lossplay.landscape(steps=20, grid=21, optimizers="momentum,nesterov,adam@0.00001,sgd@5")
    for width in WIDTHS:
        assert_readable(drawn(width, render.lr_find_table(result), render.lr_find_summary(result)), width,
                        "smoothed", "suggested")
        assert_readable(drawn(width, render.landscape_summary(scape)), width, "ended at", "adam@0.00001",
                        "diverged", "minimum")


@pytest.mark.parametrize("width", WIDTHS)
def test_catalogs_and_gradcheck(width):
    from lossplay.config import shipped_configs
    from lossplay.data import CATALOG
    from lossplay.demos import DEMOS
    from lossplay.gradcheck import check_all
    from lossplay.losses import LOSSES
    from lossplay.optimizers import OPTIMIZERS

    shown = drawn(width, render.datasets_table(CATALOG), render.losses_table(LOSSES),
                  render.optimizers_table(OPTIMIZERS), render.configs_table(shipped_configs()),
                  render.demos_table(DEMOS), *(render.loss_card(cls) for cls in LOSSES.values()),
                  *(render.optimizer_card(cls) for cls in OPTIMIZERS.values()))
    assert_readable(shown, width, *CATALOG, *LOSSES, *OPTIMIZERS, *shipped_configs(), *DEMOS,
                    LOSSES["focal"].derivative_formula)
    results = check_all(0, None)
    assert_readable(drawn(width, render.gradcheck_table(results, 1e-6)), width, "focal, weighted", "smooth_l1")


def test_a_table_too_wide_for_the_width_is_drawn_in_its_next_layout():
    from rich.table import Table

    from lossplay.render.common import Fitted

    wide = Table("a long heading", "another long heading", "and a third one")
    wide.add_row("1234567890", "1234567890", "1234567890")
    fitted = Fitted(wide, "stacked")
    assert "a long heading" in drawn(80, fitted) and "stacked" in drawn(30, fitted)
