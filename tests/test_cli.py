"""The command line, through click's CliRunner: files, exit codes, messages."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from lossplay.cli import cli
from lossplay.config import FIELDS, flag_name


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def words(output):
    """The output as one line of words, without the panel borders that wrap it."""
    return " ".join(output.replace("│", " ").split())


def only_run(folder):
    runs = list((folder / "runs").iterdir())
    assert len(runs) == 1
    return runs[0]


def test_train_with_no_options_runs_the_default_and_saves_a_folder(in_tmp):
    result = invoke("train")
    assert result.exit_code == 0, result.output
    assert "Training a linear model with mse loss and sgd" in result.output
    assert "Training completed: 100 epochs" in result.output
    run = only_run(in_tmp)
    assert run.name.endswith("-mse-sgd")
    assert {p.name for p in run.iterdir()} == {"run.json", "history.csv", "loss_curve.png", "fit.png"}
    assert json.loads((run / "run.json").read_text())["status"] == "completed"


def test_huber_adam_from_the_readme(in_tmp):
    result = invoke("train", "--loss", "huber", "--optimizer", "adam")
    assert result.exit_code == 0
    assert only_run(in_tmp).name.endswith("-huber-adam")
    assert "original units" in result.output and "true" in result.output


def test_quiet_prints_only_the_summary(in_tmp):
    result = invoke("train", "--quiet", "--epochs", "3", "--no-plot")
    assert result.exit_code == 0
    assert "train cost" not in result.output and "Training completed" in result.output
    assert {p.name for p in only_run(in_tmp).iterdir()} == {"run.json", "history.csv"}


def test_log_every_chooses_the_table_rows(in_tmp):
    result = invoke("train", "--epochs", "6", "--log-every", "2")
    lines = [line.split()[0] for line in result.output.splitlines() if line.strip()[:1].isdigit()]
    assert lines[:4] == ["0", "2", "4", "6"]


def test_live_table_prints_fast_rows_together_and_keeps_every_one():
    import io

    from rich.console import Console

    from lossplay.api import train
    from lossplay.render import LiveTraining

    class CountingConsole(Console):
        prints = 0

        def print(self, *args, **kwargs):
            CountingConsole.prints += 1
            super().print(*args, **kwargs)

    console = CountingConsole(file=io.StringIO(), width=80)
    train(epochs=400, log_every=1, observers=[LiveTraining(console, 400, "regression", log_every=1)])
    rows = [line.split()[0] for line in console.file.getvalue().splitlines() if line.strip()[:1].isdigit()]
    assert rows == [str(epoch) for epoch in range(401)]
    assert CountingConsole.prints < 20  # a few redraws a second, not one per row


@pytest.mark.parametrize("terminal", [True, False])
def test_progress_bar_only_in_a_terminal(terminal):
    import io

    from rich.console import Console
    from rich.text import Text

    from lossplay.api import train
    from lossplay.render import LiveTraining

    console = Console(file=io.StringIO(), width=80, force_terminal=terminal)
    train(epochs=20, observers=[LiveTraining(console, 20, "regression")])
    output = Text.from_ansi(console.file.getvalue()).plain
    assert ("20/20 epochs" in output) == terminal
    assert output.count("\n   20 ") == 1  # the last row, once


def test_help_explains_every_option_with_its_default():
    text = " ".join(invoke("train", "--help").output.split())
    for name, field in FIELDS.items():
        spelling = field.metadata["flag"] or flag_name(name)
        assert spelling.split("/")[0] in text, name
    assert "--config FILE" in text
    assert "[default: 0.2]" in text and "0.1 for sgd, 0.05 for adam" in text
    assert text.count("[default:") >= 25
    assert "Usage: " in invoke("--help").output


@pytest.mark.parametrize(("args", "message"), [
    (["--loss", "hubr"], "Unknown loss 'hubr'. Did you mean 'huber'?"),
    (["--optimizer", "adma"], "Did you mean 'adam'?"),
    (["--dataset", "iriss"], "Did you mean 'iris'?"),
    (["--dataset", "nowhere.csv"], "does not exist"),
    (["--lr", "-0.1"], "--lr must be > 0"),
    (["--epochs", "0"], "--epochs must be at least 1"),
    (["--val-split", "1"], "--val-split must be in [0, 1)"),
    (["--loss", "bce", "--dataset", "diabetes"], "needs class labels"),
    (["--loss", "cce", "--model", "logistic"], "does not fit --model logistic"),
    (["--config", "missing.toml"], "does not exist"),
])
def test_bad_input_is_one_error_line_and_exit_2(in_tmp, args, message):
    result = invoke("train", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output + result.stderr
    assert not (in_tmp / "runs").exists()


def test_csv_with_a_bad_cell_names_column_and_line(in_tmp):
    (in_tmp / "data.csv").write_text("a,b,y\n1,2,3\n4,oops,6\n")
    result = invoke("train", "--dataset", "data.csv")
    assert result.exit_code == 2 and "column 'b' line 3 holds 'oops'" in result.stderr


def test_user_csv_trains_with_a_named_target(in_tmp):
    rows = "\n".join(f"{x},{2 * x + 1},{x % 3}" for x in range(30))
    (in_tmp / "mine.csv").write_text("x,y,group\n" + rows + "\n")
    result = invoke("train", "--dataset", "mine.csv", "--target", "y", "--epochs", "20", "--quiet")
    assert result.exit_code == 0, result.stderr
    document = json.loads((only_run(in_tmp) / "run.json").read_text())
    assert document["data"]["features"] == ["x", "group"] and document["data"]["target"] == "y"
    assert document["config"]["dataset"] == "mine.csv"


def test_diverged_run_exits_3_and_keeps_its_files(in_tmp):
    result = invoke("train", "--lr", "50", "--batch-size", "0", "--quiet")
    assert result.exit_code == 3
    text = words(result.output)
    assert "Training diverged" in text and "the learning rate 50 is too large for this problem" in text
    assert "lossplay train --lr 0.5 --batch-size 0" in text  # half of 2/λmax, checked by training it
    assert "2 / (largest eigenvalue of the Hessian) = 1" in text
    document = json.loads((only_run(in_tmp) / "run.json").read_text())
    assert document["status"] == "diverged"


def test_config_file_values_and_command_line_overrides(in_tmp):
    (in_tmp / "exp.toml").write_text('loss = "mae"\noptimizer = "adam"\nepochs = 7\noutliers = true\n')
    result = invoke("train", "--config", "exp.toml", "--epochs", "4", "--quiet")
    assert result.exit_code == 0, result.stderr
    config = json.loads((only_run(in_tmp) / "run.json").read_text())["config"]
    assert (config["loss"], config["optimizer"], config["epochs"], config["outliers"]) == ("mae", "adam", 4, True)


@pytest.mark.parametrize(("text", "message"), [
    ('los = "mse"\n', "unknown option 'los'. Did you mean 'loss'?"),
    ('epochs = "many"\n', "'epochs' must be a whole number"),
    ('lr = \n', "not valid TOML"),
    ("[train]\nlr = 0.1\n", "tables are not options"),
])
def test_bad_config_files_are_explained(in_tmp, text, message):
    (in_tmp / "bad.toml").write_text(text)
    result = invoke("train", "--config", "bad.toml")
    assert result.exit_code == 2 and message in result.stderr


def test_syntax_errors_in_config_give_line_and_column(in_tmp):
    (in_tmp / "bad.toml").write_text('loss = "mse"\nlr = = 3\n')
    result = invoke("train", "--config", "bad.toml")
    assert "line 2" in result.stderr and "column" in result.stderr


@pytest.mark.parametrize("name", ["linear_huber_adam.toml", "outliers_mae.toml", "iris_softmax.toml",
                                  "overfitting_sine.toml"])
def test_shipped_example_configs_run(in_tmp, name):
    path = os.path.join(os.path.dirname(__file__), os.pardir, "configs", name)
    result = invoke("train", "--config", path, "--epochs", "3", "--quiet", "--no-plot")
    assert result.exit_code == 0, result.stderr


def test_existing_out_folder_is_never_touched_without_force(in_tmp):
    assert invoke("train", "--out", "keep", "--epochs", "1", "--quiet", "--no-plot").exit_code == 0
    before = (in_tmp / "keep" / "run.json").read_text()
    result = invoke("train", "--out", "keep", "--epochs", "2")
    assert result.exit_code == 2 and "--force" in result.stderr
    assert (in_tmp / "keep" / "run.json").read_text() == before
    assert invoke("train", "--out", "keep", "--epochs", "2", "--force", "--quiet").exit_code == 0
    assert json.loads((in_tmp / "keep" / "run.json").read_text())["epochs_run"] == 2


def test_out_pointing_at_a_file_is_refused(in_tmp):
    (in_tmp / "file.txt").write_text("x")
    result = invoke("train", "--out", "file.txt")
    assert result.exit_code == 2 and "is a file" in result.stderr


def test_datasets_lists_every_dataset():
    from lossplay.data import CATALOG

    result = invoke("datasets")
    assert result.exit_code == 0
    for name in CATALOG:
        assert name in result.output


def run_module(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "lossplay", *args], capture_output=True, text=True, **kwargs)


def test_python_dash_m_works_like_the_command():
    result = run_module("--version")
    assert result.returncode == 0 and "lossplay, version" in result.stdout


def test_the_loop_imports_neither_rich_nor_matplotlib_nor_click():
    code = ("import sys, lossplay.loop, lossplay.api; "
            "print(sorted(m for m in ('rich', 'matplotlib', 'click') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]"


def test_help_does_not_import_rich_or_matplotlib():
    code = ("import sys; from lossplay.cli import cli\n"
            "try:\n    cli(['train', '--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('rich', 'matplotlib') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_or_sigterm_saves_what_was_recorded_and_exits_130_or_143(tmp_path, signum, code):
    process = start(["train", "--epochs", "100000", "--out", "stopped"], tmp_path)
    wait_for_training(process)
    process.send_signal(signum)
    out, err = process.communicate(timeout=60)
    assert process.returncode == code, err
    assert "Training interrupted" in out and "Traceback" not in err
    folder = tmp_path / "stopped"
    document = json.loads((folder / "run.json").read_text())
    assert document["status"] == "interrupted"
    assert {p.name for p in folder.iterdir()} == {"run.json", *document["files"].values()}
    history = (folder / "history.csv").read_text().strip().splitlines()
    assert len(history) - 2 == document["epochs_run"] > 0


@pytest.mark.parametrize(("args", "message"), [
    (["train", "--lr", "abc"], "'abc' is not a valid float"),
    (["train", "--epochs", "1.5"], "'1.5' is not a valid integer"),
    (["train", "--learning-rate", "0.1"], "No such option: --learning-rate. Did you mean '--lr'?"),
    (["train", "--los", "mse"], "Did you mean '--loss'?"),
    (["trian"], "No such command 'trian'"),
])
def test_typing_mistakes_caught_by_the_parser_are_one_line_too(args, message):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0]
    assert "--help" in lines[0]


def test_bare_command_shows_the_help():
    result = CliRunner().invoke(cli, [])
    assert result.exit_code == 0 and "Commands:" in result.output


def test_options_that_have_no_effect_are_pointed_out(in_tmp):
    result = invoke("train", "--optimizer", "adam", "--momentum", "0.9", "--delta", "2", "--epochs", "2",
                    "--quiet", "--no-plot")
    text = words(result.output)
    assert "--momentum 0.9 has no effect here: it is read only with --optimizer sgd or rmsprop" in text
    assert "--delta 2.0 has no effect here: it is read only with --loss huber" in text


def test_config_file_typo_suggests_the_option_meant(in_tmp):
    (in_tmp / "typo.toml").write_text("lerning_rate = 0.1\n")
    result = invoke("train", "--config", "typo.toml")
    assert result.exit_code == 2 and "unknown option 'lerning_rate'. Did you mean 'lr'?" in result.stderr


def start(args, cwd):
    return subprocess.Popen([sys.executable, "-m", "lossplay", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def wait_for_training(process):
    """Wait until the command has said what it is about to train (its first line), then a moment more."""
    assert process.stdout.readline()
    time.sleep(0.3)


def test_ctrl_c_during_compare_keeps_the_finished_runs_and_exits_130(tmp_path):
    process = start(["compare", "mse", "mae", "--epochs", "100000", "--out", "cmp"], tmp_path)
    wait_for_training(process)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    document = json.loads((tmp_path / "cmp" / "compare.json").read_text())
    assert [r["status"] for r in document["runs"]] == ["interrupted"]  # mae never started
    assert "Interrupted: the runs after the one stopped were not trained." in " ".join(out.split())


def test_a_second_ctrl_c_stops_at_once(tmp_path):
    process = start(["train", "--epochs", "100000", "--out", "twice"], tmp_path)
    wait_for_training(process)
    process.send_signal(signal.SIGINT)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Traceback" not in err
    run_json = tmp_path / "twice" / "run.json"
    if run_json.exists():  # the first Ctrl-C may have finished saving before the second arrived
        assert json.loads(run_json.read_text())["status"] == "interrupted"


# lossplay, with each picture drawn slowly after saying so: a window in which to send signals while saving
SLOW_SAVE = """
import sys, time
import lossplay.plots as plots
from lossplay.cli import main
draw = plots.png_bytes
def slow(figure):
    print("drawing", flush=True)
    time.sleep(0.4)
    return draw(figure)
plots.png_bytes = slow
main()
"""


@pytest.mark.parametrize(("signals", "over_an_old_run"), [(1, True), (2, True), (2, False)])
def test_sigterm_while_saving_leaves_a_folder_whole_or_as_it_was(tmp_path, signals, over_an_old_run):
    where = ["--out", "old", "--force"] if over_an_old_run else []
    if over_an_old_run:
        assert run_module("train", "--epochs", "2", "--quiet", "--out", "old", cwd=tmp_path).returncode == 0
        old = {p.name: p.read_bytes() for p in (tmp_path / "old").iterdir()}
    process = subprocess.Popen([sys.executable, "-c", SLOW_SAVE, "train", "--epochs", "3", "--quiet", *where],
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "drawing\n"
    for _ in range(signals):
        process.send_signal(signal.SIGTERM)
        time.sleep(0.1)
    out, err = process.communicate(timeout=60)
    assert "Traceback" not in err
    if signals == 1:  # the first is ignored while saving: the new run is whole
        assert process.returncode == 0, err
        folder = tmp_path / "old"
        document = json.loads((folder / "run.json").read_text())
        assert document["epochs_run"] == 3
        assert {p.name for p in folder.iterdir()} == {"run.json", *document["files"].values()}
    elif over_an_old_run:  # the second abandons the new run: the old one is as it was
        assert process.returncode == 143, err
        assert {p.name: p.read_bytes() for p in (tmp_path / "old").iterdir()} == old
    else:  # ... and a new folder never appears, not even under a temporary name
        assert process.returncode == 143, err
        assert list((tmp_path / "runs").iterdir()) == []


def test_the_command_list_matches_each_command_s_own_summary():
    import importlib

    from lossplay.cli import COMMANDS

    for name, (module, summary) in COMMANDS.items():
        command = getattr(importlib.import_module(f"lossplay.cli.{module}"), name.replace("-", "_"))
        assert command.help.strip().splitlines()[0] == summary, name


def test_a_wide_csv_that_diverges_is_summed_up_in_seconds(in_tmp):
    import numpy as np

    X = np.random.default_rng(0).standard_normal((30, 20_001))
    np.savetxt(in_tmp / "wide.csv", X, delimiter=",", fmt="%.3f", comments="",
               header=",".join(f"c{j}" for j in range(20_001)))
    started = time.monotonic()
    result = invoke("train", "--dataset", "wide.csv", "--lr", "1e6", "--batch-size", "0", "--quiet", "--no-plot")
    assert time.monotonic() - started < 20
    assert result.exit_code == 3, result.stderr
    assert "2 / (largest eigenvalue of the Hessian) =" in words(result.output)


@pytest.mark.parametrize("command", [["lr-find", "--steps", "20"], ["compare", "--epochs", "3"]])
def test_a_config_file_is_read_once_per_command(in_tmp, monkeypatch, command):
    import lossplay.cli.options as options

    reads = []
    real = options.read_config
    monkeypatch.setattr(options, "read_config", lambda *a, **k: reads.append(a) or real(*a, **k))
    (in_tmp / "c.toml").write_text('optimizer = "adam"\nsteps = 30\nlosses = ["mse", "mae"]\n')
    result = invoke(*command[:1], "--config", "c.toml", *command[1:], "--no-plot", "--quiet")
    assert result.exit_code == 0, result.output
    assert len(reads) == 1


# -- pacing for a projector ----------------------------------------------------------------------------------


@pytest.fixture
def naps(monkeypatch):
    """time.sleep recorded instead of slept: the list of the seconds asked for."""
    asked = []
    monkeypatch.setattr(time, "sleep", asked.append)
    return asked


def test_pace_waits_after_each_logged_row_but_the_last(in_tmp, naps):
    result = invoke("train", "--epochs", "4", "--log-every", "1", "--pace", "0.25", "--no-plot")
    assert result.exit_code == 0, result.output
    assert sum(naps) == pytest.approx(4 * 0.25)  # after the rows of epochs 0 to 3; none after the last row
    assert max(naps) <= 0.1  # in short naps, so that Ctrl-C ends the wait at once
    assert [line.split()[0] for line in result.output.splitlines() if line.strip()[:1].isdigit()][:5] == \
        ["0", "1", "2", "3", "4"]


def test_pace_does_not_wait_without_a_table(in_tmp, naps):
    assert invoke("train", "--epochs", "3", "--pace", "2", "--quiet", "--no-plot").exit_code == 0
    import lossplay

    lossplay.train(epochs=3, pace=2)  # the API prints nothing, so nothing waits either
    assert naps == []


def test_pace_help_says_what_quiet_does():
    text = words(invoke("train", "--help").output)
    assert "--pace SECONDS" in text and "With --quiet there is no table, so nothing waits" in text
    assert "--pace" not in invoke("compare", "--help").output and "--pace" not in invoke("step", "--help").output


@pytest.mark.parametrize("value", ["11", "-0.5", "nan"])
def test_pace_out_of_its_range_is_one_error_line(in_tmp, value):
    result = CliRunner().invoke(cli, ["train", "--pace", value])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: --pace must be"), result.stderr
    (in_tmp / "slow.toml").write_text("pace = 60\n")
    result = CliRunner().invoke(cli, ["train", "--config", "slow.toml"])
    assert result.exit_code == 2 and "--pace must be between 0 and 10 seconds, got 60" in result.stderr


def test_ctrl_c_ends_a_paced_wait_at_once_and_the_run_is_kept(naps, monkeypatch):
    import io

    from rich.console import Console

    from lossplay import render
    from lossplay.api import run_experiment
    from lossplay.config import make_config
    from lossplay.experiment import build
    from lossplay.interrupt import StopSignal

    stop = StopSignal()

    def ctrl_c_while_waiting(seconds):
        naps.append(seconds)
        stop.requested = True  # what the Ctrl-C handler does

    monkeypatch.setattr(time, "sleep", ctrl_c_while_waiting)
    experiment = build(make_config(epochs=50, pace=10))
    live = render.LiveTraining(Console(file=io.StringIO()), 50, "regression", pace=10, stop=stop)
    run = run_experiment(experiment, [live], stop)
    assert naps == [live.NAP]  # one nap, not ten seconds
    assert run.status == "interrupted" and run.epochs_run == 0


def test_ctrl_c_during_a_paced_run_exits_130_and_saves_the_run(tmp_path):
    process = start(["train", "--epochs", "5", "--pace", "10", "--out", "paced"], tmp_path)
    while "0 " not in process.stdout.readline()[:8]:  # the row of epoch 0 is on the screen: waiting
        pass
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert time.monotonic() - started < 5  # not the rest of the 10 seconds
    assert json.loads((tmp_path / "paced" / "run.json").read_text())["status"] == "interrupted"


def test_the_progress_bar_leaves_room_for_the_ctrl_c_a_terminal_echoes():
    import io

    from rich.console import Console
    from rich.text import Text

    from lossplay.render.common import ROOM_FOR_CTRL_C
    from lossplay.render.compare import CompareProgress
    from lossplay.render.training import EpochBar

    for width in (60, 80, 120):
        console = Console(file=io.StringIO(), width=width, force_terminal=True)
        console.print(EpochBar(200_000))
        progress = CompareProgress(console)
        progress.progress.add_task("a run with a long name", total=200_000, cost="interrupted at epoch 123456")
        console.print(progress.progress.get_renderable())
        lines = Text.from_ansi(console.file.getvalue()).plain.splitlines()
        assert lines and max(len(line.rstrip()) for line in lines) <= width - ROOM_FOR_CTRL_C


# -- the words a class reads ---------------------------------------------------------------------------------


def test_one_of_a_thing_is_said_in_the_singular(in_tmp):
    text = words(invoke("train", "--epochs", "1", "--no-plot").output)
    assert "1 epoch, batches of 32" in text and "Training completed: 1 epoch, 5 updates" in text
    assert "1 epoch is too few" in text and "1 epochs" not in text
    text = words(invoke("compare", "mse", "--epochs", "1", "--no-plot").output)
    assert "Comparing 1 run on linear" in text and "1 runs" not in text


@pytest.mark.parametrize(("min_delta", "said"), [("0", "has not fallen since epoch"),
                                                  ("0.5", "has not fallen by more than 0.5 since epoch")])
def test_early_stopping_says_what_it_waited_for(in_tmp, min_delta, said):
    text = words(invoke("train", "--patience", "1", "--min-delta", min_delta, "--no-plot").output)
    assert said in text and "(1 epoch)" in text and "by more than 0 " not in text


def test_docstrings_are_shown_without_their_markup():
    from lossplay.losses import LOSSES
    from lossplay.optimizers import OPTIMIZERS

    shown = "".join(invoke("losses", name).output for name in LOSSES)
    shown += "".join(invoke("optimizers", name).output for name in OPTIMIZERS)
    assert "eps_root" in shown and "`" not in shown and "::" not in shown


def test_a_users_docstring_is_shown_without_its_markup(in_tmp):
    (in_tmp / "mine.py").write_text('''
import numpy as np
from lossplay.losses import Loss


class Squared(Loss):
    """Half the squared residual.

    See :class:`lossplay.losses.MSE` and ``Loss``; the math::

        L = r^2 / 2
    """

    name = "squared"
    task = "regression"
    formula = "L = ½r²"
    derivative_formula = "dL/dz = r"

    def losses(self, z, y):
        return 0.5 * (z - y) ** 2

    def derivative(self, z, y):
        return z - y
''')
    result = invoke("losses", "mine.py:Squared")
    assert result.exit_code == 0, result.output
    assert "See lossplay.losses.MSE and Loss; the math:" in words(result.output) and "`" not in result.output


# -- shipped configs by name ---------------------------------------------------------------------------------


def test_a_shipped_config_is_found_by_name_from_any_folder(in_tmp):
    result = invoke("train", "--config", "overfitting_sine", "--epochs", "3", "--quiet", "--no-plot", "--out", "r")
    assert result.exit_code == 0, result.output
    config = json.loads((in_tmp / "r" / "run.json").read_text())["config"]
    assert (config["dataset"], config["poly_degree"], config["epochs"]) == ("sine", 9, 3)
    for spelling in ("overfitting_sine.toml", "Overfitting-Sine"):
        assert invoke("train", "--config", spelling, "--epochs", "1", "--quiet", "--no-plot", "--out", "r",
                      "--force").exit_code == 0
    result = invoke("compare", "--config", "demo_outliers", "--epochs", "2", "--quiet", "--no-plot")
    assert result.exit_code == 0 and "Comparing 3 runs" in result.output


def test_a_file_in_the_current_folder_wins_over_a_shipped_config(in_tmp):
    (in_tmp / "overfitting_sine.toml").write_text('dataset = "blobs"\nloss = "bce"\n')
    assert invoke("train", "--config", "overfitting_sine.toml", "--epochs", "1", "--quiet", "--no-plot",
                  "--out", "r").exit_code == 0
    assert json.loads((in_tmp / "r" / "run.json").read_text())["config"]["dataset"] == "blobs"


@pytest.mark.parametrize(("name", "message"), [
    ("overfiting_sine", "Config file 'overfiting_sine' does not exist, and no shipped config has that name. "
                        "Did you mean 'overfitting_sine'? 'lossplay configs' lists them."),
    ("configs/overfitting_sine.toml", "Config file 'configs/overfitting_sine.toml' does not exist. lossplay ships a "
                                      "config called 'overfitting_sine': --config overfitting_sine reads it from "
                                      "any folder."),
    ("lesson_overfitting", "Config file 'lesson_overfitting' does not exist, and no shipped config has that name. "
                           "'lesson_overfitting' is a lesson, not options: lossplay lesson overfitting runs it."),
])
def test_a_config_name_that_is_not_there_is_one_error_line(in_tmp, name, message):
    result = CliRunner().invoke(cli, ["train", "--config", name])
    assert result.exit_code == 2 and result.stderr.strip() == f"Error: {message}"


def test_lossplay_configs_lists_each_with_the_first_line_of_its_comment():
    from lossplay.config import shipped_configs

    configs = shipped_configs()
    assert {"overfitting_sine", "iris_softmax", "demo_outliers"} <= set(configs)
    text = words(invoke("configs").output)
    for config in configs.values():
        assert config.summary.endswith(".") and len(config.summary) <= 78, config.name
        assert f"{config.name} {config.command} {config.summary}" in text
    assert configs["demo_outliers"].command == "compare" and configs["overfitting_sine"].command == "train"
    printed = invoke("configs", "overfitting_sine").output
    assert printed == configs["overfitting_sine"].text
    result = CliRunner().invoke(cli, ["configs", "overfiting"])
    assert result.exit_code == 2 and "Did you mean 'overfitting_sine'?" in result.stderr


def test_the_shipped_configs_are_the_repositorys():
    from pathlib import Path

    from lossplay.config import shipped_configs

    folder = Path(__file__).resolve().parent.parent / "configs"
    assert {name: config.text for name, config in shipped_configs().items()} == \
        {path.stem: path.read_text(encoding="utf-8") for path in folder.glob("*.toml")
         if not path.name.startswith("lesson_")}  # the lessons of lossplay lesson


def test_ctrl_c_while_advice_is_checked_skips_the_advice_and_keeps_the_run(in_tmp, monkeypatch):
    """Checking advice trains more runs after the run itself: a Ctrl-C then must not lose the run."""
    import lossplay.advice

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(lossplay.advice, "advise", interrupted)
    result = invoke("train", "--epochs", "5", "--lr", "0.001", "--no-plot", "--out", "r")
    assert result.exit_code == 130
    document = json.loads((in_tmp / "r" / "run.json").read_text())
    assert document["status"] == "completed" and document["diagnosis"]["advice"] == []
    assert document["diagnosis"]["notes"][-1].startswith("The advice was not checked")
    assert "The advice was not checked" in " ".join(result.output.split())
