"""lossplay quiz: the questions come from step's records, right answers score, the tolerance is the one stated."""

import json
import subprocess
import sys

import numpy as np
import pytest
from click.testing import CliRunner

import lossplay
from lossplay import quiz
from lossplay.cli import cli

# the key of each state the quiz names, in step --json's optimizer_state
STATE_KEYS = {"buf": "buffer", "m": "m", "v": "v", "G": "G"}


def invoke(*args, stdin=""):
    return CliRunner().invoke(cli, ["quiz", *args], input=stdin)


def words(text):
    """The text with its line breaks and runs of spaces as single spaces (rich wraps at 80 columns)."""
    return " ".join(text.split())


def quiz_json(*args, stdin=""):
    result = invoke(*args, "--json", stdin=stdin)
    assert result.exit_code == 0, result.output + result.stderr
    return json.loads(result.stdout)


def step_json(level, steps):
    """The records of ``lossplay step`` with the options of a quiz level, from its own --json."""
    options = quiz.quiz_options(level)
    args = ["step", "--json", "--steps", str(steps)]
    for key, value in options.items():
        args += [f"--{key.replace('_', '-')}", str(value)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def component(params, name):
    """The first weight (of the first class) or the bias (of the first class) of run.json-style params."""
    value = params["bias"] if name.startswith("b") else params["weights"][0]
    return float(np.ravel(value)[0])


def right_answer(question, records):
    """The answer to a quiz question read from step --json, by the rules of lossplay.quiz's docstring."""
    record = records[question["step"] - 1]
    kind, name = question["kind"], question["parameter"]
    if kind == "sign":
        g = component(record["grads"], name)
        return "0" if g == 0 else "positive" if g > 0 else "negative"
    if kind == "value":
        return repr(component(record["params_after"], name))
    if kind == "state":
        return repr(component(record["optimizer_state"]["after"][STATE_KEYS[question["state"]]], name))
    before, after = ((record["cost"], record["batch_cost_after"]) if question["split"] == "batch"
                     else (record["train_cost_before"], record["train_cost_after"]))
    return "yes" if after < before else "no"


def wrong_answer(answer):
    flipped = {"positive": "-", "negative": "+", "0": "+", "yes": "n", "no": "y"}
    return flipped.get(answer) or repr(float(answer) * 3 + 10)


@pytest.mark.parametrize("level", list(quiz.LEVELS))
def test_the_answers_of_step_json_score_full_marks(level):
    questions = quiz_json("--level", str(level), "--questions", "8")["questions"]
    records = step_json(level, max(q["step"] for q in questions))
    answers = [right_answer(q, records) for q in questions]
    graded = quiz_json("--level", str(level), "--questions", "8", stdin="\n".join(answers) + "\n")
    assert graded["score"] == graded["answered"] == graded["total"] == 8
    assert graded["ended"] == "all answered"
    assert {q["kind"] for q in graded["questions"]} >= {"sign", "value", "falls"}
    if level in (2, 3, 4, 6):  # momentum, RMSprop and Adam keep a state
        assert "state" in {q["kind"] for q in graded["questions"]}


def test_wrong_answers_score_zero_and_the_right_numbers_are_shown():
    questions = quiz_json("--level", "4")["questions"]
    records = step_json(4, max(q["step"] for q in questions))
    answers = [wrong_answer(right_answer(q, records)) for q in questions]
    result = invoke("--level", "4", stdin="\n".join(answers) + "\n")
    assert result.exit_code == 0
    text = words(result.stdout)
    assert "Score: 0 of 5" in text and text.count("✗ Not this time") == 5
    value = next(q for q in questions if q["kind"] == "value")
    assert f"the answer is {lossplay.render.number(value['expected'])}" in text
    assert "5. Update with Adam" in text and "4. Backward pass" in text  # the step view's own worked sections


def test_the_tolerance_is_half_a_unit_of_the_second_significant_digit():
    assert quiz.tolerance(1.353) == pytest.approx(0.05)
    assert quiz.tolerance(-27.05) == pytest.approx(0.5)
    assert quiz.tolerance(0.0512) == pytest.approx(0.0005)
    assert quiz.tolerance(0) == 0
    record = next(lossplay.step(steps=1, optimizer="adam"))
    names = ["w[x]", "b"]
    questions = quiz.questions_of(record, names, lossplay.registry.make_optimizer("adam"), 6)
    for question in (q for q in questions if q.kind in ("value", "state")):
        value, tol = question.expected, question.tolerance
        assert tol == quiz.tolerance(value) > 0
        assert quiz.grade(question, repr(value + 0.9 * tol)).correct
        assert quiz.grade(question, repr(value - 0.9 * tol)).correct
        assert not quiz.grade(question, repr(value + 1.1 * tol)).correct
        assert not quiz.grade(question, repr(value - 1.1 * tol)).correct
        assert quiz.grade(question, f"{value:.2g}").correct  # rounded to 2 significant digits: always right


def test_the_same_seed_gives_the_same_questions_and_another_seed_others():
    def asked(*args):
        return [(q["question"], q["expected"]) for q in quiz_json(*args, "--questions", "10")["questions"]]

    assert asked("--level", "5", "--seed", "3") == asked("--level", "5", "--seed", "3")
    assert asked("--level", "5", "--seed", "3") != asked("--level", "5", "--seed", "4")


@pytest.mark.parametrize(("kind", "text", "read"), [
    ("sign", " + ", "+"), ("sign", "Positive", "+"), ("sign", "−", "-"), ("sign", "NEGATIVE", "-"),
    ("sign", "zero", "0"), ("sign", "0", "0"), ("sign", "-3", None), ("sign", "yes", None), ("sign", "", None),
    ("value", "5e-2", 0.05), ("value", ".05", 0.05), ("value", "−2", -2.0), ("value", "+3", 3.0),
    ("value", "1E3", 1000.0), ("value", "nan", None), ("value", "inf", None), ("value", "1,5", None),
    ("value", "two", None), ("falls", "Y", True), ("falls", "no", False), ("falls", "maybe", None),
])
def test_answers_are_read_forgivingly_but_exactly(kind, text, read):
    assert quiz.PARSERS[kind](text) == read


def test_an_answer_of_the_wrong_form_is_graded_wrong_with_the_form_expected():
    result = invoke("--questions", "2", stdin="up\n\n")
    assert result.exit_code == 0
    text = words(result.stdout)
    assert "'up' is not an answer of this form: answer + or positive, - or negative, 0 or zero." in text
    assert "An empty answer is not an answer of this form: answer a number" in text
    assert "Score: 0 of 2" in text


def test_at_a_terminal_a_wrong_form_is_asked_again_once():
    from rich.console import Console

    from lossplay.cli.quiz import ask

    class Typed:
        interactive = True

        def __init__(self, *lines):
            self.lines = iter(lines)

        def next(self, prompt):
            return next(self.lines, None)

    question = quiz.make_questions(lossplay.step(steps=1), ["w[x]", "b"], lossplay.registry.make_optimizer("sgd"),
                                   6, 1)[0]
    console = Console(file=open("/dev/null", "w"))
    assert ask(Typed("up", "-"), question, console).correct
    second = ask(Typed("up", "down", "-"), question, console)
    assert not second.correct and second.problem is not None
    assert ask(Typed(), question, console) is None


def test_the_end_of_the_answers_ends_the_quiz_with_its_summary():
    result = invoke()  # no terminal, nothing on standard input
    assert result.exit_code == 0 and "No question was answered: the answers ended." in words(result.stdout)
    result = invoke("--questions", "4", stdin="-\n2.7\n")
    assert result.exit_code == 0
    text = words(result.stdout)
    assert "Answered 2 of 4 questions: the answers ended." in text and "Score: 2 of 2" in text


def test_json_without_answers_is_an_answer_key_and_never_waits():
    document = quiz_json("--level", "6", "--questions", "6")
    assert document["answered"] == 0 and document["total"] == 6 and document["ended"] == "end of the answers"
    first = document["questions"][0]
    assert first["kind"] == "sign" and first["expected"] in ("+", "-", "0") and first["answered"] is False
    assert "½·10^(⌊log₁₀|true|⌋ − 1)" in document["number_rule"]


def test_an_answers_file_is_read_and_its_end_ends_the_quiz(tmp_path):
    (tmp_path / "answers.txt").write_text("-\n2.7\nyes\n")
    document = quiz_json("--questions", "5", "--answers", str(tmp_path / "answers.txt"))
    assert document["answered"] == 3 and document["score"] == 3


def test_ctrl_c_ends_with_the_summary_so_far_and_exit_130(monkeypatch):
    from lossplay.cli import quiz as command

    class Interrupted:
        interactive = False
        calls = 0

        def next(self, prompt):
            self.calls += 1
            if self.calls > 1:
                raise KeyboardInterrupt
            return "-"

    monkeypatch.setattr(command, "answer_source", lambda answers, as_json: Interrupted())
    result = invoke()
    assert result.exit_code == 130
    assert "Answered 1 of 5 questions: the quiz was interrupted." in words(result.stdout)
    assert "Score: 1 of 1" in result.stdout


@pytest.mark.parametrize("args", [["--questions", "0"], ["--questions", "51"], ["--level", "7"],
                                  ["--optimizer", "adamm"], ["--answers", "missing.txt"]])
def test_bad_options_are_one_error_line(args, in_tmp):
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1


def test_a_closed_pipe_ends_the_quiz_quietly(tmp_path):
    (tmp_path / "answers.txt").write_text("-\n" * 20)
    process = subprocess.Popen([sys.executable, "-m", "lossplay", "quiz", "--questions", "20", "--answers",
                                "answers.txt"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.readline()
    process.stdout.close()
    assert process.wait(timeout=60) == 0
    assert process.stderr.read() == b""
