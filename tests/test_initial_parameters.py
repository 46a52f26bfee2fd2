"""A chosen start: --init-weights and --init-bias set theta before the first update, exactly."""

import json

import numpy as np
import pytest
from click.testing import CliRunner

import lossplay
from lossplay.cli import cli
from lossplay.data import load_dataset


def invoke(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_the_first_steps_cost_is_the_cost_by_hand_at_the_chosen_start():
    """w = 2, b = -1 on the 8 rows of 'tiny', full batch: C = (1/n) Σ (2x − 1 − y)²."""
    record = next(iter(lossplay.step(steps=1, init_weights=[2.0], init_bias=-1.0, batch_size=0, val_split=0.0)))
    tiny = load_dataset("tiny")
    x, y = tiny.X[:, 0], tiny.y
    np.testing.assert_array_equal(record.params_before, [2.0, -1.0])
    assert record.cost == pytest.approx(np.mean((2.0 * x - 1.0 - y) ** 2), rel=1e-15)
    np.testing.assert_allclose(record.grad, [np.mean(2 * (2 * x - 1 - y) * x), np.mean(2 * (2 * x - 1 - y))],
                               rtol=1e-13)


def test_a_softmax_start_is_given_feature_by_feature_then_one_bias_per_class():
    weights = np.arange(12.0) / 10
    run = lossplay.train(dataset="iris", init_weights=weights, init_bias=[1, 2, 3], epochs=1)
    start = run.history[0].params
    np.testing.assert_array_equal(start[:-1], weights.reshape(4, 3))  # row: a feature; column: a class
    np.testing.assert_array_equal(start[-1], [1.0, 2.0, 3.0])
    assert run.config.init_weights == ",".join(repr(float(w)) for w in weights)  # as exact as given


def test_the_start_is_in_the_units_the_model_trains_in_and_a_note_says_so(in_tmp):
    result = invoke("train", "--init-weights", "0.5", "--init-bias", "-2", "--epochs", "6", "--no-plot", "--out", "r")
    assert result.exit_code == 0, result.output
    assert "in standardised units" in " ".join(result.output.split())
    document = json.loads((in_tmp / "r" / "run.json").read_text())
    assert document["config"]["init_weights"] == "0.5" and document["config"]["init_bias"] == "-2"
    quiet = invoke("train", "--init-weights", "0.5", "--no-standardize", "--epochs", "6", "--no-plot", "--out", "s")
    assert "standardised units" not in quiet.output


@pytest.mark.parametrize("args, message", [
    (["--init-weights", "1,2"], "--init-weights gives 2 values but this linear model has 1 (one per feature: x): "
                                "give 1."),
    (["--dataset", "iris", "--init-weights", "1,2"], "this softmax model has 12 (4 features × 3 classes, feature "
                                                     "by feature"),
    (["--init-bias", "1,2"], "--init-bias gives 2 values but this linear model has 1 (a single bias): give 1."),
    (["--init-bias", "x"], "--init-bias must be numbers separated by commas (like -1,2), got 'x'."),
    (["--init-weights", "nan"], "--init-weights must be numbers separated by commas"),
])
def test_a_wrong_start_is_one_error_line(in_tmp, args, message):
    result = invoke("train", *args, "--epochs", "2")
    assert result.exit_code == 2
    assert result.output.startswith("Error: ") and message in " ".join(result.output.split())
    assert not (in_tmp / "runs").exists()


def test_a_config_file_gives_the_start_as_a_list(in_tmp):
    (in_tmp / "c.toml").write_text("init_weights = [2, 3.5]\ninit_bias = -1\ndataset = 'multi'\n"
                                   "poly_degree = 1\n")
    result = invoke("train", "--config", "c.toml", "--epochs", "2", "--no-plot", "--out", "r")
    assert result.exit_code == 2 and "--init-weights gives 2 values but this linear model has 5" in result.output


def test_landscape_and_lr_find_start_where_they_are_told(in_tmp):
    scape = lossplay.landscape(init_weights=[0.5], init_bias=-1, steps=5, grid=21, optimizers=["sgd"])
    np.testing.assert_array_equal(scape.paths[0].points[0], [0.5, -1.0])
    with pytest.raises(lossplay.LossplayError, match="give one of them"):
        lossplay.landscape(init_weights=[0.5], start=(1, 2), steps=5, grid=21)
    result = lossplay.lr_find(init_weights=[1.5], init_bias=0.25, steps=10)
    np.testing.assert_array_equal(result.experiment.theta0, [1.5, 0.25])
