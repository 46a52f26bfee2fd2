"""lossplay lesson: every bundled lesson runs, a mistake is found before anything runs, hidden options are used."""

import dataclasses
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_docs import reduced

from lossplay import lessons
from lossplay.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def invoke(*args):
    return CliRunner().invoke(cli, ["lesson", *args])


def words(text):
    """The text without panel borders and line breaks (rich wraps at 80 columns)."""
    return " ".join(text.replace("│", " ").split())


def quick(lesson):
    """The lesson with the sizes the document tests use (``test_docs.reduced``) and no pictures."""
    steps = []
    for step in lesson.steps:
        rest = reduced(["lossplay", step.command, *step.shown, *step.hidden])[1:]
        if step.command == "losses":
            rest = [word for word in rest if word != "--plot"]
        shown = step.shown if tuple(rest[:len(step.shown)]) == step.shown else ()
        steps.append(dataclasses.replace(step, shown=shown, hidden=tuple(rest[len(shown):])))
    return dataclasses.replace(lesson, steps=tuple(steps))


def write(folder, steps, title="A lesson"):
    """A lesson file of (command, hidden) steps."""
    text = f'title = "{title}"\nminutes = 5\n'
    for number, (command, hidden) in enumerate(steps, start=1):
        text += (f'\n[[steps]]\ncommand = "{command}"\nhidden = "{hidden}"\nquestion = "Question {number}?"\n'
                 f'explanation = "Explanation {number}."\n')
    path = Path(folder) / "lesson.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_every_lesson_file_is_bundled_and_listed():
    files = {p.name for p in (ROOT / "configs").glob("lesson_*.toml")}
    assert files == {f"lesson_{name.replace('-', '_')}.toml" for name in lessons.BUNDLED}
    listing = words(invoke().stdout)
    assert all(name in listing for name in lessons.BUNDLED)
    for name, lesson in lessons.bundled().items():
        assert lesson.title and lesson.summary and 10 <= lesson.minutes <= 15 and 4 <= len(lesson.steps) <= 6, name


@pytest.mark.parametrize("name", lessons.BUNDLED)
def test_every_bundled_lesson_runs_end_to_end(name, in_tmp, monkeypatch):
    original = lessons.find(name)
    monkeypatch.setattr(lessons, "find", lambda _: quick(original))
    result = invoke(name, "--out", "lesson")
    assert result.exit_code == 0, result.output + result.stderr
    text = words(result.stdout)
    assert "Error" not in result.stderr
    for step in original.steps:
        assert f"Step {step.number} of {len(original.steps)}" in text
        assert words(step.question) in text and words(step.explanation) in text
    assert "Enter" not in text  # no terminal: no pause


def test_print_gives_the_toml_that_runs_as_a_file(in_tmp):
    result = invoke("robust-losses", "--print")
    assert result.exit_code == 0
    Path("mine.toml").write_text(result.stdout, encoding="utf-8")
    assert lessons.find("mine.toml").steps == lessons.find("robust-losses").steps


@pytest.mark.parametrize(("command", "message"), [
    ("trian --epochs 2", "step 2: unknown command 'trian'. Did you mean 'train'?"),
    ("train --epoch 2", "step 2 (lossplay train --epoch 2): No such option: --epoch. Did you mean '--epochs'?"),
    ("train --loss msee", "step 2 (lossplay train --loss msee): Unknown loss 'msee'. Did you mean 'mse'?"),
    ("train --lr -1", "step 2 (lossplay train --lr -1): --lr must be > 0"),
    ("compare mse maee", "step 2 (lossplay compare mse maee): Unknown loss 'maee'"),
    ("demo outlier", "step 2 (lossplay demo outlier): Unknown demo 'outlier'. Did you mean 'outliers'?"),
    ("train --out elsewhere", "step 2: 'command' gives --out: the lesson chooses where each step writes"),
    ("quiz", "step 2: a quiz waits for each learner's answers"),
])
def test_a_mistake_in_any_step_is_one_error_line_before_anything_runs(command, message, in_tmp):
    path = write(in_tmp, [("train --epochs 1 --no-plot", "--quiet"), (command, "")])
    result = invoke(path)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: Lesson file '{path}', ")
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr
    assert result.stdout == "" and not (in_tmp / "runs").exists()


@pytest.mark.parametrize(("text", "message"), [
    ('title = "x"\n', "has no 'steps'"),
    ('title = "x"\nstepz = []\n', "unknown key 'stepz'. Did you mean 'steps'?"),
    ('title = "x"\n[[steps]]\ncommand = "train"\nquestion = "q"\n', "step 1 has no 'explanation'"),
    ('title = "x"\n[[steps]]\ncommand = "train \'"\nquestion = "q"\nexplanation = "e"\n', "a quote is not closed"),
    ("title = ", "is not valid TOML"),
])
def test_a_broken_lesson_file_is_one_error_line(text, message, in_tmp):
    (in_tmp / "bad.toml").write_text(text)
    result = invoke("bad.toml")
    assert result.exit_code == 2 and message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_hidden_options_are_used_but_not_shown(in_tmp):
    path = write(in_tmp, [("train --loss mae", "--epochs 7 --quiet --no-plot --seed 3")])
    result = invoke(path, "--out", "lesson")
    assert result.exit_code == 0, result.stderr
    assert "lossplay train --loss mae\n" in result.stdout
    assert "--epochs" not in result.stdout and "--seed" not in result.stdout
    run = json.loads((in_tmp / "lesson" / "01-train" / "run.json").read_text())
    assert run["epochs_run"] == 7 and run["config"]["seed"] == 3 and run["config"]["loss"] == "mae"


def test_a_diverging_step_does_not_stop_the_lesson(in_tmp):
    path = write(in_tmp, [("train --lr 50 --batch-size 0", "--epochs 20 --quiet --no-plot"), ("losses mae", "")])
    result = invoke(path, "--out", "lesson")
    assert result.exit_code == 0 and "Training diverged" in result.stdout and "Step 2 of 2" in result.stdout


def test_the_handout_holds_the_questions_the_pictures_and_a_separate_answer_key(in_tmp):
    path = write(in_tmp, [("train --loss huber --outliers", "--epochs 5 --quiet"), ("step --steps 1", "")],
                 title="Huber <em>now</em>")
    result = invoke(path, "--out", "lesson", "--handout", "handout")
    assert result.exit_code == 0, result.stderr
    handout = in_tmp / "handout"
    assert sorted(p.name for p in handout.iterdir()) == ["answers.html", "lesson.html", "lesson.json"]
    page = (handout / "lesson.html").read_text()
    key = re.sub(r"<[^>]+>", "", (handout / "answers.html").read_text())  # the text, without its markup
    assert "Question 1?" in page and "Question 2?" in page and page.count('<img src="data:image/png') == 2
    assert "Explanation" not in page and "--epochs" not in page and "Huber &lt;em&gt;now&lt;/em&gt;" in page
    assert "Explanation 1." in key and "Explanation 2." in key and "lossplay train --loss huber --outliers " \
        "--epochs 5 --quiet" in key
    assert "The validation cost was lowest at epoch" in key  # what the run's numbers said, from its run.json
    # a second handout there is refused without --force (before anything runs), and replaces the first with it
    again = invoke(path, "--out", "lesson2", "--handout", "handout")
    assert again.exit_code == 2 and "--force" in again.stderr and not (in_tmp / "lesson2").exists()
    assert invoke(path, "--out", "lesson2", "--handout", "handout", "--force").exit_code == 0
    assert "lesson2" in (handout / "lesson.html").read_text()
    (in_tmp / "mine").mkdir()
    (in_tmp / "mine" / "lesson.html").write_text("my own page")
    refused = invoke(path, "--out", "lesson3", "--handout", "mine", "--force")
    assert refused.exit_code == 2 and (in_tmp / "mine" / "lesson.html").read_text() == "my own page"
    same = invoke(path, "--out", "both", "--handout", "both")
    assert same.exit_code == 2 and "the same folder" in same.stderr and not (in_tmp / "both").exists()
