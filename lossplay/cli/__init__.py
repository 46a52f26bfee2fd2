"""The lossplay command line: a click group over the Python API.

Each command lives in its own module: it turns options into a config, calls
the API and hands the result to ``render``. Heavy imports (rich, matplotlib)
happen inside the commands, so ``lossplay --help`` starts quickly. Bad input
raises ``LossplayError`` anywhere below; this group turns it into one
``Error:`` line on stderr and exit code 2.
"""

import click

from lossplay import __version__
from lossplay.errors import LossplayError

EXIT_BAD_INPUT = 2
EXIT_DIVERGED = 3
EXIT_INTERRUPTED = 130


class LossplayGroup(click.Group):
    """A click group whose commands report ``LossplayError`` as 'Error: ...' and exit 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except LossplayError as error:
            click.echo(f"Error: {error}", err=True)
            ctx.exit(EXIT_BAD_INPUT)


@click.group(cls=LossplayGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="lossplay")
def cli():
    """Watch a model learn: the training loop of linear, logistic and softmax
    regression, one forward pass, loss, gradient and update at a time.

    \b
    Start with:
      lossplay train                          regression, MSE, SGD
      lossplay train --loss huber --optimizer adam
      lossplay train --loss bce               binary classification
      lossplay step                           one update, every number shown
      lossplay losses                         the losses, their formulas and uses
      lossplay datasets                       the datasets you can use

    Every command has --help. Exit codes: 0 done, 2 bad input,
    3 training diverged, 130 interrupted (Ctrl-C).
    """


def main():
    """Entry point of the ``lossplay`` command."""
    cli(prog_name="lossplay")


from lossplay.cli import catalogs, datasets, step, train  # noqa: E402,F401  (registers the commands)
