"""lossplay train: one training run, shown live and saved as a run folder."""

import click

from lossplay.cli import EXIT_DIVERGED, EXIT_INTERRUPTED, EXIT_TERMINATED, exit_code_of_stop
from lossplay.cli.options import SectionedCommand, config_from_command_line, config_options


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
      lossplay train --pace 1        (in class: a second to read each row)
    """
    from lossplay import render
    from lossplay.api import check_run_destination, run_experiment
    from lossplay.experiment import build
    from lossplay.interrupt import Terminated, graceful_interrupt

    config = config_from_command_line(ctx, config_file, values)
    experiment = build(config)
    config = experiment.config
    check_run_destination(config, experiment.data)
    console = render.make_console()
    if config.quiet:
        render.print_notes(console, experiment.notes)
    else:
        render.describe_run(console, experiment)
    if config.animate:
        from lossplay.plots import can_draw_fit

        if not can_draw_fit(experiment.data):
            render.print_notes(console, ["--animate draws the fit, which exists for 1-feature regression and "
                                         "2-feature classification: no animation.gif for this data."])
    with graceful_interrupt() as stop:
        observers = []
        if not config.quiet:
            observers.append(render.LiveTraining(
                console, config.epochs, experiment.data.task, config.log_every, validation=experiment.data.n_val > 0,
                penalty=experiment.penalty.active, pace=config.pace, stop=stop))
        run = run_experiment(experiment, observers, stop)
    run.save()
    console.print(render.summary(run))
    for command in render.advice_commands(run.advice()):
        console.print(command, soft_wrap=True)
    if run.advice_stopped is not None:
        render.print_notes(console, run.advice_notes())
        ctx.exit(EXIT_TERMINATED if isinstance(run.advice_stopped, Terminated) else EXIT_INTERRUPTED)
    if run.status == "diverged":
        ctx.exit(EXIT_DIVERGED)
    if run.status == "interrupted":
        ctx.exit(exit_code_of_stop(stop))
