"""lossplay lesson: a teacher's sequence of commands, each with a question before it and an explanation after.

Every step is checked before the first one runs: its command and options are parsed by the command itself
(through the lossplay group, as the command line would), its option values checked as a config, and the
names it gives (a demo, a loss, an optimizer) looked up. Then each step runs in this process, its files in
the lesson's folder, and the lesson pauses between steps when it has a terminal to wait on.
"""

import sys
from datetime import datetime
from pathlib import Path

import click

from lossplay.cli import EXIT_INTERRUPTED, EXIT_TERMINATED, say, usage_message

# how compare's lists are named in messages, as the compare command names them
COMPARE_LABELS = {"losses": "the losses named", "optimizers": "--optimizers", "lrs": "--lrs", "vary": "--vary"}


def _root(ctx):
    """The lossplay group's context, whose commands the steps run."""
    return ctx.find_root()


def check_step(root, lesson, step):
    """Parse a step's command as it will run and check its values; a problem is one ``LossplayError`` that
    names the lesson and the step."""
    from lossplay.errors import LossplayError

    command = root.command.get_command(root, step.command)
    try:
        with command.make_context(step.command, step.arguments(Path("lesson-check")), parent=root) as sub:
            _check_values(step.command, sub)
    except click.UsageError as error:
        raise LossplayError(f"{lesson.where(step)}: {usage_message(error)}") from None
    except LossplayError as error:
        raise LossplayError(f"{lesson.where(step)}: {error}") from None


def _check_values(name, sub):
    """The option values of a parsed step, checked as the command will check them, and the names it gives."""
    from click.core import ParameterSource

    from lossplay.cli.options import config_from_command_line
    from lossplay.config import FIELDS, make_config

    params = sub.params
    if "config_file" in params:
        values = {key: value for key, value in params.items() if key in FIELDS}
        base = config_from_command_line(sub, params["config_file"], values)
    else:
        base = make_config()
    given = {key for key in params if sub.get_parameter_source(key) is ParameterSource.COMMANDLINE}
    if name == "compare" and given & {"losses", "optimizers", "lrs", "vary"}:
        from lossplay import comparison

        lists = comparison.parse_lists(params.get("losses"), params.get("optimizers"), params.get("lrs"),
                                       params.get("vary"), labels=COMPARE_LABELS)
        for variant in comparison.variants(*lists):
            make_config(**{**base.to_dict(), **variant.changes})
    elif name == "demo" and params.get("name"):
        from lossplay.demos import find

        find(params["name"])
    elif name in ("losses", "optimizers") and params.get("name"):
        from lossplay.registry import loss_class, optimizer_class

        (loss_class if name == "losses" else optimizer_class)(params["name"])


def run_step(root, lesson, step, folder, force):
    """Run one step in this process, as 'lossplay <command> ...' would; returns its exit code."""
    from lossplay.errors import LossplayError

    command = root.command.get_command(root, step.command)
    try:
        with command.make_context(step.command, step.arguments(folder, force), parent=root) as sub:
            command.invoke(sub)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.UsageError as error:
        raise LossplayError(f"{lesson.where(step)}: {usage_message(error)}") from None
    except LossplayError as error:
        raise LossplayError(f"{lesson.where(step)}: {error}") from None
    return 0


def lesson_folder(lesson, out, force):
    """The folder of the steps' files, checked: ``out``, which must be new or empty unless ``force``; else a new
    runs/lesson-<name>-<timestamp>. None when no step writes a file."""
    from lossplay.errors import LossplayError, spell
    from lossplay.runs import RUNS_DIR, timestamp

    if not any(step.output_name() for step in lesson.steps):
        return None
    if out is not None:
        path = Path(out)
        if path.exists() and not path.is_dir():
            raise LossplayError(f"{spell('out')} '{out}' is a file; give the path of a folder.")
        if path.is_dir() and any(path.iterdir()) and not force:
            raise LossplayError(f"{spell('out')} '{out}' already holds files; choose another folder or add "
                                f"{spell('force', True)} to replace the files lossplay wrote there.")
        return path
    base = Path(RUNS_DIR) / f"lesson-{lesson.name}-{timestamp(datetime.now())}"
    path, attempt = base, 1
    while path.exists():
        attempt += 1
        path = base.with_name(f"{base.name}-{attempt}")
    return path


def pause(prompt):
    """Wait for Enter; False when the teacher types q (or the input ends), to stop the lesson."""
    try:
        answer = input(prompt)
    except EOFError:
        return False
    return answer.strip().lower() not in ("q", "quit")


@click.command()
@click.argument("name", required=False, metavar="[NAME|FILE]")
@click.option("--handout", metavar="DIR", help="Also write an HTML handout in DIR: lesson.html (the questions, the "
                                               "commands and their pictures) and answers.html (the answer key).")
@click.option("--out", metavar="DIR", help="Folder for the files of the steps.  [default: "
                                           "runs/lesson-<name>-<timestamp>]")
@click.option("--force", is_flag=True, help="Allow --out and --handout to name folders that already hold files: "
                                            "what lossplay wrote there is replaced, nothing else.")
@click.option("--print", "print_toml", is_flag=True, help="Print the lesson's TOML, to copy, change and run as a file.")
@click.pass_context
def lesson(ctx, name, handout, out, force, print_toml):
    """List the lessons, or run one: a question to the class before each command, an explanation after.

    A lesson is a TOML file of steps, each a lossplay command with a question
    shown before it runs and what to look for shown after. In a terminal it
    waits for Enter before and after each command (q then Enter stops);
    otherwise it runs straight through. Every step is checked before the first
    one runs. The steps' runs and pictures go in the lesson's own folder.

    \b
    Examples:
      lossplay lesson
      lossplay lesson robust-losses
      lossplay lesson overfitting --handout handout
      lossplay lesson my_lesson.toml
      lossplay lesson imbalance --print > my_lesson.toml
    """
    from lossplay import lessons, render
    from lossplay.interrupt import Terminated
    from lossplay.render import lesson as show
    from lossplay.report.lesson import StepResult, handout_contents, picture_files, planned_handout
    from lossplay.runs import check_destination, write_folder

    console = render.make_console()
    if name is None:
        console.print(show.lessons_table(lessons.bundled()))
        console.print("minutes: in class, with time to predict and discuss. --print shows a lesson's TOML, to "
                      "write your own.")
        return
    chosen = lessons.find(name)
    if print_toml:
        say(chosen.text, nl=False)
        return
    root = _root(ctx)
    for step in chosen.steps:
        check_step(root, chosen, step)
    folder = lesson_folder(chosen, out, force)
    if handout is not None:
        if folder is not None and Path(handout).resolve() == folder.resolve():
            from lossplay.errors import LossplayError

            raise LossplayError("--handout and --out name the same folder: give the handout a folder of its own.")
        check_destination(handout, planned_handout(), force=force)
    pausing = sys.stdin is not None and sys.stdin.isatty()
    console.print(show.lesson_intro(chosen, pausing))
    results = []
    try:
        for step in chosen.steps:
            console.print(show.step_question(chosen, step))
            if pausing and not pause("Predict, then Enter to run it · q then Enter: stop "):
                break
            code = run_step(root, chosen, step, folder, force)
            output = None if folder is None or step.output_name() is None else folder / step.output_name()
            results.append(StepResult(step, code, output))
            if code in (EXIT_INTERRUPTED, EXIT_TERMINATED):
                console.print("Stopped.")
                ctx.exit(code)
            console.print(show.step_explanation(step, *picture_files(results[-1])))
            if pausing and step.number < len(chosen.steps) and not pause(
                    f"Enter: step {step.number + 1} of {len(chosen.steps)} · q then Enter: stop "):
                break
    except KeyboardInterrupt as stopped:
        console.print("\nStopped.")
        ctx.exit(EXIT_TERMINATED if isinstance(stopped, Terminated) else EXIT_INTERRUPTED)
    written = None
    if handout is not None and results:
        contents, missing = handout_contents(chosen, results, folder if folder is not None else Path(handout))
        written = write_folder(handout, contents, force=force)
        for problem in missing:
            say(f"Warning: {problem}", err=True)
    console.print(show.lesson_done(chosen, len(results), folder if folder is not None and folder.exists() else None,
                                   written))
