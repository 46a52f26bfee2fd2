"""Writing a folder: never through a planted link, never over a user's file, whole or not at all."""

import errno
import json
import os
import signal

import pytest
from click.testing import CliRunner

import lossplay
from lossplay import runs
from lossplay.cli import cli
from lossplay.errors import LossplayError
from lossplay.interrupt import graceful_interrupt, held_signals


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def snapshot(folder):
    """Every file and link under ``folder``, hidden ones too, as {relative path: bytes or link target}."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(root, name)
            relative = os.path.relpath(path, folder)
            if os.path.islink(path):
                found[relative] = ("link", os.readlink(path))
            elif os.path.isfile(path):
                with open(path, "rb") as f:
                    found[relative] = f.read()
            else:
                found[relative] = "folder"
    return found


def one_error_line(result):
    lines = result.stderr.strip().splitlines()
    return result.exit_code == 2 and len(lines) == 1 and lines[0].startswith("Error: ")


def test_planted_links_at_temporary_names_are_never_followed(in_tmp):
    victim = in_tmp / "victim"
    victim.write_text("precious")
    assert invoke("train", "--epochs", "1", "--quiet", "--out", "run").exit_code == 0
    names = ["run.json", "history.csv", "loss_curve.png", "fit.png", "report.html", "run"]
    pids = range(max(1, os.getpid() - 200), os.getpid() + 200)
    for folder in (in_tmp, in_tmp / "run"):
        for name in names:
            for pid in pids:
                (folder / f".{name}.tmp-{pid}").symlink_to(victim)
    (in_tmp / "run" / "report.html").symlink_to(victim)  # even at the final name, --force replaces the link

    assert invoke("report", "run", "--force").exit_code == 0
    assert invoke("train", "--epochs", "2", "--quiet", "--out", "run", "--force").exit_code == 0
    assert invoke("train", "--epochs", "1", "--quiet", "--no-plot", "--out", "new").exit_code == 0

    assert victim.read_text() == "precious"
    for folder in (in_tmp / "run", in_tmp / "new"):
        document = json.loads((folder / "run.json").read_text())
        for name in ["run.json", *document["files"].values()]:
            assert (folder / name).is_file() and not (folder / name).is_symlink()
    assert not (in_tmp / "run" / "report.html").is_symlink()


@pytest.mark.parametrize(("args", "names"), [
    (["train", "--epochs", "1"], ["history.csv"]),
    (["landscape", "--steps", "5", "--grid", "11"], ["landscape.png"]),
    (["lr-find", "--steps", "10"], ["lr_find.png"]),
    (["compare", "mse", "mae", "--epochs", "1"], ["mse/history.csv"]),
])
def test_force_never_replaces_a_user_s_file_that_has_lossplay_s_name(in_tmp, args, names):
    for name in names:
        (in_tmp / "mine" / name).parent.mkdir(parents=True, exist_ok=True)
        (in_tmp / "mine" / name).write_text("the user's own")
    before = snapshot(in_tmp / "mine")
    result = invoke(*args, "--out", "mine", "--force")
    assert one_error_line(result) and "was not written by lossplay" in result.stderr
    assert result.stdout == ""  # refused before anything was trained
    assert snapshot(in_tmp / "mine") == before


def test_saving_checks_the_folder_again(tmp_path):
    run = lossplay.train(epochs=1, no_plot=True)
    (tmp_path / "history.csv").write_text("the user's own, made during training")
    with pytest.raises(LossplayError, match="was not written by lossplay"):
        run.save(tmp_path, force=True)
    assert [p.name for p in tmp_path.iterdir()] == ["history.csv"]


def test_force_removes_only_what_lossplay_listed_in_an_old_comparison(in_tmp):
    assert invoke("compare", "mse", "mae", "--epochs", "1", "--quiet", "--no-plot", "--out", "c").exit_code == 0
    assert invoke("report", "c/mse").exit_code == 0  # lossplay's own page: out of date once the run goes
    (in_tmp / "c" / "mse" / "my-notes.txt").write_text("mine")
    (in_tmp / "c" / "report.html").write_text("<p>my own page</p>")
    result = invoke("compare", "huber", "log_cosh", "--epochs", "1", "--quiet", "--out", "c", "--force")
    assert result.exit_code == 0, result.output
    assert {p.name for p in (in_tmp / "c").iterdir()} == {"compare.json", "compare.png", "huber", "log_cosh",
                                                          "mse", "report.html"}
    assert [p.name for p in (in_tmp / "c" / "mse").iterdir()] == ["my-notes.txt"]
    assert (in_tmp / "c" / "mse" / "my-notes.txt").read_text() == "mine"
    assert (in_tmp / "c" / "report.html").read_text() == "<p>my own page</p>"


def test_a_full_disk_leaves_the_old_run_as_it_was(in_tmp, monkeypatch):
    assert invoke("train", "--epochs", "2", "--quiet", "--out", "old").exit_code == 0
    before = snapshot(in_tmp)
    write_all, calls = runs._write_all, []

    def full_disk(fd, data):
        calls.append(fd)
        if len(calls) == 3:  # history.csv and loss_curve.png fit; fit.png is cut off halfway
            write_all(fd, data[:len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        write_all(fd, data)

    monkeypatch.setattr(runs, "_write_all", full_disk)
    result = invoke("train", "--epochs", "5", "--quiet", "--out", "old", "--force")
    assert one_error_line(result) and "No space left on device" in result.stderr and "fit.png" in result.stderr
    assert len(calls) == 3
    assert snapshot(in_tmp) == before  # byte for byte, and no temporary left anywhere


def test_signals_are_held_off_during_the_swap_and_delivered_after_it():
    swapped = False
    with graceful_interrupt() as stop:
        with pytest.raises(KeyboardInterrupt):  # the second signal, once delivered, stops at once
            with held_signals():
                os.kill(os.getpid(), signal.SIGTERM)
                os.kill(os.getpid(), signal.SIGINT)
                assert not stop.requested
                swapped = True
    assert swapped and stop.requested and stop.signum == signal.SIGTERM


def test_a_rename_that_fails_in_the_swap_puts_the_old_run_back(tmp_path, monkeypatch):
    lossplay.train(epochs=2, out=str(tmp_path / "old"))
    before = snapshot(tmp_path)
    rename, calls = os.rename, []

    def failing(source, target):
        calls.append(target)
        if len(calls) == 5:  # the old files are set aside, then the first new ones are in place
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(source))
        rename(source, target)

    monkeypatch.setattr(runs.os, "rename", failing)
    with pytest.raises(LossplayError, match="the folder is as it was"):
        lossplay.train(epochs=3, out=str(tmp_path / "old"), force=True)
    assert len(calls) > 5 and snapshot(tmp_path) == before
