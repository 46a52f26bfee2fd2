"""Terminals and pipes: a reader that goes away, an encoding without σ or ², names that hold escape codes.

The commands run as real processes here: pipes and encodings are the operating system's, not CliRunner's.
"""

import json
import os
import subprocess
import sys

import pytest

from lossplay.terminal import ascii_spelling, needs_spelling, printable

TIMEOUT = 120


def spawn(args, cwd, env=None):
    """``python -m lossplay ARGS`` with stdout and stderr pipes; ``env`` changes (None removes) variables."""
    environment = {k: v for k, v in {**os.environ, **(env or {})}.items() if v is not None}
    return subprocess.Popen([sys.executable, "-m", "lossplay", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=environment)


def finish(process):
    """Wait for the process (bounded); its exit code and stderr as text."""
    try:
        process.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    err = process.stderr.read().decode("utf-8", "replace")
    process.stderr.close()
    return process.returncode, err


def assert_quiet(err):
    assert "Traceback" not in err and "Exception" not in err and "Error" not in err, err
    assert err.strip() == "", err


# -- a closed pipe ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("read_first_line", [True, False], ids=["after one line", "before any"])
def test_a_closed_pipe_stops_the_printing_not_the_run(tmp_path, read_first_line):
    process = spawn(["train", "--epochs", "50", "--out", "run"], tmp_path)
    if read_first_line:
        assert process.stdout.readline().startswith(b"Training a linear model")
    process.stdout.close()  # like 'lossplay train | head -1': the reader goes away
    code, err = finish(process)
    assert code == 0
    assert_quiet(err)
    document = json.loads((tmp_path / "run" / "run.json").read_text())
    assert document["status"] == "completed" and document["epochs_run"] == 50
    assert all((tmp_path / "run" / name).is_file() for name in document["files"].values())


PIPED = [
    (["optimizers"], None),
    (["gradcheck"], None),
    (["losses"], None),
    (["losses", "huber"], None),
    (["step", "--steps", "2"], None),
    (["step", "--json", "--steps", "20"], None),
    (["compare", "mse", "mae", "--epochs", "3", "--no-plot", "--out", "out"], "compare.json"),
    (["landscape", "--steps", "3", "--grid", "11", "--out", "out"], "landscape.json"),
    (["lr-find", "--steps", "5", "--no-plot", "--out", "out"], "lr_find.json"),
    (["train", "--help"], None),
]


def test_every_command_finishes_quietly_when_its_reader_has_gone(tmp_path):
    processes = []
    for i, (args, _) in enumerate(PIPED):
        (tmp_path / str(i)).mkdir()
        processes.append(spawn(args, tmp_path / str(i)))
        processes[-1].stdout.close()
    for i, ((args, written), process) in enumerate(zip(PIPED, processes)):
        code, err = finish(process)
        assert code == 0, (args, err)
        assert_quiet(err)
        if written:
            assert (tmp_path / str(i) / "out" / written).is_file(), args


# -- a terminal that cannot print every character ---------------------------------------------------------------

ENCODINGS = [
    ({"PYTHONIOENCODING": "ascii"}, "ascii"),
    ({"PYTHONIOENCODING": "cp1252"}, "cp1252"),
    ({"PYTHONIOENCODING": "latin-1"}, "latin-1"),
    ({"LC_ALL": "POSIX", "PYTHONUTF8": "0", "PYTHONIOENCODING": None}, "ascii"),
]


@pytest.mark.parametrize(("env", "encoding"), ENCODINGS, ids=[e for _, e in ENCODINGS[:3]] + ["POSIX locale"])
def test_a_terminal_without_unicode_gets_ascii_spellings_and_the_run_is_saved(tmp_path, env, encoding):
    commands = {"train": ["train", "--epochs", "3", "--no-plot", "--out", "run"],
                "step": ["step", "--optimizer", "adam", "--steps", "1"],
                "losses": ["losses"], "huber": ["losses", "huber"]}
    processes = {name: spawn(args, tmp_path, env) for name, args in commands.items()}
    outputs = {}
    for name, process in processes.items():
        out = process.stdout.read()
        process.stdout.close()
        code, err = finish(process)
        assert code == 0, (name, err)
        assert err == "", (name, err)
        outputs[name] = out.decode(encoding)  # every byte is one the terminal can show
    assert json.loads((tmp_path / "run" / "run.json").read_text())["status"] == "completed"
    assert "Training completed: 3 epochs" in outputs["train"]
    if encoding == "ascii":
        assert "val R^2" in outputs["train"] and "|gradient|" in outputs["train"]
        assert "beta1 m + (1-beta1)g" in outputs["step"] and "sqrt v^ + eps" in outputs["step"]
        assert "|r| <= delta" in outputs["huber"]


def test_ascii_spellings():
    assert needs_spelling("ascii") and needs_spelling("cp1252") and not needs_spelling("utf-8")
    assert [ascii_spelling(c) for c in "σ²→‖−√θé━│┼"] == ["sigma", "^2", "->", "|", "-", "sqrt", "theta", "e",
                                                         "-", "|", "+"]
    assert ascii_spelling("漢") == "?"
    text = "epoch 1 · lr 0.1; w·x; θ ← θ − lr·g; μb; ½r²; β₁^t; p = σ(z)"
    assert text.encode("ascii", "lossplay-ascii").decode() == \
        "epoch 1 . lr 0.1; w*x; theta <- theta - lr*g; mu b; 1/2 r^2; beta1^t; p = sigma(z)"
    assert "R² · σ".encode("latin-1", "lossplay-ascii").decode("latin-1") == "R² · sigma"


# -- names that hold control characters -----------------------------------------------------------------------

HEADER = '"\x1b]0;PWNED\x07\x1b[2J",y\n'


def test_control_characters_in_names_read_from_a_file_are_shown_escaped(tmp_path):
    rows = "".join(f"{x},{2 * x + 1}\n" for x in range(12))
    (tmp_path / "evil.csv").write_text(HEADER + rows, encoding="utf-8")
    odd = "b\x1b[2J"
    labels = "x,\"label\x1b[31m\"\n" + "".join(f"{x},{'a' if x % 2 else odd}\n" for x in range(12))
    (tmp_path / "labels.csv").write_text(labels, encoding="utf-8")
    commands = [["train", "--dataset", "evil.csv", "--epochs", "2", "--no-plot", "--out", "r1"],
                ["step", "--dataset", "evil.csv", "--steps", "1"],
                ["train", "--dataset", "labels.csv", "--loss", "bce", "--epochs", "2", "--no-plot", "--out", "r2"],
                ["step", "--dataset", "labels.csv", "--loss", "bce", "--steps", "1"],
                ["compare", "mse", "mae", "--dataset", "evil.csv", "--epochs", "2", "--no-plot", "--out", "c"],
                ["lr-find", "--dataset", "evil.csv", "--steps", "5", "--no-plot", "--out", "f"],
                ["train", "--dataset", "evil.csv", "--target", "nope"]]
    processes = [spawn(args, tmp_path) for args in commands]
    for args, process in zip(commands, processes):
        out = process.stdout.read().decode("utf-8")
        process.stdout.close()
        code, err = finish(process)
        assert code == (2 if "nope" in args else 0), (args, err)
        assert "\x1b" not in out and "\x07" not in out and "\x1b" not in err, args
        if args[0] in ("train", "step"):  # (compare and lr-find print no feature name)
            assert r"\x1b]0;PWNED" in out + err or r"label\x1b[31m" in out, args
    # the file keeps the names as they are
    assert json.loads((tmp_path / "r1" / "run.json").read_text())["data"]["features"] == ["\x1b]0;PWNED\x07\x1b[2J"]


def test_pictures_show_control_characters_escaped_without_a_font_warning(tmp_path):
    rows = "".join(f"{x},{2 * x + 1}\n" for x in range(12))
    (tmp_path / "evil.csv").write_text(HEADER + rows, encoding="utf-8")
    process = spawn(["train", "--dataset", "evil.csv", "--epochs", "2", "--out", "r"], tmp_path)
    process.stdout.read()
    process.stdout.close()
    code, err = finish(process)
    assert code == 0 and err == "", err
    assert (tmp_path / "r" / "fit.png").is_file()


def test_pictures_keep_their_own_line_breaks():
    from matplotlib.figure import Figure

    from lossplay.plots import printable_texts

    figure = Figure()
    title = figure.suptitle("first line\nsecond \x1b[2J line")
    printable_texts(figure)
    assert title.get_text() == "first line\nsecond \\x1b[2J line"


def test_printable():
    assert printable("x1") == "x1" and printable("émission (°C)") == "émission (°C)"
    assert printable("a\x1b[2Jb\x07\tc\u202ed\x9b") == r"a\x1b[2Jb\x07\tc\u202ed\x9b"
    assert printable(3) == "3"
