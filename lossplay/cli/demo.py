"""lossplay demo: the classroom demos."""

import click

from lossplay.cli import exit_code_of_stop, say


@click.command()
@click.argument("name", required=False)
@click.option("--print-config", is_flag=True, help="Print the demo's TOML, to copy, change and run with "
                                                   "lossplay compare --config.")
@click.option("--out", metavar="DIR", help="Folder for the files.  [default: runs/demo-<name>-<timestamp>]")
@click.option("--force", is_flag=True, help="Allow --out to name a folder that already holds files.")
@click.option("--seed", type=click.IntRange(min=0), default=None, metavar="N",
              help="Seed of the demo's data, split and batches.  [default: the demo's own, 0]")
@click.option("--quiet", is_flag=True, help="No progress bars: the results only.")
@click.option("--no-plot", is_flag=True, help="Do not draw the pictures.")
@click.pass_context
def demo(ctx, name, print_config, out, force, seed, quiet, no_plot):
    """List the demos, or run one: what to watch for, the runs, then what happened.

    \b
    Examples:
      lossplay demo
      lossplay demo outliers
      lossplay demo overfitting --seed 3
      lossplay demo overfitting --print-config > mine.toml
    """
    from lossplay import demos, render
    from lossplay.interrupt import graceful_interrupt

    console = render.make_console()
    if name is None:
        console.print(render.demos_table(demos.DEMOS))
        console.print("Each demo runs in seconds and saves its pictures; --print-config shows its settings.")
        return
    chosen = demos.find(name)
    if print_config:
        say(chosen.config_text(), nl=False)
        return
    built = demos.prepare(chosen, **({} if seed is None else {"seed": seed}))
    demos.comparing.check_comparison_destination(out, built, force=force, plots=not no_plot)
    console.print(render.demo_intro(chosen))
    if chosen.name == "accuracy-vs-loss":
        console.print(render.two_models_table(demos.two_models()))
    with render.CompareProgress(console, quiet=quiet) as progress, graceful_interrupt() as stop:
        comparison = demos.finish(chosen, demos.comparing.run(built, progress.observers_for, stop))
    comparison.save(out, force=force, plots=not no_plot, prefix=f"demo-{chosen.name}")
    console.print(render.comparison_table(comparison))
    if chosen.name == "imbalance":
        counts = [(e.name, demos.confusion(e.run)) for e in comparison.entries]
        console.print(render.confusion_tables(counts, comparison.data.classes))
    console.print(render.demo_outro(chosen, chosen.report(comparison), comparison.claim, comparison.folder))
    if comparison.stopped:
        ctx.exit(exit_code_of_stop(stop))
