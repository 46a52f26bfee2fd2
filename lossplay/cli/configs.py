"""lossplay configs: the config files shipped with lossplay, to use by name with --config from any folder."""

import click

from lossplay.cli import say


@click.command()
@click.argument("name", required=False)
def configs(name):
    """List the config files shipped with lossplay, or print one.

    Use one by name from any folder, with the command it is written for:
    lossplay train --config overfitting_sine. A file of that name in the
    current folder wins over the shipped config.

    \b
    Examples:
      lossplay configs
      lossplay configs overfitting_sine
      lossplay configs overfitting_sine > mine.toml   (then change it)
    """
    from lossplay import render
    from lossplay.config import shipped_config, shipped_configs

    if name is not None:
        say(shipped_config(name).text, nl=False)
        return
    console = render.make_console()
    console.print(render.configs_table(shipped_configs()))
    console.print("Run one with its command: lossplay train --config overfitting_sine, lossplay compare --config "
                  "demo_outliers. lossplay configs NAME prints one, to copy and change.")
