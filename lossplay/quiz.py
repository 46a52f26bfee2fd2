"""Learning by predicting: questions about the next update of the training loop, and how answers are graded.

A quiz is a run of ``lossplay step`` that stops before each update and asks the learner what it will do.
Every question and every right answer is read from the loop's own ``StepRecord`` of that update (the
numbers ``lossplay step`` prints), never from a calculation of its own. For each update, in order:

- ``sign``: the sign of one component of the gradient g (the first weight on odd updates, the bias on
  even ones) -- the sign of the number the record holds, 0 only when it is exactly 0;
- ``state``: the value of one part of the optimizer's state after the update (momentum's buf, Adam's m
  then v, RMSprop's v), for that parameter -- only for an optimizer that keeps a state;
- ``value``: the value of that parameter after the update;
- ``falls``: whether the cost will be lower after the update: on the batch for odd updates, on the whole
  training split for even ones (the batch, when the batch is the whole split). It falls when
  after < before − 10⁻¹²·max(1, |before|), the tolerance of ``lossplay step``'s "Did it help?".

Answers (``grade``) are read forgivingly but counted exactly:

- a sign: ``+``, ``positive``, ``-`` (or ``−``), ``negative``, ``0`` or ``zero``, in any case;
- a number: any form Python reads as a finite float (``-1.25``, ``.05``, ``5e-2``, ``+3``, ``−2``);
  it is right when |answer − true| ≤ ½·10^(⌊log₁₀|true|⌋ − 1), within half a unit of the true value's
  second significant digit (the true value rounded to 2 significant digits always is); when the true
  value is exactly 0, only 0 is right;
- yes or no: ``yes``, ``y``, ``no`` or ``n``, in any case.

Anything else is not an answer of the question's form: it is graded wrong with a message that says
which form was expected. Nothing here prints or reads input: the command line does (``cli/quiz.py``),
and ``render/quiz.py`` shows it.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from lossplay.config import optimizer_spec
from lossplay.errors import LossplayError, spell
from lossplay.formatting import factor, number

MAX_QUESTIONS = 50
DEFAULT_QUESTIONS = 5
# the tolerance of "the cost fell" (the same as lossplay step's "Did it help?")
FALL_TOLERANCE = 1e-12

SIGN_FORM = "+ or positive, - or negative, 0 or zero"
NUMBER_FORM = "a number, like -1.25, 0.05 or 5e-2"
YES_NO_FORM = "yes or no (y or n)"
NUMBER_RULE = ("A number is right when it is within half a unit of the true value's second significant digit: "
               "|answer − true| ≤ ½·10^(⌊log₁₀|true|⌋ − 1). For 1.353 that is 1.303 to 1.403, so 1.4 and 1.35 "
               "count but 1.3 does not; the true value rounded to 2 significant digits always counts. When the "
               "true value is 0, only 0 counts.")

SIGNS = {"+": "+", "positive": "+", "-": "-", "−": "-", "negative": "-", "0": "0", "zero": "0"}
SIGN_WORDS = {"+": "positive", "-": "negative", "0": "zero"}
YES_NO = {"yes": True, "y": True, "no": False, "n": False}


@dataclass(frozen=True)
class Level:
    """A quiz level: a loss, an optimizer (a name as ``--optimizers`` takes it: 'momentum', 'sgd@0.05')
    and a dataset for ``lossplay step``."""

    number: int
    title: str
    loss: str
    optimizer: str
    dataset: str


LEVELS = {level.number: level for level in (
    Level(1, "MSE with SGD on one feature", "mse", "sgd", "tiny"),
    Level(2, "MSE with SGD and momentum", "mse", "momentum@0.02", "tiny"),
    Level(3, "Huber loss with RMSprop", "huber", "rmsprop", "tiny"),
    Level(4, "MSE with Adam", "mse", "adam", "tiny"),
    Level(5, "BCE with SGD on two features", "bce", "sgd", "blobs"),
    Level(6, "BCE with Adam", "bce", "adam", "blobs"),
)}


def level_of(number):
    """The level called ``number``, or a clear error naming the levels there are."""
    if number not in LEVELS:
        raise LossplayError(f"{spell('level')} must be one of {', '.join(map(str, LEVELS))}, got {number}.")
    return LEVELS[number]


def quiz_options(level=1, loss=None, optimizer=None, dataset=None, seed=0):
    """The options of the ``lossplay step`` run a quiz asks about: the level's loss, optimizer and dataset,
    each replaced by the one given. A loss given without a dataset takes the step view's default dataset for
    it (tiny for regression, blobs for bce, blobs3 for cce), not the level's."""
    chosen = level_of(level)
    options = {"loss": chosen.loss if loss is None else loss, "seed": seed}
    if dataset is not None:
        options["dataset"] = dataset
    elif loss is None:
        options["dataset"] = chosen.dataset
    options.update(optimizer_spec(chosen.optimizer if optimizer is None else optimizer))
    return options


def check_question_count(count):
    """The number of questions, checked: 1 to ``MAX_QUESTIONS``."""
    if not 1 <= count <= MAX_QUESTIONS:
        raise LossplayError(f"{spell('questions')} must be at least 1 and at most {MAX_QUESTIONS}, got {count}.")
    return count


# -- the questions ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One question about the update of ``record``: its kind, what it asks about, its text, the right answer
    (``expected``: '+', '-' or '0'; a float; True or False) and ``working``, the right answer worked out in one
    line with the record's numbers (the loss's and the optimizer's own words)."""

    number: int
    kind: str
    record: object = field(repr=False, compare=False)
    parameter: int | None
    name: str | None
    state: str | None
    split: str | None
    text: str
    expected: object
    working: str

    @property
    def step(self):
        """The update the question is about (from 1)."""
        return self.record.step

    @property
    def form(self):
        """What an answer looks like, in words."""
        return {"sign": SIGN_FORM, "falls": YES_NO_FORM}.get(self.kind, NUMBER_FORM)

    @property
    def tolerance(self):
        """How far a number may be from the right answer (None for a sign or a yes/no)."""
        return tolerance(self.expected) if self.kind in ("value", "state") else None

    def expected_text(self):
        """The right answer in words: '− (negative)', '1.353', 'yes'."""
        if self.kind == "sign":
            return f"{self.expected.replace('-', '−')} ({SIGN_WORDS[self.expected]})"
        if self.kind == "falls":
            return "yes" if self.expected else "no"
        return number(self.expected)

    def to_dict(self):
        return {"number": self.number, "step": self.step, "kind": self.kind, "parameter": self.name,
                "state": self.state, "split": self.split, "question": self.text, "expected": self.expected,
                "tolerance": self.tolerance, "working": self.working}


def tolerance(value):
    """½·10^(⌊log₁₀|value|⌋ − 1): half a unit of the second significant digit of ``value``; 0 for 0."""
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return 0.0
    return 0.5 * 10.0 ** (math.floor(math.log10(abs(value))) - 1)


def first_weight_and_bias(theta):
    """The flat indices in theta of the parameters the step view works out: the first weight (of the first
    class) and the bias (of the first class)."""
    theta = np.asarray(theta)
    bias = (theta.shape[0] - 1) * (theta.shape[1] if theta.ndim == 2 else 1)
    return 0, bias


def state_columns(optimizer, record):
    """The optimizer's state as (name, before, after) per part (buf, m, v, ...): from its own
    ``state_columns``, the labels the step view shows ('m: before → after (t = 1)' is called m)."""
    columns, _ = optimizer.state_columns(record.state_before, record.state_after, record.trace)
    return [(label.split(":")[0].strip(), before, after) for label, before, after in columns]


def fell(before, after):
    """True when the cost fell: after < before − ``FALL_TOLERANCE``·max(1, |before|)."""
    return bool(after < before - FALL_TOLERANCE * max(1.0, abs(before)))


def questions_of(record, names, optimizer, n_train, first_number=1):
    """The questions about one update (see the module), numbered from ``first_number``."""
    weight, bias = first_weight_and_bias(record.grad)
    index = weight if record.step % 2 == 1 else bias
    name = names[index]
    flat = {key: np.ravel(getattr(record, key)) for key in ("grad", "update", "params_before", "params_after")}
    worked = optimizer.worked_update(index, name, record.grad, record.lr, record.update, record.state_before,
                                     record.state_after, record.trace)
    found = []

    def ask(kind, text, expected, working, state=None, split=None):
        found.append(Question(first_number + len(found), kind, record, index if kind != "falls" else None,
                              name if kind != "falls" else None, state, split, text, expected, working))

    g = float(flat["grad"][index])
    ask("sign", f"What is the sign of the gradient g for {name} in this update (g = ∂objective/∂{name} on this "
                "batch)?", "0" if g == 0 else "+" if g > 0 else "-", f"{name}: g = {number(g)}")
    states = state_columns(optimizer, record)
    if states:
        state, _, after = states[(record.step - 1) // 2 % len(states)]
        ask("state", f"What is {state} for {name} after this update?", float(np.ravel(after)[index]), worked,
            state=state)
    before, after = float(flat["params_before"][index]), float(flat["params_after"][index])
    ask("value", f"What is {name} after this update?", after,
        f"{worked}; {name} = {number(before)} + {factor(flat['update'][index])} = {number(after)}")
    whole = record.rows.size == n_train
    if record.step % 2 == 1 or whole:
        split, label, before, after = "batch", "batch cost", record.cost, record.batch_cost_after
        where = ("on the batch (here the whole training split)" if whole else
                 f"on this batch of {record.rows.size} rows")
    else:
        split, label = "training split", "whole training split"
        before, after = record.train_cost_before, record.train_cost_after
        where = f"on the whole training split ({n_train} rows), not only on this batch"
    ask("falls", f"Will the cost {where} be lower after this update?", fell(before, after),
        f"{label} {number(before)} → {number(after)}", split=split)
    return found


def make_questions(records, names, optimizer, n_train, count):
    """The first ``count`` questions, update by update, from the loop's ``StepRecord``s (an iterable that is
    read no further than needed). ``names`` are the parameters' names in theta's flat order."""
    questions = []
    for record in records:
        questions += questions_of(record, names, optimizer, n_train, len(questions) + 1)
        if len(questions) >= count:
            break
    return questions[:count]


# -- the answers -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grade:
    """An answer as given, what it was read as (None when it is not of the question's form), whether it is
    right, and why it could not be read."""

    answer: str
    parsed: object
    correct: bool
    problem: str | None = None


def parse_sign(text):
    """'+', '-' or '0' for the words of a sign (see the module), else None."""
    return SIGNS.get(text.strip().lower())


def parse_number(text):
    """The finite float written in ``text`` (a − counts as a minus), else None."""
    try:
        value = float(text.strip().replace("−", "-"))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_yes_no(text):
    """True for yes or y, False for no or n (any case), else None."""
    return YES_NO.get(text.strip().lower())


PARSERS = {"sign": parse_sign, "falls": parse_yes_no, "value": parse_number, "state": parse_number}


def grade(question, answer):
    """The ``Grade`` of ``answer`` (a line of text) to ``question``: see the module for what counts."""
    parsed = PARSERS[question.kind](answer)
    if parsed is None:
        shown = answer.strip()
        given = f"'{shown[:40]}'" if shown else "An empty answer"
        return Grade(answer, None, False, f"{given} is not an answer of this form: answer {question.form}.")
    if question.kind in ("value", "state"):
        right = abs(parsed - question.expected) <= question.tolerance * (1 + 1e-9)
    else:
        right = parsed == question.expected
    return Grade(answer, parsed, bool(right))


@dataclass(frozen=True)
class Answered:
    question: Question
    grade: Grade


def summary(questions, answered, ended):
    """The quiz as a plain dict (``--json``): every question with its right answer and, for those answered,
    the answer and its grade; the score; and how it ended ('all answered', 'end of the answers',
    'interrupted')."""
    given = {a.question.number: a.grade for a in answered}
    rows = []
    for question in questions:
        row = question.to_dict()
        grade_ = given.get(question.number)
        row.update({"answered": grade_ is not None, "answer": None if grade_ is None else grade_.answer,
                    "read_as": None if grade_ is None else grade_.parsed,
                    "correct": None if grade_ is None else grade_.correct,
                    "problem": None if grade_ is None else grade_.problem})
        rows.append(row)
    return {"questions": rows, "score": sum(a.grade.correct for a in answered), "answered": len(answered),
            "total": len(questions), "ended": ended, "number_rule": NUMBER_RULE}

