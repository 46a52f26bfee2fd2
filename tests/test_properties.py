"""Property-based tests: whatever a CSV or an option holds, the answer is a run or one Error line.

And the numbers stay finite for finite inputs of extreme size.
"""

import json
import math
import tempfile
from pathlib import Path

import numpy as np
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lossplay import metrics
from lossplay.cli import cli
from lossplay.losses import LOSSES, make_loss

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
    """Mostly well-formed files of numbers of every size, with odd cells and ragged rows now and then."""
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
    delimiter = draw(st.sampled_from([",", ",", ";", "\t"]))
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
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
    "--dataset": st.sampled_from(["linear", "blobs", "blobs3", "tiny", "iris", "sine", "nope"]),
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
