"""The HTML handout of a lossplay folder: one page a teacher can print and a student can open on a phone.

``build_report(folder)`` reads the JSON file a lossplay command left in a
folder (run.json from ``train``, compare.json from ``compare``,
landscape.json from ``landscape``, lr_find.json from ``lr-find``) and returns
the page: what was trained, what happened, the numbers, and every picture,
each with a few words on what it shows and what to look for.

The page stands alone: pictures are embedded as ``data:`` URIs, the style is
inline, there is no script and nothing is fetched from the network. Every
text read from the folder is escaped; a value that is missing or null is left
out rather than guessed. ``write_report`` writes the page atomically, by
default as report.html inside the folder.
"""

from dataclasses import dataclass, field
from pathlib import Path

from lossplay.config import coerce
from lossplay.report.comparison import comparison_page
from lossplay.report.landscape import landscape_page
from lossplay.report.lrfind import lr_find_page
from lossplay.report.markup import Pictures, page
from lossplay.report.reading import FOLDER_KINDS, find_folder, read_json
from lossplay.report.run import run_page

REPORT_FILE = "report.html"


KIND_NAMES = {"run.json": "training run", "compare.json": "comparison", "landscape.json": "loss landscape",
              "lr_find.json": "learning-rate search"}


@dataclass
class Report:
    """A finished page: its title, its HTML, the pictures that could not be embedded, where it was written."""

    title: str
    html: str
    folder: Path
    missing: list = field(default_factory=list)
    path: Path | None = None


def build_report(folder):
    """The HTML handout of a lossplay folder (run, comparison, landscape or lr-find) as a ``Report``."""
    folder, name = find_folder(coerce(folder, str, "lossplay.build_report: 'folder'", path=True))
    doc = read_json(folder / name, FOLDER_KINDS[name])
    pictures = Pictures(folder, name)
    if name == "run.json":
        title, body, recorded_by = run_page(folder, doc, pictures)
    elif name == "compare.json":
        title, body, recorded_by = comparison_page(folder, doc, pictures)
    elif name == "landscape.json":
        title, body, recorded_by = landscape_page(folder, doc, pictures)
    else:
        title, body, recorded_by = lr_find_page(folder, doc, pictures)
    document = page(title, KIND_NAMES[name], body, folder, recorded_by)
    return Report(title, str(document), folder, pictures.missing)


def default_destination(folder):
    """Where ``lossplay report`` writes by default: report.html in the folder."""
    return find_folder(folder)[0] / REPORT_FILE


def write_report(folder, out=None, *, force=False):
    """Build the report of ``folder`` and write it to ``out`` (default: report.html in the folder).

    An existing file is replaced only with ``force``. The page is written by
    ``runs.write_file``: under a temporary name, then renamed into place.
    Returns the ``Report`` with its path.
    """
    from lossplay.runs import write_file

    folder = coerce(folder, str, "lossplay.write_report: 'folder'", path=True)
    out = coerce(out, str, "lossplay.write_report: 'out'", optional=True, path=True)
    force = coerce(force, bool, "lossplay.write_report: 'force'")
    destination = Path(out) if out is not None else default_destination(folder)
    built = []

    def html():  # built once the destination has been checked
        built.append(build_report(folder))
        return built[0].html

    write_file(destination, html, force=force)
    report = built[0]
    report.path = destination
    return report
