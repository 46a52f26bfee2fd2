"""What ``lossplay lesson`` prints around each step's own output: the list, the question, the explanation."""

from rich import box
from rich.console import Group
from rich.markup import escape
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from lossplay.render.common import shell_lines
from lossplay.terminal import printable


def lessons_table(lessons):
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, title="Lessons (run one with lossplay lesson NAME)")
    table.add_column("name", style="bold", no_wrap=True)
    table.add_column("what it teaches")
    table.add_column("steps", justify="right")
    table.add_column("minutes", justify="right")
    for name, lesson in lessons.items():
        table.add_row(name, escape(printable(lesson.summary or lesson.title)), str(len(lesson.steps)),
                      "—" if lesson.minutes is None else str(lesson.minutes))
    return table


def lesson_intro(lesson, pausing):
    """The lesson's title, what it is about and how it goes."""
    steps = len(lesson.steps)
    how = (f"{steps} steps. Before each command, a question for the class: predict, then press Enter to run it; "
           "after it, what to look for." if pausing else
           f"{steps} steps, each a question for the class, the command and what to look for.")
    minutes = f" About {lesson.minutes} minutes in class." if lesson.minutes else ""
    body = [Text(printable(lesson.summary))] if lesson.summary else []
    body.append(Text(how + minutes, style="dim"))
    return Panel(Group(*body), title=f"Lesson: {escape(printable(lesson.title))}", title_align="left",
                 border_style="cyan")


def step_question(lesson, step):
    """Before a step runs: its number, the question to the class and the command as the class sees it."""
    return Group(
        Text(""),
        Rule(f"Step {step.number} of {len(lesson.steps)}", style="bold"),
        Panel(Text(printable(step.question)), title="Predict", title_align="left", border_style="yellow"),
        Text(shell_lines(printable(step.shown_command)), style="bold"),
    )


def step_explanation(step, folder=None, pictures=()):
    """After a step ran: what to look for in what it printed and drew, and why; where its pictures are."""
    body = [Text(printable(step.explanation))]
    if pictures:
        body.append(Text(f"Its pictures, in {printable(folder)}/: {printable(', '.join(pictures))}", style="dim"))
    return Group(Text(""), Panel(Group(*body), title="What to look for", title_align="left", border_style="green"))


def lesson_done(lesson, ran, folder, handout):
    """The last words: how far it went (``ran`` steps), where the steps' files and the handout are."""
    total = len(lesson.steps)
    end = f"End of the lesson '{printable(lesson.title)}'." if ran == total else \
        f"The lesson '{printable(lesson.title)}' stopped after step {ran} of {total}."
    lines = [Text(end, style="bold")]
    if folder is not None:
        lines.append(Text(f"The runs and pictures of its steps are in {printable(folder)}/."))
    if handout is not None:
        lines.append(Text(f"The handout: {printable(handout / 'lesson.html')} (the questions and pictures) and "
                          f"{printable(handout / 'answers.html')} (the answer key)."))
    return Group(Text(""), *lines)
