"""lossplay lr-find: the learning-rate range test, shown and saved as a folder."""

import click

from lossplay.cli import exit_code_of_stop
from lossplay.cli.options import (
    ConfigOption,
    SectionedCommand,
    command_values_from_file,
    config_from_command_line,
    config_options,
)
from lossplay.lrfind import LR_MAX, LR_MIN, NOT_FOR_LR_FIND, STEPS


@click.command("lr-find", cls=SectionedCommand)
@config_options(exclude=NOT_FOR_LR_FIND, shown={"out": "runs/<timestamp>-lr-find-<loss>-<optimizer>"})
@click.option("--lr-min", type=float, default=LR_MIN, show_default=True, metavar="F", cls=ConfigOption,
              section="Optimizer", help="The learning rate of the first step.")
@click.option("--lr-max", type=float, default=LR_MAX, show_default=True, metavar="F", cls=ConfigOption,
              section="Optimizer", help="The learning rate of the last step; the rates in between grow geometrically.")
@click.option("--steps", type=int, default=STEPS, show_default=True, metavar="N", cls=ConfigOption,
              section="Training loop", help="Updates, one per learning rate (at least 5).")
@click.pass_context
def lr_find(ctx, config_file, lr_min, lr_max, steps, **values):
    """Find a learning rate: raise it step by step and watch where the cost falls fastest.

    One short run from the initial parameters: step i (from 0) updates with
    lr_i = lr_min·(lr_max/lr_min)^(i/(steps−1)), on the batch 'lossplay train'
    would draw, and records the batch cost before the update. The costs are
    smoothed (a moving average with bias correction, β = 1 − 10/steps within
    [0.5, 0.98]; none for full batch, whose costs are exact). The test stops when
    the smoothed cost passes 4× its lowest value: the blow-up.

    The suggested rate is where the smoothed cost falls fastest against
    log(lr), before its lowest point. For MSE on a linear model the stability
    limit of full-batch gradient descent, 2 / (largest eigenvalue of the
    Hessian), is shown too. Files: runs/<timestamp>-lr-find-<loss>-<optimizer>/
    (or --out) with lr_find.png and lr_find.json.

    \b
    Examples:
      lossplay lr-find
      lossplay lr-find --loss bce --optimizer adam
      lossplay lr-find --dataset diabetes
      lossplay lr-find --batch-size 0 --lr-min 0.001 --lr-max 5
    """
    from lossplay import render
    from lossplay.errors import LossplayError
    from lossplay.experiment import build
    from lossplay.interrupt import graceful_interrupt
    from lossplay.lrfind import check_lr_find_destination, check_range, run_lr_find

    config = config_from_command_line(ctx, config_file, values, exclude=NOT_FOR_LR_FIND)
    from_file = command_values_from_file(ctx, config_file, "lr-find")
    lr_min, lr_max, steps = (from_file.get(name, given) for name, given in
                             (("lr_min", lr_min), ("lr_max", lr_max), ("steps", steps)))
    try:
        check_range(lr_min, lr_max, steps)
    except LossplayError as error:  # say where a value from the file came from
        raise LossplayError(f"Config file '{config_file}': {error}" if from_file else str(error)) from None
    experiment = build(config)
    resolved = experiment.config
    check_lr_find_destination(resolved.out, force=resolved.force, plots=not resolved.no_plot)
    console = render.make_console()
    if not resolved.quiet:
        console.print(render.describe_lr_find(experiment, lr_min, lr_max, steps))
    render.print_notes(console, experiment.notes)
    with graceful_interrupt() as stop:
        result = run_lr_find(experiment, lr_min, lr_max, steps, stop=stop, requested=config)
    result.save(resolved.out, force=resolved.force, plots=not resolved.no_plot)
    if not resolved.quiet:
        console.print()
        console.print(render.lr_find_table(result))
        console.print()
    console.print(render.lr_find_summary(result), crop=False)  # the train command stays whole, to be copied
    if result.status == "interrupted":
        ctx.exit(exit_code_of_stop(stop))
