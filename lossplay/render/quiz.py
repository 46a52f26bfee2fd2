"""What ``lossplay quiz`` prints: the situation before an update, the question, the grade, the worked answer.

The situation holds what a learner needs to work the update out on paper -- the batch, the parameters and
the optimizer's state before it, the formulas -- and nothing the update computes. The worked answers are
the sections of ``lossplay step`` (``StepView``) for the same record, so the numbers are the same.
"""

import numpy as np
from rich import box
from rich.console import Group
from rich.markup import escape
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from lossplay.catalog import OPTIONS
from lossplay.quiz import NUMBER_RULE, SIGN_FORM, YES_NO_FORM, first_weight_and_bias, state_columns
from lossplay.render.common import Hanging, number, shown
from lossplay.render.step import MAX_FEATURES, MAX_PARAMETERS, MAX_ROWS
from lossplay.terminal import printable

MODEL_FORMULAS = {"linear": "z = w·x + b", "logistic": "z = w·x + b,  p = σ(z): the probability of class 1",
                  "softmax": "z_k = w_k·x + b_k for each class k,  p = softmax(z)"}


def _line(label, text):
    return Hanging(Text.assemble((f"{label:<10}", "bold"), text), "", " " * 10)


def quiz_intro(level, experiment, count):
    """What the quiz is about and how to answer."""
    c, data = experiment.config, experiment.data
    batch = "the full batch" if c.batch_size == 0 or c.batch_size >= data.n_train else f"batches of {c.batch_size}"
    about = Text.from_markup(
        f"A [bold]{c.model}[/] model with [bold]{escape(c.loss_label)}[/] loss and "
        f"[bold]{escape(c.optimizer_label)}[/] (lr {c.lr:g}) on [bold]{shown(c.dataset)}[/]: {data.n_train} "
        f"training rows in {batch}, features as they are in the data, seed {c.seed}. {count} question"
        f"{'s' if count != 1 else ''}, each about the next update of the training loop: predict it, then see it "
        "worked out with the numbers of lossplay step.")
    rules = Group(Hanging(f"a sign: {SIGN_FORM}"), Hanging(f"a number: any form (-1.25, 0.05, 5e-2). {NUMBER_RULE}"),
                  Hanging(f"will it fall: {YES_NO_FORM}"))
    title = f"Quiz, level {level.number}: {level.title}" if level is not None else "Quiz"
    return Panel(Group(about, Text(""), Text("How to answer:", style="bold"), rules), title=title,
                 title_align="left", border_style="cyan")


def _hyperparameters(record):
    words = []
    for name, value in record.hyperparameters.items():
        if value is None or value is False or value == 0:  # an option not in use (no momentum, no decay)
            continue
        symbol = OPTIONS[name].symbol if name in OPTIONS and OPTIONS[name].symbol else name
        words.append(name if value is True else f"{symbol} = {number(value)}")
    return words


def _batch_table(view, record):
    d = len(view.features)
    features = list(range(min(d, MAX_FEATURES)))
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1), show_edge=False)
    table.add_column("row")
    for j in features:
        table.add_column(escape(view.features[j]), justify="right")
    if d > len(features):
        table.add_column("…")
    table.add_column(escape(view.target_name), justify="right")
    n = record.rows.size
    for i in range(min(n, MAX_ROWS)):
        cells = [str(record.batch[i]), *(number(record.X[i, j]) for j in features)]
        cells += ["…"] if d > len(features) else []
        table.add_row(*cells, escape(view.target_text(record.y[i])))
    notes = []
    if n > MAX_ROWS:
        notes.append(f"… and {n - MAX_ROWS} more rows (lossplay step --json shows them all)")
    if d > len(features):
        notes.append(f"…: {d - len(features)} more features, not shown")
    return [table, *(Text(note, style="dim") for note in notes)]


def _parameters_table(view, experiment, record):
    """The parameters before the update and the optimizer's state before it."""
    names = view.parameter_names()
    states = state_columns(experiment.optimizer, record)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1), show_edge=False)
    table.add_column("parameter")
    table.add_column("now", justify="right")
    for name, _, _ in states:
        table.add_column(f"{escape(name)} now", justify="right")
    before = np.ravel(record.params_before)
    shown_rows = range(len(names)) if len(names) <= MAX_PARAMETERS else \
        sorted(set(first_weight_and_bias(record.grad)))
    for i in shown_rows:
        table.add_row(escape(names[i]), number(before[i]), *(number(np.ravel(b)[i]) for _, b, _ in states))
    parts = [table]
    if len(shown_rows) < len(names):
        parts.append(Text(f"… {len(names) - len(shown_rows)} more parameters, not asked about", style="dim"))
    counts = [f"{name} = {value}" for name, value in record.state_before._asdict().items()
              if value is not None and not isinstance(value, np.ndarray)]
    if counts:
        parts.append(Text(f"also in the state before this update: {', '.join(counts)}", style="dim"))
    return parts


def situation(view, experiment, record):
    """Everything needed to work out the update of ``record`` on paper, and nothing it computes."""
    loss, optimizer, penalty = experiment.loss, experiment.optimizer, experiment.penalty
    n = record.rows.size
    cost = f"C = mean of the {n} losses" if loss.weights is None else \
        f"C = Σ w·L / Σ w over the {n} rows, with class weights w"
    if penalty.active:
        terms = [f"{number(penalty.l2)}·½‖w‖²"] if penalty.l2 else []
        terms += [f"{number(penalty.l1)}·‖w‖₁"] if penalty.l1 else []
        cost += f";  objective = C + {' + '.join(terms)} (bias not penalised)"
    else:
        cost += ";  objective = C (no penalty)"
    settings = ", ".join([f"lr = {number(record.lr)}", *_hyperparameters(record)])
    return Group(
        Text(""),
        Rule(f"Update {record.step} · epoch {record.epoch}, batch {record.batch_in_epoch} of "
             f"{record.batches_per_epoch}", style="bold"),
        Text(f"The batch: {n} of the {experiment.data.n_train} training rows", style="bold cyan"),
        *_batch_table(view, record),
        _line("model", MODEL_FORMULAS.get(view.model.name, "z = w·x + b")),
        _line("loss", f"{loss.formula};  {loss.derivative_formula}"),
        _line("cost", cost),
        _line("optimizer", f"{optimizer.title} ({settings}):  {optimizer.rule}"),
        Text("The parameters before this update", style="bold cyan"),
        *_parameters_table(view, experiment, record),
    )


def question_text(question, total):
    head = Text(f"Question {question.number} of {total} · update {question.step}", style="bold yellow")
    return Group(Text(""), head, Hanging(question.text, ""), Text(f"Answer {question.form}.", style="dim"))


def verdict(question, grade):
    """Right or wrong, with the right answer and, for a number, what counts."""
    right = question.expected_text()
    if question.kind in ("value", "state"):
        tolerance = question.tolerance
        low, high = number(question.expected - tolerance, 6), number(question.expected + tolerance, 6)
        right += f" (from {low} to {high} counts)" if tolerance else " (only 0 counts)"
    if grade.correct:
        return Text.assemble(("✓ Right: ", "bold green"), question.expected_text(), ".")
    if grade.problem is not None:
        return Hanging(Text.assemble(("✗ ", "bold red"), printable(grade.problem), f" The answer: {right}."), "")
    given = printable(grade.answer.strip())
    return Hanging(Text.assemble(("✗ Not this time: ", "bold red"), f"you answered {given}; the answer is {right}."),
                   "")


def worked_answer(view, experiment, question):
    """The sections of lossplay step that answer ``question``, for its record."""
    record = question.record
    if question.kind == "sign":
        parts = [*view.batch(record), *view.backward(record)]
    elif question.kind == "falls":
        parts = view.verdict(record)
    else:
        parts = view.update(record)
        if question.parameter != 0 or len(view.parameter_names()) > MAX_PARAMETERS:
            parts.append(Hanging(question.working, "   ", "     "))
    return Group(Text(""), Text("Worked answer (the numbers of lossplay step):", style="dim"), *parts)


def asked_about(question):
    """What a question asked, in a few words: 'the sign of g for b', 'm of w[x] after the update'."""
    if question.kind == "sign":
        return f"the sign of g for {question.name}"
    if question.kind == "state":
        return f"{question.state} of {question.name} after the update"
    if question.kind == "value":
        return f"{question.name} after the update"
    return f"does the {question.split} cost fall"


def quiz_summary(questions, answered, ended):
    """The score, and the questions missed with their answers worked out in one line each."""
    score = sum(a.grade.correct for a in answered)
    missed = [a for a in answered if not a.grade.correct]
    parts = []
    reason = {"end of the answers": "the answers ended", "interrupted": "the quiz was interrupted"}.get(ended)
    if not answered:
        parts.append(Text(f"No question was answered{': ' + reason if reason else ''}."))
    elif reason:
        parts.append(Text(f"Answered {len(answered)} of {len(questions)} questions: {reason}."))
    if missed:
        parts.append(Text("Missed:", style="bold"))
        for item in missed:
            q, g = item.question, item.grade
            given = "no answer of the expected form" if g.parsed is None else \
                f"you answered {printable(g.answer.strip())}"
            parts.append(Hanging(f"Question {q.number} (update {q.step}, {asked_about(q)}): {given}; the "
                                 f"answer is {q.expected_text()}. {q.working}"))
    elif answered:
        parts.append(Text("Every answer right." if len(answered) == len(questions) else "Every answer given was right.",
                          style="green"))
    title = f"Score: {score} of {len(answered)}" if answered else "Score: nothing answered"
    return Panel(Group(*parts), title=title, title_align="left",
                 border_style="green" if answered and not missed else "yellow")
