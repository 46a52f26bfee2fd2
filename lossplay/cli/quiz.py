"""lossplay quiz: predict the next update of the training loop, then see it worked out."""

import sys

import click

from lossplay.cli import EXIT_INTERRUPTED, EXIT_TERMINATED, say
from lossplay.quiz import DEFAULT_QUESTIONS, LEVELS, MAX_QUESTIONS

MAX_ANSWERS_BYTES = 1_000_000
# the longest line read as one answer from a pipe; the rest of a longer line is skipped
MAX_ANSWER_CHARS = 1000


class FileAnswers:
    """The lines of an answers file, one answer per line, read once (bounded by ``MAX_ANSWERS_BYTES``)."""

    interactive = False

    def __init__(self, path):
        from lossplay.errors import LossplayError
        from lossplay.inputs import read_bytes

        content = read_bytes(path, what="Answers file", kind="text", limit=MAX_ANSWERS_BYTES,
                             smaller="it holds one short answer per line.")
        try:
            self.lines = iter(content.decode("utf-8-sig").splitlines())
        except UnicodeDecodeError:
            raise LossplayError(f"Answers file '{path}' is not UTF-8 text.") from None

    def next(self, prompt):
        return next(self.lines, None)


class PipedAnswers:
    """Answers read from standard input, one line when each question is asked; None at its end."""

    interactive = False

    def __init__(self, stream):
        self.stream = stream

    def next(self, prompt):
        line = self.stream.readline(MAX_ANSWER_CHARS)
        if not line:
            return None
        rest = line
        while rest and not rest.endswith("\n"):  # a longer line: the rest of it is not another answer
            rest = self.stream.readline(MAX_ANSWER_CHARS)
        return line.rstrip("\r\n")


class TerminalAnswers:
    """Answers typed at the terminal; None when it closes its input (Ctrl-D)."""

    interactive = True

    def __init__(self):
        try:  # line editing for input(): arrow keys move in the line instead of typing escape codes
            import readline  # noqa: F401
        except ImportError:
            pass

    def next(self, prompt):
        try:
            return input(prompt)
        except EOFError:
            return None


def answer_source(answers, as_json):
    """Where the answers come from: the file named, standard input when it is not a terminal, the terminal
    (None with --json, which never asks)."""
    if answers is not None:
        return FileAnswers(answers)
    if sys.stdin is not None and not sys.stdin.isatty():
        return PipedAnswers(sys.stdin)
    return None if as_json else TerminalAnswers()


@click.command()
@click.option("--level", type=click.IntRange(1, len(LEVELS)), default=1, show_default=True, metavar="N",
              help="From 1 to " + str(len(LEVELS)) + ": " + "; ".join(f"{n} {level.title}"
                                                                    for n, level in LEVELS.items()) + ".")
@click.option("--loss", metavar="NAME", help="Ask about this loss instead of the level's (with the step view's "
                                             "dataset for it, unless --dataset is given).")
@click.option("--optimizer", metavar="NAME", help="Ask about this optimizer instead of the level's; also momentum, "
                                                  "nesterov (SGD with μ = 0.9) and NAME@LR for a learning rate.")
@click.option("--dataset", metavar="NAME|PATH", help="Ask about this dataset instead of the level's.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True, metavar="N",
              help="Seed of the data, the split and the batches: the same seed gives the same questions.")
@click.option("--questions", "count", type=int, default=DEFAULT_QUESTIONS, show_default=True, metavar="N",
              help=f"How many questions (at most {MAX_QUESTIONS}).")
@click.option("--answers", metavar="FILE", help="Read the answers from FILE, one per line (- for standard input); "
                                                "the quiz ends where the answers end.")
@click.option("--json", "as_json", is_flag=True,
              help="Print the questions, the answers and their grades as one JSON object at the end, instead of "
                   "the tables; never asks (answers come from --answers or piped standard input).")
@click.pass_context
def quiz(ctx, level, loss, optimizer, dataset, seed, count, answers, as_json):
    """Predict the next update of the training loop, then see it worked out.

    Shows a batch, the parameters, the loss and the optimizer with its state,
    and asks, one question at a time: the sign of a gradient component, a
    parameter's value after the update, a state's value after it (momentum's
    buf, Adam's m and v, RMSprop's v) and whether the cost will fall. After
    each answer: the worked answer, with the numbers of 'lossplay step', and
    at the end the score. The questions come from the loop's own records, so
    the same options and seed give the whole class the same quiz.

    A sign is +, positive, -, negative or 0; a number is right within half a
    unit of the true value's second significant digit; yes or no for a fall. Answers can
    come from a file (--answers) or a pipe, one per line; the quiz ends
    cleanly where they end, and exits with 0 whatever the score.

    \b
    Examples:
      lossplay quiz
      lossplay quiz --level 4 --questions 8
      lossplay quiz --loss huber --optimizer momentum --seed 3
      lossplay quiz --answers answers.txt --json
    """
    import json

    from lossplay import quiz as quizzing
    from lossplay.api import step_experiment, step_records
    from lossplay.config import STEP_DEFAULTS, make_config
    from lossplay.interrupt import Terminated
    from lossplay.loop import StepRecord
    from lossplay.runs import plain

    quizzing.check_question_count(count)
    options = quizzing.quiz_options(level, loss, optimizer, dataset, seed)
    experiment = step_experiment(make_config(**{**STEP_DEFAULTS, **options}))
    source = answer_source(answers, as_json)
    from lossplay import render
    from lossplay.render import quiz as view_of_quiz

    view = render.StepView(experiment)
    records = (r for r in step_records(experiment, count) if isinstance(r, StepRecord))
    questions = quizzing.make_questions(records, view.parameter_names(), experiment.optimizer,
                                        experiment.data.n_train, count)
    console = None if as_json else render.make_console()
    chosen = quizzing.LEVELS[level] if loss is None and optimizer is None and dataset is None else None
    if console is not None:
        console.print(view_of_quiz.quiz_intro(chosen, experiment, len(questions)))
        render.print_notes(console, experiment.notes)
    answered, ended, code = [], "all answered", 0
    try:
        shown_step = None
        for question in questions:
            if source is None:
                ended = "end of the answers"
                break
            if console is not None:
                if question.step != shown_step:
                    console.print(view_of_quiz.situation(view, experiment, question.record))
                    shown_step = question.step
                console.print(view_of_quiz.question_text(question, len(questions)))
            grade = ask(source, question, console)
            if grade is None:
                ended = "end of the answers"
                break
            answered.append(quizzing.Answered(question, grade))
            if console is not None:
                console.print(view_of_quiz.verdict(question, grade))
                console.print(view_of_quiz.worked_answer(view, experiment, question))
    except KeyboardInterrupt as stopped:
        ended = "interrupted"
        code = EXIT_TERMINATED if isinstance(stopped, Terminated) else EXIT_INTERRUPTED
        if console is not None:
            console.print()
    if as_json:
        say(json.dumps(plain(quizzing.summary(questions, answered, ended))))
    else:
        console.print()
        console.print(view_of_quiz.quiz_summary(questions, answered, ended))
    if code:
        ctx.exit(code)


def ask(source, question, console):
    """The grade of the next answer, or None when the answers have ended. At a terminal, an answer that is not
    of the question's form is asked again once; elsewhere it is graded wrong."""
    from lossplay.quiz import grade
    from lossplay.terminal import printable

    tries = 2 if source.interactive else 1
    for attempt in range(tries):
        answer = source.next("Your answer: ")
        if answer is None:
            return None
        if not source.interactive and console is not None:
            console.print(f"Your answer: {printable(answer.strip())}", markup=False, highlight=False)
        graded = grade(question, answer)
        if graded.parsed is not None or attempt == tries - 1:
            return graded
        console.print(f"{printable(graded.problem)} Once more:", markup=False, highlight=False, style="yellow")
    return None
