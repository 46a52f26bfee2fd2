"""Every kind of mistake gets one clear Error: line and exit code 2, no traceback, no run folder.

The files are in tests/data/bad/; each case names the command line, the exit code expected and a
piece of the message that names the problem.
"""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lossplay.cli import cli

BAD = Path(__file__).parent / "data" / "bad"


def run_cli(args, cwd):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def bad(name):
    return str(BAD / name)


FAILURES = [
    # CSV files
    (["train", "--dataset", bad("empty.csv")], "is empty"),
    (["train", "--dataset", bad("header_only.csv")], "header row but no data rows"),
    (["train", "--dataset", bad("no_header.csv"), "--target", "profit"], "has no column 'profit'. Columns: x1, y."),
    (["train", "--dataset", bad("ragged.csv")], "line 3 has 2 cells but the header has 3"),
    (["train", "--dataset", bad("text_in_feature.csv")], "column 'z' line 3 holds 'five', which is not a number"),
    (["train", "--dataset", bad("text_in_feature.csv")], "Leave the column out with --drop z, or fix the cell."),
    (["train", "--dataset", bad("text_in_feature.csv"), "--features", "xx"],
     "has no column 'xx' (--features). Did you mean 'x'? Columns: x, z, y."),
    (["train", "--dataset", bad("text_in_feature.csv"), "--drop", "y"], "--drop names 'y', the target"),
    (["train", "--dataset", bad("text_in_feature.csv"), "--features", "x,x"], "--features names 'x' twice"),
    (["train", "--dataset", bad("text_in_feature.csv"), "--drop", "x,z"], "--drop leaves '"),
    (["train", "--dataset", bad("text_in_feature.csv"), "--features", ","], "--features needs at least one value"),
    (["train", "--features", "x", "--drop", "z"], "--features and --drop both choose the columns"),
    (["train", "--features", "x"], "--features applies to CSV files and shipped datasets; 'linear' is a generated"),
    (["train", "--dataset", "iris", "--no-header"], "--no-header applies to your own files"),
    (["train", "--dataset", bad("missing_values.csv")], "missing or non-finite values in 3 of its 8 rows"),
    (["train", "--dataset", bad("infinite_value.csv")], "column 'z' at line 3 holds inf"),
    (["train", "--dataset", bad("constant_target.csv")], "is 5 in every row"),
    (["train", "--dataset", bad("single_class.csv"), "--loss", "bce"], "is 'a' in every row"),
    (["train", "--dataset", bad("duplicate_column.csv")], "names the column 'x' twice"),
    (["train", "--dataset", bad("fractional_labels.csv"), "--loss", "bce"], "needs class labels"),
    (["train", "--dataset", bad("three_text_classes.csv"), "--loss", "bce"], "needs 2 classes"),
    (["train", "--dataset", bad("three_text_classes.csv"), "--loss", "mse"], "3 classes: use --loss cce"),
    (["train", "--dataset", bad("not_utf8.csv")], "not UTF-8"),
    (["train", "--dataset", "nowhere.csv"], "does not exist"),
    (["train", "--dataset", str(BAD)], "is a folder"),
    (["train", "--dataset", bad("semicolons.csv"), "--target", "why"], "no column 'why'. Did you mean 'y'?"),
    (["train", "--dataset", bad("zero_target.csv")], "The target 'y' of '"),
    (["train", "--dataset", bad("zero_target.csv")], "is 0 in every row: there is nothing to learn"),
    (["train", "--dataset", bad("one_target.csv")], "is 1 in every row: there is nothing to learn"),
    (["train", "--dataset", ""], "--dataset is empty"),
    (["train", "--dataset", " "], "--dataset is empty"),
    # option values
    (["train", "--lr", "-1"], "--lr must be > 0"),
    (["train", "--lr", "nan"], "--lr must be a finite number"),
    (["train", "--lr", "inf"], "--lr must be a finite number"),
    (["train", "--epochs", "0"], "--epochs must be at least 1"),
    (["train", "--val-split", "1"], "--val-split must be in [0, 1)"),
    (["train", "--batch-size", "-1"], "--batch-size must be >= 0"),
    (["train", "--samples", "2"], "--samples must be at least 4"),
    (["train", "--noise", "-1"], "--noise must be >= 0"),
    (["train", "--noise", "1e308"], "--noise 1e+308 is too large: the generated values overflow float64"),
    (["train", "--dataset", "blobs", "--noise", "1e308"], "--noise 1e+308 is too large"),
    (["train", "--poly-degree", "0"], "--poly-degree must be between 1 and 30"),
    (["train", "--outlier-fraction", "0.9", "--outliers"], "--outlier-fraction must be in (0, 0.5]"),
    (["train", "--momentum", "1.5"], "--momentum must be in [0, 1)"),
    (["train", "--beta1", "1"], "--beta1 must be in [0, 1)"),
    (["train", "--eps", "0"], "--eps must be > 0"),
    (["train", "--loss", "huber", "--delta", "0"], "--delta must be > 0"),
    (["train", "--loss", "quantile", "--quantile", "1.2"], "--quantile must be in (0, 1)"),
    (["train", "--clip-grad", "0"], "--clip-grad must be > 0"),
    (["train", "--patience", "0"], "--patience must be at least 1"),
    (["train", "--lr", "fast"], "'fast' is not a valid float"),
    # combinations
    (["train", "--loss", "cce", "--dataset", "linear"], "needs class labels"),
    (["train", "--loss", "bce", "--dataset", "iris"], "needs two classes"),
    (["train", "--loss", "mse", "--dataset", "iris"], "is a regression loss"),
    (["train", "--loss", "bce", "--model", "softmax"], "does not fit --model softmax"),
    (["train", "--class-weight", "balanced"], "--class-weight weighs classes: it applies to a classification loss"),
    (["train", "--patience", "3", "--val-split", "0"], "needs --val-split above 0"),
    # names
    (["train", "--loss", "hubr"], "Did you mean 'huber'?"),
    (["train", "--optimizer", "adm"], "Did you mean 'adam'?"),
    (["train", "--dataset", "irs"], "Did you mean 'iris'?"),
    (["train", "--model", "lineer"], "Did you mean 'linear'?"),
    (["train", "--init", "zero"], "Did you mean 'zeros'?"),
    (["train", "--lr-schedule", "cosin"], "Did you mean 'cosine'?"),
    (["train", "--learning-rate", "0.1"], "Did you mean '--lr'?"),
    (["compare", "mse", "maae"], "Did you mean 'mae'?"),
    (["losses", "hubr"], "Did you mean 'huber'?"),
    (["optimizers", "adamm"], "Did you mean 'adam'?"),
    (["demo", "outlier"], "Did you mean 'outliers'?"),
    (["step", "--steps", "0"], "--steps"),
    # limits
    (["train", "--epochs", str(10**12)], "--epochs must be at least 1 and at most 1,000,000, got 1000000000000"),
    (["train", "--samples", str(10**9)], "--samples must be at least 4 and at most 10,000,000"),
    (["train", "--samples", str(10**12)], "--samples must be at least 4 and at most 10,000,000"),
    (["train", "--samples", str(2**70)], "--samples must be at least 4 and at most 10,000,000"),
    (["step", "--steps", str(10**20)], "--steps must be at least 1 and at most 10,000"),
    (["compare", "mse", "mae", "--epochs", str(10**7)], "--epochs must be at least 1 and at most 1,000,000"),
    (["train", "--dataset", "iris", "--loss", "cce", "--poly-degree", "30", "--epochs", "1000000"],
     "would need about 4.9 GB of memory, more than lossplay's budget of 4 GB: its history keeps 1,000,001 epochs "
     "of 363 parameters (4.9 GB). Lower --epochs (to 815,622 at most here) or --poly-degree."),
    (["train", "--dataset", "multi", "--samples", "10000000", "--poly-degree", "30"],
     "its 10,000,000 rows of 151 columns take 13.2 GB as data and design matrix. Lower --poly-degree or --samples."),
    (["train", "--dataset", "breast_cancer", "--poly-degree", "6", "--interactions"],
     "rows of 1,947,792 columns take 8.87 GB as data and design matrix. Lower --poly-degree (or leave out "
     "--interactions)."),
    # config files
    (["train", "--config", bad("syntax_error.toml")], "line 1, column"),
    (["train", "--config", bad("unknown_key.toml")], "unknown option 'lerning_rate'. Did you mean 'lr'?"),
    (["train", "--config", bad("wrong_type.toml")], "'epochs' must be a whole number, got str 'ten'"),
    (["train", "--config", "missing.toml"], "does not exist"),
    (["train", "--config", str(BAD)], "is a folder"),
    (["train", "--config", bad("huge_epochs.toml")], "--epochs must be at least 1 and at most 1,000,000"),
    (["train", "--config", bad("empty_dataset.toml")], "--dataset is empty"),
]


@pytest.mark.parametrize(("args", "message"), FAILURES, ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_bad_input_gets_one_error_line_and_exit_2(args, message, in_tmp):
    result = run_cli(args, in_tmp)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.output + result.stderr
    assert not (in_tmp / "runs").exists()


SUCCESSES = [
    (["--dataset", bad("semicolons.csv")], None),
    (["--dataset", bad("tabs.tsv")], None),
    (["--dataset", bad("no_header.csv")],
     "has no header row (its first line is numbers): its columns are called x1 and the target y. Add --header"),
    (["--dataset", bad("text_in_feature.csv"), "--drop", "z"], None),
    (["--dataset", bad("text_in_feature.csv"), "--features", "x"], None),
    (["--dataset", bad("bom_crlf.csv")], None),
    (["--dataset", bad("missing_values.csv"), "--drop-missing"], "Left out 3 of the 8 rows"),
    (["--dataset", bad("text_labels.csv"), "--loss", "bce"], "numbered in sorted order: cat = 0, dog = 1"),
    (["--dataset", bad("constant_feature.csv")], "Feature 'c' is constant on the training rows"),
    (["--dataset", bad("more_features_than_rows.csv"), "--val-split", "0"], "can fit the training rows exactly"),
    (["--batch-size", "5000"], "every update uses all of them (full batch)"),
    (["--loss", "cce", "--dataset", "blobs"], None),
]


@pytest.mark.parametrize(("args", "note"), SUCCESSES, ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_awkward_but_valid_input_works_and_says_what_it_did(args, note, in_tmp):
    result = run_cli(["train", "--epochs", "3", "--quiet", *args], in_tmp)
    assert result.exit_code == 0, result.output + result.stderr
    if note:
        assert note in " ".join(result.output.split())
    run = next((in_tmp / "runs").iterdir())
    document = json.loads((run / "run.json").read_text())
    assert document["status"] == "completed"
    if "bom_crlf" in args[1]:
        assert document["data"]["features"] == ["x", "z"]


def test_out_pointing_at_a_file_or_a_full_folder(in_tmp):
    (in_tmp / "file").write_text("x")
    assert "is a file" in run_cli(["train", "--out", "file"], in_tmp).stderr
    (in_tmp / "full").mkdir()
    (in_tmp / "full" / "mine.txt").write_text("x")
    result = run_cli(["compare", "mse", "mae", "--out", "full"], in_tmp)
    assert result.exit_code == 2 and "--force" in result.stderr
    assert [p.name for p in (in_tmp / "full").iterdir()] == ["mine.txt"]


def test_a_disk_that_fills_up_leaves_no_half_written_run(in_tmp, monkeypatch):
    import os

    from lossplay import runs

    calls = []
    real = os.fsync

    def full_disk(fd):
        calls.append(fd)
        if len(calls) == 2:  # history.csv is written, then the first picture fails
            raise OSError(28, "No space left on device")
        return real(fd)

    monkeypatch.setattr(runs.os, "fsync", full_disk)
    result = run_cli(["train", "--epochs", "2", "--quiet"], in_tmp)
    assert result.exit_code == 2 and "No space left on device" in result.stderr
    assert not list((in_tmp / "runs").iterdir())


def test_an_unwritable_place_is_one_error_line(in_tmp, monkeypatch):
    import os

    real_mkdir = os.mkdir

    def refuse(path, *args, **kwargs):
        if Path(path).name.startswith("locked") or Path(path).parent.name == "runs":
            raise PermissionError(13, "Permission denied", str(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", refuse)
    result = run_cli(["train", "--epochs", "1", "--quiet", "--out", "locked/run"], in_tmp)
    assert result.exit_code == 2 and "Permission denied" in result.stderr
    result = run_cli(["train", "--epochs", "1", "--quiet"], in_tmp)
    assert result.exit_code == 2 and "Permission denied" in result.stderr


def test_an_unreadable_dataset_or_config_is_one_error_line(in_tmp, monkeypatch):
    import builtins

    real_open = builtins.open

    def refuse(file, *args, **kwargs):
        if str(file).endswith(("secret.csv", "secret.toml")):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    (in_tmp / "secret.csv").write_text("x,y\n1,2\n")
    (in_tmp / "secret.toml").write_text("epochs = 2\n")
    monkeypatch.setattr(builtins, "open", refuse)
    for args in (["--dataset", "secret.csv"], ["--config", "secret.toml"]):
        result = run_cli(["train", *args], in_tmp)
        assert result.exit_code == 2 and "Permission denied" in result.stderr, result.stderr


@pytest.mark.parametrize(("args", "toml", "message"), [
    (["compare", "--lrs", "fast,slow"], None, "--lrs: each value must be a number, got 'fast'"),
    (["compare", "--optimizers", " , "], None, "--optimizers needs at least one value"),
    (["compare", "--vary", "l2=0,x"], None, "--vary l2: each value must be a number, got 'x'"),
    (["compare"], 'lrs = ["fast"]', "Config file 'c.toml': 'lrs': each value must be a number, got 'fast'"),
    (["compare"], "lrs = [0.1, true]", "'lrs': each value must be a number, got bool True"),
    (["compare"], 'losses = ["mse", 5]', "Config file 'c.toml': 'losses': each value must be a text, got int 5"),
    (["compare"], 'optimizers = [["sgd"]]', "'optimizers': each value must be a text, got list ['sgd']"),
    (["compare"], 'vary = "l2=0,x"', "Config file 'c.toml': 'vary' l2: each value must be a number, got 'x'"),
    (["compare"], "vary = [5]", "'vary' takes OPTION=V1,V2"),
    (["compare"], 'vary = [["l2", [0, "x"]]]', "'vary' l2: each value must be a number, got 'x'"),
])
def test_compare_lists_are_checked_where_they_are_read(args, toml, message, in_tmp):
    if toml is not None:
        (in_tmp / "c.toml").write_text(toml + "\nepochs = 2\n")
        args = [*args, "--config", "c.toml"]
    result = run_cli(args, in_tmp)
    assert result.exit_code == 2, result.output + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], result.stderr
    assert not (in_tmp / "runs").exists()


@pytest.mark.parametrize("args", [
    ["train", "--lr", "1e308", "--epochs", "5"],
    ["train", "--lr", "1e308", "--epochs", "5", "--dataset", "multi", "--batch-size", "0"],
    ["compare", "--lrs", "1e-320,1e308", "--epochs", "5"],
    ["compare", "mse", "mae", "--lr", "1e308", "--epochs", "5"],
    ["train", "--dataset", "LABELS", "--loss", "cce", "--epochs", "3"],
    ["train", "--dataset", "HUGE", "--no-standardize", "--l2", "0.1", "--epochs", "3"],
    ["step", "--dataset", "HUGE", "--steps", "2", "--l2", "0.1"],
])
def test_overflows_that_are_expected_are_handled_without_a_raw_warning(args, in_tmp):
    import warnings

    (in_tmp / "labels.csv").write_text("x,y\n" + "".join(f"{i},{('0', '1e30')[i % 2]}\n" for i in range(10)))
    (in_tmp / "huge.csv").write_text("x,y\n" + "".join(f"{(i + 1) * 1e200},{(i % 3 + 1) * 1e300}\n" for i in range(10)))
    args = [{"LABELS": "labels.csv", "HUGE": "huge.csv"}.get(a, a) for a in args]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run_cli(args + ([] if args[0] == "step" else ["--out", "out"]), in_tmp)
    assert result.exit_code in (0, 3), result.output + result.stderr
    assert [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)] == []
    if "labels.csv" in args:
        assert json.loads((in_tmp / "out" / "run.json").read_text())["data"]["classes"] == ["0", "1e30"]
