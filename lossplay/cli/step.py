"""lossplay step: the training loop one update at a time, every number shown."""

import sys

import click

from lossplay.cli import EXIT_INTERRUPTED, EXIT_TERMINATED, say
from lossplay.cli.options import ConfigOption, SectionedCommand, config_from_command_line, config_options
from lossplay.config import MAX_STEPS, STEP_DEFAULTS, check_steps

NOT_FOR_STEP = ("epochs", "out", "force", "log_every", "pace", "quiet", "no_plot", "animate")
# a terminal with fewer lines than this gets the compact layout unless --full is given
COMPACT_BELOW_LINES = 40
PAUSES = ("step", "section")


@click.command(cls=SectionedCommand)
@config_options(exclude=NOT_FOR_STEP, defaults=STEP_DEFAULTS,
                shown={"dataset": "tiny; blobs for bce, blobs3 for cce"})
@click.option("--steps", type=int, default=3, show_default=True, metavar="N",
              cls=ConfigOption, section="Step by step", help=f"Updates to show (at most {MAX_STEPS:,}).")
@click.option("--pause", type=click.Choice(PAUSES, case_sensitive=False), is_flag=False, flag_value="step",
              default=None, cls=ConfigOption, section="Step by step",
              help="Wait for Enter before each next step (--pause, or --pause step), or after each section of a "
                   "step: the batch, the forward pass, the loss, the backward pass, the update (--pause section). "
                   "q then Enter, or Ctrl-C, quits; only in a terminal.")
@click.option("--compact/--full", default=None, cls=ConfigOption, section="Step by step",
              help="The compact layout fits one step on a projector's screen (about 25 lines of 80 columns: at most "
                   "4 rows and 4 parameters, one line per worked row); --full shows every section in full.  "
                   f"[default: compact in a terminal of fewer than {COMPACT_BELOW_LINES} lines, else full]")
@click.option("--json", "as_json", is_flag=True, cls=ConfigOption, section="Step by step",
              help="Print one JSON object per step (JSON Lines) with every number, instead of the tables.")
@click.pass_context
def step(ctx, config_file, steps, pause, compact, as_json, **values):
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
      lossplay step --compact --pause section
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
    if compact is None:
        compact = console.is_terminal and console.height < COMPACT_BELOW_LINES
    view = render.StepView(experiment, compact=compact, width=console.width)
    console.print(render.describe_steps(experiment, steps))
    render.print_notes(console, experiment.notes)
    waiting = pause is not None and someone_can_answer()
    try:
        for record in step_records(experiment, steps):
            if not isinstance(record, StepRecord):
                console.print(render.epoch_line(record))
                continue
            sections = view.sections(record)
            for section in sections:
                console.print(section.renderable)
                last = section is sections[-1]
                if waiting and pause == "section" and not last and not wait_for_enter(
                        console, f"Enter: {section.number + 1}. {sections[section.number].title}"):
                    return
            if waiting and record.step < steps and not wait_for_enter(
                    console, f"Enter: step {record.step + 1} of {steps}"):
                return
    except (KeyboardInterrupt, EOFError) as stopped:
        console.print("\nStopped.")
        ctx.exit(EXIT_TERMINATED if isinstance(stopped, Terminated) else EXIT_INTERRUPTED)


def someone_can_answer():
    """Whether a pause can be answered: standard input is a terminal (a pipe or a file runs straight through)."""
    return sys.stdin.isatty()


def wait_for_enter(console, what_next):
    """Ask for Enter before ``what_next``; False (after saying so) when the answer is q or quit."""
    answer = input(f"{what_next} · q then Enter: quit ")
    if answer.strip().lower() in ("q", "quit"):
        console.print("Stopped.")
        return False
    return True
