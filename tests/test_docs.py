"""Every `lossplay ...` command shown in a fenced block of the README and of docs/ runs.

Each document's commands run in order in one fresh folder (a `report` may read the folder an earlier
command wrote), with the shipped configs, the examples and the course's data file (tests/data/ex1data1.txt)
beside them. Sizes are reduced so the suite stays fast:
`train` and `compare` run at most 20 epochs, landscapes at most 20 updates on a small grid, `train`
does not pace its table, and no picture is drawn where a command can leave it out. A command must end
with 0, or 3 where the text says it diverges.
"""

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from lossplay.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
NO_PLOT = {"train", "compare", "lr-find", "demo"}  # commands that can leave their pictures out
QUIET = NO_PLOT  # and their progress bars (a demo's list, `lossplay demo` alone, takes no option)


def commands(path):
    """(line number, words, the line as written) of each lossplay command in the fenced blocks of a Markdown
    file; a line ending in a backslash goes on."""
    found, fenced, pending, start = [], False, "", 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("```"):
            fenced = not fenced
            continue
        if not fenced:
            continue
        text = line.strip()
        if pending:
            text = pending + " " + text
        elif text.startswith("$ "):
            text = text[2:]
        if not text.startswith("lossplay ") and not pending:
            continue
        if text.endswith("\\"):
            pending, start = text[:-1].strip(), start or number
            continue
        found.append((start or number, shlex.split(text, comments=True), text))
        pending, start = "", 0
    return found


def reduced(words):
    """The command with smaller sizes (see the module)."""
    name, rest = words[1], list(words[2:])
    if name in ("train", "compare"):
        if "--epochs" in rest:
            index = rest.index("--epochs") + 1
            rest[index] = str(min(int(rest[index]), 20))
        elif not any(w.startswith("--config") for w in rest):
            rest += ["--epochs", "20"]
    if name == "train" and "--pace" in rest:
        rest[rest.index("--pace") + 1] = "0"
    if name == "landscape":
        kept = []
        for word in rest:
            if kept and kept[-1] == "--steps":
                kept.pop()
                continue
            kept.append(word)
        rest = [*kept, "--steps", "20", "--grid", "21"]
    if name in NO_PLOT and "--animate" not in rest and "--no-plot" not in rest:
        rest.append("--no-plot")
    if name in QUIET and "--quiet" not in rest and (name != "demo" or len(rest) > 1):
        rest.append("--quiet")
    return [name, *rest]


CASES = [(path, number, words) for path in DOCUMENTS for number, words, _ in commands(path)]


def test_the_documents_show_commands():
    assert len(CASES) > 40
    assert {words[1] for _, _, words in CASES} >= {"train", "step", "compare", "demo", "landscape", "lr-find",
                                                     "report", "losses", "optimizers", "gradcheck", "datasets"}


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_every_command_of_a_document_runs(path, tmp_path, monkeypatch):
    shutil.copytree(ROOT / "configs", tmp_path / "configs")
    shutil.copytree(ROOT / "docs" / "examples", tmp_path / "docs" / "examples")
    (tmp_path / "tests" / "data").mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "data" / "ex1data1.txt", tmp_path / "tests" / "data")
    monkeypatch.chdir(tmp_path)
    for number, words, line in commands(path):
        result = CliRunner().invoke(cli, reduced(words))
        allowed = (0, 3) if "diverge" in line else (0,)  # the text says so
        assert result.exit_code in allowed, f"{path.name}:{number}: {line}\n{result.output}"


def test_the_catalog_tables_of_the_losses_page_are_written_from_the_classes():
    from lossplay.docs_tables import current

    page = (ROOT / "docs" / "losses-and-optimizers.md").read_text(encoding="utf-8")
    assert "<!-- BEGIN losses table" in page and "<!-- BEGIN optimizers table" in page
    assert current(page) == page, "run: python -m lossplay.docs_tables docs/losses-and-optimizers.md"


def python_blocks(path):
    """The fenced ```python blocks of a Markdown file, in order."""
    return re.findall(r"^```python\n(.*?)^```", path.read_text(encoding="utf-8"), re.S | re.M)


def test_the_python_examples_run(tmp_path, monkeypatch):
    """docs/python-api.md's blocks run in order in one namespace, in a fresh folder (pandas's only where it is
    installed: it is no dependency); a line whose comment shows a LossplayError raises that message."""
    import importlib.util

    import matplotlib.pyplot as plt

    from lossplay.errors import LossplayError

    monkeypatch.chdir(tmp_path)
    namespace = {}
    blocks = python_blocks(ROOT / "docs" / "python-api.md")
    assert len(blocks) >= 8
    for block in blocks:
        if "import pandas" in block and importlib.util.find_spec("pandas") is None:
            continue
        if "LossplayError" not in block:
            exec(compile(block, "python-api.md", "exec"), namespace)
            continue
        for line in block.splitlines():
            code, _, comment = line.partition("#")
            message = comment.strip().removeprefix("LossplayError:").removeprefix("...").strip()
            with pytest.raises(LossplayError, match=re.escape(message)):
                exec(code, namespace)
    plt.close("all")
