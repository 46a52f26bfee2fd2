"""The lossplay command line: a click group over the Python API.

Each command lives in its own module: it turns options into a config, calls
the API and hands the result to ``render``. Heavy imports (rich, matplotlib)
happen inside the commands, so ``lossplay --help`` starts quickly. Bad input
raises ``LossplayError`` anywhere below; this group turns it into one
``Error:`` line on stderr and exit code 2. While a command runs, messages name
options by their flags (``--batch-size``, see ``errors.spell``).

Whatever the terminal: one whose encoding lacks a character gets its ASCII
spelling, control characters in a message are shown escaped, and a reader that
goes away (``lossplay train | head -1``) only stops the printing: the command
finishes its work and exits with the code it would have had (see ``terminal``).
"""

import importlib
import os
import sys

import click

from lossplay import __version__
from lossplay.errors import LossplayError, flags_spelled
from lossplay.terminal import plain_spellings, printable, silence

# click 8.2 reports a bare group call as an error carrying the help; older versions print it themselves
NO_ARGS_IS_HELP = getattr(click.exceptions, "NoArgsIsHelpError", ())
EXIT_BUG = 1
EXIT_BAD_INPUT = 2
EXIT_DIVERGED = 3
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


def exit_code_of_stop(stop):
    """The exit code of a command whose training a signal stopped: 143 for SIGTERM, 130 for Ctrl-C."""
    import signal

    return EXIT_TERMINATED if stop.signum == signal.SIGTERM else EXIT_INTERRUPTED


# every command: the module that defines it and its one-line summary (the first line of its docstring),
# so that a command's module is imported only when that command runs or shows its help
COMMANDS = {
    "train": ("train", "Train one model and watch its loss fall."),
    "step": ("step", "Open up the training loop: show every number of the first few updates."),
    "compare": ("compare", "Train one run per loss (or optimizer, learning rate, option value) and compare them."),
    "demo": ("demo", "List the demos, or run one: what to watch for, the runs, then what happened."),
    "quiz": ("quiz", "Predict the next update of the training loop, then see it worked out."),
    "lesson": ("lesson", "List the lessons, or run one: a question to the class before each command, an "
                         "explanation after."),
    "losses": ("catalogs", "List the losses, or show one in full with a worked example."),
    "optimizers": ("catalogs", "List the optimizers, or show one in full with its first steps on a parabola."),
    "gradcheck": ("catalogs", "Check every loss and model's gradient against finite differences."),
    "datasets": ("datasets", "List the built-in and shipped datasets: task, size, features, what each is good for."),
    "configs": ("configs", "List the config files shipped with lossplay, or print one."),
    "landscape": ("landscape", "Draw the cost over two parameters, with each optimizer's path across it."),
    "lr-find": ("lrfind", "Find a learning rate: raise it step by step and watch where the cost falls fastest."),
    "report": ("report", "Write a self-contained HTML handout of a run, comparison, landscape or lr-find folder."),
}


class LossplayGroup(click.Group):
    """A click group whose every mistake ends as one 'Error: ...' line and exit code 2.

    ``LossplayError`` (bad values, files, combinations) and click's own usage
    errors (an unknown option, a word where a number belongs) are reported the
    same way: one line on stderr, with a hint, and no traceback. Commands are
    imported when used (see ``COMMANDS``), which keeps ``lossplay --help`` quick.
    """

    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        return getattr(importlib.import_module(f"lossplay.cli.{COMMANDS[name][0]}"), name.replace("-", "_"))

    def format_commands(self, ctx, formatter):
        with formatter.section("Commands"):
            formatter.write_dl([(name, summary) for name, (_, summary) in COMMANDS.items()])

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except BrokenPipeError:  # 'lossplay --help | head -1'
            reader_gone(ctx)

    def invoke(self, ctx):
        try:
            with flags_spelled():  # messages name --options, not the Python API's parameters
                return super().invoke(ctx)
        except LossplayError as error:
            say(f"Error: {printable(error)}", err=True)
            ctx.exit(EXIT_BAD_INPUT)
        except BrokenPipeError:  # click printed (a command's help, say()) to a reader that went away
            reader_gone(ctx)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        from lossplay.interrupt import Terminated, sigterm_as_interrupt

        plain_spellings(sys.stdout, sys.stderr)
        try:
            with sigterm_as_interrupt():
                code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except NO_ARGS_IS_HELP as error:  # plain 'lossplay': show the help
            say(error.ctx.get_help())
            sys.exit(0)
        except click.UsageError as error:
            say(f"Error: {printable(usage_message(error))}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except (click.Abort, KeyboardInterrupt) as error:  # click turns KeyboardInterrupt into Abort
            click.echo("Stopped.", err=True)
            terminated = isinstance(error, Terminated) or isinstance(error.__cause__, Terminated)
            sys.exit(EXIT_TERMINATED if terminated else EXIT_INTERRUPTED)
        except OSError as error:  # a disk that fills up, a folder that vanished
            say(f"Error: {printable(error.strerror or error)} ({printable(error.filename or 'while writing')}).",
                err=True)
            sys.exit(EXIT_BAD_INPUT)
        except Exception as error:
            if os.environ.get("LOSSPLAY_DEBUG"):
                raise
            click.echo(f"Error: an unexpected {type(error).__name__}: {error}. This is a bug in lossplay; "
                       "please report it with the command you ran (LOSSPLAY_DEBUG=1 shows the traceback).",
                       err=True)
            sys.exit(EXIT_BUG)
        sys.exit(code if isinstance(code, int) else 0)


def reader_gone(ctx):
    """The reader of the output went away while click printed: nothing more to show, the command is done
    (click itself would exit with 1)."""
    silence(sys.stdout)
    silence(sys.stderr)
    ctx.exit(0)


def say(text, err=False, nl=True):
    """Print a message to stdout (or stderr) the way every lossplay message goes out: in the stream's own
    encoding, with ASCII spellings where it lacks a character; a reader that went away silences it."""
    stream = sys.stderr if err else sys.stdout
    try:
        click.echo(text, file=stream, nl=nl)
    except BrokenPipeError:
        silence(stream)


def usage_message(error):
    """Click's usage error as one line, with lossplay's suggestion for a misspelt option."""
    import difflib

    from lossplay.config import suggest_option

    message = error.format_message()
    command = error.ctx.command_path if error.ctx is not None else "lossplay"
    if isinstance(error, click.NoSuchOption):
        message = f"No such option: {error.option_name}."
        suggestion = suggest_option(error.option_name)
        if suggestion:
            suggestion = suggestion.replace("'", "'--", 1).replace("_", "-")
        if suggestion == f" Did you mean '{error.option_name}'?":  # an option of train that this command sets itself
            message = f"'{command}' has no option {error.option_name}: it is an option of 'lossplay train' " \
                      "that this command does not use."
            close = difflib.get_close_matches(error.option_name, error.possibilities or [], n=2, cutoff=0.8)
            if close:  # --optimizer for --optimizers, not any option that shares a few letters
                message += f" Did you mean {' or '.join(close)}?"
        elif suggestion:
            message += suggestion
        elif error.possibilities:
            message += f" Did you mean {' or '.join(sorted(error.possibilities)[:2])}?"
    return f"{message} See '{command} --help'."


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
      lossplay compare mse mae huber --outliers   losses side by side
      lossplay demo                           the classroom demos
      lossplay quiz                           predict the next update, then check
      lossplay lesson                         lessons for a class: predict, run, discuss
      lossplay landscape                      the cost surface and optimizers' paths
      lossplay lr-find                        find a learning rate
      lossplay losses                         the losses, their formulas and uses
      lossplay datasets                       the datasets you can use
      lossplay configs                        ready-made configs: --config NAME

    Every command has --help. Exit codes: 0 done, 2 bad input,
    3 training diverged, 130 interrupted (Ctrl-C), 143 terminated
    (SIGTERM: the same as Ctrl-C).
    """


def main():
    """Entry point of the ``lossplay`` command."""
    cli(prog_name="lossplay")
