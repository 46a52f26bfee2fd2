"""lossplay compare: several runs on the same data, side by side."""

import click

from lossplay.cli import exit_code_of_stop
from lossplay.cli.options import ConfigOption, SectionedCommand, config_options

COMPARE_SECTION = "Comparison"
# options of lossplay train that shape its live table, which a comparison does not print (it draws a bar per run)
NOT_FOR_COMPARE = ("pace",)


@click.command(cls=SectionedCommand)
@click.argument("losses", nargs=-1, metavar="[LOSS]...")
@config_options(exclude=NOT_FOR_COMPARE, shown={"loss": "mse; the names given as arguments, when there are any"})
@click.option("--optimizers", metavar="A,B,...", cls=ConfigOption, section=COMPARE_SECTION,
              help="Race optimizers: one run per name (also 'momentum' and 'nesterov': SGD with μ = 0.9).")
@click.option("--lrs", metavar="F,F,...", cls=ConfigOption, section=COMPARE_SECTION,
              help="Compare learning rates: one run per value.")
@click.option("--vary", metavar="OPTION=V1,V2", multiple=True, cls=ConfigOption, section=COMPARE_SECTION,
              help="Compare the values of any option, e.g. --vary l2=0,0.01,0.1 (repeat it to cross them).")
@click.pass_context
def compare(ctx, losses, config_file, optimizers, lrs, vary, **values):
    """Train one run per loss (or optimizer, learning rate, option value) and compare them.

    Every run sees the same data, the same split, the same corrupted rows, the
    same initial parameters and the same batch order: only what you vary
    differs. The table ranks the runs on common metrics of the validation
    split (each loss's own cost is on its own scale), marks the best value of
    each, and says what the comparison shows. Files: runs/compare-<timestamp>/
    (or --out) with one run folder per run, compare.json and compare.png.

    \b
    Examples:
      lossplay compare mse mae huber --outliers
      lossplay compare mse mae huber --outliers --optimizer adam
      lossplay compare --optimizers sgd,momentum,rmsprop,adam
      lossplay compare --lrs 0.001,0.1,1.5 --batch-size 0
      lossplay compare --dataset sine --poly-degree 9 --vary l2=0,0.001,0.01
    """
    import lossplay.comparison as comparing
    from lossplay import render
    from lossplay.cli.options import config_from_command_line, file_values
    from lossplay.config import COMPARE_KEYS
    from lossplay.interrupt import graceful_interrupt

    from_file = {}
    if config_file is not None:
        from_file = {k: v for k, v in file_values(ctx, config_file).items() if k in COMPARE_KEYS}
    config = config_from_command_line(ctx, config_file, values, exclude=NOT_FOR_COMPARE)
    chosen, labels = {}, {}  # each list from the command line, else from the file, named as it was given
    for key, given, label in (("losses", list(losses), "the losses named"), ("optimizers", optimizers, "--optimizers"),
                              ("lrs", lrs, "--lrs"), ("vary", list(vary), "--vary")):
        if given:
            chosen[key], labels[key] = given, label
        elif from_file.get(key):
            chosen[key], labels[key] = from_file[key], f"Config file '{config_file}': '{key}'"
    if "losses" not in chosen and config.loss:
        chosen["losses"] = [config.loss]
    built = comparing.prepare(config, labels=labels, **chosen)
    base = built[0][1].config
    comparing.check_comparison_destination(base.out, built, force=base.force, plots=not base.no_plot,
                                           animate=base.animate)
    console = render.make_console()
    console.print(render.describe_comparison(built))
    for _, experiment in built[:1]:
        render.print_notes(console, experiment.notes)
    with render.CompareProgress(console, quiet=base.quiet) as progress, graceful_interrupt() as stop:
        comparison = comparing.run(built, progress.observers_for, stop)
    if base.animate:
        from lossplay.plots.evolution import can_animate_comparison

        if not can_animate_comparison(comparison.data):
            render.print_notes(console, ["--animate draws each run's line or boundary, which exists for 1-feature "
                                         "regression and 2-feature binary classification: no compare.gif here."])
    comparison.save(base.out, force=base.force, plots=not base.no_plot, animate=base.animate)
    console.print(render.comparison_summary(comparison))
    if comparison.stopped:
        ctx.exit(exit_code_of_stop(stop))
