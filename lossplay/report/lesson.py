"""A lesson's handout: lesson.html (the questions, the commands and their pictures, room to predict) and
answers.html (the answer key: each explanation, and what the numbers of that run said), in one folder.

The pictures are those the steps wrote in the lesson's folder, embedded as data: URIs, so the pages stand
alone like ``lossplay report``'s. What the numbers said is read from each step's folder with the sentences
lossplay already writes about them: a run's status and findings (``report.run``), a comparison's ranking and
checked lesson (``verdicts.comparison_sentences``), a landscape's (``verdicts.landscape_sentences``), the
learning-rate search's suggestion. The folder is written by ``runs.write_folder`` with lesson.json as its
marker, so ``--force`` replaces only a handout lossplay wrote.
"""

from dataclasses import dataclass
from pathlib import Path

from lossplay.errors import LossplayError
from lossplay.formatting import number, plural
from lossplay.report.common import is_number, mapping, sequence, status_word
from lossplay.report.markup import Pictures, element, join, page, paragraph, section
from lossplay.report.settings import recorded_command
from lossplay.runs import Contents
from lossplay.verdicts import comparison_sentences, landscape_sentences
from lossplay.version import __version__

PICTURE_TITLES = {"loss_curve.png": "the loss curve", "fit.png": "the data and the fit",
                  "compare.png": "the runs side by side", "landscape.png": "the cost landscape and the paths",
                  "lr_find.png": "the learning-rate search", "losses.png": "the losses and their derivatives",
                  "classifier.png": "the confusion matrix and the classifier's curves"}
HANDOUT_FILES = {"lesson": "lesson.html", "answers": "answers.html"}
HANDOUT_MARKER = "lesson.json"
STYLE = """
.question { border-left: 6px solid #8a5a00; background: #f3f5f7; border-radius: 4px; padding: 0.5rem 0.9rem;
  margin: 0.8rem 0; }
.prediction { border: 1px dashed #56606b; border-radius: 4px; min-height: 5rem; padding: 0.4rem 0.8rem;
  color: #56606b; margin: 0.8rem 0 1.2rem; }
"""


@dataclass(frozen=True)
class StepResult:
    """How a step of a lesson ran: its exit code and what it wrote (a folder, a picture, or None)."""

    step: object
    code: int
    output: Path | None


def planned_handout():
    """The handout folder's names, as ``runs.Contents``, for ``runs.check_destination``."""
    return Contents(HANDOUT_MARKER, files=dict.fromkeys(HANDOUT_FILES.values()))


def _written(result):
    """(folder, marker, document) of what a step wrote, or None when it wrote no lossplay folder."""
    from lossplay.report.reading import FOLDER_KINDS, read_json

    output = result.output
    if output is None or not output.is_dir():
        return None
    for marker, command in FOLDER_KINDS.items():
        if (output / marker).is_file():
            try:
                return output, marker, read_json(output / marker, command)
            except LossplayError:
                return None
    return None


def _pictures(result):
    """(Pictures of the step's folder, [(PNG name, title)]) of what a step drew."""
    output = result.output
    if output is not None and output.suffix == ".png" and output.is_file():  # losses --plot: 05-losses.png
        return Pictures(output.parent, "the lesson"), [(output.name, _title(output.name.split("-", 1)[-1]))]
    found = _written(result)
    if found is None:
        return None, []
    folder, marker, doc = found
    names = list(mapping(doc.get("files")).values()) if marker != "compare.json" else ["compare.png"]
    return Pictures(folder, marker), [(name, _title(name)) for name in names if isinstance(name, str)
                                      and name.endswith(".png") and (folder / name).is_file()]


def picture_files(result):
    """(folder, [PNG names]) of the pictures a step drew, for the teacher to open; (None, []) when it drew none."""
    pictures, names = _pictures(result)
    return (None, []) if pictures is None or not names else (pictures.folder, [name for name, _ in names])


def _title(name):
    return PICTURE_TITLES.get(name, "the picture")


def said(result):
    """What lossplay said about the numbers of a step's run, from the folder it wrote: a list of sentences."""
    from lossplay.report.reading import read_history
    from lossplay.report.run import training_sentences

    found = _written(result)
    if found is None:
        return []
    folder, marker, doc = found
    if marker == "run.json":
        has_validation = bool(mapping(doc.get("data")).get("n_val"))
        history = read_history(folder, mapping(doc.get("files")))
        ran = f"Training {status_word(doc.get('status'))} after {plural(doc.get('epochs_run'), 'epoch')}." \
            if isinstance(doc.get("epochs_run"), int) else f"Training {status_word(doc.get('status'))}."
        return [ran, *training_sentences(doc, history, has_validation)]
    if marker == "compare.json":
        return comparison_sentences(doc)
    if marker == "landscape.json":
        return landscape_sentences(doc)
    sentences = []
    if is_number(doc.get("suggested_lr")):
        check = doc.get("suggested_command_check")
        sentences.append(f"Suggested learning rate {number(doc['suggested_lr'])}, where the smoothed cost falls "
                         f"fastest.{' ' + check if isinstance(check, str) else ''}")
    elif isinstance(doc.get("why_no_suggestion"), str):
        sentences.append(f"No suggestion: {doc['why_no_suggestion']}")
    sentences += [str(s) for s in sequence(doc.get("stability_limit_means"))]
    return sentences


def _command(text):
    """A command as the report pages show one: each option with its values unbroken, files by their names."""
    return element("pre", element("code", recorded_command(text)))


def lesson_page(lesson, results, folder):
    """(HTML of lesson.html, pictures that could not be embedded): each step's question, its command as the
    class saw it, room for a prediction and the pictures it drew."""
    body = []
    if lesson.summary:
        body.append(paragraph(lesson.summary, class_="lead"))
    minutes = f" It takes about {lesson.minutes} minutes." if lesson.minutes else ""
    body.append(paragraph(f"{len(lesson.steps)} steps, each a lossplay command. Before it runs, write down what you "
                          f"predict; then compare with what it printed and drew.{minutes} The answer key is a "
                          "separate page, answers.html.", class_="note"))
    missing = []
    for result in results:
        step = result.step
        pictures, names = _pictures(result)
        figures = [pictures.figure(name, f"Step {step.number}: {title}") for name, title in names]
        if pictures is not None:
            missing += pictures.missing
        if not figures:
            figures = [paragraph("This command draws no picture: its numbers are in what it printed.",
                                 class_="note")]
        body.append(section(f"Step {step.number}", _command(step.shown_command),
                            element("div", element("strong", "Predict: "), step.question, class_="question"),
                            element("div", "Your prediction:", class_="prediction"), *figures))
    return page(lesson.title, "lesson", join(body, "\n"), folder, extra_style=STYLE), missing


def answers_page(lesson, results, folder):
    """HTML of answers.html: each step's question, the explanation, what the numbers of that run said and the
    command with every option, to run it again."""
    body = [paragraph("For each step: the question, what to look for, and what lossplay said about the numbers "
                      "of this run (read from the folder it wrote).", class_="lead")]
    for result in results:
        step = result.step
        parts = [element("div", element("strong", "Predict: "), step.question, class_="question"),
                 paragraph(element("strong", "What to look for: "), step.explanation)]
        sentences = said(result)
        if sentences:
            parts += [element("h3", "What the numbers of this run said"),
                      element("ul", *(element("li", sentence) for sentence in sentences))]
        if result.code not in (0, None):
            parts.append(paragraph(f"The command ended with exit code {result.code}.", class_="note"))
        parts += [element("h3", "The command, with every option"), _command(step.full_command)]
        body.append(section(f"Step {step.number}", *parts))
    return page(f"Answer key: {lesson.title}", "lesson answer key", join(body, "\n"), folder, extra_style=STYLE)


def handout_contents(lesson, results, folder):
    """The handout folder as ``runs.Contents`` (pages built when the folder is written), and a list that fills
    with the pictures that could not be embedded. ``folder`` is the lesson's folder, where the steps wrote."""
    missing = []

    def lesson_html():
        html, lost = lesson_page(lesson, results, folder)
        missing.extend(lost)
        return html

    document = {
        # folders by their own names, as the pages name them: the folders above are the teacher's machine's
        "lossplay_version": __version__, "lesson": lesson.name, "title": lesson.title, "folder": Path(folder).name,
        "files": dict(HANDOUT_FILES),
        "steps": [{"number": r.step.number, "command": r.step.shown_command, "full_command": r.step.full_command,
                   "question": r.step.question, "explanation": r.step.explanation, "exit_code": r.code,
                   "output": None if r.output is None else r.output.name} for r in results],
    }
    files = {HANDOUT_FILES["lesson"]: lesson_html,
             HANDOUT_FILES["answers"]: lambda: answers_page(lesson, results, folder)}
    return Contents(HANDOUT_MARKER, document, files), missing
