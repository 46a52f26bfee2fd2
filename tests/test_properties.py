"""Property-based tests: whatever a CSV, an option or a config file holds, the answer is a run or one Error line.

And the numbers stay finite for finite inputs of extreme size.
"""

import contextlib
import json
import math
import tempfile
from pathlib import Path
from unittest import mock

import numpy as np
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from lossplay import metrics
from lossplay.cli import cli
from lossplay.cli.step import NOT_FOR_STEP
from lossplay.config import ALL_COMMAND_KEYS, FIELDS
from lossplay.landscapes import NOT_FOR_LANDSCAPE
from lossplay.losses import LOSSES, make_loss
from lossplay.lrfind import NOT_FOR_LR_FIND

NUMBER_CELLS = st.one_of(
    st.floats(min_value=-1e6, max_value=1e6).map(repr),
    st.integers(-10**6, 10**6).map(str),
    st.integers(0, 2).map(str),
    st.floats(min_value=-1e300, max_value=1e300).map(lambda v: f"{v:.3e}"),
    st.floats(min_value=-1e-300, max_value=1e-300).map(repr),
)
ODD_CELLS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64).map(repr),
    st.sampled_from(["", "NA", "n/a", "abc", "1e999", "-", "?", "1,5", "0x1F", " 3 ", "True", "é", '"2"', "cat"]),
)
NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=6)


@st.composite
def csv_texts(draw):
    """Mostly well-formed files of numbers of every size, with odd cells and ragged rows now and then, separated by
    commas, semicolons, tabs or spaces, with a header row or (now and then) without."""
    n_columns = draw(st.sampled_from([1, 2, 2, 3, 3, 4, 5]))
    header = draw(st.lists(NAMES, min_size=n_columns, max_size=n_columns, unique=True))
    odd = draw(st.sampled_from([0.0, 0.0, 0.0, 0.05, 0.3]))
    ragged = draw(st.sampled_from([False, False, False, False, True]))
    n_rows = draw(st.integers(0, 30))
    rows = []
    for _ in range(n_rows):
        length = n_columns
        if ragged and draw(st.booleans()):
            length = draw(st.integers(max(1, n_columns - 1), n_columns + 1))
        rows.append([draw(ODD_CELLS) if draw(st.floats(0, 1)) < odd else draw(NUMBER_CELLS) for _ in range(length)])
    delimiter = draw(st.sampled_from([",", ",", ";", "\t", " "]))
    named = draw(st.sampled_from([True, True, True, False]))  # now and then a file of numbers alone
    lines = [delimiter.join(header)] * named + [delimiter.join(row) for row in rows]
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\r\n"]))


def assert_one_clear_outcome(result, folder):
    """Exit 0 or 3 with a run.json that tells the truth, or exit 2 with one Error line; never a traceback."""
    assert "Traceback" not in result.output + result.stderr
    assert result.exit_code in (0, 2, 3), (result.exit_code, result.output, result.stderr)
    if result.exit_code == 2:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
        assert not (folder / "run").exists()
    else:
        text = (folder / "run" / "run.json").read_text()
        assert "NaN" not in text and "Infinity" not in text
        document = json.loads(text)
        assert document["status"] == ("completed" if result.exit_code == 0 else "diverged")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=csv_texts(), loss=st.sampled_from([None, "mse", "bce", "cce", "mae"]), drop=st.booleans())
def test_any_csv_gives_a_run_or_one_error_line(text, loss, drop):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "data.csv").write_text(text, encoding="utf-8")
        args = ["train", "--dataset", str(folder / "data.csv"), "--epochs", "2", "--quiet", "--no-plot",
                "--out", str(folder / "run")]
        args += ["--loss", loss] if loss else []
        args += ["--drop-missing"] if drop else []
        assert_one_clear_outcome(CliRunner().invoke(cli, args), folder)


NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 10**4))
OPTIONS = {
    "--lr": NUMBERS, "--epochs": st.integers(-1, 3), "--batch-size": st.integers(-2, 300),
    "--val-split": NUMBERS, "--samples": st.integers(-1, 400), "--noise": NUMBERS, "--poly-degree": st.integers(-1, 31),
    "--outlier-fraction": NUMBERS, "--momentum": NUMBERS, "--l1": NUMBERS, "--l2": NUMBERS, "--delta": NUMBERS,
    "--clip-grad": NUMBERS, "--beta1": NUMBERS, "--eps": NUMBERS, "--seed": st.integers(-3, 10**6),
    "--loss": st.sampled_from(list(LOSSES) + ["nope"]), "--optimizer": st.sampled_from(["sgd", "adam", "adagrad", "x"]),
    "--dataset": st.sampled_from(["linear", "blobs", "blobs3", "tiny", "iris", "Iris", "sine", "nope"]),
    "--lr-schedule": st.sampled_from(["constant", "step", "cosine", "exponential"]),
    "--warmup-epochs": st.integers(-1, 4), "--class-weight": st.sampled_from(["balanced", "1,2", "0", "a"]),
}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(sorted(OPTIONS)), st.just(None), max_size=6).flatmap(
    lambda chosen: st.fixed_dictionaries({k: OPTIONS[k] for k in chosen})))
def test_any_option_values_give_a_run_or_one_error_line(options):
    args = []
    for flag, value in options.items():
        args += [flag, str(value)]
    if "--epochs" not in options:
        args += ["--epochs", "2"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        result = CliRunner().invoke(cli, ["train", *args, "--quiet", "--no-plot", "--out", str(folder / "run")])
        assert_one_clear_outcome(result, folder)


EXTREME = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False)
# values up to 1e8 in size (a spread of 1e-300 would make R²'s denominator underflow: a different question)
LARGE = st.floats(min_value=-1e8, max_value=1e8).filter(lambda v: v == 0 or abs(v) > 1e-6)


@settings(max_examples=150, deadline=None)
@given(z=st.lists(EXTREME, min_size=1, max_size=8), seed=st.integers(0, 100))
def test_losses_derivatives_and_metrics_stay_finite_at_extreme_logits(z, seed):
    z = np.array(z)
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, z.size)
    for name, cls in LOSSES.items():
        loss = make_loss(name)
        if cls.task == "binary":
            values, d = loss.losses(z, labels), loss.derivative(z, labels)
        elif cls.task == "multiclass":
            logits = np.column_stack([z, -z, 0.5 * z])
            values, d = loss.losses(logits, labels), loss.derivative(logits, labels)
        else:
            continue
        assert np.isfinite(values).all() and np.isfinite(d).all(), name
        assert (values >= 0).all()
    for m in (metrics.classification(labels, z), metrics.classification(labels, np.column_stack([z, -z]))):
        assert all(math.isfinite(v) for v in m.values())


@settings(max_examples=150, deadline=None)
@given(z=st.lists(LARGE, min_size=2, max_size=8), y=st.lists(LARGE, min_size=2, max_size=8))
def test_regression_losses_and_metrics_stay_finite_for_targets_of_1e8(z, y):
    n = min(len(z), len(y))
    z, y = np.array(z[:n]), np.array(y[:n])
    for name, cls in LOSSES.items():
        if cls.task == "regression":
            loss = make_loss(name)
            assert np.isfinite(loss.losses(z, y)).all() and np.isfinite(loss.derivative(z, y)).all(), name
    assert all(math.isfinite(v) for v in metrics.regression(y, z).values())


# -- the other commands and config files: whatever their options, a result or one Error line -----------------

def assert_no_bug(result, made=None):
    """Exit 0, 2 or 3, never 1 (a bug) and never a traceback; exit 2 is one Error line; on success the
    folder ``made`` (when given) holds its JSON."""
    assert "Traceback" not in result.output + result.stderr, result.output + result.stderr
    assert result.exit_code in (0, 2, 3), (result.exit_code, result.output, result.stderr)
    event(f"exit {result.exit_code}")
    if result.exit_code == 2:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    elif made is not None:
        assert made.is_file(), result.output


# train's options with values a learner might type: mostly sensible, now and then out of range or no number
TYPED = {
    "--lr": ["0.01", "0.1", "0.5", "50", "-1", "nan"], "--batch-size": ["0", "4", "32", "-1"],
    "--val-split": ["0", "0.2", "0.5", "1"], "--samples": ["4", "20", "60", "2"],
    "--noise": ["0", "0.5", "-1", "1e308"], "--poly-degree": ["1", "3", "0"], "--l1": ["0", "0.1"],
    "--l2": ["0", "0.1", "-1"], "--momentum": ["0", "0.9", "1"], "--seed": ["0", "7", "-1"],
    "--clip-grad": ["0.5", "0"], "--loss": ["mse", "mae", "huber", "bce", "cce", "hinge", "nope"],
    "--optimizer": ["sgd", "adam", "rmsprop", "x"],
    "--dataset": ["linear", "tiny", "sine", "blobs", "blobs3", "iris", "nope"],
    "--class-weight": ["balanced", "1,2", "a"], "--lr-schedule": ["constant", "step", "cosine"],
    "--delta": ["1", "0"], "--outlier-fraction": ["0.1", "0.9"],
    "--features": ["sepal_width,petal_width", "x1", "nope", ","], "--drop": ["petal_width", "species", "x1"],
}


def train_options(exclude=()):
    """A few of train's options (those a command takes), with values from ``TYPED``."""
    names = sorted(flag for flag in TYPED if flag[2:].replace("-", "_") not in exclude)
    return st.dictionaries(st.sampled_from(names), st.just(None), max_size=3).flatmap(
        lambda chosen: st.fixed_dictionaries({k: st.sampled_from(TYPED[k]) for k in chosen}))


def flatten(options):
    return [word for flag, value in options.items() for word in (flag, str(value))]


WORDS = st.sampled_from(["mse", "mae", "bce", "cce", "huber", "sgd", "adam", "momentum", "nesterov", "rmsprop", "nope",
                         "", " ", "0", "0.1", "-1", "1e999", "nan", "none", "true", "x=1", "l2=0", "é", "\x1b[2J"])
# mostly good names and values, now and then a bad one
LOSS_WORDS = st.sampled_from(["mse", "mae", "huber", "log_cosh", "quantile", "smooth_l1", "bce", "nope", "\x1b[2J"])
OPTIMIZER_WORDS = st.sampled_from(["sgd", "adam", "momentum", "nesterov", "rmsprop", "adagrad", "adamw", "x", ""])
LR_WORDS = st.sampled_from(["0.01", "0.1", "0.5", "1", "0.05", "-1", "0", "nan", "fast", "1e999", "5e-3"])
SMALL_VALUES = st.sampled_from(["0", "0.01", "0.5", "1", "2", "-1", "nan", "inf", "none", "true", "off", "x", "mse",
                                "adam", "balanced", "1,2", ""])
VARIED = st.sampled_from(["l2", "lr", "epochs", "loss", "optimizer", "shuffle", "batch_size", "samples", "class_weight",
                          "alpha", "dataset", "out", "nope", ""])
VARY = st.tuples(VARIED, st.lists(SMALL_VALUES, min_size=1, max_size=2)).map(
    lambda item: f"{item[0]}={','.join(item[1])}") | WORDS
OPTIMIZER_LISTS = st.lists(OPTIMIZER_WORDS, min_size=1, max_size=3, unique=True).map(",".join) | WORDS


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(options=train_options(), losses=st.lists(LOSS_WORDS, max_size=2, unique=True),
       optimizers=st.none() | OPTIMIZER_LISTS, vary=st.lists(VARY, max_size=2),
       lrs=st.none() | st.lists(LR_WORDS, max_size=2, unique=True).map(",".join))
def test_any_compare_gives_a_comparison_or_one_error_line(options, losses, optimizers, lrs, vary):
    args = ["compare", *losses, *flatten(options), "--epochs", "1", "--no-plot", "--quiet"]
    args += ["--optimizers", optimizers] if optimizers is not None else []
    args += ["--lrs", lrs] if lrs is not None else []
    args += [word for item in vary for word in ("--vary", item)]
    with tempfile.TemporaryDirectory() as tmp:
        result = CliRunner().invoke(cli, [*args, "--out", str(Path(tmp) / "out")])
        assert_no_bug(result, Path(tmp) / "out" / "compare.json")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(options=train_options(exclude=NOT_FOR_STEP), steps=st.sampled_from(["1", "2", "3", "0", "x"]),
       json=st.booleans())
def test_any_step_gives_its_steps_or_one_error_line(options, steps, json):
    args = ["step", *flatten(options), "--steps", steps, *(["--json"] if json else [])]
    assert_no_bug(CliRunner().invoke(cli, args))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(options=train_options(exclude=NOT_FOR_LANDSCAPE), optimizers=st.none() | OPTIMIZER_LISTS,
       start=st.none() | st.lists(st.floats(-10, 10).map(str) | WORDS, max_size=3).map(",".join),
       steps=st.sampled_from([1, 2, 4, 0]), grid=st.sampled_from([11, 12, 9]), no_bias=st.booleans())
def test_any_landscape_gives_a_picture_or_one_error_line(options, optimizers, start, steps, grid, no_bias):
    args = ["landscape", *flatten(options), "--steps", str(steps), "--grid", str(grid)]
    args += ["--optimizers", optimizers] if optimizers is not None else []
    args += ["--start", start] if start is not None else []
    args += ["--no-bias"] if no_bias else []
    with tempfile.TemporaryDirectory() as tmp, mock.patch("lossplay.plots.png_bytes", lambda figure: b""):
        result = CliRunner().invoke(cli, [*args, "--out", str(Path(tmp) / "out")])  # (the picture drawn, not saved)
        assert_no_bug(result, Path(tmp) / "out" / "landscape.json")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(options=train_options(exclude=NOT_FOR_LR_FIND), lr_min=st.none() | LR_WORDS, lr_max=st.none() | LR_WORDS,
       steps=st.sampled_from([5, 6, 9, 4]))
def test_any_lr_find_gives_a_suggestion_or_one_error_line(options, lr_min, lr_max, steps):
    args = ["lr-find", *flatten(options), "--steps", str(steps), "--no-plot", "--quiet"]
    args += ["--lr-min", str(lr_min)] if lr_min is not None else []
    args += ["--lr-max", str(lr_max)] if lr_max is not None else []
    with tempfile.TemporaryDirectory() as tmp:
        result = CliRunner().invoke(cli, [*args, "--out", str(Path(tmp) / "out")])
        assert_no_bug(result, Path(tmp) / "out" / "lr_find.json")


def toml_value(value):
    """A value written as TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return {math.inf: "inf", -math.inf: "-inf"}.get(value, "nan" if math.isnan(value) else repr(value))
    if isinstance(value, (int, str)):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


KEYS = st.sampled_from([*sorted(FIELDS), *ALL_COMMAND_KEYS, "lerning_rate", "x"])
SCALARS = st.one_of(st.booleans(), st.integers(-3, 40), st.floats(allow_nan=True, allow_infinity=True),
                    st.text(max_size=6), WORDS)
TOML_VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(NAMES, inner, max_size=2), max_leaves=4)
# the keys a file most often holds, with the values they take
LIKELY = {"epochs": st.integers(-1, 3), "losses": st.lists(LOSS_WORDS, max_size=3),
          "optimizers": st.lists(OPTIMIZER_WORDS, max_size=3),
          "lrs": st.lists(st.floats(1e-3, 1) | LR_WORDS, max_size=2),
          "vary": st.lists(VARY, max_size=2) | VARY,
          "steps": st.integers(-1, 8), "grid": st.integers(9, 13), "start": st.lists(NUMBERS, max_size=3)}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(command=st.sampled_from(["train", "compare", "step", "landscape", "lr-find"]),
       values=st.dictionaries(KEYS, TOML_VALUES, max_size=2),
       likely=st.dictionaries(st.sampled_from(sorted(LIKELY)), st.just(None), max_size=3).flatmap(
           lambda chosen: st.fixed_dictionaries({k: LIKELY[k] for k in chosen})))
def test_any_config_file_gives_a_result_or_one_error_line(command, values, likely):
    values = {**values, **likely}
    values.setdefault("epochs", 1)
    text = "".join(f"{json.dumps(key)} = {toml_value(value)}\n" for key, value in values.items())
    extra = {"train": ["--no-plot", "--quiet"], "compare": ["--no-plot", "--quiet"], "lr-find": ["--no-plot"]}
    with tempfile.TemporaryDirectory() as tmp, mock.patch("lossplay.plots.png_bytes", lambda figure: b""):
        folder = Path(tmp)
        (folder / "c.toml").write_text(text, encoding="utf-8")
        args = [command, "--config", str(folder / "c.toml"), *extra.get(command, [])]
        args += [] if command == "step" else ["--out", str(folder / "out")]
        with contextlib.chdir(tmp):  # a file's own 'out' stays in the temporary folder
            assert_no_bug(CliRunner().invoke(cli, args))
