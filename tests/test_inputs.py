"""The files a user hands lossplay: read once, whole, within a limit; devices, empty pipes, too much refused."""

import json
import os
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from lossplay import config, data
from lossplay.cli import cli
from lossplay.errors import LossplayError

CSV = "x,y\n" + "".join(f"{x},{2 * x + 1 + (x % 3) / 10}\n" for x in range(12))


def lossplay(*args, cwd, **kwargs):
    """Run the command in a process of its own, with a bound on its time: (result, seconds)."""
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "lossplay", *args], cwd=cwd, capture_output=True, text=True,
                            timeout=60, **kwargs)
    return result, time.monotonic() - started


def assert_one_error(result, seconds, *words):
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    for word in words:
        assert word in lines[0]
    assert seconds < 10


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize(("option", "path", "words"), [
    ("--dataset", "/dev/zero", ("'/dev/zero' is a device",)),
    ("--config", "/dev/zero", ("'/dev/zero' is a device",)),
    ("--config", "/dev/urandom", ("'/dev/urandom' is a device",)),
    ("--dataset", "fifo", ("is a pipe that gave nothing to read",)),
    ("--config", "fifo", ("is a pipe that gave nothing to read",)),
])
def test_inputs_that_never_end_or_never_start_are_refused_at_once(option, path, words, fifo, tmp_path):
    result, seconds = lossplay("train", option, str(fifo) if path == "fifo" else path, "--epochs", "2",
                               cwd=tmp_path)
    assert_one_error(result, seconds, *words)
    assert not (tmp_path / "runs").exists()


def test_standard_input_that_never_ends_stops_at_the_limit(tmp_path):
    endless = subprocess.Popen(["yes", "1,2"], stdout=subprocess.PIPE)
    try:
        result, seconds = lossplay("train", "--dataset", "-", cwd=tmp_path, stdin=endless.stdout)
    finally:
        endless.kill()
        endless.wait()
    assert_one_error(result, seconds, "Dataset file '-' (standard input) is larger than 200 MB")


def test_standard_input_over_the_limit_is_refused_in_process_too(monkeypatch):
    monkeypatch.setattr(data, "MAX_CSV_BYTES", 1000)
    result = CliRunner().invoke(cli, ["train", "--dataset", "-"], input=CSV * 20)
    assert result.exit_code == 2
    assert "Error: Dataset file '-' (standard input) is larger than 0.001 MB" in result.stderr


def test_files_larger_than_the_limits_are_refused(tmp_path, monkeypatch):
    (tmp_path / "big.csv").write_text(CSV * 20)
    (tmp_path / "big.toml").write_text("# a comment\n" * 100)
    monkeypatch.setattr(data, "MAX_CSV_BYTES", 1000)
    monkeypatch.setattr(config, "MAX_CONFIG_BYTES", 1000)
    with pytest.raises(LossplayError, match="big.csv' is larger than 0.001 MB, the most lossplay reads"):
        data.load_csv(tmp_path / "big.csv")
    with pytest.raises(LossplayError, match="big.toml' is larger than 0.001 MB"):
        config.read_toml(tmp_path / "big.toml")


def test_a_process_substitution_pipe_is_read_once_and_trains(tmp_path):
    read_end, write_end = os.pipe()
    os.write(write_end, CSV.encode())
    os.close(write_end)
    try:
        result, _ = lossplay("train", "--dataset", f"/dev/fd/{read_end}", "--epochs", "3", "--quiet", "--no-plot",
                             "--out", "run", cwd=tmp_path, pass_fds=(read_end,))
    finally:
        os.close(read_end)
    assert result.returncode == 0, result.stderr
    document = json.loads((tmp_path / "run" / "run.json").read_text())
    assert document["data"]["n_train"] + document["data"]["n_val"] == 12


def test_standard_input_as_dash_trains_and_every_run_of_a_comparison_sees_it(tmp_path):
    result, _ = lossplay("compare", "mse", "mae", "--dataset", "-", "--epochs", "3", "--no-plot", "--out", "cmp",
                         cwd=tmp_path, input=CSV)
    assert result.returncode == 0, result.stderr
    document = json.loads((tmp_path / "cmp" / "compare.json").read_text())
    assert [run["status"] for run in document["runs"]] == ["completed", "completed"]


def test_one_pipe_cannot_be_both_the_config_and_the_dataset(tmp_path):
    result = CliRunner().invoke(cli, ["train", "--config", "-", "--dataset", "-"], input="epochs = 2\n")
    assert result.exit_code == 2 and "already read as the config file" in result.stderr


def test_a_terminal_as_standard_input_is_refused(monkeypatch):
    class Terminal:
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdin", Terminal())
    with pytest.raises(LossplayError, match="is a terminal: pipe the CSV in"):
        data.load_dataset("-")


def test_a_config_nested_5000_deep_is_an_error_naming_the_file(tmp_path):
    (tmp_path / "deep.toml").write_text("epochs = " + "[" * 5000 + "]" * 5000 + "\n")
    result = CliRunner().invoke(cli, ["train", "--config", str(tmp_path / "deep.toml")])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: Config file '") and "deep.toml' nests its arrays" in result.stderr


def test_a_config_with_a_byte_order_mark_is_read(tmp_path):
    (tmp_path / "bom.toml").write_bytes(b'\xef\xbb\xbfloss = "mae"\nepochs = 3\n')
    assert config.read_toml(tmp_path / "bom.toml") == {"loss": "mae", "epochs": 3}
