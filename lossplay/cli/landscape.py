"""lossplay landscape: the objective over two parameters, with each optimizer's path across it."""

import click

from lossplay.cli.options import (
    ConfigOption,
    SectionedCommand,
    command_values_from_file,
    config_from_command_line,
    config_options,
)
from lossplay.landscapes import DEFAULT_GRID, DEFAULT_OPTIMIZERS, DEFAULT_STEPS, LANDSCAPE_DEFAULTS, NOT_FOR_LANDSCAPE

SECTION = "Landscape"


@click.command(cls=SectionedCommand)
@config_options(exclude=NOT_FOR_LANDSCAPE, defaults=LANDSCAPE_DEFAULTS,
                shown={"lr": "each optimizer's own: 0.1 for sgd and momentum, 0.05 for adam, 0.03 for rmsprop",
                       "out": "runs/<timestamp>-landscape-<loss>"})
@click.option("--optimizers", metavar="A,B,...", default=",".join(DEFAULT_OPTIMIZERS), show_default=True,
              cls=ConfigOption, section=SECTION,
              help="One path per name, all from the same start ('momentum', 'nesterov': SGD with μ = 0.9).")
@click.option("--start", metavar="P1,P2", cls=ConfigOption, section=SECTION,
              help="Where every path starts: w,b (or w1,w2)  [default: up and to the left of the minimum, "
                   "far enough that the paths differ]")
@click.option("--steps", type=click.IntRange(min=1, max=5000), default=DEFAULT_STEPS, show_default=True,
              metavar="N", cls=ConfigOption, section=SECTION, help="Updates on each path.")
@click.option("--grid", type=click.IntRange(min=11, max=401), default=DEFAULT_GRID, show_default=True,
              metavar="N", cls=ConfigOption, section=SECTION, help="Points on each side of the grid of costs.")
@click.option("--no-bias", is_flag=True, cls=ConfigOption, section=SECTION,
              help="Hold the bias at 0 (implied for a logistic model, whose two weights are then the axes).")
@click.option("--animate", is_flag=True, cls=ConfigOption, section=SECTION,
              help="Also write landscape.gif: the paths growing update by update, beside the data with each "
                   "optimizer's current line (or boundary).")
@click.pass_context
def landscape(ctx, config_file, optimizers, start, steps, grid, no_bias, animate, **values):
    """Draw the cost over two parameters, with each optimizer's path across it.

    For a model with two parameters (1-feature linear regression: w and b; a
    2-feature logistic model with its bias held at 0: w1 and w2), the cost on
    the training rows is computed over a grid of both, from the real data and
    loss, and drawn as filled contours with its minimum marked. Each optimizer
    then starts from the same point and runs the training loop of 'lossplay
    train'; its path is drawn on the contours. MSE gives a smooth bowl, MAE a
    creased one. Defaults differ from train: full batch (so a path follows the
    surface drawn) and features in the data's own units (so the axes are its
    slope and intercept). Files: runs/<timestamp>-landscape-<loss>/ (or --out)
    with landscape.png, landscape.json and, with --animate, landscape.gif.

    \b
    Examples:
      lossplay landscape
      lossplay landscape --loss mae --outliers
      lossplay landscape --loss bce --dataset blobs
      lossplay landscape --optimizers sgd,adam --lr 0.3 --start -4,8
      lossplay landscape --loss huber --animate
    """
    from lossplay import render
    from lossplay.landscapes import check_landscape_destination
    from lossplay.landscapes import landscape as compute

    config = config_from_command_line(ctx, config_file, values, exclude=NOT_FOR_LANDSCAPE,
                                      defaults=LANDSCAPE_DEFAULTS)
    own = {"optimizers": optimizers, "start": start, "steps": steps, "grid": grid, "no_bias": no_bias}
    own.update(command_values_from_file(ctx, config_file, "landscape"))
    check_landscape_destination(config.out, force=config.force, animate=animate)
    console = render.make_console()
    with console.status("Computing the landscape and the paths..."):
        scape = compute(config, **own)
    render.print_notes(console, scape.notes)
    console.print(render.describe_landscape(scape))
    c = scape.config
    status = "Drawing the picture and the animation..." if animate else "Drawing the picture..."
    with console.status(status):
        scape.save(c.out, force=c.force, animate=animate)
    console.print(render.landscape_summary(scape))
    for command in render.advice_commands(scape.advice()):
        console.print(command, soft_wrap=True)
