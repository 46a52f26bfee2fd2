"""Lessons: a teacher's sequence of lossplay commands, each with a question to the class before it runs and
an explanation after.

A lesson is a TOML file::

    title = "MSE, MAE and Huber: what outliers do to a fit"
    summary = "one line for the list of lessons"
    minutes = 12                                  # optional: how long it takes in class

    [[steps]]
    command = "compare mse mae huber --outliers"  # a lossplay command, as typed after 'lossplay'
    hidden = "--optimizer adam --epochs 150"      # optional: options used but not shown to the class
    question = "Predict: which line will the corrupted targets drag furthest?"
    explanation = "What to look for in what it printed, and why."

Steps run in order, in-process (``cli/lesson.py``), each one's files in a folder the lesson owns:
``<lesson folder>/<NN>-<command>``. A step may run ``LESSON_COMMANDS``; it may not choose where it writes
(``--out``, ``--force``: the lesson does). Everything about a lesson file is checked when it is read, and
every step's options before any step runs; a mistake is one error that names the lesson and the step.

The bundled lessons are ``configs/lesson_*.toml``, listed in ``BUNDLED`` in the order of a course.
Nothing here prints or runs a command.
"""

import shlex
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from lossplay.errors import LossplayError, did_you_mean
from lossplay.inputs import read_bytes

MAX_LESSON_BYTES = 200_000
MAX_LESSON_STEPS = 30
MAX_TEXT_CHARS = 2_000
MAX_COMMAND_WORDS = 60

LESSON_COMMANDS = ("train", "step", "compare", "demo", "landscape", "lr-find", "losses", "optimizers",
                   "datasets", "gradcheck")
NOT_IN_A_LESSON = {
    "lesson": "a lesson cannot run a lesson",
    "quiz": "a quiz waits for each learner's answers: run it on its own (lossplay quiz)",
    "report": "the lesson writes its own handout (lossplay lesson NAME --handout DIR)",
}
# options a step may not give: the lesson decides where each step writes, and nothing asks for help mid-lesson
OWNED_OPTIONS = {"--out": "the lesson chooses where each step writes (its own folder; lossplay lesson --out)",
                 "--force": "the lesson decides what may be replaced (lossplay lesson --force)",
                 "--help": "a step runs its command", "-h": "a step runs its command",
                 "--version": "a step runs its command"}
# the commands that write files, and what they write with --out: a folder, or one picture (losses --plot)
WRITES = {"train": "folder", "compare": "folder", "demo": "folder", "landscape": "folder", "lr-find": "folder",
          "losses": "picture"}

BUNDLED = ("loss-cost-objective", "robust-losses", "cross-entropy", "regularisation", "overfitting",
           "learning-rate", "imbalance")
TOP_KEYS = {"title": str, "summary": str, "minutes": int, "steps": list}
STEP_KEYS = {"command": str, "hidden": str, "question": str, "explanation": str}
REQUIRED_STEP_KEYS = ("command", "question", "explanation")


@dataclass(frozen=True)
class LessonStep:
    """One command of a lesson: the words the class sees, the hidden ones, the question and the explanation."""

    number: int
    command: str
    shown: tuple
    hidden: tuple
    question: str
    explanation: str

    @property
    def shown_command(self):
        """The command as the class sees it: 'lossplay compare mse mae --outliers'."""
        return "lossplay " + shlex.join([self.command, *self.shown])

    @property
    def full_command(self):
        """The command as it runs, hidden options included (without where it writes)."""
        return "lossplay " + shlex.join([self.command, *self.shown, *self.hidden])

    def output_name(self):
        """The name of what this step writes in the lesson's folder ('02-compare', '05-losses.png'), or None."""
        kind = WRITES.get(self.command)
        if kind is None:
            return None
        return f"{self.number:02d}-{self.command}" + (".png" if kind == "picture" else "")

    def arguments(self, folder=None, force=False):
        """The words after 'lossplay <command>' that run it: shown, hidden, then where it writes in ``folder``."""
        words = [*self.shown, *self.hidden]
        name = self.output_name()
        if folder is not None and name is not None:
            words += ["--out", str(Path(folder) / name)]
            if force:
                words.append("--force")
        return words


@dataclass(frozen=True)
class Lesson:
    """A lesson: its name, title, one-line summary, minutes in class, steps and where it came from."""

    name: str
    title: str
    summary: str
    minutes: int | None
    steps: tuple
    origin: str
    text: str

    def where(self, step):
        """How a message names a step: "Lesson 'robust-losses', step 2 (lossplay compare ...)"."""
        return f"{self.origin}, step {step.number} ({step.shown_command})"


def _bundled_file(name):
    return f"lesson_{name.replace('-', '_')}.toml"


def bundled():
    """The bundled lessons, by name, in the order of a course."""
    return {name: bundled_lesson(name) for name in BUNDLED}


def bundled_lesson(name):
    text = resources.files("lossplay.configs").joinpath(_bundled_file(name)).read_text(encoding="utf-8")
    return parse_lesson(text, name, f"Lesson '{name}'")


def find(name):
    """The bundled lesson called ``name`` (dashes or underscores), or the lesson in the file ``name``."""
    key = str(name).strip().replace("_", "-").lower()
    if key in BUNDLED:
        return bundled_lesson(key)
    path = Path(name)
    if path.suffix.lower() == ".toml" or path.exists() or str(name) == "-":
        return read_lesson(name)
    raise LossplayError(f"Unknown lesson '{name}'.{did_you_mean(key, BUNDLED)} Run 'lossplay lesson' for the "
                        "list, or give the path of a lesson's .toml file.")


def read_lesson(path):
    """The lesson in the TOML file ``path`` (bounded by ``MAX_LESSON_BYTES``), checked."""
    content = read_bytes(path, what="Lesson file", kind="TOML", limit=MAX_LESSON_BYTES,
                         smaller="a lesson holds a few steps of text; is it the right file?")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LossplayError(f"Lesson file '{path}' is not UTF-8 text.") from None
    name = "lesson" if str(path) == "-" else Path(path).stem
    return parse_lesson(text, name, f"Lesson file '{path}'")


def parse_lesson(text, name, origin):
    """A ``Lesson`` from its TOML ``text``; ``origin`` names it in messages ("Lesson file 'x.toml'")."""
    import tomllib

    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LossplayError(f"{origin} is not valid TOML: {error}.") from None
    except RecursionError:
        raise LossplayError(f"{origin} nests its tables too deeply to be read.") from None
    _check_keys(values, TOP_KEYS, ("title", "steps"), origin)
    steps = values["steps"]
    if not steps:
        raise LossplayError(f"{origin} has no steps: add [[steps]] tables, each with a command, a question and "
                            "an explanation.")
    if len(steps) > MAX_LESSON_STEPS:
        raise LossplayError(f"{origin} has {len(steps)} steps; a lesson holds at most {MAX_LESSON_STEPS}: split it "
                            "into two lessons.")
    minutes = values.get("minutes")
    if minutes is not None and not 1 <= minutes <= 600:
        raise LossplayError(f"{origin}: 'minutes' must be between 1 and 600, got {minutes}.")
    parsed = tuple(_step(number, table, f"{origin}, step {number}") for number, table in enumerate(steps, start=1))
    return Lesson(name, _text(values["title"], f"{origin}: 'title'"),
                  _text(values.get("summary", ""), f"{origin}: 'summary'"), minutes, parsed, origin, text)


def _check_keys(values, kinds, required, origin):
    if not isinstance(values, dict):
        raise LossplayError(f"{origin} must be a table of keys, like command = \"train\".")
    for key, value in values.items():
        if key not in kinds:
            raise LossplayError(f"{origin}: unknown key '{key}'.{did_you_mean(key, kinds)} The keys are "
                                f"{', '.join(kinds)}.")
        kind = kinds[key]
        if not isinstance(value, kind) or isinstance(value, bool):
            words = {str: "a text in quotes", int: "a whole number", list: "a list of [[steps]] tables"}[kind]
            raise LossplayError(f"{origin}: '{key}' must be {words}, got {type(value).__name__} {value!r:.60}.")
    for key in required:
        if key not in values:
            raise LossplayError(f"{origin} has no '{key}'.")


def _text(value, what):
    if len(value) > MAX_TEXT_CHARS:
        raise LossplayError(f"{what} is {len(value):,} characters long; at most {MAX_TEXT_CHARS:,} are shown.")
    return value.strip()


def _words(text, what):
    try:
        words = shlex.split(text)
    except ValueError as error:
        raise LossplayError(f"{what} cannot be read as words: {error} (a quote is not closed?).") from None
    if len(words) > MAX_COMMAND_WORDS:
        raise LossplayError(f"{what} has {len(words)} words; at most {MAX_COMMAND_WORDS}.")
    for word in words:
        flag = word.split("=", 1)[0]
        if flag in OWNED_OPTIONS:
            raise LossplayError(f"{what} gives {flag}: {OWNED_OPTIONS[flag]}.")
    return words


def _step(number, table, where):
    _check_keys(table, STEP_KEYS, REQUIRED_STEP_KEYS, where)
    words = _words(_text(table["command"], f"{where}: 'command'"), f"{where}: 'command'")
    if words[:1] == ["lossplay"]:
        words = words[1:]
    if not words:
        raise LossplayError(f"{where}: 'command' is empty: give a lossplay command, like \"demo outliers\".")
    command = words[0]
    if command in NOT_IN_A_LESSON:
        raise LossplayError(f"{where}: {NOT_IN_A_LESSON[command]}.")
    if command not in LESSON_COMMANDS:
        raise LossplayError(f"{where}: unknown command '{command}'.{did_you_mean(command, LESSON_COMMANDS)} A step "
                            f"runs one of: {', '.join(LESSON_COMMANDS)}.")
    hidden = _words(_text(table.get("hidden", ""), f"{where}: 'hidden'"), f"{where}: 'hidden'")
    question = _text(table["question"], f"{where}: 'question'")
    explanation = _text(table["explanation"], f"{where}: 'explanation'")
    for key, value in (("question", question), ("explanation", explanation)):
        if not value:
            raise LossplayError(f"{where}: '{key}' is empty.")
    return LessonStep(number, command, tuple(words[1:]), tuple(hidden), question, explanation)
