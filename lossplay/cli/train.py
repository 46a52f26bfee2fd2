"""lossplay train: one training run, shown live and saved as a run folder."""

import click

from lossplay.cli import EXIT_DIVERGED, EXIT_INTERRUPTED
from lossplay.cli.options import SectionedCommand, config_from_command_line, config_options

EXIT_CODES = {"diverged": EXIT_DIVERGED, "interrupted": EXIT_INTERRUPTED}


@click.command(cls=SectionedCommand)
@config_options()
@click.pass_context
def train(ctx, config_file, **values):
    """Train one model and watch its loss fall.

    Loads a dataset, builds a model, then runs the training loop: forward pass,
    loss, gradient, update, for every batch of every epoch. A table shows the
    training and validation cost as it goes; a summary ends the run, and a run
    folder keeps run.json, history.csv and the pictures (loss_curve.png, and
    fit.png for 1-feature regression or 2-feature classification).

    \b
    Examples:
      lossplay train
      lossplay train --loss huber --optimizer adam
      lossplay train --loss mae --outliers --epochs 200
      lossplay train --dataset sine --poly-degree 9 --epochs 2000 --batch-size 0
      lossplay train --dataset iris --optimizer adam --out runs/iris
    """
    from lossplay import render, runs
    from lossplay.api import run_experiment
    from lossplay.experiment import build

    config = config_from_command_line(ctx, config_file, values)
    experiment = build(config)
    config = experiment.config
    if config.out is not None:
        runs.check_destination(config.out, config.force)
    console = render.make_console()
    observers = []
    if config.quiet:
        render.print_notes(console, experiment.notes)
    else:
        render.describe_run(console, experiment)
        observers.append(render.LiveTraining(console, config.epochs, experiment.data.task, config.log_every))
    if config.animate:
        from lossplay.plots import can_draw_fit

        if not can_draw_fit(experiment.data):
            render.print_notes(console, ["--animate draws the fit, which exists for 1-feature regression and "
                                         "2-feature classification: no animation.gif for this data."])
    run = run_experiment(experiment, observers)
    run.save()
    console.print(render.summary(run))
    for command in render.advice_commands(run.advice()):
        console.print(command, soft_wrap=True)
    if run.status in EXIT_CODES:
        ctx.exit(EXIT_CODES[run.status])
