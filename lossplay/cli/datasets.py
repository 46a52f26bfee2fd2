"""lossplay datasets: every dataset lossplay can load by name."""

import click


@click.command()
def datasets():
    """List the built-in and shipped datasets: task, size, features, what each is good for.

    Use one with --dataset NAME, or give the path of your own CSV file
    (a header row, numeric feature columns, the target last or named with --target).
    """
    from importlib import resources

    from lossplay import render
    from lossplay.data import CATALOG

    console = render.make_console()
    console.print(render.datasets_table(CATALOG))
    sources = resources.files("lossplay.datasets").joinpath("README.md")
    console.print("Built-in datasets are generated from --seed; --samples and --noise change their size "
                  f"and noise. Shipped ones are real measurements; their sources and licences are in {sources}")
