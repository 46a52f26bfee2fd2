"""lossplay step: the training loop one update at a time, every number shown."""

import sys

import click

from lossplay.cli import EXIT_INTERRUPTED, EXIT_TERMINATED, say
from lossplay.cli.options import ConfigOption, SectionedCommand, config_from_command_line, config_options
from lossplay.config import MAX_STEPS, STEP_DEFAULTS, check_steps

NOT_FOR_STEP = ("epochs", "out", "force", "log_every", "quiet", "no_plot", "animate")


@click.command(cls=SectionedCommand)
@config_options(exclude=NOT_FOR_STEP, defaults=STEP_DEFAULTS,
                shown={"dataset": "tiny; blobs for bce, blobs3 for cce"})
@click.option("--steps", type=int, default=3, show_default=True, metavar="N",
              cls=ConfigOption, section="Step by step", help=f"Updates to show (at most {MAX_STEPS:,}).")
@click.option("--pause", is_flag=True, cls=ConfigOption, section="Step by step",
              help="Wait for Enter before each next step (q then Enter quits); only in a terminal.")
@click.option("--json", "as_json", is_flag=True, cls=ConfigOption, section="Step by step",
              help="Print one JSON object per step (JSON Lines) with every number, instead of the tables.")
@click.pass_context
def step(ctx, config_file, steps, pause, as_json, **values):
    """Open up the training loop: show every number of the first few updates.

    For each step: the batch, the forward pass z = w·x + b, each row's loss and
    the cost, the backward pass (dL/dz and the gradient by the chain rule), the
    optimizer's update with its state before and after, and whether the cost
    fell. The numbers are the loop's own: after N steps the parameters are those
    of 'lossplay train' with the same options after N updates.

    Defaults differ from train: the 'tiny' dataset for regression losses
    (blobs for bce, blobs3 for cce), batches of 4, and features left unscaled
    so the numbers are the data's own.

    \b
    Examples:
      lossplay step
      lossplay step --loss huber --optimizer adam --steps 3
      lossplay step --loss bce --dataset blobs --batch-size 4
      lossplay step --loss cce --dataset iris --batch-size 3
      lossplay step --pause          (in class: Enter for the next step)
    """
    import json

    from lossplay import render
    from lossplay.api import step_experiment, step_records
    from lossplay.interrupt import Terminated
    from lossplay.loop import StepRecord
    from lossplay.runs import plain

    check_steps(steps)
    config = config_from_command_line(ctx, config_file, values, exclude=NOT_FOR_STEP, defaults=STEP_DEFAULTS)
    experiment = step_experiment(config)
    if as_json:
        for record in step_records(experiment, steps):
            if isinstance(record, StepRecord):
                say(json.dumps(plain(record.to_dict())))
        return
    console = render.make_console()
    view = render.StepView(experiment)
    console.print(render.describe_steps(experiment, steps))
    render.print_notes(console, experiment.notes)
    waiting = pause and sys.stdin.isatty()
    try:
        for record in step_records(experiment, steps):
            if not isinstance(record, StepRecord):
                console.print(render.epoch_line(record))
                continue
            console.print(view.render(record))
            if waiting and record.step < steps:
                answer = input(f"Enter: step {record.step + 1} of {steps} · q then Enter: quit ")
                if answer.strip().lower() in ("q", "quit"):
                    console.print("Stopped.")
                    return
    except (KeyboardInterrupt, EOFError) as stopped:
        console.print("\nStopped.")
        ctx.exit(EXIT_TERMINATED if isinstance(stopped, Terminated) else EXIT_INTERRUPTED)
